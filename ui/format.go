package ui

import (
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk/i18n"
)

// formatInt writes n with the language's digit grouping: 12.345 in Indonesian,
// 12,345 in English.
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := i18n.T("ui.num.group")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatDays writes an average number of days with one decimal, "2,5" or "2.5".
func formatDays(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.Replace(s, ".", i18n.T("ui.num.decimal"), 1)
}
