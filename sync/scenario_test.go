package sync_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
)

const secretName = "Rahasia Pelapor Tersembunyi"

// Unit A works offline and syncs; the coordinator disposes one report to unit B;
// B receives it with its whole history, responds offline and syncs; A and the
// coordinator see the response. B never sees A's other reports; the Anonim
// reporter's identity never leaves A's data file.
func TestReportsFlowBetweenUnitsThroughTheHub(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	b := newDesk(t, h, "b", "PUPR", lapordesk.RoleUnit)
	c := newDesk(t, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)

	photo := bytes.Repeat([]byte("foto jalan rusak di Pancana "), 12000) // 336 KB: several chunks
	att, err := a.st.PutBlob(ctx, "jalan.jpg", "image/jpeg", bytes.NewReader(photo))
	if err != nil {
		t.Fatal(err)
	}
	road := sample("Jalan rusak di Pancana")
	road.CategoryID, road.Attachments = "infrastruktur.jalan", []lapordesk.Attachment{att}
	r1 := a.receive(t, road)
	r2 := a.receive(t, sample("Antrean puskesmas"))
	anon := sample("Pungutan liar di loket")
	anon.Confidentiality, anon.Reporter = lapordesk.Anonim, lapordesk.Reporter{Name: secretName, Phone: "081299990000"}
	r3 := a.receive(t, anon)

	a.opts.Chunk = 64 << 10
	if s := a.sync(t); s.Sent != 3 || s.Uploaded != 1 || s.Received != 0 {
		t.Fatalf("A's first sync: %+v", s)
	}
	if s := c.sync(t); s.Received != 3 || s.Downloaded != 1 {
		t.Fatalf("coordinator's first sync: %+v", s)
	}
	c.act(t, r1, lapordesk.Command{Action: lapordesk.ActVerify})
	c.act(t, r1, lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "PUPR", Instructions: []string{"Proses lebih lanjut"}, Text: "Mohon ditindaklanjuti."})
	c.sync(t)

	if s := b.sync(t); s.Received != 3 || s.Downloaded != 1 {
		t.Fatalf("B's first sync: %+v", s)
	}
	if ids := b.reportIDs(t); len(ids) != 1 || ids[0] != r1 {
		t.Fatalf("B holds %v, want only %s", ids, r1)
	}
	hist, err := b.st.History(ctx, r1)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[0].Kind != lapordesk.EvReceived || hist[0].Unit != "DINKES" {
		t.Fatalf("B's history of the disposed report: %d events, first %s by %s", len(hist), hist[0].Kind, hist[0].Unit)
	}
	if got, err := b.st.Blob(ctx, att.SHA256); err != nil || !bytes.Equal(got, photo) {
		t.Fatalf("B's copy of the photo: %d bytes, %v", len(got), err)
	}

	b.act(t, r1, lapordesk.Command{Action: lapordesk.ActRespond, Text: "Tim PUPR akan meninjau lokasi minggu ini."})
	if n, _ := b.st.Pending(ctx); n != 1 {
		t.Fatalf("B's outbox: %d", n)
	}
	b.sync(t)
	for _, d := range []*desk{a, c} {
		if s := d.sync(t); s.Received < 1 {
			t.Fatalf("%s received %d", d.name, s.Received)
		}
		v, err := d.st.View(ctx, r1)
		if err != nil {
			t.Fatal(err)
		}
		last := v.History[len(v.History)-1]
		if v.Report.Status != lapordesk.StatusInProgress || last.Kind != lapordesk.EvResponded || last.Unit != "PUPR" {
			t.Fatalf("%s sees %s, last event %s by %s", d.name, v.Report.Status, last.Kind, last.Unit)
		}
	}
	checkConverged(t, h, a, b, c)

	for _, id := range []uuid.UUID{r2, r3} {
		if _, err := b.st.Report(ctx, id); !isNotFound(err) {
			t.Errorf("B can read %s: %v", id, err)
		}
	}
	// The identity is kept nowhere: not on the hub, not on any desk, not even on
	// the one that received it, in no file's bytes.
	if !fileHas(t, a.st.Path(), "Siti Aminah") {
		t.Fatal("the test cannot see a reporter's name in A's file; it would prove nothing")
	}
	for _, p := range []string{a.st.Path(), h.st.Path(), b.st.Path(), c.st.Path()} {
		if fileHas(t, p, secretName) {
			t.Errorf("%s holds the Anonim reporter's name", p)
		}
	}
	if r, err := c.st.Report(ctx, r3); err != nil || r.Reporter.Name != lapordesk.AnonymousName || r.Reporter.Phone != "" {
		t.Errorf("coordinator sees the Anonim reporter as %+v (%v)", r.Reporter, err)
	}
}

// fileHas reports whether an SQLite file (or its write-ahead log) contains s.
func fileHas(t *testing.T, path, s string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// Two desks of one unit edit the same report, and take two status transitions, on
// the same version while offline: the hub keeps both, applies the first it
// receives and flags the second; both desks show the same state and history. Notes
// only append and never conflict. Resolving on one desk clears the flag on both.
func TestConflictingEditsOnTwoDesksOfOneUnit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a1 := newDesk(t, h, "a1", "DINKES", lapordesk.RoleUnit)
	a2 := newDesk(t, h, "a2", "DINKES", lapordesk.RoleUnit)
	id := a1.receive(t, sample("Antrean puskesmas"))
	a1.sync(t)
	a2.sync(t)

	a1.act(t, id, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{{Field: "title", Value: "Antrean panjang di Puskesmas Pancana"}}})
	a2.act(t, id, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{{Field: "title", Value: "Antrean di Puskesmas Tanete"}}})
	a1.act(t, id, lapordesk.Command{Action: lapordesk.ActVerify})
	a2.act(t, id, lapordesk.Command{Action: lapordesk.ActArchive, Reason: "Bukan pengaduan"})
	a1.act(t, id, lapordesk.Command{Action: lapordesk.ActNote, Text: "Sudah ditelepon."})
	a2.act(t, id, lapordesk.Command{Action: lapordesk.ActNote, Text: "Pelapor datang lagi."})

	if s := a1.sync(t); s.Flagged != 0 || s.Sent != 3 {
		t.Fatalf("a1: %+v", s)
	}
	if s := a2.sync(t); s.Flagged != 2 || s.Sent != 3 || s.Conflicts != 1 {
		t.Fatalf("a2: %+v", s)
	}
	a1.sync(t)
	for _, d := range []*desk{a1, a2} {
		v, err := d.st.View(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		r := v.Report
		if r.Title != "Antrean panjang di Puskesmas Pancana" || r.Status != lapordesk.StatusVerified || len(r.Conflicts) != 2 {
			t.Fatalf("%s: title %q, status %s, %d conflicts", d.name, r.Title, r.Status, len(r.Conflicts))
		}
		var edits, notes int
		for _, e := range v.History {
			switch e.Kind {
			case lapordesk.EvEdited:
				edits++
			case lapordesk.EvNoted:
				notes++
			}
		}
		if edits != 2 || notes != 2 || len(v.History) != 7 {
			t.Fatalf("%s keeps %d edits, %d notes, %d events", d.name, edits, notes, len(v.History))
		}
		kinds := []lapordesk.EventKind{r.Conflicts[0].Kind, r.Conflicts[1].Kind}
		if !slices.Contains(kinds, lapordesk.EvEdited) || !slices.Contains(kinds, lapordesk.EvArchived) {
			t.Fatalf("%s: conflicts %v", d.name, kinds)
		}
	}
	checkConverged(t, h, a1, a2)

	r, err := a2.st.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Conflicts {
		a2.act(t, id, lapordesk.Command{Action: lapordesk.ActResolve, Resolves: &c.EventID, Text: "Judul dari meja a1 dipakai."})
	}
	a2.sync(t)
	if s := a1.sync(t); s.Conflicts != 0 {
		t.Fatalf("a1 still has %d conflicts after a2 resolved them", s.Conflicts)
	}
	checkConverged(t, h, a1, a2)
}

// The hub's reference data reaches the desks, and only when it changed.
func TestReferenceDataTravelsFromTheHub(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	a.sync(t)
	rd, _, err := h.st.RefData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	day := lapordesk.NewDate(2026, 12, 28)
	rd.Holidays = append(rd.Holidays, lapordesk.Holiday{Date: day, Name: "Hari Jadi Kabupaten Barru (uji)", Kind: lapordesk.HolidayRegional})
	rd.Policy.Default.VerifyDays = 4
	rd.Units = append(rd.Units, lapordesk.Unit{Code: "DISHUB", Name: "Dinas Perhubungan (uji)"})
	rd.Categories = append(rd.Categories, lapordesk.Category{ID: "transportasi.angkot", ParentID: "transportasi", Name: "Angkutan kota"})
	if err := h.st.SetRefData(ctx, rd); err != nil {
		t.Fatal(err)
	}
	if s := a.sync(t); !s.RefData {
		t.Fatal("the new reference data was not applied")
	}
	if a.st.Calendar().IsWorkingDay(day) || a.st.Policy().Default.VerifyDays != 4 {
		t.Fatal("holiday or policy missing")
	}
	if u, ok := a.st.Unit("DISHUB"); !ok || u.Name != "Dinas Perhubungan (uji)" {
		t.Fatalf("unit: %+v %v", u, ok)
	}
	if _, ok := a.st.Categories().Get("transportasi.angkot"); !ok {
		t.Fatal("category missing")
	}
	if s := a.sync(t); s.RefData {
		t.Fatal("unchanged reference data applied again")
	}
}

// Enrolment refuses training stores and tokens of another unit (without spending
// them), and completes when repeated after its answer was lost.
func TestEnrolment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)

	demo := openDesk(t, "demo", "DINKES", lapordesk.RoleUnit)
	if err := demo.st.PutSetting(ctx, "demo", true); err != nil {
		t.Fatal(err)
	}
	token, _, _ := h.st.NewEnrolment(ctx, "DINKES", lapordesk.RoleUnit, time.Hour)
	if _, err := lsync.Enroll(ctx, demo.st, h.url, token, lsync.EnrollOptions{}); !errors.Is(err, lsync.ErrTraining) {
		t.Fatalf("demo store: %v", err)
	}
	training := openDesk(t, "training", "DINKES", lapordesk.RoleUnit)
	p, _ := training.st.Profile()
	p.Training = true
	if err := training.st.SetProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := lsync.Enroll(ctx, training.st, h.url, token, lsync.EnrollOptions{}); !errors.Is(err, lsync.ErrTraining) {
		t.Fatalf("training profile: %v", err)
	}
	for _, st := range []*storage.Store{demo.st, training.st} {
		if v, _, _ := st.SyncValue(ctx, lsync.KeyHubURL); v != "" {
			t.Fatal("a training store was marked enrolled")
		}
	}

	other := openDesk(t, "pupr", "PUPR", lapordesk.RoleUnit)
	var ou *lsync.OtherUnitError
	if _, err := lsync.Enroll(ctx, other.st, h.url, token, lsync.EnrollOptions{}); !errors.As(err, &ou) || ou.Token != "DINKES" {
		t.Fatalf("token of another unit: %v", err)
	}

	// The right desk, through a line that cuts the answer of the enrolment itself.
	a := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	px := newFaultProxy(t, h.url, 1)
	px.at("/v1/enroll", 2, fTruncate) // the first is the dry run
	noRetry := lsync.ClientOptions{Retries: -1, Timeout: 5 * time.Second}
	_, err := lsync.Enroll(ctx, a.st, px.url, token, lsync.EnrollOptions{Client: noRetry})
	if !lsync.Offline(err) {
		t.Fatalf("enrolment with its answer cut: %v", err)
	}
	d, err := lsync.Enroll(ctx, a.st, px.url, token, lsync.EnrollOptions{Client: noRetry})
	if err != nil {
		t.Fatalf("enrolment repeated: %v", err)
	}
	devs, _ := h.st.Devices(ctx)
	if len(devs) != 1 || devs[0].ID != d.ID {
		t.Fatalf("hub devices %+v, enrolled %s", devs, d.ID)
	}
	if _, err := lsync.Enroll(ctx, a.st, h.url, token, lsync.EnrollOptions{}); !errors.Is(err, lsync.ErrAlreadyEnrolled) {
		t.Fatalf("second enrolment: %v", err)
	}
	// The token is spent: another desk of the unit cannot use it.
	a2 := openDesk(t, "a2", "DINKES", lapordesk.RoleUnit)
	var he *lsync.HubError
	if _, err := lsync.Enroll(ctx, a2.st, h.url, token, lsync.EnrollOptions{}); !errors.As(err, &he) || he.Code != "token_used" {
		t.Fatalf("spent token: %v", err)
	}
}

// Two desks of one unit count the same deadlines: the calendar is the hub's, a desk
// cannot change it for itself, and a change on the hub reaches both. A hub
// calendar the desk cannot take is reported and does not stop the round.
func TestTwoDesksOfAUnitCountTheSameDeadlines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	b := newDesk(t, h, "b", "DINKES", lapordesk.RoleUnit)
	id := a.receive(t, sample("Antrean puskesmas"))
	a.sync(t)
	b.sync(t)
	if err := a.st.AddHoliday(ctx, lapordesk.Holiday{Date: lapordesk.NewDate(2026, 11, 24), Name: "Libur meja A"}); !errors.Is(err, lapordesk.ErrHubOwned) {
		t.Fatalf("a desk's own holiday: %v", err)
	}
	va, _ := a.st.View(ctx, id)
	rd, _, err := h.st.RefData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rd.Holidays = append(rd.Holidays, lapordesk.Holiday{Date: va.Deadline.Due, Name: "Hari Jadi Kabupaten Barru (uji)", Kind: lapordesk.HolidayRegional})
	if err := h.st.SetRefData(ctx, rd); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)
	na, _ := a.st.View(ctx, id)
	nb, _ := b.st.View(ctx, id)
	if na.Deadline.Due != nb.Deadline.Due || !va.Deadline.Due.Before(na.Deadline.Due) {
		t.Fatalf("due dates: A %s, B %s (was %s)", na.Deadline.Due, nb.Deadline.Due, va.Deadline.Due)
	}

	// The hub drops the category A's report is filed under: A keeps its data and
	// says so, and the round goes on (B's new report arrives).
	var kept []lapordesk.Category
	for _, c := range rd.Categories {
		if c.ID != "kesehatan.puskesmas" {
			kept = append(kept, c)
		}
	}
	rd.Categories = kept
	if err := h.st.SetRefData(ctx, rd); err != nil {
		t.Fatal(err)
	}
	b.receive(t, sample("Laporan baru dari meja B"))
	b.sync(t)
	s := a.sync(t)
	if s.RefDataRefused == "" || s.Received != 1 {
		t.Fatalf("a hub category change this desk cannot take: %+v", s)
	}
	if _, ok := a.st.Categories().Get("kesehatan.puskesmas"); !ok {
		t.Fatal("the refused change was half applied")
	}
}

// Desks numbering offline never issue the same agenda number: the coordinator
// registers a report for PUPR in its own agenda book, and a unit's second desk
// carries its number in its own.
func TestAgendaNumbersNeverCollideAcrossDesks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	c := newDesk(t, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
	p1 := newDesk(t, h, "p1", "PUPR", lapordesk.RoleUnit)
	p2 := newDesk(t, h, "p2", "PUPR", lapordesk.RoleUnit)
	forPUPR := sample("Jalan rusak di Pancana")
	forPUPR.Unit = "PUPR"
	ids := []uuid.UUID{c.receive(t, forPUPR), p1.receive(t, sample("Drainase tersumbat")), p2.receive(t, sample("Jembatan retak"))}
	for _, d := range []*desk{c, p1, p2, c} {
		d.sync(t)
	}
	y := lapordesk.DateOf(c.st.Now(), c.st.Calendar().Location).Year
	want := []string{fmt.Sprintf("DISKOMINFO-%d-00001", y), fmt.Sprintf("PUPR-%d-00001", y), fmt.Sprintf("PUPR.2-%d-00001", y)}
	for i, id := range ids {
		v, err := c.st.View(ctx, id)
		if err != nil || v.Report.AgendaNo != want[i] {
			t.Fatalf("report %d: agenda %q, want %q (%v)", i, v.Report.AgendaNo, want[i], err)
		}
		if got, err := c.st.Resolve(ctx, want[i]); err != nil || got != id {
			t.Fatalf("the coordinator finds %s as %v, %v", want[i], got, err)
		}
	}
	for _, d := range []*desk{c, p1, p2} {
		if dup, err := d.st.AgendaCollisions(ctx); err != nil || len(dup) != 0 {
			t.Fatalf("%s: collisions %v %v", d.name, dup, err)
		}
	}
}

// A unit that works offline on a report the coordinator meanwhile moves to another
// unit never undoes the move: its return, decided on a view without the move, is
// flagged on every desk, though its version number equals the move's; its note
// stays. Every desk shows the report with the unit it was moved to.
func TestAnOfflineUnitNeverUndoesAMoveItDidNotSee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	k := newDesk(t, h, "k", "DISKOMINFO", lapordesk.RoleCoordinator)
	p := newDesk(t, h, "p", "PUPR", lapordesk.RoleUnit)
	d := newDesk(t, h, "d", "DINKES", lapordesk.RoleUnit)
	n := sample("Jembatan retak di Lipukasi")
	n.Unit = "DISKOMINFO"
	id := k.receive(t, n)
	k.act(t, id, lapordesk.Command{Action: lapordesk.ActVerify})
	k.act(t, id, lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "PUPR", Instructions: []string{"Proses"}})
	k.sync(t)
	p.sync(t)

	k.act(t, id, lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "DINKES", Instructions: []string{"Proses"}})
	k.sync(t)
	// PUPR, offline, has not seen the move.
	p.act(t, id, lapordesk.Command{Action: lapordesk.ActNote, Text: "Survei lokasi besok."})
	p.act(t, id, lapordesk.Command{Action: lapordesk.ActReturn, Reason: "Bukan wewenang PUPR"})
	if s := p.sync(t); s.Flagged != 1 || len(s.Refused) != 0 {
		t.Fatalf("PUPR's round: %+v", s)
	}
	for _, x := range []*desk{k, d, p} {
		x.sync(t)
	}
	for _, x := range []*desk{k, d, p} {
		v, err := x.st.View(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		r := v.Report
		if r.Unit != "DINKES" || r.Status != lapordesk.StatusDisposed || len(r.Conflicts) != 1 || r.Conflicts[0].Kind != lapordesk.EvReturned {
			t.Fatalf("%s: with %s, status %s, conflicts %+v", x.name, r.Unit, r.Status, r.Conflicts)
		}
	}
	checkConverged(t, h, k, d, p)
}
