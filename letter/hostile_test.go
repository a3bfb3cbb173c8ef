package letter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// rawView builds a view directly, bypassing the domain's validation, as a corrupted
// store or a hostile sync peer could hand it over.
func rawView(title, body, followUp, reporter string, conf lapordesk.Confidentiality) lapordesk.View {
	id := uuid.Must(uuid.NewV7())
	recv := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	r := lapordesk.Report{
		ID: id,
		NewReport: lapordesk.NewReport{
			TrackingID: "4012345", AgendaNo: "AG-1", Classification: lapordesk.Pengaduan, Title: title, Body: body,
			Channel: lapordesk.ChannelWebsite, Reporter: lapordesk.Reporter{Name: reporter}, Confidentiality: conf, Unit: "DISKOMINFO",
		},
		Status: lapordesk.StatusFollowedUp, ReceivedAt: recv,
	}
	hist := []lapordesk.Event{
		{ID: uuid.Must(uuid.NewV7()), ReportID: id, Kind: lapordesk.EvDisposed, At: recv.Add(24 * time.Hour), Unit: "KOORD",
			Payload: lapordesk.Payload{ToUnit: "DISKOMINFO", Instructions: []string{followUp, "Arsip"}, Text: followUp}},
		{ID: uuid.Must(uuid.NewV7()), ReportID: id, Kind: lapordesk.EvFollowedUp, At: recv.Add(48 * time.Hour), Unit: "DISKOMINFO",
			Payload: lapordesk.Payload{Text: followUp}},
	}
	return lapordesk.View{Report: r, History: hist, Category: title}
}

// everyBlock returns text sampling every 64-code-point block of Unicode, the
// surrogate range (which UTF-8 cannot hold) as invalid bytes, and control characters.
func everyBlock() string {
	var b strings.Builder
	for r := rune(0); r <= utf8.MaxRune; r += 64 {
		for i := rune(0); i < 3; i++ {
			b.WriteRune(r + i*17)
		}
		if r%4096 == 0 {
			b.WriteString(" \n")
		}
	}
	b.WriteString("\xed\xa0\x80 \xff\xfe \x00\x1b[31m \u202e\u200b\ufeff")
	return b.String()
}

func TestHostileTextPrints(t *testing.T) {
	t.Parallel()
	longWord := strings.Repeat("Pemberdayaan", 800) // 9,600 characters, no space
	cases := map[string]lapordesk.View{
		"long word everywhere": rawView(longWord, longWord, longWord, longWord, lapordesk.Biasa),
		"every unicode block":  rawView(string([]rune(everyBlock())[:3000]), everyBlock(), everyBlock(), string([]rune(everyBlock())[5000:8000]), lapordesk.Rahasia),
		"empty fields":         rawView("", "", " ", "", lapordesk.Biasa),
		"pdf syntax":           rawView(`) Tj ET (\) BT /F1 99 Tf`, "%%EOF\n>>endobj", `\\(\\)`, "(((", lapordesk.Biasa),
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			o := sampleOffice(t)
			fu, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate, Body: v.History[1].Payload.Text + "\n\n{judul} tetap teks."})
			if err != nil {
				t.Fatal(err)
			}
			di, err := Disposisi(o, v, DisposisiInput{})
			if err != nil {
				t.Fatal(err)
			}
			rk := sampleRecap()
			rk.ByCategory = append(rk.ByCategory, lapordesk.Count{Key: "x", Label: v.Report.Title, N: 3})
			re, err := Rekap(o, rk, RekapInput{Date: sampleDate, UnitName: v.Report.Title})
			if err != nil {
				t.Fatal(err)
			}
			pdf, infos := render(t, fu, di, re)
			if name == "every unicode block" && infos[0].Substituted == 0 {
				t.Error("characters without glyphs were not counted")
			}
			text := pdfText(t, pdf, 0)
			if name == "long word everywhere" && strings.Count(strings.ReplaceAll(text, " ", ""), "Pemberdayaan") < 2000 {
				t.Error("the long word was not printed in full")
			}
			if name == "pdf syntax" {
				assertContains(t, name, text, `) Tj ET (\) BT /F1 99 Tf`, "{judul} tetap teks.")
			}
			assertInsideMargins(t, pdfWords(t, pdf), DefaultMargins())
		})
	}
}

func TestHostileLengths(t *testing.T) {
	t.Parallel()
	o := sampleOffice(t)
	para := strings.Repeat("Kata ", 199) + "akhir.\n\n"
	long := strings.Repeat(para, 80) // ~80,000 characters: prints, over many pages
	l, err := FollowUp(o, rawView("Judul", "Isi", long, "Warga", lapordesk.Biasa), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	infos, err := Render(&b, l)
	if err != nil {
		t.Fatal(err)
	}
	if infos[0].Pages < 20 {
		t.Errorf("80,000 characters on %d pages", infos[0].Pages)
	}
	// Past the limit the letter is refused with the field named, before printing.
	_, err = FollowUp(o, rawView("Judul", "Isi", long+long, "Warga", lapordesk.Biasa), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	var fe *lapordesk.FieldError
	if !errors.As(err, &fe) || fe.Field != "body" || fe.Problem != lapordesk.ProblemTooLong {
		t.Errorf("over-long body: %v", err)
	}
}

func TestBadInputsRefused(t *testing.T) {
	t.Parallel()
	v := sampleView(t, sampleFollowUp)
	good := sampleOffice(t)
	cases := []struct {
		name  string
		edit  func(*Office)
		in    FollowUpInput
		field string // what the message must name
	}{
		{"no pemda", func(o *Office) { o.Letterhead.Pemda = " " }, FollowUpInput{}, "letterhead.pemda"},
		{"no unit", func(o *Office) { o.Letterhead.Unit = "" }, FollowUpInput{}, "letterhead.unit"},
		{"no jabatan", func(o *Office) { o.Signer.Jabatan = "" }, FollowUpInput{}, "signer.jabatan"},
		{"bad NIP", func(o *Office) { o.Signer.NIP = "1975-01" }, FollowUpInput{}, "signer.nip"},
		{"paper", func(o *Office) { o.Letterhead.Paper = "Letter" }, FollowUpInput{}, "paper"},
		{"margins", func(o *Office) { o.Letterhead.Margins = Margins{Top: 20, Left: 100, Right: 20, Bottom: 20} }, FollowUpInput{}, "margins"},
		{"template", func(o *Office) { o.Settings.Template = "Yth. {nama_pelapor}" }, FollowUpInput{}, "{nama_pelapor}"},
		{"pattern", func(o *Office) { o.Settings.NumberPattern = "{kode}/{no}/{tahun}" }, FollowUpInput{}, "{no}"},
		{"sifat", func(o *Office) { o.Settings.Sifat = "Kilat" }, FollowUpInput{}, "settings.sifat"},
		{"verify url", func(o *Office) { o.Settings.VerifyURL = "https://example.id/cek" }, FollowUpInput{}, "{kode}"},
		{"control char", func(o *Office) { o.Letterhead.Address = "Jl. A\x00B" }, FollowUpInput{}, "letterhead.address"},
		{"invalid utf8", func(o *Office) { o.Signer.Name = "Andi \xff" }, FollowUpInput{}, "signer.name"},
		{"no date", func(o *Office) {}, FollowUpInput{Number: sampleNumber}, "date"},
		{"bad sifat input", func(o *Office) {}, FollowUpInput{Date: sampleDate, Sifat: "Kilat"}, "sifat"},
		{"logo not an image", func(o *Office) { o.Letterhead.Logo = []byte("this is not a picture") }, FollowUpInput{}, "not a PNG or JPEG"},
		{"gif logo", func(o *Office) { o.Letterhead.Logo = gifLogo(t) }, FollowUpInput{}, "choose a PNG or JPEG"},
		{"giant logo", func(o *Office) { o.Letterhead.Logo = giantPNGHeader() }, FollowUpInput{}, "not a usable size"},
	}
	for _, c := range cases {
		o := good
		o.Settings.Tembusan = append([]string(nil), good.Settings.Tembusan...)
		c.edit(&o)
		in := c.in
		if in.Date.IsZero() && c.name != "no date" {
			in.Date = sampleDate
		}
		_, err := FollowUp(o, v, in)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !errors.Is(err, lapordesk.ErrInvalid) || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: error %q does not name %q or is not ErrInvalid", c.name, err, c.field)
		}
	}
	// No follow-up yet: the template's {tindak_lanjut} cannot be filled.
	_, err := FollowUp(good, sampleView(t, ""), FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if !errors.Is(err, lapordesk.ErrInvalid) || !strings.Contains(err.Error(), "{tindak_lanjut}") {
		t.Errorf("no follow-up: %v", err)
	}
	// No disposition: there is no disposition sheet to print.
	events := receive(t, lapordesk.NewReport{Classification: lapordesk.Aspirasi, Title: "x", Body: "y", Channel: lapordesk.ChannelPhone,
		Reporter: lapordesk.Reporter{Name: "Z"}, Confidentiality: lapordesk.Biasa, Unit: "KOORD"}, at(2026, 11, 2, 9, 0))
	r, _ := lapordesk.Replay(events)
	if _, err := Disposisi(good, lapordesk.View{Report: r.ForDisplay(), History: events}, DisposisiInput{}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("disposition without a disposition: %v", err)
	}
	// A report whose confidentiality is unknown cannot be trusted to be masked.
	bad := sampleView(t, sampleFollowUp)
	bad.Report.Confidentiality = "semi"
	if _, err := FollowUp(good, bad, FollowUpInput{Number: sampleNumber, Date: sampleDate}); !errors.Is(err, lapordesk.ErrInvalid) || !strings.Contains(err.Error(), "confidentiality") {
		t.Errorf("unknown confidentiality: %v", err)
	}
	if err := good.Validate(); err != nil {
		t.Errorf("the sample office is invalid: %v", err)
	}
}

func TestBrokenLogo(t *testing.T) {
	t.Parallel()
	v := sampleView(t, sampleFollowUp)
	full := testLogo(t)
	truncated := full[:len(full)/2] // header intact, image data cut off
	o := sampleOffice(t)
	o.Letterhead.Logo = truncated
	// The full check (settings form) sees the damage at once.
	if err := ValidateLogo(truncated); !errors.Is(err, lapordesk.ErrInvalid) || !strings.Contains(err.Error(), "damaged png") {
		t.Errorf("ValidateLogo(truncated) = %v", err)
	}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "letterhead.logo") {
		t.Errorf("Validate = %v", err)
	}
	// Printing refuses it with a clear message, and the document stays usable.
	bad, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err) // the cheap check at build time reads only the header
	}
	good, err := FollowUp(sampleOffice(t), v, FollowUpInput{Number: sampleNumber, Date: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDocument()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Add(bad); err == nil || !strings.Contains(err.Error(), "letterhead logo: damaged png") {
		t.Errorf("Add(broken logo) = %v", err)
	}
	if _, err := d.Add(good); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := d.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if len(d.Letters()) != 1 || !strings.Contains(pdfText(t, b.Bytes(), 0), good.Code) {
		t.Error("the good letter after the broken one was not printed")
	}
}

func TestLogoFormats(t *testing.T) {
	t.Parallel()
	img := image.NewNRGBA64(image.Rect(0, 0, 1600, 1200)) // 16-bit, larger than needed
	for y := 0; y < 1200; y++ {
		for x := 0; x < 1600; x++ {
			img.SetNRGBA64(x, y, color.NRGBA64{uint16(x * 40), 30000, uint16(y * 50), 65535})
		}
	}
	var p16, jp bytes.Buffer
	if err := png.Encode(&p16, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jp, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	for name, logo := range map[string][]byte{"16-bit png": p16.Bytes(), "jpeg": jp.Bytes()} {
		o := sampleOffice(t)
		o.Letterhead.Logo = logo
		if err := o.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		l, err := FollowUp(o, sampleView(t, sampleFollowUp), FollowUpInput{Number: sampleNumber, Date: sampleDate})
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := render(t, l)
		// The logo is scaled down to print size, not embedded at 1600 px.
		if len(pdf) > 200_000 {
			t.Errorf("%s: %d bytes for a one-page letter", name, len(pdf))
		}
	}
}

func TestDocumentMisuse(t *testing.T) {
	t.Parallel()
	d, err := NewDocument()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Add(nil); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("Add(nil) = %v", err)
	}
	if _, err := d.WriteTo(&bytes.Buffer{}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("empty document written: %v", err)
	}
	if _, err := Render(&bytes.Buffer{}); err == nil {
		t.Error("Render with no letters succeeded")
	}
}

func gifLogo(t testing.TB) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// giantPNGHeader is a PNG signature and IHDR claiming 100000 x 100000 pixels: a
// decompression bomb must be refused from its header.
func giantPNGHeader() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := []byte{'I', 'H', 'D', 'R', 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8, 6, 0, 0, 0}
	b.Write([]byte{0, 0, 0, 13})
	b.Write(chunk)
	b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(chunk)))
	return b.Bytes()
}

// FuzzLetters feeds arbitrary text to every field a user or a sync peer controls, and
// arbitrary patterns and templates: nothing may panic, and every refusal must be an
// ErrInvalid with a message.
func FuzzLetters(f *testing.F) {
	f.Add("Lampu jalan padam", "Isi laporan.", "Sudah diperbaiki.", "Andi", "{kode}/{nomor:03}/{unit}/{bulan_romawi}/{tahun}", DefaultFollowUpTemplate, false)
	f.Add(strings.Repeat("x", 3000), "\xff\xfe", "中文 😀 \u202e", "", "{nomor", "{judul", true)
	f.Add("", "", "", "Łukasz", "{nomor}}", "}}{{", false)
	f.Add(everyBlock()[:400], ") Tj (", "\\", "\x00", "{nomor:09}{kode}", "{isi}{isi}{isi}", true)
	f.Fuzz(func(t *testing.T, title, body, followUp, name, pattern, template string, anon bool) {
		if p, err := ParseNumberPattern(pattern, "000.1.4"); err == nil {
			if _, err := p.Format(1, sampleDate, "DKI"); err != nil && !errors.Is(err, lapordesk.ErrInvalid) {
				t.Fatalf("Format: %v", err)
			}
		} else if !errors.Is(err, lapordesk.ErrInvalid) || err.Error() == "" {
			t.Fatalf("ParseNumberPattern: %v", err)
		}
		if _, err := ParseTemplate(template); err != nil && !errors.Is(err, lapordesk.ErrInvalid) {
			t.Fatalf("ParseTemplate: %v", err)
		}
		conf := lapordesk.Biasa
		if anon {
			conf = lapordesk.Anonim
		}
		v := rawView(title, body, followUp, name, conf)
		o := sampleOffice(t)
		o.Signer.Name = name
		o.Settings.Template = template
		var letters []*Letter
		if l, err := FollowUp(o, v, FollowUpInput{Number: title, Date: sampleDate, To: []string{name}}); err == nil {
			letters = append(letters, l)
		} else if !errors.Is(err, lapordesk.ErrInvalid) {
			t.Fatalf("FollowUp: %v", err)
		}
		o.Settings.Template = ""
		if l, err := Disposisi(o, v, DisposisiInput{Training: anon}); err == nil {
			letters = append(letters, l)
		} else if !errors.Is(err, lapordesk.ErrInvalid) {
			t.Fatalf("Disposisi: %v", err)
		}
		if len(letters) == 0 {
			return
		}
		var b bytes.Buffer
		if _, err := Render(&b, letters...); err != nil {
			t.Fatalf("Render: %v", err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
	})
}

// TestHostileOffice fills every office setting to its limit, with words longer than a
// line: the letterhead stays a bounded block and everything else flows.
func TestHostileOffice(t *testing.T) {
	t.Parallel()
	long := func(word string) string {
		return strings.Repeat(word, maxLine/utf8.RuneCountInString(word))
	}
	o := sampleOffice(t)
	o.Letterhead.Pemda = long("Kabupaten")
	o.Letterhead.Unit = long("Kesejahteraan")
	o.Letterhead.Address = long("Jalan ")
	o.Letterhead.Phone = strings.Repeat("0", 100)
	o.Letterhead.Website = strings.Repeat("w", 100)
	o.Signer = Signer{Jabatan: long("Kepala"), Name: long("Nama"), Pangkat: long("Pembina"), NIP: strings.Repeat("1", 40)}
	o.Settings.Place = strings.Repeat("Barru", 20)
	o.Settings.Tembusan = nil
	o.Settings.Recipients = nil
	o.Settings.Instructions = nil
	for i := 0; i < maxTembusan; i++ {
		o.Settings.Tembusan = append(o.Settings.Tembusan, long("Tembusan"))
	}
	for i := 0; i < maxChoices; i++ {
		o.Settings.Recipients = append(o.Settings.Recipients, lapordesk.Unit{Code: "U" + strings.Repeat("X", 30), Name: long("Penerima ")})
		o.Settings.Instructions = append(o.Settings.Instructions, long("Instruksi"))
	}
	if err := o.Validate(); err != nil {
		t.Fatalf("the limits themselves are refused: %v", err)
	}
	for _, paper := range []Paper{PaperA4, PaperF4} {
		o.Letterhead.Paper = paper
		v := sampleView(t, sampleFollowUp)
		fu, err := FollowUp(o, v, FollowUpInput{Number: sampleNumber, Date: sampleDate})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		di, err := Disposisi(o, v, DisposisiInput{HalfSheet: &yes, Number: strings.Repeat("9", 100)})
		if err != nil {
			t.Fatal(err)
		}
		re, err := Rekap(o, sampleRecap(), RekapInput{Date: sampleDate})
		if err != nil {
			t.Fatal(err)
		}
		pdf, infos := render(t, fu, di, re)
		pages := pdfWords(t, pdf)
		first, half := pages[:infos[1].FirstPage-1], pages[infos[1].FirstPage-1:infos[2].FirstPage-1]
		rest := pages[infos[2].FirstPage-1:]
		assertInsideMargins(t, first, DefaultMargins())
		assertInsideMargins(t, half, DefaultMargins().halfMargins())
		assertInsideMargins(t, rest, DefaultMargins())
		if strings.Count(pdfText(t, pdf, 1), "…") < 3 {
			t.Error("the over-long letterhead is not visibly cut")
		}
	}
}
