package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
)

// The list queries must be answered from indexes in order: a "TEMP B-TREE" (a sort)
// or a full SCAN of reports would make a page cost O(n) at a million reports.
func TestListQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ref := s.refs()
	today := lapordesk.NewDate(2026, 11, 27)
	cur := &cursor{Key: "2026-11-01", N: 3, RID: 10}
	filters := map[string]lapordesk.Filter{
		"inbox unit":      {Box: lapordesk.BoxInbox, Unit: "DINKES"},
		"inbox":           {Box: lapordesk.BoxInbox},
		"action":          {Box: lapordesk.BoxAction, Unit: "DINKES"},
		"overdue":         {Overdue: true},
		"by received":     {Sort: lapordesk.SortReceived},
		"by status":       {Sort: lapordesk.SortStatus, Box: lapordesk.BoxInProgress},
		"by status all":   {Sort: lapordesk.SortStatus},
		"due reversed":    {Sort: lapordesk.SortDue, Reverse: true},
		"search":          {Text: "jalan"},
		"search in box":   {Text: "jalan", Box: lapordesk.BoxInbox},
		"done":            {Box: lapordesk.BoxDone},
		"classification":  {Classification: lapordesk.Aspirasi, Box: lapordesk.BoxWaiting},
		"unit by status":  {Unit: "DINKES", Sort: lapordesk.SortStatus, Classification: lapordesk.Aspirasi},
		"unit received":   {Unit: "DINKES", Sort: lapordesk.SortReceived, Channel: lapordesk.ChannelEmail},
		"unit all by due": {Unit: "DINKES", Classification: lapordesk.Aspirasi, Overdue: true},
	}
	for name, f := range filters {
		for _, c := range []*cursor{nil, cur} {
			q, args, _ := buildList(f, ref, today, c, 51)
			rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, q)
			}
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				rows.Scan(&id, &parent, &notused, &detail)
				plan = append(plan, detail)
			}
			rows.Close()
			p := strings.Join(plan, " | ")
			bad := false
			for i, line := range plan {
				// Sorting the LIMITed rows of a merged sub-select is cheap; sorting
				// what a search of the reports table yields is not.
				if strings.Contains(line, "TEMP B-TREE") && i > 0 && (strings.HasPrefix(plan[i-1], "SEARCH r") || strings.HasPrefix(plan[i-1], "SCAN r") || strings.HasPrefix(plan[i-1], "SCAN report_fts")) {
					bad = true
				}
				if strings.HasPrefix(line, "SCAN r") && !strings.Contains(line, "INDEX") {
					bad = true
				}
			}
			if bad {
				t.Errorf("%s (cursor %v): plan sorts or scans:\n%s\n%s", name, c != nil, p, q)
			}
		}
	}
}

// A list of the reports with a conflict starts from their partial index, whatever
// else the filter says: walking a status or unit range to find the few would cost
// O(n) at a million reports.
func TestConflictListStartsFromItsIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	today := lapordesk.NewDate(2026, 11, 27)
	for _, f := range []lapordesk.Filter{
		{Conflicts: true},
		{Conflicts: true, Box: lapordesk.BoxAll, Statuses: lapordesk.Statuses},
		{Conflicts: true, Box: lapordesk.BoxInbox, Unit: "DINKES"},
		{Conflicts: true, Unit: "DINKES", Classification: lapordesk.Aspirasi, CategoryID: "kesehatan"},
	} {
		q, args, _ := buildList(f, s.refs(), today, nil, 51)
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, " | ")
		if !strings.HasPrefix(p, "SEARCH r USING INTEGER PRIMARY KEY") || !strings.Contains(p, "reports_conflicts") {
			t.Errorf("%+v: plan does not start from the conflicts index:\n%s", f, p)
		}
	}
}
