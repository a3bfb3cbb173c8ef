package exchange

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/storage"
)

// Benchmarks of import and export at scale (docs/benchmarks-exchange.md):
//
//	go test ./exchange -run '^$' -bench . -benchtime 1x -timeout 90m
//
// LAPORDESK_BENCH_N sets the number of reports (default 100000). Each benchmark
// reports rows/s; the baselines (encoding/csv writing and reading the same rows,
// and the store recording the same reports) run in the same process, so the
// ratios hold on a shared, noisy machine.

var bench struct {
	once    sync.Once
	dir     string
	src     *storage.Store
	n       int
	files   map[Format]string
	records [][]string // the CSV export's rows, for the baselines
	err     error
}

func benchN() int {
	if v, err := strconv.Atoi(os.Getenv("LAPORDESK_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return 100_000
}

// benchSetup fills a store with demo reports and exports it once per run.
func benchSetup(b *testing.B) {
	bench.once.Do(func() {
		bench.n = benchN()
		bench.dir, bench.err = os.MkdirTemp("", "lapordesk-bench-")
		if bench.err != nil {
			return
		}
		bench.src, bench.err = openBenchStore(filepath.Join(bench.dir, "src.db"))
		if bench.err != nil {
			return
		}
		g := demo.New(demo.Options{Seed: 7, Count: bench.n, Now: testNow, Unit: "DINKES", Calendar: bench.src.Calendar()})
		for {
			batch := g.Next(5000)
			if len(batch) == 0 {
				break
			}
			if bench.err = bench.src.RecordProgress(context.Background(), batch, nil); bench.err != nil {
				return
			}
		}
		bench.files = map[Format]string{}
		for _, f := range []Format{XLSX, CSV} {
			path := filepath.Join(bench.dir, "laporan."+string(f))
			if bench.err = exportTo(bench.src, path, f); bench.err != nil {
				return
			}
			bench.files[f] = path
		}
		var fh *os.File
		if fh, bench.err = os.Open(bench.files[CSV]); bench.err != nil {
			return
		}
		defer fh.Close()
		r := csv.NewReader(fh)
		bench.records, bench.err = r.ReadAll()
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

func openBenchStore(path string) (*storage.Store, error) {
	s, err := storage.Open(context.Background(), path, storage.WithClock(func() time.Time { return testNow }))
	if err != nil {
		return nil, err
	}
	err = s.SetProfile(context.Background(), lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit, Actor: "Andi"})
	return s, err
}

func exportTo(s *storage.Store, path string, f Format) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := ExportReports(context.Background(), s, lapordesk.Filter{Sort: lapordesk.SortReceived}, out, ExportOptions{Format: f}); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// peakHeap samples the heap while fn runs and returns how far its in-use size
// rose above where it stood before (garbage not yet collected included: this is
// what the process asks of the machine).
func peakHeap(fn func()) uint64 {
	var start runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&start)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	fn()
	close(done)
	if p := peak.Load(); p > start.HeapInuse {
		return p - start.HeapInuse
	}
	return 0
}

func report(b *testing.B, rows int, peak uint64) {
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "heap-rise-MB")
	}
}

func BenchmarkExport(b *testing.B) {
	benchSetup(b)
	for _, f := range []Format{XLSX, CSV} {
		b.Run(string(f), func(b *testing.B) {
			var peak uint64
			for i := 0; i < b.N; i++ {
				peak = max(peak, peakHeap(func() {
					n, err := ExportReports(context.Background(), bench.src, lapordesk.Filter{Sort: lapordesk.SortReceived}, io.Discard, ExportOptions{Format: f})
					if err != nil || n != bench.n {
						b.Fatal(n, err)
					}
				}))
			}
			report(b, bench.n, peak)
		})
	}
}

func BenchmarkImport(b *testing.B) {
	benchSetup(b)
	ctx := context.Background()
	for _, f := range []Format{XLSX, CSV} {
		b.Run(string(f), func(b *testing.B) {
			var peak uint64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dst, err := openBenchStore(filepath.Join(bench.dir, "dst-"+string(f)+strconv.Itoa(i)+".db"))
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				b.StartTimer()
				peak = max(peak, peakHeap(func() {
					tab, err := Read(ctx, bench.files[f], ReadOptions{})
					if err != nil {
						b.Fatal(err)
					}
					p, err := Analyze(ctx, dst, tab, Options{})
					if err != nil {
						b.Fatal(err)
					}
					res, err := Apply(ctx, dst, p, ApplyOptions{})
					if err != nil || res.Added != bench.n {
						b.Fatal(res, err)
					}
				}))
				b.StopTimer()
				dst.Close()
				b.StartTimer()
			}
			report(b, bench.n, peak)
		})
	}
	// The same file again into the now full store: every row compared, none written.
	b.Run("again-csv", func(b *testing.B) {
		dst, err := openBenchStore(filepath.Join(bench.dir, "dst-again.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer dst.Close()
		tab, _ := Read(ctx, bench.files[CSV], ReadOptions{})
		p, _ := Analyze(ctx, dst, tab, Options{})
		if _, err := Apply(ctx, dst, p, ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			tab, err := Read(ctx, bench.files[CSV], ReadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			p, err := Analyze(ctx, dst, tab, Options{})
			if err != nil || p.Unchanged != bench.n {
				b.Fatal(p.Unchanged, err)
			}
		}
		report(b, bench.n, 0)
	})
}

// BenchmarkBaseline measures what the same work costs without this package: plain
// encoding/csv writing and reading the exported rows, and the store recording the
// same reports' events (the floor under any import).
func BenchmarkBaseline(b *testing.B) {
	benchSetup(b)
	b.Run("csv-write", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			w := csv.NewWriter(io.Discard)
			if err := w.WriteAll(bench.records); err != nil {
				b.Fatal(err)
			}
		}
		report(b, bench.n, 0)
	})
	b.Run("csv-read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			fh, err := os.Open(bench.files[CSV])
			if err != nil {
				b.Fatal(err)
			}
			r := csv.NewReader(fh)
			n := 0
			for {
				if _, err := r.Read(); err != nil {
					break
				}
				n++
			}
			fh.Close()
			if n != bench.n+1 {
				b.Fatal(n)
			}
		}
		report(b, bench.n, 0)
	})
	b.Run("store-record", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dst, err := openBenchStore(filepath.Join(bench.dir, "rec"+strconv.Itoa(i)+".db"))
			if err != nil {
				b.Fatal(err)
			}
			g := demo.New(demo.Options{Seed: 7, Count: bench.n, Now: testNow, Unit: "DINKES", Calendar: dst.Calendar()})
			var evs []lapordesk.Event
			for batch := g.Next(5000); len(batch) > 0; batch = g.Next(5000) {
				evs = append(evs, batch...)
			}
			b.StartTimer()
			if err := dst.RecordProgress(context.Background(), evs, nil); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			dst.Close()
			b.StartTimer()
		}
		report(b, bench.n, 0)
	})
}
