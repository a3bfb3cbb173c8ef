// Package storage keeps LAPOR Desk's data in one SQLite file (modernc.org/sqlite, pure
// Go): the append-only event log, the projections the screens read (written in the
// same transaction as the events), full-text search, reference data, counters, the
// sync outbox and cursor, and attachment contents.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // office zones must resolve on Windows, which ships no zone database

	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// applicationID marks a SQLite file as a LAPOR Desk store ("LAPD").
const applicationID = 0x4C415044

// Store is an open LAPOR Desk data file. It is safe for concurrent use: reads go
// through a small pool, writes through a single connection, one transaction at a time.
type Store struct {
	path string
	db   *sqlitedb.DB
	w    *sql.DB // the one writer (db.W)
	r    *sql.DB // readers (db.R)
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
	db, err := sqlitedb.Open(ctx, path, fileConfig())
	if err != nil {
		return nil, err
	}
	s.db, s.w, s.r = db, db.W, db.R
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
func (s *Store) Close() error { return s.db.Close() }

// fileConfig describes the desk's data file to sqlitedb.
func fileConfig() sqlitedb.Config {
	return sqlitedb.Config{Name: "store", AppID: applicationID, Migrations: migrations()}
}

// migrations are the embedded migrations/NNNN_name.sql files.
func migrations() []sqlitedb.Migration {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil
	}
	var out []sqlitedb.Migration
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
		out = append(out, sqlitedb.Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	return out
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() int { return fileConfig().Latest() }

// tx runs fn in one write transaction: everything fn writes commits together or not
// at all.
func (s *Store) tx(ctx context.Context, fn func(*sqlitedb.Tx) error) error {
	return s.db.Write(ctx, fn)
}
