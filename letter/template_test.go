package letter

import (
	"errors"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
)

func TestTemplateFill(t *testing.T) {
	t.Parallel()
	tp, err := ParseTemplate("Yth. {pelapor},\nlaporan {nomor_laporan} ({judul}) — {{literal}} dan }} juga.")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tp.Fill(map[string]string{PhPelapor: "Anonim", PhNomorLaporan: "4012345", PhJudul: "Jalan “rusak”"})
	if err != nil {
		t.Fatal(err)
	}
	want := "Yth. Anonim,\nlaporan 4012345 (Jalan “rusak”) — {literal} dan } juga."
	if got != want {
		t.Errorf("Fill = %q\nwant   %q", got, want)
	}
	if ph := tp.Placeholders(); strings.Join(ph, ",") != "pelapor,nomor_laporan,judul" {
		t.Errorf("Placeholders = %v", ph)
	}
	// A value the caller forgot is named, not printed as empty.
	if _, err := tp.Fill(map[string]string{PhPelapor: "x", PhNomorLaporan: "1"}); err == nil || !strings.Contains(err.Error(), "{judul}") {
		t.Errorf("missing value: %v", err)
	}
	// Values are inserted as text: braces inside them are not placeholders.
	got, _ = tp.Fill(map[string]string{PhPelapor: "{isi}", PhNomorLaporan: "1", PhJudul: "}{"})
	if !strings.Contains(got, "Yth. {isi},") || !strings.Contains(got, "(}{)") {
		t.Errorf("values re-expanded: %q", got)
	}
}

func TestTemplateErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text    string
		problem string
		name    string
		line    int
		col     int
	}{
		{"Halo {nama_pelapor}, terima kasih.", ProblemUnknownPlaceholder, "nama_pelapor", 1, 6},
		{"Baris satu\nBaris {judul} dan {tgl}", ProblemUnknownPlaceholder, "tgl", 2, 19},
		{"Baris satu\n\nMenindaklanjuti {judul", ProblemUnclosedBrace, "", 3, 17},
		{"Tanggal {tanggal_laporan\n}", ProblemUnclosedBrace, "", 1, 9},
		{"Nilai } tanpa pembuka", ProblemUnopenedBrace, "", 1, 7},
		{"Kosong {} di sini", ProblemEmptyPlaceholder, "", 1, 8},
		{"Judul {judul:03}", ProblemBadFormat, "judul", 1, 7},
		{"{{judul}", ProblemUnopenedBrace, "", 1, 8},
		{"   ", ProblemBadText, "", 0, 0},
		{"Ada \x07 bel", ProblemBadText, "", 0, 0},
		{"rusak \xff", ProblemBadText, "", 0, 0},
	}
	for _, c := range cases {
		_, err := ParseTemplate(c.text)
		var pe *PlaceholderError
		if !errors.As(err, &pe) {
			t.Errorf("%q: want a PlaceholderError, got %v", c.text, err)
			continue
		}
		if !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("%q: error does not wrap ErrInvalid", c.text)
		}
		if pe.Problem != c.problem || pe.Name != c.name || pe.Line != c.line || pe.Column != c.col {
			t.Errorf("%q: got %s %q %d:%d (%v); want %s %q %d:%d", c.text, pe.Problem, pe.Name, pe.Line, pe.Column, err, c.problem, c.name, c.line, c.col)
		}
		if c.name != "" && !strings.Contains(err.Error(), "{"+c.name+"}") {
			t.Errorf("%q: message %q does not name the placeholder", c.text, err)
		}
	}
	// The unknown-placeholder message lists what is known, for the editor.
	_, err := ParseTemplate("{nama}")
	if err == nil || !strings.Contains(err.Error(), "{tindak_lanjut}") {
		t.Errorf("known list missing: %v", err)
	}
}

func TestDefaultTemplateUsesKnownPlaceholders(t *testing.T) {
	t.Parallel()
	tp, err := ParseTemplate(DefaultFollowUpTemplate)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(tp.Placeholders(), " "), PhTindakLanjut) {
		t.Error("default template must print the follow-up text")
	}
	vals := map[string]string{}
	for _, p := range TemplatePlaceholders() {
		vals[p] = "<" + p + ">"
	}
	out, err := tp.Fill(vals)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(strings.NewReplacer("<", "", ">", "").Replace(out), "{}") {
		t.Errorf("unfilled braces in %q", out)
	}
}
