package letter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/lapordesk/lapordesk"
)

// Placeholders of a letter-number pattern.
const (
	NumKode        = "kode"         // archive classification code, e.g. 000.1.4 (Permendagri 83/2022)
	NumNomor       = "nomor"        // running number; {nomor:03} pads to three digits
	NumUnit        = "unit"         // the unit's code in letter numbers, e.g. DISKOMINFO
	NumBulanRomawi = "bulan_romawi" // month in Roman numerals, e.g. XI
	NumBulan       = "bulan"        // month as two digits, e.g. 11
	NumTahun       = "tahun"        // four-digit year
)

var numberPlaceholders = []string{NumKode, NumNomor, NumUnit, NumBulanRomawi, NumBulan, NumTahun}

// NumberPlaceholders lists the placeholders a number pattern may use, for the
// settings form's help.
func NumberPlaceholders() []string { return append([]string(nil), numberPlaceholders...) }

// DefaultNumberPattern is the common Pemda form: 000.1.4/045/DISKOMINFO/XI/2026.
const DefaultNumberPattern = "{kode}/{nomor:03}/{unit}/{bulan_romawi}/{tahun}"

// DefaultNumberPatternNoCode is the default until the unit sets its classification
// code: 045/DISKOMINFO/XI/2026.
const DefaultNumberPatternNoCode = "{nomor:03}/{unit}/{bulan_romawi}/{tahun}"

// NumberPattern formats letter numbers from a configurable pattern such as
// DefaultNumberPattern. The running number itself is allocated by the store (per
// unit and year, gap-free); the pattern only writes it.
type NumberPattern struct {
	src  string
	code string
	segs []segment
}

// ParseNumberPattern checks pattern and binds it to the classification code that
// fills {kode}. The pattern must contain {nomor}, or two letters would share a
// number; an unknown placeholder is an error that names it.
func ParseNumberPattern(pattern, classificationCode string) (*NumberPattern, error) {
	if strings.TrimSpace(pattern) == "" {
		return nil, &PlaceholderError{Source: "pattern", Problem: ProblemMissingPlaceholder, Name: NumNomor}
	}
	if strings.ContainsAny(pattern, "\r\n") || strings.IndexFunc(pattern, unicode.IsControl) >= 0 {
		return nil, &PlaceholderError{Source: "pattern", Problem: ProblemBadText, Detail: "a letter number is one line without control characters"}
	}
	if n := len([]rune(pattern)); n > 100 {
		return nil, &PlaceholderError{Source: "pattern", Problem: ProblemBadText, Detail: fmt.Sprintf("too long (%d characters, at most 100)", n)}
	}
	segs, err := scanPlaceholders("pattern", pattern, numberPlaceholders, map[string]bool{NumNomor: true})
	if err != nil {
		return nil, err
	}
	p := &NumberPattern{src: pattern, segs: segs}
	hasNomor := false
	for _, s := range segs {
		if !s.isVar {
			continue
		}
		switch s.name {
		case NumNomor:
			hasNomor = true
			if s.format != "" {
				if _, err := nomorWidth(s.format); err != nil {
					return nil, &PlaceholderError{Source: "pattern", Problem: ProblemBadFormat, Name: NumNomor, Format: s.format, Line: s.line, Column: s.col, Detail: err.Error()}
				}
			}
		case NumKode:
			if err := checkCode(classificationCode); err != nil {
				return nil, err
			}
		}
	}
	if !hasNomor {
		return nil, &PlaceholderError{Source: "pattern", Problem: ProblemMissingPlaceholder, Name: NumNomor}
	}
	p.code = strings.TrimSpace(classificationCode)
	return p, nil
}

// nomorWidth reads the zero-padding format of {nomor:03}: a 0 and a width of 1 to 9.
func nomorWidth(format string) (int, error) {
	if len(format) < 2 || format[0] != '0' {
		return 0, fmt.Errorf("format %q: want a zero and a width, like :03", format)
	}
	w, err := strconv.Atoi(format[1:])
	if err != nil || w < 1 || w > 9 {
		return 0, fmt.Errorf("format %q: width must be 1 to 9, like :03", format)
	}
	return w, nil
}

// checkCode accepts a classification code of digits and dots (Permendagri 83/2022 codes
// such as 000.1.4 or 400.14.1); letters are let through for local variants, but not
// the separators, spaces and braces that would make a number ambiguous.
func checkCode(code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return &PlaceholderError{Source: "pattern", Problem: ProblemBadFormat, Name: NumKode, Detail: "the classification code is empty"}
	}
	if len(code) > 40 {
		return &PlaceholderError{Source: "pattern", Problem: ProblemBadFormat, Name: NumKode, Detail: "the classification code is longer than 40 characters"}
	}
	for _, r := range code {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return &PlaceholderError{Source: "pattern", Problem: ProblemBadFormat, Name: NumKode, Detail: fmt.Sprintf("classification code %q may hold only digits, letters, dots and hyphens", code)}
		}
	}
	return nil
}

// String returns the pattern as given.
func (p *NumberPattern) String() string { return p.src }

// Code returns the classification code bound to the pattern.
func (p *NumberPattern) Code() string { return p.code }

// Format writes the letter number for running number seq, issued on date, by the unit
// with code unit: Format(45, 2026-11-27, "DISKOMINFO") = "000.1.4/045/DISKOMINFO/XI/2026".
func (p *NumberPattern) Format(seq int, date lapordesk.Date, unit string) (string, error) {
	if seq < 1 {
		return "", fmt.Errorf("letter number: running number %d: must be 1 or more: %w", seq, lapordesk.ErrInvalid)
	}
	if date.IsZero() || date.Month < 1 || date.Month > 12 || date.Year < 1 || date.Year > 9999 {
		return "", fmt.Errorf("letter number: date %q is not a valid date: %w", date.String(), lapordesk.ErrInvalid)
	}
	unit = strings.TrimSpace(unit)
	var b strings.Builder
	for _, s := range p.segs {
		if !s.isVar {
			b.WriteString(s.lit)
			continue
		}
		switch s.name {
		case NumKode:
			b.WriteString(p.code)
		case NumNomor:
			w := 0
			if s.format != "" {
				w, _ = nomorWidth(s.format) // checked by ParseNumberPattern
			}
			fmt.Fprintf(&b, "%0*d", w, seq)
		case NumUnit:
			if unit == "" || strings.ContainsAny(unit, "/{}") || strings.IndexFunc(unit, unicode.IsSpace) >= 0 || strings.IndexFunc(unit, unicode.IsControl) >= 0 {
				return "", fmt.Errorf("letter number: unit code %q: must be one word without \"/\": %w", shortName(unit), lapordesk.ErrInvalid)
			}
			b.WriteString(unit)
		case NumBulanRomawi:
			b.WriteString(RomanMonth(date.Month))
		case NumBulan:
			fmt.Fprintf(&b, "%02d", int(date.Month))
		case NumTahun:
			fmt.Fprintf(&b, "%04d", date.Year)
		}
	}
	return b.String(), nil
}
