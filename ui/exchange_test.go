package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/exchange"
	"github.com/lapordesk/lapordesk/storage"
)

// exchange turns the exchange feature on, as cmd/lapordesk does, on the harness's
// real store; daily false switches the scheduled backup off (it has a test of its
// own). The file dialogs fail the test unless a test answers them.
func (h *harness) exchange(daily bool) *exchangeUI {
	h.t.Helper()
	if !daily {
		if err := h.store.PutSetting(context.Background(), storage.SettingBackup, storage.BackupSettings{Daily: false, Keep: 7}); err != nil {
			h.t.Fatal(err)
		}
	}
	h.d.hooks.Exchange = &ExchangeFeature{}
	h.d.showMain()
	h.drain()
	x := h.d.ex
	x.chooseSave = func(string, []string, func(string)) { h.t.Fatal("unexpected save dialog") }
	x.chooseOpen = func([]string, func(string)) { h.t.Fatal("unexpected open dialog") }
	x.chooseFolder = func(func(string)) { h.t.Fatal("unexpected folder dialog") }
	return x
}

// mustRead is mustSee for wrapped text: a wrapped label draws a line per line,
// so spaces and line ends do not count.
func (h *harness) mustRead(texts ...string) {
	h.t.Helper()
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	r := h.rendered()
	for _, s := range texts {
		if !strings.Contains(squash(r), squash(s)) {
			h.t.Fatalf("%q is not on screen; the screen shows:\n%s", s, r)
		}
	}
}

// saveAs answers the next save dialog with path and remembers the name offered.
func (x *exchangeUI) saveAs(path string, offered *string) {
	x.chooseSave = func(name string, _ []string, done func(string)) {
		*offered = name
		done(path)
	}
}

// anonymous is an Anonim report whose identity must never leave the program.
func anonymous(title string) lapordesk.NewReport {
	n := sample(title)
	n.Confidentiality = lapordesk.Anonim
	n.Reporter = lapordesk.Reporter{Name: "Hj. Rahmawati Syamsuddin", Phone: "085299887766", Email: "rahma.syam@example.id", IDNumber: "7311014506820001"}
	return n
}

var anonIdentity = []string{"Rahmawati", "085299887766", "rahma.syam", "7311014506820001"}

// The Ekspor button writes exactly the list shown (box, search) to the file
// chosen, XLSX or CSV by its name, and never an Anonim reporter's identity.
func TestExportFilteredList(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	h.receive(sample("Antrean puskesmas Pancana"))
	h.receive(anonymous("Obat kosong di puskesmas Coppo"))
	other := sample("Jalan berlubang di Lipukasi")
	other.Body = "Lubang besar di jalan poros, membahayakan pengendara motor."
	other.CategoryID = ""
	h.receive(other)
	h.d.changed()
	h.drain()
	h.typeInto(h.d.list.search, "puskesmas")
	h.mustSee("2 laporan")
	var shown []string
	for i := 0; i < h.d.list.pager.Len(); i++ {
		it, _ := h.d.list.pager.Item(i)
		shown = append(shown, it.Title)
	}
	if len(shown) != 2 {
		t.Fatalf("the search shows %v", shown)
	}

	out := filepath.Join(t.TempDir(), "puskesmas.xlsx")
	var offered string
	x.saveAs(out, &offered)
	h.tap(h.d.list.exportB)
	if offered != "laporan-kotak-masuk-2026-11-23.xlsx" {
		t.Fatalf("the save dialog offered %q", offered)
	}
	h.mustRead("2 laporan diekspor ke " + out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Laporan")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][3] != "Judul" {
		t.Fatalf("the sheet holds %d rows, header %v", len(rows), rows[0])
	}
	for i, title := range shown {
		if rows[i+1][3] != title {
			t.Fatalf("row %d is %q, the list shows %q", i+2, rows[i+1][3], title)
		}
	}
	for _, r := range rows {
		for _, cell := range r {
			for _, id := range anonIdentity {
				if strings.Contains(cell, id) {
					t.Fatalf("the export holds the Anonim reporter's %q", id)
				}
			}
		}
	}
	noIdentity(t, out)

	// CSV by the name chosen; a name of another kind is refused, and no file is left.
	csvOut := filepath.Join(t.TempDir(), "puskesmas.csv")
	x.saveAs(csvOut, &offered)
	h.tap(h.d.list.exportB)
	h.mustRead("2 laporan diekspor ke " + csvOut)
	b, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBFID,No. Tiket")) || bytes.Count(b, []byte("\r\n")) != 3 {
		t.Fatalf("the CSV starts %q and has %d lines", b[:min(len(b), 40)], bytes.Count(b, []byte("\r\n")))
	}
	noIdentity(t, csvOut)
	pdf := filepath.Join(t.TempDir(), "laporan.pdf")
	if err := os.WriteFile(pdf, nil, 0o600); err != nil { // as the save dialog leaves it
		t.Fatal(err)
	}
	x.saveAs(pdf, &offered)
	h.tap(h.d.list.exportB)
	h.mustRead(`"laporan.pdf": beri nama berkas berakhiran .xlsx (Excel) atau .csv`)
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Fatalf("the refused export left %s behind (%v)", pdf, err)
	}
}

// noIdentity searches every byte of an export (every part of an XLSX) for the
// Anonim reporter's identity.
func noIdentity(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parts := [][]byte{b}
	if filepath.Ext(path) == ".xlsx" {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		f.Pkg.Range(func(_, v any) bool {
			if p, ok := v.([]byte); ok {
				parts = append(parts, p)
			}
			return true
		})
		if len(parts) < 3 {
			t.Fatalf("read only %d parts of %s", len(parts), path)
		}
	}
	for _, p := range parts {
		for _, id := range anonIdentity {
			if bytes.Contains(p, []byte(id)) {
				t.Fatalf("%s holds the Anonim reporter's %q", path, id)
			}
		}
	}
}

// Rekap's Ekspor writes the recap on screen, one sheet per table.
func TestExportRecap(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	h.receive(sample("Antrean puskesmas Pancana"))
	h.receive(sample("Dokter jarang hadir"))
	h.d.navigate(navRecap)
	h.drain()
	out := filepath.Join(t.TempDir(), "rekap.xlsx")
	var offered string
	x.saveAs(out, &offered)
	h.tap(h.d.recap.export)
	if offered != "rekap-2026-09-01-2026-11-23.xlsx" {
		t.Fatalf("the save dialog offered %q", offered)
	}
	h.mustRead("Rekap 1 September 2026 – 23 November 2026 diekspor ke " + out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 7 || got[0] != "Ringkasan" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Per Status")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) >= 3 && r[1] == "Baru" && r[2] == "2" {
			found = true
		}
	}
	if !found {
		t.Fatalf("Per Status does not count the 2 new reports: %v", rows)
	}
}

const kecamatanCSV = "Daftar Pengaduan Kecamatan Tanete Rilau\r\n" +
	"No. Tiket;Perihal;Uraian Masalah;Tanggal;Kecamatan;Nama Pelapor\r\n" +
	"4012345;Lampu jalan padam;Lampu jalan di depan SD 3 padam sejak seminggu.;20/11/2026;Tanete Rilau;Andi Baso\r\n" +
	"4012346;Sampah menumpuk di pasar;Sampah di pasar tidak diangkut tiga hari.;21/11/2026;Tanete Rilau;Siti Hajar\r\n"

// The wizard reads a CSV, guesses its columns and lets the user choose the one it
// could not, saves that mapping, previews without writing, and imports on Impor;
// the list shows the reports at once. The same file again changes nothing.
func TestImportWizard(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kecamatan.csv")
	if err := os.WriteFile(path, []byte(kecamatanCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	h.shortcut(ctrl(fyne.KeyI))
	w := x.wizard
	if w == nil {
		t.Fatal("Ctrl+I did not open the import wizard")
	}
	h.mustRead("Langkah 1 dari 4 · Pilih berkas")
	h.tap(&w.next.Button)
	h.mustRead("Pilih berkas yang akan diimpor.")
	h.typeInto(w.path, path)
	h.tap(&w.next.Button)
	h.mustRead("Langkah 2 dari 4 · Cocokkan kolom", "kecamatan.csv: 2 baris data, judul kolom di baris 2.",
		"Kolom yang tidak dipakai: Uraian Masalah")
	if w.selects[exchange.FieldTitle].Selected != "Perihal" || w.selects[exchange.FieldReceivedAt].Selected != "Tanggal" ||
		w.selects[exchange.FieldBody].Selected != "(tidak dipakai)" {
		t.Fatalf("guessed title %q, received %q, body %q", w.selects[exchange.FieldTitle].Selected,
			w.selects[exchange.FieldReceivedAt].Selected, w.selects[exchange.FieldBody].Selected)
	}

	// Without the text's column the preview says what is missing, and Impor waits.
	h.tap(&w.next.Button)
	h.mustRead("Langkah 3 dari 4 · Pratinjau", "tidak ada kolom untuk Isi laporan; pilih kolomnya pada pemetaan")
	if !w.next.Disabled() {
		t.Fatal("Impor is offered while a required column is missing")
	}
	h.tap(&w.back.Button)
	w.selects[exchange.FieldBody].SetSelected("Uraian Masalah")
	h.mustNotSee("Kolom yang tidak dipakai")
	h.typeInto(w.saveName, "kecamatan")
	h.tap(w.saveMap)
	h.mustRead(`Pemetaan "kecamatan" disimpan.`)
	m, err := exchange.LoadMapping(ctx, h.store, "kecamatan")
	if err != nil || m[exchange.FieldBody] != "Uraian Masalah" || m[exchange.FieldTitle] != "Perihal" {
		t.Fatalf("saved mapping %v, %v", m, err)
	}

	h.tap(&w.next.Button)
	if w.counts[exchange.ActionAdd].Text != "2" || w.counts[exchange.ActionProblem].Text != "0" {
		t.Fatalf("preview counts: add %s, problems %s", w.counts[exchange.ActionAdd].Text, w.counts[exchange.ActionProblem].Text)
	}
	h.mustRead("laporan baru", "dari 2 baris data di kecamatan.csv", "Lampu jalan padam", "Sampah menumpuk di pasar",
		"Belum ada yang disimpan. Impor menyimpan 2 laporan baru dan 0 perubahan sekaligus, dalam satu langkah.")
	if n := reportCount(t, h.store); n != 0 {
		t.Fatalf("the preview wrote %d reports", n)
	}
	h.tap(&w.next.Button)
	h.mustRead("Impor selesai: 2 laporan baru, 0 diperbarui, 0 tidak berubah, 0 dilewati.")
	if n := reportCount(t, h.store); n != 2 {
		t.Fatalf("the store holds %d reports after the import", n)
	}
	r := h.status("4012345")
	if r.Title != "Lampu jalan padam" || r.Location.Kecamatan != "Tanete Rilau" || r.Unit != "DINKES" {
		t.Fatalf("imported %+v", r)
	}
	// Tutup has the focus: Enter closes the wizard.
	if f := h.win.Canvas().Focused(); f != w.next {
		t.Fatalf("the focus is on %T, not Tutup", f)
	}
	w.next.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if x.wizard != nil || h.d.dialogs != 0 {
		t.Fatal("the wizard is still open")
	}
	h.mustRead("Lampu jalan padam", "Sampah menumpuk di pasar", "2 laporan")

	// The same file with the saved mapping: nothing to import.
	h.d.importWizard()
	w = x.wizard
	h.typeInto(w.path, path)
	h.tap(&w.next.Button)
	w.savedSel.SetSelected("kecamatan")
	if w.selects[exchange.FieldBody].Selected != "Uraian Masalah" {
		t.Fatal("choosing the saved mapping did not set the text's column")
	}
	h.tap(&w.next.Button)
	if w.counts[exchange.ActionUnchanged].Text != "2" || !w.next.Disabled() {
		t.Fatalf("the second preview: unchanged %s, Impor enabled %v", w.counts[exchange.ActionUnchanged].Text, !w.next.Disabled())
	}
	h.mustRead("Tidak ada yang perlu diimpor: semua laporan sudah sama.")
	// Escape on the focused button leaves the wizard.
	h.win.Canvas().Focus(w.back)
	w.back.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if x.wizard != nil || h.d.dialogs != 0 {
		t.Fatal("Escape did not close the wizard")
	}
}

func reportCount(t *testing.T, s *storage.Store) int {
	t.Helper()
	c, err := s.Counts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return c[lapordesk.BoxAll]
}

// An XLSX of two sheets: the wizard reads the sheet chosen. A row with an
// impossible date is named by row and column, and nothing is written until the
// user chooses to leave that row out.
func TestImportWizardSheetAndProblem(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	path := filepath.Join(t.TempDir(), "rekap.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Oktober")
	f.SetSheetRow("Oktober", "A1", &[]any{"Judul", "Isi Laporan", "Tanggal Diterima", "Nama Pelapor"})
	f.SetSheetRow("Oktober", "A2", &[]any{"Air PDAM keruh", "Air keruh sejak Senin.", "12/10/2026", "Nurhayati"})
	f.NewSheet("November")
	f.SetSheetRow("November", "A1", &[]any{"Judul", "Isi Laporan", "Tanggal Diterima", "Nama Pelapor"})
	f.SetSheetRow("November", "A2", &[]any{"Posyandu tutup", "Posyandu Mattappa tutup tanpa kabar.", "02/11/2026", "Muh. Arsyad"})
	f.SetSheetRow("November", "A3", &[]any{"Ambulans terlambat", "Ambulans datang dua jam kemudian.", "31/02/2026", "Hasnah"})
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	h.d.importWizard()
	w := x.wizard
	h.typeInto(w.path, path)
	h.tap(&w.next.Button)
	h.mustRead("rekap.xlsx: 1 baris data", "Lembar")
	if w.sheet.Selected != "Oktober" || len(w.sheet.Options) != 2 {
		t.Fatalf("sheet %q of %v", w.sheet.Selected, w.sheet.Options)
	}
	w.sheet.SetSelected("November")
	h.drain()
	h.mustRead("rekap.xlsx: 2 baris data")
	h.tap(&w.next.Button)
	if w.counts[exchange.ActionAdd].Text != "1" || w.counts[exchange.ActionProblem].Text != "1" {
		t.Fatalf("preview counts: add %s, problems %s", w.counts[exchange.ActionAdd].Text, w.counts[exchange.ActionProblem].Text)
	}
	h.mustRead(`Baris 3, kolom C (Tanggal Diterima): tanggal "31/02/2026" tidak mungkin ada`,
		"dari 2 baris data di rekap.xlsx [November]",
		"1 baris bermasalah: selama masih ada masalah, tidak ada yang diimpor.")
	if !w.next.Disabled() {
		t.Fatal("Impor is offered while a row has a problem")
	}
	// The table marks the row, and its detail spells the problem out.
	w.onlyProblems.SetChecked(true)
	if len(w.shown) != 1 || w.preview.Rows[w.shown[0]].Row != 3 {
		t.Fatalf("only problems shows rows %v", w.shown)
	}
	w.grid.Select(widget.TableCellID{Row: 0, Col: 4})
	if !strings.Contains(w.rowDetail.Text, `Baris 3, kolom C (Tanggal Diterima)`) {
		t.Fatalf("the row's detail says %q", w.rowDetail.Text)
	}
	if n := reportCount(t, h.store); n != 0 {
		t.Fatalf("a preview with a problem wrote %d reports", n)
	}
	w.skip.SetChecked(true)
	h.tap(&w.next.Button)
	h.mustRead("Impor selesai: 1 laporan baru, 0 diperbarui, 0 tidak berubah, 1 dilewati.")
	if n := reportCount(t, h.store); n != 1 {
		t.Fatalf("the store holds %d reports", n)
	}
}

// A file that is no spreadsheet is refused at the first step, in words.
func TestImportWizardRefusesFile(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	path := filepath.Join(t.TempDir(), "laporan.xls")
	if err := os.WriteFile(path, append([]byte{0xD0, 0xCF, 0x11, 0xE0}, make([]byte, 600)...), 0o600); err != nil {
		t.Fatal(err)
	}
	h.d.importWizard()
	w := x.wizard
	h.typeInto(w.path, path)
	h.tap(&w.next.Button)
	h.mustRead("laporan.xls berformat Excel lama (.xls) atau dilindungi kata sandi; simpan ulang sebagai .xlsx tanpa kata sandi")
	if w.step != stepFile {
		t.Fatalf("the wizard went on to step %d", w.step+1)
	}
}

// The words the exchange screens build from a prefix exist in both languages.
func TestExchangeWordsTranslated(t *testing.T) {
	keys := []string{"ui.import.more_problems", "ui.import.more_notes"}
	for _, s := range []string{"file", "mapping", "preview", "result"} {
		keys = append(keys, "ui.import.step."+s)
	}
	for _, a := range previewActions {
		keys = append(keys, "ui.import.count."+string(a), "ui.import.action."+string(a))
	}
	for _, c := range previewColumns {
		keys = append(keys, "ui.import.col."+c.key)
	}
	keys = append(keys, "field.backup_keep", "field.backup_dir", "field.mapping_name")
	for _, lang := range []string{"id", "en"} {
		tr, err := assets.Translation(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if tr[k] == "" {
				t.Errorf("%s: %s is missing", lang, k)
			}
		}
	}
}
