package letter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// A letter is printed from its canonical content, never from the report or the
// settings directly: the builders resolve every printed field into the content, and
// decodeLetter turns the content back into the letter to lay out. So the content is
// complete by construction, a letter recorded with its content (LetterRecord.Content)
// reprints the same whatever changed since, and the code derived from it covers
// everything printed but the logo image.

// contentFields is a parsed canonical content.
type contentFields struct {
	m map[string]string
}

// parseContent reads the "key=quoted value" lines of a canonical content.
func parseContent(s string) (contentFields, error) {
	f := contentFields{m: map[string]string{}}
	bad := func(line int, why string) error {
		return fmt.Errorf("letter content, line %d: %s: %w", line, why, lapordesk.ErrInvalid)
	}
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		k, q, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return f, bad(i+1, "not key=value")
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			return f, bad(i+1, "value is not quoted text")
		}
		if _, dup := f.m[k]; dup {
			return f, bad(i+1, "key "+strconv.Quote(shortName(k))+" repeated")
		}
		f.m[k] = v
	}
	return f, nil
}

func (f contentFields) get(k string) string { return f.m[k] }

func (f contentFields) has(k string) bool { _, ok := f.m[k]; return ok }

// list reads the values written by contentBuilder.list.
func (f contentFields) list(key string) []string {
	var out []string
	for i := 0; ; i++ {
		v, ok := f.m[key+"."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v)
	}
}

// tuples reads the values written by contentBuilder.tuples.
func (f contentFields) tuples(key string, n int) ([][]string, error) {
	var out [][]string
	for _, v := range f.list(key) {
		var t []string
		if err := json.Unmarshal([]byte(v), &t); err != nil || len(t) != n {
			return nil, fmt.Errorf("letter content: %s: want %d fields: %w", key, n, lapordesk.ErrInvalid)
		}
		out = append(out, t)
	}
	return out, nil
}

// tuples writes rows of text as JSON arrays, one line each, so that no separator
// inside a label can make two rows read the same.
func (c *contentBuilder) tuples(key string, rows [][]string) {
	for i, r := range rows {
		b, _ := json.Marshal(r) // []string always encodes
		c.add(key+"."+strconv.Itoa(i), string(b))
	}
}

func formatMargins(m Margins) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return f(m.Top) + "/" + f(m.Left) + "/" + f(m.Right) + "/" + f(m.Bottom)
}

func parseMargins(s string) (Margins, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 {
		return Margins{}, fmt.Errorf("letter content: margins %q: %w", shortName(s), lapordesk.ErrInvalid)
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return Margins{}, fmt.Errorf("letter content: margins %q: %w", shortName(s), lapordesk.ErrInvalid)
		}
		v[i] = x
	}
	return Margins{Top: v[0], Left: v[1], Right: v[2], Bottom: v[3]}, nil
}

// decodeLetter makes the printable letter of a canonical content; logo is the
// letterhead's emblem, which the content does not hold.
func decodeLetter(content string, logo []byte) (*Letter, error) {
	f, err := parseContent(content)
	if err != nil {
		return nil, err
	}
	kind := Kind(f.get("kind"))
	if !kind.Valid() {
		return nil, fmt.Errorf("letter content: kind %q: %w", shortName(string(kind)), lapordesk.ErrInvalid)
	}
	date, err := lapordesk.ParseDate(f.get("date"))
	if err != nil {
		return nil, fmt.Errorf("letter content: date %q: %w", shortName(f.get("date")), lapordesk.ErrInvalid)
	}
	margins, err := parseMargins(f.get("margins"))
	if err != nil {
		return nil, err
	}
	number := f.get("number")
	l := &Letter{
		Kind: kind, Number: number, Date: date, Training: f.get("training") == "true",
		Code: VerificationCode(number, content), ReportID: f.get("report"), Ref: f.get("ref"),
		content: content,
		office: Office{
			Letterhead: Letterhead{
				Pemda: f.get("pemda"), Unit: f.get("unit"), Address: f.get("address"), Phone: f.get("phone"),
				Email: f.get("email"), Website: f.get("website"), Logo: logo, Paper: Paper(f.get("paper")), Margins: margins,
			},
			Settings: Settings{VerifyURL: f.get("verify_url")},
			Signer:   Signer{Jabatan: f.get("signer.jabatan"), Name: f.get("signer.name"), Pangkat: f.get("signer.pangkat"), NIP: f.get("signer.nip")},
		},
	}
	switch kind {
	case KindTindakLanjut:
		err = decodeFollowUp(f, l)
	case KindDisposisi:
		err = decodeDisposisi(f, l)
	case KindRekap:
		err = decodeRekap(f, l)
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// LetterFromRecord returns the letter a record was printed as, for a reprint: the
// recorded content laid out again with the letterhead's current logo. It fails when
// the record has no content or its content does not give its code (the record was
// altered).
func LetterFromRecord(rec lapordesk.LetterRecord, logo []byte) (*Letter, error) {
	if rec.Content == "" {
		return nil, fmt.Errorf("letter %s: the record holds no content to reprint: %w", rec.Number, lapordesk.ErrInvalid)
	}
	if !Verify(rec.Code, rec.Number, rec.Content) {
		return nil, recordAltered(rec)
	}
	l, err := decodeLetter(rec.Content, logo)
	if err != nil {
		return nil, fmt.Errorf("letter %s: %w", rec.Number, err)
	}
	if string(l.Kind) != rec.Kind || l.Training != rec.Training || l.Date != rec.Date {
		return nil, recordAltered(rec)
	}
	return l, nil
}

// ErrRecordAltered: a letter record's content does not match its verification code,
// so the record was changed after the letter was printed.
var ErrRecordAltered = fmt.Errorf("the letter's record does not match its verification code: %w", lapordesk.ErrInvalid)

func recordAltered(rec lapordesk.LetterRecord) error {
	return fmt.Errorf("%w: %w", &lapordesk.FieldError{Field: "letter", Problem: ProblemAltered, Value: rec.Number}, ErrRecordAltered)
}
