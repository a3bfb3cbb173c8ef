package storage

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// View returns everything the detail screen shows of a report: the report, its
// deadline as of now, its history and the actions allowed now, all masked.
func (s *Store) View(ctx context.Context, id uuid.UUID) (lapordesk.View, error) {
	ref := s.refs()
	r, err := s.report(ctx, id)
	if err != nil {
		return lapordesk.View{}, err
	}
	hist, err := s.History(ctx, id)
	if err != nil {
		return lapordesk.View{}, err
	}
	return lapordesk.View{
		Report:   r,
		Category: ref.cats.Path(r.CategoryID),
		Deadline: lapordesk.DeadlineOf(&r, ref.cal, ref.policy, s.now()),
		History:  hist,
		Actions:  r.AllowedActions(),
	}, nil
}

// Report returns a report's current state, masked for display.
func (s *Store) Report(ctx context.Context, id uuid.UUID) (lapordesk.Report, error) {
	return s.report(ctx, id)
}

func (s *Store) report(ctx context.Context, id uuid.UUID) (lapordesk.Report, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx, "SELECT state FROM reports WHERE id = ?", id.String()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return lapordesk.Report{}, fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
	}
	if err != nil {
		return lapordesk.Report{}, fmt.Errorf("read report %s: %w", id, sqlitedb.Classify(err))
	}
	var r lapordesk.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return lapordesk.Report{}, fmt.Errorf("report %s: damaged projection (run rebuild): %v: %w", id, err, lapordesk.ErrInvalid)
	}
	// The projection is stored masked; masking again costs nothing and guards
	// against a projection written by an older program.
	return r.ForDisplay(), nil
}

// History returns a report's events in canonical order, masked for display.
func (s *Store) History(ctx context.Context, id uuid.UUID) ([]lapordesk.Event, error) {
	var conf string
	err := s.r.QueryRowContext(ctx, "SELECT confidentiality FROM reports WHERE id = ?", id.String()).Scan(&conf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", id, sqlitedb.Classify(err))
	}
	evs, err := loadEvents(ctx, s.r, id)
	if err != nil {
		return nil, err
	}
	for i := range evs {
		evs[i] = evs[i].ForDisplay(lapordesk.Confidentiality(conf))
	}
	return evs, nil
}

// Resolve finds a report from what a user types: its UUID, a unique prefix of it
// (8 characters or more), its LAPOR! tracking ID or its agenda number.
func (s *Store) Resolve(ctx context.Context, ref string) (uuid.UUID, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return uuid.Nil, &lapordesk.FieldError{Field: "id", Problem: lapordesk.ProblemRequired}
	}
	if id, err := uuid.Parse(ref); err == nil {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM reports WHERE id = ?", id.String()).Scan(&n); err != nil {
			return uuid.Nil, sqlitedb.Classify(err)
		}
		if n == 0 {
			return uuid.Nil, fmt.Errorf("report %s: %w", ref, lapordesk.ErrNotFound)
		}
		return id, nil
	}
	type lookup struct {
		q    string
		args []any
	}
	lookups := []lookup{
		{"SELECT id FROM reports WHERE tracking_id = ? LIMIT 2", []any{ref}},
		{"SELECT id FROM reports WHERE agenda_no IN (?, ?) LIMIT 2", []any{ref, strings.ToUpper(ref)}},
	}
	if len(ref) >= 8 && isHexish(ref) {
		lo := strings.ToLower(ref)
		// A prefix as an index range: 'g' sorts after every hex digit and '-'.
		lookups = append(lookups, lookup{"SELECT id FROM reports WHERE id >= ? AND id < ? LIMIT 2", []any{lo, lo + "g"}})
	}
	for _, l := range lookups {
		ids, err := s.column(ctx, strings.Replace(l.q, "LIMIT 2", "LIMIT 10", 1), l.args...)
		if err != nil {
			return uuid.Nil, fmt.Errorf("find report %q: %w", ref, err)
		}
		switch len(ids) {
		case 0:
		case 1:
			return uuid.Parse(ids[0])
		default:
			return uuid.Nil, &lapordesk.AmbiguousError{Ref: ref, IDs: ids}
		}
	}
	return uuid.Nil, fmt.Errorf("report %q: %w", ref, lapordesk.ErrNotFound)
}

// column runs a query that returns one text column.
func (s *Store) column(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, sqlitedb.Classify(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func isHexish(s string) bool {
	for _, r := range s {
		if !(r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')) {
			return false
		}
	}
	return true
}

// MaxPage is the largest page List returns.
const MaxPage = 500

// cursor is the position after the last row of a page (keyset pagination: the next
// page starts strictly after it, so rows inserted meanwhile never shift pages).
type cursor struct {
	Key string `json:"k,omitempty"` // sort_due, or received_at/status_rank as text
	N   int64  `json:"n,omitempty"` // numeric key (received_at, status_rank)
	RID int64  `json:"r"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, &lapordesk.FieldError{Field: "cursor", Problem: lapordesk.ProblemFormat, Value: s}
	}
	return c, nil
}

// List returns one page of reports matching f, in f's order, starting after the
// cursor (empty: the first page). Pages use keyset pagination over the indexes.
func (s *Store) List(ctx context.Context, f lapordesk.Filter, limit int, after string) (lapordesk.Page, error) {
	if err := f.Validate(); err != nil {
		return lapordesk.Page{}, fmt.Errorf("list: %w", err)
	}
	if limit <= 0 || limit > MaxPage {
		limit = 50
	}
	var cur *cursor
	if after != "" {
		c, err := decodeCursor(after)
		if err != nil {
			return lapordesk.Page{}, fmt.Errorf("list: %w", err)
		}
		cur = &c
	}
	ref := s.refs()
	now := s.now()
	today := ref.cal.Today(now)
	q, args, order := buildList(f, ref, today, cur, limit+1)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return lapordesk.Page{}, fmt.Errorf("list: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var page lapordesk.Page
	var last cursor
	for rows.Next() {
		var it lapordesk.Item
		var id, tracking, due, closeOn, resDue, step, sortDue string
		var receivedMs, rid int64
		var rank int
		if err := rows.Scan(&rid, &id, &tracking, &it.AgendaNo, &it.Title, &it.Classification, &it.CategoryID, &it.Category,
			&it.Channel, &it.Confidentiality, &it.Status, &rank, &it.Unit, &receivedMs, &step, &due, &closeOn, &resDue, &sortDue, &it.Conflicts); err != nil {
			return lapordesk.Page{}, fmt.Errorf("list: %w", err)
		}
		if len(page.Items) == limit {
			page.Next = last.encode()
			break
		}
		it.ID, _ = uuid.Parse(id)
		it.TrackingID = tracking
		it.Ref = tracking
		if it.Ref == "" {
			it.Ref = it.AgendaNo
		}
		it.ReceivedAt = time.UnixMilli(receivedMs).UTC()
		sched := lapordesk.Schedule{Step: lapordesk.Step(step), Paused: step == string(lapordesk.StepAwaitReporter)}
		sched.Due, _ = parseOptDate(due)
		sched.CloseOn, _ = parseOptDate(closeOn)
		sched.ResolutionDue, _ = parseOptDate(resDue)
		it.Deadline = sched.DeadlineOn(today, ref.cal, ref.policy)
		page.Items = append(page.Items, it)
		switch order {
		case orderReceived, orderReceivedAsc:
			last = cursor{N: receivedMs, RID: rid}
		case orderStatus:
			last = cursor{N: int64(rank), Key: sortDue, RID: rid}
		case orderSearch:
			last = cursor{RID: rid}
		default:
			last = cursor{Key: sortDue, RID: rid}
		}
	}
	if err := rows.Err(); err != nil {
		return lapordesk.Page{}, fmt.Errorf("list: %w", sqlitedb.Classify(err))
	}
	return page, nil
}

func parseOptDate(s string) (lapordesk.Date, error) {
	if s == "" {
		return lapordesk.Date{}, nil
	}
	return lapordesk.ParseDate(s)
}

type listOrder int

const (
	orderDue listOrder = iota
	orderDueDesc
	orderReceived    // newest first
	orderReceivedAsc // oldest first
	orderStatus
	orderSearch // full-text matches, newest first
)

const listColumns = `r.rid, r.id, COALESCE(r.tracking_id, ''), r.agenda_no, r.title, r.classification, r.category_id, r.category_path,
	r.channel, r.confidentiality, r.status, r.status_rank, r.unit, r.received_at, r.step, COALESCE(r.due_date, ''), COALESCE(r.close_on, ''),
	COALESCE(r.resolution_due, ''), r.sort_due, r.conflicts`

// buildList turns a filter into SQL. Each status of a multi-status filter gets its
// own index range (status, sort key, rid) with its own LIMIT, and the ranges are
// merged: a page costs a few index seeks whatever the store's size.
func buildList(f lapordesk.Filter, ref *refData, today lapordesk.Date, cur *cursor, limit int) (string, []any, listOrder) {
	order := orderDue
	switch f.Sort {
	case lapordesk.SortReceived:
		order = orderReceived
		if f.Reverse {
			order = orderReceivedAsc
		}
	case lapordesk.SortStatus:
		order = orderStatus
	case lapordesk.SortDue:
		if f.Reverse {
			order = orderDueDesc
		}
	case "":
		if ftsQuery(f.Text) != "" { // punctuation alone searches for nothing: the plain list
			order = orderSearch
		} else if nothingDue(f) {
			order = orderReceived // nothing is due there: newest first
		}
	}

	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = f.Box.Statuses()
	}
	// The few reports with a conflict are read by rowid from their partial index and
	// sorted; ranges per status would walk each status in full to find them.
	perStatus := len(statuses) > 1 && order != orderSearch && order != orderStatus && !f.Conflicts
	// In the per-status ranges below, the status index must lead: a unary + keeps
	// SQLite from walking another filter's index in due order and discarding the
	// rows of other statuses (seconds at a million reports, for a rare status).
	col := func(c string) string {
		if perStatus || f.Conflicts {
			return "+" + c
		}
		return c
	}
	if f.Classification != "" {
		add(col("r.classification")+" = ?", string(f.Classification))
	}
	if f.Channel != "" {
		add(col("r.channel")+" = ?", string(f.Channel))
	}
	if f.Unit != "" {
		// (unit, status, sort_due) serves a status range in due order; any other
		// order walks its own index, which carries the unit.
		if order == orderDue && len(statuses) > 0 && !f.Conflicts {
			add("r.unit = ?", f.Unit)
		} else {
			add("+r.unit = ?", f.Unit)
		}
	}
	if f.CategoryID != "" {
		ids := ref.cats.Descendants(f.CategoryID)
		c := col("r.category_id")
		if order != orderDue {
			// The category index is ordered by due date; for other orders, walk the
			// order's own index and check the category on its entries ("+" keeps
			// SQLite from choosing the category index and sorting a large range).
			c = "+r.category_id"
		}
		add(c+" IN ("+placeholders(len(ids))+")", toAny(ids)...)
	}
	// Received dates as bounds on received_at (the office-local days they cover):
	// the (status, received_at) index can then seek straight to an old month.
	// Both forms of each bound: received_date is checked on the list indexes'
	// entries, received_at lets the (status, received_at) index seek.
	if !f.Since.IsZero() {
		add("r.received_at >= ? AND r.received_date >= ?", f.Since.Time(ref.cal.Location).UnixMilli(), f.Since.String())
	}
	if !f.Until.IsZero() {
		add("r.received_at < ? AND r.received_date <= ?", f.Until.AddDays(1).Time(ref.cal.Location).UnixMilli(), f.Until.String())
	}
	// sort_due holds the date after which a report is late (see sortKeys), so these
	// are index ranges.
	if f.Overdue {
		add("r.sort_due < ?", today.String())
	}
	if f.Conflicts {
		// Few reports have one: the partial index lists them, whatever the order.
		add("r.rid IN (SELECT rid FROM reports WHERE conflicts > 0)")
	}
	if f.Box == lapordesk.BoxAction {
		add("r.sort_due <= ?", lapordesk.DueSoonLimit(today, ref.cal, ref.policy).String())
	}
	var fts string
	if text := ftsQuery(f.Text); text != "" {
		fts = text
		if order != orderSearch {
			add("r.rid IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)", text)
		}
	}

	// Keyset condition and ORDER BY for the chosen order: the next page starts
	// strictly after the cursor's row in that order.
	o := orders[order]
	orderBy := o.by
	var keyCond string
	var keyArgs []any
	if cur != nil {
		keyCond, keyArgs = o.after, o.args(cur)
	}

	sel := func(extra []string, extraArgs []any) (string, []any) {
		conds := append(append([]string{}, where...), extra...)
		a := append(append([]any{}, args...), extraArgs...)
		if keyCond != "" {
			conds = append(conds, keyCond)
			a = append(a, keyArgs...)
		}
		from := "reports r"
		if order == orderSearch {
			from = "report_fts JOIN reports r ON r.rid = report_fts.rowid"
			conds = append([]string{"report_fts MATCH ?"}, conds...)
			a = append([]any{fts}, a...)
		}
		q := "SELECT " + listColumns + " FROM " + from
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		return q + " ORDER BY " + orderBy + fmt.Sprintf(" LIMIT %d", limit), a
	}

	if !perStatus {
		var extra []string
		var extraArgs []any
		switch {
		case order == orderStatus && len(statuses) > 0:
			ranks := make([]any, len(statuses))
			for i, st := range statuses {
				ranks[i] = statusRank(st)
			}
			extra, extraArgs = []string{"r.status_rank IN (" + placeholders(len(statuses)) + ")"}, ranks
		case len(statuses) == 1:
			extra, extraArgs = []string{col("r.status") + " = ?"}, []any{string(statuses[0])}
		case len(statuses) > 1:
			extra, extraArgs = []string{col("r.status") + " IN (" + placeholders(len(statuses)) + ")"}, statusArgs(statuses)
		}
		q, a := sel(extra, extraArgs)
		return q, a, order
	}
	var parts []string
	var all []any
	for _, st := range statuses {
		q, a := sel([]string{"r.status = ?"}, []any{string(st)})
		parts = append(parts, "SELECT * FROM ("+q+")")
		all = append(all, a...)
	}
	outer := strings.NewReplacer("r.", "").Replace(orderBy)
	return "SELECT * FROM (" + strings.Join(parts, " UNION ALL ") + ") ORDER BY " + outer + fmt.Sprintf(" LIMIT %d", limit), all, order
}

// nothingDue reports whether f selects only finished reports, which have no due date.
func nothingDue(f lapordesk.Filter) bool {
	sts := f.Statuses
	if len(sts) == 0 {
		sts = f.Box.Statuses()
	}
	if len(sts) == 0 {
		return false
	}
	for _, st := range sts {
		if st.Open() {
			return false
		}
	}
	return true
}

// orders gives, for each list order, its ORDER BY and the keyset condition that
// selects the rows after a cursor.
var orders = map[listOrder]struct {
	by, after string
	args      func(*cursor) []any
}{
	orderDue:         {"r.sort_due, r.rid", "(r.sort_due, r.rid) > (?, ?)", func(c *cursor) []any { return []any{c.Key, c.RID} }},
	orderDueDesc:     {"r.sort_due DESC, r.rid DESC", "(r.sort_due, r.rid) < (?, ?)", func(c *cursor) []any { return []any{c.Key, c.RID} }},
	orderReceived:    {"r.received_at DESC, r.rid DESC", "(r.received_at, r.rid) < (?, ?)", func(c *cursor) []any { return []any{c.N, c.RID} }},
	orderReceivedAsc: {"r.received_at, r.rid", "(r.received_at, r.rid) > (?, ?)", func(c *cursor) []any { return []any{c.N, c.RID} }},
	// Filtered by status_rank rather than status, so the rank index gives the order.
	orderStatus: {"r.status_rank, r.sort_due, r.rid", "(r.status_rank, r.sort_due, r.rid) > (?, ?, ?)", func(c *cursor) []any { return []any{c.N, c.Key, c.RID} }},
	// FTS5 yields rowids in order: no sort.
	orderSearch: {"report_fts.rowid DESC", "report_fts.rowid < ?", func(c *cursor) []any { return []any{c.RID} }},
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func statusArgs(ss []lapordesk.Status) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// ftsQuery turns what a user types into an FTS5 query: words only (no FTS syntax
// gets through), all required, the last one as a prefix while the user is typing.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return ""
	}
	if len(words) > 12 {
		words = words[:12]
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `"` + w + `"`
	}
	last := text[len(text)-1]
	if last != ' ' && last != '\t' {
		parts[len(parts)-1] += "*"
	}
	return strings.Join(parts, " ")
}

// Counts returns the number of reports in each box, for a unit ("" for all units).
func (s *Store) Counts(ctx context.Context, unit string) (map[lapordesk.Box]int, error) {
	ref := s.refs()
	today := ref.cal.Today(s.now())
	byStatus := map[lapordesk.Status]int{}
	q := "SELECT status, sum(n) FROM report_counts"
	var args []any
	if unit != "" {
		q += " WHERE unit = ?"
		args = append(args, unit)
	}
	rows, err := s.r.QueryContext(ctx, q+" GROUP BY status", args...)
	if err != nil {
		return nil, fmt.Errorf("count reports: %w", sqlitedb.Classify(err))
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count reports: %w", err)
		}
		byStatus[lapordesk.Status(st)] = n
	}
	rows.Close()
	out := map[lapordesk.Box]int{}
	for _, b := range lapordesk.Boxes {
		if b == lapordesk.BoxAction {
			continue
		}
		sts := b.Statuses()
		if sts == nil {
			for _, n := range byStatus {
				out[b] += n
			}
			continue
		}
		for _, st := range sts {
			out[b] += byStatus[st]
		}
	}
	limitDay := lapordesk.DueSoonLimit(today, ref.cal, ref.policy).String()
	for _, st := range lapordesk.BoxAction.Statuses() {
		// The index alone: sort_due compares as a date only when something is due.
		q := "SELECT count(*) FROM reports WHERE status = ? AND sort_due <= ?"
		a := []any{string(st), limitDay}
		if unit != "" {
			q = "SELECT count(*) FROM reports WHERE unit = ? AND status = ? AND sort_due <= ?"
			a = []any{unit, string(st), limitDay}
		}
		var n int
		if err := s.r.QueryRowContext(ctx, q, a...).Scan(&n); err != nil {
			return nil, fmt.Errorf("count reports due: %w", sqlitedb.Classify(err))
		}
		out[lapordesk.BoxAction] += n
	}
	return out, nil
}

// CountOverdue returns the number of open reports past a due date, for a unit ("" for all).
func (s *Store) CountOverdue(ctx context.Context, unit string) (int, error) {
	today := s.refs().cal.Today(s.now())
	q := "SELECT count(*) FROM reports WHERE sort_due < ?"
	a := []any{today.String()}
	if unit != "" {
		q += " AND unit = ?"
		a = append(a, unit)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, q, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count overdue: %w", sqlitedb.Classify(err))
	}
	return n, nil
}

// CountList returns how many reports match f, counting no further than max (a list
// header says "10.000+" rather than making the user wait for an exact count of a
// million). It reads the same index ranges as List.
func (s *Store) CountList(ctx context.Context, f lapordesk.Filter, max int) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	if max <= 0 {
		max = 10000
	}
	ref := s.refs()
	q, args, _ := buildList(f, ref, ref.cal.Today(s.now()), nil, max)
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM ("+q+")", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", sqlitedb.Classify(err))
	}
	return n, nil
}

// AgendaCollisions lists the agenda numbers that more than one report carries,
// with their reports' IDs: numbers two desks issued offline before each desk had
// its own prefix. Each report can still be named by its ID.
func (s *Store) AgendaCollisions(ctx context.Context) (map[string][]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT agenda_no, id FROM reports WHERE agenda_no IN
		(SELECT agenda_no FROM reports WHERE agenda_no != '' GROUP BY agenda_no HAVING count(*) > 1) ORDER BY agenda_no, id`)
	if err != nil {
		return nil, fmt.Errorf("agenda check: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var no, id string
		if err := rows.Scan(&no, &id); err != nil {
			return nil, fmt.Errorf("agenda check: %w", err)
		}
		out[no] = append(out[no], id)
	}
	return out, rows.Err()
}
