package lapordesk

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Date is a civil date with no time of day and no zone, as deadlines are counted in
// whole working days. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// NewDate returns the normalised date y-m-d (overflowing days roll over as time.Date does).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// ParseDate parses the ISO form 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD: %w", s, ErrInvalid)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns the ISO form, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) noon() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays returns d plus n calendar days.
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// DaysUntil returns the number of calendar days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.noon().Sub(d.noon()).Hours() / 24)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalJSON writes the ISO form, or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads the ISO form or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: %w", ErrInvalid)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// HolidayKind tells a national holiday from a collective leave day.
type HolidayKind string

const (
	HolidayNational    HolidayKind = "libur_nasional"
	HolidayCutiBersama HolidayKind = "cuti_bersama"
	HolidayRegional    HolidayKind = "libur_daerah"
)

// Valid reports whether k is a known kind.
func (k HolidayKind) Valid() bool {
	return k == HolidayNational || k == HolidayCutiBersama || k == HolidayRegional
}

// Holiday is one non-working day besides the weekend.
type Holiday struct {
	Date Date        `json:"date"`
	Name string      `json:"name"`
	Kind HolidayKind `json:"kind"`
}

// Validate checks a holiday before it is stored.
func (h Holiday) Validate() error {
	var errs ValidationErrors
	if h.Date.IsZero() {
		errs = append(errs, &FieldError{Field: "date", Problem: ProblemRequired})
	} else if h.Date.Year < 2000 || h.Date.Year > 2200 {
		errs = append(errs, &FieldError{Field: "date", Problem: ProblemRange, Value: h.Date.String()})
	}
	if e := checkText("name", h.Name, true, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	if !h.Kind.Valid() {
		errs = append(errs, &FieldError{Field: "kind", Problem: ProblemUnknown, Value: string(h.Kind)})
	}
	return errs.err()
}

// Calendar decides which days are working days: every day except the weekend days and
// the listed holidays (national holidays and cuti bersama, fixed each year by the SKB
// of three ministers, so they are data, not code). Location is the office's zone: an
// event's working day is its date there.
type Calendar struct {
	Location *time.Location
	Weekend  []time.Weekday
	holidays map[Date]Holiday
}

// NewCalendar returns a calendar with Saturday and Sunday as the weekend.
func NewCalendar(loc *time.Location, holidays []Holiday) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{Location: loc, Weekend: []time.Weekday{time.Saturday, time.Sunday}, holidays: make(map[Date]Holiday, len(holidays))}
	for _, h := range holidays {
		c.holidays[h.Date] = h
	}
	return c
}

// Holidays returns the holidays in date order.
func (c *Calendar) Holidays() []Holiday {
	out := make([]Holiday, 0, len(c.holidays))
	for _, h := range c.holidays {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// Holiday returns the holiday on d, if any.
func (c *Calendar) Holiday(d Date) (Holiday, bool) {
	h, ok := c.holidays[d]
	return h, ok
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d Date) bool {
	wd := d.Weekday()
	for _, w := range c.Weekend {
		if w == wd {
			return false
		}
	}
	_, hol := c.holidays[d]
	return !hol
}

// AddWorkingDays returns the date n working days after d (d itself is not counted).
// With n <= 0 it returns d unchanged.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	// A calendar with no working day at all (every weekday a weekend or holiday)
	// must not hang a deadline: give up after ten years of days.
	for guard := 0; n > 0 && guard < 3660; guard++ {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days in (from, to]. When to is before from the
// count is negative: minus the working days in (to, from].
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkingDaysBetween(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// Today returns the civil date of now in the calendar's zone.
func (c *Calendar) Today(now time.Time) Date { return DateOf(now, c.Location) }

// ValidateWeekend checks a list of weekly days off: at most three, each a day of
// the week. The desk's own setting and a hub's reference data pass the same check.
func ValidateWeekend(days []time.Weekday) error {
	if len(days) > 3 {
		return &FieldError{Field: "weekend", Problem: ProblemTooLong, Limit: 3, Length: len(days)}
	}
	for _, d := range days {
		if d < time.Sunday || d > time.Saturday {
			return &FieldError{Field: "weekend", Problem: ProblemRange, Value: fmt.Sprint(int(d))}
		}
	}
	return nil
}
