package letter

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// These tests print through a real store file: numbers allocated in its
// transaction, records in the report's history, PDFs read back with pdftotext.

var bg = context.Background()

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// desk opens a store set up as Diskominfo Kabupaten Barru on 27 November 2026.
func desk(t testing.TB) (*storage.Store, *testClock) {
	t.Helper()
	c := &testClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, wita)}
	s, err := storage.Open(bg, filepath.Join(t.TempDir(), "desk.db"), storage.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := lapordesk.Profile{UnitCode: "DISKOMINFO", UnitName: "Dinas Komunikasi dan Informatika", PemdaName: "Kabupaten Barru",
		Role: lapordesk.RoleUnit, Place: "Barru", Timezone: "Asia/Makassar", Actor: "Andi"}
	if err := s.SetProfile(bg, p); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// configure saves the sample office's settings, its logo as a file.
func configure(t testing.TB, s *storage.Store) Config {
	t.Helper()
	o := sampleOffice(t)
	logo := filepath.Join(t.TempDir(), "logo barru.png")
	if err := os.WriteFile(logo, o.Letterhead.Logo, 0o644); err != nil {
		t.Fatal(err)
	}
	h := o.Letterhead
	c := Config{
		Letterhead: LetterheadConfig{PemdaName: h.Pemda, UnitName: h.Unit, Address: h.Address, Phone: h.Phone, Email: h.Email, Website: h.Website, LogoPath: logo, Paper: PaperA4},
		Signer:     o.Signer,
		Settings:   o.Settings,
	}
	c.Settings.Location = nil
	if err := SaveOffice(bg, s, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// handled receives a report at the desk and takes it to a follow-up.
func handled(t testing.TB, s *storage.Store, n lapordesk.NewReport) uuid.UUID {
	t.Helper()
	v, err := s.Receive(bg, n)
	if err != nil {
		t.Fatal(err)
	}
	id := v.Report.ID
	for _, cmd := range []lapordesk.Command{
		{Action: lapordesk.ActVerify},
		{Action: lapordesk.ActDispose, ToUnit: "DISKOMINFO", Instructions: []string{"Proses lebih lanjut"}, Text: "Mohon segera ditangani."},
		{Action: lapordesk.ActFollowUp, Text: sampleFollowUp},
	} {
		cmd.Unit = "DISKOMINFO"
		if _, err := s.Act(bg, id, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}
	return id
}

func report(title string) lapordesk.NewReport {
	return lapordesk.NewReport{
		Classification: lapordesk.Pengaduan, Title: title, Channel: lapordesk.ChannelWalkIn,
		Body:            "Sudah dua minggu lampu jalan di depan pasar sentral padam, warga khawatir.",
		Reporter:        lapordesk.Reporter{Name: "Andi Baso Mappatoba", Phone: "081234567890"},
		Confidentiality: lapordesk.Biasa,
		Location:        lapordesk.Location{Kecamatan: "Barru", Desa: "Sumpang Binangae"},
	}
}

func printLetter(t *testing.T, s *storage.Store, req Request) ([]byte, Printed) {
	t.Helper()
	var b bytes.Buffer
	p, err := Print(bg, s, req, &b)
	if err != nil {
		t.Fatalf("print %s: %v", req.Kind, err)
	}
	return b.Bytes(), p
}

func history(t *testing.T, s *storage.Store, id uuid.UUID) []lapordesk.Event {
	t.Helper()
	h, err := s.History(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestPrintAllocatesOnceAndReprintsTheSameLetter(t *testing.T) {
	t.Parallel()
	s, clock := desk(t)
	configure(t, s)
	a := handled(t, s, report("Lampu jalan padam di Jalan Sultan Hasanuddin"))
	b := handled(t, s, report("Jalan berlubang di depan SD 1 Barru"))

	pdf1, p1 := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut})
	if p1.Reprint || p1.Record.Seq != 1 || p1.Record.Year != 2026 || p1.Record.Number != "000.1.4/001/DISKOMINFO/XI/2026" {
		t.Fatalf("first print: %+v", p1)
	}
	if p1.Record.Date != lapordesk.NewDate(2026, 11, 27) || p1.Record.Code == "" || p1.Record.Content == "" {
		t.Fatalf("record: %+v", p1.Record)
	}
	h := history(t, s, a)
	last := h[len(h)-1]
	if last.Kind != lapordesk.EvLetterIssued || last.Payload.Letter.Number != p1.Record.Number || last.Payload.Letter.Code != p1.Record.Code {
		t.Fatalf("the allocation is not the last event of the history: %+v", last)
	}
	text := pdfText(t, pdf1, 0)
	assertContains(t, "first print", text, "Nomor : 000.1.4/001/DISKOMINFO/XI/2026", "Barru, 27 November 2026", p1.Record.Code,
		"PEMERINTAH KABUPATEN BARRU", "Yth. Sdr. Andi Baso Mappatoba", "Tim teknis Dinas telah memeriksa")

	// Days later, with the settings changed, the reprint is the same letter, byte
	// for byte, and no new event.
	clock.add(72 * time.Hour)
	c, _ := LoadConfig(bg, s)
	c.Signer.Name = "Ir. H. Muhammad Yusuf, M.T."
	c.Settings.Template = "Isi baru: {tindak_lanjut}"
	if err := SaveOffice(bg, s, c); err != nil {
		t.Fatal(err)
	}
	pdf2, p2 := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut})
	if !p2.Reprint || p2.Record != p1.Record {
		t.Fatalf("reprint: %+v", p2)
	}
	if !bytes.Equal(pdf1, pdf2) {
		t.Error("the reprint is not byte-identical to the first print")
	}
	if n := len(history(t, s, a)); n != len(h) {
		t.Errorf("the reprint added %d events", n-len(h))
	}

	// The next letter of the unit takes the next number, whatever its kind, dated today.
	_, p3 := printLetter(t, s, Request{ReportID: b, Kind: KindTindakLanjut})
	if p3.Record.Seq != 2 || p3.Record.Number != "000.1.4/002/DISKOMINFO/XI/2026" || p3.Record.Date != lapordesk.NewDate(2026, 11, 30) {
		t.Fatalf("second report: %+v", p3.Record)
	}
	pdf4, p4 := printLetter(t, s, Request{ReportID: a, Kind: KindDisposisi, Sifat: SifatSegera})
	if p4.Record.Seq != 3 || p4.Record.Kind != string(KindDisposisi) {
		t.Fatalf("disposisi: %+v", p4.Record)
	}
	assertContains(t, "disposisi", pdfText(t, pdf4, 0), "LEMBAR DISPOSISI", "Nomor: 000.1.4/003/DISKOMINFO/XI/2026", "Ir. H. Muhammad Yusuf, M.T.")

	// A reprint asked with other options says so instead of printing another letter.
	var sink bytes.Buffer
	for _, req := range []Request{
		{ReportID: a, Kind: KindTindakLanjut, Hal: "Hal lain"},
		{ReportID: a, Kind: KindTindakLanjut, Sifat: SifatSegera},
		{ReportID: a, Kind: KindDisposisi, Sifat: SifatSangatSegera},
		{ReportID: a, Kind: KindTindakLanjut, To: []string{"Bupati Barru"}},
	} {
		if _, err := Print(bg, s, req, &sink); !errors.Is(err, lapordesk.ErrConflict) {
			t.Errorf("reprint with %+v: %v", req, err)
		}
	}
	// Options the letter was printed with are fine.
	if _, err := Print(bg, s, Request{ReportID: a, Kind: KindDisposisi, Sifat: SifatSegera}, &sink); err != nil {
		t.Errorf("reprint with the same sifat: %v", err)
	}
	if sink.Len() == 0 {
		t.Error("nothing written")
	}
}

func TestTrainingLettersHaveTheirOwnCounterAndWatermark(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	configure(t, s)
	a := handled(t, s, report("Laporan nyata"))
	b := handled(t, s, report("Laporan latihan"))
	_, real1 := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut})

	p, _ := s.Profile()
	p.Training = true
	if err := s.SetProfile(bg, p); err != nil {
		t.Fatal(err)
	}
	pdf, tr := printLetter(t, s, Request{ReportID: b, Kind: KindTindakLanjut})
	if tr.Record.Seq != 1 || !tr.Record.Training || tr.Reprint {
		t.Fatalf("training letter: %+v", tr.Record)
	}
	text := pdfText(t, pdf, 0)
	assertContains(t, "training", text, "SPECIMEN - LATIHAN", "TIDAK SAH")
	// In training, the real letter of report a is not reprinted: a training desk
	// prints training letters only.
	_, tra := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut})
	if tra.Record.Seq != 2 || !tra.Record.Training || tra.Record.Code == real1.Record.Code {
		t.Fatalf("training letter of a: %+v", tra.Record)
	}

	p.Training = false
	if err := s.SetProfile(bg, p); err != nil {
		t.Fatal(err)
	}
	pdf, r2 := printLetter(t, s, Request{ReportID: b, Kind: KindTindakLanjut})
	if r2.Record.Seq != 2 || r2.Record.Training {
		t.Fatalf("the real counter moved in training: %+v", r2.Record)
	}
	if strings.Contains(pdfText(t, pdf, 0), "LATIHAN") {
		t.Error("a real letter carries the training mark")
	}
}

func TestNothingIsSpentOnALetterThatCannotPrint(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	cfg := configure(t, s)
	a := handled(t, s, report("Laporan A"))
	v, err := s.Receive(bg, report("Belum didisposisikan"))
	if err != nil {
		t.Fatal(err)
	}
	fresh := v.Report.ID

	// The settings editor refuses the template, naming the placeholder, and keeps
	// the old settings.
	bad := cfg
	bad.Settings.Template = "Dengan hormat, {nama_pelapor} yang terhormat."
	err = SaveOffice(bg, s, bad)
	var ve lapordesk.ValidationErrors
	if !errors.As(err, &ve) || ve.For("settings.template") == nil || ve.For("settings.template").Value != "{nama_pelapor}" || ve.For("settings.template").Problem != ProblemUnknownPlaceholder {
		t.Fatalf("SaveOffice with an unknown placeholder: %v", err)
	}
	if c, _ := LoadConfig(bg, s); c.Settings.Template != "" {
		t.Fatal("a refused configuration was saved")
	}
	// A template written past the editor fails at print, before a number is spent.
	var ss storedSettings
	if err := s.Setting(bg, KeyLetterSettings, &ss); err != nil {
		t.Fatal(err)
	}
	ss.Template = bad.Settings.Template
	if err := s.PutSetting(bg, KeyLetterSettings, ss); err != nil {
		t.Fatal(err)
	}
	before := len(history(t, s, a))
	var out bytes.Buffer
	_, err = Print(bg, s, Request{ReportID: a, Kind: KindTindakLanjut}, &out)
	if err == nil || !strings.Contains(err.Error(), "{nama_pelapor}") || !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("print with an unknown placeholder: %v", err)
	}
	// Other failures: a report not yet disposed, a logo file gone, an unknown kind.
	if _, err := Print(bg, s, Request{ReportID: fresh, Kind: KindDisposisi}, &out); err == nil {
		t.Error("a lembar disposisi printed for a report never disposed")
	}
	if _, err := Print(bg, s, Request{ReportID: a, Kind: "surat-cinta"}, &out); err == nil {
		t.Error("an unknown kind printed")
	}
	if _, err := Print(bg, s, Request{ReportID: a, Kind: KindTindakLanjut, Sifat: "Kilat"}, &out); err == nil {
		t.Error("an unknown sifat printed")
	}
	ss.Template = ""
	if err := s.PutSetting(bg, KeyLetterSettings, ss); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(cfg.Letterhead.LogoPath); err != nil {
		t.Fatal(err)
	}
	_, err = Print(bg, s, Request{ReportID: a, Kind: KindTindakLanjut}, &out)
	if !errors.As(err, &ve) || ve.For("letterhead.logo_path") == nil || ve.For("letterhead.logo_path").Value != cfg.Letterhead.LogoPath {
		t.Fatalf("print with the logo file gone: %v", err)
	}
	if out.Len() != 0 {
		t.Error("a failed print wrote output")
	}
	if n := len(history(t, s, a)); n != before {
		t.Fatalf("failed prints added %d events", n-before)
	}
	cfg.Letterhead.LogoPath = ""
	if err := SaveOffice(bg, s, cfg); err != nil {
		t.Fatal(err)
	}
	if _, p := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut}); p.Record.Seq != 1 {
		t.Fatalf("after the failures the first number is %d", p.Record.Seq)
	}
}

func TestPrintRightAfterSetup(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	a := handled(t, s, report("Tanpa pengaturan surat"))
	pdf, p := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut})
	if p.Record.Number != "001/DISKOMINFO/XI/2026" {
		t.Errorf("number without settings: %q", p.Record.Number)
	}
	assertContains(t, "defaults", pdfText(t, pdf, 0), "PEMERINTAH KABUPATEN BARRU", "DINAS KOMUNIKASI DAN INFORMATIKA",
		"Barru, 27 November 2026", "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA,")
	pages := pdfWords(t, pdf)
	if w, h := pages[0].w*25.4/72, pages[0].h*25.4/72; abs(w-210) > 0.5 || abs(h-297) > 0.5 {
		t.Errorf("default paper %.1f x %.1f mm", w, h)
	}
}

func TestPrintOnF4(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	cfg := configure(t, s)
	cfg.Letterhead.Paper = "f4"
	cfg.Margins = Margins{Top: 25, Left: 30, Right: 20, Bottom: 25}
	if err := SaveOffice(bg, s, cfg); err != nil {
		t.Fatal(err)
	}
	a := handled(t, s, report("Surat di kertas F4"))
	for _, kind := range []Kind{KindTindakLanjut, KindDisposisi} {
		pdf, _ := printLetter(t, s, Request{ReportID: a, Kind: kind})
		pages := pdfWords(t, pdf)
		if w, h := pages[0].w*25.4/72, pages[0].h*25.4/72; abs(w-215) > 0.5 || abs(h-330) > 0.5 {
			t.Errorf("%s on F4: %.1f x %.1f mm", kind, w, h)
		}
		assertInsideMargins(t, pages, cfg.Margins)
	}
}

// An Anonim reporter's identity, received through the store, appears on no letter
// and in no record.
func TestAnonimIdentityOnNoLetter(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	configure(t, s)
	n := report("Pungutan liar di kantor desa")
	n.Confidentiality = lapordesk.Anonim
	n.Reporter = lapordesk.Reporter{Name: "Siti Rahmawati Daeng Bau", Phone: "+62 852-9988-7766", Email: "siti.rahma@example.id", IDNumber: "7311015507900003"}
	id := handled(t, s, n)
	identity := []string{"Siti", "Rahmawati", "Daeng Bau", "9988", "7766", "siti.rahma", "7311015507900003"}
	var all []byte
	for _, kind := range []Kind{KindTindakLanjut, KindDisposisi} {
		pdf, p := printLetter(t, s, Request{ReportID: id, Kind: kind})
		text := pdfText(t, pdf, 0)
		for _, v := range identity {
			if strings.Contains(text, v) || strings.Contains(p.Record.Content, v) {
				t.Errorf("%s: the Anonim identity %q is printed or recorded", kind, v)
			}
		}
		all = append(all, pdf...)
		if kind == KindTindakLanjut {
			assertContains(t, "anonim", text, "Pelapor SP4N-LAPOR! Nomor")
		}
	}
	// Nor in what the files carry beside the text (title, subject, keywords).
	for _, v := range identity {
		if bytes.Contains(all, []byte(v)) {
			t.Errorf("the Anonim identity %q is in a letter's file", v)
		}
	}
	var b bytes.Buffer
	if _, err := PrintRecap(bg, s, RecapRequest{From: lapordesk.NewDate(2026, 11, 1), To: lapordesk.NewDate(2026, 11, 30)}, &b); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes(), 0)
	for _, v := range identity {
		if strings.Contains(text, v) {
			t.Errorf("recap: the Anonim identity %q is printed", v)
		}
	}
}

func TestRecapPrintsTheStoreFigures(t *testing.T) {
	t.Parallel()
	s, clock := desk(t)
	configure(t, s)
	handled(t, s, report("Satu"))
	handled(t, s, report("Dua"))
	for _, title := range []string{"Tiga", "Empat", "Lima"} {
		if _, err := s.Receive(bg, report(title)); err != nil {
			t.Fatal(err)
		}
	}
	clock.add(24 * time.Hour)
	from, to := lapordesk.NewDate(2026, 11, 1), lapordesk.NewDate(2026, 11, 30)
	want, err := s.Recap(bg, from, to, "DISKOMINFO")
	if err != nil {
		t.Fatal(err)
	}
	if want.Total != 5 || want.FollowedUp != 2 {
		t.Fatalf("store recap: %+v", want)
	}
	var b bytes.Buffer
	p, err := PrintRecap(bg, s, RecapRequest{From: from, To: to, Unit: "DISKOMINFO"}, &b)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes(), 0)
	assertContains(t, "recap", text, "REKAPITULASI", "Dinas Komunikasi dan Informatika", "Periode 1 November 2026 s.d. 30 November 2026",
		"Barru, 28 November 2026", p.Record.Code)
	// Every figure of the store's recap, as the letter writes it.
	figures := []string{
		"Laporan diterima " + fmtIntID(want.Total),
		"Ditanggapi " + fmtIntID(want.Responded) + " " + percentID(want.Responded, want.Total),
		"Ditindaklanjuti " + fmtIntID(want.FollowedUp) + " " + percentID(want.FollowedUp, want.Total),
		"Melewati batas waktu " + fmtIntID(want.Overdue),
	}
	for st, n := range want.ByStatus {
		figures = append(figures, statusLabels[st]+" "+fmtIntID(n)+" "+percentID(n, want.Total))
	}
	for c, n := range want.ByChannel {
		figures = append(figures, channelLabels[c]+" "+fmtIntID(n)+" "+percentID(n, want.Total))
	}
	for _, m := range want.ByMonth {
		figures = append(figures, monthLabel(m)+" "+fmtIntID(m.N)+" "+percentID(m.N, want.Total))
	}
	assertContains(t, "recap figures", text, figures...)
	assertContains(t, "recap figures", text, "November 2026 5 100,0%", "Baru 3 60,0%")
	if _, err := PrintRecap(bg, s, RecapRequest{From: from, To: to, Unit: "NOWHERE"}, &b); err == nil {
		t.Error("a recap of an unknown unit printed")
	}
	if _, err := PrintRecap(bg, s, RecapRequest{From: to, To: from}, &b); err == nil {
		t.Error("a recap of a reversed period printed")
	}

	// The recap is recorded: its code verifies, as printed.
	code, checks, err := CheckCode(bg, s, strings.ToLower(strings.ReplaceAll(p.Record.Code, "-", "")))
	if err != nil || code != p.Record.Code || len(checks) != 1 {
		t.Fatalf("check recap code: %q %+v %v", code, checks, err)
	}
	if c := checks[0]; !c.Intact || c.Compared || c.Record.Kind != string(KindRekap) || !strings.Contains(c.Title, "November 2026") {
		t.Errorf("recap check: %+v", c)
	}
}

func TestCheckCodeAgainstTheRecord(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	cfg := configure(t, s)
	a := handled(t, s, report("Lampu jalan padam"))
	_, p := printLetter(t, s, Request{ReportID: a, Kind: KindTindakLanjut, Hal: "Jawaban atas pengaduan lampu jalan"})

	typed := strings.NewReplacer("O", "0", "I", "1", "B", "8", "-", " ").Replace(strings.ToLower(p.Record.Code))
	code, checks, err := CheckCode(bg, s, typed)
	if err != nil || code != p.Record.Code || len(checks) != 1 {
		t.Fatalf("CheckCode(%q) = %q, %+v, %v", typed, code, checks, err)
	}
	c := checks[0]
	if !c.Intact || !c.Compared || len(c.Changed) != 0 || c.CompareErr != nil || c.ReportID != a || c.Record.Number != p.Record.Number ||
		c.Title != "Jawaban atas pengaduan lampu jalan" || c.Unit != "DISKOMINFO" {
		t.Fatalf("check of an unchanged letter: %+v", c)
	}

	// The signer changes and the report is edited: the record still holds; the
	// check says what a letter printed today would change.
	cfg.Signer.Name = "Ir. H. Muhammad Yusuf, M.T."
	cfg.Settings.Tembusan = nil
	if err := SaveOffice(bg, s, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(bg, a, lapordesk.Command{Action: lapordesk.ActNote, Unit: "DISKOMINFO", Text: "Catatan saja"}); err != nil {
		t.Fatal(err)
	}
	_, checks, err = CheckCode(bg, s, p.Record.Code)
	if err != nil {
		t.Fatal(err)
	}
	c = checks[0]
	if !c.Intact || !c.Compared || strings.Join(c.Changed, ",") != "signer.name,tembusan" {
		t.Errorf("check after changes: intact %v, changed %v, err %v", c.Intact, c.Changed, c.CompareErr)
	}

	for _, bad := range []string{"AAAAA-AAAAA", flipFirst(p.Record.Code)} {
		if _, _, err := CheckCode(bg, s, bad); !errors.Is(err, lapordesk.ErrNotFound) {
			t.Errorf("CheckCode(%q) = %v, want not found", bad, err)
		}
	}
	if _, _, err := CheckCode(bg, s, "not a code!"); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("a malformed code: %v", err)
	}
}

// Desks print at once (two windows, the GUI and a script): every report gets one
// number, numbers stay gap-free, and the first print of a report is recorded once.
func TestConcurrentPrintsAreGapFree(t *testing.T) {
	t.Parallel()
	s, _ := desk(t)
	configure(t, s)
	var ids []uuid.UUID
	for i := 0; i < 6; i++ {
		ids = append(ids, handled(t, s, report("Laporan "+string(rune('A'+i)))))
	}
	type result struct {
		id  uuid.UUID
		rec lapordesk.LetterRecord
		err error
	}
	results := make(chan result, 3*len(ids))
	var wg sync.WaitGroup
	for round := 0; round < 3; round++ {
		for _, id := range ids {
			wg.Add(1)
			go func(id uuid.UUID) {
				defer wg.Done()
				p, err := Print(bg, s, Request{ReportID: id, Kind: KindTindakLanjut}, io.Discard)
				results <- result{id, p.Record, err}
			}(id)
		}
	}
	wg.Wait()
	close(results)
	byReport := map[uuid.UUID]lapordesk.LetterRecord{}
	seqs := map[int]bool{}
	for r := range results {
		if r.err != nil {
			t.Fatal(r.err)
		}
		if was, ok := byReport[r.id]; ok && was != r.rec {
			t.Fatalf("report %s printed as two letters: %s and %s", r.id, was.Number, r.rec.Number)
		}
		byReport[r.id] = r.rec
		seqs[r.rec.Seq] = true
	}
	for i := 1; i <= len(ids); i++ {
		if !seqs[i] {
			t.Errorf("number %d is missing: %v", i, seqs)
		}
	}
	for _, id := range ids {
		n := 0
		for _, e := range history(t, s, id) {
			if e.Kind == lapordesk.EvLetterIssued {
				n++
			}
		}
		if n != 1 {
			t.Errorf("report %s has %d letter records", id, n)
		}
	}
}

// A report has the letters of the steps it went through, and keeps a letter issued
// in the mode asked for as a reprint.
func TestLettersAvailable(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	kinds := func(list []Available) string {
		var out []string
		for _, a := range list {
			s := string(a.Kind)
			if a.Reprint {
				s += "(reprint " + a.Record.Number + ")"
			}
			out = append(out, s)
		}
		return strings.Join(out, ",")
	}
	var r lapordesk.Report
	if got := kinds(Letters(r, false)); got != "" {
		t.Fatalf("a new report: %q", got)
	}
	r.DisposedAt = &now
	if got := kinds(Letters(r, false)); got != "disposisi" {
		t.Fatalf("disposed: %q", got)
	}
	r.FollowUpAt = &now
	r.Letters = []lapordesk.LetterRecord{{Kind: string(KindDisposisi), Number: "001/DINKES/XI/2026"},
		{Kind: string(KindTindakLanjut), Number: "L-1", Training: true}}
	if got := kinds(Letters(r, false)); got != "disposisi(reprint 001/DINKES/XI/2026),tindak-lanjut" {
		t.Fatalf("followed up: %q", got)
	}
	if got := kinds(Letters(r, true)); got != "disposisi,tindak-lanjut(reprint L-1)" {
		t.Fatalf("training: %q", got)
	}
	// Returned after a disposition: the sheet that was issued is still there to reprint.
	r.DisposedAt, r.FollowUpAt = nil, nil
	if got := kinds(Letters(r, false)); got != "disposisi(reprint 001/DINKES/XI/2026)" {
		t.Fatalf("returned: %q", got)
	}
}
