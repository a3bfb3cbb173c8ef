// Package sqlitedb is the SQLite plumbing that the desk's store (storage) and the
// hub's (sync/hub) share: the connection strings, one writer connection beside a
// small pool of readers, checking a file before touching it, migrations, write
// transactions that reuse prepared statements, and the one classifier that turns
// SQLite's and the system's errors into the conditions users are told about
// (lapordesk.ErrDiskFull, ErrLocked, ErrReadOnly, ErrNotStore, ErrDamaged, ErrNewerSchema).
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/lapordesk/lapordesk"
)

// Config describes a kind of file.
type Config struct {
	// Name names the file in errors: "store", "hub".
	Name string
	// AppID is the application_id that marks a file as this kind.
	AppID int64
	// Migrations bring a file from any older schema to the newest, in order of
	// Version (1, 2, ...).
	Migrations []Migration
	// Readers is the size of the reader pool (0: the CPUs, at most 4).
	Readers int
}

// Migration is one step of the schema: SQL, then Go (either may be empty), in one
// transaction with the new version's stamp, so a crash leaves the old schema or the
// new one.
type Migration struct {
	Version int
	Name    string
	SQL     string
	Go      func(*Tx) error
}

// Latest is the schema version the migrations end at.
func (c Config) Latest() int {
	v := 0
	for _, m := range c.Migrations {
		v = max(v, m.Version)
	}
	return v
}

// DB is an open file: W the one writer connection (writes take the write lock at
// BEGIN, so two writers never deadlock upgrading read locks), R the readers.
type DB struct {
	Path string
	W, R *sql.DB
}

// Open opens the file at path, creating it (and its folder) if needed, and applies
// pending migrations. A file of another kind, or from a newer program, is refused
// with a clear error and left untouched.
func Open(ctx context.Context, path string, cfg Config) (*DB, error) {
	if err := Check(ctx, path, cfg); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open %s: create folder %s: %w", cfg.Name, dir, Classify(err))
		}
	}
	if err := CreateOwnerOnly(path); err != nil {
		return nil, fmt.Errorf("open %s %s: %w", cfg.Name, path, Classify(err))
	}
	db := &DB{Path: path}
	var err error
	if db.W, err = sql.Open("sqlite", DSN(path, false)); err != nil {
		return nil, fmt.Errorf("open %s %s: %w", cfg.Name, path, err)
	}
	db.W.SetMaxOpenConns(1)
	db.W.SetMaxIdleConns(1)
	db.W.SetConnMaxLifetime(0)
	if err := db.migrate(ctx, cfg); err != nil {
		db.W.Close()
		return nil, fmt.Errorf("open %s %s: %w", cfg.Name, path, err)
	}
	if db.R, err = sql.Open("sqlite", DSN(path, true)); err != nil {
		db.W.Close()
		return nil, fmt.Errorf("open %s %s: %w", cfg.Name, path, err)
	}
	n := cfg.Readers
	if n <= 0 {
		n = min(runtime.NumCPU(), 4)
	}
	db.R.SetMaxOpenConns(n)
	db.R.SetMaxIdleConns(n)
	return db, nil
}

// Close closes the file, first folding the write-ahead log back into it so a copied
// file is complete.
func (db *DB) Close() error {
	var errs []error
	if db.R != nil {
		errs = append(errs, db.R.Close())
	}
	if db.W != nil {
		_, _ = db.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, db.W.Close())
	}
	return errors.Join(errs...)
}

// DSN builds a modernc.org/sqlite connection string.
func DSN(path string, readOnly bool) string {
	q := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(FULL)", // offices lose power: a committed write must survive it
	}
	if readOnly {
		q = append(q, "_pragma=query_only(1)", "_pragma=cache_size(-16384)")
	} else {
		// A large page cache keeps a big batch (demo data, imports, a sync page)
		// from spilling dirty index pages to the WAL mid-transaction.
		q = append(q, "_pragma=journal_mode(WAL)", "_txlock=immediate", "_pragma=cache_size(-65536)", "_pragma=temp_store(memory)")
	}
	return FileURI(path) + "?" + strings.Join(q, "&")
}

// FileURI turns a path into an SQLite file: URI (without parameters).
func FileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // file:/C:/Users/... on Windows
	}
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(p)
}

// Check looks at an existing file without changing it: it must be an SQLite file
// marked as this kind (or an empty one), of a schema version the migrations know.
// A missing file passes.
func Check(ctx context.Context, path string, cfg Config) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, Classify(err))
	}
	if st.IsDir() {
		return fmt.Errorf("open %s %s: is a folder: %w", cfg.Name, path, lapordesk.ErrNotStore)
	}
	if st.Size() == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, Classify(err))
	}
	head := make([]byte, 100)
	n, _ := f.Read(head)
	f.Close()
	if n < 100 || string(head[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, lapordesk.ErrNotStore)
	}
	// The header's application ID and version may still sit in the write-ahead log
	// of a file another program has open, so ask SQLite, read-only.
	db, err := sql.Open("sqlite", FileURI(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, err)
	}
	defer db.Close()
	var appID int64
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, Classify(err))
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, Classify(err))
	}
	if appID != cfg.AppID {
		return fmt.Errorf("open %s %s: %w", cfg.Name, path, lapordesk.ErrNotStore)
	}
	if latest := cfg.Latest(); version > latest {
		return fmt.Errorf("open %s %s: schema version %d, this program knows up to %d: %w", cfg.Name, path, version, latest, lapordesk.ErrNewerSchema)
	}
	return nil
}

// migrate applies each pending migration in its own transaction, recording the
// version in the same transaction.
func (db *DB) migrate(ctx context.Context, cfg Config) error {
	var version int
	if err := db.W.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", Classify(err))
	}
	var appID int64
	if err := db.W.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("read application id: %w", Classify(err))
	}
	if appID != 0 && appID != cfg.AppID {
		return lapordesk.ErrNotStore
	}
	if latest := cfg.Latest(); version > latest {
		return fmt.Errorf("schema version %d, this program knows up to %d: %w", version, latest, lapordesk.ErrNewerSchema)
	}
	if version == 0 {
		// A new file must be empty: never stamp our mark on someone else's database.
		var n int
		if err := db.W.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
			return Classify(err)
		}
		if n > 0 {
			return lapordesk.ErrNotStore
		}
	}
	ms := append([]Migration(nil), cfg.Migrations...)
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Version < ms[j-1].Version; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	for _, m := range ms {
		if m.Version <= version {
			continue
		}
		err := db.Write(ctx, func(t *Tx) error {
			if m.SQL != "" {
				if _, err := t.Tx.ExecContext(ctx, m.SQL); err != nil {
					return err
				}
			}
			if m.Go != nil {
				if err := m.Go(t); err != nil {
					return err
				}
			}
			if _, err := t.Tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", cfg.AppID)); err != nil {
				return err
			}
			_, err := t.Tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// Classify wraps SQLite and system errors that users must understand in the
// domain's sentinels, keeping the original for the log.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	for _, known := range []error{lapordesk.ErrDiskFull, lapordesk.ErrLocked, lapordesk.ErrReadOnly, lapordesk.ErrNotStore} {
		if errors.Is(err, known) {
			return err // classified on its way up already
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("%w: %w", lapordesk.ErrDiskFull, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %w", lapordesk.ErrLocked, err)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return fmt.Errorf("%w: %w", lapordesk.ErrReadOnly, err)
		case sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %w", lapordesk.ErrDamaged, err)
		case sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %w", lapordesk.ErrNotStore, err)
		}
		return err
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w: %w", lapordesk.ErrReadOnly, err)
	}
	return err
}

// EnsureClosed checks that no program has the file at path open (a desk's window,
// a serving hub) before it is replaced: ErrLocked if one has. A file that is not a
// database at all passes (it is replaced like any other).
func EnsureClosed(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", FileURI(path)+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		err = Classify(err)
		if errors.Is(err, lapordesk.ErrLocked) {
			return fmt.Errorf("%s is open; close it before restoring: %w", path, err)
		}
		return nil
	}
	_, err = db.ExecContext(ctx, "ROLLBACK")
	return err
}

// CreateOwnerOnly makes path an empty file readable by its owner only, unless it
// exists. SQLite takes an empty file as a new database and gives its journal and
// write-ahead log the database file's permissions, so reports, reporters and tokens
// are never readable by the PC's other accounts; VACUUM INTO accepts an empty
// target too, so backups are made the same way.
func CreateOwnerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
