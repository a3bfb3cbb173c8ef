package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
)

// Every template fills cleanly: no report carries a formatting error.
func TestTemplatesFill(t *testing.T) {
	for _, tp := range topics {
		for _, title := range tp.titles {
			if strings.Count(title, "%s") != 1 {
				t.Errorf("title %q needs exactly one %%s for the place", title)
			}
		}
	}
	g := New(Options{Seed: 9, Count: 3000, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), Unit: "DINKES"})
	statuses := map[lapordesk.Status]int{}
	for evs := g.Next(500); evs != nil; evs = g.Next(500) {
		byReport := map[string][]lapordesk.Event{}
		var order []string
		for _, e := range evs {
			if e.Kind == lapordesk.EvReceived && strings.Contains(e.Payload.Report.Title, "%!") {
				t.Fatalf("malformed title %q", e.Payload.Report.Title)
			}
			k := e.ReportID.String()
			if _, ok := byReport[k]; !ok {
				order = append(order, k)
			}
			byReport[k] = append(byReport[k], e)
		}
		for _, k := range order {
			r, err := lapordesk.Replay(byReport[k])
			if err != nil || len(r.Conflicts) > 0 {
				t.Fatalf("history of %s does not apply cleanly: %v %+v", k, err, r.Conflicts)
			}
			statuses[r.Status]++
		}
	}
	for _, st := range lapordesk.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no demo report in status %s", st)
		}
	}
}
