package exchange

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of the parts of an XLSX file other than the sheet and its strings.
const (
	maxZipEntries = 10_000
	maxSmallPart  = 64 << 20
	// A deflated stream cannot shrink data more than about 1032:1; honest sheets
	// shrink 5-50:1. Far beyond that on a large part is a zip bomb.
	maxRatio     = 400
	bombMinBytes = 64 << 20
)

// readXLSX reads one sheet of an XLSX file with bounded memory: the zip's directory
// is checked before anything is unpacked (sizes, ratios: a zip bomb is refused at
// once), the sheet is scanned once as raw bytes to count its rows (a sheet of a
// million rows is refused without being parsed) and to find formulas and merged
// cells, and only then are its values read with excelize's streaming row iterator.
func readXLSX(ctx context.Context, file string, o ReadOptions) (*Table, error) {
	name := filepath.Base(file)
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, &FileError{Code: FileDamaged, File: name, Err: err}
	}
	defer zr.Close()
	if len(zr.File) > maxZipEntries {
		return nil, &FileError{Code: FileZipBomb, File: name, Detail: fmt.Sprintf("%d parts", len(zr.File))}
	}
	var total uint64
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		key := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		parts[key] = f
		limit := uint64(maxSmallPart)
		if strings.HasPrefix(key, "xl/worksheets/") || key == "xl/sharedstrings.xml" {
			limit = uint64(o.Limits.MaxFileBytes)
		}
		if size > limit || total > uint64(o.Limits.MaxUnpacked) {
			return nil, &FileError{Code: FileTooLarge, File: name, Detail: fmt.Sprintf("%s: %d MB", f.Name, size>>20)}
		}
		if size > bombMinBytes && size > maxRatio*max(f.CompressedSize64, 1) {
			return nil, &FileError{Code: FileZipBomb, File: name, Detail: fmt.Sprintf("%s: %d MB from %d KB", f.Name, size>>20, f.CompressedSize64>>10)}
		}
	}
	if parts["xl/workbook.xml"] == nil {
		return nil, &FileError{Code: FileNotSheet, File: name}
	}
	sheets, date1904, err := workbookSheets(parts)
	if err != nil {
		return nil, &FileError{Code: FileDamaged, File: name, Err: err}
	}
	if len(sheets) == 0 {
		return nil, &FileError{Code: FileEmpty, File: name}
	}
	t := &Table{Format: "xlsx", Date1904: date1904}
	var sheet sheetRef
	for _, s := range sheets {
		t.Sheets = append(t.Sheets, s.name)
		if (o.Sheet == "" && sheet.name == "") || strings.EqualFold(s.name, o.Sheet) {
			sheet = s
		}
	}
	if sheet.name == "" {
		return nil, &FileError{Code: FileNoSheet, File: name, Detail: o.Sheet}
	}
	t.Sheet = sheet.name
	part := parts[strings.ToLower(sheet.part)]
	if part == nil {
		return nil, &FileError{Code: FileDamaged, File: name, Detail: sheet.part}
	}
	scan, err := prescan(part, o.Limits.MaxRows+headerScan)
	if errors.Is(err, errTooManyRows) {
		return nil, &FileError{Code: FileTooManyRows, File: name, Detail: fmt.Sprint(o.Limits.MaxRows)}
	}
	if err != nil {
		return nil, &FileError{Code: FileDamaged, File: name, Detail: sheet.name, Err: err}
	}
	t.Formulas, t.Merged = scan.formulas, scan.merged
	zr.Close()

	f, err := excelize.OpenFile(file, excelize.Options{UnzipSizeLimit: o.Limits.MaxUnpacked, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, &FileError{Code: FileDamaged, File: name, Err: err}
	}
	defer f.Close()
	rows, err := f.Rows(sheet.name)
	if err != nil {
		return nil, &FileError{Code: FileDamaged, File: name, Detail: sheet.name, Err: err}
	}
	defer rows.Close()
	c := &collector{t: t, lim: o.Limits, file: name, progress: o.Progress}
	raw := excelize.Options{RawCellValue: true}
	for n := 1; rows.Next(); n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if n > scan.maxRow {
			break // trailing rows the scan saw empty
		}
		cells, err := rows.Columns(raw)
		if err != nil {
			return nil, &FileError{Code: FileDamaged, File: name, Detail: fmt.Sprintf("%s row %d", sheet.name, n), Err: err}
		}
		if err := c.add(n, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &FileError{Code: FileDamaged, File: name, Detail: sheet.name, Err: err}
	}
	return t, nil
}

type sheetRef struct{ name, part string }

// workbookSheets lists the sheets in workbook order with the zip part of each.
func workbookSheets(parts map[string]*zip.File) ([]sheetRef, bool, error) {
	var wb struct {
		Props struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXMLPart(parts["xl/workbook.xml"], &wb); err != nil {
		return nil, false, fmt.Errorf("workbook: %w", err)
	}
	date1904 := wb.Props.Date1904 == "1" || wb.Props.Date1904 == "true"
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if f := parts["xl/_rels/workbook.xml.rels"]; f != nil {
		if err := readXMLPart(f, &rels); err != nil {
			return nil, false, fmt.Errorf("workbook relationships: %w", err)
		}
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := strings.ReplaceAll(r.Target, "\\", "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	var out []sheetRef
	for i, s := range wb.Sheets {
		p, ok := targets[s.RID]
		if !ok {
			p = fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		}
		out = append(out, sheetRef{name: s.Name, part: p})
	}
	return out, date1904, nil
}

func readXMLPart(f *zip.File, v any) error {
	if f == nil {
		return errors.New("missing part")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxSmallPart)).Decode(v)
}

var errTooManyRows = errors.New("too many rows")

// sheetScan is what a byte-level pass over a worksheet finds.
type sheetScan struct {
	rows     int // <row> elements
	maxRow   int // highest row number with a <row> element
	formulas map[Cell]bool
	merged   []Range
}

// maxFormulaCells bounds the formula positions kept; beyond it the rest of a
// formula-filled sheet is not needed to refuse it.
const maxFormulaCells = 1 << 20

// prescan streams a worksheet part as bytes, counting rows (stopping past
// maxRows), and noting formula cells and merged ranges. It parses no values, so it
// is quick and needs almost no memory whatever the sheet's size.
func prescan(f *zip.File, maxRows int) (*sheetScan, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return scanSheet(rc, maxRows)
}

// scanSheet is prescan over a worksheet's XML.
func scanSheet(r io.Reader, maxRows int) (*sheetScan, error) {
	s := &sheetScan{formulas: map[Cell]bool{}}
	br := bufio.NewReaderSize(r, 256<<10)
	var tag []byte
	row, col := 0, 0
	for {
		if _, err := br.ReadSlice('<'); err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				return s, nil
			}
			return nil, err
		}
		b, err := br.Peek(1)
		if err != nil {
			return s, nil
		}
		switch b[0] {
		case '/':
			continue
		case '?', '!':
			if err := skipSpecial(br); err != nil {
				return nil, err
			}
			continue
		}
		tag, err = readTag(br, tag[:0])
		if err != nil {
			return nil, err
		}
		nameEnd := bytes.IndexAny(tag, " \t\r\n/")
		if nameEnd < 0 {
			nameEnd = len(tag)
		}
		local := tag[:nameEnd]
		if i := bytes.IndexByte(local, ':'); i >= 0 {
			local = local[i+1:]
		}
		switch string(local) {
		case "row":
			s.rows++
			if s.rows > maxRows {
				return nil, errTooManyRows
			}
			if r, ok := attr(tag, "r"); ok {
				n, err := strconv.Atoi(r)
				if err != nil || n < 1 {
					return nil, fmt.Errorf("row number %q", r)
				}
				row = n
			} else {
				row++
			}
			if row > maxRows {
				return nil, errTooManyRows
			}
			s.maxRow = max(s.maxRow, row)
			col = 0
		case "c":
			if r, ok := attr(tag, "r"); ok {
				c, rr, err := excelize.CellNameToCoordinates(r)
				if err != nil {
					return nil, fmt.Errorf("cell %q", r)
				}
				col = c
				if rr != row && rr > 0 {
					row = rr
				}
			} else {
				col++
			}
		case "f":
			if len(s.formulas) < maxFormulaCells {
				s.formulas[Cell{row, col}] = true
			}
		case "mergeCell":
			if ref, ok := attr(tag, "ref"); ok {
				from, to, found := strings.Cut(ref, ":")
				if !found {
					to = from
				}
				c1, r1, err1 := excelize.CellNameToCoordinates(from)
				c2, r2, err2 := excelize.CellNameToCoordinates(to)
				if err1 == nil && err2 == nil && len(s.merged) < 10_000 {
					s.merged = append(s.merged, Range{From: Cell{min(r1, r2), min(c1, c2)}, To: Cell{max(r1, r2), max(c1, c2)}, Ref: ref})
				}
			}
		}
	}
}

// readTag reads a start tag's text up to its '>' (quotes respected).
func readTag(br *bufio.Reader, buf []byte) ([]byte, error) {
	var quote byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return buf, nil
		}
		if len(buf) > 64<<10 {
			return nil, errors.New("tag too long")
		}
		buf = append(buf, c)
	}
}

// skipSpecial skips a processing instruction, comment, CDATA section or doctype.
func skipSpecial(br *bufio.Reader) error {
	b, _ := br.Peek(8)
	end := []byte(">")
	switch {
	case bytes.HasPrefix(b, []byte("!--")):
		end = []byte("-->")
	case bytes.HasPrefix(b, []byte("![CDATA[")):
		end = []byte("]]>")
	case bytes.HasPrefix(b, []byte("?")):
		end = []byte("?>")
	}
	var last []byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		last = append(last, c)
		if len(last) > len(end) {
			last = last[1:]
		}
		if bytes.Equal(last, end) {
			return nil
		}
	}
}

// attr finds an attribute's value in a tag's text.
func attr(tag []byte, name string) (string, bool) {
	for i := 0; i < len(tag); {
		j := bytes.IndexByte(tag[i:], '=')
		if j < 0 {
			return "", false
		}
		j += i
		key := bytes.TrimSpace(tag[i:j])
		if k := bytes.LastIndexAny(key, " \t\r\n"); k >= 0 {
			key = key[k+1:]
		}
		rest := bytes.TrimLeft(tag[j+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return "", false
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return "", false
		}
		val := rest[1 : 1+end]
		if string(key) == name {
			return string(val), true
		}
		i = len(tag) - len(rest) + end + 2
	}
	return "", false
}
