// Package hub is the hub side of LAPOR Desk sync: the hub's SQLite store (events
// numbered in one canonical order, each unit's feed, devices, attachments,
// reference data) and its HTTP server. cmd/lapordesk-server is a thin shell around
// it.
package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/storage"
	"github.com/lapordesk/lapordesk/sync/wire"
)

//go:embed schema.sql
var schema string

// schemaVersion is the schema this program writes.
const schemaVersion = 1

// applicationID marks a SQLite file as a LAPOR Desk hub ("LAPH").
const applicationID = 0x4C415048

// Store is the hub's data file. It is safe for concurrent use: one writer
// connection, a pool of readers.
type Store struct {
	path string
	w, r *sql.DB
	now  func() time.Time
	id   string // the hub's identity, made when the file was created

	mu      sync.Mutex // guards refData and refETag
	refData *wire.RefData
	refETag string
}

// Option configures Open.
type Option func(*Store)

// WithClock sets the hub's clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the hub file at path, creating it with the built-in reference data
// (categories, holidays, SLA policy) when new. A file that is not a hub, or from a
// newer program, is refused and left untouched.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open hub %s: %w", path, storage.Classify(err))
		}
	}
	var err error
	if s.w, err = sql.Open("sqlite", storage.DSN(path, false)); err != nil {
		return nil, fmt.Errorf("open hub %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetConnMaxLifetime(0)
	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("open hub %s: %w", path, err)
	}
	if s.r, err = sql.Open("sqlite", storage.DSN(path, true)); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("open hub %s: %w", path, err)
	}
	s.r.SetMaxOpenConns(4)
	if err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'hub_id'").Scan(&s.id); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub %s: %w", path, storage.Classify(err))
	}
	return s, nil
}

// Close closes the file.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		_, _ = s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// ID returns the hub's identity: desks remember it at enrolment and refuse to sync
// with a different hub behind the same address.
func (s *Store) ID() string { return s.id }

// Path returns the file the hub was opened from.
func (s *Store) Path() string { return s.path }

func (s *Store) migrate(ctx context.Context) error {
	var version, appID int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return storage.Classify(err)
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return storage.Classify(err)
	}
	switch {
	case appID != 0 && appID != applicationID:
		return fmt.Errorf("not a LAPOR Desk hub file: %w", storage.ErrNotStore)
	case version > schemaVersion:
		return fmt.Errorf("schema version %d, this program knows up to %d: %w", version, schemaVersion, storage.ErrNewerSchema)
	case version == schemaVersion:
		return nil
	}
	var n int
	if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return storage.Classify(err)
	}
	if n > 0 {
		return fmt.Errorf("not a LAPOR Desk hub file: %w", storage.ErrNotStore)
	}
	seed, err := defaultRefData()
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.ExecContext(ctx, schema); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
		if _, err := t.exec("INSERT INTO meta (key, value) VALUES ('hub_id', ?)", randomHex(16)); err != nil {
			return err
		}
		if err := putRefData(t, seed); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion))
		return err
	})
}

// tx is a write transaction that reuses prepared statements across a batch.
type tx struct {
	*sql.Tx
	ctx   context.Context
	stmts map[string]*sql.Stmt
}

func (t *tx) prepared(q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	st, err := t.PrepareContext(t.ctx, q)
	if err == nil {
		t.stmts[q] = st
	}
	return st, err
}

func (t *tx) exec(q string, args ...any) (sql.Result, error) {
	st, err := t.prepared(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

func (t *tx) QueryContext(_ context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.prepared(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

func (t *tx) QueryRowContext(_ context.Context, q string, args ...any) *sql.Row {
	st, err := t.prepared(q)
	if err != nil {
		return t.Tx.QueryRowContext(t.ctx, q, args...) // surfaces err through Scan
	}
	return st.QueryRowContext(t.ctx, args...)
}

// write runs fn in one write transaction: all of it commits, or none.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return storage.Classify(err)
	}
	t := &tx{Tx: sqlTx, ctx: ctx, stmts: map[string]*sql.Stmt{}}
	err = fn(t)
	for _, st := range t.stmts {
		st.Close()
	}
	if err != nil {
		_ = sqlTx.Rollback()
		return storage.Classify(err)
	}
	return storage.Classify(sqlTx.Commit())
}

// querier is what reads need: the reader pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// --- units ---

// PutUnit adds a unit, or renames it.
func (s *Store) PutUnit(ctx context.Context, u lapordesk.Unit) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("unit: %w", err)
	}
	err := s.write(ctx, func(t *tx) error {
		_, err := t.exec(`INSERT INTO units (code, name, coordinator) VALUES (?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, coordinator = excluded.coordinator`, u.Code, u.Name, u.Coordinator)
		return err
	})
	if err != nil {
		return fmt.Errorf("save unit %s: %w", u.Code, err)
	}
	s.forgetRefData()
	return nil
}

// Units returns the registered units by code.
func (s *Store) Units(ctx context.Context) ([]lapordesk.Unit, error) { return units(ctx, s.r) }

func units(ctx context.Context, q querier) ([]lapordesk.Unit, error) {
	rows, err := q.QueryContext(ctx, "SELECT code, name, coordinator FROM units ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("read units: %w", storage.Classify(err))
	}
	defer rows.Close()
	out := []lapordesk.Unit{}
	for rows.Next() {
		var u lapordesk.Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.Coordinator); err != nil {
			return nil, fmt.Errorf("read units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func unitByCode(ctx context.Context, q querier, code string) (lapordesk.Unit, error) {
	u := lapordesk.Unit{Code: code}
	err := q.QueryRowContext(ctx, "SELECT name, coordinator FROM units WHERE code = ?", code).Scan(&u.Name, &u.Coordinator)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("unit %q is not registered on this hub (lapordesk-server unit add): %w", code, lapordesk.ErrNotFound)
	}
	return u, err
}

// --- reference data ---

var refKeys = []string{"categories", "holidays", "weekend", "policy"}

func defaultRefData() (wire.RefData, error) {
	rd := wire.RefData{Weekend: []time.Weekday{time.Saturday, time.Sunday}, Policy: lapordesk.DefaultPolicy()}
	var err error
	if rd.Categories, err = assets.DefaultCategories(); err != nil {
		return rd, err
	}
	if rd.Holidays, err = assets.DefaultHolidays(); err != nil {
		return rd, err
	}
	return rd, nil
}

// RefData returns the reference data the hub distributes and its version (an ETag).
func (s *Store) RefData(ctx context.Context) (wire.RefData, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refData != nil {
		return *s.refData, s.refETag, nil
	}
	var rd wire.RefData
	vals := map[string]any{"categories": &rd.Categories, "holidays": &rd.Holidays, "weekend": &rd.Weekend, "policy": &rd.Policy}
	for _, k := range refKeys {
		var b []byte
		if err := s.r.QueryRowContext(ctx, "SELECT value FROM refdata WHERE key = ?", k).Scan(&b); err != nil {
			return rd, "", fmt.Errorf("read reference data %s: %w", k, storage.Classify(err))
		}
		if err := json.Unmarshal(b, vals[k]); err != nil {
			return rd, "", fmt.Errorf("reference data %s is damaged: %v: %w", k, err, lapordesk.ErrInvalid)
		}
	}
	var err error
	if rd.Units, err = units(ctx, s.r); err != nil {
		return rd, "", err
	}
	b, err := json.Marshal(rd)
	if err != nil {
		return rd, "", err
	}
	s.refData, s.refETag = &rd, `"`+hashHex(b)[:32]+`"`
	return rd, s.refETag, nil
}

func (s *Store) forgetRefData() {
	s.mu.Lock()
	s.refData = nil
	s.mu.Unlock()
}

// SetRefData checks and replaces the distributed reference data. Units in it are
// added or renamed; units not in it stay registered.
func (s *Store) SetRefData(ctx context.Context, rd wire.RefData) error {
	if _, err := lapordesk.NewCategoryTree(rd.Categories); err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	for _, h := range rd.Holidays {
		if err := h.Validate(); err != nil {
			return fmt.Errorf("holiday %s: %w", h.Date, err)
		}
	}
	if err := rd.Policy.Validate(); err != nil {
		return fmt.Errorf("SLA policy: %w", err)
	}
	if len(rd.Weekend) > 3 {
		return &lapordesk.FieldError{Field: "weekend", Problem: lapordesk.ProblemTooLong, Limit: 3, Length: len(rd.Weekend)}
	}
	for _, d := range rd.Weekend {
		if d < time.Sunday || d > time.Saturday {
			return &lapordesk.FieldError{Field: "weekend", Problem: lapordesk.ProblemRange, Value: fmt.Sprint(int(d))}
		}
	}
	for _, u := range rd.Units {
		if err := u.Validate(); err != nil {
			return fmt.Errorf("unit %s: %w", u.Code, err)
		}
	}
	sort.Slice(rd.Holidays, func(i, j int) bool { return rd.Holidays[i].Date.Before(rd.Holidays[j].Date) })
	err := s.write(ctx, func(t *tx) error {
		for _, u := range rd.Units {
			if _, err := t.exec(`INSERT INTO units (code, name, coordinator) VALUES (?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, coordinator = excluded.coordinator`, u.Code, u.Name, u.Coordinator); err != nil {
				return err
			}
		}
		return putRefData(t, rd)
	})
	if err != nil {
		return fmt.Errorf("save reference data: %w", err)
	}
	s.forgetRefData()
	return nil
}

func putRefData(t *tx, rd wire.RefData) error {
	if rd.Holidays == nil {
		rd.Holidays = []lapordesk.Holiday{}
	}
	if rd.Weekend == nil {
		rd.Weekend = []time.Weekday{}
	}
	vals := map[string]any{"categories": rd.Categories, "holidays": rd.Holidays, "weekend": rd.Weekend, "policy": rd.Policy}
	for _, k := range refKeys {
		b, err := json.Marshal(vals[k])
		if err != nil {
			return err
		}
		if _, err := t.exec("INSERT INTO refdata (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, b); err != nil {
			return fmt.Errorf("write reference data %s: %w", k, err)
		}
	}
	return nil
}
