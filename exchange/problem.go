// Package exchange moves reports between LAPOR Desk and spreadsheets: it reads XLSX
// and CSV files (bounded in size and memory, hostile files refused with a clear
// message), maps their columns to report fields, previews an import (rows to add,
// to update, and problems named by row and column) and applies it in one
// transaction; and it exports filtered lists and recaps to XLSX and CSV without ever
// writing an Anonim reporter's identity.
package exchange

import (
	"errors"
	"fmt"

	"github.com/lapordesk/lapordesk"
)

// Problem is something wrong with one cell, row or column of an imported file. Row
// and Column are 1-based as the user sees them in the spreadsheet (0: the whole row
// or the whole file).
type Problem struct {
	Row    int    `json:"row,omitempty"`
	Column int    `json:"column,omitempty"`
	Header string `json:"header,omitempty"` // the column's header as written in the file
	Field  string `json:"field,omitempty"`  // the report field, e.g. "incident_date"
	Code   string `json:"code"`             // a Problem* code of this package or of lapordesk
	Value  string `json:"value,omitempty"`  // the offending value, shortened
	Other  int    `json:"other,omitempty"`  // another row involved (duplicates)
	Err    error  `json:"-"`                // the underlying error, when there is one
}

// Problem codes of this package, beyond the date problems and lapordesk's.
const (
	ProblemMerged        = "merged_cells"     // the cell is part of a merged range
	ProblemFormula       = "formula"          // the cell holds a formula
	ProblemDuplicateRow  = "duplicate_row"    // the same report appears twice in the file
	ProblemTrackingClash = "tracking_clash"   // agenda number matched, tracking ID differs
	ProblemNotNumber     = "not_number"       // a number was expected
	ProblemMissingColumn = "missing_column"   // a required field has no column
	ProblemMappedAbsent  = "column_absent"    // the mapping names a header the file lacks
	ProblemDateOrder     = "date_order"       // a date comes before the one it must follow
	ProblemFuture        = "date_future"      // a date in the future
	ProblemStatusDate    = "status_date"      // a date that the status cannot hold
	ProblemNotApplied    = "not_applied"      // a field that an import does not change
	ProblemDecoded1252   = "decoded_1252"     // the file was read as Windows-1252
	ProblemNoDate        = "no_received_date" // no date of receipt: today is used
	ProblemTooLong       = "too_long_cell"    // a cell longer than any field allows
	ProblemUnclosedQuote = "unclosed_quote"   // a quote opened in this row runs to the end of the file
)

func (p Problem) Error() string {
	where := "file"
	switch {
	case p.Row > 0 && p.Column > 0:
		where = fmt.Sprintf("row %d, column %s", p.Row, ColumnName(p.Column))
	case p.Row > 0:
		where = fmt.Sprintf("row %d", p.Row)
	case p.Column > 0:
		where = fmt.Sprintf("column %s", ColumnName(p.Column))
	}
	if p.Header != "" {
		where += fmt.Sprintf(" (%s)", p.Header)
	}
	what := p.Code
	if p.Err != nil {
		what = p.Err.Error()
	} else if p.Value != "" {
		what += fmt.Sprintf(" %q", p.Value)
	}
	if p.Other > 0 {
		what += fmt.Sprintf(" (see row %d)", p.Other)
	}
	return where + ": " + what
}

func (p Problem) Unwrap() error { return lapordesk.ErrInvalid }

// ColumnName returns a spreadsheet column's letters: 1 → A, 27 → AA.
func ColumnName(n int) string {
	if n < 1 {
		return ""
	}
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// FileError: the file as a whole cannot be imported (too large, not a spreadsheet,
// a zip bomb, empty). Nothing is read from it. It wraps lapordesk.ErrInvalid.
type FileError struct {
	Code   string // a File* code
	File   string // base name
	Detail string // e.g. the limit, the sheet name
	Err    error  // the underlying error, when there is one
}

// FileError codes.
const (
	FileTooLarge      = "file_too_large"       // bigger than the import limit
	FileTooManyRows   = "file_too_many_rows"   // more rows than one import takes
	FileTooManyCols   = "file_too_many_cols"   // more columns than any report sheet has
	FileZipBomb       = "file_zip_bomb"        // unpacks to far more than it holds
	FileNotSheet      = "file_not_spreadsheet" // neither XLSX nor CSV
	FileOldXLS        = "file_old_xls"         // Excel 97-2003 or password-protected
	FileHTML          = "file_html"            // a web page saved under a spreadsheet's name
	FileEmpty         = "file_empty"           // no header or no data rows
	FileDamaged       = "file_damaged"         // unreadable zip or XML
	FileNoSheet       = "file_no_sheet"        // the named sheet does not exist
	FileBinary        = "file_binary"          // a "CSV" that is not text
	FileHasProblems   = "file_has_problems"    // the preview has problems; nothing written
	FileTooManyExport = "file_too_many_export" // more rows than an XLSX sheet holds
)

func (e *FileError) Error() string {
	msg := e.File + ": " + e.Code
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *FileError) Unwrap() []error {
	if e.Err != nil {
		return []error{lapordesk.ErrInvalid, e.Err}
	}
	return []error{lapordesk.ErrInvalid}
}

// IsFileError reports whether err is a FileError with the given code.
func IsFileError(err error, code string) bool {
	var fe *FileError
	return errors.As(err, &fe) && fe.Code == code
}
