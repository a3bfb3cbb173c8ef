package exchange

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

const workbookXML = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`
const workbookRels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`

// craftXLSX writes a minimal XLSX whose one sheet's XML comes from sheet.
func craftXLSX(t testing.TB, sheet func(w io.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "laporan.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range map[string]string{"xl/workbook.xml": workbookXML, "xl/_rels/workbook.xml.rels": workbookRels} {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	sheet(w)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// nothingWritten checks that the store holds no report and no event.
func nothingWritten(t *testing.T, s *storage.Store) {
	t.Helper()
	counts, err := s.Counts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := s.Pending(context.Background())
	if counts[lapordesk.BoxAll] != 0 || pending != 0 {
		t.Fatalf("something was written: %d reports, %d events", counts[lapordesk.BoxAll], pending)
	}
}

// allocDuring returns the bytes allocated while fn ran.
func allocDuring(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func TestMillionRowSheetIsRefusedWithoutBeingLoaded(t *testing.T) {
	// Not parallel: it counts the bytes the whole process allocates.
	path := craftXLSX(t, func(w io.Writer) {
		io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>Judul</t></is></c><c r="B1" t="inlineStr"><is><t>Isi Laporan</t></is></c></row>`)
		bw := &bytes.Buffer{}
		for i := 2; i <= 1_000_000; i++ {
			fmt.Fprintf(bw, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Jalan rusak</t></is></c><c r="B%d" t="inlineStr"><is><t>Mohon diperbaiki</t></is></c></row>`, i, i, i)
			if bw.Len() > 1<<20 {
				w.Write(bw.Bytes())
				bw.Reset()
			}
		}
		w.Write(bw.Bytes())
		io.WriteString(w, `</sheetData></worksheet>`)
	})
	var err error
	alloc := allocDuring(func() { _, err = Read(context.Background(), path, ReadOptions{}) })
	if !IsFileError(err, FileTooManyRows) {
		t.Fatalf("got %v", err)
	}
	// The sheet unpacks to about 130 MB; refusing it reads it as a stream of bytes.
	if alloc > 32<<20 {
		t.Fatalf("refusing the sheet allocated %d MB", alloc>>20)
	}
	if msg := Describe(err); !strings.Contains(msg, fmt.Sprint(DefaultLimits.MaxRows)) {
		t.Fatalf("message %q", msg)
	}
	// The same as CSV.
	var b bytes.Buffer
	b.WriteString("Judul,Isi Laporan\n")
	for i := 0; i < 1_000_000; i++ {
		b.WriteString("Jalan rusak,Mohon diperbaiki\n")
	}
	csvPath := writeFile(t, "besar.csv", b.Bytes())
	b = bytes.Buffer{}
	alloc = allocDuring(func() { _, err = Read(context.Background(), csvPath, ReadOptions{}) })
	if !IsFileError(err, FileTooManyRows) || alloc > 16<<20 {
		t.Fatalf("csv: %v, %d MB allocated", err, alloc>>20)
	}
}

func TestZipBombsAreRefusedBeforeUnpacking(t *testing.T) {
	// Not parallel: it counts the bytes the whole process allocates.
	// Honest headers: a part that unpacks 1000:1 to 200 MB.
	bomb := craftXLSX(t, func(w io.Writer) {
		io.WriteString(w, `<worksheet><sheetData>`)
		zeros := make([]byte, 1<<20)
		for i := 0; i < 200; i++ {
			w.Write(zeros)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
	})
	var err error
	alloc := allocDuring(func() { _, err = Read(context.Background(), bomb, ReadOptions{}) })
	if !IsFileError(err, FileZipBomb) || alloc > 8<<20 {
		t.Fatalf("bomb: %v, %d MB allocated", err, alloc>>20)
	}

	// Declared sizes past the limit: refused from the directory alone.
	huge := filepath.Join(t.TempDir(), "besar.xlsx")
	f, _ := os.Create(huge)
	zw := zip.NewWriter(f)
	for name, body := range map[string]string{"xl/workbook.xml": workbookXML, "xl/_rels/workbook.xml.rels": workbookRels} {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	var small bytes.Buffer
	fw, _ := flate.NewWriter(&small, flate.BestCompression)
	fw.Write([]byte("<worksheet/>"))
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(small.Len()), UncompressedSize64: 40 << 30, CRC32: crc32.ChecksumIEEE([]byte("<worksheet/>"))})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(small.Bytes())
	zw.Close()
	f.Close()
	if _, err := Read(context.Background(), huge, ReadOptions{}); !IsFileError(err, FileTooLarge) {
		t.Fatalf("declared 40 GB: %v", err)
	}

	// Lying sizes: declared small, unpacking to much more. The zip reader stops at
	// the declared size, so the file is damaged, not read.
	liar := filepath.Join(t.TempDir(), "bohong.xlsx")
	f, _ = os.Create(liar)
	zw = zip.NewWriter(f)
	for name, body := range map[string]string{"xl/workbook.xml": workbookXML, "xl/_rels/workbook.xml.rels": workbookRels} {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	var big bytes.Buffer
	fw, _ = flate.NewWriter(&big, flate.BestSpeed)
	io.WriteString(fw, "<worksheet><sheetData>")
	fw.Write(make([]byte, 50<<20))
	fw.Close()
	w, _ = zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(big.Len()), UncompressedSize64: 1000, CRC32: 1})
	w.Write(big.Bytes())
	zw.Close()
	f.Close()
	alloc = allocDuring(func() { _, err = Read(context.Background(), liar, ReadOptions{}) })
	if !IsFileError(err, FileDamaged) || alloc > 8<<20 {
		t.Fatalf("lying sizes: %v, %d MB allocated", err, alloc>>20)
	}
}

func TestFilesThatAreNoSpreadsheet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name string
		data []byte
		code string
	}{
		{"lama.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), FileOldXLS},
		{"acak.xlsx", []byte("ini bukan berkas excel sama sekali"), FileNotSheet},
		{"gambar.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), FileBinary},
		{"kosong.csv", nil, FileEmpty},
		{"hanya-judul.csv", []byte("Judul,Isi Laporan\r\n"), FileEmpty},
		{"zip-lain.xlsx", zipOf(t, map[string]string{"readme.txt": "halo"}), FileNotSheet},
		{"ekspor-web.xls", []byte("\r\n<html><head><meta charset=utf-8></head><body><table><tr><td>Judul</td></tr></table>"), FileHTML},
	}
	for _, c := range cases {
		_, err := Read(ctx, writeFile(t, c.name, c.data), ReadOptions{})
		if !IsFileError(err, c.code) || !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
			continue
		}
		if msg := Describe(err); !strings.Contains(msg, c.name) || strings.Contains(msg, "file_") {
			t.Errorf("%s: message %q", c.name, msg)
		}
	}
	// An .xls that is really tab-separated text is read as such.
	if tab, err := Read(ctx, writeFile(t, "ekspor.xls", []byte("Judul\tIsi Laporan\nJalan\tRusak\n")), ReadOptions{}); err != nil || len(tab.Rows) != 1 {
		t.Errorf("tab-separated .xls: %v", err)
	}
	// An empty first sheet is named; another sheet can be chosen.
	f := excelize.NewFile()
	f.NewSheet("Isi")
	f.SetSheetRow("Isi", "A1", &[]any{"Judul", "Isi Laporan"})
	f.SetSheetRow("Isi", "A2", &[]any{"Jalan rusak", "Mohon diperbaiki"})
	path := filepath.Join(t.TempDir(), "dua-lembar.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, err := Read(ctx, path, ReadOptions{})
	if !IsFileError(err, FileEmpty) || !strings.Contains(Describe(err), "Sheet1") {
		t.Fatalf("empty sheet: %v / %s", err, Describe(err))
	}
	tab, err := Read(ctx, path, ReadOptions{Sheet: "isi"})
	if err != nil || len(tab.Rows) != 1 || tab.Sheet != "Isi" || fmt.Sprint(tab.Sheets) != "[Sheet1 Isi]" {
		t.Fatalf("sheet Isi: %v %+v", err, tab)
	}
	if _, err := Read(ctx, path, ReadOptions{Sheet: "Tidak Ada"}); !IsFileError(err, FileNoSheet) {
		t.Fatalf("missing sheet: %v", err)
	}
	// A stray cell in column XFD: too many columns.
	f = excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Judul", "Isi Laporan"})
	f.SetCellValue("Sheet1", "XFD2", "x")
	path = filepath.Join(t.TempDir(), "lebar.xlsx")
	f.SaveAs(path)
	if _, err := Read(ctx, path, ReadOptions{}); !IsFileError(err, FileTooManyCols) {
		t.Fatalf("XFD: %v", err)
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	zw.Close()
	return b.Bytes()
}

func TestMergedCellsAndFormulasAreProblemsWhereTheyAreRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetSheetRow(sh, "A1", &[]any{"REKAP PENGADUAN DINAS KESEHATAN"})
	f.MergeCell(sh, "A1", "D1") // a title above the header: harmless
	f.SetSheetRow(sh, "A3", &[]any{"No", "Kategori", "Judul", "Isi Laporan", "Nama Pelapor"})
	rows := [][]any{
		{nil, "Pelayanan Puskesmas", "Antrean panjang", "Antre sampai siang", "Siti"},
		{nil, nil, "Obat kosong", "Resep tidak bisa ditebus", "Rahmat"},
		{nil, nil, "Dokter tidak ada", "Pasien dilayani perawat", "Nur"},
		{nil, "Air Bersih", "Air tidak mengalir", "Dua minggu tidak mengalir", "Basri"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 4+i)
		f.SetSheetRow(sh, cell, &r)
		// Row numbers by formula: an unmapped column, so harmless.
		f.SetCellFormula(sh, fmt.Sprintf("A%d", 4+i), "ROW()-3")
	}
	f.MergeCell(sh, "B4", "B6")                                        // one category for three rows
	f.SetCellFormula(sh, "C7", `CONCATENATE("Air"," tidak mengalir")`) // a mapped column
	path := filepath.Join(t.TempDir(), "gabung.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tab, err := Read(ctx, path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.HeaderRow != 3 || len(tab.Rows) != 4 {
		t.Fatalf("header row %d, %d rows", tab.HeaderRow, len(tab.Rows))
	}
	p, err := Analyze(ctx, s, tab, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := problemCodes(p), "4B:merged_cells 5B:merged_cells 6B:merged_cells 7C:formula"; got != want {
		t.Fatalf("problems %s, want %s", got, want)
	}
	msg := Message(p.AllProblems()[0])
	if !strings.Contains(msg, "Baris 4, kolom B (Kategori)") || !strings.Contains(msg, "B4:B6") {
		t.Fatalf("message %q", msg)
	}
	if _, err := Apply(ctx, s, p, ApplyOptions{}); !IsFileError(err, FileHasProblems) {
		t.Fatalf("apply with problems: %v", err)
	}
	nothingWritten(t, s)
}

func TestWrongTypesAreNamedByRowAndColumnAndNothingIsWritten(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	csv := "No. Tiket;Judul;Isi Laporan;Tanggal;Tanggal Kejadian;Status;Kategori;Lintang;Nama Pelapor;Kerahasiaan\r\n" +
		"4012345;Jalan rusak;Berlubang besar;27/10/2026;26/10/2026;Baru;Jalan dan Jembatan;-4,43;Siti;Biasa\r\n" +
		"4012346;Lampu padam;Gelap;kemarin;;Baru;;;Rahmat;Biasa\r\n" +
		"4012347;Sampah;Menumpuk;31/02/2026;;Entah;;abc;Nur;Biasa\r\n" +
		"4012348;Air mati;Dua minggu;01/11/2026;;Baru;Kategori Tak Ada;;;Biasa\r\n" +
		"4012345;Jalan rusak lagi;Sama;02/11/2026;;Baru;;;Siti;Biasa\r\n" +
		"4012349;Banjir;Tiap hujan;03/11/2026;05/11/2026;Selesai;;;Basri;Rahasia\r\n"
	tab, err := Read(ctx, writeFile(t, "salah.csv", []byte(csv)), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Analyze(ctx, s, tab, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "3D:not_date " +
		"4D:date_impossible 4F:unknown_value 4H:not_number " +
		"5G:unknown_value 5I:required " +
		"6A:duplicate_row " +
		"7E:out_of_range" // the incident after the receipt
	if got := problemCodes(p); got != want {
		t.Fatalf("problems\n got %s\nwant %s", got, want)
	}
	if p.Add != 1 || p.Problems != 5 {
		t.Fatalf("add %d, problems %d", p.Add, p.Problems)
	}
	for _, pr := range p.AllProblems() {
		if msg := Message(pr); !strings.HasPrefix(msg, fmt.Sprintf("Baris %d, kolom %s (", pr.Row, ColumnName(pr.Column))) {
			t.Errorf("message %q", msg)
		}
	}
	if _, err := Apply(ctx, s, p, ApplyOptions{}); !IsFileError(err, FileHasProblems) {
		t.Fatalf("apply: %v", err)
	}
	nothingWritten(t, s)
	// Skipping the rows with problems imports the good one.
	res, err := Apply(ctx, s, p, ApplyOptions{SkipProblems: true})
	if err != nil || res.Added != 1 || res.Skipped != 5 {
		t.Fatalf("skip: %+v %v", res, err)
	}
	id, err := s.Resolve(ctx, "4012345")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Report(ctx, id)
	if r.Location.Lat == nil || *r.Location.Lat != -4.43 || r.CategoryID != "infrastruktur.jalan" || r.IncidentDate.String() != "2026-10-26" {
		t.Fatalf("imported %+v", r)
	}
	if _, err := Apply(ctx, s, p, ApplyOptions{SkipProblems: true}); !errors.Is(err, lapordesk.ErrConflict) {
		t.Fatalf("applying a preview twice: %v", err)
	}
}

func TestWindows1252CSVIsDecoded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	// "Jalan Poros Barru–Pare" with an en dash, "Café" with é, in Windows-1252.
	data := []byte("Judul,Isi Laporan,Nama Pelapor\r\nJalan Poros Barru\x96Pare rusak,Lubang di depan Caf\xe9 Pantai,Andi\r\n")
	tab, err := Read(ctx, writeFile(t, "ansi.csv", data), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Notes) != 1 || tab.Notes[0].Code != ProblemDecoded1252 {
		t.Fatalf("notes %+v", tab.Notes)
	}
	_, res := importFile(t, s, writeFile(t, "ansi.csv", data))
	if res.Added != 1 {
		t.Fatalf("%+v", res)
	}
	page, _ := s.List(ctx, lapordesk.Filter{}, 10, "")
	if page.Items[0].Title != "Jalan Poros Barru–Pare rusak" {
		t.Fatalf("title %q", page.Items[0].Title)
	}
	v, _ := s.View(ctx, page.Items[0].ID)
	if !strings.Contains(v.Report.Body, "Café") {
		t.Fatalf("body %q", v.Report.Body)
	}
	// UTF-16 with BOM (Excel's "Unicode text", tab-separated) reads too.
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "Judul\tIsi Laporan\tNama Pelapor\r\nKafé tutup\tTidak buka\tNur\r\n" {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	tab, err = Read(ctx, writeFile(t, "unicode.txt", u16), ReadOptions{})
	if err != nil || len(tab.Rows) != 1 || tab.Rows[0].Get(1) != "Kafé tutup" {
		t.Fatalf("utf-16: %v %+v", err, tab)
	}
}

func TestAnonimIdentityNeverLeavesInAnExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	secret := lapordesk.Reporter{Name: "Rahasia Nurhaliza", Phone: "081377778888", Email: "nurhaliza.rahasia@contoh.id", IDNumber: "7311987654321098"}
	n := lapordesk.NewReport{Classification: lapordesk.Pengaduan, Title: "Pungutan liar di loket", Body: "Petugas meminta uang tambahan.",
		Channel: lapordesk.ChannelWalkIn, Reporter: secret, Confidentiality: lapordesk.Anonim}
	if _, err := s.Receive(ctx, n); err != nil {
		t.Fatal(err)
	}
	// And one imported with its identity in the sheet: sealed on the way in.
	csv := "Judul,Isi Laporan,Kerahasiaan,Nama Pelapor,Telepon Pelapor,NIK Pelapor\r\n" +
		"Pemotongan bantuan,Bantuan dipotong,Anonim,Samaran Haryanto,081255556666,7311000000000001\r\n"
	importFile(t, s, writeFile(t, "anonim.csv", []byte(csv)))
	forbidden := []string{secret.Name, secret.Phone, secret.Email, secret.IDNumber, "Samaran", "081255556666", "7311000000000001"}
	for _, f := range []Format{XLSX, CSV} {
		path := exportFile(t, s, f)
		for _, content := range fileContents(t, path) {
			for _, bad := range forbidden {
				if strings.Contains(content, bad) {
					t.Fatalf("%s export contains %q", f, bad)
				}
			}
		}
		tab, err := Read(ctx, path, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tab.Rows {
			if r.Get(21) != lapordesk.AnonymousName {
				t.Fatalf("%s: reporter shown as %q", f, r.Get(21))
			}
		}
	}
}

// fileContents returns a file's text, and for a zip each part's text.
func fileContents(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return []string{string(b)}
	}
	var out []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		part, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, string(part))
	}
	return out
}
