package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// Progress reports how far a long step has got: done of total bytes (total is 0
// when unknown). It is called from the goroutine doing the work.
type Progress func(done, total int64)

// BackupInfo describes a backup file (or a candidate for restore).
type BackupInfo struct {
	Path     string    `json:"path"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
	Schema   int       `json:"schema"`        // schema version of the file
	Reports  int       `json:"reports"`       // number of reports
	Events   int       `json:"events"`        // number of events
	Unit     string    `json:"unit"`          // unit code of the desk it came from; "" before setup
	Hub      string    `json:"hub,omitempty"` // ID of the hub the desk was enrolled with
	Training bool      `json:"training"`      // a training store
	Daily    bool      `json:"daily"`         // made by the scheduled daily backup
	// Encrypted: the file is encrypted with a passphrase (EncryptedSuffix).
	Encrypted bool `json:"encrypted,omitempty"`
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	Backup BackupInfo `json:"backup"`
	// Aside is where the previous data file now lives ("" when there was none).
	Aside string `json:"aside,omitempty"`
	// NewerEvents counts the events in the previous file that came after the newest
	// event of the backup: work that the restore set aside (what reached the hub
	// comes back with the next sync).
	NewerEvents int `json:"newer_events"`
	// Reenrol: the backup belongs to an enrolled desk but carries no device secret
	// (backups never do) and the file it replaced was not that device: the desk
	// must be enrolled again before it syncs.
	Reenrol bool `json:"reenrol,omitempty"`
}

// Sync keys the store knows by name: a backup never carries the device's secret,
// and a restore of the same device's backup takes it over from the file it replaces.
const (
	SyncKeyDeviceID    = "device_id"
	SyncKeyDeviceToken = "device_token"
	SyncKeyHubID       = "hub_id"
)

const backupPrefix = "lapordesk-"

var (
	reDailyBackup = regexp.MustCompile(`^lapordesk-\d{4}-\d{2}-\d{2}\.db$`)
	reAnyBackup   = regexp.MustCompile(`^lapordesk-\d{4}-\d{2}-\d{2}(-\d{6}(-\d+)?)?\.db(\.age)?$`)
)

// DefaultBackupDir is the backup folder next to a data file.
func DefaultBackupDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "backup")
}

// BackupName names a backup taken at t: lapordesk-2026-11-27-140509.db.
func BackupName(t time.Time) string {
	return backupPrefix + t.Format("2006-01-02-150405") + ".db"
}

// dailyName names the scheduled backup of a day: lapordesk-2026-11-27.db.
func dailyName(d lapordesk.Date) string { return backupPrefix + d.String() + ".db" }

// Backup writes a consistent copy of the store to dst while the desk keeps working:
// SQLite's VACUUM INTO on a connection of its own reads one snapshot, so writes
// committed meanwhile are simply not in the copy, and no write waits for it. The
// copy is written under a temporary name, checked, synced to disk and only then
// renamed to dst, so a file with a backup's name is always complete. dst must not
// exist. progress (may be nil) follows the bytes written.
func (s *Store) Backup(ctx context.Context, dst string, progress Progress) (BackupInfo, error) {
	if dst == "" {
		return BackupInfo{}, &lapordesk.FieldError{Field: "path", Problem: lapordesk.ProblemRequired}
	}
	if _, err := os.Stat(dst); err == nil {
		return BackupInfo{}, fmt.Errorf("backup: %s already exists: %w", dst, lapordesk.ErrConflict)
	}
	if same, _ := sameFile(dst, s.path); same {
		return BackupInfo{}, fmt.Errorf("backup: %s is the data file itself: %w", dst, lapordesk.ErrInvalid)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: create folder: %w", sqlitedb.Classify(err))
	}
	tmp := dst + ".partial"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return BackupInfo{}, fmt.Errorf("backup: remove stale %s: %w", tmp, sqlitedb.Classify(err))
	}
	src, err := sql.Open("sqlite", sqlitedb.FileURI(s.path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	var total int64
	if err := src.QueryRowContext(ctx, "SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size())").Scan(&total); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", sqlitedb.Classify(err))
	}
	if err := sqlitedb.CreateOwnerOnly(tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	stop := watchSize(tmp, total, progress)
	_, err = src.ExecContext(ctx, "VACUUM INTO ?", tmp)
	stop()
	if err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	if err := src.Close(); err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	// A lost flash disk must not carry the key to the hub: the secret stays out.
	if err := editFile(ctx, tmp, func(db *sql.DB) error {
		// secure_delete: the freed page must not keep the secret's bytes.
		if _, err := db.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, "DELETE FROM sync_state WHERE key = ?", SyncKeyDeviceToken)
		return err
	}); err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, err)
	}
	info, err := inspect(ctx, tmp, false)
	if err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: the copy does not check out: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return BackupInfo{}, fmt.Errorf("backup to %s: %w", dst, sqlitedb.Classify(err))
	}
	syncDir(filepath.Dir(dst))
	info.Path = dst
	if progress != nil {
		progress(info.Size, info.Size)
	}
	return info, nil
}

// EnsureDaily makes today's scheduled backup in dir (lapordesk-YYYY-MM-DD.db, the
// office's date) unless it exists, then keeps only the newest keep daily backups.
// Backups taken by hand (with a time in their name) are never pruned. The GUI
// calls it on a timer; made reports whether a backup was written now.
func (s *Store) EnsureDaily(ctx context.Context, dir string, keep int) (info BackupInfo, made bool, err error) {
	if keep < 1 {
		return BackupInfo{}, false, &lapordesk.FieldError{Field: "keep", Problem: lapordesk.ProblemRange, Value: fmt.Sprint(keep)}
	}
	today := s.refs().cal.Today(s.now())
	dst := filepath.Join(dir, dailyName(today))
	if st, err := os.Stat(dst); err == nil {
		info = BackupInfo{Path: dst, Size: st.Size(), Modified: st.ModTime(), Daily: true}
	} else {
		if info, err = s.Backup(ctx, dst, nil); err != nil {
			return BackupInfo{}, false, err
		}
		info.Daily, made = true, true
	}
	if err := pruneDaily(dir, keep); err != nil {
		return info, made, err
	}
	return info, made, nil
}

// pruneDaily removes the oldest daily backups beyond keep.
func pruneDaily(dir string, keep int) error {
	list, err := ListBackups(dir)
	if err != nil {
		return err
	}
	n := 0
	for _, b := range list {
		if !b.Daily {
			continue
		}
		n++
		if n > keep {
			if err := os.Remove(b.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove old backup %s: %w", b.Path, sqlitedb.Classify(err))
			}
		}
	}
	return nil
}

// ListBackups lists the backups in dir, newest first, from their names and sizes
// (it does not open them; CheckBackup does).
func ListBackups(dir string) ([]BackupInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, sqlitedb.Classify(err))
	}
	var out []BackupInfo
	for _, e := range entries {
		if e.IsDir() || !reAnyBackup.MatchString(e.Name()) {
			continue
		}
		st, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupInfo{Path: filepath.Join(dir, e.Name()), Size: st.Size(), Modified: st.ModTime(), Daily: reDailyBackup.MatchString(e.Name()),
			Encrypted: strings.HasSuffix(e.Name(), EncryptedSuffix)})
	}
	// Names carry the date (and time), so the name order is the time order; a daily
	// backup sorts before the timed backups of its own day.
	sort.Slice(out, func(i, j int) bool { return backupKey(out[i].Path) > backupKey(out[j].Path) })
	return out, nil
}

func backupKey(path string) string {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), EncryptedSuffix), ".db")
	if len(name) == len("lapordesk-2006-01-02") {
		name += "-000000"
	}
	return name
}

// CheckBackup opens a candidate file read-only and checks that it is a LAPOR Desk
// store of a version this program can open, and intact (SQLite's integrity check).
// It changes nothing.
func CheckBackup(ctx context.Context, path string) (BackupInfo, error) {
	if enc, err := IsEncrypted(path); err == nil && enc {
		return BackupInfo{Path: path, Encrypted: true}, fmt.Errorf("%s: %w", path, ErrNeedPassphrase)
	}
	return inspect(ctx, path, true)
}

// inspect checks a store file without changing it; full runs integrity_check,
// otherwise the faster quick_check.
func inspect(ctx context.Context, path string, full bool) (BackupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return BackupInfo{}, fmt.Errorf("backup %s: %w", path, lapordesk.ErrNotFound)
		}
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, sqlitedb.Classify(err))
	}
	if st.IsDir() || st.Size() == 0 {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, lapordesk.ErrNotStore)
	}
	if err := sqlitedb.Check(ctx, path, fileConfig()); err != nil {
		return BackupInfo{}, err
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		// A copy of a live data file: part of its content sits in the -wal file,
		// which a read-only check cannot fold in. Backups made here never have one.
		return BackupInfo{}, fmt.Errorf("backup %s: has unsaved changes in %s-wal; open it with LAPOR Desk once, or use a backup made by LAPOR Desk: %w",
			path, filepath.Base(path), lapordesk.ErrNotStore)
	}
	db, err := sql.Open("sqlite", sqlitedb.FileURI(path)+"?mode=ro&immutable=1")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, err)
	}
	defer db.Close()
	check := "PRAGMA quick_check"
	if full {
		check = "PRAGMA integrity_check"
	}
	rows, err := db.QueryContext(ctx, check)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, sqlitedb.Classify(err))
	}
	var problems []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return BackupInfo{}, fmt.Errorf("backup %s: %w", path, sqlitedb.Classify(err))
		}
		if m != "ok" && len(problems) < 5 {
			problems = append(problems, m)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, sqlitedb.Classify(err))
	}
	rows.Close()
	if len(problems) > 0 {
		return BackupInfo{}, fmt.Errorf("backup %s is damaged: %s: %w", path, strings.Join(problems, "; "), lapordesk.ErrDamaged)
	}
	info := BackupInfo{Path: path, Size: st.Size(), Modified: st.ModTime(), Daily: reDailyBackup.MatchString(filepath.Base(path))}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema); err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, sqlitedb.Classify(err))
	}
	err = db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events)").Scan(&info.Reports, &info.Events)
	if err != nil {
		// Marked as ours but without our tables: not a store we can open.
		return BackupInfo{}, fmt.Errorf("backup %s: %v: %w", path, err, lapordesk.ErrNotStore)
	}
	var p lapordesk.Profile
	if err := getSetting(ctx, db, keyProfile, &p); err == nil {
		info.Unit, info.Training = p.UnitCode, p.Training
	}
	if hub, err := hubOf(ctx, db); err == nil {
		info.Hub = hub
	}
	return info, nil
}

// Restore replaces the data file at dbPath with the backup at src, after checking
// that src is an intact LAPOR Desk store this program can open. The current file is
// never overwritten: it is renamed to dbPath.before-restore-<time> (with its -wal,
// if any), and the backup is copied in under a temporary name and renamed into
// place. The data file must not be open, in this process or another (the GUI closes
// its store first and opens it again after): lapordesk.ErrLocked otherwise. progress (may be
// nil) follows the copy.
func Restore(ctx context.Context, src, dbPath string, progress Progress) (RestoreResult, error) {
	info, err := CheckBackup(ctx, src)
	if err != nil {
		return RestoreResult{}, fmt.Errorf("restore: %w", err)
	}
	res := RestoreResult{Backup: info}
	if same, _ := sameFile(src, dbPath); same {
		return res, fmt.Errorf("restore: %s is the data file itself: %w", src, lapordesk.ErrInvalid)
	}
	_, err = os.Stat(dbPath)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("restore: %w", sqlitedb.Classify(err))
	}
	if exists {
		if err := sqlitedb.EnsureClosed(ctx, dbPath); err != nil {
			return res, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return res, fmt.Errorf("restore: %w", sqlitedb.Classify(err))
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(ctx, src, tmp, info.Size, progress); err != nil {
		os.Remove(tmp)
		return res, fmt.Errorf("restore: copy %s: %w", src, sqlitedb.Classify(err))
	}
	if _, err := inspect(ctx, tmp, false); err != nil {
		os.Remove(tmp)
		return res, fmt.Errorf("restore: the copy does not check out: %w", err)
	}
	if exists {
		res.Aside = asideName(dbPath, time.Now())
		if err := os.Rename(dbPath, res.Aside); err != nil {
			os.Remove(tmp)
			return res, fmt.Errorf("restore: move %s aside: %w", dbPath, sqlitedb.Classify(err))
		}
		if _, err := os.Stat(dbPath + "-wal"); err == nil {
			if err := os.Rename(dbPath+"-wal", res.Aside+"-wal"); err != nil {
				os.Rename(res.Aside, dbPath)
				os.Remove(tmp)
				return res, fmt.Errorf("restore: move %s-wal aside: %w", dbPath, sqlitedb.Classify(err))
			}
		}
		// The shared-memory index is rebuilt from the files; a stale one must not
		// be paired with the restored file.
		os.Remove(dbPath + "-shm")
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		if res.Aside != "" {
			os.Rename(res.Aside, dbPath)
			os.Rename(res.Aside+"-wal", dbPath+"-wal")
		}
		os.Remove(tmp)
		return res, fmt.Errorf("restore: %w", sqlitedb.Classify(err))
	}
	syncDir(filepath.Dir(dbPath))
	if res.Aside != "" {
		res.NewerEvents = newerEvents(ctx, res.Aside, dbPath)
	}
	reenrol, err := carrySecret(ctx, res.Aside, dbPath)
	if err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	res.Reenrol = reenrol
	return res, nil
}

// carrySecret gives the restored file the device secret of the file it replaced
// when both are the same device (a backup never carries it); it reports whether the
// restored desk is enrolled but has no secret, and so must enrol again.
func carrySecret(ctx context.Context, aside, restored string) (reenrol bool, err error) {
	id, token, err := deviceOf(ctx, restored)
	if err != nil || id == "" || token != "" {
		return false, err
	}
	if aside != "" {
		oldID, oldToken, err := deviceOf(ctx, aside)
		if err == nil && oldID == id && oldToken != "" {
			return false, editFile(ctx, restored, func(db *sql.DB) error {
				_, err := db.ExecContext(ctx, "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", SyncKeyDeviceToken, oldToken)
				return err
			})
		}
	}
	return true, nil
}

// deviceOf reads the device ID and secret a closed data file holds ("" for none).
func deviceOf(ctx context.Context, path string) (id, token string, err error) {
	err = editFile(ctx, path, func(db *sql.DB) error {
		const q = "SELECT COALESCE((SELECT value FROM sync_state WHERE key = ?), '')"
		if err := db.QueryRowContext(ctx, q, SyncKeyDeviceID).Scan(&id); err != nil {
			return err
		}
		return db.QueryRowContext(ctx, q, SyncKeyDeviceToken).Scan(&token)
	})
	return id, token, err
}

// editFile opens a closed data file on a connection of its own for fn.
func editFile(ctx context.Context, path string, fn func(*sql.DB) error) error {
	db, err := sql.Open("sqlite", sqlitedb.FileURI(path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	if err := fn(db); err != nil {
		db.Close()
		return sqlitedb.Classify(err)
	}
	return db.Close()
}

// newerEvents counts the events of the previous file after the backup's newest one
// (0 when the files are unrelated or unreadable; it only informs the user).
func newerEvents(ctx context.Context, aside, restored string) int {
	count := func(path, q string, args ...any) (int64, bool) {
		// A closed file without a -wal is complete on its own: reading it as
		// immutable leaves no -shm or -wal files behind it.
		mode := "?mode=ro&immutable=1"
		if _, err := os.Stat(path + "-wal"); err == nil {
			mode = "?mode=ro"
		}
		db, err := sql.Open("sqlite", sqlitedb.FileURI(path)+mode)
		if err != nil {
			return 0, false
		}
		defer db.Close()
		var n int64
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return 0, false
		}
		return n, true
	}
	maxSeq, ok := count(restored, "SELECT COALESCE(max(seq), 0) FROM events")
	if !ok {
		return 0
	}
	n, ok := count(aside, "SELECT count(*) FROM events WHERE seq > ?", maxSeq)
	if !ok {
		return 0
	}
	return int(n)
}

func asideName(dbPath string, t time.Time) string {
	base := dbPath + ".before-restore-" + t.Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// copyFile copies src to a new file dst and syncs it.
func copyFile(ctx context.Context, src, dst string, size int64, progress Progress) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	os.Remove(dst)
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	var done int64
	for {
		if err := ctx.Err(); err != nil {
			out.Close()
			return err
		}
		n, rerr := in.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				out.Close()
				return err
			}
			done += int64(n)
			if progress != nil {
				progress(done, size)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			out.Close()
			return rerr
		}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// watchSize reports the growth of a file being written until stop is called.
func watchSize(path string, total int64, progress Progress) (stop func()) {
	if progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if st, err := os.Stat(path); err == nil {
					progress(min(st.Size(), total), total)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable where the system allows it (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// UnitOf reads which unit a closed data file or backup belongs to ("" before setup)
// without checking the whole file: a restore's caller asks it of both files before
// the restore checks the backup once.
func UnitOf(ctx context.Context, path string) (string, error) {
	if err := sqlitedb.Check(ctx, path, fileConfig()); err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("data file %s: %w", path, sqlitedb.Classify(err))
	}
	db, err := sql.Open("sqlite", sqlitedb.FileURI(path)+"?mode=ro")
	if err != nil {
		return "", fmt.Errorf("data file %s: %w", path, err)
	}
	defer db.Close()
	var p lapordesk.Profile
	if err := getSetting(ctx, db, keyProfile, &p); errors.Is(err, lapordesk.ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return p.UnitCode, nil
}

// HubOf reads the ID of the hub a closed data file or backup was enrolled with
// ("" when none), as cheaply as UnitOf.
func HubOf(ctx context.Context, path string) (string, error) {
	if err := sqlitedb.Check(ctx, path, fileConfig()); err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite", sqlitedb.FileURI(path)+"?mode=ro")
	if err != nil {
		return "", fmt.Errorf("data file %s: %w", path, err)
	}
	defer db.Close()
	return hubOf(ctx, db)
}

func hubOf(ctx context.Context, db *sql.DB) (string, error) {
	var hub string
	err := db.QueryRowContext(ctx, "SELECT COALESCE((SELECT value FROM sync_state WHERE key = ?), '')", SyncKeyHubID).Scan(&hub)
	if err != nil {
		return "", fmt.Errorf("read the hub of a data file: %w", sqlitedb.Classify(err))
	}
	return hub, nil
}
