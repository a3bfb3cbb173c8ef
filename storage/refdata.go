package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// DefaultTimezone is used until the profile names the office's zone: Kabupaten Barru
// (and all of Sulawesi) keeps WITA.
const DefaultTimezone = "Asia/Makassar"

// Setting keys kept by the store itself.
const (
	keyProfile = "profile"
	keyPolicy  = "policy"
	keyWeekend = "weekend"
	// keyRefOwner says who owns the reference data: "" this desk, ownerHub the hub
	// it is enrolled with.
	keyRefOwner = "refdata_owner"
	ownerHub    = "hub"
	// keyAgendaPrefix is what this desk's agenda numbers start with (agendaPrefix).
	keyAgendaPrefix = "agenda_prefix"
)

// HubOwned reports whether the reference data is the hub's: the desk is enrolled,
// and its own edits of holidays, the weekend, the SLA policy and units are refused
// (ErrHubOwned).
func (s *Store) HubOwned() bool { return s.refs().hubOwned }

// agendaPrefix is what the agenda numbers this desk issues start with: its unit's
// code, and for the second and later desks of a unit its number among them
// (DINKES.2), so two desks numbering offline never issue the same number. The
// coordinator registers a report for another unit in its own agenda book. "" before
// setup.
func (r *refData) agendaPrefix() string {
	switch {
	case r.prefix != "":
		return r.prefix
	case r.profile != nil:
		return r.profile.UnitCode
	}
	return ""
}

// SetDeskNumber sets this desk's number among its unit's desks (from the hub, at
// enrolment): from then on its agenda numbers carry it when it is 2 or more.
func (s *Store) SetDeskNumber(ctx context.Context, n int) error {
	p := s.refs().profile
	if p == nil {
		return fmt.Errorf("desk number: %w", lapordesk.ErrNotFound)
	}
	prefix := p.UnitCode
	if n > 1 {
		prefix = fmt.Sprintf("%s.%d", p.UnitCode, n)
	}
	if err := s.tx(ctx, func(tx *sqlitedb.Tx) error { return putSetting(ctx, tx, keyAgendaPrefix, prefix) }); err != nil {
		return fmt.Errorf("desk number: %w", err)
	}
	return s.loadRef(ctx)
}

// ownEdit refuses a desk's own edit of reference data the hub owns.
func (s *Store) ownEdit(what string) error {
	if s.refs().hubOwned {
		return fmt.Errorf("%s: %w", what, lapordesk.ErrHubOwned)
	}
	return nil
}

// refData is the configuration the write and read paths need on every call, cached
// in memory and reloaded after each change.
type refData struct {
	hubOwned bool   // enrolled: the reference data is the hub's (ErrHubOwned)
	prefix   string // of this desk's agenda numbers; "": the profile's unit
	profile  *lapordesk.Profile
	cal      *lapordesk.Calendar
	policy   lapordesk.Policy
	cats     *lapordesk.CategoryTree
	units    map[string]lapordesk.Unit
}

func (s *Store) refs() *refData {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ref
}

// seed fills a new store with the built-in reference data: the category tree, the
// units, the holiday calendar and the default SLA policy.
func (s *Store) seed(ctx context.Context) error {
	return s.tx(ctx, func(tx *sqlitedb.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM categories").Scan(&n); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if n == 0 {
			cats, err := assets.DefaultCategories()
			if err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			if err := replaceCategories(ctx, tx, cats); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM units").Scan(&n); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if n == 0 {
			units, err := assets.DefaultUnits()
			if err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			for _, u := range units {
				if err := putUnit(ctx, tx, u); err != nil {
					return fmt.Errorf("seed: %w", err)
				}
			}
		}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE key = ?", keyPolicy).Scan(&n); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if n == 0 {
			hols, err := assets.DefaultHolidays()
			if err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			for _, h := range hols {
				if err := putHoliday(ctx, tx, h); err != nil {
					return fmt.Errorf("seed: %w", err)
				}
			}
			if err := putSetting(ctx, tx, keyPolicy, lapordesk.DefaultPolicy()); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		return nil
	})
}

// loadRef reads the configuration into the cache.
func (s *Store) loadRef(ctx context.Context) error {
	ref, err := s.readRef(ctx, s.w)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.ref = ref
	s.mu.Unlock()
	return nil
}

func (s *Store) readRef(ctx context.Context, q sqlitedb.Querier) (*refData, error) {
	ref := &refData{units: map[string]lapordesk.Unit{}}
	var p lapordesk.Profile
	switch err := getSetting(ctx, q, keyProfile, &p); {
	case err == nil:
		ref.profile = &p
	case !errors.Is(err, lapordesk.ErrNotFound):
		return nil, err
	}
	var owner string
	if err := getSetting(ctx, q, keyRefOwner, &owner); err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
		return nil, err
	}
	ref.hubOwned = owner == ownerHub
	if err := getSetting(ctx, q, keyAgendaPrefix, &ref.prefix); err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
		return nil, err
	}
	ref.policy = lapordesk.DefaultPolicy()
	if err := getSetting(ctx, q, keyPolicy, &ref.policy); err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
		return nil, err
	}
	tz := DefaultTimezone
	if ref.profile != nil && ref.profile.Timezone != "" {
		tz = ref.profile.Timezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("load time zone %q: %w", tz, lapordesk.ErrInvalid)
	}
	hols, err := holidays(ctx, q)
	if err != nil {
		return nil, err
	}
	ref.cal = lapordesk.NewCalendar(loc, hols)
	var weekend []time.Weekday
	if err := getSetting(ctx, q, keyWeekend, &weekend); err == nil {
		ref.cal.Weekend = weekend
	}
	cats, err := categories(ctx, q)
	if err != nil {
		return nil, err
	}
	if ref.cats, err = lapordesk.NewCategoryTree(cats); err != nil {
		return nil, fmt.Errorf("category tree: %w", err)
	}
	rows, err := q.QueryContext(ctx, "SELECT code, name, coordinator FROM units ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("read units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u lapordesk.Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.Coordinator); err != nil {
			return nil, fmt.Errorf("read units: %w", err)
		}
		ref.units[u.Code] = u
	}
	return ref, rows.Err()
}

// --- settings ---

// Units returns every known unit, by code.
func (s *Store) Units() []lapordesk.Unit {
	ref := s.refs()
	out := make([]lapordesk.Unit, 0, len(ref.units))
	for _, u := range ref.units {
		out = append(out, u)
	}
	sortUnits(out)
	return out
}

// Unit returns the unit with code.
func (s *Store) Unit(code string) (lapordesk.Unit, bool) {
	u, ok := s.refs().units[code]
	return u, ok
}

// PutUnit adds or renames a unit.
func (s *Store) PutUnit(ctx context.Context, u lapordesk.Unit) error {
	if err := s.ownEdit("save unit " + u.Code); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return fmt.Errorf("unit: %w", err)
	}
	if err := s.tx(ctx, func(tx *sqlitedb.Tx) error { return putUnit(ctx, tx, u) }); err != nil {
		return fmt.Errorf("save unit %s: %w", u.Code, err)
	}
	return s.loadRef(ctx)
}

func putUnit(ctx context.Context, tx *sqlitedb.Tx, u lapordesk.Unit) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, coordinator) VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, coordinator = excluded.coordinator`, u.Code, u.Name, u.Coordinator)
	if err != nil {
		return fmt.Errorf("write unit %s: %w", u.Code, err)
	}
	return nil
}

func sortUnits(us []lapordesk.Unit) {
	sort.Slice(us, func(i, j int) bool { return us[i].Code < us[j].Code })
}

// --- categories ---

// Categories returns the category tree.
func (s *Store) Categories() *lapordesk.CategoryTree { return s.refs().cats }

func replaceCategories(ctx context.Context, tx *sqlitedb.Tx, cats []lapordesk.Category) error {
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM categories"); err != nil {
		return err
	}
	for i, c := range cats {
		var parent any
		if c.ParentID != "" {
			parent = c.ParentID
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO categories (id, parent_id, name, position) VALUES (?, ?, ?, ?)", c.ID, parent, c.Name, i); err != nil {
			return fmt.Errorf("write category %s: %w", c.ID, err)
		}
	}
	return nil
}

func categories(ctx context.Context, q sqlitedb.Querier) ([]lapordesk.Category, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, COALESCE(parent_id, ''), name FROM categories ORDER BY position")
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	defer rows.Close()
	var out []lapordesk.Category
	for rows.Next() {
		var c lapordesk.Category
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			return nil, fmt.Errorf("read categories: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// --- holidays and policy ---

// Calendar returns the working-day calendar.
func (s *Store) Calendar() *lapordesk.Calendar { return s.refs().cal }

// Policy returns the SLA policy.
func (s *Store) Policy() lapordesk.Policy { return s.refs().policy }

// Holidays returns the holidays in date order.
func (s *Store) Holidays() []lapordesk.Holiday { return s.refs().cal.Holidays() }

// AddHoliday adds (or renames) a holiday; every open report's deadline moves with it.
func (s *Store) AddHoliday(ctx context.Context, h lapordesk.Holiday) error {
	if err := s.ownEdit("add holiday"); err != nil {
		return err
	}
	if h.Kind == "" {
		h.Kind = lapordesk.HolidayNational
	}
	if err := h.Validate(); err != nil {
		return fmt.Errorf("holiday: %w", err)
	}
	return s.changeCalendar(ctx, "add holiday "+h.Date.String(), func(tx *sqlitedb.Tx) error { return putHoliday(ctx, tx, h) })
}

// RemoveHoliday removes the holiday on d.
func (s *Store) RemoveHoliday(ctx context.Context, d lapordesk.Date) error {
	if err := s.ownEdit("remove holiday"); err != nil {
		return err
	}
	return s.changeCalendar(ctx, "remove holiday "+d.String(), func(tx *sqlitedb.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM holidays WHERE date = ?", d.String())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no holiday on %s: %w", d, lapordesk.ErrNotFound)
		}
		return nil
	})
}

func (s *Store) changeCalendar(ctx context.Context, what string, fn func(*sqlitedb.Tx) error) error {
	err := s.tx(ctx, func(tx *sqlitedb.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		ref, err := s.readRef(ctx, tx)
		if err != nil {
			return err
		}
		return s.reschedule(ctx, tx, func(r *refData) { r.cal = ref.cal })
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return s.loadRef(ctx)
}

// SetPolicy stores the SLA policy; every open report's deadline follows it.
func (s *Store) SetPolicy(ctx context.Context, p lapordesk.Policy) error {
	if err := s.ownEdit("save SLA policy"); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("SLA policy: %w", err)
	}
	err := s.tx(ctx, func(tx *sqlitedb.Tx) error {
		if err := putSetting(ctx, tx, keyPolicy, p); err != nil {
			return err
		}
		return s.reschedule(ctx, tx, func(r *refData) { r.policy = p })
	})
	if err != nil {
		return fmt.Errorf("save SLA policy: %w", err)
	}
	return s.loadRef(ctx)
}

func putHoliday(ctx context.Context, tx *sqlitedb.Tx, h lapordesk.Holiday) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO holidays (date, name, kind) VALUES (?, ?, ?)
		ON CONFLICT (date) DO UPDATE SET name = excluded.name, kind = excluded.kind`, h.Date.String(), h.Name, string(h.Kind))
	if err != nil {
		return fmt.Errorf("write holiday %s: %w", h.Date, err)
	}
	return nil
}

func holidays(ctx context.Context, q sqlitedb.Querier) ([]lapordesk.Holiday, error) {
	rows, err := q.QueryContext(ctx, "SELECT date, name, kind FROM holidays ORDER BY date")
	if err != nil {
		return nil, fmt.Errorf("read holidays: %w", err)
	}
	defer rows.Close()
	var out []lapordesk.Holiday
	for rows.Next() {
		var d, name, kind string
		if err := rows.Scan(&d, &name, &kind); err != nil {
			return nil, fmt.Errorf("read holidays: %w", err)
		}
		date, err := lapordesk.ParseDate(d)
		if err != nil {
			return nil, fmt.Errorf("read holidays: %w", err)
		}
		out = append(out, lapordesk.Holiday{Date: date, Name: name, Kind: lapordesk.HolidayKind(kind)})
	}
	return out, rows.Err()
}

// HubRefData is reference data as a hub distributes it. A nil or empty piece is
// left as the desk has it.
type HubRefData struct {
	Units      []lapordesk.Unit
	Categories []lapordesk.Category
	Holidays   []lapordesk.Holiday // the whole calendar
	Weekend    []time.Weekday
	Policy     *lapordesk.Policy
}

// ApplyHubRefData makes the desk's reference data the hub's, all of it in one
// transaction, checked first as the desk's own edits are, and marks it the hub's
// (HubOwned). It reports whether anything changed; deadlines follow at once.
func (s *Store) ApplyHubRefData(ctx context.Context, rd HubRefData) (bool, error) {
	var tree *lapordesk.CategoryTree
	if len(rd.Categories) > 0 {
		var err error
		if tree, err = lapordesk.NewCategoryTree(rd.Categories); err != nil {
			return false, fmt.Errorf("hub categories: %w", err)
		}
	}
	for _, u := range rd.Units {
		if err := u.Validate(); err != nil {
			return false, fmt.Errorf("hub unit %s: %w", u.Code, err)
		}
	}
	for _, h := range rd.Holidays {
		if err := h.Validate(); err != nil {
			return false, fmt.Errorf("hub holiday %s: %w", h.Date, err)
		}
	}
	if err := lapordesk.ValidateWeekend(rd.Weekend); err != nil {
		return false, fmt.Errorf("hub weekend: %w", err)
	}
	if rd.Policy != nil {
		if err := rd.Policy.Validate(); err != nil {
			return false, fmt.Errorf("hub SLA policy: %w", err)
		}
	}
	have := s.refs()
	changed, reproject, reschedule := !have.hubOwned, false, false
	err := s.tx(ctx, func(tx *sqlitedb.Tx) error {
		for _, u := range rd.Units {
			if cur, ok := have.units[u.Code]; ok && cur == u {
				continue
			}
			if err := putUnit(ctx, tx, u); err != nil {
				return err
			}
			changed = true
		}
		if tree != nil && !reflect.DeepEqual(have.cats.All(), rd.Categories) {
			if err := checkCategoriesKept(ctx, tx, tree); err != nil {
				return err
			}
			if err := replaceCategories(ctx, tx, rd.Categories); err != nil {
				return err
			}
			changed, reproject = true, true
		}
		if rd.Holidays != nil && !slices.Equal(have.cal.Holidays(), rd.Holidays) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM holidays"); err != nil {
				return err
			}
			for _, h := range rd.Holidays {
				if err := putHoliday(ctx, tx, h); err != nil {
					return err
				}
			}
			changed, reschedule = true, true
		}
		if rd.Weekend != nil && !slices.Equal(have.cal.Weekend, rd.Weekend) {
			if err := putSetting(ctx, tx, keyWeekend, rd.Weekend); err != nil {
				return err
			}
			changed, reschedule = true, true
		}
		if rd.Policy != nil && !reflect.DeepEqual(have.policy, *rd.Policy) {
			if err := putSetting(ctx, tx, keyPolicy, *rd.Policy); err != nil {
				return err
			}
			changed, reschedule = true, true
		}
		if err := putSetting(ctx, tx, keyRefOwner, ownerHub); err != nil {
			return err
		}
		ref, err := s.readRef(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case reproject: // category paths are in every projection and the search index
			return s.reprojectAll(ctx, tx, func(r *refData) { *r = *ref })
		case reschedule:
			return s.reschedule(ctx, tx, func(r *refData) { *r = *ref })
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("apply the hub's reference data: %w", err)
	}
	return changed, s.loadRef(ctx)
}

// checkCategoriesKept refuses a category tree that drops a category reports use.
func checkCategoriesKept(ctx context.Context, tx *sqlitedb.Tx, tree *lapordesk.CategoryTree) error {
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT category_id FROM reports WHERE category_id != ''")
	if err != nil {
		return err
	}
	var used []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		used = append(used, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range used {
		if _, ok := tree.Get(id); !ok {
			return fmt.Errorf("category %q is used by reports: %w", id, lapordesk.ErrConflict)
		}
	}
	return nil
}
