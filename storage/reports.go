package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// wtx is a write transaction (prepared statements reused across the rows of a
// batch) that also queues the search index's changes.
type wtx struct {
	*sqlitedb.Tx
	// fts queues search-index changes until the end of the transaction: FTS5
	// flushes its pending terms at every statement savepoint, so index writes
	// interleaved with other statements would cost a flush (and a merge) per row.
	fts []ftsOp
}

type ftsOp struct {
	del  bool
	rid  int64
	text [4]string // title, body, location_text, category_path
}

// flushFTS applies the queued search-index changes, in order.
func (t *wtx) flushFTS() error {
	for _, op := range t.fts {
		q := "INSERT INTO report_fts (rowid, title, body, location_text, category_path) VALUES (?, ?, ?, ?, ?)"
		if op.del {
			q = "INSERT INTO report_fts (report_fts, rowid, title, body, location_text, category_path) VALUES ('delete', ?, ?, ?, ?, ?)"
		}
		if _, err := t.Exec(q, op.rid, op.text[0], op.text[1], op.text[2], op.text[3]); err != nil {
			return fmt.Errorf("update search index: %w", err)
		}
	}
	t.fts = t.fts[:0]
	return nil
}

// write runs fn in one write transaction with statement reuse.
func (s *Store) write(ctx context.Context, fn func(*wtx) error) error {
	return s.db.Write(ctx, func(tx *sqlitedb.Tx) error {
		t := &wtx{Tx: tx}
		if err := fn(t); err != nil {
			return err
		}
		return t.flushFTS()
	})
}

// actor returns the unit and person acting on this desktop.
func (s *Store) actor() (unit, person string, err error) {
	p := s.refs().profile
	if p == nil {
		return "", "", fmt.Errorf("this desk is not set up yet (unit profile missing): %w", lapordesk.ErrNotFound)
	}
	return p.UnitCode, p.Actor, nil
}

// Receive records a report received by this unit (walk-in, letter, phone, e-mail, or
// entered from LAPOR!) and returns its view. An empty unit means this desk's unit;
// an empty agenda number gets the unit's next one for the year.
func (s *Store) Receive(ctx context.Context, n lapordesk.NewReport) (lapordesk.View, error) {
	ids, err := s.ReceiveMany(ctx, []lapordesk.NewReport{n})
	if err != nil {
		return lapordesk.View{}, err
	}
	return s.View(ctx, ids[0])
}

// ReceiveMany records several reports in one transaction: all of them or none.
func (s *Store) ReceiveMany(ctx context.Context, list []lapordesk.NewReport) ([]uuid.UUID, error) {
	unit, person, err := s.actor()
	if err != nil {
		return nil, err
	}
	now := s.now()
	ids := make([]uuid.UUID, 0, len(list))
	err = s.write(ctx, func(t *wtx) error {
		evs := make([]lapordesk.Event, 0, len(list))
		for i, n := range list {
			if n.Unit == "" {
				n.Unit = unit
			}
			e, err := lapordesk.Receive(n, person, now)
			if err != nil {
				return wrapItem(len(list), i, err)
			}
			evs = append(evs, e)
			ids = append(ids, e.ReportID)
		}
		_, err := s.appendEvents(t, s.refs(), evs, writeOpts{local: true})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("receive report: %w", err)
	}
	return ids, nil
}

func wrapItem(total, i int, err error) error {
	if total == 1 {
		return err
	}
	return fmt.Errorf("report %d: %w", i+1, err)
}

// nextAgenda allocates the unit's next agenda number for the year of at, e.g.
// DINKES-2026-00042. Counters are per unit and year, gap-free on one desk; numbers
// already taken by reports synced from another desk of the unit are skipped, or the
// duplicate check would refuse every later receipt.
func nextAgenda(t *wtx, ref *refData, unit string, at time.Time) (string, error) {
	year := lapordesk.DateOf(at, ref.cal.Location).Year
	for {
		seq, err := nextCounter(t, "agenda:"+unit, year)
		if err != nil {
			return "", err
		}
		no := fmt.Sprintf("%s-%d-%05d", unit, year, seq)
		var n int
		if err := t.QueryRow("SELECT count(*) FROM reports WHERE agenda_no = ?", no).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return no, nil
		}
	}
}

var reAgenda = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_.\-]{0,31})-(\d{4})-(\d{1,9})$`)

// claimAgenda moves a unit's agenda counter past an agenda number given explicitly
// in this program's own form (an import, a paper register typed in), so the next
// number allocated never collides with it.
func claimAgenda(t *wtx, agenda string) error {
	m := reAgenda.FindStringSubmatch(agenda)
	if m == nil {
		return nil
	}
	year, _ := strconv.Atoi(m[2])
	seq, _ := strconv.Atoi(m[3])
	_, err := t.Exec(`INSERT INTO counters (name, year, value) VALUES (?, ?, ?)
		ON CONFLICT (name, year) DO UPDATE SET value = max(value, excluded.value)`, "agenda:"+m[1], year, seq)
	if err != nil {
		return fmt.Errorf("agenda counter %s: %w", agenda, err)
	}
	return nil
}

// nextCounter increments and returns the counter name for year.
func nextCounter(t *wtx, name string, year int) (int, error) {
	var v int
	err := t.QueryRow(`INSERT INTO counters (name, year, value) VALUES (?, ?, 1)
		ON CONFLICT (name, year) DO UPDATE SET value = value + 1 RETURNING value`, name, year).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("counter %s/%d: %w", name, year, err)
	}
	return v, nil
}

// Act applies a user's command to a report and returns the new view. The command is
// checked against the current state; an illegal, stale or invalid command writes
// nothing and returns an error that names what is wrong.
func (s *Store) Act(ctx context.Context, id uuid.UUID, cmd lapordesk.Command) (lapordesk.View, error) {
	unit, person, err := s.actor()
	if err != nil {
		return lapordesk.View{}, err
	}
	if cmd.Unit == "" {
		cmd.Unit = unit
	}
	if cmd.Actor == "" {
		cmd.Actor = person
	}
	err = s.write(ctx, func(t *wtx) error { return s.actTx(t, s.refs(), id, cmd) })
	if err != nil {
		return lapordesk.View{}, fmt.Errorf("%s report %s: %w", cmd.Action, id, err)
	}
	return s.View(ctx, id)
}

// actTx decides cmd on the report's state inside t and appends its event; cmd
// carries its unit and actor.
func (s *Store) actTx(t *wtx, ref *refData, id uuid.UUID, cmd lapordesk.Command) error {
	r, err := replayTx(t, id)
	if err != nil {
		return err
	}
	if err := lapordesk.MayAct(*ref.profile, r, cmd.Action); err != nil {
		return err
	}
	e, err := lapordesk.Decide(r, cmd, s.now())
	if err != nil {
		return err
	}
	_, err = s.appendEvents(t, ref, []lapordesk.Event{e}, writeOpts{local: true})
	return err
}

// ResolveConflict carries out a user's decision on a conflict of report id and
// returns the new view: with res.ApplyOther, the command that does now what the
// conflicting event asked for, then the resolve event, in one transaction. If either
// is refused nothing is written, and the conflict stays for another choice.
func (s *Store) ResolveConflict(ctx context.Context, id uuid.UUID, res lapordesk.Resolution) (lapordesk.View, error) {
	unit, person, err := s.actor()
	if err != nil {
		return lapordesk.View{}, err
	}
	if res.Unit == "" {
		res.Unit = unit
	}
	if res.Actor == "" {
		res.Actor = person
	}
	err = s.write(ctx, func(t *wtx) error {
		ref := s.refs()
		evs, err := loadEvents(t.Context(), t, id)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
		}
		r, err := lapordesk.Replay(evs)
		if err != nil {
			return err
		}
		// The stored history, not its display: the redo copies what the event
		// really asked for (withheld fields are refused either way).
		cmds, err := res.Commands(lapordesk.View{Report: *r, History: evs, Actions: r.AllowedActions()})
		if err != nil {
			return err
		}
		for _, cmd := range cmds {
			if err := s.actTx(t, ref, id, cmd); err != nil {
				return fmt.Errorf("%s: %w", cmd.Action, err)
			}
		}
		return nil
	})
	if err != nil {
		return lapordesk.View{}, fmt.Errorf("resolve conflict %s of report %s: %w", res.Conflict, id, err)
	}
	return s.View(ctx, id)
}

// Record appends events decided elsewhere (demo data, imports) as local events,
// checked like the user's own: one transaction, all or nothing, no conflicts allowed.
func (s *Store) Record(ctx context.Context, events []lapordesk.Event) error {
	err := s.write(ctx, func(t *wtx) error {
		_, err := s.appendEvents(t, s.refs(), events, writeOpts{local: true})
		return err
	})
	if err != nil {
		return fmt.Errorf("record events: %w", err)
	}
	return nil
}

type writeOpts struct {
	// local: written on this desk: checked (no conflicts), queued for the hub.
	local bool
}

// appendEvents writes events and the projections of their reports. Local events must
// apply cleanly to the current state; events from the hub are written whatever they
// do, their conflicts recorded by the replay.
func (s *Store) appendEvents(t *wtx, ref *refData, events []lapordesk.Event, o writeOpts) ([]*lapordesk.Report, error) {
	var order []uuid.UUID
	groups := map[uuid.UUID][]lapordesk.Event{}
	for _, e := range events {
		if _, ok := groups[e.ReportID]; !ok {
			order = append(order, e.ReportID)
		}
		groups[e.ReportID] = append(groups[e.ReportID], e)
	}
	out := make([]*lapordesk.Report, 0, len(order))
	for _, rid := range order {
		evs := groups[rid]
		var r *lapordesk.Report
		if evs[0].Kind == lapordesk.EvReceived {
			// A new report: its ID must be new too (the unique index checks).
			r = &lapordesk.Report{}
		} else {
			var err error
			if r, err = replayTx(t, rid); err != nil {
				return nil, err
			}
		}
		for _, e := range evs {
			e.At = lapordesk.NormalizeTime(e.At)
			if o.local {
				var err error
				if e, err = seal(t, e); err != nil {
					return nil, err
				}
				allocated := false
				if e.Kind == lapordesk.EvReceived && e.Payload.Report != nil && e.Payload.Report.AgendaNo == "" {
					n := *e.Payload.Report
					if n.AgendaNo, err = nextAgenda(t, ref, n.Unit, e.At); err != nil {
						return nil, err
					}
					e.Payload.Report = &n
					allocated = true
				} else if e.Kind == lapordesk.EvReceived && e.Payload.Report != nil {
					if err := claimAgenda(t, e.Payload.Report.AgendaNo); err != nil {
						return nil, err
					}
				}
				if err := s.checkRef(t, ref, e, !allocated); err != nil {
					return nil, err
				}
				if c := r.Apply(e); c != nil {
					return nil, fmt.Errorf("event %s (%s) on report %s: %s: %w", e.ID, e.Kind, rid, c.Reason, lapordesk.ErrInvalid)
				}
			}
			seq, err := insertEvent(t, e, "local")
			if err != nil {
				return nil, err
			}
			if o.local {
				if _, err := t.Exec("INSERT INTO outbox (seq) VALUES (?)", seq); err != nil {
					return nil, fmt.Errorf("queue event for sync: %w", err)
				}
			}
		}
		if !o.local {
			var err error
			if r, err = replayTx(t, rid); err != nil {
				return nil, err
			}
		}
		if err := project(t, ref, r, evs[0].Kind == lapordesk.EvReceived); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// seal keeps an Anonim reporter's identity out of the event log: the receipt is
// written with the identity masked, and the identity as received goes to the
// desk-local sealed table, which nothing reads back for display, export or sync.
func seal(t *wtx, e lapordesk.Event) (lapordesk.Event, error) {
	if e.Kind != lapordesk.EvReceived || e.Payload.Report == nil || e.Payload.Report.Confidentiality != lapordesk.Anonim {
		return e, nil
	}
	n := *e.Payload.Report
	masked := n.Reporter.Masked(lapordesk.Anonim)
	if n.Reporter != masked {
		b, err := json.Marshal(n.Reporter)
		if err != nil {
			return e, err
		}
		if _, err := t.Exec("INSERT INTO sealed_identities (report_id, reporter) VALUES (?, ?)", e.ReportID.String(), b); err != nil {
			return e, fmt.Errorf("seal identity of %s: %w", e.ReportID, err)
		}
	}
	n.Reporter = masked
	e.Payload.Report = &n
	return e, nil
}

// checkRef checks an event against the store's reference data and unique values,
// which the domain cannot see: known category and units, unique tracking ID and
// agenda number.
func (s *Store) checkRef(t *wtx, ref *refData, e lapordesk.Event, checkAgenda bool) error {
	p := e.Payload
	var tracking, category string
	switch e.Kind {
	case lapordesk.EvReceived:
		if p.Report == nil {
			return fmt.Errorf("receipt without a report: %w", lapordesk.ErrInvalid)
		}
		if err := p.Report.Validate(e.At); err != nil {
			return err
		}
		if _, ok := ref.units[p.Report.Unit]; !ok {
			return &lapordesk.FieldError{Field: "unit", Problem: lapordesk.ProblemUnknown, Value: p.Report.Unit}
		}
		tracking, category = p.Report.TrackingID, p.Report.CategoryID
		if checkAgenda {
			// A number from our own counter is new by construction; one given
			// from outside (an import) may clash.
			var n int
			if err := t.QueryRow("SELECT count(*) FROM reports WHERE agenda_no = ?", p.Report.AgendaNo).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return &lapordesk.FieldError{Field: "agenda_no", Problem: lapordesk.ProblemDuplicate, Value: p.Report.AgendaNo}
			}
		}
	case lapordesk.EvVerified, lapordesk.EvEdited:
		for _, c := range p.Changes {
			switch c.Field {
			case "tracking_id":
				tracking = c.Value
			case "category_id":
				category = c.Value
			}
		}
	case lapordesk.EvDisposed:
		if _, ok := ref.units[p.ToUnit]; !ok {
			return &lapordesk.FieldError{Field: "to_unit", Problem: lapordesk.ProblemUnknown, Value: p.ToUnit}
		}
	}
	if category != "" {
		if _, ok := ref.cats.Get(category); !ok {
			return &lapordesk.FieldError{Field: "category_id", Problem: lapordesk.ProblemUnknown, Value: category}
		}
	}
	if tracking != "" {
		var other string
		err := t.QueryRow("SELECT id FROM reports WHERE tracking_id = ? AND id != ? LIMIT 1", tracking, e.ReportID.String()).Scan(&other)
		if err == nil {
			return &lapordesk.FieldError{Field: "tracking_id", Problem: lapordesk.ProblemDuplicate, Value: tracking}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// insertEvent appends one event to the log and returns its local sequence number.
func insertEvent(t *wtx, e lapordesk.Event, origin string) (int64, error) {
	body, err := e.Canonical()
	if err != nil {
		return 0, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	return insertEventAt(t, e, body, origin, 0)
}

// insertEventAt appends an event with its canonical body and, for hub events, the
// hub's sequence number.
func insertEventAt(t *wtx, e lapordesk.Event, body []byte, origin string, hubSeq int64) (int64, error) {
	var hub any
	if hubSeq > 0 {
		hub = hubSeq
	}
	res, err := t.Exec(`INSERT INTO events (id, report_id, kind, at, unit, body, hash, origin, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID.String(), e.ReportID.String(), string(e.Kind), e.At.UTC().Format(time.RFC3339Nano), e.Unit, body, hashOf(body), origin, hub)
	if err != nil {
		if isUnique(err) {
			return 0, fmt.Errorf("event %s (or hub sequence %d) already recorded: %w", e.ID, hubSeq, lapordesk.ErrConflict)
		}
		return 0, fmt.Errorf("write event %s: %w", e.ID, err)
	}
	return res.LastInsertId()
}

func hashOf(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// eventOrder is the canonical order of a report's events: those the hub has ordered,
// in its order, then this desk's not yet acknowledged ones in the order written. Once
// synced, every desk replays the same order and derives the same state.
const eventOrder = "ORDER BY hub_seq IS NULL, hub_seq, seq"

// loadEvents returns a report's events in canonical order.
func loadEvents(ctx context.Context, q sqlitedb.Querier, id uuid.UUID) ([]lapordesk.Event, error) {
	return sqlitedb.LoadEvents(ctx, q, id, eventOrder)
}

// replayTx derives a report's current state inside a write transaction.
func replayTx(t *wtx, id uuid.UUID) (*lapordesk.Report, error) {
	evs, err := loadEvents(t.Context(), t, id)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
	}
	return lapordesk.Replay(evs)
}

// project writes a report's projection row and search entry from its state. The
// stored state is masked: nothing a screen reads can carry an Anonim identity.
func project(t *wtx, ref *refData, r *lapordesk.Report, isNew bool) error {
	sched := lapordesk.ScheduleOf(r, ref.cal, ref.policy)
	shown := r.ForDisplay()
	state, err := json.Marshal(shown)
	if err != nil {
		return fmt.Errorf("encode report %s: %w", r.ID, err)
	}
	catPath := ref.cats.Path(r.CategoryID)
	loc := r.Location.Text()
	received := lapordesk.DateOf(r.ReceivedAt, ref.cal.Location)
	late, sortDue := sortKeys(sched)
	var tracking any
	if r.TrackingID != "" {
		tracking = r.TrackingID
	}

	var rid int64
	var oldTitle, oldBody, oldLoc, oldCat, oldUnit, oldStatus string
	exists := false
	if !isNew {
		err = t.QueryRow("SELECT rid, title, body, location_text, category_path, unit, status FROM reports WHERE id = ?", r.ID.String()).Scan(&rid, &oldTitle, &oldBody, &oldLoc, &oldCat, &oldUnit, &oldStatus)
		exists = err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read projection of %s: %w", r.ID, err)
		}
	}
	args := []any{
		tracking, r.AgendaNo, string(r.Classification), r.CategoryID, catPath, r.Title, r.Body, loc,
		string(r.Channel), string(r.Confidentiality), string(r.Status), statusRank(r.Status), r.Unit,
		r.ReceivedAt.UnixMilli(), received.String(), r.UpdatedAt.UnixMilli(), string(sched.Step),
		nullDate(sched.Due), nullDate(sched.CloseOn), nullDate(sched.ResolutionDue), nullDate(late), sortDue,
		nullMillis(r.FirstResponseAt), nullMillis(r.FollowUpAt), r.Version, len(r.Conflicts), state,
	}
	if !exists {
		err := t.QueryRow(`INSERT INTO reports (id, tracking_id, agenda_no, classification, category_id, category_path, title, body, location_text,
			channel, confidentiality, status, status_rank, unit, received_at, received_date, updated_at, step,
			due_date, close_on, resolution_due, late_date, sort_due, first_response_at, follow_up_at, version, conflicts, state)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`,
			append([]any{r.ID.String()}, args...)...).Scan(&rid)
		if err != nil {
			return fmt.Errorf("write projection of %s: %w", r.ID, err)
		}
		t.fts = append(t.fts, ftsOp{rid: rid, text: [4]string{r.Title, r.Body, loc, catPath}})
		return bumpCount(t, r.Unit, string(r.Status), 1)
	}
	if oldUnit != r.Unit || oldStatus != string(r.Status) {
		if err := bumpCount(t, oldUnit, oldStatus, -1); err != nil {
			return err
		}
		if err := bumpCount(t, r.Unit, string(r.Status), 1); err != nil {
			return err
		}
	}
	textChanged := oldTitle != r.Title || oldBody != r.Body || oldLoc != loc || oldCat != catPath
	if textChanged {
		// External-content FTS needs the old text to remove its terms.
		t.fts = append(t.fts, ftsOp{del: true, rid: rid, text: [4]string{oldTitle, oldBody, oldLoc, oldCat}})
	}
	_, err = t.Exec(`UPDATE reports SET tracking_id = ?, agenda_no = ?, classification = ?, category_id = ?, category_path = ?, title = ?, body = ?,
		location_text = ?, channel = ?, confidentiality = ?, status = ?, status_rank = ?, unit = ?, received_at = ?, received_date = ?,
		updated_at = ?, step = ?, due_date = ?, close_on = ?, resolution_due = ?, late_date = ?, sort_due = ?, first_response_at = ?,
		follow_up_at = ?, version = ?, conflicts = ?, state = ? WHERE rid = ?`, append(args, rid)...)
	if err != nil {
		return fmt.Errorf("write projection of %s: %w", r.ID, err)
	}
	if textChanged {
		t.fts = append(t.fts, ftsOp{rid: rid, text: [4]string{r.Title, r.Body, loc, catPath}})
	}
	return nil
}

// bumpCount adds d to the count of reports unit holds in status.
func bumpCount(t *wtx, unit, status string, d int) error {
	_, err := t.Exec(`INSERT INTO report_counts (unit, status, n) VALUES (?, ?, ?)
		ON CONFLICT (unit, status) DO UPDATE SET n = n + excluded.n`, unit, status, d)
	if err != nil {
		return fmt.Errorf("count reports: %w", err)
	}
	return nil
}

// reschedule recomputes the deadlines of every open report after the calendar or
// policy changed (mutate applies the change to a copy of the cached configuration).
func (s *Store) reschedule(ctx context.Context, tx *sqlitedb.Tx, mutate func(*refData)) error {
	ref := *s.refs()
	cal := *ref.cal
	ref.cal = &cal
	mutate(&ref)
	t := &wtx{Tx: tx}
	rows, err := tx.QueryContext(ctx, "SELECT rid, state FROM reports WHERE status NOT IN ('selesai', 'diarsipkan')")
	if err != nil {
		return fmt.Errorf("reschedule: %w", err)
	}
	type upd struct {
		rid int64
		r   lapordesk.Report
	}
	var all []upd
	for rows.Next() {
		var u upd
		var b []byte
		if err := rows.Scan(&u.rid, &b); err != nil {
			rows.Close()
			return fmt.Errorf("reschedule: %w", err)
		}
		if err := json.Unmarshal(b, &u.r); err != nil {
			rows.Close()
			return fmt.Errorf("reschedule: damaged projection: %w", err)
		}
		all = append(all, u)
	}
	rows.Close()
	for _, u := range all {
		sched := lapordesk.ScheduleOf(&u.r, ref.cal, ref.policy)
		late, sortDue := sortKeys(sched)
		_, err := t.Exec(`UPDATE reports SET step = ?, due_date = ?, close_on = ?, resolution_due = ?, late_date = ?, sort_due = ?, received_date = ? WHERE rid = ?`,
			string(sched.Step), nullDate(sched.Due), nullDate(sched.CloseOn), nullDate(sched.ResolutionDue), nullDate(late), sortDue,
			lapordesk.DateOf(u.r.ReceivedAt, ref.cal.Location).String(), u.rid)
		if err != nil {
			return fmt.Errorf("reschedule: %w", err)
		}
	}
	return nil
}

// reprojectAll rewrites every projection from the event log under a changed
// configuration (mutate), inside tx.
func (s *Store) reprojectAll(ctx context.Context, tx *sqlitedb.Tx, mutate func(*refData)) error {
	ref := *s.refs()
	mutate(&ref)
	t := &wtx{Tx: tx}
	if err := rebuildProjections(t, &ref); err != nil {
		return err
	}
	return t.flushFTS()
}

// sortKeys derives the indexed deadline columns: late_date, the first date after
// which the report is overdue, and sort_due, which orders lists by urgency: due
// dates first (so "overdue" is sort_due < today and "needs action" sort_due <= a
// day, both answered by the index alone), then auto-close dates, marked so that
// they never compare as due, then reports with nothing due.
func sortKeys(sched lapordesk.Schedule) (late lapordesk.Date, sortDue string) {
	late = earliest(sched.Due, sched.ResolutionDue)
	switch {
	case !late.IsZero():
		return late, late.String()
	case !sched.CloseOn.IsZero():
		return late, closeOnMark + sched.CloseOn.String()
	}
	return late, noDue
}

// closeOnMark prefixes auto-close dates in sort_due: after every date, before noDue.
const closeOnMark = "z"

// noDue sorts after every date and auto-close date.
const noDue = "~"

func statusRank(s lapordesk.Status) int {
	for i, x := range lapordesk.Statuses {
		if x == s {
			return i
		}
	}
	return len(lapordesk.Statuses)
}

func earliest(a, b lapordesk.Date) lapordesk.Date {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case b.Before(a):
		return b
	}
	return a
}

func nullDate(d lapordesk.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func nullMillis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}
