package exchange

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lapordesk/lapordesk"
)

// Order is how a column writes numeric dates such as 03/04/2026.
type Order int

const (
	// DayFirst: 27/11/2026, the Indonesian way and the default.
	DayFirst Order = iota
	// MonthFirst: 11/27/2026, as US-locale spreadsheets write it.
	MonthFirst
	// Mixed: the column holds dates that only read day-first and dates that only
	// read month-first, so a date such as 03/04/2026 cannot be read either way.
	Mixed
)

// Problem codes of dates.
const (
	ProblemNotDate    = "not_date"        // not a date in any known form
	ProblemImpossible = "date_impossible" // 31/02/2026, month 13, year 1890
	ProblemAmbiguous  = "date_ambiguous"  // 03/04/2026 in a column of mixed order
)

// Years outside this range are refused: LAPOR! dates none before independence, and a
// year beyond 2100 is a typing slip, not a plan.
const (
	minYear = 1945
	maxYear = 2100
)

// DateError says why a text is not a usable date. It wraps lapordesk.ErrInvalid.
type DateError struct {
	Problem string
	Value   string
}

func (e *DateError) Error() string {
	switch e.Problem {
	case ProblemImpossible:
		return fmt.Sprintf("impossible date %q", e.Value)
	case ProblemAmbiguous:
		return fmt.Sprintf("ambiguous date %q: day and month could be either way round", e.Value)
	}
	return fmt.Sprintf("not a date: %q", e.Value)
}

func (e *DateError) Unwrap() error { return lapordesk.ErrInvalid }

// Moment is a date read from a cell, with the time of day when the cell had one.
type Moment struct {
	Date    lapordesk.Date
	Clock   time.Duration // since midnight, when HasTime
	HasTime bool
	// Offset is set when the text named its zone (2026-11-27T06:05:00Z); the date
	// and clock are then in that zone.
	Offset *time.Location
}

// In returns the moment as a time in loc (the office's zone) unless the text named
// its own zone. A date without a time of day is noon, away from any zone's midnight.
func (m Moment) In(loc *time.Location) time.Time {
	if m.Offset != nil {
		loc = m.Offset
	}
	clock := m.Clock
	if !m.HasTime {
		clock = 12 * time.Hour
	}
	return m.Date.Time(loc).Add(clock)
}

var monthNames = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1,
	"februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
	"maret": 3, "march": 3, "mar": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12,
}

var weekdayNames = map[string]bool{
	"senin": true, "selasa": true, "rabu": true, "kamis": true, "jumat": true, "jum'at": true, "sabtu": true, "minggu": true, "ahad": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"sen": true, "sel": true, "rab": true, "kam": true, "jum": true, "sab": true, "min": true,
}

// ParseMoment reads a date, with an optional time of day, in the forms Indonesian
// offices use: 27/11/2026, 27-11-2026, 27.11.2026, 2026-11-27, 27 November 2026,
// 27 Nov 2026, Jumat, 27 November 2026, 27-Nov-26, November 27, 2026, Excel serial
// numbers (46353, 46353.5), each optionally followed by 14:05, 14.05 or 14:05:09;
// and RFC 3339. Month names are Indonesian or English. order settles numeric dates
// whose first two parts could be day or month.
func ParseMoment(s string, order Order) (Moment, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: s}
	}
	if len(text) > 64 {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: shorten(text)}
	}
	if m, ok, err := parseSerial(text); ok {
		return m, err
	}
	if t, err := time.Parse(time.RFC3339Nano, text); err == nil {
		_, off := t.Zone()
		m := Moment{Date: lapordesk.DateOf(t, t.Location()), HasTime: true, Offset: time.FixedZone("", off)}
		m.Clock = t.Sub(m.Date.Time(t.Location()))
		if err := checkYear(m.Date, text); err != nil {
			return Moment{}, err
		}
		return m, nil
	}
	text, meridiem := cutMeridiem(text)
	datePart, clockPart := splitClock(text)
	if meridiem != "" && clockPart == "" {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: s}
	}
	var m Moment
	var err error
	if hasLetter(datePart) {
		m, err = parseNamed(datePart, text)
	} else {
		m, err = parseNumeric(datePart, text, order)
	}
	if err != nil {
		return Moment{}, err
	}
	if clockPart != "" {
		c, ok := parseClock(clockPart)
		if ok && meridiem != "" {
			// 12-hour clock: 12:30 AM is half past midnight, 12:30 PM half past noon.
			h := c / time.Hour
			switch {
			case h < 1 || h > 12:
				ok = false
			case meridiem == "AM" && h == 12:
				c -= 12 * time.Hour
			case meridiem == "PM" && h != 12:
				c += 12 * time.Hour
			}
		}
		if !ok {
			return Moment{}, &DateError{Problem: ProblemNotDate, Value: text}
		}
		m.Clock, m.HasTime = c, true
	}
	return m, nil
}

// ParseDate reads a date as ParseMoment does and drops any time of day.
func ParseDate(s string, order Order) (lapordesk.Date, error) {
	m, err := ParseMoment(s, order)
	return m.Date, err
}

// serialRange is the span of Excel serial numbers this program reads as dates.
var serialRange = [2]float64{excelSerial(lapordesk.NewDate(minYear, 1, 1)), excelSerial(lapordesk.NewDate(maxYear, 12, 31)) + 1}

// excelEpoch is day 0 of Excel's 1900 date system for serials after February 1900
// (Excel counts a 29 February 1900 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func excelSerial(d lapordesk.Date) float64 {
	return math.Round(d.Time(time.UTC).Sub(excelEpoch).Hours() / 24)
}

// parseSerial reads an Excel serial date. ok is false when s is not a number at all.
func parseSerial(s string) (Moment, bool, error) {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return Moment{}, false, nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Moment{}, false, nil
	}
	if strings.Count(s, ".") == 1 && !strings.HasPrefix(s, ".") {
		// 27.11.2026 has two dots; one dot is a serial with a time of day, but
		// 27.11 alone is not a date at all.
		if intPart, _, _ := strings.Cut(s, "."); len(intPart) <= 2 {
			return Moment{}, true, &DateError{Problem: ProblemNotDate, Value: s}
		}
	}
	if v < serialRange[0] || v >= serialRange[1] {
		return Moment{}, true, &DateError{Problem: ProblemNotDate, Value: s}
	}
	days := math.Floor(v)
	// Excel keeps times as binary fractions of a day: round to the second.
	secs := math.Round((v - days) * 86400)
	if secs >= 86400 {
		days++
		secs = 0
	}
	t := excelEpoch.AddDate(0, 0, int(days))
	m := Moment{Date: lapordesk.DateOf(t, time.UTC)}
	if secs > 0 || strings.Contains(s, ".") {
		m.Clock, m.HasTime = time.Duration(secs)*time.Second, true
	}
	return m, true, nil
}

// cutMeridiem removes a trailing AM or PM (US-locale times) and returns it.
func cutMeridiem(s string) (string, string) {
	if i := strings.LastIndex(s, " "); i > 0 {
		switch m := strings.ToUpper(strings.TrimSpace(s[i+1:])); m {
		case "AM", "PM":
			return strings.TrimSpace(s[:i]), m
		}
	}
	return s, ""
}

// splitClock separates a trailing time of day ("14:05", "14.05.09") from the date.
func splitClock(s string) (date, clock string) {
	if i := strings.IndexAny(s, "Tt"); i == 10 && len(s) > 11 && isDigit(s[11]) {
		return s[:10], s[11:] // 2026-11-27T14:05 without a zone
	}
	i := strings.LastIndex(s, " ")
	if i < 0 {
		return s, ""
	}
	last := strings.TrimSpace(s[i+1:])
	if looksLikeClock(last) {
		date := strings.TrimSpace(s[:i])
		date = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(date, "pukul")), ",")
		date = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(date, "jam")), ",")
		return strings.TrimSpace(date), last
	}
	return s, ""
}

func looksLikeClock(s string) bool {
	if len(s) < 4 || !isDigit(s[0]) {
		return false
	}
	return strings.ContainsAny(s, ":") || (strings.Count(s, ".") >= 1 && len(s) <= 8 && !strings.ContainsAny(s, "/-"))
}

// parseClock reads hh:mm[:ss[.fff]] or hh.mm[.ss] (the Indonesian way).
func parseClock(s string) (time.Duration, bool) {
	sep := ":"
	if !strings.Contains(s, ":") {
		sep = "."
	}
	parts := strings.Split(s, sep)
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, okH := atoiN(parts[0], 1, 2)
	mi, okM := atoiN(parts[1], 2, 2)
	sec := 0.0
	okS := true
	if len(parts) == 3 {
		p := parts[2]
		if len(p) < 2 || !isDigit(p[0]) || !isDigit(p[1]) {
			return 0, false
		}
		var err error
		sec, err = strconv.ParseFloat(p, 64)
		okS = err == nil && sec < 60 && !strings.ContainsAny(p, "eE+-")
	}
	if !okH || !okM || !okS || h > 23 || mi > 59 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(math.Round(sec*1e6))*time.Microsecond, true
}

// parseNumeric reads d/m/y, m/d/y (by order) and y-m-d with '/', '-' or '.'.
func parseNumeric(s, orig string, order Order) (Moment, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || strings.Count(s, "/")+strings.Count(s, "-")+strings.Count(s, ".") != 2 {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
	}
	for _, p := range parts {
		if len(p) == 0 || len(p) > 4 || !allDigits(p) {
			return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
		}
	}
	a, _ := strconv.Atoi(parts[0])
	b, _ := strconv.Atoi(parts[1])
	c, _ := strconv.Atoi(parts[2])
	if len(parts[0]) == 4 {
		if len(parts[2]) > 2 {
			return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
		}
		return makeDate(a, b, c, orig)
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) == 1 || len(parts[2]) == 3 {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
	}
	year := fullYear(c, len(parts[2]))
	switch order {
	case MonthFirst:
		return makeDate(year, a, b, orig)
	case Mixed:
		if a <= 12 && b <= 12 && a != b {
			return Moment{}, &DateError{Problem: ProblemAmbiguous, Value: orig}
		}
		if a > 12 {
			return makeDate(year, b, a, orig)
		}
		return makeDate(year, a, b, orig)
	}
	return makeDate(year, b, a, orig)
}

// parseNamed reads dates with a month name: 27 November 2026, 27-Nov-26,
// Jumat, 27 Nov 2026, November 27, 2026.
func parseNamed(s, orig string) (Moment, error) {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '/' || r == ',' || r == '\t'
	})
	if len(fields) == 4 && weekdayNames[strings.TrimSuffix(fields[0], ".")] {
		fields = fields[1:]
	}
	if len(fields) != 3 {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
	}
	var day, year string
	var month time.Month
	if m, ok := monthNames[strings.TrimSuffix(fields[1], ".")]; ok {
		day, month, year = fields[0], m, fields[2]
	} else if m, ok := monthNames[strings.TrimSuffix(fields[0], ".")]; ok {
		day, month, year = fields[1], m, fields[2]
	} else {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
	}
	d, okD := atoiN(day, 1, 2)
	if !okD || !allDigits(year) || (len(year) != 2 && len(year) != 4) {
		return Moment{}, &DateError{Problem: ProblemNotDate, Value: orig}
	}
	y, _ := strconv.Atoi(year)
	return makeDate(fullYear(y, len(year)), int(month), d, orig)
}

// fullYear reads a two-digit year as this century's: reports are about now.
func fullYear(y, digits int) int {
	if digits == 2 {
		return 2000 + y
	}
	return y
}

func makeDate(y, m, d int, orig string) (Moment, error) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return Moment{}, &DateError{Problem: ProblemImpossible, Value: orig}
	}
	date := lapordesk.NewDate(y, time.Month(m), d)
	if date.Day != d { // 31/02 rolled over into March
		return Moment{}, &DateError{Problem: ProblemImpossible, Value: orig}
	}
	if err := checkYear(date, orig); err != nil {
		return Moment{}, err
	}
	return Moment{Date: date}, nil
}

func checkYear(d lapordesk.Date, orig string) error {
	if d.Year < minYear || d.Year > maxYear {
		return &DateError{Problem: ProblemImpossible, Value: orig}
	}
	return nil
}

// DetectOrder looks at every numeric date of a column and tells how it orders day
// and month: month-first only when some date can only be read that way and none can
// only be read day-first; Mixed when both kinds occur.
func DetectOrder(values []string) Order {
	dayOnly, monthOnly := false, false
	for _, v := range values {
		a, b, ok := firstTwo(v)
		if !ok {
			continue
		}
		if a > 12 && b <= 12 {
			dayOnly = true
		}
		if b > 12 && a <= 12 {
			monthOnly = true
		}
	}
	switch {
	case dayOnly && monthOnly:
		return Mixed
	case monthOnly:
		return MonthFirst
	}
	return DayFirst
}

// firstTwo returns the first two numbers of a d/m/y or m/d/y date.
func firstTwo(v string) (int, int, bool) {
	text, _ := cutMeridiem(strings.TrimSpace(v))
	date, _ := splitClock(text)
	if hasLetter(date) {
		return 0, 0, false
	}
	parts := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, 0, false
	}
	a, okA := atoiN(parts[0], 1, 2)
	b, okB := atoiN(parts[1], 1, 2)
	return a, b, okA && okB
}

func atoiN(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func hasLetter(s string) bool {
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return true
		}
	}
	return false
}

func shorten(s string) string {
	r := []rune(s)
	if len(r) <= 40 {
		return s
	}
	return string(r[:40]) + "…"
}
