package exchange

import (
	"errors"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
)

func TestParseMomentForms(t *testing.T) {
	t.Parallel()
	d := lapordesk.NewDate(2026, 11, 27)
	clock := 14*time.Hour + 5*time.Minute
	cases := []struct {
		in      string
		order   Order
		date    lapordesk.Date
		clock   time.Duration
		hasTime bool
	}{
		{"27/11/2026", DayFirst, d, 0, false},
		{"27-11-2026", DayFirst, d, 0, false},
		{"27.11.2026", DayFirst, d, 0, false},
		{"2026-11-27", DayFirst, d, 0, false},
		{"2026/11/27", MonthFirst, d, 0, false},
		{"27/11/26", DayFirst, d, 0, false},
		{" 27 November 2026 ", DayFirst, d, 0, false},
		{"27 Nov 2026", DayFirst, d, 0, false},
		{"27 Nopember 2026", DayFirst, d, 0, false},
		{"27-Nov-26", DayFirst, d, 0, false},
		{"Jumat, 27 November 2026", DayFirst, d, 0, false},
		{"Friday, 27 November 2026", DayFirst, d, 0, false},
		{"November 27, 2026", DayFirst, d, 0, false},
		{"Nov. 27, 2026", DayFirst, d, 0, false},
		{"3 Agustus 2026", DayFirst, lapordesk.NewDate(2026, 8, 3), 0, false},
		{"3 Agt 2026", DayFirst, lapordesk.NewDate(2026, 8, 3), 0, false},
		{"1 Mei 2026", DayFirst, lapordesk.NewDate(2026, 5, 1), 0, false},
		{"17 Okt 2025", DayFirst, lapordesk.NewDate(2025, 10, 17), 0, false},
		{"25 Des 2025", DayFirst, lapordesk.NewDate(2025, 12, 25), 0, false},
		{"11/27/2026", MonthFirst, d, 0, false},
		{"03/04/2026", DayFirst, lapordesk.NewDate(2026, 4, 3), 0, false},
		{"03/04/2026", MonthFirst, lapordesk.NewDate(2026, 3, 4), 0, false},
		{"27/11/2026 14:05", DayFirst, d, clock, true},
		{"27/11/2026 14.05", DayFirst, d, clock, true},
		{"27 November 2026 pukul 14.05", DayFirst, d, clock, true},
		{"2026-11-27 14:05:09", DayFirst, d, clock + 9*time.Second, true},
		{"2026-11-27T14:05", DayFirst, d, clock, true},
		{"11/27/2026 2:05 PM", MonthFirst, d, clock, true},
		{"11/27/2026 12:30 AM", MonthFirst, d, 30 * time.Minute, true},
		{"27/11/2026 12:05 pm", DayFirst, d, 12*time.Hour + 5*time.Minute, true},
		{"46353", DayFirst, d, 0, false},
		{"46353.5", DayFirst, d, 12 * time.Hour, true},
		{"46353.587", DayFirst, d, 14*time.Hour + 5*time.Minute + 17*time.Second, true},
		{"46353.99999999", DayFirst, d.AddDays(1), 0, true}, // rounds to the next midnight
	}
	for _, c := range cases {
		m, err := ParseMoment(c.in, c.order)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if m.Date != c.date || m.HasTime != c.hasTime || m.Clock != c.clock {
			t.Errorf("%q: got %s %v %v, want %s %v %v", c.in, m.Date, m.Clock, m.HasTime, c.date, c.clock, c.hasTime)
		}
	}
}

func TestParseMomentRFC3339KeepsItsZone(t *testing.T) {
	t.Parallel()
	m, err := ParseMoment("2026-11-27T06:05:00Z", DayFirst)
	if err != nil {
		t.Fatal(err)
	}
	wita := time.FixedZone("WITA", 8*3600)
	got := m.In(wita)
	if !got.Equal(time.Date(2026, 11, 27, 6, 5, 0, 0, time.UTC)) {
		t.Fatalf("got %v", got)
	}
	// A time without a zone is the office's wall clock.
	m, _ = ParseMoment("27/11/2026 14:05", DayFirst)
	if got := m.In(wita); !got.Equal(time.Date(2026, 11, 27, 6, 5, 0, 0, time.UTC)) {
		t.Fatalf("office time: got %v", got)
	}
}

func TestParseMomentRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		order   Order
		problem string
	}{
		{"", DayFirst, ProblemNotDate},
		{"kemarin", DayFirst, ProblemNotDate},
		{"31/02/2026", DayFirst, ProblemImpossible},
		{"29/02/2025", DayFirst, ProblemImpossible},
		{"32/01/2026", DayFirst, ProblemImpossible},
		{"11/27/2026", DayFirst, ProblemImpossible},
		{"27/13/2026", MonthFirst, ProblemImpossible},
		{"27/11/1890", DayFirst, ProblemImpossible},
		{"31 Februari 2026", DayFirst, ProblemImpossible},
		{"03/04/2026", Mixed, ProblemAmbiguous},
		{"27 Foo 2026", DayFirst, ProblemNotDate},
		{"2026", DayFirst, ProblemNotDate},
		{"27.11", DayFirst, ProblemNotDate},
		{"27/11/2026 25:00", DayFirst, ProblemNotDate},
		{"27/11/2026 14:61", DayFirst, ProblemNotDate},
		{"1/2/3/4", DayFirst, ProblemNotDate},
		{"99999999", DayFirst, ProblemNotDate},
		{"27/11/202", DayFirst, ProblemNotDate},
		{"27/11/2026 PM", DayFirst, ProblemNotDate},
		{"27/11/2026 13:05 PM", DayFirst, ProblemNotDate},
	}
	for _, c := range cases {
		_, err := ParseMoment(c.in, c.order)
		var de *DateError
		if !errors.As(err, &de) || de.Problem != c.problem {
			t.Errorf("%q: got %v, want problem %s", c.in, err, c.problem)
		}
		if err != nil && !errors.Is(err, lapordesk.ErrInvalid) {
			t.Errorf("%q: error does not wrap ErrInvalid", c.in)
		}
	}
	// In a mixed column a date that reads only one way is still read.
	if d, err := ParseDate("27/03/2026", Mixed); err != nil || d != lapordesk.NewDate(2026, 3, 27) {
		t.Errorf("mixed, unambiguous: %v %v", d, err)
	}
	if d, err := ParseDate("03/27/2026", Mixed); err != nil || d != lapordesk.NewDate(2026, 3, 27) {
		t.Errorf("mixed, month first: %v %v", d, err)
	}
}

func TestDetectOrder(t *testing.T) {
	t.Parallel()
	if o := DetectOrder([]string{"01/02/2026", "27/11/2026", "x"}); o != DayFirst {
		t.Errorf("day first: %v", o)
	}
	if o := DetectOrder([]string{"01/02/2026", "11/27/2026 2:05 PM"}); o != MonthFirst {
		t.Errorf("month first: %v", o)
	}
	if o := DetectOrder([]string{"27/11/2026", "11/27/2026"}); o != Mixed {
		t.Errorf("mixed: %v", o)
	}
	if o := DetectOrder([]string{"01/02/2026", "2026-11-27", "27 November 2026"}); o != DayFirst {
		t.Errorf("no evidence: %v", o)
	}
}

// FuzzParseMoment: any text either fails with a DateError or gives a real date in
// range whose ISO form reads back as the same date.
func FuzzParseMoment(f *testing.F) {
	for _, s := range []string{"27/11/2026", "2026-11-27 14:05:09", "27 November 2026", "Jumat, 27 Nov 2026 pukul 14.05",
		"46353.5", "11/27/2026", "2026-11-27T06:05:00+08:00", "31/02/2026", "27-Nov-26", "1.2.3", "9999999999999"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, o int) {
		order := Order(((o % 3) + 3) % 3)
		m, err := ParseMoment(s, order)
		if err != nil {
			var de *DateError
			if !errors.As(err, &de) {
				t.Fatalf("%q: error of type %T", s, err)
			}
			return
		}
		if m.Date.Year < minYear || m.Date.Year > maxYear {
			t.Fatalf("%q: year %d out of range", s, m.Date.Year)
		}
		if lapordesk.NewDate(m.Date.Year, m.Date.Month, m.Date.Day) != m.Date {
			t.Fatalf("%q: not a real date %v", s, m.Date)
		}
		if m.Clock < 0 || m.Clock >= 24*time.Hour {
			t.Fatalf("%q: clock %v", s, m.Clock)
		}
		back, err := ParseDate(m.Date.String(), order)
		if err != nil || back != m.Date {
			t.Fatalf("%q: ISO form %s reads back as %v, %v", s, m.Date, back, err)
		}
	})
}
