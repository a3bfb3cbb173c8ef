package letter

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
)

func TestNumberPatternFormat(t *testing.T) {
	t.Parallel()
	p, err := ParseNumberPattern(DefaultNumberPattern, "000.1.4")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		seq  int
		date lapordesk.Date
		unit string
		want string
	}{
		{45, lapordesk.NewDate(2026, 11, 27), "DISKOMINFO", "000.1.4/045/DISKOMINFO/XI/2026"},
		{1, lapordesk.NewDate(2027, 1, 2), "DISKOMINFO", "000.1.4/001/DISKOMINFO/I/2027"},
		{1234, lapordesk.NewDate(2026, 4, 30), "Dinkes", "000.1.4/1234/Dinkes/IV/2026"},
		{7, lapordesk.NewDate(2026, 9, 1), "PUPR", "000.1.4/007/PUPR/IX/2026"},
	}
	for _, c := range cases {
		got, err := p.Format(c.seq, c.date, c.unit)
		if err != nil || got != c.want {
			t.Errorf("Format(%d, %s, %s) = %q, %v; want %q", c.seq, c.date, c.unit, got, err, c.want)
		}
	}

	p2, err := ParseNumberPattern("B-{nomor}/{kode}/{unit}/{bulan}.{tahun}", "400.14.1")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := p2.Format(9, lapordesk.NewDate(2026, 3, 5), "DPMPTSP"); got != "B-9/400.14.1/DPMPTSP/03.2026" {
		t.Errorf("custom pattern: got %q", got)
	}
}

func TestNumberPatternErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern, code string
		problem       string
		name          string // placeholder the error must name
		col           int
	}{
		{"{kode}/{nomor:03}/{satker}/{tahun}", "000.1.4", ProblemUnknownPlaceholder, "satker", 19},
		{"{kode}/{urut}/{unit}", "000.1.4", ProblemUnknownPlaceholder, "urut", 8},
		{"{kode}/{unit}/{tahun}", "000.1.4", ProblemMissingPlaceholder, "nomor", 0},
		{"{kode}/{nomor:3}/{unit}", "000.1.4", ProblemBadFormat, "nomor", 8},
		{"{kode}/{nomor:0x}/{unit}", "000.1.4", ProblemBadFormat, "nomor", 8},
		{"{kode}/{nomor}/{unit", "000.1.4", ProblemUnclosedBrace, "", 16},
		{"{kode}/nomor}/{unit}", "000.1.4", ProblemUnopenedBrace, "", 13},
		{"{kode}/{}/{nomor}", "000.1.4", ProblemEmptyPlaceholder, "", 8},
		{"{kode:03}/{nomor}", "000.1.4", ProblemBadFormat, "kode", 1},
		{"{kode}/{nomor}", "", ProblemBadFormat, "kode", 0},
		{"{kode}/{nomor}", "000 1", ProblemBadFormat, "kode", 0},
		{"", "000.1.4", ProblemMissingPlaceholder, "nomor", 0},
		{"{nomor}\n/{unit}", "x", ProblemBadText, "", 0},
	}
	for _, c := range cases {
		_, err := ParseNumberPattern(c.pattern, c.code)
		var pe *PlaceholderError
		if !errors.As(err, &pe) {
			t.Errorf("%q: want a PlaceholderError, got %v", c.pattern, err)
			continue
		}
		if !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("%q: error does not wrap ErrInvalid", c.pattern)
		}
		if pe.Problem != c.problem || pe.Name != c.name || pe.Column != c.col {
			t.Errorf("%q: got problem %s name %q col %d (%v); want %s %q %d", c.pattern, pe.Problem, pe.Name, pe.Column, err, c.problem, c.name, c.col)
		}
		if c.name != "" && !strings.Contains(err.Error(), "{"+c.name+"}") {
			t.Errorf("%q: message %q does not name {%s}", c.pattern, err, c.name)
		}
	}
}

func TestNumberFormatRejects(t *testing.T) {
	t.Parallel()
	p, err := ParseNumberPattern(DefaultNumberPattern, "000.1.4")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		seq  int
		date lapordesk.Date
		unit string
	}{
		{0, lapordesk.NewDate(2026, 1, 1), "X"},
		{-3, lapordesk.NewDate(2026, 1, 1), "X"},
		{1, lapordesk.Date{}, "X"},
		{1, lapordesk.Date{Year: 2026, Month: 13, Day: 1}, "X"},
		{1, lapordesk.NewDate(2026, 1, 1), ""},
		{1, lapordesk.NewDate(2026, 1, 1), "A/B"},
		{1, lapordesk.NewDate(2026, 1, 1), "DINAS KESEHATAN"},
	} {
		if got, err := p.Format(c.seq, c.date, c.unit); err == nil || !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("Format(%d, %v, %q) = %q, %v; want an ErrInvalid error", c.seq, c.date, c.unit, got, err)
		}
	}
}

func TestSettingsPatternPerKind(t *testing.T) {
	t.Parallel()
	s := Settings{ClassificationCode: "000.1.4", ClassificationCodes: map[Kind]string{KindRekap: "000.5.2"}}
	d := lapordesk.NewDate(2026, 11, 27)
	for kind, want := range map[Kind]string{KindTindakLanjut: "000.1.4/003/DKI/XI/2026", KindRekap: "000.5.2/003/DKI/XI/2026"} {
		p, err := s.Pattern(kind)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := p.Format(3, d, "DKI"); got != want {
			t.Errorf("%s: got %q, want %q", kind, got, want)
		}
	}
}

func TestDatesAndNames(t *testing.T) {
	t.Parallel()
	if got := FormatDateID(lapordesk.NewDate(2026, 11, 27)); got != "27 November 2026" {
		t.Errorf("FormatDateID = %q", got)
	}
	if got := PlaceDateID("Barru", lapordesk.NewDate(2026, 8, 17)); got != "Barru, 17 Agustus 2026" {
		t.Errorf("PlaceDateID = %q", got)
	}
	if got := FormatDateID(lapordesk.Date{}); got != "" {
		t.Errorf("zero date = %q", got)
	}
	want := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	roman := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
	for i := range want {
		m := time.Month(i + 1)
		if MonthID(m) != want[i] || RomanMonth(m) != roman[i] {
			t.Errorf("month %d: %q %q", m, MonthID(m), RomanMonth(m))
		}
	}
	if MonthID(0) != "" || RomanMonth(13) != "" {
		t.Error("out-of-range month must give empty text")
	}
	for in, want := range map[string]string{
		"197501012000032002":    "19750101 200003 2 002",
		"19750101 200003 2 002": "19750101 200003 2 002",
		" 12345 ":               "12345",
		"":                      "",
	} {
		if got := FormatNIP(in); got != want {
			t.Errorf("FormatNIP(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1234567: "1.234.567", -4200: "-4.200"} {
		if got := fmtIntID(in); got != want {
			t.Errorf("fmtIntID(%d) = %q, want %q", in, got, want)
		}
	}
	if got := percentID(1, 3); got != "33,3%" {
		t.Errorf("percentID = %q", got)
	}
}

func TestWithProfile(t *testing.T) {
	t.Parallel()
	p := lapordesk.Profile{UnitCode: "diskominfo", UnitName: "Dinas Komunikasi dan Informatika", PemdaName: "Kabupaten Barru", Place: "Barru", Timezone: "Asia/Makassar"}
	o, err := Office{Signer: Signer{Jabatan: "Kepala Dinas"}, Settings: Settings{ClassificationCode: "000.1.4"}}.WithProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if o.Letterhead.Pemda != "Kabupaten Barru" || o.Letterhead.Unit != p.UnitName || o.Settings.Place != "Barru" || o.Settings.UnitCode != "DISKOMINFO" {
		t.Errorf("profile not applied: %+v", o)
	}
	if o.Settings.Location == nil || o.Settings.Location.String() != "Asia/Makassar" {
		t.Errorf("time zone: %v", o.Settings.Location)
	}
	if err := o.Validate(); err != nil {
		t.Errorf("office from a profile is invalid: %v", err)
	}
	// Settings already made are kept.
	o2, _ := Office{Letterhead: Letterhead{Unit: "Diskominfo"}}.WithProfile(p)
	if o2.Letterhead.Unit != "Diskominfo" {
		t.Error("WithProfile overwrote a setting")
	}
	if _, err := (Office{}).WithProfile(lapordesk.Profile{Timezone: "Mars/Olympus"}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("bad zone: %v", err)
	}
}
