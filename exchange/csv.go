package exchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// readCSV reads a CSV (or tab-separated) file. The encoding is UTF-8 (with or
// without BOM) or UTF-16 with BOM (Excel's "Unicode text"); a file that is not
// valid UTF-8 is read as Windows-1252, what Excel's "CSV (Comma delimited)" writes on
// Indonesian and English Windows, and the preview says so. The delimiter (comma,
// semicolon as Indonesian-locale Excel writes, or tab) is taken from the first line.
func readCSV(ctx context.Context, path string, o ReadOptions) (*Table, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if st.Size() > o.Limits.MaxFileBytes {
		return nil, &FileError{Code: FileTooLarge, File: name, Detail: fmt.Sprintf("%d MB", o.Limits.MaxFileBytes>>20)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	t := &Table{Format: "csv"}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	var r io.Reader
	switch {
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		r = transform.NewReader(io.MultiReader(bytes.NewReader(head), f), unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	default:
		if bytes.IndexByte(head, 0) >= 0 {
			return nil, &FileError{Code: FileBinary, File: name}
		}
		valid, records, err := scanText(f, head, o.Limits.MaxRows+headerScan)
		if err != nil {
			return nil, &FileError{Code: FileDamaged, File: name, Err: err}
		}
		if records > o.Limits.MaxRows+headerScan {
			return nil, &FileError{Code: FileTooManyRows, File: name, Detail: fmt.Sprint(o.Limits.MaxRows)}
		}
		start := int64(0)
		if !valid && bytes.HasPrefix(head, bomUTF8) {
			// A UTF-8 mark on Windows-1252 text (an editor's doing): decoded as 1252
			// it would turn into "ï»¿" before the first header, and hide it.
			start = int64(len(bomUTF8))
		}
		if _, err := f.Seek(start, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		r = f
		if !valid {
			r = transform.NewReader(f, charmap.Windows1252.NewDecoder())
			t.Notes = append(t.Notes, Problem{Code: ProblemDecoded1252})
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, bomUTF8) {
		br.Discard(3)
	}
	first, _ := br.Peek(16 << 10)
	cr := csv.NewReader(br)
	cr.Comma = detectDelimiter(first)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	c := &collector{t: t, lim: o.Limits, file: name, progress: o.Progress}
	lastRow, swallowed := 0, false
	for n := 1; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				continue
			}
			return nil, &FileError{Code: FileDamaged, File: name, Detail: fmt.Sprintf("row %d", n), Err: err}
		}
		// A cell that holds whole lines with the delimiter in them is a quote that
		// opened and never closed: the rows after it went into that cell. Say so,
		// where it started, rather than import fewer rows in silence.
		line, _ := cr.FieldPos(0)
		swallowed = false
		for _, v := range rec {
			if strings.Contains(v, "\n") && strings.ContainsRune(v[strings.IndexByte(v, '\n'):], cr.Comma) {
				swallowed = true
			}
		}
		lastRow = line
		for i, v := range rec {
			rec[i] = unprotect(v)
		}
		if err := c.add(n, rec); err != nil {
			return nil, err
		}
	}
	if swallowed {
		t.Notes = append(t.Notes, Problem{Code: ProblemUnclosedQuote, Row: lastRow})
	}
	return t, nil
}

// scanText reads the rest of f (after head) once, before any parsing: it checks
// that the text is valid UTF-8 and counts the records (line ends outside quotes),
// stopping early once there are more than maxRecords, so a file of a million rows
// is refused without being parsed.
func scanText(f io.Reader, head []byte, maxRecords int) (valid bool, records int, err error) {
	valid = true
	quoted := false
	count := func(b []byte) {
		for _, c := range b {
			switch c {
			case '"':
				quoted = !quoted
			case '\n':
				if !quoted {
					records++
				}
			}
		}
	}
	buf := make([]byte, 1<<20)
	carry := append([]byte(nil), head...)
	count(head)
	for {
		n, rerr := f.Read(buf)
		count(buf[:n])
		chunk := append(carry, buf[:n]...)
		if errors.Is(rerr, io.EOF) || (rerr == nil && n == 0) {
			if len(chunk) > 0 && chunk[len(chunk)-1] != '\n' {
				records++
			}
			return valid && utf8.Valid(chunk), records, nil
		}
		if rerr != nil {
			return false, records, rerr
		}
		if records > maxRecords {
			return valid, records, nil
		}
		if !valid {
			carry = carry[:0]
			continue
		}
		// Keep an incomplete rune at the end for the next piece.
		cut := len(chunk)
		for i := 1; i <= utf8.UTFMax && i <= len(chunk); i++ {
			if utf8.RuneStart(chunk[len(chunk)-i]) {
				if !utf8.FullRune(chunk[len(chunk)-i:]) {
					cut = len(chunk) - i
				}
				break
			}
		}
		valid = utf8.Valid(chunk[:cut])
		carry = append(carry[:0], chunk[cut:]...)
	}
}

// detectDelimiter picks comma, semicolon or tab: whichever one line among the
// first ones (outside quotes) has most of, comma when none has any. Not the first
// line alone: a title typed above the header ("Daftar Pengaduan") has none.
func detectDelimiter(b []byte) rune {
	best := map[byte]int{} // most on one line
	line := map[byte]int{}
	quoted := false
	lines := 0
	for _, c := range b {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			for k, n := range line {
				best[k] = max(best[k], n)
			}
			clear(line)
			if lines++; lines == headerScan {
				break
			}
		}
		if c == ',' || c == ';' || c == '\t' {
			line[c]++
		}
	}
	for k, n := range line {
		best[k] = max(best[k], n)
	}
	pick, n := byte(','), 0
	for _, c := range []byte{',', ';', '\t'} {
		if best[c] > n {
			pick, n = c, best[c]
		}
	}
	return rune(pick)
}

// protectable are the first characters that make Excel read a CSV cell as a formula.
const protectable = "=+-@\t\r"

// protect keeps a text cell from being run as a formula when Excel opens the CSV
// (CSV injection: a citizen's title "=HYPERLINK(...)"), with a leading apostrophe.
func protect(s string) string {
	if s != "" && strings.ContainsRune(protectable, rune(s[0])) {
		return "'" + s
	}
	return s
}

// unprotect removes what protect added.
func unprotect(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(protectable, rune(s[1])) {
		return s[1:]
	}
	return s
}

// csvWriter writes CSV that Excel opens right: UTF-8 with a BOM, CRLF line ends.
type csvWriter struct {
	w *csv.Writer
}

func newCSVWriter(w io.Writer, delim rune) (*csvWriter, error) {
	if _, err := w.Write(bomUTF8); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = delim
	cw.UseCRLF = true
	return &csvWriter{w: cw}, nil
}

func (c *csvWriter) write(rec []string) error { return c.w.Write(rec) }

func (c *csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}
