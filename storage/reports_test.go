package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/storage"
)

var ctx = context.Background()

func mustReceive(t testing.TB, s *storage.Store, n lapordesk.NewReport) lapordesk.View {
	t.Helper()
	v, err := s.Receive(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustAct(t testing.TB, s *storage.Store, id uuid.UUID, cmd lapordesk.Command) lapordesk.View {
	t.Helper()
	v, err := s.Act(ctx, id, cmd)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Action, err)
	}
	return v
}

func countRows(t testing.TB, s *storage.Store, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A batch is one transaction: one bad report and nothing is written, no agenda
// number is spent.
func TestReceiveManyIsAtomic(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	bad := sample("")
	_, err := s.ReceiveMany(ctx, []lapordesk.NewReport{sample("Satu"), sample("Dua"), bad})
	var ve lapordesk.ValidationErrors
	if !errors.As(err, &ve) || ve.For("title") == nil || !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("got %v, want a title validation error", err)
	}
	if !strings.Contains(err.Error(), "report 3") {
		t.Errorf("error %q does not name the report", err)
	}
	if n := countRows(t, s, "events"); n != 0 {
		t.Fatalf("%d events written by a failed batch", n)
	}
	v := mustReceive(t, s, sample("Tiga"))
	if v.Report.AgendaNo != "DINKES-2026-00001" {
		t.Errorf("agenda %s: a failed batch spent numbers", v.Report.AgendaNo)
	}
}

func TestHugeAndBrokenInputWritesNothing(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	cases := map[string]func(*lapordesk.NewReport){
		"title 1MB":          func(n *lapordesk.NewReport) { n.Title = strings.Repeat("a", 1<<20) },
		"invalid utf8 body":  func(n *lapordesk.NewReport) { n.Body = "jalan \xff\xfe rusak" },
		"unknown category":   func(n *lapordesk.NewReport) { n.CategoryID = "kesehatan.tidak-ada" },
		"unknown unit":       func(n *lapordesk.NewReport) { n.Unit = "NOWHERE" },
		"future incident":    func(n *lapordesk.NewReport) { n.IncidentDate = lapordesk.NewDate(2030, 1, 1) },
		"bad phone":          func(n *lapordesk.NewReport) { n.Reporter.Phone = "call me" },
		"control characters": func(n *lapordesk.NewReport) { n.Title = "judul\x00" },
	}
	for name, mutate := range cases {
		n := sample("Laporan")
		mutate(&n)
		if _, err := s.Receive(ctx, n); !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	if n := countRows(t, s, "events") + countRows(t, s, "reports") + countRows(t, s, "counters"); n != 0 {
		t.Fatalf("bad input wrote %d rows", n)
	}
}

func TestTrackingIDIsUnique(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	a := sample("A")
	a.TrackingID = "4012345"
	mustReceive(t, s, a)
	b := sample("B")
	b.TrackingID = "4012345"
	_, err := s.Receive(ctx, b)
	var fe *lapordesk.FieldError
	if !errors.As(err, &fe) || fe.Field != "tracking_id" || fe.Problem != lapordesk.ProblemDuplicate {
		t.Fatalf("got %v, want duplicate tracking_id", err)
	}
	// Assigning a used ID by an edit is refused too.
	c := mustReceive(t, s, sample("C"))
	_, err = s.Act(ctx, c.Report.ID, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{{Field: "tracking_id", Value: "4012345"}}})
	if !errors.As(err, &fe) || fe.Field != "tracking_id" {
		t.Fatalf("edit: got %v, want duplicate tracking_id", err)
	}
	id, err := s.Resolve(ctx, "4012345")
	if err != nil || id == c.Report.ID {
		t.Fatalf("resolve tracking id: %v %v", id, err)
	}
}

// The whole lifecycle through the store, and an illegal action writes nothing.
func TestLifecycleAndIllegalActions(t *testing.T) {
	t.Parallel()
	s, c := openTest(t)
	v := mustReceive(t, s, sample("Jalan rusak"))
	id := v.Report.ID
	events := countRows(t, s, "events")
	_, err := s.Act(ctx, id, lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "x"})
	var te *lapordesk.TransitionError
	if !errors.As(err, &te) || te.Status != lapordesk.StatusNew || te.Action != lapordesk.ActFollowUp {
		t.Fatalf("follow-up on new: %v", err)
	}
	if !strings.Contains(err.Error(), "baru") || !strings.Contains(err.Error(), "follow-up") {
		t.Errorf("message %q does not name status and action", err)
	}
	if countRows(t, s, "events") != events {
		t.Fatal("an illegal action wrote an event")
	}
	c.Add(2 * time.Hour)
	mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActVerify, Changes: []lapordesk.FieldChange{{Field: "title", Value: "Jalan poros Pancana rusak"}}})
	v = mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "PUPR", Instructions: []string{"Proses lebih lanjut"}, Text: "Segera"})
	if v.Report.Unit != "PUPR" || v.Report.Title != "Jalan poros Pancana rusak" || v.Deadline.Step != lapordesk.StepFollowUp {
		t.Fatalf("after dispose: unit %s title %q step %s", v.Report.Unit, v.Report.Title, v.Deadline.Step)
	}
	// Monday 23 Nov + 5 working days = Monday 30 Nov.
	if v.Deadline.Due.String() != "2026-11-30" {
		t.Errorf("follow-up due %s, want 2026-11-30", v.Deadline.Due)
	}
	// DINKES's desk may no longer move it, only add notes.
	_, err = s.Act(ctx, id, lapordesk.Command{Action: lapordesk.ActReturn, Reason: "x"})
	var fe *lapordesk.FieldError
	if !errors.As(err, &fe) || fe.Problem != lapordesk.ProblemNotHolder {
		t.Fatalf("return by a unit that no longer holds it: %v", err)
	}
	mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActNote, Text: "Sudah diteruskan ke PUPR"})
	// PUPR's desk returns it.
	setUnit(t, s, "PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang")
	v = mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActReturn, Reason: "Bukan wewenang kami"})
	setUnit(t, s, "DINKES", "Dinas Kesehatan")
	if v.Report.Unit != "DINKES" || v.Report.Status != lapordesk.StatusReturned {
		t.Fatalf("return: unit %s status %s", v.Report.Unit, v.Report.Status)
	}
	mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "DINKES"})
	mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActRespond, Text: "Sedang ditangani"})
	v = mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "Sudah diperbaiki"})
	if v.Deadline.Step != lapordesk.StepAutoClose || v.Deadline.CloseOn.IsZero() {
		t.Fatalf("after follow-up: %+v", v.Deadline)
	}
	v = mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActClose})
	if v.Report.Status != lapordesk.StatusClosed || len(v.History) != 9 {
		t.Fatalf("closed: status %s, %d events", v.Report.Status, len(v.History))
	}
	for _, want := range []lapordesk.Action{lapordesk.ActReopen, lapordesk.ActNote} {
		found := false
		for _, a := range v.Actions {
			found = found || a == want
		}
		if !found {
			t.Errorf("closed report does not offer %s: %v", want, v.Actions)
		}
	}
}

func setUnit(t *testing.T, s *storage.Store, code, name string) {
	t.Helper()
	if err := s.SetProfile(ctx, lapordesk.Profile{UnitCode: code, UnitName: name, PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit}); err != nil {
		t.Fatal(err)
	}
}

func TestStaleEditIsRefused(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	v := mustReceive(t, s, sample("Antrean"))
	seen := v.Report.Version
	mustAct(t, s, v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify, BaseVersion: seen})
	// Someone else's note does not make an edit stale; a status change does.
	_, err := s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActEdit, BaseVersion: seen, Changes: []lapordesk.FieldChange{{Field: "title", Value: "Baru"}}})
	var se *lapordesk.StaleError
	if !errors.As(err, &se) || !errors.Is(err, lapordesk.ErrConflict) {
		t.Fatalf("got %v, want StaleError", err)
	}
	// A response (append-only) based on the old version is fine.
	if _, err := s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActRespond, BaseVersion: seen, Text: "Ok"}); err != nil {
		t.Fatalf("append-only respond on old version: %v", err)
	}
}

// An Anonim identity never enters the event log nor any read path, and is kept
// nowhere, not even on the desk that received it.
func TestAnonimIdentityIsSealed(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	n := sample("Pungutan liar di kantor desa")
	n.Confidentiality = lapordesk.Anonim
	n.Reporter = lapordesk.Reporter{Name: "Rahasia Sekali Namanya", Phone: "081299887766", Email: "pelapor.anonim@contoh.id", IDNumber: "7311000011112222"}
	v := mustReceive(t, s, n)
	id := v.Report.ID
	mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActVerify})
	secrets := []string{"Rahasia Sekali", "081299887766", "pelapor.anonim", "7311000011112222"}
	check := func(where string, b []byte) {
		t.Helper()
		for _, sec := range secrets {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s leaks %q", where, sec)
			}
		}
	}
	view, _ := s.View(ctx, id)
	check("View", jsonOf(t, view))
	rep, _ := s.Report(ctx, id)
	check("Report", jsonOf(t, rep))
	hist, _ := s.History(ctx, id)
	check("History", jsonOf(t, hist))
	page, _ := s.List(ctx, lapordesk.Filter{}, 10, "")
	check("List", jsonOf(t, page))
	out, _ := s.Outbox(ctx, 10)
	for _, o := range out {
		check("Outbox body", o.Body)
		check("Outbox event", jsonOf(t, o.Event))
	}
	// The file itself, every byte of it and of its log: the identity is kept
	// nowhere (nothing would ever read it back).
	all := []byte{}
	for _, p := range []string{s.Path(), s.Path() + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	check("the data file", all)
	if !bytes.Contains(all, []byte("Pungutan liar")) {
		t.Fatal("the report's title is not in the file's bytes either: the check above proves nothing")
	}
	if view.Report.Reporter.Name != lapordesk.AnonymousName {
		t.Errorf("display name %q", view.Report.Reporter.Name)
	}
	// Editing the identity or lifting anonymity is refused.
	for _, ch := range []lapordesk.FieldChange{{Field: "reporter_name", Value: "X"}, {Field: "confidentiality", Value: "biasa"}} {
		_, err := s.Act(ctx, id, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{ch}})
		var fe *lapordesk.FieldError
		if !errors.As(err, &fe) || fe.Problem != lapordesk.ProblemImmutable {
			t.Errorf("edit %s: got %v, want immutable", ch.Field, err)
		}
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	a := mustReceive(t, s, lapordesk.NewReport{Classification: lapordesk.Pengaduan, CategoryID: "infrastruktur.jalan", Title: "Jembatan Pancana hampir putus",
		Body: "Tiang jembatan lapuk.", Channel: lapordesk.ChannelPhone, Reporter: lapordesk.Reporter{Name: "Andi"}, Confidentiality: lapordesk.Biasa,
		Location: lapordesk.Location{Kecamatan: "Tanete Rilau", Desa: "Pancana"}})
	mustReceive(t, s, sample("Antrean Puskesmas Mangkoso"))
	find := func(q string) []string {
		t.Helper()
		p, err := s.List(ctx, lapordesk.Filter{Text: q}, 10, "")
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var titles []string
		for _, it := range p.Items {
			titles = append(titles, it.Title)
		}
		return titles
	}
	cases := map[string]int{
		"jembatan":            1,
		"jemb":                1, // prefix while typing
		"JEMBATAN pancana":    1,
		"puskesmas":           1,
		"infrastruktur":       1, // category path
		"tanete":              1, // location
		"jembatan mangkoso":   0,
		`"; DROP TABLE x; --`: 0, // no FTS or SQL syntax gets through
		`NEAR(a b) OR *`:      0,
		"":                    2,
	}
	for q, want := range cases {
		if got := find(q); len(got) != want {
			t.Errorf("search %q: %d results %v, want %d", q, len(got), got, want)
		}
	}
	// After an edit the old words no longer match and the new ones do.
	mustAct(t, s, a.Report.ID, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{{Field: "title", Value: "Titian kayu roboh"}}})
	if got := find("jembatan"); len(got) != 1 { // still in the body
		t.Errorf("body term lost: %v", got)
	}
	if got := find("hampir putus"); len(got) != 0 {
		t.Errorf("old title still found: %v", got)
	}
	if got := find("titian"); len(got) != 1 {
		t.Errorf("new title not found: %v", got)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

// Keyset pages stay correct while rows are inserted between page reads: every row
// present at the start is seen exactly once, in order.
func TestPaginationStableUnderInserts(t *testing.T) {
	t.Parallel()
	s, c := openTest(t)
	var list []lapordesk.NewReport
	for i := 0; i < 120; i++ {
		list = append(list, sample(fmt.Sprintf("Laporan %03d", i)))
	}
	if _, err := s.ReceiveMany(ctx, list); err != nil {
		t.Fatal(err)
	}
	for _, f := range []lapordesk.Filter{{Sort: lapordesk.SortReceived}, {Sort: lapordesk.SortDue}, {Box: lapordesk.BoxInbox}, {Text: "laporan"}, {Sort: lapordesk.SortStatus}} {
		seen := map[uuid.UUID]int{}
		cursor := ""
		pages := 0
		for {
			p, err := s.List(ctx, f, 25, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				seen[it.ID]++
			}
			pages++
			// Insert rows that sort both before and after the cursor.
			c.Add(time.Minute)
			if _, err := s.ReceiveMany(ctx, []lapordesk.NewReport{sample(fmt.Sprintf("Baru %d", pages))}); err != nil {
				t.Fatal(err)
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("filter %+v: %s seen %d times", f, id, n)
			}
		}
		if len(seen) < 120 {
			t.Errorf("filter %+v: saw %d of the 120 original reports", f, len(seen))
		}
	}
}

// Two handles on one file (as two programs would be) write at the same time; every
// write lands, and the store stays sound.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	s1, c := openTest(t)
	s2, err := storage.Open(ctx, s1.Path(), storage.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w, s := range []*storage.Store{s1, s2, s1, s2} {
		wg.Add(1)
		go func(w int, s *storage.Store) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				v, err := s.Receive(ctx, sample(fmt.Sprintf("Penulis %d laporan %d", w, i)))
				if err != nil {
					errs <- err
					return
				}
				if _, err := s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActNote, Text: "catatan"}); err != nil {
					errs <- err
					return
				}
			}
		}(w, s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := countRows(t, s1, "reports"); n != 100 {
		t.Errorf("%d reports, want 100", n)
	}
	if n := countRows(t, s1, "events"); n != 200 {
		t.Errorf("%d events, want 200", n)
	}
	// Agenda numbers stayed unique and gap-free across both handles.
	db, _ := sql.Open("sqlite", "file:"+s1.Path()+"?mode=ro")
	defer db.Close()
	var distinct int
	var maxNo string
	db.QueryRow("SELECT count(DISTINCT agenda_no), max(agenda_no) FROM reports").Scan(&distinct, &maxNo)
	if distinct != 100 || maxNo != "DINKES-2026-00100" {
		t.Errorf("agenda numbers: %d distinct, max %s", distinct, maxNo)
	}
	if err := s1.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func generate(t testing.TB, s *storage.Store, count int, seed uint64) {
	t.Helper()
	p, _ := s.Profile()
	g := demo.New(demo.Options{Seed: seed, Count: count, Now: s.Now(), Unit: p.UnitCode, Calendar: s.Calendar()})
	for {
		b := g.Next(1000)
		if b == nil {
			return
		}
		if err := s.Record(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
}

// Rebuild derives exactly the same state from the log, and repairs a damaged
// projection.
func TestRebuildEquivalence(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	generate(t, s, 1500, 7)
	before, err := s.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := s.StateHash(ctx)
	if before != after {
		t.Fatal("rebuild changed the projected state")
	}
	// Damage the projection behind the store's back, then repair it.
	db, _ := sql.Open("sqlite", s.Path())
	if _, err := db.Exec("UPDATE reports SET status = 'selesai', title = 'rusak' WHERE rid % 7 = 0"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	damaged, _ := s.StateHash(ctx)
	if damaged == before {
		t.Fatal("damage not visible in the hash")
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if repaired, _ := s.StateHash(ctx); repaired != before {
		t.Fatal("rebuild did not repair the projection")
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	// The same seed gives the same reports in another store.
	s2, _ := openTest(t)
	generate(t, s2, 1500, 7)
	a, _ := s.EventHashes(ctx)
	b, _ := s2.EventHashes(ctx)
	if len(a) != len(b) {
		t.Fatalf("demo not deterministic: %d vs %d events", len(a), len(b))
	}
	for id, h := range a {
		if b[id] != h {
			t.Fatalf("demo not deterministic: event %s differs", id)
		}
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	mustReceive(t, s, sample("A"))
	db, _ := sql.Open("sqlite", s.Path())
	defer db.Close()
	for _, q := range []string{"UPDATE events SET body = '{}'", "DELETE FROM events", "UPDATE events SET kind = 'closed'"} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want append-only refusal", q, err)
		}
	}
	if _, err := db.Exec("UPDATE events SET hub_seq = 5"); err != nil {
		t.Fatalf("setting the hub sequence once: %v", err)
	}
	if _, err := db.Exec("UPDATE events SET hub_seq = 6"); err == nil {
		t.Error("hub sequence changed twice")
	}
}

// Changing the calendar moves the due dates of open reports at once.
func TestHolidayChangeReschedules(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	v := mustReceive(t, s, sample("A")) // Monday 23 Nov: verify by Thursday 26 Nov
	if err := s.AddHoliday(ctx, lapordesk.Holiday{Date: lapordesk.NewDate(2026, 11, 25), Name: "Libur daerah", Kind: lapordesk.HolidayRegional}); err != nil {
		t.Fatal(err)
	}
	p, _ := s.List(ctx, lapordesk.Filter{}, 5, "")
	if got := p.Items[0].Deadline.Due.String(); got != "2026-11-27" {
		t.Errorf("due after holiday %s, want 2026-11-27", got)
	}
	if err := s.RemoveHoliday(ctx, lapordesk.NewDate(2026, 11, 25)); err != nil {
		t.Fatal(err)
	}
	vv, _ := s.View(ctx, v.Report.ID)
	p, _ = s.List(ctx, lapordesk.Filter{}, 5, "")
	if p.Items[0].Deadline.Due.String() != "2026-11-26" || vv.Deadline.Due.String() != "2026-11-26" {
		t.Errorf("due after removal %s / %s, want 2026-11-26", p.Items[0].Deadline.Due, vv.Deadline.Due)
	}
	if err := s.RemoveHoliday(ctx, lapordesk.NewDate(2026, 11, 25)); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Errorf("removing a missing holiday: %v", err)
	}
	pol := s.Policy()
	pol.Default.VerifyDays = 1
	if err := s.SetPolicy(ctx, pol); err != nil {
		t.Fatal(err)
	}
	vv, _ = s.View(ctx, v.Report.ID)
	if vv.Deadline.Due.String() != "2026-11-24" {
		t.Errorf("due under a 1-day policy %s, want 2026-11-24", vv.Deadline.Due)
	}
}

func TestOverdueAndBoxes(t *testing.T) {
	t.Parallel()
	s, c := openTest(t)
	v := mustReceive(t, s, sample("Lama"))
	// A followed-up report waits out its reply period: never overdue, even once the
	// period is over.
	f := mustReceive(t, s, sample("Ditindaklanjuti"))
	mustAct(t, s, f.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify})
	mustAct(t, s, f.Report.ID, lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "Selesai diperbaiki"})
	c.Add(30 * 24 * time.Hour)
	p, _ := s.List(ctx, lapordesk.Filter{Statuses: []lapordesk.Status{lapordesk.StatusFollowedUp}}, 5, "")
	if len(p.Items) != 1 || !p.Items[0].Deadline.Closable || p.Items[0].Deadline.Overdue {
		t.Fatalf("followed-up report: %+v", p.Items)
	}
	c.Add(-20 * 24 * time.Hour) // 3 Dec: the verify deadline (26 Nov) has passed
	mustReceive(t, s, sample("Baru"))
	c.Add(20 * 24 * time.Hour) // the follow-up's reply period is over too
	p, _ = s.List(ctx, lapordesk.Filter{Overdue: true}, 10, "")
	if len(p.Items) != 2 || p.Items[0].ID != v.Report.ID {
		t.Fatalf("overdue list: %+v", p.Items)
	}
	for _, it := range p.Items {
		if it.ID == f.Report.ID || !it.Deadline.Overdue || it.Deadline.Urgency != lapordesk.UrgencyOverdue {
			t.Errorf("overdue list holds %s (%s, %+v)", it.Title, it.Status, it.Deadline)
		}
	}
	counts, err := s.Counts(ctx, "DINKES")
	if err != nil {
		t.Fatal(err)
	}
	if counts[lapordesk.BoxInbox] != 2 || counts[lapordesk.BoxAction] != 2 || counts[lapordesk.BoxAll] != 3 || counts[lapordesk.BoxWaiting] != 1 {
		t.Errorf("counts %v", counts)
	}
	n, _ := s.CountOverdue(ctx, "")
	if n != 2 {
		t.Errorf("overdue count %d", n)
	}
}

func TestLettersAreNumberedOnceGapFree(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	a := mustReceive(t, s, sample("A"))
	b := mustReceive(t, s, sample("B"))
	build := func(seq, year int) (lapordesk.LetterRecord, error) {
		return lapordesk.LetterRecord{Number: fmt.Sprintf("000.1.4/%03d/DINKES/%d", seq, year)}, nil
	}
	r1, fresh, err := s.IssueLetter(ctx, a.Report.ID, "tindak-lanjut", false, build)
	if err != nil || !fresh || r1.Seq != 1 {
		t.Fatalf("first letter: %+v %v %v", r1, fresh, err)
	}
	again, fresh, _ := s.IssueLetter(ctx, a.Report.ID, "tindak-lanjut", false, build)
	if fresh || again.Number != r1.Number {
		t.Fatalf("reprint got %+v fresh=%v", again, fresh)
	}
	// A failing build spends no number.
	_, _, err = s.IssueLetter(ctx, b.Report.ID, "tindak-lanjut", false, func(int, int) (lapordesk.LetterRecord, error) {
		return lapordesk.LetterRecord{}, errors.New("printer on fire")
	})
	if err == nil {
		t.Fatal("failing build succeeded")
	}
	r2, _, _ := s.IssueLetter(ctx, b.Report.ID, "tindak-lanjut", false, build)
	tr, _, _ := s.IssueLetter(ctx, b.Report.ID, "tindak-lanjut", true, build)
	if r2.Seq != 2 || tr.Seq != 1 || !tr.Training {
		t.Fatalf("second real %d, training %d", r2.Seq, tr.Seq)
	}
	h, _ := s.History(ctx, a.Report.ID)
	if last := h[len(h)-1]; last.Kind != lapordesk.EvLetterIssued || last.Payload.Letter.Number != r1.Number {
		t.Fatalf("allocation not in history: %+v", last)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	v := mustReceive(t, s, sample("A"))
	for _, ref := range []string{v.Report.ID.String(), v.Report.AgendaNo, strings.ToLower(v.Report.AgendaNo), v.Report.ID.String()[:13]} {
		id, err := s.Resolve(ctx, ref)
		if err != nil || id != v.Report.ID {
			t.Errorf("resolve %q: %v %v", ref, id, err)
		}
	}
	for _, ref := range []string{"9999999", "nope", "", uuid.NewString()} {
		if _, err := s.Resolve(ctx, ref); !errors.Is(err, lapordesk.ErrNotFound) && !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("resolve %q: %v", ref, err)
		}
	}
}

func TestBlobs(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	a, err := s.PutBlob(ctx, "foto jalan.jpg", "image/jpeg", strings.NewReader("JPEGDATA"))
	if err != nil {
		t.Fatal(err)
	}
	n := sample("Dengan lampiran")
	n.Attachments = []lapordesk.Attachment{a}
	mustReceive(t, s, n)
	got, err := s.Blob(ctx, a.SHA256)
	if err != nil || string(got) != "JPEGDATA" {
		t.Fatalf("blob: %q %v", got, err)
	}
	missing, _ := s.MissingBlobs(ctx)
	if len(missing) != 0 {
		t.Errorf("missing %v", missing)
	}
	if _, err := s.PutBlob(ctx, "besar.bin", "", bytes.NewReader(make([]byte, storage.MaxBlobSize+1))); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("oversized blob: %v", err)
	}
	if err := s.PutBlobChecked(ctx, a.SHA256, "", []byte("OTHER")); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("mismatched content: %v", err)
	}
}

func jsonOf(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jsonEncode(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var _ = os.Remove
