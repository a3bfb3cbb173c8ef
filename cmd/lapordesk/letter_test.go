package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/letter"
	"github.com/lapordesk/lapordesk/storage"
)

// The letter commands, run as a user runs them: numbers allocated in the data
// file, PDFs read back with poppler's tools.

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (scripts/install-deps.sh --test installs it): cannot read the printed letters back", tool)
		}
	}
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pageSize returns the first page's size in millimetres.
func pageSize(t *testing.T, path string) (w, h float64) {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`Page size:\s+([0-9.]+) x ([0-9.]+) pts`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("pdfinfo: no page size in %s", out)
	}
	var pw, ph float64
	json.Unmarshal([]byte(m[1]), &pw)
	json.Unmarshal([]byte(m[2]), &ph)
	return pw * 25.4 / 72, ph * 25.4 / 72
}

func contains(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// logoFile writes a small PNG emblem.
func logoFile(t *testing.T, dir string) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 60, 70))
	for y := 0; y < 70; y++ {
		for x := 0; x < 60; x++ {
			if x > y/3 && x < 60-y/3 {
				img.Set(x, y, color.NRGBA{30, 120, 60, 255})
			}
		}
	}
	p := filepath.Join(dir, "logo.png")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return p
}

// followedUp records a report and takes it through verification, disposition to
// the desk's unit and a follow-up; it returns its reference.
func followedUp(t *testing.T, db string, extra ...string) string {
	t.Helper()
	args := append([]string{"add", "--title", "Jalan poros Pancana rusak", "--body", "Lubang besar di depan pasar.", "--channel", "phone",
		"--reporter-name", "Siti Aminah", "--reporter-phone", "081234567890", "--json"}, extra...)
	r := ok(t, cli(t, db, "", nil, args...))
	var v lapordesk.View
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatal(err)
	}
	ref := v.Report.Ref()
	for _, step := range [][]string{
		{"act", ref, "verify"},
		{"act", ref, "dispose", "--to", "DINKES", "--instruction", "Proses lebih lanjut", "--text", "Mohon segera"},
		{"act", ref, "follow-up", "--text", "Jalan sudah ditambal oleh Dinas PUPR pada 25 November 2026."},
	} {
		ok(t, cli(t, db, "", nil, step...))
	}
	return ref
}

func letters(t *testing.T, db, ref string) []lapordesk.LetterRecord {
	t.Helper()
	var v lapordesk.View
	if err := json.Unmarshal([]byte(ok(t, cli(t, db, "", nil, "show", ref, "--json")).stdout), &v); err != nil {
		t.Fatal(err)
	}
	return v.Report.Letters
}

var reCode = regexp.MustCompile(`[A-Z2-7]{5}-[A-Z2-7]{5}`)

func TestLetterPrintReprintVerify(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo")
	db := setupDesk(t)
	dir := t.TempDir()
	ok(t, cli(t, db, "", nil, "letterhead", "--address", "Jalan Sultan Hasanuddin No. 12, Barru", "--logo", logoFile(t, dir),
		"--signer-name", "dr. Hj. Andi Nurhayati, M.Kes.", "--nip", "197503122005012003", "--code", "400.14.1"))
	ref := followedUp(t, db)
	other := followedUp(t, db, "--title", "Lampu jalan padam")

	a := filepath.Join(dir, "tindak lanjut.pdf")
	r := ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "tindak-lanjut", "-o", a))
	code := reCode.FindString(r.stdout)
	if !strings.Contains(r.stdout, "400.14.1/001/DINKES/") || code == "" {
		t.Fatalf("letter output: %s", r.stdout)
	}
	text := pdfText(t, a)
	contains(t, "surat tindak lanjut", text, "PEMERINTAH KABUPATEN BARRU", "DINAS KESEHATAN", "Jalan Sultan Hasanuddin No. 12, Barru",
		"Nomor : 400.14.1/001/DINKES/", "Yth. Sdr. Siti Aminah", "Jalan sudah ditambal", "dr. Hj. Andi Nurhayati, M.Kes.",
		"NIP. 19750312 200501 2 003", code)
	if w, h := pageSize(t, a); w < 209.5 || w > 210.5 || h < 296.5 || h > 297.5 {
		t.Errorf("A4 letter is %.1f x %.1f mm", w, h)
	}
	first, _ := os.ReadFile(a)

	// The letterhead changes; the reprint is still the letter first printed.
	ok(t, cli(t, db, "", nil, "letterhead", "--signer-name", "Ir. Baso Amir", "--paper", "F4"))
	r = ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "tindak-lanjut", "-o", a))
	if !strings.Contains(r.stdout, "Cetak ulang") || !strings.Contains(r.stdout, code) {
		t.Errorf("reprint output: %s", r.stdout)
	}
	if again, _ := os.ReadFile(a); !bytes.Equal(first, again) {
		t.Error("the reprint is not the same file")
	}
	if l := letters(t, db, ref); len(l) != 1 || l[0].Seq != 1 || l[0].Code != code {
		t.Fatalf("records after a reprint: %+v", l)
	}

	// The next letters take the next numbers, on F4 now.
	b := filepath.Join(dir, "disposisi.pdf")
	r = ok(t, cli(t, db, "", nil, "letter", other, "--kind", "disposisi", "--sifat", "sangat segera", "-o", b))
	if !strings.Contains(r.stdout, "400.14.1/002/DINKES/") {
		t.Errorf("second letter: %s", r.stdout)
	}
	contains(t, "lembar disposisi", pdfText(t, b), "LEMBAR DISPOSISI", "Dinas Kesehatan", "Proses lebih lanjut", "Mohon segera", "Ir. Baso Amir")
	if w, h := pageSize(t, b); w < 214.5 || w > 215.5 || h < 329.5 || h > 330.5 {
		t.Errorf("F4 letter is %.1f x %.1f mm", w, h)
	}
	r = cli(t, db, "", nil, "letter", other, "--kind", "disposisi", "--sifat", "Segera", "-o", b)
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "cetak ulang") {
		t.Errorf("reprint with another sifat: exit %d %q", r.code, r.stderr)
	}

	// The code read off the paper, typed loosely, finds the letter and its record.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	r = ok(t, cli(t, db, "", nil, "letter", "verify", typed))
	contains(t, "verify", r.stdout, code, "400.14.1/001/DINKES/", "Surat tindak lanjut", "cocok", "nama penanda tangan", ref)
	r = cli(t, db, "", nil, "letter", "verify", "AAAAA-AAAAA")
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "AAAAA-AAAAA") {
		t.Errorf("verify an unknown code: exit %d %q", r.code, r.stderr)
	}

	// The recap of the month has both reports.
	c := filepath.Join(dir, "rekap.pdf")
	r = ok(t, cli(t, db, "", nil, "recap", "--from", "2026-01-01", "--to", "2026-12-31", "-o", c))
	recapCode := reCode.FindString(r.stdout)
	contains(t, "recap", pdfText(t, c), "REKAPITULASI", "Laporan diterima 2", "Ditindaklanjuti 2 100,0%", recapCode)
	ok(t, cli(t, db, "", nil, "letter", "verify", recapCode))
}

func TestLetterUsageAndFailures(t *testing.T) {
	db := setupDesk(t)
	ref := followedUp(t, db)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.pdf")
	for _, args := range [][]string{
		{"letter", ref, "-o", out},
		{"letter", ref, "--kind", "surat-cinta", "-o", out},
		{"letter", "--kind", "tindak-lanjut"},
		{"letter", ref, "--kind", "disposisi", "--hal", "x"},
		{"recap", "--from", "2026-01-01"},
		{"letter", "verify"},
	} {
		if r := cli(t, db, "", nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, r.code, r.stderr)
		}
	}
	hash := stateHash(t, db)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"letter", ref, "--kind", "tindak-lanjut", "--sifat", "Kilat", "-o", out}, "Kilat"},
		{[]string{"letter", ref, "--kind", "tindak-lanjut", "-o", filepath.Join(dir, "no such folder", "x.pdf")}, "no such folder"},
		{[]string{"letter", "DINKES-2099-99999", "--kind", "tindak-lanjut", "-o", out}, "DINKES-2099-99999"},
		{[]string{"recap", "--from", "2026-12-31", "--to", "2026-01-01", "-o", out}, ""},
		{[]string{"recap", "--from", "2026-01-01", "--to", "2026-12-31", "--unit", "NOWHERE", "-o", out}, "NOWHERE"},
		{[]string{"letterhead", "--logo", filepath.Join(dir, "missing.png")}, "missing.png"},
		{[]string{"letterhead", "--number-pattern", "{kode}/{no}/{tahun}"}, "{no}"},
		{[]string{"letterhead", "--paper", "Letter"}, "LETTER"},
		{[]string{"letterhead", "--nip", "1975-01"}, "NIP"},
	} {
		r := cli(t, db, "", nil, c.args...)
		if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d %q", c.args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed print left a file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed prints left %d files behind", len(entries))
	}
	if stateHash(t, db) != hash {
		t.Error("failed commands changed the data file")
	}

	// A template with an unknown placeholder written past the settings command
	// (an older version, a hand edit) fails before a number is spent.
	bad := filepath.Join(dir, "template.txt")
	os.WriteFile(bad, []byte("Dengan hormat, {nama_pelapor}.\n\n{tindak_lanjut}"), 0o644)
	r := cli(t, db, "", nil, "letterhead", "--template-file", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "{nama_pelapor}") {
		t.Fatalf("letterhead with an unknown placeholder: exit %d %q", r.code, r.stderr)
	}
	putSetting(t, db, "letter_settings", map[string]any{"template": "Dengan hormat, {nama_pelapor}."})
	hash = stateHash(t, db)
	r = cli(t, db, "", nil, "letter", ref, "--kind", "tindak-lanjut", "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, "{nama_pelapor}") {
		t.Fatalf("print with an unknown placeholder: exit %d %q", r.code, r.stderr)
	}
	if stateHash(t, db) != hash || len(letters(t, db, ref)) != 0 {
		t.Fatal("a failed print spent a number")
	}
	ok(t, cli(t, db, "", nil, "letterhead", "--template-file", ""))
	ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "tindak-lanjut", "-o", out))
	if l := letters(t, db, ref); len(l) != 1 || l[0].Seq != 1 {
		t.Fatalf("after the failure: %+v", l)
	}
}

func putSetting(t *testing.T, db, key string, v any) {
	t.Helper()
	s, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutSetting(context.Background(), key, v); err != nil {
		t.Fatal(err)
	}
}

func TestLetterheadShowAndJSON(t *testing.T) {
	db := setupDesk(t)
	r := ok(t, cli(t, db, "", nil, "letterhead"))
	contains(t, "defaults", r.stdout, "Kabupaten Barru (bawaan)", "Kepala Dinas Kesehatan (bawaan)", "001/DINKES/", "A4 (bawaan)")
	ok(t, cli(t, db, "", nil, "letterhead", "--tembusan", "Bupati Barru", "--tembusan", "Inspektur", "--recipient", "SEK=Sekretaris",
		"--code-for", "rekap=000.5.2", "--margins", "25,30,20,20", "--sifat", "segera", "--half-sheet", "true"))
	r = ok(t, cli(t, db, "", nil, "letterhead", "--json"))
	var c struct {
		Settings struct {
			Tembusan            []string          `json:"tembusan"`
			ClassificationCodes map[string]string `json:"classification_codes"`
			Sifat               string            `json:"sifat"`
			Half                bool              `json:"disposisi_half_sheet"`
		} `json:"settings"`
		Margins struct{ Top float64 } `json:"margins"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Settings.Tembusan, "|") != "Bupati Barru|Inspektur" || c.Settings.ClassificationCodes["rekap"] != "000.5.2" ||
		c.Settings.Sifat != "Segera" || !c.Settings.Half || c.Margins.Top != 25 {
		t.Errorf("stored configuration: %s", r.stdout)
	}
	// The JSON reads back whole; an empty flag clears a list.
	j := filepath.Join(t.TempDir(), "letter.json")
	os.WriteFile(j, []byte(r.stdout), 0o644)
	ok(t, cli(t, db, "", nil, "letterhead", "--tembusan", ""))
	ok(t, cli(t, db, "", nil, "letterhead", "--from-json", j))
	if again := ok(t, cli(t, db, "", nil, "letterhead", "--json")); again.stdout != r.stdout {
		t.Errorf("--from-json did not restore the configuration:\n%s\n%s", r.stdout, again.stdout)
	}
	r = ok(t, cli(t, db, "", nil, "letterhead", "--show-template"))
	if !strings.Contains(r.stdout, "{tindak_lanjut}") {
		t.Errorf("--show-template: %s", r.stdout)
	}
	r = ok(t, cli(t, db, "", []string{"LAPORDESK_LANG=en"}, "letterhead"))
	contains(t, "English", r.stdout, "Letterhead", "(default)")
}

func TestTrainingDeskPrintsSpecimens(t *testing.T) {
	needTools(t, "pdftotext")
	db := filepath.Join(t.TempDir(), "latihan.db")
	ok(t, cli(t, db, "", nil, "demo", "--count", "300"))
	r := ok(t, cli(t, db, "", nil, "list", "--status", "ditindaklanjuti", "--json", "--limit", "500"))
	var page lapordesk.Page
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Items) == 0 {
		t.Fatalf("no followed-up report in the demo: %v", err)
	}
	out := filepath.Join(t.TempDir(), "latihan.pdf")
	r = ok(t, cli(t, db, "", nil, "letter", page.Items[0].Ref, "--kind", "tindak-lanjut", "-o", out))
	contains(t, "training print", r.stdout, "SPECIMEN", "001/DINKES/")
	contains(t, "training letter", pdfText(t, out), "SPECIMEN - LATIHAN", "TIDAK SAH")
	if l := letters(t, db, page.Items[0].Ref); len(l) != 1 || !l[0].Training || l[0].Seq != 1 {
		t.Errorf("training record: %+v", l)
	}
	r = ok(t, cli(t, db, "", nil, "recap", "--from", "2026-01-01", "--to", "2026-12-31", "-o", out))
	contains(t, "training recap", pdfText(t, out), "SPECIMEN - LATIHAN")
}

// reHexID matches UUIDs and hex digests.
var reHexID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}`)

func TestAnonimIdentityOnNoPrintedLetter(t *testing.T) {
	needTools(t, "pdftotext")
	db := setupDesk(t)
	ref := followedUp(t, db, "--confidentiality", "anonim", "--reporter-name", "Nur Hidayah Daeng Ngai",
		"--reporter-phone", "085299887766", "--reporter-email", "nur.hidayah@example.id", "--reporter-nik", "7311015507900003", "--tracking-id", "4012400")
	dir := t.TempDir()
	var all string
	for _, kind := range []string{"tindak-lanjut", "disposisi"} {
		p := filepath.Join(dir, kind+".pdf")
		ok(t, cli(t, db, "", nil, "letter", ref, "--kind", kind, "-o", p))
		all += pdfText(t, p)
	}
	p := filepath.Join(dir, "rekap.pdf")
	ok(t, cli(t, db, "", nil, "recap", "--from", "2026-01-01", "--to", "2026-12-31", "-o", p))
	all += pdfText(t, p)
	all += ok(t, cli(t, db, "", nil, "show", ref, "--json")).stdout
	// Event IDs and hashes are hex: one holds "7766" in about one run of two hundred.
	all = reHexID.ReplaceAllString(all, "<id>")
	for _, v := range []string{"Hidayah", "Daeng Ngai", "9988", "7766", "nur.hidayah", "7311015507900003"} {
		if strings.Contains(all, v) {
			t.Errorf("the Anonim identity %q is printed", v)
		}
	}
	contains(t, "anonim letter", all, "Yth. Pelapor SP4N-LAPOR! Nomor 4012400", "Anonim")
}

// The QR code on the paper scans to the letter's code, and that code verifies.
func TestQRCodeOnPaperVerifies(t *testing.T) {
	needTools(t, "pdftoppm", "zbarimg", "pdfinfo")
	db := setupDesk(t)
	ref := followedUp(t, db)
	dir := t.TempDir()
	p := filepath.Join(dir, "surat.pdf")
	r := ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "tindak-lanjut", "-o", p))
	code := reCode.FindString(r.stdout)
	if out, err := exec.Command("pdftoppm", "-png", "-r", "200", p, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	scan, err := exec.Command("zbarimg", "-q", "--raw", filepath.Join(dir, "page-1.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	parts := strings.Split(strings.TrimSpace(string(scan)), "|")
	if len(parts) < 4 || parts[3] != code {
		t.Fatalf("the QR code holds %q, the letter's code is %s", scan, code)
	}
	r = ok(t, cli(t, db, "", nil, "letter", "verify", parts[3]))
	contains(t, "verify from the QR code", r.stdout, parts[2], "cocok")

	// The lembar disposisi on half an F4 sheet: a smaller form, the same QR code.
	ok(t, cli(t, db, "", nil, "letterhead", "--paper", "F4", "--half-sheet", "true"))
	p = filepath.Join(dir, "disposisi.pdf")
	r = ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "disposisi", "-o", p))
	code = reCode.FindString(r.stdout)
	if w, h := pageSize(t, p); w < 164.5 || w > 165.5 || h < 214.5 || h > 215.5 {
		t.Errorf("half F4 sheet is %.1f x %.1f mm", w, h)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "200", p, filepath.Join(dir, "half")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	scan, err = exec.Command("zbarimg", "-q", "--raw", filepath.Join(dir, "half-1.png")).Output()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(scan)), "|"+code) {
		t.Fatalf("the half sheet's QR code: %q %v, want the code %s", scan, err, code)
	}
}

// Every problem a letter setting can have reads as words in both languages, never as
// a translation key.
func TestLetterErrorsAreTranslated(t *testing.T) {
	p := lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Timezone: "Asia/Makassar"}
	long := strings.Repeat("x", 400)
	bad := []letter.Config{
		{Letterhead: letter.LetterheadConfig{PemdaName: long, UnitName: long, Address: long, Phone: long, Email: long, Website: long, Paper: "B5"},
			Signer: letter.Signer{Jabatan: long, Name: long, Pangkat: long, NIP: "19-75"},
			Settings: letter.Settings{NumberPattern: "{kode}/{no}", ClassificationCodes: map[letter.Kind]string{"surat": "1"}, UnitCode: long,
				Template: "Yth. {nama}", Place: long, Tembusan: []string{long}, Sifat: "Kilat", Lampiran: long,
				Recipients: []lapordesk.Unit{{Code: long, Name: long}}, Instructions: []string{long}, VerifyURL: "https://x.id/"},
			Margins: letter.Margins{Top: 1, Left: 100, Right: 100, Bottom: 1}},
		{Letterhead: letter.LetterheadConfig{LogoPath: "/nowhere/logo.png"}, Settings: letter.Settings{Template: "a {"}},
		{Letterhead: letter.LetterheadConfig{LogoPath: "letter_test.go"}, Settings: letter.Settings{Template: "a } b"}},
		{Settings: letter.Settings{Template: "{}", NumberPattern: "{nomor:x}"}},
		{Settings: letter.Settings{NumberPattern: "{kode}/{tahun}", ClassificationCode: "1"}},
		{Margins: letter.Margins{Top: 20, Left: 30, Right: 20, Bottom: 90}},
		{Settings: letter.Settings{NumberPattern: "{kode}/{nomor}"}},
		{Settings: letter.Settings{ClassificationCode: "400 14", UnitCode: "DINAS KESEHATAN"}},
	}
	for _, lang := range []string{"id", "en"} {
		if err := i18n.Use(lang); err != nil {
			t.Fatal(err)
		}
		for i, c := range bad {
			_, err := c.Office(p)
			var ve lapordesk.ValidationErrors
			if !errors.As(err, &ve) {
				t.Fatalf("config %d: %v", i, err)
			}
			for _, fe := range ve {
				msg := i18n.FieldError(fe)
				if strings.Contains(msg, "field.") || strings.Contains(msg, "error.") {
					t.Errorf("%s: %s/%s reads %q", lang, fe.Field, fe.Problem, msg)
				}
			}
		}
	}
	i18n.Use("id")
}
