package exchange

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

func analyzeText(t *testing.T, s *storage.Store, name, text string, o Options) *Preview {
	t.Helper()
	tab, err := Read(context.Background(), writeFile(t, name, []byte(text)), ReadOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	p, err := Analyze(context.Background(), s, tab, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func problemCodes(p *Preview) string {
	var out []string
	for _, pr := range p.AllProblems() {
		out = append(out, fmt.Sprintf("%d%s:%s", pr.Row, ColumnName(pr.Column), pr.Code))
	}
	return strings.Join(out, " ")
}

func TestGuessMappingReadsCommonHeaders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header []string
		want   Mapping
	}{
		{[]string{"No", "Tanggal", "No. Tiket", "Judul Laporan", "Isi Laporan", "Kategori", "Kecamatan", "Desa", "Nama Pelapor", "No. HP", "Status"},
			Mapping{FieldReceivedAt: "Tanggal", FieldTrackingID: "No. Tiket", FieldTitle: "Judul Laporan", FieldBody: "Isi Laporan", FieldCategory: "Kategori",
				FieldKecamatan: "Kecamatan", FieldDesa: "Desa", FieldReporterName: "Nama Pelapor", FieldReporterPhone: "No. HP", FieldStatus: "Status"}},
		{[]string{"Tracking ID", "Title", "Report Text", "Received", "Incident Date", "Reporter Name", "Category Code", "Category"},
			Mapping{FieldTrackingID: "Tracking ID", FieldTitle: "Title", FieldBody: "Report Text", FieldReceivedAt: "Received",
				FieldIncidentDate: "Incident Date", FieldReporterName: "Reporter Name", FieldCategory: "Category Code"}},
		// The export's own ID column is never taken for the LAPOR! tracking ID.
		{[]string{"ID", "Perihal", "Uraian", "TGL. KEJADIAN", "e-mail"},
			Mapping{FieldTitle: "Perihal", FieldBody: "Uraian", FieldIncidentDate: "TGL. KEJADIAN", FieldReporterEmail: "e-mail"}},
	}
	for _, c := range cases {
		m, err := GuessMapping(c.header)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(m) != fmt.Sprint(c.want) {
			t.Errorf("%v:\n got %v\nwant %v", c.header, m, c.want)
		}
	}
}

func TestMappingsAreSavedAndChecked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	if all, err := Mappings(ctx, s); err != nil || len(all) != 0 {
		t.Fatalf("no mapping yet: %v %v", all, err)
	}
	m := Mapping{FieldTitle: "Perihal", FieldBody: "Uraian Masalah", FieldReceivedAt: "Tgl Masuk"}
	if err := SaveMapping(ctx, s, "Rekap Kecamatan", m); err != nil {
		t.Fatal(err)
	}
	got, err := LoadMapping(ctx, s, "Rekap Kecamatan")
	if err != nil || fmt.Sprint(got) != fmt.Sprint(m) {
		t.Fatalf("load: %v %v", got, err)
	}
	if _, err := LoadMapping(ctx, s, "Tidak Ada"); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("missing mapping: %v", err)
	}
	bad := []Mapping{
		{"judul": "Perihal"},                          // not a field
		{FieldTitle: "Perihal", FieldBody: "perihal"}, // one column, two fields
		{FieldTitle: ""},
	}
	for _, b := range bad {
		if err := SaveMapping(ctx, s, "x", b); !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("%v: %v", b, err)
		}
	}
	if err := SaveMapping(ctx, s, "", m); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("empty name: %v", err)
	}
	// A mapping that names a column the file lacks: the preview says so, and
	// nothing can be applied.
	p := analyzeText(t, s, "lain.csv", "Perihal,Uraian Masalah\r\nJalan rusak,Berlubang\r\n", Options{Mapping: m})
	if problemCodes(p) != "0:column_absent" || !strings.Contains(Message(p.FileProblems[0]), `"Tgl Masuk"`) {
		t.Fatalf("absent column: %s %v", problemCodes(p), p.FileProblems)
	}
	if _, err := Apply(ctx, s, p, ApplyOptions{SkipProblems: true}); !IsFileError(err, FileHasProblems) {
		t.Fatalf("apply: %v", err)
	}
	if err := DeleteMapping(ctx, s, "Rekap Kecamatan"); err != nil {
		t.Fatal(err)
	}
	if all, _ := Mappings(ctx, s); len(all) != 0 {
		t.Fatalf("after delete: %v", all)
	}
}

func TestExistingReportsAreUpdatedNotDuplicated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	base := "No. Tiket,No. Agenda,Judul,Isi Laporan,Tanggal Diterima,Nama Pelapor,Kecamatan,Status\r\n"
	first := base +
		"4012345,,Jalan rusak,Berlubang besar,20/11/2026 10:00,Siti,Barru,Baru\r\n" +
		",DINKES-2026-00077,Obat kosong,Tidak bisa ditebus,21/11/2026,Rahmat,Balusu,Baru\r\n"
	_, res := importFile(t, s, writeFile(t, "satu.csv", []byte(first)))
	if res.Added != 2 {
		t.Fatalf("first: %+v", res)
	}
	id, _ := s.Resolve(ctx, "4012345")
	v0, _ := s.View(ctx, id)

	// Changed title and kecamatan; an empty name cell erases nothing; a status the
	// desk's history disagrees with is noted, not forced. The second row gains its
	// tracking ID through its agenda number.
	second := base +
		"4012345,,Jalan rusak parah,Berlubang besar,20/11/2026 10:00,,Tanete Rilau,Selesai\r\n" +
		"4099999,DINKES-2026-00077,Obat kosong,Tidak bisa ditebus,21/11/2026,Rahmat,Balusu,Baru\r\n"
	p := analyzeText(t, s, "dua.csv", second, Options{})
	if p.Update != 2 || p.Add != 0 || p.Problems != 0 {
		t.Fatalf("preview: %+v %s", p, problemCodes(p))
	}
	r0 := p.Rows[0]
	if fmt.Sprint(r0.Changes) != "[{title Jalan rusak parah} {kecamatan Tanete Rilau}]" {
		t.Fatalf("changes %v", r0.Changes)
	}
	if len(r0.Notes) != 1 || r0.Notes[0].Field != FieldStatus || !strings.Contains(Message(r0.Notes[0]), "Selesai") {
		t.Fatalf("notes %+v", r0.Notes)
	}
	if fmt.Sprint(p.Rows[1].Changes) != "[{tracking_id 4099999}]" {
		t.Fatalf("agenda match: %v", p.Rows[1].Changes)
	}
	if _, err := Apply(ctx, s, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	v1, _ := s.View(ctx, id)
	if v1.Report.Title != "Jalan rusak parah" || v1.Report.Reporter.Name != "Siti" || v1.Report.Status != lapordesk.StatusNew ||
		len(v1.History) != len(v0.History)+1 || v1.History[len(v1.History)-1].Kind != lapordesk.EvEdited {
		t.Fatalf("after update: %+v, %d events", v1.Report, len(v1.History))
	}
	if _, err := s.Resolve(ctx, "4099999"); err != nil {
		t.Fatal(err)
	}
	counts, _ := s.Counts(ctx, "")
	if counts[lapordesk.BoxAll] != 2 {
		t.Fatalf("%d reports, want 2", counts[lapordesk.BoxAll])
	}
	// Once more: nothing to do.
	p = analyzeText(t, s, "dua.csv", second, Options{})
	if p.Unchanged != 2 || p.Update != 0 {
		t.Fatalf("again: %+v", p)
	}
	// One report twice, once by tracking ID and once by agenda number: the later
	// row is a duplicate.
	p = analyzeText(t, s, "ganda.csv", base+"4012345,,Jalan rusak,x,20/11/2026 10:00,,Barru,Baru\r\n"+
		",DINKES-2026-00001,Jalan rusak,y,20/11/2026 10:00,,Barru,Baru\r\n", Options{})
	if problemCodes(p) != "3B:duplicate_row" || p.Rows[1].Problems[0].Other != 2 || p.Update != 1 {
		t.Fatalf("same report twice: %s %+v", problemCodes(p), p.Rows[1].Problems)
	}
	// An agenda number already tied to another tracking ID is a clash, not an update.
	p = analyzeText(t, s, "tiga.csv", base+"4077777,DINKES-2026-00077,Obat kosong,x,21/11/2026,Rahmat,Balusu,Baru\r\n", Options{})
	if problemCodes(p) != "2A:tracking_clash" || !strings.Contains(Message(p.AllProblems()[0]), "4099999") {
		t.Fatalf("clash: %s", problemCodes(p))
	}
}

func TestStaleAfterPreviewWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	importFile(t, s, writeFile(t, "a.csv", []byte("No. Tiket,Judul,Isi Laporan,Nama Pelapor\r\n4012345,Jalan rusak,Berlubang,Siti\r\n")))
	p := analyzeText(t, s, "b.csv", "No. Tiket,Judul,Isi Laporan,Nama Pelapor\r\n4012345,Jalan rusak parah,Berlubang,Siti\r\n4012346,Baru,Isi,Ani\r\n", Options{})
	id, _ := s.Resolve(ctx, "4012345")
	// Someone edits the report between preview and import.
	if _, err := s.Act(ctx, id, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{{Field: "title", Value: "Jalan amblas"}}}); err != nil {
		t.Fatal(err)
	}
	_, err := Apply(ctx, s, p, ApplyOptions{})
	if !errors.Is(err, ErrStalePreview) || !errors.Is(err, lapordesk.ErrConflict) || !strings.Contains(Describe(err), "pratinjau") {
		t.Fatalf("stale: %v / %s", err, Describe(err))
	}
	if _, err := s.Resolve(ctx, "4012346"); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("half an import was written: %v", err)
	}
}

func TestStatusIsRebuiltAsAHistoryFromTheDates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	head := "No. Tiket,Judul,Isi Laporan,Nama Pelapor,Status,Unit,Disposisi Dari,Tanggal Diterima,Tanggal Verifikasi,Tanggal Disposisi,Tanggal Tanggapan,Tanggal Tindak Lanjut,Tanggal Selesai,Status Sejak\r\n"
	rows := []string{
		"1001,Selesai,x,A,Selesai,DINKES,DISKOMINFO,02/11/2026 08:00,02/11/2026 09:00,03/11/2026,05/11/2026 10:00,09/11/2026 10:00,20/11/2026 11:00,20/11/2026 11:00",
		"1002,Diproses lagi,x,A,Diproses,DINKES,,02/11/2026 08:00,02/11/2026 09:00,,04/11/2026 10:00,06/11/2026 10:00,,10/11/2026 08:00",
		"1003,Ditunda,x,A,Ditunda,DINKES,,02/11/2026 08:00,,,,,,03/11/2026 08:00",
		"1004,Dikembalikan,x,A,Dikembalikan,DISKOMINFO,DISKOMINFO,02/11/2026 08:00,02/11/2026 09:00,03/11/2026 09:00,,,,04/11/2026 09:00",
		"1005,Diarsipkan,x,A,Diarsipkan,DINKES,,02/11/2026 08:00,,,,,,02/11/2026 08:30",
		"1006,Tindak lanjut pertama,x,A,Ditindaklanjuti,DINKES,,02/11/2026 08:00,02/11/2026,,09/11/2026 10:00,09/11/2026 10:00,,09/11/2026 10:00",
		"1007,Tanggal terbalik,x,A,Terverifikasi,DINKES,,10/11/2026 08:00,02/11/2026,,,,,",
		"1008,Masa depan,x,A,Baru,DINKES,,02/12/2026 08:00,,,,,,",
		"1009,Baru tapi selesai,x,A,Baru,DINKES,,02/11/2026 08:00,,,,,20/11/2026,",
		"1010,Sore hari,x,A,Terverifikasi,DINKES,,02/11/2026 15:00,02/11/2026,,,,,",
	}
	p := analyzeText(t, s, "status.csv", head+strings.Join(rows, "\r\n")+"\r\n", Options{})
	if problemCodes(p) != "8I:date_order 9H:date_future" {
		t.Fatalf("problems: %s", problemCodes(p))
	}
	if n := p.Rows[8].Notes; len(n) != 1 || n[0].Code != ProblemStatusDate || n[0].Field != FieldClosedAt {
		t.Fatalf("a date the status cannot hold: %+v", n)
	}
	if _, err := Apply(ctx, s, p, ApplyOptions{SkipProblems: true}); err != nil {
		t.Fatal(err)
	}
	at := func(d string) time.Time {
		x, _ := time.ParseInLocation("02/01/2006 15:04", d, wita)
		return x
	}
	check := func(ref string, status lapordesk.Status, unit string, kinds string) *lapordesk.Report {
		t.Helper()
		id, err := s.Resolve(ctx, ref)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		v, _ := s.View(ctx, id)
		var ks []string
		for _, e := range v.History {
			ks = append(ks, string(e.Kind))
		}
		if v.Report.Status != status || v.Report.Unit != unit || strings.Join(ks, " ") != kinds {
			t.Fatalf("%s: %s at %s after %v", ref, v.Report.Status, v.Report.Unit, ks)
		}
		return &v.Report
	}
	r := check("1001", lapordesk.StatusClosed, "DINKES", "received verified disposed responded followed_up closed")
	if !r.ReceivedAt.Equal(at("02/11/2026 08:00")) || !r.FirstResponseAt.Equal(at("05/11/2026 10:00")) || !r.ClosedAt.Equal(at("20/11/2026 11:00")) ||
		r.Units[0] != "DISKOMINFO" || r.DisposedBy != "DISKOMINFO" || r.DisposedAt.Format("2006-01-02") != "2026-11-03" {
		t.Fatalf("1001: %+v", r)
	}
	r = check("1002", lapordesk.StatusInProgress, "DINKES", "received verified responded followed_up replied")
	if !r.FollowUpAt.Equal(at("06/11/2026 10:00")) || !r.Spans[len(r.Spans)-1].From.Equal(at("10/11/2026 08:00")) {
		t.Fatalf("1002: %+v", r)
	}
	check("1003", lapordesk.StatusPostponed, "DINKES", "received postponed")
	r = check("1004", lapordesk.StatusReturned, "DISKOMINFO", "received verified disposed returned")
	if fmt.Sprint(r.Units) != "[DISKOMINFO DINKES DISKOMINFO]" {
		t.Fatalf("1004 went through %v", r.Units)
	}
	check("1005", lapordesk.StatusArchived, "DINKES", "received archived")
	r = check("1006", lapordesk.StatusFollowedUp, "DINKES", "received verified followed_up")
	if !r.FirstResponseAt.Equal(at("09/11/2026 10:00")) || !r.VerifiedAt.Equal(at("02/11/2026 12:00")) {
		// A plain date is noon of that day.
		t.Fatalf("1006: %+v", r)
	}
	check("1009", lapordesk.StatusNew, "DINKES", "received")
	// A plain date on the day of an earlier step means that day, after the step.
	if r := check("1010", lapordesk.StatusVerified, "DINKES", "received verified"); !r.VerifiedAt.Equal(at("02/11/2026 15:00")) {
		t.Fatalf("1010: verified %v", r.VerifiedAt)
	}
	for _, e := range mustHistory(t, s, "1001") {
		if e.Kind != lapordesk.EvReceived && e.Kind != lapordesk.EvVerified && !strings.Contains(e.Payload.Text+e.Payload.Reason, "status.csv") {
			t.Fatalf("event %s does not say where it came from: %+v", e.Kind, e.Payload)
		}
	}
}

func mustHistory(t *testing.T, s *storage.Store, ref string) []lapordesk.Event {
	id, _ := s.Resolve(context.Background(), ref)
	h, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestTitleRowsMonthFirstDatesAndFormulaInjection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	// A US-locale sheet below two title rows: the date column reads month first.
	f := excelize.NewFile()
	sh := "Sheet1"
	f.SetSheetRow(sh, "A1", &[]any{"Complaints list"})
	f.SetSheetRow(sh, "A2", &[]any{"Barru Regency"})
	f.SetSheetRow(sh, "A4", &[]any{"Tracking ID", "Title", "Description", "Date", "Reporter", "Latitude"})
	f.SetSheetRow(sh, "A5", &[]any{4012345, "=HYPERLINK(\"http://x\")", "Road damaged", "11/20/2026", "Siti", -4.4367})
	f.SetSheetRow(sh, "A6", &[]any{4012346, "Lamp out", "Dark street", "11/03/2026", "Andi", nil})
	path := writeFile(t, "us.xlsx", nil)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, res := importFile(t, s, path)
	if res.Added != 2 {
		t.Fatalf("%+v", res)
	}
	id, _ := s.Resolve(ctx, "4012346")
	r, _ := s.Report(ctx, id)
	if lapordesk.DateOf(r.ReceivedAt, wita).String() != "2026-11-03" || r.Title != "Lamp out" {
		t.Fatalf("month-first date: %+v", r.ReceivedAt)
	}
	id, _ = s.Resolve(ctx, "4012345")
	r, _ = s.Report(ctx, id)
	if r.Title != `=HYPERLINK("http://x")` || r.Location.Lat == nil || *r.Location.Lat != -4.4367 {
		t.Fatalf("title %q lat %v", r.Title, r.Location.Lat)
	}
	// Exported to CSV, the title cannot run as a formula, and reads back unchanged.
	path = exportFile(t, s, CSV)
	content := fileContents(t, path)[0]
	if !strings.Contains(content, `"'=HYPERLINK(""http://x"")"`) {
		t.Fatalf("csv does not protect the formula-like title:\n%s", content)
	}
	p := analyzeText(t, s, "again.csv", content, Options{})
	if p.Unchanged != 2 {
		t.Fatalf("re-import: %+v %s", p, problemCodes(p))
	}
}

func TestDate1904WorkbooksReadTheRightDates(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	f := excelize.NewFile()
	f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: boolPtr(true)})
	f.SetSheetRow("Sheet1", "A1", &[]any{"Judul", "Isi Laporan", "Tanggal Diterima", "Nama Pelapor"})
	// 20 November 2026 is serial 44884 in the 1904 system (46346 in the 1900 one).
	f.SetSheetRow("Sheet1", "A2", &[]any{"Jalan rusak", "Berlubang", 44884.5, "Siti"})
	path := writeFile(t, "mac.xlsx", nil)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	p, _ := importFile(t, s, path)
	if p.Add != 1 {
		t.Fatalf("%+v", p)
	}
	page, _ := s.List(context.Background(), lapordesk.Filter{}, 10, "")
	if got := page.Items[0].ReceivedAt.In(wita).Format("2006-01-02 15:04"); got != "2026-11-20 12:00" {
		t.Fatalf("received %s", got)
	}
}

func boolPtr(b bool) *bool { return &b }

// A CSV typed with a title line above its header still splits on its delimiter.
func TestCSVTitleLineAboveHeader(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	text := "Daftar Pengaduan Kecamatan Tanete Rilau\r\n" +
		"Judul;Isi Laporan;Tanggal Diterima;Nama Pelapor\r\n" +
		"Lampu jalan padam;Lampu di depan SD 3 padam, sudah seminggu;20/11/2026;Andi\r\n"
	p := analyzeText(t, s, "judul.csv", text, Options{})
	if p.Add != 1 || p.HeaderRow != 2 || p.Rows[0].Title != "Lampu jalan padam" {
		t.Fatalf("header row %d, %+v %s", p.HeaderRow, p, problemCodes(p))
	}
}

// A UTF-8 mark before Windows-1252 text (an editor saved it so) hides no header:
// the file reads as Windows-1252, the first column is "Judul".
func TestBOMBeforeWindows1252Text(t *testing.T) {
	t.Parallel()
	body := append([]byte{0xEF, 0xBB, 0xBF}, []byte("Judul;Isi Laporan;Nama Pelapor\r\nJalan rusak;Aspal retak di depan caf\xe9;Andi\r\n")...)
	path := writeFile(t, "bom1252.csv", body)
	tab, err := Read(context.Background(), path, ReadOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	if len(tab.Header) == 0 || tab.Header[0] != "Judul" {
		t.Fatalf("the first header reads %q", tab.Header)
	}
	if got := tab.Rows[0].Get(2); got != "Aspal retak di depan café" {
		t.Fatalf("the text reads %q", got)
	}
}

// A quote opened and never closed swallows the rows after it: the preview says so
// and names the row where it started, instead of importing fewer rows in silence.
func TestUnclosedQuoteIsNamed(t *testing.T) {
	t.Parallel()
	body := "Judul,Isi Laporan,Nama Pelapor\r\nLampu padam,\"Gelap sejak Senin,Andi\r\nJalan rusak,Berlubang,Siti\r\nSampah,Menumpuk,Budi\r\n"
	tab, err := Read(context.Background(), writeFile(t, "kutip.csv", []byte(body)), ReadOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	found := false
	for _, p := range tab.Notes {
		found = found || p.Code == ProblemUnclosedQuote && p.Row == 2
	}
	if !found {
		t.Fatalf("the unclosed quote is not named: %d rows, notes %+v", len(tab.Rows), tab.Notes)
	}
	// A quote used as an inch mark inside a cell is no such thing.
	ok, err := Read(context.Background(), writeFile(t, "inci.csv", []byte("Judul,Isi Laporan,Nama Pelapor\r\nPipa 5\" bocor,Air merembes,Andi\r\nJalan rusak,Berlubang,Siti\r\n")), ReadOptions{})
	if err != nil {
		t.Fatal(Describe(err))
	}
	for _, p := range ok.Notes {
		if p.Code == ProblemUnclosedQuote {
			t.Fatalf("an inch mark taken for an unclosed quote: %+v", ok.Notes)
		}
	}
	if len(ok.Rows) != 2 {
		t.Fatalf("the inch-mark file: %d rows", len(ok.Rows))
	}
}
