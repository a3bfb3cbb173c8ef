package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
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
