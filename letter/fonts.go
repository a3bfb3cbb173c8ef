package letter

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lapordesk/lapordesk/assets"
)

// Font families and styles registered in every document.
const (
	family = "serif"
	// missingGlyph stands in for a character the font cannot draw (CJK, emoji, ...):
	// visible on paper, so nobody reads a silently shortened name as complete.
	missingGlyph = '□'
)

// fontSet holds the embedded letter fonts and the characters all of them can draw.
type fontSet struct {
	regular, bold, italic []byte
	cover                 *coverage
}

func loadFonts() (*fontSet, error) {
	var fs fontSet
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{assets.FontSerifRegular, &fs.regular}, {assets.FontSerifBold, &fs.bold}, {assets.FontSerifItalic, &fs.italic}} {
		b, err := assets.Font(f.name)
		if err != nil {
			return nil, fmt.Errorf("letter fonts: %w", err)
		}
		c, err := parseCoverage(b)
		if err != nil {
			return nil, fmt.Errorf("letter fonts: %s: %w", f.name, err)
		}
		*f.dst = b
		if fs.cover == nil {
			fs.cover = c
		} else {
			fs.cover.intersect(c)
		}
	}
	if !fs.cover.has(missingGlyph) {
		return nil, fmt.Errorf("letter fonts: no glyph for the missing-character mark %q", missingGlyph)
	}
	return &fs, nil
}

// coverage is the set of Basic Multilingual Plane characters a font has glyphs for.
// gofpdf writes only BMP characters, so anything above is "missing" by definition.
type coverage struct{ bits [0x10000 / 64]uint64 }

func (c *coverage) set(r rune) { c.bits[r>>6] |= 1 << (uint(r) & 63) }

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c.bits[r>>6]&(1<<(uint(r)&63)) != 0
}

func (c *coverage) intersect(o *coverage) {
	for i := range c.bits {
		c.bits[i] &= o.bits[i]
	}
}

// parseCoverage reads the cmap table of a TrueType font (format 4 or 12, Unicode) and
// records every character that maps to a real glyph.
func parseCoverage(font []byte) (*coverage, error) {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(font) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(font[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(font) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(font[off:])), true
	}
	bad := fmt.Errorf("malformed TrueType cmap")
	n, ok := u16(4)
	if !ok {
		return nil, bad
	}
	cmap := -1
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil, bad
		}
		if string(font[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, fmt.Errorf("no cmap table")
	}
	nsub, ok := u16(cmap + 2)
	if !ok {
		return nil, bad
	}
	best, bestFmt := -1, 0
	for i := 0; i < nsub; i++ {
		rec := cmap + 4 + 8*i
		plat, ok1 := u16(rec)
		enc, ok2 := u16(rec + 2)
		off, ok3 := u32(rec + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, bad
		}
		unicodeSub := plat == 0 || plat == 3 && (enc == 1 || enc == 10)
		if !unicodeSub {
			continue
		}
		f, ok := u16(cmap + off)
		if !ok {
			return nil, bad
		}
		if (f == 4 || f == 12) && f > bestFmt {
			best, bestFmt = cmap+off, f
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("no Unicode cmap of format 4 or 12")
	}
	c := &coverage{}
	switch bestFmt {
	case 12:
		groups, ok := u32(best + 12)
		if !ok || groups > len(font)/12 {
			return nil, bad
		}
		for g := 0; g < groups; g++ {
			start, ok1 := u32(best + 16 + 12*g)
			end, ok2 := u32(best + 20 + 12*g)
			glyph, ok3 := u32(best + 24 + 12*g)
			if !ok1 || !ok2 || !ok3 {
				return nil, bad
			}
			for r := start; r <= end && r < 0x10000; r++ {
				if glyph+(r-start) != 0 {
					c.set(rune(r))
				}
			}
		}
	case 4:
		segX2, ok := u16(best + 6)
		if !ok {
			return nil, bad
		}
		ends, starts := best+14, best+16+segX2
		deltas, ranges := starts+segX2, starts+2*segX2
		for s := 0; s < segX2/2; s++ {
			end, ok1 := u16(ends + 2*s)
			start, ok2 := u16(starts + 2*s)
			delta, ok3 := u16(deltas + 2*s)
			ro, ok4 := u16(ranges + 2*s)
			if !ok1 || !ok2 || !ok3 || !ok4 {
				return nil, bad
			}
			for r := start; r <= end && r < 0xFFFF; r++ {
				glyph := 0
				if ro == 0 {
					glyph = (r + delta) & 0xFFFF
				} else {
					g, ok := u16(ranges + 2*s + ro + 2*(r-start))
					if !ok {
						return nil, bad
					}
					if g != 0 {
						glyph = (g + delta) & 0xFFFF
					}
				}
				if glyph != 0 {
					c.set(rune(r))
				}
			}
		}
	}
	return c, nil
}

// cleanText makes user text printable with the letter fonts: invalid UTF-8, control
// characters and characters the fonts lack become missingGlyph; invisible format
// characters (byte-order marks, zero-width joiners the font lacks) are dropped; tabs
// become spaces; line breaks are kept only when multiline (else they become spaces).
// It returns the text and how many characters were replaced.
func (c *coverage) cleanText(s string, multiline bool) (string, int) {
	// The common case, plain covered text, needs no copy.
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || r == '\t' || r == '\r' || r == '\n' && !multiline || r != '\n' && !c.has(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	replaced := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(missingGlyph)
			replaced++
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // CRLF: the LF follows
			}
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\n':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case c.has(r) && !unicode.IsControl(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Cf, r):
			// Invisible formatting the font cannot draw: nothing is lost on paper.
		default:
			b.WriteRune(missingGlyph)
			replaced++
		}
	}
	return b.String(), replaced
}
