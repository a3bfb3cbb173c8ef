package letter

import (
	"fmt"
	"strings"
	"time"

	"github.com/lapordesk/lapordesk"
)

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

var romanMonths = [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// MonthID returns the Indonesian name of m ("November"), or "" when m is out of range.
func MonthID(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return monthsID[m-1]
}

// RomanMonth returns m in Roman numerals ("XI"), as letter numbers write it, or ""
// when m is out of range.
func RomanMonth(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return romanMonths[m-1]
}

// FormatDateID writes d the way Indonesian official letters do: "27 November 2026".
// The zero date gives "" so an unknown date prints as an empty field, not as 0 bulan.
func FormatDateID(d lapordesk.Date) string {
	if d.IsZero() || MonthID(d.Month) == "" {
		return ""
	}
	return fmt.Sprintf("%d %s %d", d.Day, MonthID(d.Month), d.Year)
}

// PlaceDateID is the dateline of a letter: "Barru, 27 November 2026". Without a place
// it is the date alone.
func PlaceDateID(place string, d lapordesk.Date) string {
	place = strings.TrimSpace(place)
	if place == "" {
		return FormatDateID(d)
	}
	return place + ", " + FormatDateID(d)
}

// monthKeyID turns a recap month key "2026-11" into "November 2026"; other keys are
// returned unchanged (a recap from a newer hub may use keys this build does not know).
func monthKeyID(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return key
	}
	return MonthID(t.Month()) + " " + fmt.Sprint(t.Year())
}

// monthKeyShort is the bar-chart label of a month key: "Nov 26".
func monthKeyShort(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return key
	}
	return fmt.Sprintf("%.3s %02d", MonthID(t.Month()), t.Year()%100)
}

// FormatNIP writes an 18-digit civil-servant number (NIP) in its customary groups,
// "19750101 200003 1 002": birth date, appointment month, sex, serial. Anything else
// is returned trimmed and unchanged: a contract employee's number has no fixed form.
func FormatNIP(nip string) string {
	s := strings.Join(strings.Fields(nip), "")
	if len(s) != 18 {
		return strings.TrimSpace(nip)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return strings.TrimSpace(nip)
		}
	}
	return s[:8] + " " + s[8:14] + " " + s[14:15] + " " + s[15:]
}
