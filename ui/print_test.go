package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/letter"
	"github.com/lapordesk/lapordesk/storage"
)

// pdfText reads a printed PDF back as a person reads it (poppler's pdftotext),
// whitespace collapsed.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: cannot read the printed letter back")
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// letterHarness opens a desk that prints into a temporary folder.
func letterHarness(t *testing.T, p *lapordesk.Profile) (*harness, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "surat")
	h := newHarnessWith(t, p, func(*storage.Store) Hooks { return Hooks{Letters: LetterFolder(dir)} })
	return h, dir
}

// act records someone's work on a report directly in the store.
func (h *harness) act(id lapordesk.View, cmds ...lapordesk.Command) {
	h.t.Helper()
	for _, c := range cmds {
		if c.Unit == "" {
			c.Unit = h.d.profile.UnitCode
		}
		if _, err := h.store.Act(context.Background(), id.Report.ID, c); err != nil {
			h.t.Fatalf("%s: %v", c.Action, err)
		}
	}
}

// A surat tindak lanjut for an Anonim report, printed from the report with a small
// form: the PDF is written to the letters folder with its number, the date and
// the chosen Sifat, and never the reporter's identity; the number and code are
// shown; a reprint (Ctrl+P) is the same letter with the same number.
func TestPrintFollowUpLetterFromTheWindow(t *testing.T) {
	h, dir := letterHarness(t, unitProfile())
	n := sample("Pungutan liar di loket puskesmas")
	n.Confidentiality = lapordesk.Anonim
	n.Reporter = lapordesk.Reporter{Name: "Siti Aminah", Phone: "081234567890", Email: "siti@example.com"}
	v := h.receive(n)
	h.act(v, lapordesk.Command{Action: lapordesk.ActVerify},
		lapordesk.Command{Action: lapordesk.ActRespond, Text: "Sedang kami periksa."},
		lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "Petugas loket telah diberi sanksi dan pungutan dihentikan."})
	h.d.navigate(string(lapordesk.BoxAll))
	h.drain()
	h.selectRow(0)
	if h.d.detail.print == nil || h.d.detail.print.Text != "Cetak" {
		t.Fatal("no Cetak on a followed-up report")
	}

	h.tap(h.d.detail.print)
	fd := h.form()
	h.mustSee("Surat tindak lanjut — "+v.Report.Ref(), "Sifat surat", "Alamat tujuan (Yth.)", "Hal", "nomor berikutnya")
	fd.form.rows["sifat"].input.(*choice).SetSelected("Segera")
	h.typeInto(h.entryOf(fd.form, "lampiran"), "1 (satu) berkas")
	h.tap(fd.submit)
	if h.d.form != nil {
		t.Fatalf("the print form stayed open: %s", fd.form.general.Text)
	}
	r := h.status(v.Report.ID.String())
	rec, ok := letter.Recorded(r, letter.KindTindakLanjut, false)
	if !ok || rec.Number == "" || rec.Code == "" {
		t.Fatalf("no letter recorded: %+v", r.Letters)
	}
	path := filepath.Join(dir, "tindak-lanjut-"+v.Report.Ref()+".pdf")
	text := pdfText(t, path)
	for _, want := range []string{rec.Number, "Barru, 23 November 2026", "Segera", "1 (satu) berkas",
		"Petugas loket telah diberi sanksi", "Dinas Kesehatan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"Siti", "Aminah", "081234567890", "siti@example.com"} {
		if strings.Contains(text, never) {
			t.Fatalf("the PDF names the Anonim reporter (%q)", never)
		}
	}
	h.mustSee("Surat dicetak", "nomor "+rec.Number, "Kode verifikasi: "+rec.Code, path,
		"Nomor surat "+rec.Number+" · kode verifikasi "+rec.Code)
	// The message's OK has the focus: Enter closes it.
	okB, _ := h.win.Canvas().Focused().(*keyButton)
	if okB == nil || okB.Text != "OK" {
		t.Fatalf("the focus is on %T, not the message's OK", h.win.Canvas().Focused())
	}
	okB.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Fatal("Enter did not close the message")
	}
	if h.d.detail.print == nil || h.d.detail.print.Text != "Cetak ulang" {
		t.Fatal("an issued letter is not offered as Cetak ulang")
	}

	// Ctrl+P reprints at once: the same number, date and code.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault})
	if h.d.form != nil {
		t.Fatal("a reprint asked for a form")
	}
	again := pdfText(t, path)
	if !strings.Contains(again, rec.Number) || again != text {
		t.Fatalf("the reprint differs from the first print:\n%s\n%s", again, text)
	}
	r = h.status(v.Report.ID.String())
	if len(r.Letters) != 1 || r.Letters[0].Number != rec.Number {
		t.Fatalf("a reprint spent a number: %+v", r.Letters)
	}
	h.mustSee("Cetak ulang Surat tindak lanjut nomor " + rec.Number)
}

// A report disposed and followed up offers both letters in a menu; the lembar
// disposisi prints with its own number; Rekap prints the period shown.
func TestPrintDispositionAndRecap(t *testing.T) {
	h, dir := letterHarness(t, coordinatorProfile())
	v := h.receive(sample("Obat kosong di Puskesmas Coppo"))
	h.act(v, lapordesk.Command{Action: lapordesk.ActVerify},
		lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "DINKES", Instructions: []string{"Untuk ditindaklanjuti"}},
		lapordesk.Command{Action: lapordesk.ActFollowUp, Unit: "DINKES", Text: "Stok obat dipenuhi dari gudang farmasi."})
	h.d.navigate(string(lapordesk.BoxAll))
	h.drain()
	h.selectRow(0)
	h.tap(h.d.detail.print)
	menu := h.popUpMenu()
	if menu == nil || len(menu.Items) != 2 {
		t.Fatal("Cetak did not offer a menu of two letters")
	}
	h.mustSee("Lembar disposisi", "Surat tindak lanjut")
	test.Tap(menu.Items[0].(fyne.Tappable))
	h.drain()
	h.mustSee("Lembar disposisi — " + v.Report.Ref())
	h.tap(h.form().submit)
	r := h.status(v.Report.ID.String())
	rec, ok := letter.Recorded(r, letter.KindDisposisi, false)
	if !ok {
		t.Fatal("no lembar disposisi recorded")
	}
	text := pdfText(t, filepath.Join(dir, "disposisi-"+v.Report.Ref()+".pdf"))
	for _, want := range []string{rec.Number, "Dinas Kesehatan", "Obat kosong di Puskesmas Coppo"} {
		if !strings.Contains(text, want) {
			t.Errorf("the lembar disposisi lacks %q:\n%s", want, text)
		}
	}

	h.shortcut(&desktop.CustomShortcut{KeyName: fyne.Key8, Modifier: fyne.KeyModifierShortcutDefault})
	h.tap(h.d.recap.print)
	text = pdfText(t, filepath.Join(dir, "rekap-2026-09-01-2026-11-23.pdf"))
	for _, want := range []string{"1 September 2026", "23 November 2026", "Kesehatan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the recap lacks %q:\n%s", want, text)
		}
	}
	h.mustSee("Rekapitulasi 1 September 2026 s.d. 23 November 2026 dicetak")
}

// Pengaturan › Kop surat & penanda tangan uses the letter package's settings: the
// defaults from the profile shown, a bad NIP and an unknown placeholder named
// beside their fields before saving, nothing written while wrong, then saved under
// the keys letters read (the letterhead's JSON as before).
func TestLetterSettings(t *testing.T) {
	h, _ := letterHarness(t, unitProfile())
	ctx := context.Background()
	lt := h.openSettings(1).letter
	h.drain()
	if lt.pemda.PlaceHolder != "Kabupaten Barru" || lt.jabatan.PlaceHolder != "Kepala Dinas Kesehatan" || lt.paper.Selected != "A4" ||
		lt.template.Text != letter.DefaultFollowUpTemplate {
		t.Fatalf("defaults: %q %q %q", lt.pemda.PlaceHolder, lt.jabatan.PlaceHolder, lt.paper.Selected)
	}
	h.mustSee("Contoh nomor surat tindak lanjut: 045/DINKES/XI/2026", "{nomor_laporan}", "{bulan_romawi}")

	h.typeInto(lt.address, "Jl. Sultan Hasanuddin No. 1, Barru")
	h.typeInto(lt.nip, "1971 03x")
	lt.template.SetText("Yth. {nama_pelapor},\n\n{tindak_lanjut}")
	h.drain()
	if e := lt.form.errorOf("signer.nip"); e == "" {
		t.Fatal("a NIP with a letter is not named beside its field")
	}
	if e := lt.form.errorOf("settings.template"); !strings.Contains(e, "{nama_pelapor}") {
		t.Fatalf("the unknown placeholder is not named before saving: %q", e)
	}
	h.tap(lt.save.button)
	h.mustSee("Belum tersimpan")
	if c, err := letter.LoadConfig(ctx, h.store); err != nil || c.Letterhead.Address != "" {
		t.Fatalf("a wrong configuration was written: %+v %v", c.Letterhead, err)
	}

	lt.nip.SetText("197103121998032004")
	lt.template.SetText("Yth. {pelapor},\n\n{tindak_lanjut}")
	lt.paper.SetSelected("F4")
	h.typeInto(lt.tembusan, "Bupati Barru\nInspektorat Kabupaten Barru")
	h.drain()
	if e := lt.form.errorOf("settings.template"); e != "" {
		t.Fatalf("a good template still shows %q", e)
	}
	h.tap(lt.save.button)
	h.mustSee("Tersimpan.")
	c, err := letter.LoadConfig(ctx, h.store)
	if err != nil {
		t.Fatal(err)
	}
	if c.Letterhead.Paper != letter.PaperF4 || c.Signer.NIP != "197103121998032004" || c.Settings.Template != "Yth. {pelapor},\n\n{tindak_lanjut}" ||
		strings.Join(c.Settings.Tembusan, "|") != "Bupati Barru|Inspektorat Kabupaten Barru" || c.Letterhead.PemdaName != "" ||
		c.Settings.Instructions != nil {
		t.Fatalf("stored: %+v", c)
	}
	var lh map[string]string
	if err := h.store.Setting(ctx, letter.KeyLetterhead, &lh); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"pemda_name": "", "unit_name": "", "address": "Jl. Sultan Hasanuddin No. 1, Barru",
		"phone": "", "email": "", "website": "", "logo_path": "", "paper": "F4"}
	if b1, b2 := mustJSON(lh), mustJSON(want); b1 != b2 {
		t.Fatalf("letterhead stored as %s, want %s", b1, b2)
	}
}

// The disposition instructions are one list, edited once in the letter settings: the
// tab shows the list in force, and what it saves is what the disposition form offers
// and what the lembar disposisi prints.
func TestInstructionsEditedOnceOfferedAndPrinted(t *testing.T) {
	h, _ := letterHarness(t, coordinatorProfile())
	ctx := context.Background()
	lt := h.openSettings(1).letter
	h.drain()
	if lt.instructions.Text != strings.Join(lapordesk.DefaultInstructions(), "\n") {
		t.Fatalf("the tab shows %q, not the list in force", lt.instructions.Text)
	}
	own := []string{"Segera tindak lanjuti", "Laporkan hasilnya kepada saya", "Untuk diketahui"}
	lt.instructions.SetText(strings.Join(own, "\n") + "\n\n")
	h.drain()
	h.tap(lt.save.button)
	h.mustSee("Tersimpan.")
	c, err := letter.LoadConfig(ctx, h.store)
	if err != nil || strings.Join(c.Settings.Instructions, "|") != strings.Join(own, "|") {
		t.Fatalf("stored %q, %v", c.Settings.Instructions, err)
	}

	n := sample("Obat kosong di Puskesmas Coppo")
	n.TrackingID = "4012345"
	h.receive(n)
	h.d.navigate(navInbox)
	h.d.changed()
	h.drain()
	h.selectRow(0)
	h.tap(h.d.detail.actions[lapordesk.ActVerify])
	h.tap(h.form().submit)
	h.tap(h.d.detail.actions[lapordesk.ActDispose])
	fd := h.form()
	instr := fd.form.rows["instructions"].input.(*widget.CheckGroup)
	if strings.Join(instr.Options, "|") != strings.Join(own, "|") {
		t.Fatalf("the disposition form offers %q, not the saved list", instr.Options)
	}
	h.tap(fd.cancel)
}

// popUpMenu finds the menu shown over the window (Fyne wraps it in an overlay).
func (h *harness) popUpMenu() *widget.Menu {
	var found *widget.Menu
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.PopUpMenu:
			found = x.Menu
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		walk(top)
	}
	return found
}
