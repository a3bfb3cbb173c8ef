package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/storage"
)

// benchNow is the fixed moment of every benchmark store, so runs compare.
var benchNow = time.Date(2026, 11, 27, 8, 0, 0, 0, wita)

// BenchStore returns a store holding n demo reports with full histories. Building a
// million takes minutes, so the file is kept in the temporary folder and reused by
// later runs (it is rebuilt when the schema changes). It is exported for the GUI's
// benchmarks through the helper in this file's package only.
func benchStore(b *testing.B, n int) *storage.Store {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "lapordesk-bench")
	path := filepath.Join(dir, fmt.Sprintf("demo-%d-seed1-schema%d.db", n, storage.SchemaVersion()))
	if s, err := storage.Open(ctx, path, storage.WithClock(func() time.Time { return benchNow })); err == nil {
		var done bool
		if s.Setting(ctx, "bench_complete", &done) == nil && done {
			return s
		}
		s.Close()
	}
	os.MkdirAll(dir, 0o755)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	s, err := storage.Open(ctx, path, storage.WithClock(func() time.Time { return benchNow }))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetProfile(ctx, lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	g := demo.New(demo.Options{Seed: 1, Count: n, Now: benchNow.Add(-8 * time.Hour), Unit: "DINKES", Calendar: s.Calendar()})
	for done := 0; ; {
		batch := g.Next(2000)
		if batch == nil {
			break
		}
		if err := s.Record(ctx, batch); err != nil {
			b.Fatal(err)
		}
		done += 2000
		if done%100000 == 0 {
			b.Logf("built %d reports in %v", done, time.Since(start).Round(time.Second))
		}
	}
	if err := s.PutSetting(ctx, "bench_complete", true); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d-report store in %v", n, time.Since(start).Round(time.Second))
	return s
}

// BenchmarkInsert100k inserts 100k demo reports through the store API (ReceiveMany,
// 1000 reports per transaction) and then the very same rows (events, outbox,
// projection, search index) with plain INSERT statements into a fresh store of the
// same schema, in the same run. The metric that matters is ratio = store rate / raw
// rate (target >= 0.5): what validation, replay, projection and masking cost on
// top of the SQL they must do.
func BenchmarkInsert100k(b *testing.B) {
	const n, batch = 100000, 1000
	cal := lapordesk.NewCalendar(wita, nil)
	g := demo.New(demo.Options{Seed: 3, Count: n, Now: benchNow, Unit: "DINKES", Calendar: cal})
	var reports []lapordesk.NewReport
	for evs := g.Next(batch); evs != nil; evs = g.Next(batch) {
		for _, e := range evs {
			if e.Kind == lapordesk.EvReceived {
				nr := *e.Payload.Report
				nr.Unit, nr.AgendaNo = "", "" // this desk receives them
				reports = append(reports, nr)
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		s, err := storage.Open(ctx, filepath.Join(dir, "api.db"), storage.WithClock(func() time.Time { return benchNow }))
		if err != nil {
			b.Fatal(err)
		}
		s.SetProfile(ctx, lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit})
		b.StartTimer()
		start := time.Now()
		for j := 0; j < n; j += batch {
			if _, err := s.ReceiveMany(ctx, reports[j:j+batch]); err != nil {
				b.Fatal(err)
			}
		}
		apiDur := time.Since(start)
		b.StopTimer()
		s.Close()

		raw, err := storage.Open(ctx, filepath.Join(dir, "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		raw.Close()
		rawDur := rawCopy(b, filepath.Join(dir, "api.db"), filepath.Join(dir, "raw.db"), batch)
		b.ReportMetric(float64(n)/apiDur.Seconds(), "store_reports/s")
		b.ReportMetric(float64(n)/rawDur.Seconds(), "raw_reports/s")
		b.ReportMetric(rawDur.Seconds()/apiDur.Seconds(), "ratio")
		b.StartTimer()
	}
}

// rawCopy reads every row the store wrote and times writing them again with plain
// prepared INSERTs, batch reports per transaction, into an empty store of the same
// schema and settings.
func rawCopy(b *testing.B, from, to string, batch int) time.Duration {
	src, err := sql.Open("sqlite", "file:"+from+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	type row struct {
		event   []any
		report  []any
		fts     []any
		outboxN int64
	}
	var rows []row
	q, err := src.Query(`SELECT e.seq, e.id, e.report_id, e.kind, e.at, e.unit, e.body, e.hash,
		r.rid, r.id, r.agenda_no, r.classification, r.category_id, r.category_path, r.title, r.body, r.location_text, r.channel,
		r.confidentiality, r.status, r.status_rank, r.unit, r.received_at, r.received_date, r.updated_at, r.step, r.due_date,
		r.resolution_due, r.late_date, r.sort_due, r.version, r.state
		FROM events e JOIN reports r ON r.id = e.report_id ORDER BY e.seq`)
	if err != nil {
		b.Fatal(err)
	}
	for q.Next() {
		ev := make([]any, 8)
		rp := make([]any, 24)
		dst := make([]any, 0, 32)
		for i := range ev {
			dst = append(dst, &ev[i])
		}
		for i := range rp {
			dst = append(dst, &rp[i])
		}
		if err := q.Scan(dst...); err != nil {
			b.Fatal(err)
		}
		rows = append(rows, row{event: ev, report: rp, fts: []any{rp[0], rp[6], rp[7], rp[8], rp[5]}, outboxN: ev[0].(int64)})
	}
	q.Close()

	dst, err := sql.Open("sqlite", "file:"+to+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	dst.SetMaxOpenConns(1)
	start := time.Now()
	for i := 0; i < len(rows); i += batch {
		tx, err := dst.Begin()
		if err != nil {
			b.Fatal(err)
		}
		insE, _ := tx.Prepare("INSERT INTO events (seq, id, report_id, kind, at, unit, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
		insO, _ := tx.Prepare("INSERT INTO outbox (seq) VALUES (?)")
		insR, _ := tx.Prepare(`INSERT INTO reports (rid, id, agenda_no, classification, category_id, category_path, title, body, location_text, channel,
			confidentiality, status, status_rank, unit, received_at, received_date, updated_at, step, due_date, resolution_due, late_date, sort_due, version, state)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		insF, _ := tx.Prepare("INSERT INTO report_fts (rowid, title, body, location_text, category_path) VALUES (?, ?, ?, ?, ?)")
		end := min(i+batch, len(rows))
		for _, r := range rows[i:end] {
			for _, st := range []struct {
				s    *sql.Stmt
				args []any
			}{{insE, r.event}, {insO, []any{r.outboxN}}, {insR, r.report}} {
				if _, err := st.s.Exec(st.args...); err != nil {
					b.Fatal(err)
				}
			}
		}
		for _, r := range rows[i:end] {
			if _, err := insF.Exec(r.fts...); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// The list and search paths at a million reports: the inbox's first page, the next
// page, the urgent box, a filter, and full-text searches (top 50, newest first).
func BenchmarkMillion(b *testing.B) {
	s := benchStore(b, 1_000_000)
	defer s.Close()
	first, err := s.List(ctx, lapordesk.Filter{Box: lapordesk.BoxInbox, Unit: "DINKES"}, 50, "")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name   string
		f      lapordesk.Filter
		cursor string
	}{
		{"InboxPage", lapordesk.Filter{Box: lapordesk.BoxInbox, Unit: "DINKES"}, ""},
		{"InboxNextPage", lapordesk.Filter{Box: lapordesk.BoxInbox, Unit: "DINKES"}, first.Next},
		{"ActionBox", lapordesk.Filter{Box: lapordesk.BoxAction, Unit: "DINKES"}, ""},
		{"AllByReceived", lapordesk.Filter{Sort: lapordesk.SortReceived}, ""},
		{"OverdueInfrastructure", lapordesk.Filter{Overdue: true, CategoryID: "infrastruktur"}, ""},
		{"ClosedAspirasi", lapordesk.Filter{Box: lapordesk.BoxDone, Classification: lapordesk.Aspirasi}, ""},
		{"InboxByChannel", lapordesk.Filter{Box: lapordesk.BoxInbox, Unit: "DINKES", Channel: lapordesk.ChannelEmail}, ""},
		{"InboxRareCategory", lapordesk.Filter{Box: lapordesk.BoxInbox, Unit: "DINKES", CategoryID: "bencana"}, ""},
		{"ActionRequestsForInfo", lapordesk.Filter{Box: lapordesk.BoxAction, Classification: lapordesk.PermintaanInformasi}, ""},
		{"ReceivedLastWeek", lapordesk.Filter{Since: lapordesk.NewDate(2026, 11, 20)}, ""},
		{"CategoryNewestFirst", lapordesk.Filter{CategoryID: "kesehatan.puskesmas", Sort: lapordesk.SortReceived}, ""},
		{"CategoryByStatus", lapordesk.Filter{CategoryID: "infrastruktur", Sort: lapordesk.SortStatus}, ""},
		{"RareCategoryNewestFirst", lapordesk.Filter{CategoryID: "bencana", Sort: lapordesk.SortReceived}, ""},
		{"SearchCommon", lapordesk.Filter{Text: "jalan"}, ""},
		{"SearchPrefix", lapordesk.Filter{Text: "puskes"}, ""},
		{"SearchTwoWords", lapordesk.Filter{Text: "jembatan lapuk"}, ""},
		{"SearchRare", lapordesk.Filter{Text: "abrasi"}, ""},
		{"SearchInInbox", lapordesk.Filter{Text: "ktp", Box: lapordesk.BoxInbox}, ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var got int
			for i := 0; i < b.N; i++ {
				p, err := s.List(ctx, c.f, 50, c.cursor)
				if err != nil {
					b.Fatal(err)
				}
				got = len(p.Items)
			}
			if got == 0 {
				b.Fatalf("%s: no results", c.name)
			}
		})
	}
	b.Run("Counts", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.Counts(context.Background(), "DINKES"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("View", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.View(ctx, first.Items[i%len(first.Items)].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
