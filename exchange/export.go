package exchange

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// Format is the kind of file an export writes.
type Format string

const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// FormatOf tells the format from a file name's extension.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return XLSX, true
	case ".csv", ".txt":
		return CSV, true
	}
	return "", false
}

// ExportOptions steer an export.
type ExportOptions struct {
	Format Format
	// Delimiter of a CSV: ',' (default) or ';' as Excel expects under Indonesian
	// regional settings (numbers then take a decimal comma too).
	Delimiter rune
	// Progress hears the rows written so far, of total.
	Progress func(done, total int)
}

func (o ExportOptions) check() error {
	if o.Format != XLSX && o.Format != CSV {
		return &lapordesk.FieldError{Field: "format", Problem: lapordesk.ProblemUnknown, Value: string(o.Format)}
	}
	if o.Delimiter != 0 && o.Delimiter != ',' && o.Delimiter != ';' && o.Delimiter != '\t' {
		return &lapordesk.FieldError{Field: "delimiter", Problem: lapordesk.ProblemUnknown, Value: string(o.Delimiter)}
	}
	return nil
}

// maxSheetRows is Excel's limit of rows in one sheet.
const maxSheetRows = 1_048_576

// kind is how a column's cells are typed.
type kind int

const (
	kText kind = iota
	kDate
	kDateTime
	kNumber
)

// exportColumns are the columns of a report list, in order. The importer reads all
// but id, category (the names; it reads the code) and deadline.
var exportColumns = []struct {
	key  string
	kind kind
}{
	{colID, kText}, {FieldTrackingID, kText}, {FieldAgendaNo, kText}, {FieldTitle, kText}, {FieldBody, kText},
	{FieldClassification, kText}, {colCategory, kText}, {FieldCategory, kText}, {FieldChannel, kText},
	{FieldConfidentiality, kText}, {FieldStatus, kText}, {FieldUnit, kText}, {FieldDisposedBy, kText},
	{FieldReceivedAt, kDateTime}, {FieldIncidentDate, kDate}, {FieldKecamatan, kText}, {FieldDesa, kText},
	{FieldLocationDetail, kText}, {FieldLat, kNumber}, {FieldLon, kNumber},
	{FieldReporterName, kText}, {FieldReporterPhone, kText}, {FieldReporterEmail, kText}, {FieldReporterID, kText},
	{FieldVerifiedAt, kDateTime}, {FieldDisposedAt, kDateTime}, {FieldRespondedAt, kDateTime},
	{FieldFollowUpAt, kDateTime}, {FieldClosedAt, kDateTime}, {FieldStatusSince, kDateTime}, {colDeadline, kDate},
}

// reportRow is one report as the cells of a list row: strings, times (in the
// office's zone), dates, numbers or nil. An Anonim reporter appears as "Anonim"
// and nothing else, whatever the report holds: reads from the store are masked
// already, and this is checked again here, where data leaves the program.
func reportRow(r *lapordesk.Report, d lapordesk.Deadline, cats *lapordesk.CategoryTree) []any {
	rep := r.Reporter
	if r.Confidentiality == lapordesk.Anonim {
		rep = rep.Masked(lapordesk.Anonim)
	}
	since := r.ReceivedAt
	if len(r.Spans) > 0 {
		since = r.Spans[len(r.Spans)-1].From
	}
	opt := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return *t
	}
	num := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	date := func(x lapordesk.Date) any {
		if x.IsZero() {
			return nil
		}
		return x
	}
	disposedBy := ""
	if r.DisposedAt != nil {
		disposedBy = r.DisposedBy
	}
	return []any{
		r.ID.String(), r.TrackingID, r.AgendaNo, r.Title, r.Body,
		i18n.Classification(r.Classification), cats.Path(r.CategoryID), r.CategoryID, i18n.Channel(r.Channel),
		i18n.Confidentiality(r.Confidentiality), i18n.Status(r.Status), r.Unit, disposedBy,
		r.ReceivedAt, date(r.IncidentDate), r.Location.Kecamatan, r.Location.Desa,
		r.Location.Detail, num(r.Location.Lat), num(r.Location.Lon),
		rep.Name, rep.Phone, rep.Email, rep.IDNumber,
		opt(r.VerifiedAt), opt(r.DisposedAt), opt(r.FirstResponseAt),
		opt(r.FollowUpAt), opt(r.ClosedAt), since, date(d.Due),
	}
}

// ExportReports writes every report matching f, in f's order, as a list with a
// header row: XLSX (typed cells, dates as dates, fitted column widths, a frozen
// header) or CSV (UTF-8 with BOM, for Excel). The list is read from one snapshot
// of the store. It returns the number of reports written.
func ExportReports(ctx context.Context, s *storage.Store, f lapordesk.Filter, w io.Writer, o ExportOptions) (int, error) {
	if err := o.check(); err != nil {
		return 0, err
	}
	cats := s.Categories()
	loc := s.Calendar().Location
	header := make([]string, len(exportColumns))
	kinds := make([]kind, len(exportColumns))
	for i, c := range exportColumns {
		header[i] = i18n.T("exchange.col." + c.key)
		kinds[i] = c.kind
	}
	var out sheetWriter
	var book *xlsxBook
	if o.Format == XLSX {
		book = newXLSXBook(loc)
		defer book.close()
		sh, err := book.sheet(i18n.T("exchange.sheet.reports"), header, kinds)
		if err != nil {
			return 0, err
		}
		out = sh
	} else {
		cw, err := newCSVSheet(w, o.Delimiter, loc, header)
		if err != nil {
			return 0, err
		}
		out = cw
	}
	n := 0
	err := s.EachReport(ctx, f, func(i, total int, r lapordesk.Report, d lapordesk.Deadline) error {
		if i == 0 && o.Format == XLSX && total+1 > maxSheetRows {
			return &FileError{Code: FileTooManyExport, Detail: strconv.Itoa(maxSheetRows - 1)}
		}
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := out.add(reportRow(&r, d, cats)); err != nil {
			return err
		}
		n++
		if o.Progress != nil && (n%500 == 0 || n == total) {
			o.Progress(n, total)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if err := out.close(); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if book != nil {
		if err := book.write(w); err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
	}
	return n, nil
}

// ExportRecap writes a recap's tables: in XLSX one sheet each (summary, status,
// outcome, classification, channel, category, month); in CSV one table with the
// columns table, code, label, count, which a pivot table can take apart.
func ExportRecap(rc lapordesk.Recap, cats *lapordesk.CategoryTree, w io.Writer, o ExportOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	tables := recapTables(rc, cats)
	if o.Format == CSV {
		header := []string{i18n.T("exchange.recap.table"), i18n.T("exchange.recap.code"), i18n.T("exchange.recap.label"), i18n.T("exchange.recap.count")}
		cw, err := newCSVSheet(w, o.Delimiter, time.UTC, header)
		if err != nil {
			return err
		}
		for _, t := range tables {
			for _, r := range t.rows {
				if err := cw.add([]any{t.title, r.code, r.label, r.value}); err != nil {
					return err
				}
			}
		}
		return cw.close()
	}
	book := newXLSXBook(time.UTC)
	defer book.close()
	for _, t := range tables {
		header := []string{i18n.T("exchange.recap.label"), i18n.T("exchange.recap.count")}
		if t.withCode {
			header = []string{i18n.T("exchange.recap.code"), i18n.T("exchange.recap.label"), i18n.T("exchange.recap.count")}
		}
		kinds := make([]kind, len(header))
		kinds[len(kinds)-1] = kNumber
		sh, err := book.sheet(t.title, header, kinds)
		if err != nil {
			return err
		}
		for _, r := range t.rows {
			row := []any{r.label, r.value}
			if t.withCode {
				row = []any{r.code, r.label, r.value}
			}
			if err := sh.add(row); err != nil {
				return err
			}
		}
		if err := sh.close(); err != nil {
			return err
		}
	}
	return book.write(w)
}

type recapRow struct {
	code, label string
	value       any // int or float64
}

type recapTable struct {
	title    string
	withCode bool
	rows     []recapRow
}

func recapTables(rc lapordesk.Recap, cats *lapordesk.CategoryTree) []recapTable {
	unit := rc.Unit
	if unit == "" {
		unit = i18n.T("exchange.recap.all_units")
	}
	summary := recapTable{title: i18n.T("exchange.recap.summary"), rows: []recapRow{
		{"period", i18n.T("exchange.recap.period"), i18n.Date(rc.From) + " – " + i18n.Date(rc.To)},
		{"unit", i18n.T("exchange.recap.unit"), unit},
		{"total", i18n.T("exchange.recap.total"), rc.Total},
		{"overdue", i18n.T("exchange.recap.overdue"), rc.Overdue},
		{"due_this_week", i18n.T("exchange.recap.due_this_week"), rc.DueThisWeek},
		{"responded", i18n.T("exchange.recap.responded"), rc.Responded},
		{"avg_days_to_response", i18n.T("exchange.recap.avg_response"), round2(rc.AvgDaysToResponse)},
		{"followed_up", i18n.T("exchange.recap.followed_up"), rc.FollowedUp},
		{"avg_days_to_follow_up", i18n.T("exchange.recap.avg_follow_up"), round2(rc.AvgDaysToFollowUp)},
	}}
	status := recapTable{title: i18n.T("exchange.recap.by_status"), withCode: true}
	for _, s := range lapordesk.Statuses {
		status.rows = append(status.rows, recapRow{string(s), i18n.Status(s), rc.ByStatus[s]})
	}
	outcome := recapTable{title: i18n.T("exchange.recap.by_outcome"), withCode: true}
	for _, oc := range []lapordesk.Outcome{lapordesk.OutcomeNotProcessed, lapordesk.OutcomeInProcess, lapordesk.OutcomeFollowedUp, lapordesk.OutcomePostponed, lapordesk.OutcomeDeleted} {
		outcome.rows = append(outcome.rows, recapRow{string(oc), i18n.Outcome(oc), rc.ByOutcome[oc]})
	}
	class := recapTable{title: i18n.T("exchange.recap.by_classification"), withCode: true}
	for _, c := range lapordesk.Classifications {
		class.rows = append(class.rows, recapRow{string(c), i18n.Classification(c), rc.ByClassification[c]})
	}
	channel := recapTable{title: i18n.T("exchange.recap.by_channel"), withCode: true}
	for _, c := range lapordesk.Channels {
		channel.rows = append(channel.rows, recapRow{string(c), i18n.Channel(c), rc.ByChannel[c]})
	}
	category := recapTable{title: i18n.T("exchange.recap.by_category"), withCode: true}
	for _, c := range rc.ByCategory {
		label := c.Label
		if c.Key == "" {
			label = i18n.T("exchange.recap.no_category")
		} else if label == "" {
			label = cats.Path(c.Key)
		}
		category.rows = append(category.rows, recapRow{c.Key, label, c.N})
	}
	month := recapTable{title: i18n.T("exchange.recap.by_month"), withCode: true}
	for _, c := range rc.ByMonth {
		label := c.Label
		if t, err := time.Parse("2006-01", c.Key); err == nil {
			label = i18n.Month(t.Month()) + " " + strconv.Itoa(t.Year())
		}
		month.rows = append(month.rows, recapRow{c.Key, label, c.N})
	}
	return []recapTable{summary, status, outcome, class, channel, category, month}
}

func round2(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64)
	return v
}

// sheetWriter receives a list's rows.
type sheetWriter interface {
	add(cells []any) error
	close() error
}

// csvSheet writes rows as CSV text: times and dates in ISO form (Excel reads them
// as dates in any regional setting), text protected against formula injection.
type csvSheet struct {
	w     *csvWriter
	loc   *time.Location
	comma bool // decimal comma
	rec   []string
}

func newCSVSheet(w io.Writer, delim rune, loc *time.Location, header []string) (*csvSheet, error) {
	if delim == 0 {
		delim = ','
	}
	cw, err := newCSVWriter(w, delim)
	if err != nil {
		return nil, err
	}
	c := &csvSheet{w: cw, loc: loc, comma: delim == ';'}
	if err := cw.write(header); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *csvSheet) add(cells []any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		c.rec = append(c.rec, c.text(v))
	}
	return c.w.write(c.rec)
}

func (c *csvSheet) text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return protect(x)
	case time.Time:
		return x.In(c.loc).Format("2006-01-02 15:04:05")
	case lapordesk.Date:
		return x.String()
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if c.comma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case int:
		return strconv.Itoa(x)
	}
	return protect(fmt.Sprint(v))
}

func (c *csvSheet) close() error { return c.w.flush() }

// xlsxBook is a workbook written with excelize's stream writer: rows go to a
// temporary file, not memory, so large lists cost little memory.
type xlsxBook struct {
	f      *excelize.File
	loc    *time.Location
	sheets int
	styles map[kind]int
	header int
}

func newXLSXBook(loc *time.Location) *xlsxBook {
	return &xlsxBook{f: excelize.NewFile(), loc: loc}
}

func (b *xlsxBook) ensureStyles() error {
	if b.styles != nil {
		return nil
	}
	dateFmt, timeFmt := "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	var err error
	b.styles = map[kind]int{}
	if b.styles[kDate], err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return err
	}
	if b.styles[kDateTime], err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt}); err != nil {
		return err
	}
	b.header, err = b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	return err
}

// sheet adds a sheet; its rows follow through the returned writer, which must be
// closed before the next sheet is added.
func (b *xlsxBook) sheet(name string, header []string, kinds []kind) (*xlsxSheet, error) {
	if err := b.ensureStyles(); err != nil {
		return nil, err
	}
	name = sheetName(name)
	if b.sheets == 0 {
		if err := b.f.SetSheetName(b.f.GetSheetName(0), name); err != nil {
			return nil, err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, err
	}
	b.sheets++
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	return &xlsxSheet{b: b, sw: sw, header: header, kinds: kinds}, nil
}

// sheetName fits a name to Excel's rules: at most 31 characters, none of []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

func (b *xlsxBook) write(w io.Writer) error { return b.f.Write(w) }

func (b *xlsxBook) close() { b.f.Close() }

// widthSample is how many rows decide the column widths: the stream writer needs
// the widths before the first row.
const widthSample = 1000

// xlsxSheet streams one sheet. The first rows wait in memory until the column
// widths are known.
type xlsxSheet struct {
	b       *xlsxBook
	sw      *excelize.StreamWriter
	header  []string
	kinds   []kind
	pending [][]any
	started bool
	row     int
	cells   []any
}

func (s *xlsxSheet) add(cells []any) error {
	if !s.started {
		s.pending = append(s.pending, cells)
		if len(s.pending) < widthSample {
			return nil
		}
		return s.start()
	}
	return s.write(cells)
}

// start sets the column widths and the frozen header, then writes what waited.
func (s *xlsxSheet) start() error {
	s.started = true
	for i, h := range s.header {
		width := float64(utf8.RuneCountInString(h))
		switch s.kinds[i] {
		case kDate:
			width = max(width, 11)
		case kDateTime:
			width = max(width, 17)
		default:
			for _, r := range s.pending {
				if v, ok := r[i].(string); ok {
					width = max(width, float64(utf8.RuneCountInString(v)))
				} else if v, ok := r[i].(float64); ok {
					width = max(width, float64(len(strconv.FormatFloat(v, 'f', -1, 64))))
				}
			}
		}
		if err := s.sw.SetColWidth(i+1, i+1, min(width, 60)+2); err != nil {
			return err
		}
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(s.header))
	for i, h := range s.header {
		head[i] = excelize.Cell{StyleID: s.b.header, Value: h}
	}
	if err := s.sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	s.row = 1
	for _, r := range s.pending {
		if err := s.write(r); err != nil {
			return err
		}
	}
	s.pending = nil
	return nil
}

func (s *xlsxSheet) write(cells []any) error {
	s.row++
	if s.row > maxSheetRows {
		return &FileError{Code: FileTooManyExport, Detail: strconv.Itoa(maxSheetRows - 1)}
	}
	s.cells = s.cells[:0]
	for i, v := range cells {
		switch x := v.(type) {
		case time.Time:
			// Excel has no zones: the cell holds the office's wall clock.
			w := x.In(s.b.loc)
			v = excelize.Cell{StyleID: s.b.styles[kDateTime], Value: time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)}
			if s.kinds[i] == kDate {
				v = excelize.Cell{StyleID: s.b.styles[kDate], Value: time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)}
			}
		case lapordesk.Date:
			v = excelize.Cell{StyleID: s.b.styles[kDate], Value: x.Time(time.UTC)}
		}
		s.cells = append(s.cells, v)
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, s.cells)
}

func (s *xlsxSheet) close() error {
	if !s.started {
		if err := s.start(); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}
