package ui

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
	"github.com/lapordesk/lapordesk/sync/hub"
)

// startHub serves a real hub (its SQLite file in a temporary folder) on 127.0.0.1.
func startHub(t *testing.T) (*hub.Store, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []lapordesk.Unit{{Code: "DINKES", Name: "Dinas Kesehatan"}, {Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Coordinator: true}} {
		if err := st.PutUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- hub.Serve(ctx, hub.NewServer(st, hub.Options{}).Handler(), hub.ServeOptions{Addr: "127.0.0.1:0", Ready: func(a net.Addr) { ready <- a }})
	}()
	var url string
	select {
	case a := <-ready:
		url = "http://" + a.String()
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return st, url
}

func enrolToken(t *testing.T, st *hub.Store, unit string) string {
	t.Helper()
	tok, _, err := st.NewEnrolment(context.Background(), unit, lapordesk.RoleUnit, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// fastClient retries quickly: a test must not wait out a real line's timeouts.
func fastClient() lsync.ClientOptions {
	return lsync.ClientOptions{Timeout: 5 * time.Second, Retries: 2, RetryWait: 5 * time.Millisecond, RetryMaxWait: 50 * time.Millisecond}
}

// syncHarness opens a desk whose window runs a real sync service. The service
// syncs by itself only on enrolment and F5 here (no timer, no debounce), so the test
// says when rounds happen.
func syncHarness(t *testing.T) (*harness, *lsync.Service) {
	t.Helper()
	var svc *lsync.Service
	h := newHarnessWith(t, unitProfile(), func(s *storage.Store) Hooks {
		svc = lsync.NewService(s, lsync.ServiceOptions{Round: lsync.Options{Client: fastClient()}, Interval: time.Hour,
			ProbeMin: 20 * time.Millisecond, ProbeMax: 100 * time.Millisecond, Debounce: time.Hour})
		return Hooks{Sync: svc}
	})
	return h, svc
}

// otherDesk is a second desk of the same unit, headless, enrolled with the hub.
func otherDesk(t *testing.T, h *harness, hs *hub.Store, url string) *storage.Store {
	t.Helper()
	ctx := context.Background()
	b, err := storage.Open(ctx, filepath.Join(t.TempDir(), "b.db"), storage.WithClock(h.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	p := *unitProfile()
	p.Actor = "Rina"
	if err := b.SetProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := lsync.Enroll(ctx, b, url, enrolToken(t, hs, "DINKES"), lsync.EnrollOptions{Name: "b", Client: fastClient()}); err != nil {
		t.Fatal(err)
	}
	return b
}

func syncStore(t *testing.T, s *storage.Store) lsync.Summary {
	t.Helper()
	sum, err := lsync.Run(context.Background(), s, lsync.Options{Client: fastClient()})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func (h *harness) pressF5() {
	h.t.Helper()
	h.d.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	h.drain()
}

// A desk is enrolled from Pengaturan › Hub; a report made in the window reaches the
// hub and a second desk on F5, and the status bar says so; what the second desk
// does comes back on the next F5.
func TestEnrolAndSyncFromTheWindow(t *testing.T) {
	hs, url := startHub(t)
	ctx := context.Background()
	h, svc := syncHarness(t)
	h.waitFor("the desk alone", func() bool { return strings.Contains(h.d.status.text(), "Hanya di komputer ini") })
	h.pressF5() // not enrolled: F5 reloads, and says nothing is wrong
	if h.d.status.msg.Text != "" {
		t.Fatalf("F5 before enrolment: %q", h.d.status.msg.Text)
	}

	// Pengaturan › Hub: a wrong address and an unknown token are refused in words.
	ht := h.openSettings(5).hub
	h.mustSee("Daftarkan meja ini ke hub")
	h.typeInto(ht.server, "hub-diskominfo")
	h.typeInto(ht.token, "ABCD-EFGH")
	h.tap(ht.save.button)
	if ht.form.errorOf("server") == "" {
		t.Fatal("an address without http:// was not refused beside its field")
	}
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close() // nothing answers there now
	ht.server.SetText("")
	h.typeInto(ht.server, "http://"+closed.Addr().String())
	h.tap(ht.save.button)
	if e := ht.form.errorOf("server"); !strings.Contains(e, "Hub di alamat ini tidak menjawab") {
		t.Fatalf("an address where no hub answers: %q", e)
	}
	ht.server.SetText("")
	h.typeInto(ht.server, url)
	h.tap(ht.save.button)
	if e := ht.form.errorOf("token"); !strings.Contains(e, "Hub tidak mengenal token ini") || svc.Status().Enrolled {
		t.Fatalf("an unknown token: %q, enrolled %v", e, svc.Status().Enrolled)
	}
	ht.token.SetText("")
	h.typeInto(ht.token, enrolToken(t, hs, "DINKES"))
	h.tap(ht.save.button)
	h.waitFor("online after enrolment", func() bool { return h.d.status.link.Text == "Daring" })
	h.mustSee("Terdaftar di hub", url, "Dinas Kesehatan (DINKES)", "Sinkronisasi selesai: 0 terkirim, 0 diterima, 0 konflik.")
	if ht.token.Text != "" {
		t.Fatal("the one-time token stays on the screen after use")
	}

	// A walk-in report, entered in the window, waits to be sent.
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	fd := h.form()
	h.typeInto(h.entryOf(fd.form, "title"), "Antrean panjang di Puskesmas Pancana")
	h.typeInto(h.entryOf(fd.form, "body"), "Pasien menunggu sampai siang.")
	h.typeInto(h.entryOf(fd.form, "reporter_name"), "Siti Aminah")
	h.tap(fd.submit)
	page, err := h.store.List(ctx, lapordesk.Filter{}, 10, "")
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("%+v %v", page.Items, err)
	}
	id := page.Items[0].ID
	h.waitFor("the change counted", func() bool { return strings.Contains(h.d.status.text(), "1 perubahan menunggu dikirim") })

	// F5 sends it.
	h.pressF5()
	st := svc.Status()
	want := "Daring · semua perubahan terkirim · sinkron terakhir " + i18n.DateTime(st.LastSync, h.d.loc)
	if got := h.d.status.text(); got != want {
		t.Fatalf("status bar after F5: %q, want %q", got, want)
	}
	if r, err := hs.Report(ctx, id); err != nil || r.Title != "Antrean panjang di Puskesmas Pancana" {
		t.Fatalf("the hub has %+v, %v", r.Title, err)
	}

	// A second desk of the unit receives it, verifies and responds.
	b := otherDesk(t, h, hs, url)
	if sum := syncStore(t, b); sum.Received != 1 {
		t.Fatalf("the second desk received %d events", sum.Received)
	}
	for _, cmd := range []lapordesk.Command{{Action: lapordesk.ActVerify}, {Action: lapordesk.ActRespond, Text: "Petugas loket ditambah mulai Senin."}} {
		cmd.Unit, cmd.Actor = "DINKES", "Rina"
		if _, err := b.Act(ctx, id, cmd); err != nil {
			t.Fatal(err)
		}
	}
	syncStore(t, b)
	h.d.navigate(string(lapordesk.BoxAll))
	h.drain()
	h.selectRow(0)
	h.mustSee("Antrean panjang di Puskesmas Pancana")
	h.mustNotSee("Petugas loket ditambah mulai Senin.")
	// A round the service runs by itself (its timer) brings it in: the report shown,
	// the list and the counts follow without a key pressed.
	svc.SyncNow()
	h.waitFor("the response on screen", func() bool { return strings.Contains(h.rendered(), "Petugas loket ditambah mulai Senin.") })
	h.mustSee("Diproses")
	if got := h.d.nav.countText(lapordesk.BoxInbox); got != "0" {
		t.Fatalf("the inbox still counts %s after the round", got)
	}
}

// Two desks change the same report's title on the same version: the window shows
// the conflict in the status bar, the list, the report and its timeline, with both
// versions, and the user resolves it by applying the other version; the conflict
// is gone there and, after a sync, on the other desk too.
func TestConflictShownAndResolvedInTheWindow(t *testing.T) {
	hs, url := startHub(t)
	ctx := context.Background()
	h, svc := syncHarness(t)
	if _, err := lsync.Enroll(ctx, h.store, url, enrolToken(t, hs, "DINKES"), lsync.EnrollOptions{Client: fastClient()}); err != nil {
		t.Fatal(err)
	}
	svc.SyncNow()
	h.waitFor("online", func() bool { return h.d.status.link.Text == "Daring" })
	id := h.receive(sample("Antrean puskesmas")).Report.ID
	h.d.changed()
	h.pressF5()
	b := otherDesk(t, h, hs, url)
	syncStore(t, b)

	// The other desk renames the report first and syncs; this desk renames it in
	// the window on the version it had.
	if _, err := b.Act(ctx, id, lapordesk.Command{Action: lapordesk.ActEdit, Unit: "DINKES", Actor: "Rina",
		Changes: []lapordesk.FieldChange{{Field: "title", Value: "Antrean di Puskesmas Tanete"}}}); err != nil {
		t.Fatal(err)
	}
	syncStore(t, b)
	h.selectRow(0)
	h.tap(h.d.detail.actions[lapordesk.ActEdit])
	fd := h.form()
	title := h.entryOf(fd.form, "title")
	title.SetText("")
	h.typeInto(title, "Antrean panjang di Puskesmas Pancana")
	h.tap(fd.submit)
	h.pressF5()

	// Seen everywhere: status bar, list badge, report badge and panel, timeline.
	if got := h.d.status.text(); !strings.Contains(got, "1 laporan berkonflik") {
		t.Fatalf("status bar: %q", got)
	}
	h.mustSee("Konflik", "Konflik sinkronisasi (1)", "Yang berlaku: Data diubah (DINKES · Rina",
		"Tidak diterapkan (konflik): laporan sudah diubah di meja lain")
	if r := h.status(id.String()); r.Title != "Antrean di Puskesmas Tanete" || len(r.Conflicts) != 1 {
		t.Fatalf("after the round: %q, %d conflicts", r.Title, len(r.Conflicts))
	}
	// The status bar's warning lists the reports in conflict.
	h.tap(h.d.status.conflicts)
	if h.d.current != string(lapordesk.BoxAll) || !h.d.list.filters.conflicts.Checked || h.d.list.countLbl.Text != "1 laporan" {
		t.Fatalf("the conflicts list: %s, %v, %q", h.d.current, h.d.list.filters.conflicts.Checked, h.d.list.countLbl.Text)
	}
	h.selectRow(0)

	// Resolve: both versions side by side; apply this desk's title after all.
	if len(h.d.detail.resolve) != 1 {
		t.Fatalf("%d resolve buttons", len(h.d.detail.resolve))
	}
	h.tap(h.d.detail.resolve[0])
	fd = h.form()
	h.mustSee("Versi yang berlaku", "Versi yang tidak diterapkan", "Judul sekarang: Antrean di Puskesmas Tanete",
		"Judul: Antrean panjang di Puskesmas Pancana")
	pick := fd.form.rows["choice"].input.(interface{ SetSelected(string) })
	pick.SetSelected("Terapkan versi lain sekarang (Ubah data)")
	h.typeInto(h.entryOf(fd.form, "text"), "Judul dari meja Andi lebih lengkap.")
	before := historyLen(t, h.store, id)
	h.tap(fd.submit)
	r := h.status(id.String())
	if r.Title != "Antrean panjang di Puskesmas Pancana" || len(r.Conflicts) != 0 {
		t.Fatalf("after resolving: %q, %d conflicts", r.Title, len(r.Conflicts))
	}
	// The other version and the resolve, written together.
	if n := historyLen(t, h.store, id); n != before+2 {
		t.Fatalf("the history grew from %d to %d events, want the redo and the resolve", before, n)
	}
	h.mustNotSee("Konflik sinkronisasi")
	h.mustSee("Konflik diselesaikan (DINKES · Andi")
	h.pressF5()
	if h.d.status.conflicts.Visible() {
		t.Fatalf("the status bar still warns: %q", h.d.status.text())
	}
	syncStore(t, b)
	rb, err := b.Report(ctx, id)
	if err != nil || rb.Title != "Antrean panjang di Puskesmas Pancana" || len(rb.Conflicts) != 0 {
		t.Fatalf("the other desk: %q, %d conflicts, %v", rb.Title, len(rb.Conflicts), err)
	}
}

func historyLen(t *testing.T, s *storage.Store, id uuid.UUID) int {
	t.Helper()
	h, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(h)
}

// A conflict whose other version would write nothing new can only be kept: the
// window offers no other choice, and keeping writes one event, the resolve.
func TestConflictKeptInTheWindow(t *testing.T) {
	h := newHarness(t, unitProfile())
	ctx := context.Background()
	id := h.receive(sample("Antrean puskesmas")).Report.ID
	r, err := h.store.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Another desk set the same title on the version before this desk's edit.
	same := []lapordesk.FieldChange{{Field: "title", Value: "Antrean di Puskesmas Tanete"}}
	other, err := lapordesk.Decide(&r, lapordesk.Command{Action: lapordesk.ActEdit, Unit: "DINKES", Actor: "Rina", Changes: same}, r.ReceivedAt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Act(ctx, id, lapordesk.Command{Action: lapordesk.ActEdit, Changes: same}); err != nil {
		t.Fatal(err)
	}
	// The hub took this desk's events first; the other desk's edit comes after.
	sent, err := h.store.Outbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var acks []storage.Ack
	for i, o := range sent {
		acks = append(acks, storage.Ack{EventID: o.Event.ID, HubSeq: int64(i + 1)})
	}
	if err := h.store.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	next := int64(len(acks) + 1)
	if res, err := h.store.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: next, Event: other}}, next); err != nil || res.Conflicts != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	h.d.changed()
	h.drain()
	h.selectRow(0)
	h.mustSee("Konflik sinkronisasi (1)", "laporan sudah diubah di meja lain")
	h.tap(h.d.detail.resolve[0])
	fd := h.form()
	if opts := fd.form.rows["choice"].input.(*widget.RadioGroup).Options; len(opts) != 1 || opts[0] != "Pertahankan versi yang berlaku" {
		t.Fatalf("choices %q, want only keeping", opts)
	}
	before := historyLen(t, h.store, id)
	h.tap(fd.submit)
	if got := h.status(id.String()); got.Title != "Antrean di Puskesmas Tanete" || len(got.Conflicts) != 0 {
		t.Fatalf("after keeping: %q, %d conflicts", got.Title, len(got.Conflicts))
	}
	if n := historyLen(t, h.store, id); n != before+1 {
		t.Fatalf("the history grew from %d to %d events, want the resolve only", before, n)
	}
	h.mustSee("Konflik diselesaikan (DINKES · Andi")
}

// The window stops the sync service when it closes: a round asked for after that
// is refused at once rather than left hanging.
func TestSyncStopsWithTheWindow(t *testing.T) {
	h, svc := syncHarness(t)
	h.waitFor("the service's first status", func() bool { return h.d.status.link.Text != "" })
	h.d.Stop()
	if err := svc.SyncAndWait(context.Background()); !errors.Is(err, lsync.ErrStopped) {
		t.Fatalf("after the window closed: %v", err)
	}
}
