package ui

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// openSettings opens Pengaturan (Ctrl+9) on tab i.
func (h *harness) openSettings(tab int) *settingsScreen {
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key9, Modifier: fyne.KeyModifierShortcutDefault})
	h.drain()
	if h.d.current != navSettings {
		h.t.Fatalf("Ctrl+9 shows %q", h.d.current)
	}
	h.d.settings.tabs.SelectIndex(tab)
	return h.d.settings
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Holidays are added and removed, and the deadlines of open reports move with them.
func TestHolidayEditor(t *testing.T) {
	h := newHarness(t, unitProfile())
	v := h.receive(sample("Antrean puskesmas Pancana")) // Monday 23 Nov: due Thursday 26 Nov
	if v.Deadline.Due != lapordesk.NewDate(2026, 11, 26) {
		t.Fatalf("due %v", v.Deadline.Due)
	}
	ht := h.openSettings(2).hol
	h.typeInto(ht.date, "25/11/2026")
	h.tap(ht.save.button)
	if ht.form.errorOf("name") == "" {
		t.Fatal("a holiday without a name was not refused beside the field")
	}
	h.typeInto(ht.name, "Hari Guru (libur daerah)")
	ht.kind.SetSelected("Libur daerah")
	h.tap(ht.save.button)
	if hd, ok := h.store.Calendar().Holiday(lapordesk.NewDate(2026, 11, 25)); !ok || hd.Kind != lapordesk.HolidayRegional {
		t.Fatalf("holiday not stored: %+v", hd)
	}
	h.mustSee("Rabu, 25 November 2026", "Hari Guru (libur daerah)")
	r, _ := h.store.View(context.Background(), v.Report.ID)
	if r.Deadline.Due != lapordesk.NewDate(2026, 11, 27) {
		t.Fatalf("deadline did not move past the holiday: %v", r.Deadline.Due)
	}
}

// On a desk whose reference data is the hub's, the holidays and the SLA table show
// the hub's and say where they are edited; nothing there edits them.
func TestHubOwnedReferenceDataIsShownNotEdited(t *testing.T) {
	h := newHarness(t, unitProfile())
	day := lapordesk.NewDate(2026, 11, 25)
	if _, err := h.store.ApplyHubRefData(context.Background(), storage.HubRefData{
		Holidays: []lapordesk.Holiday{{Date: day, Name: "Hari Jadi Kabupaten Barru", Kind: lapordesk.HolidayRegional}}}); err != nil {
		t.Fatal(err)
	}
	st := h.openSettings(2)
	h.drain()
	h.mustRead("Rabu, 25 November 2026", "Hari Jadi Kabupaten Barru", "diatur di hub untuk semua meja")
	h.mustNotSee("Tambah hari libur")
	st.tabs.SelectIndex(3)
	h.drain()
	h.mustRead("diatur di hub untuk semua meja")
	for _, e := range st.sla.cells {
		if !e.Disabled() {
			t.Fatal("an SLA cell can be edited on a hub-owned desk")
		}
	}
}

// The SLA table: an empty classification column follows the default; a bad number
// is named with its column; a good policy is stored.
func TestSLAPolicyEditor(t *testing.T) {
	h := newHarness(t, unitProfile())
	st := h.openSettings(3).sla
	if st.cells["verify_days"].Text != "3" || st.cells["aspirasi.verify_days"].Text != "" {
		t.Fatalf("table not filled from the policy: %q %q", st.cells["verify_days"].Text, st.cells["aspirasi.verify_days"].Text)
	}
	st.cells["aspirasi.verify_days"].SetText("5")
	h.tap(st.save.button)
	if !strings.Contains(st.form.general.Text, "Aspirasi") {
		t.Fatalf("a half-filled column was not named: %q", st.form.general.Text)
	}
	for _, f := range slaFields {
		st.cells["aspirasi."+f].SetText("0")
	}
	st.cells["aspirasi.verify_days"].SetText("5")
	h.tap(st.save.button)
	if !strings.Contains(st.form.general.Text, "Aspirasi") || !strings.Contains(st.form.general.Text, "0") {
		t.Fatalf("zero days were not refused: %q", st.form.general.Text)
	}
	for _, f := range slaFields {
		st.cells["aspirasi."+f].SetText(st.cells[f].Text)
	}
	st.cells["aspirasi.verify_days"].SetText("5")
	h.tap(st.save.button)
	p := h.store.Policy()
	if p.For(lapordesk.Aspirasi).VerifyDays != 5 || p.For(lapordesk.Pengaduan).VerifyDays != 3 {
		t.Fatalf("policy stored: %+v", p)
	}
}

// Language and theme are stored; the theme applies at once.
func TestLanguageAndTheme(t *testing.T) {
	h := newHarness(t, unitProfile())
	lk := h.openSettings(4).look
	h.drain()
	lk.theme.SetSelected("Gelap")
	h.drain()
	var th string
	if err := h.store.Setting(context.Background(), storage.SettingTheme, &th); err != nil || th != ThemeDark {
		t.Fatalf("theme setting %q %v", th, err)
	}
	if v := h.app.Settings().Theme().(*deskTheme).variant; v == nil || *v != theme.VariantDark {
		t.Fatal("the dark theme was not applied")
	}
	lk.lang.SetSelected("English")
	h.drain()
	var lang string
	if err := h.store.Setting(context.Background(), storage.SettingLanguage, &lang); err != nil || lang != "en" {
		t.Fatalf("language setting %q %v", lang, err)
	}
	h.mustSee("Tutup dan buka kembali LAPOR Desk")
}

// The recap shows the store's numbers for the period.
func TestRecapShowsTheNumbers(t *testing.T) {
	h := newHarness(t, unitProfile())
	ctx := context.Background()
	for _, title := range []string{"Antrean puskesmas Pancana", "Obat kosong di Coppo", "Dokter tidak ada"} {
		h.receive(sample(title))
	}
	v := h.receive(sample("Pungutan di loket"))
	if _, err := h.store.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActRespond, Text: "Sedang ditangani."}); err != nil {
		t.Fatal(err)
	}
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key8, Modifier: fyne.KeyModifierShortcutDefault})
	h.drain()
	rc := h.d.recap
	if rc.cards["total"].Text != "4" {
		t.Fatalf("total shows %q", rc.cards["total"].Text)
	}
	if rc.cards["avg_response"].Text != "0,0 hari kerja" {
		t.Fatalf("average to response shows %q", rc.cards["avg_response"].Text)
	}
	h.mustSee("1 September 2026 – 23 November 2026", "Kesehatan", "Baru", "Diproses")
	// A chosen period with an empty end is refused in words.
	rc.period.SetSelectedIndex(periodCustom)
	h.typeInto(rc.since, "01/11/2026")
	test.Tap(rc.show)
	h.drain()
	if !rc.errLbl.Visible() || !strings.Contains(rc.errLbl.Text, "Sampai tanggal") {
		t.Fatalf("an empty end date: %q", rc.errLbl.Text)
	}
	h.typeInto(rc.until, "30/11/2026")
	test.Tap(rc.show)
	h.drain()
	if rc.errLbl.Visible() || rc.cards["total"].Text != "4" {
		t.Fatalf("custom period: %q %q", rc.errLbl.Text, rc.cards["total"].Text)
	}
}
