// Package storage keeps LAPOR Desk's data in one SQLite file (modernc.org/sqlite, pure
// Go): the append-only event log, the projections the screens read (written in the
// same transaction as the events), full-text search, reference data, counters, the
// sync outbox and cursor, and attachment contents.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // office zones must resolve on Windows, which ships no zone database

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// applicationID marks a SQLite file as a LAPOR Desk store ("LAPD").
const applicationID = 0x4C415044

// Errors beyond the domain's sentinels, for conditions of the file itself.
var (
	// ErrNewerSchema: the file was written by a newer LAPOR Desk; it is left untouched.
	ErrNewerSchema = errors.New("data file is from a newer version of LAPOR Desk")
	// ErrNotStore: the file is not a LAPOR Desk store.
	ErrNotStore = errors.New("not a LAPOR Desk data file")
	// ErrDiskFull: the disk is full; the transaction was rolled back.
	ErrDiskFull = errors.New("disk full")
	// ErrLocked: another program holds the file.
	ErrLocked = errors.New("data file is locked by another program")
	// ErrReadOnly: the file or its folder cannot be written.
	ErrReadOnly = errors.New("data file is read-only")
)

// Store is an open LAPOR Desk data file. It is safe for concurrent use: reads go
// through a small pool, writes through a single connection, one transaction at a time.
type Store struct {
	path string
	w    *sql.DB // the one writer
	r    *sql.DB // readers
	now  func() time.Time

	mu  sync.RWMutex // guards ref
	ref *refData
}

// Option configures Open.
type Option func(*Store)

// WithClock sets the store's clock (tests, demo data, training scenarios).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the store at path, creating it (and its folder) if needed, and applies
// pending migrations. A file from a newer version, or a file that is not a LAPOR Desk
// store, is refused with a clear error and left untouched.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if err := checkExisting(ctx, path); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open store: create folder %s: %w", dir, classify(err))
		}
	}
	var err error
	s.w, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		return nil, err
	}
	s.r, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	n := runtime.NumCPU()
	if n > 4 {
		n = 4
	}
	s.r.SetMaxOpenConns(n)
	s.r.SetMaxIdleConns(n)
	if err := s.seed(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.loadRef(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

// Close closes the store.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		// Fold the WAL back into the main file so a copied .db is complete.
		_, _ = s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// dsn builds a modernc.org/sqlite connection string. Writers take the write lock at
// BEGIN (immediate), so two writers never deadlock upgrading read locks.
func dsn(path string, readOnly bool) string {
	q := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(FULL)", // offices lose power: a committed report must survive it
	}
	if readOnly {
		q = append(q, "_pragma=query_only(1)", "_pragma=cache_size(-16384)")
	} else {
		// A large page cache keeps a big batch (demo data, imports, a sync page)
		// from spilling dirty index pages to the WAL mid-transaction.
		q = append(q, "_pragma=journal_mode(WAL)", "_txlock=immediate", "_pragma=cache_size(-65536)", "_pragma=temp_store(memory)")
	}
	return fileURI(path) + "?" + strings.Join(q, "&")
}

// fileURI turns a path into an SQLite file: URI (without parameters).
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // file:/C:/Users/... on Windows
	}
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(p)
}

// checkExisting looks at an existing file without changing it: it must be a SQLite
// file marked as ours (or an empty one), of a schema version this program knows.
func checkExisting(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, classify(err))
	}
	if st.IsDir() {
		return fmt.Errorf("open store %s: is a folder: %w", path, ErrNotStore)
	}
	if st.Size() == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, classify(err))
	}
	head := make([]byte, 100)
	n, _ := f.Read(head)
	f.Close()
	if n < 100 || string(head[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("open store %s: %w", path, ErrNotStore)
	}
	// The header's application ID and version may still sit in the write-ahead log
	// of a store another program has open, so ask SQLite, read-only.
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer db.Close()
	var appID int64
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("open store %s: %w", path, classify(err))
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("open store %s: %w", path, classify(err))
	}
	if appID != applicationID {
		return fmt.Errorf("open store %s: %w", path, ErrNotStore)
	}
	if latest := len(migrations()); version > latest {
		return fmt.Errorf("open store %s: schema version %d, this program knows up to %d: %w", path, version, latest, ErrNewerSchema)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			continue
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			continue
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() int { return len(migrations()) }

// migrate applies each pending migration in its own transaction, recording the
// version in the same transaction, so a crash leaves either the old or the new schema.
func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("open store %s: read schema version: %w", s.path, classify(err))
	}
	var appID int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("open store %s: read application id: %w", s.path, classify(err))
	}
	if appID != 0 && appID != applicationID {
		return fmt.Errorf("open store %s: %w", s.path, ErrNotStore)
	}
	ms := migrations()
	if version > len(ms) {
		return fmt.Errorf("open store %s: schema version %d, this program knows up to %d: %w", s.path, version, len(ms), ErrNewerSchema)
	}
	if version == 0 {
		// A new file must be empty: never stamp our mark on someone else's database.
		var n int
		if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
			return fmt.Errorf("open store %s: %w", s.path, classify(err))
		}
		if n > 0 {
			return fmt.Errorf("open store %s: %w", s.path, ErrNotStore)
		}
	}
	for _, m := range ms {
		if m.version <= version {
			continue
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("open store %s: %w", s.path, err)
		}
	}
	return nil
}

// tx runs fn in one write transaction: everything fn writes commits together or not
// at all.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return classify(err)
	}
	if err := tx.Commit(); err != nil {
		return classify(err)
	}
	return nil
}

// classify wraps SQLite and OS errors that users must understand in the sentinels
// above, keeping the original for the log.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("%w: %w", ErrDiskFull, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %w", ErrLocked, err)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return fmt.Errorf("%w: %w", ErrReadOnly, err)
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %w", ErrNotStore, err)
		}
		return err
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	return err
}
