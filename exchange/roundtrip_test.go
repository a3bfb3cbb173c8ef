package exchange

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// The round trip's meaning of "the same state": every report comes back with the
// same agenda number and tracking ID, the same fields (reporter identity included,
// Anonim ones masked as they were), the same status and unit, and the same key
// dates (received, verified, disposed, first response, follow-up, closed), to the
// second. A spreadsheet summarises a history, it does not hold it: the texts of
// responses and notes, the UUIDs, and whatever derives from the detailed history
// (the date the status began after a postponement was lifted, hence the deadline)
// are not part of it. So two stores hold the same state when their exports agree
// in every column but ID, Status Sejak and Tenggat.
var roundTripIgnored = map[string]bool{colID: true, FieldStatusSince: true, colDeadline: true}

// exportState reads an export back and keys its rows by agenda number.
func exportState(t *testing.T, path string) (map[string][]string, []string) {
	t.Helper()
	tab, err := Read(context.Background(), path, ReadOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	keep := []int{}
	var names []string
	for i, c := range exportColumns {
		if !roundTripIgnored[c.key] {
			keep = append(keep, i)
			names = append(names, c.key)
		}
	}
	agenda := 2 // the agenda number's column
	out := map[string][]string{}
	for _, r := range tab.Rows {
		var vals []string
		for _, i := range keep {
			vals = append(vals, r.Get(i+1))
		}
		out[r.Get(agenda+1)] = vals
	}
	return out, names
}

func compareStates(t *testing.T, want, got string) {
	t.Helper()
	a, names := exportState(t, want)
	b, _ := exportState(t, got)
	if len(a) != len(b) {
		t.Errorf("%d reports exported from the source, %d after the round trip", len(a), len(b))
	}
	diffs := 0
	for agenda, va := range a {
		vb, ok := b[agenda]
		if !ok {
			t.Errorf("agenda %s missing after the round trip", agenda)
			diffs++
			continue
		}
		for i := range va {
			if va[i] != vb[i] {
				diffs++
				if diffs <= 15 {
					t.Errorf("agenda %s, %s: %q became %q", agenda, names[i], va[i], vb[i])
				}
			}
		}
	}
	if diffs > 15 {
		t.Errorf("... %d differences in all", diffs)
	}
}

// The round trip runs on 2 000 demo reports, enough for every status, channel,
// classification and confidentiality the generator makes to appear many times
// (checked below); the speed at 100 000 is BenchmarkExport/BenchmarkImport's.
// requireVariety fails unless each column shows every one of its values, each on
// several rows, so the round trip is tried on every kind of report.
func requireVariety(t *testing.T, path string, values map[string]int) {
	t.Helper()
	state, names := exportState(t, path)
	for i, name := range names {
		want, ok := values[name]
		if !ok {
			continue
		}
		seen := map[string]int{}
		for _, row := range state {
			seen[row[i]]++
		}
		if len(seen) != want {
			t.Fatalf("%s: the demo reports show %d values, not all %d", name, len(seen), want)
		}
		for v, c := range seen {
			if c < 5 && !testing.Short() {
				t.Fatalf("%s: %q on only %d reports", name, v, c)
			}
		}
	}
}

func TestRoundTripThroughXLSXAndCSV(t *testing.T) {
	t.Parallel()
	n := 2000
	if testing.Short() {
		n = 500
	}
	src := openStore(t)
	fillDemo(t, src, n)
	requireVariety(t, exportFile(t, src, CSV), map[string]int{FieldStatus: len(lapordesk.Statuses), FieldChannel: len(lapordesk.Channels),
		FieldClassification: len(lapordesk.Classifications), FieldConfidentiality: len(lapordesk.Confidentialities)})
	for _, f := range []Format{XLSX, CSV} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel() // each format has its own target store; the source is only read
			out := exportFile(t, src, f)
			dst := openStore(t)
			p, res := importFile(t, dst, out)
			if res.Added != n || res.Updated != 0 || p.Add != n {
				t.Fatalf("first import: %+v", res)
			}
			again := exportFile(t, dst, f)
			compareStates(t, out, again)

			// Importing the same file again changes nothing at all.
			before, _ := dst.StateHash(context.Background())
			pending, _ := dst.Pending(context.Background())
			p2, res2 := importFile(t, dst, out)
			if res2.Added != 0 || res2.Updated != 0 || res2.Unchanged != n {
				var sample []string
				for _, r := range p2.Rows {
					if r.Action == ActionUpdate && len(sample) < 5 {
						sample = append(sample, fmt.Sprintf("row %d %v", r.Row, r.Changes))
					}
				}
				t.Fatalf("second import: %+v %s", res2, strings.Join(sample, "; "))
			}
			after, _ := dst.StateHash(context.Background())
			pending2, _ := dst.Pending(context.Background())
			if before != after || pending != pending2 {
				t.Fatalf("the second import changed the store (%d → %d events waiting)", pending, pending2)
			}
		})
	}
	_ = i18n.T
}
