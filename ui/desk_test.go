package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
)

// A new user sets the desk up, records a walk-in report with the keyboard, and
// handles it to the end: verify, respond, follow up, close. Every step is checked on
// the screen and in the store.
func TestSetupAndHandleReportEndToEnd(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()

	// First run: nothing but the setup form.
	h.mustSee("Selamat datang di LAPOR Desk")
	if h.d.nav != nil {
		t.Fatal("the main screen opened before setup")
	}
	s := h.d.setup
	h.tap(s.save) // empty: refused, nothing stored
	if s.form.errorOf("unit_code") == "" || s.form.errorOf("pemda_name") == "" {
		t.Fatalf("setup errors not shown beside the fields: %q %q", s.form.errorOf("unit_code"), s.form.errorOf("pemda_name"))
	}
	if _, err := h.store.Profile(); err == nil {
		t.Fatal("an invalid setup was stored")
	}
	s.unitPick.SetSelected("Dinas Kesehatan (DINKES)")
	if s.code.Text != "DINKES" || s.name.Text != "Dinas Kesehatan" {
		t.Fatalf("picking a unit did not fill it in: %q %q", s.code.Text, s.name.Text)
	}
	h.typeInto(s.pemda, "Kabupaten Barru")
	h.typeInto(s.actor, "Andi")
	h.tap(s.save)
	p, err := h.store.Profile()
	if err != nil || p.UnitCode != "DINKES" || p.PemdaName != "Kabupaten Barru" || p.Role != lapordesk.RoleUnit {
		t.Fatalf("profile after setup: %+v, %v", p, err)
	}
	h.mustSee("Kotak Masuk", "Perlu Tindakan", "Rekap", "Pengaturan", "Tidak ada laporan di sini.")

	// Ctrl+N opens the new report form; the required fields are marked.
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	fd := h.form()
	f := fd.form
	h.mustSee("Laporan baru", "Judul *", "Isi laporan *", "Nama pelapor *")
	h.typeInto(h.entryOf(f, "title"), "Jalan rusak di Pancana")
	h.typeInto(h.entryOf(f, "body"), "Jalan poros berlubang besar dan membahayakan pengendara.")
	h.typeInto(h.entryOf(f, "reporter_name"), "Siti Aminah")
	h.typeInto(h.entryOf(f, "reporter_phone"), "081234567890")
	h.typeInto(h.entryOf(f, "kecamatan"), "Tanete Rilau")
	h.tap(fd.submit)
	if h.d.form != nil {
		t.Fatalf("the form stayed open: %s", f.general.Text)
	}
	page, err := h.store.List(ctx, lapordesk.Filter{}, 10, "")
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("store after new report: %+v %v", page.Items, err)
	}
	ref := page.Items[0].Ref
	if ref != "DINKES-2026-00001" {
		t.Fatalf("agenda number %q", ref)
	}
	h.mustSee("Jalan rusak di Pancana", ref, "Verifikasi", "Siti Aminah", "Tanete Rilau")
	if got := h.d.nav.countText(lapordesk.BoxInbox); got != "1" {
		t.Fatalf("inbox count shows %q", got)
	}

	// Verify, correcting the title.
	h.tap(h.d.detail.actions[lapordesk.ActVerify])
	fd = h.form()
	title := h.entryOf(fd.form, "title")
	title.SetText("")
	h.typeInto(title, "Jalan poros Pancana rusak berat")
	h.tap(fd.submit)
	r := h.status(ref)
	if r.Status != lapordesk.StatusVerified || r.Title != "Jalan poros Pancana rusak berat" {
		t.Fatalf("after verify: %s %q", r.Status, r.Title)
	}
	h.mustSee("Terverifikasi", "Jalan poros Pancana rusak berat")

	// Respond.
	h.tap(h.d.detail.actions[lapordesk.ActRespond])
	fd = h.form()
	h.tap(fd.submit) // empty: refused beside the field
	if fd.form.errorOf("text") == "" || h.status(ref).Status != lapordesk.StatusVerified {
		t.Fatalf("empty response: error %q, status %s", fd.form.errorOf("text"), h.status(ref).Status)
	}
	h.typeInto(h.entryOf(fd.form, "text"), "Laporan sedang kami tindak lanjuti bersama bidang jalan.")
	h.tap(fd.submit)
	if st := h.status(ref).Status; st != lapordesk.StatusInProgress {
		t.Fatalf("after respond: %s", st)
	}
	h.mustSee("Diproses", "Laporan sedang kami tindak lanjuti bersama bidang jalan.")

	// Follow up.
	h.tap(h.d.detail.actions[lapordesk.ActFollowUp])
	fd = h.form()
	h.typeInto(h.entryOf(fd.form, "text"), "Perbaikan selesai dilaksanakan pada 22 November.")
	h.tap(fd.submit)
	if st := h.status(ref).Status; st != lapordesk.StatusFollowedUp {
		t.Fatalf("after follow-up: %s", st)
	}
	h.mustSee("Ditindaklanjuti", "Perbaikan selesai dilaksanakan pada 22 November.")

	// Close.
	h.tap(h.d.detail.actions[lapordesk.ActClose])
	fd = h.form()
	h.tap(fd.submit)
	r = h.status(ref)
	if r.Status != lapordesk.StatusClosed {
		t.Fatalf("after close: %s", r.Status)
	}
	h.mustSee("Selesai")
	if _, ok := h.d.detail.actions[lapordesk.ActClose]; ok {
		t.Fatal("close is still offered on a closed report")
	}
	if _, ok := h.d.detail.actions[lapordesk.ActReopen]; !ok {
		t.Fatal("reopen is not offered on a closed report")
	}
	// The inbox no longer holds it; the done box does.
	h.mustSee("Tidak ada laporan di sini.")
	if got := h.d.nav.countText(lapordesk.BoxDone); got != "1" {
		t.Fatalf("done count shows %q", got)
	}
	hist, _ := h.store.History(ctx, r.ID)
	var kinds []string
	for _, e := range hist {
		kinds = append(kinds, string(e.Kind))
	}
	if strings.Join(kinds, ",") != "received,verified,responded,followed_up,closed" {
		t.Fatalf("history: %v", kinds)
	}
}

// The coordinator disposes a report to a unit with the lembar disposisi
// instructions; the unit leaves the coordinator's inbox view of it.
func TestDisposeWithInstructions(t *testing.T) {
	h := newHarness(t, coordinatorProfile())
	n := sample("Obat kosong di Puskesmas Coppo")
	n.TrackingID = "4012345"
	v := h.receive(n)
	h.d.changed()
	h.drain()
	h.selectRow(0)
	h.tap(h.d.detail.actions[lapordesk.ActVerify])
	h.tap(h.form().submit)
	h.tap(h.d.detail.actions[lapordesk.ActDispose])
	fd := h.form()
	h.tap(fd.submit) // no unit chosen
	if fd.form.errorOf("to_unit") == "" {
		t.Fatal("a disposition without a unit was not refused beside the field")
	}
	to := fd.form.rows["to_unit"].input.(*choice)
	to.SetSelected("Dinas Kesehatan (DINKES)")
	instr := fd.form.rows["instructions"].input.(*widget.CheckGroup)
	instr.SetSelected([]string{"Tanggapan dan saran", "Proses lebih lanjut"})
	h.typeInto(h.entryOf(fd.form, "text"), "Mohon segera ditangani.")
	h.tap(fd.submit)
	r := h.status("4012345")
	if r.Status != lapordesk.StatusDisposed || r.Unit != "DINKES" || strings.Join(r.Instructions, "|") != "Tanggapan dan saran|Proses lebih lanjut" {
		t.Fatalf("after dispose: %s %s %v", r.Status, r.Unit, r.Instructions)
	}
	h.mustSee("Didisposisikan", "Diteruskan kepada Dinas Kesehatan (DINKES)", "☑ Proses lebih lanjut", "Mohon segera ditangani.")
	if r.ID != v.Report.ID {
		t.Fatal("wrong report")
	}
}

// A form based on a version that changed meanwhile is refused with a message the
// user understands and an offer to reload; nothing is written.
func TestStaleEditIsRefused(t *testing.T) {
	h := newHarness(t, unitProfile())
	v := h.receive(sample("Antrean panjang di Puskesmas Pancana"))
	h.d.changed()
	h.drain()
	h.selectRow(0)
	h.tap(h.d.detail.actions[lapordesk.ActPostpone])
	fd := h.form()
	h.typeInto(h.entryOf(fd.form, "reason"), "Data pelapor belum lengkap.")
	// Meanwhile someone verifies it on another path.
	if _, err := h.store.Act(context.Background(), v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify}); err != nil {
		t.Fatal(err)
	}
	h.tap(fd.submit)
	if h.d.form != fd || fd.reload.Hidden || !fd.submit.Disabled() {
		t.Fatal("a stale form did not stay open offering a reload")
	}
	h.mustSee("telah diubah orang lain sejak Anda membukanya")
	if r := h.status(v.Report.AgendaNo); r.Status != lapordesk.StatusVerified || r.Version != 2 {
		t.Fatalf("the stale postponement was written: %s v%d", r.Status, r.Version)
	}
	h.tap(fd.reload)
	if h.d.form != nil {
		t.Fatal("reload did not close the form")
	}
	h.mustSee("Terverifikasi")
}

// A new report with missing and malformed fields shows each problem beside its
// field and writes nothing.
func TestNewReportValidation(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.tap(h.d.nav.newBtn)
	fd := h.form()
	f := fd.form
	h.typeInto(h.entryOf(f, "reporter_email"), "bukan-surel")
	h.typeInto(h.entryOf(f, "incident_date"), "31/02/2026")
	h.tap(fd.submit)
	for _, field := range []string{"title", "body", "reporter_name", "reporter_email", "incident_date"} {
		if f.errorOf(field) == "" {
			t.Errorf("no error beside %s", field)
		}
	}
	if !strings.Contains(f.errorOf("title"), "wajib diisi") {
		t.Errorf("title error %q", f.errorOf("title"))
	}
	page, _ := h.store.List(context.Background(), lapordesk.Filter{}, 10, "")
	if len(page.Items) != 0 {
		t.Fatal("an invalid report was stored")
	}
	// Anonim: the name is no longer required, and the identity fields are locked.
	conf := f.rows["confidentiality"].input.(*widget.RadioGroup)
	conf.SetSelected("Anonim")
	if !h.entryOf(f, "reporter_name").Disabled() {
		t.Fatal("an Anonim reporter's name can still be typed")
	}
	h.entryOf(f, "incident_date").SetText("")
	h.typeInto(h.entryOf(f, "title"), "Pungutan liar di loket")
	h.typeInto(h.entryOf(f, "body"), "Petugas meminta uang tambahan.")
	h.tap(fd.submit)
	if h.d.form != nil {
		t.Fatalf("form still open: %s / %v", f.general.Text, f.errorOf("reporter_email"))
	}
	h.mustSee("Anonim — identitas pelapor dirahasiakan")
}

// Search as you type narrows the list to the matches; filters combine with it.
func TestSearchAndFilter(t *testing.T) {
	h := newHarness(t, unitProfile())
	for _, title := range []string{"Antrean puskesmas Pancana", "Obat kosong di Puskesmas Coppo", "Jalan rusak di Tuwung"} {
		n := sample(title)
		if strings.HasPrefix(title, "Jalan") {
			n.CategoryID = "infrastruktur.jalan"
			n.Classification = lapordesk.Aspirasi
			n.Body = "Jalan berlubang besar di depan pasar."
		}
		h.receive(n)
	}
	h.d.changed()
	h.drain()
	h.mustSee("3 laporan", "Antrean puskesmas Pancana", "Jalan rusak di Tuwung")

	h.typeInto(h.d.list.search, "cop")
	h.mustSee("1 laporan", "Obat kosong di Puskesmas Coppo")
	h.mustNotSee("Antrean puskesmas Pancana", "Jalan rusak di Tuwung")

	// Escape clears the search.
	h.d.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.drain()
	h.mustSee("3 laporan")

	// Filter by classification.
	h.tap(h.d.list.filterB)
	h.d.list.filters.cls.SetSelected("Aspirasi")
	h.drain()
	h.mustSee("1 laporan", "Jalan rusak di Tuwung", "Filter (1)")
	h.mustNotSee("Antrean puskesmas Pancana")

	// Search within the filter.
	h.typeInto(h.d.list.search, "puskesmas")
	h.mustSee("0 laporan", "Tidak ada laporan di sini.")

	h.tap(h.d.list.filters.clear)
	h.mustSee("2 laporan", "Antrean puskesmas Pancana", "Obat kosong di Puskesmas Coppo")

	// Category filter includes sub-categories.
	h.d.list.search.SetText("")
	h.drain()
	h.d.list.filters.cat.SetSelected("Kesehatan")
	h.drain()
	h.mustSee("2 laporan")
	h.mustNotSee("Jalan rusak di Tuwung")
}

// An Anonim reporter's identity never reaches the screen.
func TestAnonimIdentityNeverShown(t *testing.T) {
	h := newHarness(t, unitProfile())
	n := sample("Pungutan di loket puskesmas")
	n.Confidentiality = lapordesk.Anonim
	n.Reporter = lapordesk.Reporter{Name: "Rahasia Sekali", Phone: "081299998888"}
	h.receive(n)
	h.d.changed()
	h.drain()
	h.selectRow(0)
	h.mustSee("Pungutan di loket puskesmas", "Anonim — identitas pelapor dirahasiakan")
	h.mustNotSee("Rahasia Sekali", "081299998888")
	// Nor in the edit form.
	h.tap(h.d.detail.actions[lapordesk.ActEdit])
	if _, ok := h.form().form.rows["reporter_name"]; ok {
		t.Fatal("the edit form offers an Anonim reporter's name")
	}
	h.mustNotSee("Rahasia Sekali")
}

// Keyboard: Ctrl+F focuses the search, Ctrl+8 opens the recap, F5 reloads.
func TestKeyboardShortcuts(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key8, Modifier: fyne.KeyModifierShortcutDefault})
	h.drain()
	if h.d.current != navRecap {
		t.Fatalf("Ctrl+8 shows %q", h.d.current)
	}
	h.mustSee("Laporan diterima", "Per kategori")
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	if h.d.current != navInbox || h.win.Canvas().Focused() != h.d.list.search {
		t.Fatalf("Ctrl+F: screen %q, focus %T", h.d.current, h.win.Canvas().Focused())
	}
	// F5 in the search field reloads the list: a report received meanwhile appears.
	h.mustSee("Tidak ada laporan di sini.")
	h.receive(sample("Antrean puskesmas Pancana"))
	h.d.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	h.drain()
	h.mustSee("Antrean puskesmas Pancana")
	// Tab moves from the search field onwards.
	test.FocusNext(h.win.Canvas())
	if h.win.Canvas().Focused() == h.d.list.search {
		t.Fatal("Tab did not move the focus")
	}
}

// Escape in a form field cancels the form and writes nothing.
func TestEscapeCancelsForm(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	fd := h.form()
	title := fd.form.rows["title"].input.(*lineEntry)
	h.typeInto(title, "Setengah diisi")
	title.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.drain()
	if h.d.form != nil {
		t.Fatal("Escape did not close the form")
	}
	if page, _ := h.store.List(context.Background(), lapordesk.Filter{}, 5, ""); len(page.Items) != 0 {
		t.Fatal("a cancelled form wrote a report")
	}
	// Shortcuts work again once the form is gone.
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	if h.d.form == nil || h.d.form == fd {
		t.Fatal("Ctrl+N did not open a new form after Escape")
	}
}

// A received-date range typed in the filter panel narrows the list to those days.
func TestDateRangeFilter(t *testing.T) {
	h := newHarness(t, unitProfile())
	start := h.clock.Now()
	for i, title := range []string{"Laporan hari pertama", "Laporan hari kedua", "Laporan hari ketiga"} {
		h.clock.mu.Lock()
		h.clock.t = start.Add(time.Duration(i) * 24 * time.Hour)
		h.clock.mu.Unlock()
		h.receive(sample(title))
	}
	h.d.navigate(string(lapordesk.BoxAll))
	h.drain()
	h.mustSee("3 laporan")
	h.tap(h.d.list.filterB)
	h.typeInto(h.d.list.filters.since, "24/11/2026")
	h.typeInto(h.d.list.filters.until, "24/11/2026")
	h.mustSee("1 laporan", "Laporan hari kedua", "Filter (2)")
	h.mustNotSee("Laporan hari pertama", "Laporan hari ketiga")
	// A half-typed date changes nothing until it is a date; an empty one clears.
	h.d.list.filters.until.SetText("24/11/20")
	h.drain()
	h.mustSee("1 laporan")
	h.d.list.filters.until.SetText("")
	h.drain()
	h.mustSee("2 laporan", "Laporan hari ketiga", "Filter (1)")
}

// A follow-up carries the files chosen in its form; they are stored with it, and
// opening one writes it out for the system's viewer.
func TestFollowUpWithAttachment(t *testing.T) {
	h := newHarness(t, unitProfile())
	ctx := context.Background()
	v := h.receive(sample("Antrean puskesmas Pancana"))
	if _, err := h.store.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify}); err != nil {
		t.Fatal(err)
	}
	h.d.navigate(string(lapordesk.BoxInProgress))
	h.drain()
	h.selectRow(0)
	h.tap(h.d.detail.actions[lapordesk.ActFollowUp])
	fd := h.form()
	h.typeInto(h.entryOf(fd.form, "text"), "Petugas loket ditambah; foto terlampir.")
	// The file dialog hands the form a reader; the form keeps the file until saved.
	pf, err := readPending("loket.jpg", strings.NewReader("JPEG isi foto"))
	if err != nil {
		t.Fatal(err)
	}
	fd.files.addFile(pf)
	h.mustSee("loket.jpg (13 B)")
	if data, err := h.store.Blob(ctx, pf.SHA256); err == nil || data != nil {
		t.Fatal("the file was stored before the form was saved")
	}
	h.tap(fd.submit)
	r := h.status(v.Report.AgendaNo)
	if r.Status != lapordesk.StatusFollowedUp || len(r.Attachments) != 1 || r.Attachments[0].Name != "loket.jpg" {
		t.Fatalf("after follow-up: %s %+v", r.Status, r.Attachments)
	}
	if data, err := h.store.Blob(ctx, pf.SHA256); err != nil || string(data) != "JPEG isi foto" {
		t.Fatalf("stored file: %q %v", data, err)
	}
	h.mustSee("loket.jpg")
	h.d.openAttachment(r.Attachments[0])
	h.drain()
	path := filepath.Join(os.TempDir(), "lapordesk-lampiran", pf.SHA256[:12]+"-loket.jpg")
	if b, err := os.ReadFile(path); err != nil || string(b) != "JPEG isi foto" {
		t.Fatalf("opened file: %q %v", b, err)
	}
}
