package letter

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lapordesk/lapordesk"
)

// Problem codes of a PlaceholderError: stable identifiers a user interface translates.
const (
	ProblemUnknownPlaceholder = "unknown_placeholder" // {name} is not one of the known names
	ProblemUnclosedBrace      = "unclosed_brace"      // "{" without its "}"
	ProblemUnopenedBrace      = "unopened_brace"      // "}" without its "{"
	ProblemEmptyPlaceholder   = "empty_placeholder"   // "{}"
	ProblemBadFormat          = "bad_format"          // {nomor:x} and the like
	ProblemMissingPlaceholder = "missing_placeholder" // a required placeholder is absent
	ProblemBadText            = "bad_text"            // invalid UTF-8, control characters, too long
)

// PlaceholderError says what is wrong in a letter-number pattern or a body template,
// and where, so the settings form can show it before anything is printed. It wraps
// lapordesk.ErrInvalid.
type PlaceholderError struct {
	Source  string // "pattern" or "template"
	Problem string // one of the Problem* codes above
	Name    string // the placeholder concerned, without braces
	Format  string // its format, as in {nomor:03}, when that is what is wrong
	Line    int    // 1-based; 0 when not about a position
	Column  int    // 1-based, in characters
	Known   []string
	Detail  string
}

func (e *PlaceholderError) Error() string {
	at := ""
	if e.Line > 0 {
		at = fmt.Sprintf(" at line %d, column %d", e.Line, e.Column)
	}
	switch e.Problem {
	case ProblemUnknownPlaceholder:
		return fmt.Sprintf("%s: unknown placeholder {%s}%s (known: %s)", e.Source, e.Name, at, braceList(e.Known))
	case ProblemUnclosedBrace:
		return fmt.Sprintf("%s: \"{\"%s is not closed by \"}\" (write \"{{\" for a literal brace)", e.Source, at)
	case ProblemUnopenedBrace:
		return fmt.Sprintf("%s: \"}\"%s has no opening \"{\" (write \"}}\" for a literal brace)", e.Source, at)
	case ProblemEmptyPlaceholder:
		return fmt.Sprintf("%s: empty placeholder {}%s", e.Source, at)
	case ProblemBadFormat:
		return fmt.Sprintf("%s: placeholder {%s}%s: %s", e.Source, e.Name, at, e.Detail)
	case ProblemMissingPlaceholder:
		return fmt.Sprintf("%s: placeholder {%s} is required", e.Source, e.Name)
	}
	return fmt.Sprintf("%s: %s%s", e.Source, e.Detail, at)
}

func (e *PlaceholderError) Unwrap() error { return lapordesk.ErrInvalid }

// placeholderField reports a pattern or template error as the FieldError of a
// settings field, its Problem the PlaceholderError's code (translated as
// "error.<code>" like every FieldError) and its Value the placeholder named, or
// where the stray brace is, or what else is wrong.
func placeholderField(field string, err error) *lapordesk.FieldError {
	var pe *PlaceholderError
	if !errors.As(err, &pe) {
		return &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemFormat, Value: shortName(err.Error())}
	}
	fe := &lapordesk.FieldError{Field: field, Problem: pe.Problem}
	switch {
	case pe.Problem == ProblemBadFormat && pe.Format != "":
		fe.Value = "{" + pe.Name + ":" + pe.Format + "}"
	case pe.Name != "":
		fe.Value = "{" + pe.Name + "}"
	case pe.Line > 0:
		fe.Value = fmt.Sprintf("%d:%d", pe.Line, pe.Column)
	default:
		fe.Value = pe.Detail
	}
	return fe
}

func braceList(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	for i := range s {
		s[i] = "{" + s[i] + "}"
	}
	return strings.Join(s, ", ")
}

// segment is a literal run of text or a placeholder {name} / {name:format}.
type segment struct {
	lit    string
	name   string
	format string
	isVar  bool
	line   int
	col    int
}

// maxSourceLen bounds a pattern or template, in bytes: a letter body template of 64 KiB
// is already ten pages.
const maxSourceLen = 64 << 10

// scanPlaceholders splits src into literal text and placeholders. "{{" and "}}" stand
// for literal braces. Names are checked against known; a format (after ":") is allowed
// only for names in formats.
func scanPlaceholders(source, src string, known []string, formats map[string]bool) ([]segment, error) {
	if !utf8.ValidString(src) {
		return nil, &PlaceholderError{Source: source, Problem: ProblemBadText, Detail: "not valid UTF-8 text"}
	}
	if len(src) > maxSourceLen {
		return nil, &PlaceholderError{Source: source, Problem: ProblemBadText, Detail: fmt.Sprintf("too long (%d bytes, at most %d)", len(src), maxSourceLen)}
	}
	isKnown := make(map[string]bool, len(known))
	for _, k := range known {
		isKnown[k] = true
	}
	var segs []segment
	var lit strings.Builder
	line, col := 1, 0
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, segment{lit: lit.String()})
			lit.Reset()
		}
	}
	rs := []rune(src)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		col++
		switch r {
		case '\n':
			lit.WriteRune(r)
			line, col = line+1, 0
			continue
		case '}':
			if i+1 < len(rs) && rs[i+1] == '}' {
				lit.WriteRune('}')
				i++
				col++
				continue
			}
			return nil, &PlaceholderError{Source: source, Problem: ProblemUnopenedBrace, Line: line, Column: col}
		case '{':
			if i+1 < len(rs) && rs[i+1] == '{' {
				lit.WriteRune('{')
				i++
				col++
				continue
			}
			end := -1
			for j := i + 1; j < len(rs) && rs[j] != '\n'; j++ {
				if rs[j] == '}' {
					end = j
					break
				}
				if rs[j] == '{' {
					break
				}
			}
			if end < 0 {
				return nil, &PlaceholderError{Source: source, Problem: ProblemUnclosedBrace, Line: line, Column: col}
			}
			body := strings.TrimSpace(string(rs[i+1 : end]))
			name, format, hasFormat := strings.Cut(body, ":")
			name = strings.TrimSpace(name)
			seg := segment{isVar: true, name: name, format: strings.TrimSpace(format), line: line, col: col}
			switch {
			case name == "":
				return nil, &PlaceholderError{Source: source, Problem: ProblemEmptyPlaceholder, Line: line, Column: col}
			case !isKnown[name]:
				return nil, &PlaceholderError{Source: source, Problem: ProblemUnknownPlaceholder, Name: shortName(name), Line: line, Column: col, Known: known}
			case hasFormat && !formats[name]:
				return nil, &PlaceholderError{Source: source, Problem: ProblemBadFormat, Name: name, Format: seg.format, Line: line, Column: col, Detail: "takes no format"}
			}
			flush()
			segs = append(segs, seg)
			col += end - i
			i = end
			continue
		}
		lit.WriteRune(r)
	}
	flush()
	return segs, nil
}

// shortName keeps an error message readable when someone pastes a paragraph between braces.
func shortName(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
