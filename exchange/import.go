package exchange

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// ErrStalePreview: the store changed since the preview in a way that touches the
// import; nothing was written. It wraps lapordesk.ErrConflict.
var ErrStalePreview = fmt.Errorf("the data changed since the preview (%w)", lapordesk.ErrConflict)

// Action is what an import does with one row.
type Action string

const (
	ActionAdd       Action = "add"       // a new report
	ActionUpdate    Action = "update"    // an existing report: the fields that differ are edited
	ActionUnchanged Action = "unchanged" // an existing report, already as the row says
	ActionProblem   Action = "problem"   // the row cannot be imported as it is
)

// RowPlan is what the import will do with one row.
type RowPlan struct {
	Row      int                     `json:"row"` // row number in the spreadsheet
	Action   Action                  `json:"action"`
	Ref      string                  `json:"ref,omitempty"` // tracking ID or agenda number
	Title    string                  `json:"title,omitempty"`
	Status   lapordesk.Status        `json:"status,omitempty"`
	ReportID uuid.UUID               `json:"report_id,omitzero"` // the existing report
	Changes  []lapordesk.FieldChange `json:"changes,omitempty"`  // edits of an existing report
	Problems []Problem               `json:"problems,omitempty"` // why the row cannot be imported
	Notes    []Problem               `json:"notes,omitempty"`    // what the import leaves as it is
	events   []lapordesk.Event
	parsed   *parsed // until the existing report is compared
}

// Preview is what an import would do, computed before anything is written.
type Preview struct {
	File      string    `json:"file"`
	Sheet     string    `json:"sheet,omitempty"`
	HeaderRow int       `json:"header_row"`
	Header    []string  `json:"header"`
	Mapping   Mapping   `json:"mapping"`
	Unmapped  []string  `json:"unmapped,omitempty"` // headers no field reads
	DataRows  int       `json:"data_rows"`          // rows read from the file
	Rows      []RowPlan `json:"rows"`
	Add       int       `json:"add"`
	Update    int       `json:"update"`
	Unchanged int       `json:"unchanged"`
	Problems  int       `json:"problems"` // rows with problems
	// FileProblems concern the whole file or mapping (a required column missing, a
	// mapped column absent); while there are any, nothing can be imported.
	FileProblems []Problem `json:"file_problems,omitempty"`
	Notes        []Problem `json:"notes,omitempty"` // remarks about the file
	applied      bool
}

// Blocked reports whether the preview cannot be applied as it is: a file problem,
// or rows with problems (which Apply can skip when asked).
func (p *Preview) Blocked() bool { return len(p.FileProblems) > 0 || p.Problems > 0 }

// AllProblems lists every problem of the preview, file problems first, then by row
// and column.
func (p *Preview) AllProblems() []Problem {
	out := append([]Problem(nil), p.FileProblems...)
	for _, r := range p.Rows {
		out = append(out, r.Problems...)
	}
	return out
}

// Defaults fill fields whose column is missing or empty in a row.
type Defaults struct {
	Classification  lapordesk.Classification  // default pengaduan
	Confidentiality lapordesk.Confidentiality // default biasa
	// Channel defaults to website for rows with a tracking ID (they came through
	// LAPOR!), else to walk_in.
	Channel lapordesk.Channel
	Unit    string // default this desk's unit
}

// Options steer Analyze.
type Options struct {
	Mapping  Mapping // nil: GuessMapping
	Defaults Defaults
	// Progress hears the rows analysed so far, of total. It is called from the
	// analysing goroutine.
	Progress func(done, total int)
}

// Analyze works out, without writing anything, what importing t would do: which
// rows add a report, which update one (matched by tracking ID, else by agenda
// number) and how, and what is wrong with the others, each problem named by row and
// column.
//
// A new report is recorded as its history: its receipt and the steps its status
// implies (verification, disposition, response, follow-up, closure, ...), dated from
// the row's dates. An existing report gets one edit event with the fields that
// differ; its status and dates stay as the desk's own history has them (noted in the
// preview). An empty cell never erases anything.
func Analyze(ctx context.Context, s *storage.Store, t *Table, o Options) (*Preview, error) {
	prof, err := s.Profile()
	if err != nil {
		return nil, err
	}
	v, err := newVocab()
	if err != nil {
		return nil, err
	}
	m := o.Mapping
	if m == nil {
		m = v.guess(t.Header)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	p := &Preview{File: t.File, Sheet: t.Sheet, HeaderRow: t.HeaderRow, Header: t.Header, Mapping: m, Notes: t.Notes, DataRows: len(t.Rows)}
	cols, probs := m.resolve(t.Header)
	p.FileProblems = probs
	for _, f := range []string{FieldTitle, FieldBody} {
		if _, ok := cols[f]; !ok && m[f] == "" {
			p.FileProblems = append(p.FileProblems, Problem{Code: ProblemMissingColumn, Field: f})
		}
	}
	used := map[int]bool{}
	for _, c := range cols {
		used[c] = true
	}
	for i, h := range t.Header {
		if !used[i+1] && h != "" {
			p.Unmapped = append(p.Unmapped, h)
		}
	}
	if len(p.FileProblems) > 0 {
		return p, nil
	}
	a, err := newAnalysis(ctx, s, t, cols, v, prof, o)
	if err != nil {
		return nil, err
	}
	existing := map[uuid.UUID][]int{} // report → indexes in p.Rows
	var ids []uuid.UUID
	for i, row := range t.Rows {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if o.Progress != nil {
				o.Progress(i, len(t.Rows))
			}
		}
		plan, id := a.row(row)
		p.Rows = append(p.Rows, plan)
		if id != uuid.Nil && len(plan.Problems) == 0 {
			if _, seen := existing[id]; !seen {
				ids = append(ids, id)
			}
			existing[id] = append(existing[id], len(p.Rows)-1)
		}
	}
	// Existing reports: read their current state in one go, then diff.
	err = s.Reports(ctx, ids, func(r lapordesk.Report) error {
		rows := existing[r.ID]
		a.update(&p.Rows[rows[0]], &r)
		// Two rows for one report (one by tracking ID, one by agenda number).
		for _, i := range rows[1:] {
			pr := a.problem(p.Rows[i].Row, FieldAgendaNo, ProblemDuplicateRow, r.Ref(), nil)
			pr.Other = p.Rows[rows[0]].Row
			p.Rows[i].Problems, p.Rows[i].Action, p.Rows[i].parsed = []Problem{pr}, ActionProblem, nil
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range p.Rows {
		switch {
		case len(r.Problems) > 0:
			p.Problems++
		case r.Action == ActionAdd:
			p.Add++
		case r.Action == ActionUpdate:
			p.Update++
		case r.Action == ActionUnchanged:
			p.Unchanged++
		}
	}
	if o.Progress != nil {
		o.Progress(len(t.Rows), len(t.Rows))
	}
	return p, nil
}

// Result is what an import wrote.
type Result struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"` // rows with problems, left out on request
}

// ApplyOptions steer Apply.
type ApplyOptions struct {
	// SkipProblems imports the good rows and leaves out the rows with problems;
	// without it, any problem means nothing is written.
	SkipProblems bool
	// Progress hears the reports written so far, of total.
	Progress func(done, total int)
}

// Apply writes what the preview showed, in one transaction: all of it or nothing.
// If the store changed since the preview in a way that touches it (another desk
// updated a report, a tracking ID arrived by sync), nothing is written and the
// error says to preview again.
func Apply(ctx context.Context, s *storage.Store, p *Preview, o ApplyOptions) (Result, error) {
	var res Result
	if p.applied {
		return res, fmt.Errorf("import %s: this preview was already imported: %w", p.File, lapordesk.ErrConflict)
	}
	if len(p.FileProblems) > 0 || (p.Problems > 0 && !o.SkipProblems) {
		n := p.Problems
		if len(p.FileProblems) > 0 {
			n = len(p.FileProblems)
		}
		return res, &FileError{Code: FileHasProblems, File: p.File, Detail: strconv.Itoa(n)}
	}
	res = Result{Added: p.Add, Updated: p.Update, Unchanged: p.Unchanged, Skipped: p.Problems}
	var events []lapordesk.Event
	for _, r := range p.Rows {
		if len(r.Problems) == 0 {
			events = append(events, r.events...)
		}
	}
	if len(events) > 0 {
		if err := s.RecordProgress(ctx, events, o.Progress); err != nil {
			if errors.Is(err, lapordesk.ErrConflict) || errors.Is(err, lapordesk.ErrInvalid) {
				// The preview checked every event against the store as it was; a
				// refusal now means the store moved on (an edit, a sync).
				return Result{}, fmt.Errorf("import %s: %w; preview again: %w", p.File, ErrStalePreview, err)
			}
			return Result{}, fmt.Errorf("import %s: %w", p.File, err)
		}
	}
	p.applied = true
	return res, nil
}

// analysis holds what Analyze needs for each row.
type analysis struct {
	t          *Table
	cols       map[string]int
	v          *vocab
	orders     map[string]Order
	loc        *time.Location
	now        time.Time
	unit       string // this desk's unit
	actor      string
	defaults   Defaults
	note       string // text of the events an import writes
	byTracking map[string]storage.ReportKey
	byAgenda   map[string]storage.ReportKey
	seenTrack  map[string]int // tracking ID → first row
	seenAgenda map[string]int
	cats       *lapordesk.CategoryTree
	catIndex   map[string][]string // normalized id, path or name → category IDs
	units      map[string][]string // normalized code or name → unit codes
}

func newAnalysis(ctx context.Context, s *storage.Store, t *Table, cols map[string]int, v *vocab, prof lapordesk.Profile, o Options) (*analysis, error) {
	a := &analysis{
		t: t, cols: cols, v: v, orders: map[string]Order{}, loc: s.Calendar().Location, now: s.Now(),
		unit: prof.UnitCode, actor: prof.Actor, defaults: o.Defaults,
		note:       i18n.Tf("exchange.import_note", "File", t.File),
		byTracking: map[string]storage.ReportKey{}, byAgenda: map[string]storage.ReportKey{},
		seenTrack: map[string]int{}, seenAgenda: map[string]int{},
		cats: s.Categories(), catIndex: map[string][]string{}, units: map[string][]string{},
	}
	if a.defaults.Classification == "" {
		a.defaults.Classification = lapordesk.Pengaduan
	}
	if a.defaults.Confidentiality == "" {
		a.defaults.Confidentiality = lapordesk.Biasa
	}
	if a.defaults.Unit == "" {
		a.defaults.Unit = prof.UnitCode
	}
	for f, c := range cols {
		if f == FieldIncidentDate || dateTimeFields[f] {
			vals := make([]string, 0, len(t.Rows))
			for _, r := range t.Rows {
				vals = append(vals, r.Get(c))
			}
			a.orders[f] = DetectOrder(vals)
		}
	}
	keys, err := s.ReportKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.TrackingID != "" {
			a.byTracking[k.TrackingID] = k
		}
		a.byAgenda[strings.ToUpper(k.AgendaNo)] = k
	}
	addIndex := func(m map[string][]string, key, val string) {
		key = normalize(key)
		if key == "" {
			return
		}
		for _, x := range m[key] {
			if x == val {
				return
			}
		}
		m[key] = append(m[key], val)
	}
	for _, c := range a.cats.All() {
		addIndex(a.catIndex, c.ID, c.ID)
		addIndex(a.catIndex, a.cats.Path(c.ID), c.ID)
		addIndex(a.catIndex, c.Name, c.ID)
	}
	for _, u := range s.Units() {
		addIndex(a.units, u.Code, u.Code)
		addIndex(a.units, u.Name, u.Code)
	}
	return a, nil
}

// parsed is one row read into report fields.
type parsed struct {
	n        lapordesk.NewReport
	set      map[string]bool // fields with a value in the row
	status   lapordesk.Status
	disposer string
	times    map[string]time.Time
	dateOnly map[string]bool
}

// problem makes a row problem about field (its column, when mapped).
func (a *analysis) problem(row int, field, code, value string, err error) Problem {
	p := Problem{Row: row, Field: field, Code: code, Value: shorten(value), Err: err}
	if c, ok := a.cols[field]; ok {
		p.Column = c
		p.Header = a.t.Header[c-1]
	}
	return p
}

// fieldProblems turns a domain validation error into row problems.
func (a *analysis) fieldProblems(row int, err error) []Problem {
	var ve lapordesk.ValidationErrors
	var fe *lapordesk.FieldError
	switch {
	case errors.As(err, &ve):
		out := make([]Problem, 0, len(ve))
		for _, e := range ve {
			out = append(out, a.problem(row, e.Field, e.Problem, e.Value, e))
		}
		return out
	case errors.As(err, &fe):
		return []Problem{a.problem(row, fe.Field, fe.Problem, fe.Value, fe)}
	}
	return []Problem{{Row: row, Code: "invalid", Err: err}}
}

// singleLine fields lose line breaks a spreadsheet cell may hold (Alt+Enter).
var singleLine = map[string]bool{
	FieldTitle: true, FieldKecamatan: true, FieldDesa: true, FieldReporterName: true, FieldReporterPhone: true,
	FieldReporterEmail: true, FieldReporterID: true, FieldTrackingID: true, FieldAgendaNo: true,
}

// parse reads a row's cells into report fields, collecting problems.
func (a *analysis) parse(row Row) (*parsed, []Problem) {
	d := &parsed{set: map[string]bool{}, times: map[string]time.Time{}, dateOnly: map[string]bool{}}
	var probs []Problem
	for _, f := range ImportFields {
		c, ok := a.cols[f]
		if !ok {
			continue
		}
		if a.t.Formulas[Cell{row.N, c}] {
			probs = append(probs, a.problem(row.N, f, ProblemFormula, "", nil))
			continue
		}
		raw := row.Get(c)
		val := strings.TrimSpace(raw)
		if a.t.Date1904 && (f == FieldIncidentDate || dateTimeFields[f]) {
			val = from1904(val)
		}
		if singleLine[f] {
			val = strings.Join(strings.Fields(val), " ")
		}
		if val == "" {
			continue
		}
		d.set[f] = true
		bad := func(code string, err error) { probs = append(probs, a.problem(row.N, f, code, val, err)) }
		switch f {
		case FieldTrackingID:
			d.n.TrackingID = strings.ReplaceAll(val, " ", "")
		case FieldAgendaNo:
			d.n.AgendaNo = val
		case FieldTitle:
			d.n.Title = val
		case FieldBody:
			d.n.Body = strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n"))
		case FieldClassification, FieldChannel, FieldConfidentiality, FieldStatus:
			code, ok := a.v.value(f, val)
			if !ok {
				bad(lapordesk.ProblemUnknown, nil)
				continue
			}
			switch f {
			case FieldClassification:
				d.n.Classification = lapordesk.Classification(code)
			case FieldChannel:
				d.n.Channel = lapordesk.Channel(code)
			case FieldConfidentiality:
				d.n.Confidentiality = lapordesk.Confidentiality(code)
			case FieldStatus:
				d.status = lapordesk.Status(code)
			}
		case FieldCategory:
			ids := a.catIndex[normalize(strings.ReplaceAll(val, "›", " "))]
			if len(ids) != 1 {
				bad(lapordesk.ProblemUnknown, nil)
				continue
			}
			d.n.CategoryID = ids[0]
		case FieldUnit, FieldDisposedBy:
			codes := a.units[normalize(val)]
			if len(codes) != 1 {
				bad(lapordesk.ProblemUnknown, nil)
				continue
			}
			if f == FieldUnit {
				d.n.Unit = codes[0]
			} else {
				d.disposer = codes[0]
			}
		case FieldIncidentDate:
			date, err := ParseDate(val, a.orders[f])
			if err != nil {
				bad(err.(*DateError).Problem, err)
				continue
			}
			d.n.IncidentDate = date
		case FieldKecamatan:
			d.n.Location.Kecamatan = val
		case FieldDesa:
			d.n.Location.Desa = val
		case FieldLocationDetail:
			d.n.Location.Detail = strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n"))
		case FieldLat, FieldLon:
			x, err := strconv.ParseFloat(strings.Replace(val, ",", ".", 1), 64)
			if err != nil {
				bad(ProblemNotNumber, nil)
				continue
			}
			if f == FieldLat {
				d.n.Location.Lat = &x
			} else {
				d.n.Location.Lon = &x
			}
		case FieldReporterName:
			d.n.Reporter.Name = val
		case FieldReporterPhone:
			d.n.Reporter.Phone = val
		case FieldReporterEmail:
			d.n.Reporter.Email = val
		case FieldReporterID:
			d.n.Reporter.IDNumber = strings.ReplaceAll(val, " ", "")
		default:
			if dateTimeFields[f] {
				m, err := ParseMoment(val, a.orders[f])
				if err != nil {
					bad(err.(*DateError).Problem, err)
					continue
				}
				// Exports keep times to the second; so does the comparison.
				d.times[f] = m.In(a.loc).Truncate(time.Second)
				d.dateOnly[f] = !m.HasTime
				if d.times[f].After(a.now.Add(time.Hour)) {
					bad(ProblemFuture, nil)
				}
			}
		}
	}
	return d, probs
}

// from1904 moves a serial date of the 1904 date system into the 1900 one.
func from1904(v string) string {
	if x, err := strconv.ParseFloat(v, 64); err == nil && allDigitsOrDot(v) {
		return strconv.FormatFloat(x+1462, 'f', -1, 64)
	}
	return v
}

func allDigitsOrDot(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

// mergedProblems names the merged ranges that cover the row's mapped cells: a
// merged cell holds its value only in the first row, the others would read empty.
func (a *analysis) mergedProblems(row Row) []Problem {
	var out []Problem
	for _, rg := range a.t.Merged {
		if row.N < rg.From.Row || row.N > rg.To.Row {
			continue
		}
		for _, f := range ImportFields {
			c, ok := a.cols[f]
			if ok && c >= rg.From.Col && c <= rg.To.Col {
				p := a.problem(row.N, f, ProblemMerged, rg.Ref, nil)
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// row analyses one row; for a row matching an existing report it returns the
// report's ID, and update() finishes the plan once the report is read.
func (a *analysis) row(row Row) (RowPlan, uuid.UUID) {
	plan := RowPlan{Row: row.N}
	d, probs := a.parse(row)
	probs = append(probs, a.mergedProblems(row)...)
	plan.Title, plan.Status = d.n.Title, d.status
	plan.Ref = d.n.TrackingID
	if plan.Ref == "" {
		plan.Ref = d.n.AgendaNo
	}
	// The same report twice in one file: the later row is a problem.
	if tr := d.n.TrackingID; tr != "" {
		if first, dup := a.seenTrack[tr]; dup {
			p := a.problem(row.N, FieldTrackingID, ProblemDuplicateRow, tr, nil)
			p.Other = first
			probs = append(probs, p)
		} else {
			a.seenTrack[tr] = row.N
		}
	}
	if ag := strings.ToUpper(d.n.AgendaNo); ag != "" {
		if first, dup := a.seenAgenda[ag]; dup {
			p := a.problem(row.N, FieldAgendaNo, ProblemDuplicateRow, d.n.AgendaNo, nil)
			p.Other = first
			probs = append(probs, p)
		} else {
			a.seenAgenda[ag] = row.N
		}
	}
	var match storage.ReportKey
	found := false
	if d.n.TrackingID != "" {
		match, found = a.byTracking[d.n.TrackingID]
	}
	if !found && d.n.AgendaNo != "" {
		match, found = a.byAgenda[strings.ToUpper(d.n.AgendaNo)]
		if found && match.TrackingID != "" && d.n.TrackingID != "" && match.TrackingID != d.n.TrackingID {
			p := a.problem(row.N, FieldTrackingID, ProblemTrackingClash, d.n.TrackingID, nil)
			p.Value = match.TrackingID
			probs = append(probs, p)
		}
	}
	plan.Problems = probs
	defer sortProblems(plan.Problems)
	if found {
		if len(probs) > 0 {
			plan.Action = ActionProblem
			return plan, uuid.Nil
		}
		plan.ReportID = match.ID
		plan.Action = ActionUnchanged
		plan.parsed = d
		return plan, match.ID
	}
	// A new report: validate it whole even when cells already failed, so the
	// preview names every problem of the row at once.
	a.add(&plan, d)
	return plan, uuid.Nil
}

// sortProblems orders a row's problems by column.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Column < ps[j].Column })
}

// addProblems appends problems about fields that have none yet (a cell that
// failed to parse also reads as empty to the validation that follows).
func addProblems(plan *RowPlan, more []Problem) {
	has := map[string]bool{}
	for _, p := range plan.Problems {
		has[p.Field] = true
	}
	for _, p := range more {
		if p.Field == "" || !has[p.Field] {
			plan.Problems = append(plan.Problems, p)
		}
	}
}
