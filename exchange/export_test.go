package exchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lapordesk/lapordesk"
)

func TestXLSXExportIsTypedFittedAndFrozen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	fillDemo(t, s, 150)
	lat := -4.4367
	n := lapordesk.NewReport{Classification: lapordesk.Aspirasi, Title: "Usulan taman bermain", Body: "Mohon taman di dekat pantai.",
		Channel: lapordesk.ChannelEmail, Reporter: lapordesk.Reporter{Name: "Andi", Phone: "081234567890", IDNumber: "7311010101010001"},
		Confidentiality: lapordesk.Rahasia, Location: lapordesk.Location{Lat: &lat}, IncidentDate: lapordesk.NewDate(2026, 11, 20), TrackingID: "0040123"}
	v, err := s.Receive(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	var calls, last, total int
	path := exportFile(t, s, XLSX, func(o *ExportOptions) {
		o.Progress = func(d, tot int) { calls++; last, total = d, tot }
	})
	if calls == 0 || last != 151 || total != 151 {
		t.Fatalf("progress: %d calls, last %d of %d", calls, last, total)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Laporan" {
		t.Fatalf("sheets %v", sheets)
	}
	panes, _ := f.GetPanes("Laporan")
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Fatalf("panes %+v", panes)
	}
	head, _ := f.GetRows("Laporan", excelize.Options{RawCellValue: true})
	if len(head) != 152 || head[0][3] != "Judul" || head[0][13] != "Tanggal Diterima" {
		t.Fatalf("%d rows, header %v", len(head), head[0])
	}
	if st, _ := f.GetCellStyle("Laporan", "D1"); st == 0 {
		t.Fatal("header without style")
	} else if style, _ := f.GetStyle(st); style.Font == nil || !style.Font.Bold {
		t.Fatalf("header style %+v", style)
	}
	// Widths fit the content: the body is wider than the agenda number, none past the cap.
	wAgenda, _ := f.GetColWidth("Laporan", "C")
	wBody, _ := f.GetColWidth("Laporan", "E")
	wDate, _ := f.GetColWidth("Laporan", "N")
	if !(wAgenda >= 18 && wBody > wAgenda && wBody <= 62 && wDate >= 17) {
		t.Fatalf("widths: agenda %.0f body %.0f date %.0f", wAgenda, wBody, wDate)
	}
	// Find the report's row and look at its cells.
	row := 0
	for i, r := range head {
		if len(r) > 0 && r[0] == v.Report.ID.String() {
			row = i + 1
		}
	}
	if row == 0 {
		t.Fatal("report not exported")
	}
	cell := func(col int) string { c, _ := excelize.CoordinatesToCellName(col, row); return c }
	// Dates are numbers with a date format, in the office's wall clock.
	recv, _ := f.GetCellValue("Laporan", cell(14), excelize.Options{RawCellValue: true})
	serial, err := strconv.ParseFloat(recv, 64)
	wall := testNow
	want := float64(wall.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, wita)).Seconds()) / 86400
	if err != nil || serial < want-1e-6 || serial > want+1e-6 {
		t.Fatalf("received cell %q, want serial %f", recv, want)
	}
	st, _ := f.GetCellStyle("Laporan", cell(14))
	style, _ := f.GetStyle(st)
	if style.CustomNumFmt == nil || *style.CustomNumFmt != "dd/mm/yyyy hh:mm" {
		t.Fatalf("received cell format %+v", style)
	}
	if shown, _ := f.GetCellValue("Laporan", cell(14)); shown != "23/11/2026 09:00" {
		t.Fatalf("received shows %q", shown)
	}
	if shown, _ := f.GetCellValue("Laporan", cell(15)); shown != "20/11/2026" {
		t.Fatalf("incident date shows %q", shown)
	}
	// Text stays text (leading zeros, long digit strings); numbers are numbers.
	if typ, _ := f.GetCellType("Laporan", cell(2)); typ != excelize.CellTypeInlineString {
		t.Fatalf("tracking ID cell type %v", typ)
	}
	if got, _ := f.GetCellValue("Laporan", cell(2)); got != "0040123" {
		t.Fatalf("tracking ID %q", got)
	}
	if got, _ := f.GetCellValue("Laporan", cell(24)); got != "7311010101010001" {
		t.Fatalf("NIK %q", got)
	}
	if typ, _ := f.GetCellType("Laporan", cell(19)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("latitude cell type %v", typ)
	}
	if got, _ := f.GetCellValue("Laporan", cell(19), excelize.Options{RawCellValue: true}); got != "-4.4367" {
		t.Fatalf("latitude %q", got)
	}
	if got, _ := f.GetCellValue("Laporan", cell(6)); got != "Aspirasi" {
		t.Fatalf("classification %q", got)
	}
}

func TestCSVExportIsWhatExcelOpensRight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	fillDemo(t, s, 40)
	var b bytes.Buffer
	n, err := ExportReports(ctx, s, lapordesk.Filter{Statuses: []lapordesk.Status{lapordesk.StatusClosed}}, &b, ExportOptions{Format: CSV, Delimiter: ';'})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := s.List(ctx, lapordesk.Filter{Statuses: []lapordesk.Status{lapordesk.StatusClosed}}, 500, "")
	if n != len(page.Items) || n == 0 {
		t.Fatalf("exported %d, the filter lists %d", n, len(page.Items))
	}
	out := b.String()
	if !strings.HasPrefix(out, "\xEF\xBB\xBFID;No. Tiket;No. Agenda;Judul;") {
		t.Fatalf("start %q", out[:40])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	if len(lines) != n+1 {
		t.Fatalf("%d lines for %d reports", len(lines), n)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, ";Selesai;") {
			t.Fatalf("a row not closed: %s", l)
		}
	}
	if _, err := ExportReports(ctx, s, lapordesk.Filter{}, &b, ExportOptions{Format: "pdf"}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("pdf: %v", err)
	}
	if _, err := ExportReports(ctx, s, lapordesk.Filter{Box: "nope"}, &b, ExportOptions{Format: CSV}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestRecapExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	fillDemo(t, s, 200)
	rc, err := s.Recap(ctx, lapordesk.NewDate(2026, 1, 1), lapordesk.NewDate(2026, 11, 23), "")
	if err != nil {
		t.Fatal(err)
	}
	var x bytes.Buffer
	if err := ExportRecap(rc, s.Categories(), &x, ExportOptions{Format: XLSX}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	want := "[Ringkasan Per Status Per Hasil Per Klasifikasi Per Saluran Per Kategori Per Bulan]"
	if got := fmt.Sprint(f.GetSheetList()); got != want {
		t.Fatalf("sheets %s", got)
	}
	rows, _ := f.GetRows("Per Status", excelize.Options{RawCellValue: true})
	sum := 0
	for _, r := range rows[1:] {
		n, _ := strconv.Atoi(r[2])
		sum += n
	}
	if len(rows) != 1+len(lapordesk.Statuses) || sum != rc.Total || rows[1][1] != "Baru" {
		t.Fatalf("status sheet %v (total %d)", rows, rc.Total)
	}
	summary, _ := f.GetRows("Ringkasan")
	if summary[1][0] != "Periode" || summary[1][1] != "1 Januari 2026 – 23 November 2026" || summary[3][1] != strconv.Itoa(rc.Total) {
		t.Fatalf("summary %v", summary)
	}
	months, _ := f.GetRows("Per Bulan")
	if len(months) != 12 || months[11][1] != "November 2026" {
		t.Fatalf("months %v", months)
	}
	var c bytes.Buffer
	if err := ExportRecap(rc, s.Categories(), &c, ExportOptions{Format: CSV}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.String(), "\r\nPer Status,selesai,Selesai,"+strconv.Itoa(rc.ByStatus[lapordesk.StatusClosed])+"\r\n") {
		t.Fatalf("csv recap:\n%s", c.String())
	}
}
