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
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
	"github.com/lapordesk/lapordesk/sync/wire"
)

//go:embed schema.sql
var schema string

//go:embed migrate_0002_upload_chunks.sql
var migrateUploadChunks string

//go:embed migrate_0003_epoch.sql
var migrateEpoch string

//go:embed migrate_0004_quarantine.sql
var migrateQuarantine string

// applicationID marks a SQLite file as a LAPOR Desk hub ("LAPH").
const applicationID = 0x4C415048

// Store is the hub's data file. It is safe for concurrent use: one writer
// connection, a pool of readers.
type Store struct {
	path string
	db   *sqlitedb.DB
	w, r *sql.DB // db.W, db.R
	now  func() time.Time
	id   string // the hub's identity, made when the file was created

	epochMu sync.Mutex // guards epoch and high
	epoch   string     // changes when the file went back in time
	high    int64      // the highest event number this file has reached, as recorded beside it

	mu         sync.Mutex // guards refData, refETag and refVersion
	refData    *wire.RefData
	refETag    string
	refVersion int64 // the file's refdata_version that refData was read at
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
	db, err := sqlitedb.Open(ctx, path, fileConfig())
	if err != nil {
		return nil, err
	}
	s.db, s.w, s.r = db, db.W, db.R
	if err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'hub_id'").Scan(&s.id); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub %s: %w", path, sqlitedb.Classify(err))
	}
	if err := s.checkEpoch(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub %s: %w", path, err)
	}
	return s, nil
}

// highPath is the file beside the hub's that records the highest event number
// the hub has reached: a hub file that is behind it was restored from an older
// copy, however it was copied in.
func (s *Store) highPath() string { return s.path + ".highwater" }

// checkEpoch reads the epoch, and starts a new one when the file is behind the
// highest event number recorded beside it.
func (s *Store) checkEpoch(ctx context.Context) error {
	var maxSeq int64
	if err := s.r.QueryRowContext(ctx, "SELECT COALESCE(max(seq), 0) FROM events").Scan(&maxSeq); err != nil {
		return sqlitedb.Classify(err)
	}
	high := maxSeq
	if b, err := os.ReadFile(s.highPath()); err == nil {
		if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v > maxSeq {
			if err := s.NewEpoch(ctx); err != nil {
				return err
			}
		}
	}
	if err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'epoch'").Scan(&s.epoch); err != nil {
		return sqlitedb.Classify(err)
	}
	s.high = -1
	return s.recordHigh(high)
}

// NewEpoch starts a new epoch: desks re-offer their events and read their feed
// again. A restore does it; so does a hub file found behind its high-water mark.
func (s *Store) NewEpoch(ctx context.Context) error {
	epoch := randomHex(16)
	err := s.write(ctx, func(t *tx) error {
		_, err := t.Exec("INSERT INTO meta (key, value) VALUES ('epoch', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", epoch)
		return err
	})
	if err != nil {
		return fmt.Errorf("new epoch: %w", err)
	}
	s.epochMu.Lock()
	s.epoch = epoch
	s.epochMu.Unlock()
	return nil
}

// Epoch is the hub's epoch (wire.HeaderEpoch).
func (s *Store) Epoch() string {
	s.epochMu.Lock()
	defer s.epochMu.Unlock()
	return s.epoch
}

// recordHigh notes beside the file that the hub reached event n (written to a
// temporary name, then renamed, so a power cut leaves the old mark or the new).
func (s *Store) recordHigh(n int64) error {
	s.epochMu.Lock()
	defer s.epochMu.Unlock()
	if n <= s.high {
		return nil
	}
	tmp := s.highPath() + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatInt(n, 10)+"\n"), 0o600); err != nil {
		return fmt.Errorf("record the high-water mark: %w", err)
	}
	if err := os.Rename(tmp, s.highPath()); err != nil {
		return fmt.Errorf("record the high-water mark: %w", err)
	}
	s.high = n
	return nil
}

// Backup writes a consistent copy of the hub's file to dst (which must not exist),
// while the hub serves.
func (s *Store) Backup(ctx context.Context, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup %s: the file exists: %w", dst, lapordesk.ErrConflict)
	}
	tmp := dst + ".tmp"
	os.Remove(tmp) // a copy an earlier attempt left
	if err := sqlitedb.CreateOwnerOnly(tmp); err != nil {
		return fmt.Errorf("backup %s: %w", dst, sqlitedb.Classify(err))
	}
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup %s: %w", dst, sqlitedb.Classify(err))
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup %s: %w", dst, sqlitedb.Classify(err))
	}
	return nil
}

// Restore puts the hub file at src in place of the one at path (kept aside as
// path.before-restore-TIME), with a new epoch. The hub must not be serving.
func Restore(ctx context.Context, src, path string, now time.Time) (aside string, err error) {
	if err := sqlitedb.Check(ctx, src, fileConfig()); err != nil {
		return "", fmt.Errorf("restore from %s: %w", src, err)
	}
	if _, err := os.Stat(src); err != nil {
		return "", fmt.Errorf("restore from %s: %w", src, sqlitedb.Classify(err))
	}
	tmp := path + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("restore from %s: %w", src, sqlitedb.Classify(err))
	}
	if _, err := os.Stat(path); err == nil {
		if err := sqlitedb.EnsureClosed(ctx, path); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("restore: stop the hub first: %w", err)
		}
		aside = path + ".before-restore-" + now.UTC().Format("20060102-150405")
		if err := os.Rename(path, aside); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("restore: keep the current file aside: %w", err)
		}
		for _, x := range []string{"-wal", "-shm"} {
			_ = os.Rename(path+x, aside+x)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return aside, fmt.Errorf("restore: %w", err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		return aside, fmt.Errorf("restore: the copy does not open: %w", err)
	}
	defer st.Close()
	return aside, st.NewEpoch(ctx)
}

// fileConfig describes the hub's file to sqlitedb: one schema, created with the
// hub's identity and the built-in reference data in the same transaction.
func fileConfig() sqlitedb.Config {
	return sqlitedb.Config{Name: "hub", AppID: applicationID, Readers: 4, Migrations: []sqlitedb.Migration{
		{Version: 1, Name: "schema.sql", SQL: schema, Go: func(t *tx) error {
			seed, err := defaultRefData()
			if err != nil {
				return err
			}
			if _, err := t.Exec("INSERT INTO meta (key, value) VALUES ('hub_id', ?)", randomHex(16)); err != nil {
				return err
			}
			return putRefData(t, seed)
		}},
		{Version: 2, Name: "migrate_0002_upload_chunks.sql", SQL: migrateUploadChunks},
		{Version: 3, Name: "migrate_0003_epoch.sql", SQL: migrateEpoch},
		{Version: 4, Name: "migrate_0004_quarantine.sql", SQL: migrateQuarantine},
	}}
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// ID returns the hub's identity: desks remember it at enrolment and refuse to sync
// with a different hub behind the same address.
func (s *Store) ID() string { return s.id }

// Path returns the file the hub was opened from.
func (s *Store) Path() string { return s.path }

// tx is a write transaction that reuses prepared statements across a batch.
type tx = sqlitedb.Tx

// write runs fn in one write transaction: all of it commits, or none.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error { return s.db.Write(ctx, fn) }

// querier is what reads need: the reader pool or a write transaction.
type querier = sqlitedb.Querier

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
		_, err := t.Exec(`INSERT INTO units (code, name, coordinator) VALUES (?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, coordinator = excluded.coordinator`, u.Code, u.Name, u.Coordinator)
		if err != nil {
			return err
		}
		return bumpRefVersion(t)
	})
	if err != nil {
		return fmt.Errorf("save unit %s: %w", u.Code, err)
	}
	return nil
}

// Units returns the registered units by code.
func (s *Store) Units(ctx context.Context) ([]lapordesk.Unit, error) { return units(ctx, s.r) }

func units(ctx context.Context, q querier) ([]lapordesk.Unit, error) {
	rows, err := q.QueryContext(ctx, "SELECT code, name, coordinator FROM units ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("read units: %w", sqlitedb.Classify(err))
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
	// The file says which version of the reference data it holds: another process
	// (lapordesk-server refdata import, unit add) may have changed it, and a desk
	// must get what is in the file, always.
	var version int64
	if err := s.r.QueryRowContext(ctx, "SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'refdata_version'), 0)").Scan(&version); err != nil {
		return wire.RefData{}, "", fmt.Errorf("read reference data version: %w", sqlitedb.Classify(err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refData != nil && s.refVersion == version {
		return *s.refData, s.refETag, nil
	}
	var rd wire.RefData
	vals := map[string]any{"categories": &rd.Categories, "holidays": &rd.Holidays, "weekend": &rd.Weekend, "policy": &rd.Policy}
	for _, k := range refKeys {
		var b []byte
		if err := s.r.QueryRowContext(ctx, "SELECT value FROM refdata WHERE key = ?", k).Scan(&b); err != nil {
			return rd, "", fmt.Errorf("read reference data %s: %w", k, sqlitedb.Classify(err))
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
	s.refData, s.refETag, s.refVersion = &rd, `"`+hashHex(b)[:32]+`"`, version
	return rd, s.refETag, nil
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
	if err := lapordesk.ValidateWeekend(rd.Weekend); err != nil {
		return err
	}
	for _, u := range rd.Units {
		if err := u.Validate(); err != nil {
			return fmt.Errorf("unit %s: %w", u.Code, err)
		}
	}
	sort.Slice(rd.Holidays, func(i, j int) bool { return rd.Holidays[i].Date.Before(rd.Holidays[j].Date) })
	err := s.write(ctx, func(t *tx) error {
		for _, u := range rd.Units {
			if _, err := t.Exec(`INSERT INTO units (code, name, coordinator) VALUES (?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, coordinator = excluded.coordinator`, u.Code, u.Name, u.Coordinator); err != nil {
				return err
			}
		}
		return putRefData(t, rd)
	})
	if err != nil {
		return fmt.Errorf("save reference data: %w", err)
	}
	return nil
}

// bumpRefVersion marks, in the file, that its reference data changed.
func bumpRefVersion(t *tx) error {
	_, err := t.Exec(`INSERT INTO meta (key, value) VALUES ('refdata_version', '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`)
	return err
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
		if _, err := t.Exec("INSERT INTO refdata (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, b); err != nil {
			return fmt.Errorf("write reference data %s: %w", k, err)
		}
	}
	return bumpRefVersion(t)
}

// copyFile copies src to dst and flushes it to the disk.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
