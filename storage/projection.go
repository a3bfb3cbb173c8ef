package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

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
