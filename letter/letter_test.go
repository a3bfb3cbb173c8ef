package letter

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
)

const sampleNumber = "000.1.4/045/DISKOMINFO/XI/2026"

var sampleDate = lapordesk.NewDate(2026, 11, 27)

func TestFollowUpPrintsEveryField(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	l, err := FollowUp(o, sampleView(t, sampleFollowUp), FollowUpInput{Number: sampleNumber, Date: sampleDate, Lampiran: "1 (satu) berkas"})
	if err != nil {
		t.Fatal(err)
	}
	pdf, infos := render(t, l)
	if len(infos) != 1 || infos[0].Pages != 1 || infos[0].Code != l.Code || infos[0].Substituted != 0 {
		t.Fatalf("infos = %+v", infos)
	}
	text := pdfText(t, pdf, 0)
	assertContains(t, "kop", text,
		"PEMERINTAH KABUPATEN BARRU", "DINAS KOMUNIKASI DAN INFORMATIKA",
		"Jalan Sultan Hasanuddin No. 1, Barru 90711",
		"Telepon (0427) 21001", "Pos-el diskominfo@barrukab.go.id", "Laman diskominfo.barrukab.go.id")
	assertContains(t, "header", text,
		"Barru, 27 November 2026",
		"Nomor : "+sampleNumber, "Sifat : Biasa", "Lampiran : 1 (satu) berkas",
		"Hal : Tindak Lanjut Laporan SP4N-LAPOR! Nomor 4012345",
		"Yth. Sdr. Andi Baso Mappatoba", "di Tempat")
	assertContains(t, "body from the template", text,
		"Menindaklanjuti laporan Saudara melalui SP4N-LAPOR! nomor 4012345 tanggal 2 November 2026 perihal “Lampu jalan padam di Jalan Sultan Hasanuddin”",
		"tindak lanjut Dinas Komunikasi dan Informatika sebagai berikut",
		"panel telah diganti dan 14 titik lampu kembali menyala sejak 19 November 2026",
		"PT PLN (Persero) UP3 Parepare", "kami ucapkan terima kasih")
	assertContains(t, "signature", text,
		"KEPALA DINAS KOMUNIKASI DAN INFORMATIKA,", "Dr. Hj. Nurul Fadhilah Ahmad, S.Sos., M.Si.",
		"Pembina Utama Muda (IV/c)", "NIP. 19750101 200003 2 002")
	assertContains(t, "tembusan", text, "Tembusan:", "1. Yth. Bupati Barru (sebagai laporan);", "2. Yth. Inspektur Kabupaten Barru.")
	assertContains(t, "verification", text, "Kode verifikasi: "+l.Code, "Kode verifikasi "+l.Code+" · Nomor "+sampleNumber, "Hal. 1")
	if strings.Contains(text, "RAHASIA") || strings.Contains(text, "SPECIMEN") {
		t.Error("an ordinary letter carries a RAHASIA or SPECIMEN mark")
	}
	// The reading order is the letter's order.
	order := []string{"PEMERINTAH", "Barru, 27 November", "Nomor :", "Yth.", "Menindaklanjuti", "Demikian", "KEPALA DINAS", "NIP.", "Tembusan:"}
	last := -1
	for _, o := range order {
		i := strings.Index(text, o)
		if i < last {
			t.Errorf("%q is printed before what precedes it in a letter", o)
		}
		last = i
	}

	pages := pdfWords(t, pdf)
	if len(pages) != 1 || abs(pages[0].w-595.3) > 1 || abs(pages[0].h-841.9) > 1 {
		t.Fatalf("want one A4 page, got %d pages of %.1f x %.1f pt", len(pages), pages[0].w, pages[0].h)
	}
	assertInsideMargins(t, pages, DefaultMargins())
	// The dateline sits in the right half, the header labels at the left margin.
	p := pages[0]
	if w, ok := findWord(p, "Barru,"); !ok || w.x0 < p.w/2-10 {
		t.Errorf("dateline not on the right: %+v", w)
	}
	if w, ok := findWord(p, "Lampiran"); !ok || abs(w.x0-30*mmPt) > 1.5 {
		t.Errorf("header not at the 3 cm left margin: %+v", w)
	}
}

// The margin check itself must catch text outside the margins: a letter laid out with
// 1 cm margins fails the check for the 3 cm / 2 cm ones.
func TestMarginCheckCatchesOverflow(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	o.Letterhead.Margins = Margins{Top: 10, Left: 10, Right: 10, Bottom: 10}
	l, err := FollowUp(o, sampleView(t, sampleFollowUp), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := render(t, l)
	pages := pdfWords(t, pdf)
	if len(marginViolations(pages, o.Letterhead.Margins)) != 0 {
		t.Error("text outside its own 1 cm margins")
	}
	if n := len(marginViolations(pages, DefaultMargins())); n < 20 {
		t.Errorf("only %d words flagged outside the default margins", n)
	}
}

func TestFollowUpF4AndCustomMargins(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	o.Letterhead.Paper = PaperF4
	o.Letterhead.Margins = Margins{Top: 25, Left: 35, Right: 25, Bottom: 25}
	l, err := FollowUp(o, sampleView(t, sampleFollowUp), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := render(t, l)
	pages := pdfWords(t, pdf)
	if abs(pages[0].w-215*mmPt) > 1 || abs(pages[0].h-330*mmPt) > 1 {
		t.Fatalf("F4 page is %.1f x %.1f pt", pages[0].w, pages[0].h)
	}
	assertInsideMargins(t, pages, o.Letterhead.Margins)
}

func TestLongFollowUpFlowsAcrossPages(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "Paragraf %d: pemeriksaan lapangan di Kecamatan Tanete Riaja, Soppeng Riaja dan Mallusetasi menunjukkan bahwa saluran drainase perlu dinormalisasi sebelum musim hujan.\n\n", i)
	}
	o := sampleOffice(t)
	l, err := FollowUp(o, sampleView(t, b.String()), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	pdf, infos := render(t, l)
	n := infos[0].Pages
	if n < 3 {
		t.Fatalf("a 40-paragraph body fits %d pages?", n)
	}
	for page := 1; page <= n; page++ {
		text := pdfText(t, pdf, page)
		kop := strings.Contains(text, "PEMERINTAH KABUPATEN BARRU")
		header := strings.Contains(text, "Nomor : "+sampleNumber)
		if (page == 1) != kop || (page == 1) != header {
			t.Errorf("page %d: letterhead %v, header block %v; want them on the first page only", page, kop, header)
		}
		if page > 1 && !strings.HasPrefix(strings.ReplaceAll(text, " ", ""), fmt.Sprintf("-%d-", page)) {
			t.Errorf("page %d does not start with its number: %.40q", page, text)
		}
		assertContains(t, fmt.Sprintf("page %d footer", page), text, "Kode verifikasi "+l.Code, fmt.Sprintf("Hal. %d", page))
		sig := strings.Contains(text, "NIP. 19750101 200003 2 002")
		if sig != (page == n) {
			t.Errorf("page %d: signature %v; want it on the last page only", page, sig)
		}
	}
	all := pdfText(t, pdf, 0)
	for i := 1; i <= 40; i++ {
		assertContains(t, "body", all, fmt.Sprintf("Paragraf %d: pemeriksaan", i))
	}
	// The signature block and the QR code stay together: the code in words is on the
	// signature's page.
	assertContains(t, "last page", pdfText(t, pdf, n), "Kode verifikasi: "+l.Code)
	assertInsideMargins(t, pdfWords(t, pdf), DefaultMargins())
}

func TestAnonimNeverPrinted(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	identity := []string{"Andi", "Baso", "Mappatoba", "081234567890", "andi.baso@example.id", "7311012345678901"}
	masked := sampleView(t, sampleFollowUp, anonim)

	// Also hand the letters an unmasked report, as a careless caller might: the letter
	// package masks it again.
	raw := masked
	raw.Report.Reporter = lapordesk.Reporter{Name: "Andi Baso Mappatoba", Phone: "081234567890", Email: "andi.baso@example.id", IDNumber: "7311012345678901"}
	raw.Report.Masked = false

	for name, v := range map[string]lapordesk.View{"masked": masked, "unmasked": raw} {
		fu, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		di, err := Disposisi(o, v, DisposisiInput{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pdf, _ := render(t, fu, di)
		text := pdfText(t, pdf, 0)
		for _, id := range identity {
			if strings.Contains(strings.ToLower(text), strings.ToLower(id)) {
				t.Errorf("%s: the Anonim reporter's %q is printed", name, id)
			}
			if strings.Contains(fu.Content(), id) || strings.Contains(di.Content(), id) {
				t.Errorf("%s: %q is in the letter's content", name, id)
			}
		}
		assertContains(t, name, text, "Yth. Pelapor SP4N-LAPOR! Nomor 4012345", "Surat dari : Anonim, melalui")
	}

	// Free text that repeats the identity is refused, naming the field.
	leaky := sampleView(t, "Sdr. Andi Baso Mappatoba telah kami hubungi di 0812-3456-7890.", anonim)
	leaky.Report.Reporter = raw.Report.Reporter
	leaky.Report.Masked = false
	_, err := FollowUp(o, leaky, FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if !errors.Is(err, ErrIdentityLeak) || !strings.Contains(err.Error(), "body") {
		t.Fatalf("leak not refused: %v", err)
	}
	// So is an addressee typed with the name.
	_, err = FollowUp(o, raw, FollowUpInput{Number: sampleNumber, Date: sampleDate, To: []string{"Sdr. ANDI BASO  Mappatoba"}})
	var fe *lapordesk.FieldError
	if !errors.Is(err, ErrIdentityLeak) || !errors.As(err, &fe) || fe.Field != "to" || fe.Problem != ProblemIdentityLeak {
		t.Fatalf("addressee leak not refused: %v", err)
	}
}

func TestRahasiaMarked(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	var b strings.Builder
	for i := 0; i < 30; i++ {
		b.WriteString("Hasil klarifikasi bersifat rahasia dan hanya disampaikan kepada pelapor serta pejabat yang berwenang menangani pengaduan ini.\n\n")
	}
	v := sampleView(t, b.String(), rahasia)
	l, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate, Sifat: SifatSegera})
	if err != nil {
		t.Fatal(err)
	}
	pdf, infos := render(t, l)
	if infos[0].Pages < 2 {
		t.Fatal("want a letter of several pages")
	}
	for page := 1; page <= infos[0].Pages; page++ {
		text := pdfText(t, pdf, page)
		if !strings.HasPrefix(text, "RAHASIA") {
			t.Errorf("page %d does not open with the RAHASIA mark: %.30q", page, text)
		}
		if strings.Count(text, "RAHASIA") < 2 {
			t.Errorf("page %d: RAHASIA mark missing in the footer", page)
		}
	}
	// The reporter chose Rahasia: the handling class cannot be lowered to Segera.
	assertContains(t, "header", pdfText(t, pdf, 1), "Sifat : Rahasia")
	assertInsideMargins(t, pdfWords(t, pdf), DefaultMargins())
}

func TestTrainingWatermarkOnEveryPage(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	long := strings.Repeat("Latihan penyusunan surat tindak lanjut untuk admin SKPD Kabupaten Barru. ", 120)
	fu, err := FollowUp(o, sampleView(t, long), FollowUpInput{Number: "LATIHAN/001/2026", Date: sampleDate, Training: true})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	di, err := Disposisi(o, sampleView(t, ""), DisposisiInput{Training: true, HalfSheet: &yes})
	if err != nil {
		t.Fatal(err)
	}
	real, err := FollowUp(o, sampleView(t, sampleFollowUp), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	pdf, infos := render(t, fu, di, real)
	total := infos[2].FirstPage + infos[2].Pages - 1
	if infos[0].Pages < 2 {
		t.Fatal("want a training letter of several pages")
	}
	for page := 1; page <= total; page++ {
		text := pdfText(t, pdf, page)
		training := page < infos[2].FirstPage
		has := strings.Contains(text, "SPECIMEN - LATIHAN") && strings.Contains(text, "SPECIMEN - LATIHAN - TIDAK SAH")
		if has != training {
			t.Errorf("page %d: watermark %v, want %v", page, has, training)
		}
		if !training && strings.Contains(text, "SPECIMEN") {
			t.Errorf("page %d of a real letter carries a SPECIMEN mark", page)
		}
	}
}

func TestDisposisiFields(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	v := sampleView(t, "")
	l, err := Disposisi(o, v, DisposisiInput{Number: "000.1.4/046/DISKOMINFO/XI/2026", Sifat: SifatSegera})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := render(t, l)
	text := pdfText(t, pdf, 0)
	assertContains(t, "disposisi", text,
		"PEMERINTAH KABUPATEN BARRU", "LEMBAR DISPOSISI", "Nomor: 000.1.4/046/DISKOMINFO/XI/2026",
		"Surat dari : Andi Baso Mappatoba, melalui", "SP4N-LAPOR! (Situs web)",
		"Nomor Surat : 4012345", "Tanggal Surat : 2 November 2026",
		"Diterima Tgl. : 4 November 2026", "No. Agenda : AG-2026-0117",
		"Sifat:", "Sangat Segera", "Hal : Lampu jalan padam di Jalan Sultan Hasanuddin",
		"Diteruskan kepada Sdr.:", "Sekretaris", "Kepala Dinas PUPR",
		"Dengan hormat harap:", "Tanggapan dan saran", "Untuk diketahui", "Simpan/arsipkan", "Bicarakan dengan saya",
		"Catatan:", "Mohon segera ditangani dan dilaporkan hasilnya paling lambat 5 hari kerja.",
		"Barru, 4 November 2026", "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA,", "Dr. Hj. Nurul Fadhilah Ahmad, S.Sos., M.Si.",
		"Pembina Utama Muda (IV/c)", "NIP. 19750101 200003 2 002", "Kode verifikasi: "+l.Code)

	pages := pdfWords(t, pdf)
	p := pages[0]
	ticks := map[string]bool{
		"Proses lebih lanjut": true, "Koordinasikan/konfirmasikan": true, "Tanggapan dan saran": false, "Untuk diketahui": false,
		"Siapkan jawaban": false, "Simpan/arsipkan": false, "Untuk ditindaklanjuti": false,
		"Segera": true, "Sangat Segera": false, "Rahasia": false,
		"Sekretaris": false, "Kepala Dinas Komunikasi": true, "Kepala Dinas PUPR": false,
	}
	for label, want := range ticks {
		w, ok := findLabel(p, label)
		if !ok {
			t.Errorf("%q not printed", label)
			continue
		}
		if got := tickedBefore(p, w); got != want {
			t.Errorf("checkbox of %q ticked = %v, want %v", label, got, want)
		}
	}
	assertInsideMargins(t, pages, DefaultMargins())
}

func TestDisposisiHalfSheet(t *testing.T) {
	t.Parallel()
	for _, paper := range []Paper{PaperA4, PaperF4} {
		o := sampleOffice(t)
		o.Letterhead.Paper = paper
		o.Settings.DisposisiHalfSheet = true
		// A disposition with an instruction typed freely, not among the choices.
		l, err := Disposisi(o, sampleView(t, ""), DisposisiInput{})
		if err != nil {
			t.Fatal(err)
		}
		pdf, infos := render(t, l)
		pages := pdfWords(t, pdf)
		w, h, _ := paper.halfSize()
		if abs(pages[0].w-w*mmPt) > 1 || abs(pages[0].h-h*mmPt) > 1 {
			t.Errorf("%s half sheet is %.1f x %.1f pt, want %.1f x %.1f", paper, pages[0].w, pages[0].h, w*mmPt, h*mmPt)
		}
		if infos[0].Pages != 1 {
			t.Errorf("%s: the usual disposition takes %d half sheets", paper, infos[0].Pages)
		}
		assertInsideMargins(t, pages, DefaultMargins().halfMargins())
		assertContains(t, string(paper), pdfText(t, pdf, 0), "LEMBAR DISPOSISI", "Catatan:", "NIP. 19750101 200003 2 002")
	}
}

func TestDisposisiFreeInstructionAndUnknownTarget(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	o.Settings.Recipients = nil
	events := receive(t, lapordesk.NewReport{Classification: lapordesk.Aspirasi, Title: "Usul taman baca", Body: "Mohon dibangun taman baca.",
		Channel: lapordesk.ChannelWalkIn, Reporter: lapordesk.Reporter{Name: "Wé Tenri Olle"}, Confidentiality: lapordesk.Biasa, Unit: "KOORD"}, at(2026, 11, 2, 9, 0))
	events = decide(t, events, lapordesk.Command{Action: lapordesk.ActVerify, Unit: "KOORD"}, at(2026, 11, 2, 10, 0))
	events = decide(t, events, lapordesk.Command{Action: lapordesk.ActDispose, Unit: "KOORD", ToUnit: "DISPUSIP", Instructions: []string{"Untuk diketahui", "Jadwalkan rapat bersama camat"}}, at(2026, 11, 3, 10, 0))
	r, _ := lapordesk.Replay(events)
	v := lapordesk.View{Report: r.ForDisplay(), History: events}
	l, err := Disposisi(o, v, DisposisiInput{})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := render(t, l)
	p := pdfWords(t, pdf)[0]
	for _, first := range []string{"DISPUSIP", "Jadwalkan rapat", "Untuk diketahui"} {
		w, ok := findLabel(p, first)
		if !ok || !tickedBefore(p, w) {
			t.Errorf("%q missing or not ticked", first)
		}
	}
	assertContains(t, "walk-in", pdfText(t, pdf, 0), "Surat dari : Wé Tenri Olle, melalui Datang", "Nomor Surat : -")
}

func TestRekapFigures(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	rc := sampleRecap()
	l, err := Rekap(o, rc, RekapInput{Date: lapordesk.NewDate(2027, 1, 4)})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := render(t, l)
	text := pdfText(t, pdf, 0)
	assertContains(t, "rekap", text,
		"REKAPITULASI PENGELOLAAN PENGADUAN MASYARAKAT", "Dinas Komunikasi dan Informatika",
		"Periode 1 Januari 2026 s.d. 31 Desember 2026",
		"Laporan diterima 263", "Ditanggapi 241 91,6%", "Ditindaklanjuti 190 72,2%", "Melewati batas waktu 17 6,5%",
		"Jatuh tempo minggu ini 6",
		"Rata-rata hari kerja sampai tanggapan pertama 2,4 hari kerja (241 laporan)",
		"Rata-rata hari kerja sampai tindak lanjut 4,2 hari kerja (190 laporan)",
		"Menurut status", "Selesai 130 49,4%", "Terverifikasi 0 0,0%",
		"Menurut hasil penanganan", "Belum diproses 8 3,0%",
		"Menurut klasifikasi", "Pengaduan 180 68,4%", "Permintaan Informasi 24 9,1%",
		"Menurut kanal", "Aplikasi seluler 90",
		"Menurut kategori", "Infrastruktur 88 33,5%", "Grafik kategori terbanyak",
		"Menurut bulan", "Januari 2026 12 4,6%", "Oktober 2026 40 15,2%", "Desember 2026 11 4,2%",
		"Grafik jumlah laporan per bulan", "Jan 26", "Des 26",
		"Barru, 4 Januari 2027", "NIP. 19750101 200003 2 002")
	assertInsideMargins(t, pdfWords(t, pdf), DefaultMargins())

	// Every unit: the coordinator's recap.
	rc.Unit = ""
	all, err := Rekap(o, rc, RekapInput{Date: lapordesk.NewDate(2027, 1, 4)})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ = render(t, all)
	assertContains(t, "coordinator", pdfText(t, pdf, 0), "Seluruh Perangkat Daerah")

	// Impossible figures are refused, not printed.
	bad := sampleRecap()
	bad.ByMonth[3].N = -1
	if _, err := Rekap(o, bad, RekapInput{Date: lapordesk.NewDate(2027, 1, 4)}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("negative count accepted: %v", err)
	}
	bad = sampleRecap()
	bad.From, bad.To = bad.To, bad.From
	if _, err := Rekap(o, bad, RekapInput{Date: lapordesk.NewDate(2027, 1, 4)}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("reversed period accepted: %v", err)
	}
}

func TestUnicodeNamesPrint(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	o.Signer.Name = "Ir. Muh. Ṣāliḥ Daéng Ñgéwé, M.T."
	o.Letterhead.Address = "Jl. Jend. Sudirman “Gedung Lama” – Lt. 2, Barru"
	text := "Warga Kelurahan Coppo, Ibu Ni Luh Putu Ayu Wédhani, meminta “kepastian” jadwal ‘perbaikan’ — sebelum 1 Desember; biaya ±Rp 2.500.000 (≈ 50%). Pesan warga Tionghoa: 中文 測試."
	l, err := FollowUp(o, sampleView(t, text, func(n *lapordesk.NewReport) { n.Reporter.Name = "Łukasz Ó'Brien-Müller" }), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	pdf, infos := render(t, l)
	got := pdfText(t, pdf, 0)
	assertContains(t, "unicode", got,
		"Ir. Muh. Ṣāliḥ Daéng Ñgéwé, M.T.", "Jl. Jend. Sudirman “Gedung Lama” – Lt. 2, Barru",
		"Ibu Ni Luh Putu Ayu Wédhani, meminta “kepastian” jadwal ‘perbaikan’ — sebelum 1 Desember; biaya ±Rp 2.500.000 (≈ 50%).",
		"Yth. Sdr. Łukasz Ó'Brien-Müller")
	// Chinese script is not in the fonts: each character is printed as a visible mark
	// and counted, never dropped silently and never a crash.
	assertContains(t, "missing glyphs", got, "Tionghoa: □□ □□.")
	if infos[0].Substituted != 4 {
		t.Errorf("Substituted = %d, want 4", infos[0].Substituted)
	}
}
