package exchange

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Table is one sheet of an imported file: its header and its data rows as text.
type Table struct {
	File      string   `json:"file"`            // base name
	Format    string   `json:"format"`          // "xlsx" or "csv"
	Sheet     string   `json:"sheet,omitempty"` // the sheet read (XLSX)
	Sheets    []string `json:"sheets,omitempty"`
	HeaderRow int      `json:"header_row"` // 1-based
	Header    []string `json:"header"`
	Rows      []Row    `json:"-"`
	// Formulas and Merged locate the cells that hold formulas and the merged ranges
	// at or below the header: the import refuses them where it reads them.
	Formulas map[Cell]bool `json:"-"`
	Merged   []Range       `json:"-"`
	// Date1904: the workbook counts serial dates from 1904 (old Mac Excel).
	Date1904 bool `json:"-"`
	// Notes are remarks about the whole file (e.g. it was read as Windows-1252).
	Notes []Problem `json:"notes,omitempty"`
}

// Row is one data row: N is its row number in the spreadsheet.
type Row struct {
	N     int
	Cells []string
}

// Cell is a cell's position, 1-based.
type Cell struct{ Row, Col int }

// Range is a rectangle of cells, 1-based and inclusive.
type Range struct {
	From, To Cell
	Ref      string // as written, e.g. "A5:A9"
}

// Get returns the cell in column col (1-based) of the row, or "".
func (r Row) Get(col int) string {
	if col < 1 || col > len(r.Cells) {
		return ""
	}
	return r.Cells[col-1]
}

// Limits bound what an import reads, so a hostile or mistaken file costs bounded
// memory and time.
type Limits struct {
	MaxRows      int   // data rows of one import
	MaxColumns   int   // columns with any content
	MaxCellBytes int64 // text kept from all cells together
	MaxFileBytes int64 // a CSV file's size; an XLSX sheet's unpacked size
	MaxUnpacked  int64 // an XLSX file's unpacked size, all parts together
}

// DefaultLimits fit a year of a busy coordinator's reports with room to spare, and
// keep an import's preview (about 3.4 KB a row while it is shown) within what an
// office PC with 4 GB can spare.
var DefaultLimits = Limits{
	MaxRows:      100_000,
	MaxColumns:   256,
	MaxCellBytes: 512 << 20,
	MaxFileBytes: 1 << 30,
	MaxUnpacked:  2 << 30,
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.MaxRows > 0 {
		d.MaxRows = l.MaxRows
	}
	if l.MaxColumns > 0 {
		d.MaxColumns = l.MaxColumns
	}
	if l.MaxCellBytes > 0 {
		d.MaxCellBytes = l.MaxCellBytes
	}
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxUnpacked > 0 {
		d.MaxUnpacked = l.MaxUnpacked
	}
	return d
}

// ReadOptions steer Read.
type ReadOptions struct {
	Sheet  string // XLSX: the sheet to read; "" for the first
	Limits Limits // zero fields take DefaultLimits
	// Progress hears the rows read so far (total 0: unknown). It is called from
	// the reading goroutine.
	Progress func(done, total int)
}

// Read reads a spreadsheet file, XLSX or CSV (by its content, whatever its name),
// and locates its header row. It refuses, with a FileError and before reading any
// rows, files too large, zip bombs, old .xls files and files that are no
// spreadsheet at all.
func Read(ctx context.Context, path string, o ReadOptions) (*Table, error) {
	o.Limits = o.Limits.orDefault()
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	head := make([]byte, 2048)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	var t *Table
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		t, err = readXLSX(ctx, path, o)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, &FileError{Code: FileOldXLS, File: name}
	case looksHTML(head):
		// Web applications' "export to Excel" often saves an HTML table as .xls.
		return nil, &FileError{Code: FileHTML, File: name}
	case isXLSXName(name) && n > 0:
		return nil, &FileError{Code: FileNotSheet, File: name}
	default:
		// Text, whatever the name (.csv, .txt, or an .xls that is really
		// tab-separated text, as some web applications write).
		t, err = readCSV(ctx, path, o)
	}
	if err != nil {
		return nil, err
	}
	t.File = name
	v, err := newVocab()
	if err != nil {
		return nil, err
	}
	if err := t.locateHeader(v); err != nil {
		return nil, err
	}
	if len(t.Rows) > o.Limits.MaxRows {
		return nil, &FileError{Code: FileTooManyRows, File: name, Detail: fmt.Sprint(o.Limits.MaxRows)}
	}
	return t, nil
}

func isXLSXName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".xlsx" || ext == ".xlsm"
}

// looksHTML reports whether a file starts like a web page.
func looksHTML(head []byte) bool {
	h := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n"))
	if !bytes.HasPrefix(h, []byte("<")) {
		return false
	}
	for _, tag := range []string{"<html", "<table", "<!doctype html", "<meta"} {
		if bytes.Contains(h, []byte(tag)) {
			return true
		}
	}
	return false
}

// headerScan is how many rows from the top may hold titles above the header.
const headerScan = 20

// locateHeader takes as header the first row, among the first ones, in which at
// least two cells name known fields (a title or an address may sit above it), or
// else the first row with at least two filled cells; rows above it are dropped.
func (t *Table) locateHeader(v *vocab) error {
	best := -1
	for i := 0; i < len(t.Rows) && i < headerScan; i++ {
		if v.knownHeaders(t.Rows[i].Cells) >= 2 {
			best = i
			break
		}
	}
	if best < 0 {
		for i := 0; i < len(t.Rows) && i < headerScan; i++ {
			if filled(t.Rows[i].Cells) >= 2 {
				best = i
				break
			}
		}
	}
	if best < 0 {
		detail := t.Sheet
		return &FileError{Code: FileEmpty, File: t.File, Detail: detail}
	}
	h := t.Rows[best]
	t.HeaderRow = h.N
	t.Header = make([]string, len(h.Cells))
	for i, c := range h.Cells {
		t.Header[i] = strings.TrimSpace(strings.Join(strings.Fields(c), " "))
	}
	t.Rows = t.Rows[best+1:]
	if len(t.Rows) == 0 {
		return &FileError{Code: FileEmpty, File: t.File, Detail: t.Sheet}
	}
	return nil
}

func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// collector gathers rows under the limits while a reader walks a file.
type collector struct {
	t        *Table
	lim      Limits
	file     string
	bytes    int64
	progress func(done, total int)
}

// add keeps a row unless it is empty; it fails once a limit is passed.
func (c *collector) add(n int, cells []string) error {
	// Spreadsheets pad rows with empty cells; only content counts.
	last := len(cells)
	for last > 0 && strings.TrimSpace(cells[last-1]) == "" {
		last--
	}
	if last == 0 {
		return nil
	}
	if last > c.lim.MaxColumns {
		return &FileError{Code: FileTooManyCols, File: c.file, Detail: fmt.Sprint(c.lim.MaxColumns)}
	}
	// The header and any title rows above it are not data rows.
	if len(c.t.Rows) > c.lim.MaxRows+headerScan {
		return &FileError{Code: FileTooManyRows, File: c.file, Detail: fmt.Sprint(c.lim.MaxRows)}
	}
	row := make([]string, last)
	for i := 0; i < last; i++ {
		// Copy: readers may reuse their buffers, and a cell must not pin a large one.
		row[i] = strings.Clone(cells[i])
		c.bytes += int64(len(row[i]))
	}
	if c.bytes > c.lim.MaxCellBytes {
		return &FileError{Code: FileTooLarge, File: c.file, Detail: fmt.Sprintf("%d MB", c.lim.MaxCellBytes>>20)}
	}
	c.t.Rows = append(c.t.Rows, Row{N: n, Cells: row})
	if c.progress != nil && len(c.t.Rows)%1000 == 0 {
		c.progress(len(c.t.Rows), 0)
	}
	return nil
}
