package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// Keys of the desk's own settings, one model for the window and the commands.
// (The letter package keeps the letterhead, signer and letter settings, the sync
// package the hub's address, each under its own keys.)
const (
	SettingLanguage = "language" // "id" or "en"
	SettingTheme    = "theme"    // "light", "dark" or "system"
	SettingBackup   = "backup"   // BackupSettings
)

// BackupSettings steer the scheduled daily backup: the window's, and the Task
// Scheduler's `lapordesk backup --daily`, which take the same folder and count.
type BackupSettings struct {
	Daily bool   `json:"daily"`         // make one backup a day while the window is open
	Dir   string `json:"dir,omitempty"` // the backup folder; "": "backup" next to the data file
	Keep  int    `json:"keep"`          // how many daily backups are kept, the newest
}

// MaxKeep bounds the daily backups kept: a year's worth.
const MaxKeep = 366

// DefaultBackupSettings: on, in the folder next to the data file, a week kept.
func DefaultBackupSettings() BackupSettings { return BackupSettings{Daily: true, Keep: 7} }

// Validate checks the settings before they are stored.
func (b BackupSettings) Validate() error {
	var errs lapordesk.ValidationErrors
	if b.Keep < 1 || b.Keep > MaxKeep {
		errs = append(errs, &lapordesk.FieldError{Field: "backup_keep", Problem: lapordesk.ProblemRange, Value: strconv.Itoa(b.Keep)})
	}
	if err := lapordesk.CheckText("backup_dir", b.Dir, false, 1000, false); err != nil {
		var fe *lapordesk.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Folder is where backups go for the data file at dbPath.
func (b BackupSettings) Folder(dbPath string) string {
	if strings.TrimSpace(b.Dir) != "" {
		return b.Dir
	}
	return DefaultBackupDir(dbPath)
}

// BackupSettings returns the stored backup settings, or the defaults when none are.
func (s *Store) BackupSettings(ctx context.Context) (BackupSettings, error) {
	b := DefaultBackupSettings()
	err := s.Setting(ctx, SettingBackup, &b)
	if errors.Is(err, lapordesk.ErrNotFound) {
		return DefaultBackupSettings(), nil
	}
	return b, err
}

// PutBackupSettings checks and stores the backup settings.
func (s *Store) PutBackupSettings(ctx context.Context, b BackupSettings) error {
	if err := b.Validate(); err != nil {
		return err
	}
	if err := s.PutSetting(ctx, SettingBackup, b); err != nil {
		return fmt.Errorf("save backup settings: %w", err)
	}
	return nil
}

// PutSettings stores several JSON settings in one transaction, so a settings form
// that spans keys (the letterhead, the signer and the letter settings) is saved whole
// or not at all.
func (s *Store) PutSettings(ctx context.Context, values map[string]any) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		switch k {
		case keyProfile, keyPolicy:
			return fmt.Errorf("setting %q: use its own method: %w", k, lapordesk.ErrInvalid)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return s.tx(ctx, func(tx *sqlitedb.Tx) error {
		for _, k := range keys {
			if err := putSetting(ctx, tx, k, values[k]); err != nil {
				return err
			}
		}
		return nil
	})
}

var reSettingKey = regexp.MustCompile(`^[a-z][a-z0-9_.\-]{0,63}$`)

// Setting reads the JSON setting key into v. It returns ErrNotFound when unset.
func (s *Store) Setting(ctx context.Context, key string, v any) error {
	return getSetting(ctx, s.r, key, v)
}

// PutSetting stores v as the JSON setting key. Packages keep their own settings
// (letterhead, sync endpoint, language) under their own keys.
func (s *Store) PutSetting(ctx context.Context, key string, v any) error {
	switch key {
	case keyProfile, keyPolicy:
		return fmt.Errorf("setting %q: use its own method: %w", key, lapordesk.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sqlitedb.Tx) error { return putSetting(ctx, tx, key, v) })
}

func getSetting(ctx context.Context, q sqlitedb.Querier, key string, v any) error {
	var b []byte
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("setting %q: %w", key, lapordesk.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read setting %q: %w", key, sqlitedb.Classify(err))
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("setting %q is damaged: %v: %w", key, err, lapordesk.ErrInvalid)
	}
	return nil
}

func putSetting(ctx context.Context, tx *sqlitedb.Tx, key string, v any) error {
	if !reSettingKey.MatchString(key) {
		return &lapordesk.FieldError{Field: "key", Problem: lapordesk.ProblemFormat, Value: key}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("setting %q: %v: %w", key, err, lapordesk.ErrInvalid)
	}
	if len(b) > 4<<20 {
		return &lapordesk.FieldError{Field: key, Problem: lapordesk.ProblemTooLong, Limit: 4 << 20, Length: len(b)}
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, b)
	if err != nil {
		return fmt.Errorf("write setting %q: %w", key, err)
	}
	return nil
}

// --- profile ---
