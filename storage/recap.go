package storage

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// Recap summarises the reports received from one date to another (inclusive) for a
// unit ("" for all): counts by status, outcome, classification, channel, top-level
// category and month; overdue and due this week as of now; average working days to
// the first response and to the follow-up.
func (s *Store) Recap(ctx context.Context, from, to lapordesk.Date, unit string) (lapordesk.Recap, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return lapordesk.Recap{}, fmt.Errorf("recap: %w", &lapordesk.FieldError{Field: "until", Problem: lapordesk.ProblemRange, Value: from.String() + ".." + to.String()})
	}
	ref := s.refs()
	cal := ref.cal
	today := cal.Today(s.now())
	// The working week ends on the last working day up to Sunday.
	weekEnd := today.AddDays((7 - int(today.Weekday())) % 7)
	rc := lapordesk.Recap{
		From: from, To: to, Unit: unit,
		ByStatus: map[lapordesk.Status]int{}, ByOutcome: map[lapordesk.Outcome]int{},
		ByClassification: map[lapordesk.Classification]int{}, ByChannel: map[lapordesk.Channel]int{},
	}
	q := `SELECT status, classification, channel, category_id, received_date, received_at, first_response_at, follow_up_at, sort_due
		FROM reports WHERE received_date >= ? AND received_date <= ?`
	args := []any{from.String(), to.String()}
	if unit != "" {
		q += " AND +unit = ?" // the recap index, not the unit's list index
		args = append(args, unit)
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return rc, fmt.Errorf("recap: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	todayKey, weekEndKey := today.String(), weekEnd.String()
	byCat := map[string]int{}
	byMonth := map[string]int{}
	var respDays, fuDays int
	// Most reports share their dates with many others: count each pair of days once.
	spans := map[[2]lapordesk.Date]int{}
	workingDays := func(from, to lapordesk.Date) int {
		k := [2]lapordesk.Date{from, to}
		n, ok := spans[k]
		if !ok {
			n = cal.WorkingDaysBetween(from, to)
			spans[k] = n
		}
		return n
	}
	for rows.Next() {
		var st, cl, ch, cat, recvDate, late string
		var recvMs int64
		var firstResp, followUp *int64
		if err := rows.Scan(&st, &cl, &ch, &cat, &recvDate, &recvMs, &firstResp, &followUp, &late); err != nil {
			return rc, fmt.Errorf("recap: %w", err)
		}
		rc.Total++
		status := lapordesk.Status(st)
		rc.ByStatus[status]++
		rc.ByOutcome[status.Outcome()]++
		rc.ByClassification[lapordesk.Classification(cl)]++
		rc.ByChannel[lapordesk.Channel(ch)]++
		byCat[topCategory(ref.cats, cat)]++
		byMonth[recvDate[:7]]++
		// sort_due compares as a date only when something is due (see sortKeys).
		if late < todayKey {
			rc.Overdue++
		} else if late <= weekEndKey {
			rc.DueThisWeek++
		}
		recv := lapordesk.DateOf(time.UnixMilli(recvMs), cal.Location)
		if firstResp != nil {
			rc.Responded++
			respDays += workingDays(recv, lapordesk.DateOf(time.UnixMilli(*firstResp), cal.Location))
		}
		if followUp != nil {
			rc.FollowedUp++
			fuDays += workingDays(recv, lapordesk.DateOf(time.UnixMilli(*followUp), cal.Location))
		}
	}
	if err := rows.Err(); err != nil {
		return rc, fmt.Errorf("recap: %w", err)
	}
	if rc.Responded > 0 {
		rc.AvgDaysToResponse = float64(respDays) / float64(rc.Responded)
	}
	if rc.FollowedUp > 0 {
		rc.AvgDaysToFollowUp = float64(fuDays) / float64(rc.FollowedUp)
	}
	for id, n := range byCat {
		label := ref.cats.Path(id)
		if id == "" {
			label = ""
		}
		rc.ByCategory = append(rc.ByCategory, lapordesk.Count{Key: id, Label: label, N: n})
	}
	sort.Slice(rc.ByCategory, func(i, j int) bool {
		a, b := rc.ByCategory[i], rc.ByCategory[j]
		if a.N != b.N {
			return a.N > b.N
		}
		return a.Key < b.Key
	})
	// Every month of the period, empty ones too, so a chart shows the gaps.
	for m := lapordesk.NewDate(from.Year, from.Month, 1); !m.After(to); m = lapordesk.NewDate(m.Year, m.Month+1, 1) {
		key := m.String()[:7]
		rc.ByMonth = append(rc.ByMonth, lapordesk.Count{Key: key, Label: key, N: byMonth[key]})
	}
	return rc, nil
}

// topCategory returns the top-level ancestor of a category ("" for none or unknown).
func topCategory(t *lapordesk.CategoryTree, id string) string {
	c, ok := t.Get(id)
	for ok && c.ParentID != "" {
		c, ok = t.Get(c.ParentID)
	}
	if !ok {
		return ""
	}
	return c.ID
}
