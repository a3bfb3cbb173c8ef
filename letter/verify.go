package letter

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lapordesk/lapordesk"
)

// codeLen is the length of a verification code without its hyphen: 10 base32
// characters, 50 bits, enough that a guessed code matches no letter of a Pemda.
const codeLen = 10

// contentVersion is written first in every canonical content, so the rules can change
// later without old codes verifying against new content by accident.
const contentVersion = "lapordesk-letter/1"

// VerificationCode derives the short code printed on a letter, "K7Q2M-XH4TA", from the
// letter's number and its canonical content (Letter.Content): the first 10 base32
// characters of SHA-256. The same letter always gets the same code, so a reprint
// carries the code of the first print.
func VerificationCode(number, content string) string {
	c := rawCode(number, content)
	return c[:5] + "-" + c[5:]
}

func rawCode(number, content string) string {
	h := sha256.New()
	// Length prefixes keep "a"+"bc" and "ab"+"c" apart.
	fmt.Fprintf(h, "%s\n%d:%s\n%d:%s", contentVersion, len(number), number, len(content), content)
	return base32.StdEncoding.EncodeToString(h.Sum(nil))[:codeLen]
}

// NormalizeCode reads a code as a person types it from paper: any case, with or
// without the hyphen or spaces, and with the digits 0, 1 and 8 taken for the letters
// O, I and B that base32 uses instead. It returns the 10-character form.
func NormalizeCode(code string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == '0':
			r = 'O'
		case r == '1':
			r = 'I'
		case r == '8':
			r = 'B'
		}
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return "", fmt.Errorf("verification code %q: %q is not a code character: %w", shortName(code), r, lapordesk.ErrInvalid)
		}
		b.WriteRune(r)
	}
	if b.Len() != codeLen {
		return "", fmt.Errorf("verification code %q: want %d characters, got %d: %w", shortName(code), codeLen, b.Len(), lapordesk.ErrInvalid)
	}
	return b.String(), nil
}

// Verify reports whether code, as read off a printed letter, belongs to the letter
// with this number and canonical content. Phase 2 rebuilds the content from the
// stored report (Letter.Content) and so also tells whether the record changed since.
func Verify(code, number, content string) bool {
	c, err := NormalizeCode(code)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c), []byte(rawCode(number, content))) == 1
}

// contentBuilder writes a letter's canonical content: one "key=quoted value" line per
// printed field, in a fixed order, so the same letter always hashes the same.
type contentBuilder struct {
	b     strings.Builder
	pairs [][2]string
}

func (c *contentBuilder) add(key, value string) {
	c.pairs = append(c.pairs, [2]string{key, value})
	c.b.WriteString(key)
	c.b.WriteByte('=')
	quote(&c.b, value)
	c.b.WriteByte('\n')
}

// quote writes s as a Go string literal that strconv.Unquote reads back exactly, but
// escapes only what must be (quotes, backslashes, control and format characters,
// invalid UTF-8): strconv.Quote would also escape every unassigned code point, ten
// characters each, and a letter's recorded content would grow for nothing.
func quote(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&15])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(b, `\U%08x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

func (c *contentBuilder) list(key string, values []string) {
	for i, v := range values {
		c.add(key+"."+strconv.Itoa(i), v)
	}
}

func (c *contentBuilder) String() string { return c.b.String() }

// letterContent starts the content of a letter with what every letter has: its kind,
// report, number, date, training flag and sender.
func letterContent(kind Kind, o Office, number string, date lapordesk.Date, training bool, r *lapordesk.Report) *contentBuilder {
	c := &contentBuilder{}
	c.add("kind", string(kind))
	if r != nil {
		c.add("report", r.ID.String())
		c.add("ref", r.Ref())
	}
	c.add("number", number)
	c.add("date", date.String())
	c.add("training", strconv.FormatBool(training))
	h := o.Letterhead
	c.add("pemda", h.Pemda)
	c.add("unit", h.Unit)
	c.add("address", h.Address)
	c.add("phone", h.Phone)
	c.add("email", h.Email)
	c.add("website", h.Website)
	paper := h.Paper
	if paper == "" {
		paper = PaperA4
	}
	c.add("paper", string(paper))
	c.add("margins", formatMargins(h.Margins.orDefault()))
	c.add("verify_url", o.Settings.VerifyURL)
	return c
}

// finish makes the letter from its content, as every letter is printed (see
// content.go), with the letterhead's logo.
func (c *contentBuilder) finish(o Office) (*Letter, error) {
	content := c.String()
	if n := len([]rune(content)); n > lapordesk.MaxLetterContentLen {
		return nil, &lapordesk.FieldError{Field: "letter", Problem: lapordesk.ProblemTooLong, Limit: lapordesk.MaxLetterContentLen, Length: n}
	}
	return decodeLetter(content, o.Letterhead.Logo)
}

// signer ends the content with who signs.
func (c *contentBuilder) signer(s Signer) {
	c.add("signer.jabatan", s.Jabatan)
	c.add("signer.name", s.Name)
	c.add("signer.pangkat", s.Pangkat)
	c.add("signer.nip", s.NIP)
}
