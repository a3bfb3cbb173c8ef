package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/storage"
)

// The benchmarks run the code paths the window calls (start, a box's first page,
// a filter, a search, the counts, opening a report) on a store of 10 000 reports
// (the baseline) and of 1 000 000. The stores are built once per run, only when a
// benchmark runs (go test -bench), in a temporary folder; LAPORDESK_BENCH_DIR keeps
// them in a folder of your choice to reuse across runs (building a million reports
// takes the best part of an hour on a small machine).
//
//	go test -run '^$' -bench . -benchtime 200x ./ui/

var benchStores = struct {
	sync.Mutex
	dir    string
	temp   bool
	stores map[int]*storage.Store
}{stores: map[int]*storage.Store{}}

// benchStore returns a store of n demo reports for DINKES, building it if needed.
func benchStore(b *testing.B, n int) *storage.Store {
	b.Helper()
	benchStores.Lock()
	defer benchStores.Unlock()
	if s, ok := benchStores.stores[n]; ok {
		return s
	}
	if benchStores.dir == "" {
		benchStores.dir = os.Getenv("LAPORDESK_BENCH_DIR")
		if benchStores.dir == "" {
			d, err := os.MkdirTemp("", "lapordesk-bench-")
			if err != nil {
				b.Fatal(err)
			}
			benchStores.dir, benchStores.temp = d, true
		}
	}
	ctx := context.Background()
	path := filepath.Join(benchStores.dir, "demo-"+strconv.Itoa(n)+".db")
	s, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	p := lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit, Actor: "Admin Latihan", Training: true}
	if _, err := s.Profile(); err != nil {
		if err := s.SetProfile(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	have, err := s.CountList(ctx, lapordesk.Filter{}, n)
	if err != nil {
		b.Fatal(err)
	}
	if have != n {
		if have != 0 {
			b.Fatalf("%s holds %d reports, not %d: remove it", path, have, n)
		}
		start := time.Now()
		g := demo.New(demo.Options{Seed: 1, Count: n, Now: s.Now(), Unit: p.UnitCode, Calendar: s.Calendar()})
		for batch := g.Next(2000); len(batch) > 0; batch = g.Next(2000) {
			if err := s.Record(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("built %d reports in %s", n, time.Since(start).Round(time.Second))
	}
	benchStores.stores[n] = s
	return s
}

// benchSizes are the store sizes: the baseline and the target;
// LAPORDESK_BENCH_SIZES=10000 runs the baseline alone.
func benchSizes() []int {
	var out []int
	for _, f := range strings.Split(os.Getenv("LAPORDESK_BENCH_SIZES"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		out = []int{10_000, 1_000_000}
	}
	return out
}

// benchEach runs fn as a sub-benchmark for each store size.
func benchEach(b *testing.B, fn func(b *testing.B, s *storage.Store)) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			s := benchStore(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			fn(b, s)
		})
	}
}

// firstPage is what the list does on every reset: the first page through the pager,
// delivered on the (test) UI goroutine. f is as the list asks for it (storeFilter).
func firstPage(b *testing.B, s *storage.Store, f lapordesk.Filter) int {
	a := NewTestAsync(context.Background())
	p := newPager(a, s.List, listPageSize, listMaxPages)
	p.Reset(f)
	if err := a.Drain(time.Minute); err != nil {
		b.Fatal(err)
	}
	if p.err != nil {
		b.Fatal(p.err)
	}
	n, _ := p.Loaded()
	return n
}

func inbox() lapordesk.Filter {
	return lapordesk.Filter{Box: lapordesk.BoxInbox, Unit: "DINKES", Sort: lapordesk.SortDue}
}

// BenchmarkStart is what the user waits for when the window opens on an existing
// store: open the file and show the inbox's first page. (The counts and the list's
// header count run beside it and fill in when ready: BenchmarkCounts,
// BenchmarkListCount.)
func BenchmarkStart(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			s2, err := storage.Open(ctx, s.Path())
			if err != nil {
				b.Fatal(err)
			}
			if firstPage(b, s2, inbox()) == 0 {
				b.Fatal("empty inbox")
			}
			s2.Close()
		}
	})
}

func BenchmarkInboxFirstPage(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		for i := 0; i < b.N; i++ {
			if firstPage(b, s, inbox()) == 0 {
				b.Fatal("empty inbox")
			}
		}
	})
}

func BenchmarkActionBoxFirstPage(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		f := lapordesk.Filter{Box: lapordesk.BoxAction, Unit: "DINKES", Sort: lapordesk.SortDue}
		for i := 0; i < b.N; i++ {
			firstPage(b, s, f)
		}
	})
}

// BenchmarkFilter applies each filter of the panel to the boxes users filter most,
// with the list's own ordering (due date; received date for a date range).
func BenchmarkFilter(b *testing.B) {
	type filterCase struct {
		name string
		set  func(f *lapordesk.Filter, today lapordesk.Date)
	}
	cases := []filterCase{
		{"classification", func(f *lapordesk.Filter, _ lapordesk.Date) { f.Classification = lapordesk.Aspirasi }},
		{"category-topic", func(f *lapordesk.Filter, _ lapordesk.Date) { f.CategoryID = "kesehatan" }},
		{"category-leaf", func(f *lapordesk.Filter, _ lapordesk.Date) { f.CategoryID = "infrastruktur.jalan" }},
		{"channel", func(f *lapordesk.Filter, _ lapordesk.Date) { f.Channel = lapordesk.ChannelWalkIn }},
		{"overdue", func(f *lapordesk.Filter, _ lapordesk.Date) { f.Overdue = true }},
		{"last-90-days", func(f *lapordesk.Filter, t lapordesk.Date) {
			f.Since, f.Until = t.AddDays(-90), t
			if dateSort(*f, t) {
				f.Sort = lapordesk.SortReceived
			}
		}},
		{"a-month-last-year", func(f *lapordesk.Filter, t lapordesk.Date) {
			f.Since, f.Until = t.AddDays(-400), t.AddDays(-370)
			if dateSort(*f, t) {
				f.Sort = lapordesk.SortReceived
			}
		}},
		{"classification+overdue", func(f *lapordesk.Filter, _ lapordesk.Date) {
			f.Classification, f.Overdue = lapordesk.Pengaduan, true
		}},
	}
	for _, box := range []lapordesk.Box{lapordesk.BoxInbox, lapordesk.BoxAction, lapordesk.BoxAll} {
		for _, c := range cases {
			b.Run(string(box)+"/"+c.name, func(b *testing.B) {
				benchEach(b, func(b *testing.B, s *storage.Store) {
					f := lapordesk.Filter{Box: box, Unit: "DINKES", Sort: lapordesk.SortDue}
					c.set(&f, lapordesk.DateOf(s.Now(), s.Calendar().Location))
					f = storeFilter(f, s.Categories())
					for i := 0; i < b.N; i++ {
						firstPage(b, s, f)
					}
				})
			})
		}
	}
}

// BenchmarkSearch types "puskes" (a common word, as a prefix) in the inbox and in
// all reports; the list shows the newest matches first.
func BenchmarkSearch(b *testing.B) {
	for _, q := range []struct{ name, text string }{{"common-prefix", "puskes"}, {"two-words", "jalan rusak"}, {"rare", "Mattirowalie"}} {
		b.Run(q.name, func(b *testing.B) {
			benchEach(b, func(b *testing.B, s *storage.Store) {
				f := storeFilter(lapordesk.Filter{Box: lapordesk.BoxAll, Unit: "DINKES", Text: q.text}, s.Categories())
				for i := 0; i < b.N; i++ {
					firstPage(b, s, f)
				}
			})
		})
	}
}

// BenchmarkCounts is the navigation's count per box.
func BenchmarkCounts(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			if _, err := s.Counts(ctx, "DINKES"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListCount is the list header's count (capped at countCap).
func BenchmarkListCount(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			if _, err := s.CountList(ctx, storeFilter(lapordesk.Filter{Box: lapordesk.BoxAll, Unit: "DINKES", Text: "puskes"}, s.Categories()), countCap); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScroll reads the tenth page of the inbox, as scrolling does.
func BenchmarkScroll(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		ctx := context.Background()
		after := ""
		f := storeFilter(lapordesk.Filter{Box: lapordesk.BoxAll, Unit: "DINKES", Sort: lapordesk.SortDue}, s.Categories())
		for i := 0; i < 9; i++ {
			pg, err := s.List(ctx, f, listPageSize, after)
			if err != nil {
				b.Fatal(err)
			}
			after = pg.Next
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.List(ctx, f, listPageSize, after); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOpenReport is a click on a row: the detail pane's View.
func BenchmarkOpenReport(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		ctx := context.Background()
		pg, err := s.List(ctx, inbox(), 50, "")
		if err != nil || len(pg.Items) == 0 {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.View(ctx, pg.Items[i%len(pg.Items)].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRecap is the Rekap screen's default period, the last three months
// (it reads every report of the period; the screen shows progress meanwhile).
func BenchmarkRecap(b *testing.B) {
	benchEach(b, func(b *testing.B, s *storage.Store) {
		ctx := context.Background()
		today := lapordesk.DateOf(s.Now(), s.Calendar().Location)
		from := lapordesk.NewDate(today.Year, today.Month-2, 1)
		for i := 0; i < b.N; i++ {
			if _, err := s.Recap(ctx, from, today, "DINKES"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
