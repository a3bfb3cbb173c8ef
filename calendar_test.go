package lapordesk

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Asia/Makassar whatever the machine has installed
)

func d(y int, m time.Month, day int) Date { return Date{y, m, day} }

// yearEnd is the 2025/2026 year end: Christmas, cuti bersama on Boxing Day, New Year
// and Isra Mikraj. Only the days listed here are holidays in these tests.
func yearEndCalendar(t *testing.T) *Calendar {
	t.Helper()
	hs := []Holiday{
		{Date: d(2026, 1, 16), Name: "Isra Mikraj Nabi Muhammad SAW", Kind: HolidayNational},
		{Date: d(2025, 12, 25), Name: "Kelahiran Yesus Kristus", Kind: HolidayNational},
		{Date: d(2025, 12, 26), Name: "Cuti bersama Natal", Kind: HolidayCutiBersama},
		{Date: d(2026, 1, 1), Name: "Tahun Baru 2026 Masehi", Kind: HolidayNational},
	}
	for _, h := range hs {
		if err := h.Validate(); err != nil {
			t.Fatalf("holiday %v: %v", h, err)
		}
	}
	return NewCalendar(makassar(t), hs)
}

func makassar(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatalf("load zone: %v", err)
	}
	return loc
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	cal := yearEndCalendar(t)
	for _, tc := range []struct {
		d    Date
		want bool
	}{
		{d(2025, 12, 24), true},  // Wednesday
		{d(2025, 12, 25), false}, // Christmas
		{d(2025, 12, 26), false}, // cuti bersama
		{d(2025, 12, 27), false}, // Saturday
		{d(2025, 12, 28), false}, // Sunday
		{d(2025, 12, 29), true},
		{d(2026, 1, 1), false},
		{d(2026, 1, 2), true},
	} {
		if got := cal.IsWorkingDay(tc.d); got != tc.want {
			t.Errorf("IsWorkingDay(%s, %s) = %v, want %v", tc.d, tc.d.Weekday(), got, tc.want)
		}
	}
	if h, ok := cal.Holiday(d(2025, 12, 26)); !ok || h.Kind != HolidayCutiBersama {
		t.Errorf("Holiday(26 Dec) = %+v, %v", h, ok)
	}
	hs := cal.Holidays()
	for i := 1; i < len(hs); i++ {
		if !hs[i-1].Date.Before(hs[i].Date) {
			t.Errorf("Holidays() not in date order: %v before %v", hs[i-1].Date, hs[i].Date)
		}
	}
	// A six-day week (e.g. a unit with Saturday service) is data too.
	six := NewCalendar(nil, nil)
	six.Weekend = []time.Weekday{time.Sunday}
	if !six.IsWorkingDay(d(2025, 12, 27)) || six.IsWorkingDay(d(2025, 12, 28)) || six.Location != time.UTC {
		t.Error("custom weekend not honoured")
	}
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	cal := yearEndCalendar(t)
	plain := NewCalendar(time.UTC, nil)
	for _, tc := range []struct {
		name string
		cal  *Calendar
		from Date
		n    int
		want Date
	}{
		{"zero", cal, d(2025, 12, 24), 0, d(2025, 12, 24)},
		{"negative", cal, d(2025, 12, 24), -3, d(2025, 12, 24)},
		{"over Christmas and cuti bersama", cal, d(2025, 12, 24), 1, d(2025, 12, 29)},
		{"verify limit from Wed 24 Dec", cal, d(2025, 12, 24), 3, d(2025, 12, 31)},
		{"over New Year", cal, d(2025, 12, 31), 1, d(2026, 1, 2)},
		{"follow-up limit from 31 Dec", cal, d(2025, 12, 31), 5, d(2026, 1, 8)},
		{"from a holiday", cal, d(2025, 12, 25), 1, d(2025, 12, 29)},
		{"from Saturday", plain, d(2026, 11, 7), 1, d(2026, 11, 9)},
		{"Friday to Monday", plain, d(2026, 11, 6), 1, d(2026, 11, 9)},
		{"month end", plain, d(2026, 1, 30), 1, d(2026, 2, 2)},
		{"February in a leap year", plain, d(2028, 2, 25), 2, d(2028, 2, 29)},
		{"February in a common year", plain, d(2026, 2, 27), 1, d(2026, 3, 2)},
		{"a full year of weeks", plain, d(2026, 11, 2), 60, d(2027, 1, 25)},
	} {
		if got := tc.cal.AddWorkingDays(tc.from, tc.n); got != tc.want {
			t.Errorf("%s: AddWorkingDays(%s %s, %d) = %s %s, want %s", tc.name, tc.from, tc.from.Weekday(), tc.n, got, got.Weekday(), tc.want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	t.Parallel()
	cal := yearEndCalendar(t)
	for _, tc := range []struct {
		from, to Date
		want     int
	}{
		{d(2025, 12, 24), d(2025, 12, 24), 0},
		{d(2025, 12, 24), d(2025, 12, 31), 3},
		{d(2025, 12, 31), d(2025, 12, 24), -3},
		{d(2025, 12, 24), d(2025, 12, 28), 0}, // holidays then weekend
		{d(2025, 12, 31), d(2026, 1, 8), 5},
		{d(2026, 1, 8), d(2026, 1, 23), 10}, // over Isra Mikraj
		{d(2025, 12, 26), d(2025, 12, 29), 1},
		{d(2026, 1, 30), d(2026, 2, 2), 1}, // month end over a weekend
	} {
		if got := cal.WorkingDaysBetween(tc.from, tc.to); got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	// AddWorkingDays and WorkingDaysBetween agree wherever the start is a working day.
	for day := d(2025, 12, 1); day.Before(d(2026, 2, 1)); day = day.AddDays(1) {
		for n := 0; n <= 12; n++ {
			if got := cal.WorkingDaysBetween(day, cal.AddWorkingDays(day, n)); got != n {
				t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d)) = %d", day, day, n, got)
			}
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	t.Parallel()
	if got := d(2025, 12, 31).AddDays(1); got != d(2026, 1, 1) {
		t.Errorf("31 Dec + 1 = %s", got)
	}
	if got := d(2026, 3, 1).AddDays(-1); got != d(2026, 2, 28) {
		t.Errorf("1 Mar - 1 = %s", got)
	}
	if got := NewDate(2026, 2, 30); got != d(2026, 3, 2) {
		t.Errorf("NewDate(2026, 2, 30) = %s", got)
	}
	if n := d(2025, 12, 24).DaysUntil(d(2026, 2, 22)); n != 60 {
		t.Errorf("DaysUntil = %d, want 60", n)
	}
	if n := d(2026, 2, 22).DaysUntil(d(2025, 12, 24)); n != -60 {
		t.Errorf("DaysUntil backwards = %d, want -60", n)
	}
	if !d(2025, 12, 31).Before(d(2026, 1, 1)) || !d(2026, 2, 1).After(d(2026, 1, 31)) || d(2026, 1, 1).Compare(d(2026, 1, 1)) != 0 {
		t.Error("Compare across month and year")
	}
	if d(2025, 12, 24).Weekday() != time.Wednesday {
		t.Error("24 Dec 2025 is a Wednesday")
	}
}

func TestTodayAndDateOfUseOfficeZone(t *testing.T) {
	t.Parallel()
	cal := yearEndCalendar(t)
	late := time.Date(2025, 12, 30, 23, 30, 0, 0, time.UTC) // 07:30 on 31 Dec in Barru
	if got := cal.Today(late); got != d(2025, 12, 31) {
		t.Errorf("Today(23:30 UTC) in Makassar = %s, want 2025-12-31", got)
	}
	if got := DateOf(late, time.UTC); got != d(2025, 12, 30) {
		t.Errorf("DateOf UTC = %s", got)
	}
	if got := d(2025, 12, 31).Time(cal.Location); !got.Equal(time.Date(2025, 12, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("midnight in Makassar = %v", got.UTC())
	}
}

func TestHolidayValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		h       Holiday
		field   string
		problem string
	}{
		{Holiday{Name: "x", Kind: HolidayNational}, "date", ProblemRequired},
		{Holiday{Date: d(1999, 1, 1), Name: "x", Kind: HolidayNational}, "date", ProblemRange},
		{Holiday{Date: d(2026, 1, 1), Kind: HolidayNational}, "name", ProblemRequired},
		{Holiday{Date: d(2026, 1, 1), Name: "x\x00", Kind: HolidayNational}, "name", ProblemControl},
		{Holiday{Date: d(2026, 1, 1), Name: "x", Kind: "libur"}, "kind", ProblemUnknown},
	} {
		wantFieldError(t, tc.h.Validate(), tc.field, tc.problem)
	}
	if err := (Holiday{Date: d(2026, 8, 17), Name: "Hari Kemerdekaan", Kind: HolidayRegional}).Validate(); err != nil {
		t.Errorf("valid holiday: %v", err)
	}
	if !errors.Is((Holiday{}).Validate(), ErrInvalid) {
		t.Error("empty holiday must be invalid")
	}
}
