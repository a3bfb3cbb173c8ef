package exchange

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

var wita = time.FixedZone("WITA", 8*3600)

// testNow is the stores' clock: a Monday morning in Barru.
var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, wita)

func TestMain(m *testing.M) {
	if err := i18n.Use("id"); err != nil {
		panic(err)
	}
	code := m.Run()
	if bench.src != nil {
		bench.src.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// openStore opens a fresh store set up for DINKES, with a fixed clock.
func openStore(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"), storage.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.SetProfile(context.Background(), lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit, Actor: "Andi"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fillDemo records n demo reports.
func fillDemo(t testing.TB, s *storage.Store, n int) {
	t.Helper()
	g := demo.New(demo.Options{Seed: 7, Count: n, Now: s.Now(), Unit: "DINKES", Calendar: s.Calendar()})
	for {
		batch := g.Next(2000)
		if len(batch) == 0 {
			return
		}
		if err := s.Record(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
	}
}

// exportFile exports every report to a file of the format and returns its path.
func exportFile(t testing.TB, s *storage.Store, f Format, opts ...func(*ExportOptions)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "laporan."+string(f))
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	o := ExportOptions{Format: f}
	for _, fn := range opts {
		fn(&o)
	}
	if _, err := ExportReports(context.Background(), s, lapordesk.Filter{Sort: lapordesk.SortReceived}, out, o); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// importFile reads, analyses and applies a file; it fails the test on problems.
func importFile(t testing.TB, s *storage.Store, path string) (*Preview, Result) {
	t.Helper()
	ctx := context.Background()
	tab, err := Read(ctx, path, ReadOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	p, err := Analyze(ctx, s, tab, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, pr := range p.AllProblems() {
		if i < 10 {
			t.Errorf("problem: %s", Message(pr))
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	res, err := Apply(ctx, s, p, ApplyOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	return p, res
}

// writeCSV writes text (with a header line) to a file.
func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
