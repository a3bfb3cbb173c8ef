package ui

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/exchange"
	"github.com/lapordesk/lapordesk/i18n"
)

// The import wizard's steps.
const (
	stepFile = iota
	stepMapping
	stepPreview
	stepResult
	stepCount
)

// previewShown is how many problems the preview spells out above its table.
const previewShown = 3

// importWizard leads through an import: the file (and its sheet), its columns,
// the preview, and only then the import itself, in one transaction. Each long
// step runs off the UI goroutine with a progress bar and can be cancelled;
// nothing is written before Impor.
type importWizard struct {
	d     *Desk
	dlg   *dialog.CustomDialog
	step  int
	title *widget.Label
	body  *fyne.Container
	prog  *progressBox
	err   *widget.Label
	back  *keyButton
	next  *keyButton
	close *keyButton
	views [stepCount]fyne.CanvasObject
	quiet bool // widgets are being set by code, not by the user

	// Step 1: the file.
	path   *lineEntry
	browse *widget.Button

	// Step 2: the columns.
	table     *exchange.Table
	mapping   exchange.Mapping
	saved     map[string]exchange.Mapping
	fileInfo  *widget.Label
	sheet     *widget.Select
	sheetRow  *fyne.Container
	savedSel  *widget.Select
	savedDel  *widget.Button
	savedRow  *fyne.Container
	choices   *fyne.Container // the sheet and the saved mappings, when there are any
	mapForm   *form
	selects   map[string]*widget.Select
	fieldsBox *fyne.Container
	unused    *widget.Label
	saveName  *widget.Entry
	saveMap   *widget.Button
	saveNote  *widget.Label

	// Step 3: the preview.
	preview      *exchange.Preview
	stale        bool // the store changed since the preview: analyse again
	counts       map[exchange.Action]*widget.Label
	summary      *widget.Label
	fileProblems *widget.Label
	problems     *widget.Label
	notes        *widget.Label
	onlyProblems *widget.Check
	shown        []int // indexes of preview.Rows in the table
	grid         *widget.Table
	rowDetail    *widget.Label
	skip         *widget.Check
	hint         *widget.Label

	// Step 4: the result.
	result *widget.Label
}

// importWizard opens the import wizard (Berkas › Impor…, Ctrl+I).
func (d *Desk) importWizard() {
	w := &importWizard{d: d, title: heading(""), prog: newProgressBox(), err: wrapLabel("")}
	w.err.Importance = widget.DangerImportance
	w.err.Hide()
	w.back = newKeyButton(i18n.T("ui.import.back"), theme.NavigateBackIcon(), w.doBack, w.doClose)
	w.next = newKeyButton("", theme.NavigateNextIcon(), w.doNext, w.doClose)
	w.next.Importance = widget.HighImportance
	w.close = newKeyButton(i18n.T("ui.cancel"), theme.CancelIcon(), w.doClose, w.doClose)
	w.views = [stepCount]fyne.CanvasObject{w.fileStep(), w.mappingStep(), w.previewStep(), w.resultStep()}
	w.body = container.NewStack()
	content := border(container.NewVBox(w.title, widget.NewSeparator()), container.NewVBox(w.prog.box, w.err), nil, nil, w.body)
	w.dlg = dialog.NewCustomWithoutButtons(i18n.T("ui.import.title"), content, d.win)
	w.dlg.SetButtons([]fyne.CanvasObject{w.close, w.back, w.next})
	d.dialogs++
	d.ex.wizard = w
	w.dlg.SetOnClosed(func() {
		d.dialogs--
		if d.ex.wizard == w {
			d.ex.wizard = nil
		}
	})
	w.goTo(stepFile)
	w.dlg.Resize(fyne.NewSize(1060, 630))
	w.dlg.Show()
	d.win.Canvas().Focus(w.path)
}

// goTo shows a step and sets the buttons for it.
func (w *importWizard) goTo(step int) {
	w.step = step
	w.body.Objects = []fyne.CanvasObject{w.views[step]}
	w.body.Refresh()
	names := []string{"ui.import.step.file", "ui.import.step.mapping", "ui.import.step.preview", "ui.import.step.result"}
	w.title.SetText(i18n.Tf("ui.import.step", "N", step+1, "Of", stepCount) + " · " + i18n.T(names[step]))
	w.hideErr()
	switch step {
	case stepFile:
		w.next.SetText(i18n.T("ui.import.next"))
	case stepMapping:
		w.next.SetText(i18n.T("ui.import.to_preview"))
	case stepPreview:
		w.next.SetText(i18n.T("ui.import.apply"))
	case stepResult:
		w.next.SetText(i18n.T("ui.task.close"))
		w.next.SetIcon(theme.ConfirmIcon())
	}
	w.busy(false)
	if step != stepFile {
		w.d.win.Canvas().Focus(w.next)
	}
}

// busy disables the step's buttons while a long step runs.
func (w *importWizard) busy(on bool) {
	if on {
		w.hideErr()
		w.back.Disable()
		w.next.Disable()
		return
	}
	if w.step == stepFile || w.step == stepResult {
		w.back.Hide()
	} else {
		w.back.Show()
		w.back.Enable()
	}
	if w.step == stepResult {
		w.close.Hide()
	}
	w.next.Enable()
	if w.step == stepPreview {
		w.updateApply()
	}
}

func (w *importWizard) showErr(err error) {
	w.err.SetText(describe(err))
	w.err.Show()
}

func (w *importWizard) hideErr() {
	w.err.SetText("")
	w.err.Hide()
}

func (w *importWizard) doNext() {
	switch w.step {
	case stepFile:
		w.read("")
	case stepMapping:
		w.analyze()
	case stepPreview:
		if w.stale {
			w.analyze()
			return
		}
		w.apply()
	case stepResult:
		w.dlg.Hide()
	}
}

func (w *importWizard) doBack() {
	if w.step > stepFile && w.step < stepResult {
		w.goTo(w.step - 1)
	}
}

func (w *importWizard) doClose() {
	if w.prog.active {
		w.prog.doCancel()
	}
	w.dlg.Hide()
}

// --- step 1: the file ---

func (w *importWizard) fileStep() fyne.CanvasObject {
	w.path = newEntry()
	w.path.SetPlaceHolder(i18n.T("ui.import.path_hint"))
	w.path.OnSubmitted = func(string) { w.doNext() }
	w.path.setEscape(w.doClose)
	w.browse = widget.NewButtonWithIcon(i18n.T("ui.import.browse"), theme.FolderOpenIcon(), func() {
		w.d.ex.chooseOpen([]string{".xlsx", ".xlsm", ".csv", ".txt"}, func(path string) {
			w.path.SetText(path)
			w.doNext()
		})
	})
	intro := wrapLabel(i18n.T("ui.import.intro"))
	formats := wrapLabel(i18n.T("ui.import.formats"))
	formats.Importance = widget.LowImportance
	row := container.NewBorder(nil, nil, widget.NewLabel(i18n.T("ui.import.file")), w.browse, w.path)
	return container.NewVBox(intro, row, formats)
}

// read reads the file (sheet "" for the first) and the saved mappings, and
// proposes a mapping of its columns.
func (w *importWizard) read(sheet string) {
	path := strings.TrimSpace(w.path.Text)
	if path == "" {
		w.showErr(message(i18n.T("ui.import.no_file")))
		return
	}
	type readResult struct {
		table *exchange.Table
		guess exchange.Mapping
		saved map[string]exchange.Mapping
	}
	store := w.d.store
	w.busy(true)
	runTask(w.d, w.prog, i18n.Tf("ui.import.reading", "File", filepath.Base(path)), rowsUnit,
		func(ctx context.Context, report func(done, total int64)) (readResult, error) {
			t, err := exchange.Read(ctx, path, exchange.ReadOptions{Sheet: sheet, Progress: reportRows(report)})
			if err != nil {
				return readResult{}, err
			}
			guess, err := exchange.GuessMapping(t.Header)
			if err != nil {
				return readResult{}, err
			}
			saved, err := exchange.Mappings(ctx, store)
			return readResult{t, guess, saved}, err
		}, func(r readResult, err error) {
			w.busy(false)
			if err != nil {
				w.showErr(err)
				return
			}
			w.table, w.saved, w.preview = r.table, r.saved, nil
			w.fillMapping(r.guess)
			w.goTo(stepMapping)
		})
}

// --- step 2: the columns ---

func (w *importWizard) mappingStep() fyne.CanvasObject {
	w.fileInfo = wrapLabel("")
	w.sheet = widget.NewSelect(nil, func(s string) {
		if !w.quiet && w.table != nil && s != w.table.Sheet {
			w.read(s)
		}
	})
	w.sheetRow = container.NewHBox(widget.NewLabel(i18n.T("ui.import.sheet")), w.sheet)
	w.savedSel = widget.NewSelect(nil, func(name string) {
		if !w.quiet {
			if m, ok := w.saved[name]; ok {
				w.setMapping(maps.Clone(m))
			}
		}
	})
	w.savedSel.PlaceHolder = i18n.T("ui.select")
	w.savedDel = widget.NewButtonWithIcon(i18n.T("ui.import.mapping_delete"), theme.DeleteIcon(), w.deleteMapping)
	w.savedDel.Importance = widget.LowImportance
	w.savedRow = container.NewHBox(widget.NewLabel(i18n.T("ui.import.mapping_saved")), w.savedSel, w.savedDel)
	w.fieldsBox = container.NewStack()
	w.unused = wrapLabel("")
	w.unused.Importance = widget.LowImportance
	w.saveName = widget.NewEntry()
	w.saveName.SetPlaceHolder(i18n.T("ui.import.mapping_name_hint"))
	w.saveMap = widget.NewButtonWithIcon(i18n.T("ui.import.mapping_save"), theme.DocumentSaveIcon(), w.saveMapping)
	w.saveNote = widget.NewLabel("")
	help := wrapLabel(i18n.T("ui.import.mapping_help"))
	help.Importance = widget.LowImportance
	save := container.NewBorder(nil, nil, widget.NewLabel(i18n.T("ui.import.mapping_save_as")), container.NewHBox(w.saveMap, w.saveNote), w.saveName)
	w.choices = container.NewHBox(w.sheetRow, w.savedRow)
	top := container.NewVBox(w.fileInfo, w.choices, help)
	return border(top, container.NewVBox(w.unused, save), nil, nil, container.NewVScroll(w.fieldsBox))
}

// fillMapping builds the column choosers for the file read, in two columns, each
// field with the file's headers to choose from.
func (w *importWizard) fillMapping(guess exchange.Mapping) {
	t := w.table
	info := i18n.Tf("ui.import.file_info", "File", t.File, "Rows", formatInt(len(t.Rows)), "Header", t.HeaderRow)
	for _, n := range t.Notes {
		info += "\n" + exchange.Message(n)
	}
	w.fileInfo.SetText(info)
	w.quiet = true
	w.sheet.Options = t.Sheets
	w.sheet.SetSelected(t.Sheet)
	w.quiet = false
	if len(t.Sheets) > 1 {
		w.sheetRow.Show()
	} else {
		w.sheetRow.Hide()
	}
	w.fillSaved("")

	headers := fileHeaders(t.Header)
	w.mapForm = newForm()
	w.selects = map[string]*widget.Select{}
	left := w.mapForm.grid
	half := (len(exchange.ImportFields) + 1) / 2
	var right *fyne.Container
	for i, f := range exchange.ImportFields {
		if i == half {
			right = w.mapForm.section()
		}
		f := f
		sel := widget.NewSelect(append([]string{i18n.T("ui.import.unused")}, headers...), func(h string) {
			if w.quiet {
				return
			}
			if h == i18n.T("ui.import.unused") {
				delete(w.mapping, f)
			} else {
				w.mapping[f] = h
			}
			w.mapForm.clear()
			w.showUnused()
		})
		w.selects[f] = sel
		w.mapForm.add(f, exchange.FieldLabel(f), f == exchange.FieldTitle || f == exchange.FieldBody, sel)
	}
	w.fieldsBox.Objects = []fyne.CanvasObject{container.NewVBox(w.mapForm.general, container.NewGridWithColumns(2, left, right))}
	w.fieldsBox.Refresh()
	w.setMapping(guess)
}

// fileHeaders are the headers a column chooser offers: each once, none empty.
func fileHeaders(header []string) []string {
	var out []string
	for _, h := range header {
		if strings.TrimSpace(h) != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// setMapping shows m in the column choosers. A header the file lacks (from a
// saved mapping) stays in the mapping, and the preview names it as a problem.
func (w *importWizard) setMapping(m exchange.Mapping) {
	if m == nil {
		m = exchange.Mapping{}
	}
	w.mapping = m
	w.quiet = true
	for f, sel := range w.selects {
		h, ok := m[f]
		switch {
		case !ok:
			sel.SetSelectedIndex(0)
		case slices.Contains(sel.Options, h):
			sel.SetSelected(h)
		default:
			sel.Options = append(sel.Options, h)
			sel.SetSelected(h)
		}
	}
	w.quiet = false
	w.mapForm.clear()
	w.showUnused()
}

// showUnused names the file's columns no field reads.
func (w *importWizard) showUnused() {
	used := map[string]bool{}
	for _, h := range w.mapping {
		used[strings.ToLower(strings.TrimSpace(h))] = true
	}
	var rest []string
	for _, h := range fileHeaders(w.table.Header) {
		if !used[strings.ToLower(strings.TrimSpace(h))] {
			rest = append(rest, h)
		}
	}
	if len(rest) == 0 {
		w.unused.Hide()
		return
	}
	w.unused.SetText(i18n.Tf("exchange.cli.unmapped", "List", strings.Join(rest, ", ")))
	w.unused.Show()
}

// fillSaved lists the saved mappings, selecting name.
func (w *importWizard) fillSaved(name string) {
	names := slices.Sorted(maps.Keys(w.saved))
	w.quiet = true
	w.savedSel.Options = names
	if name != "" {
		w.savedSel.SetSelected(name)
	} else {
		w.savedSel.ClearSelected()
	}
	w.quiet = false
	w.savedSel.Refresh()
	if len(names) == 0 {
		w.savedRow.Hide()
	} else {
		w.savedRow.Show()
	}
	if w.sheetRow.Visible() || w.savedRow.Visible() {
		w.choices.Show()
	} else {
		w.choices.Hide()
	}
}

// saveMapping saves the columns chosen under a name, for the next file of this
// layout (the CLI's --mapping NAME uses it too).
func (w *importWizard) saveMapping() {
	name := strings.TrimSpace(w.saveName.Text)
	m := maps.Clone(w.mapping)
	store := w.d.store
	w.saveNote.SetText("")
	Go(w.d.async, func(ctx context.Context) (map[string]exchange.Mapping, error) {
		if err := exchange.SaveMapping(ctx, store, name, m); err != nil {
			return nil, err
		}
		return exchange.Mappings(ctx, store)
	}, func(saved map[string]exchange.Mapping, err error) {
		if err != nil {
			w.mapForm.show(mappingNamed(err))
			return
		}
		w.mapForm.clear()
		w.saved = saved
		w.fillSaved(name)
		w.saveNote.SetText(i18n.Tf("exchange.cli.mapping_saved", "Name", name))
	})
}

// mappingNamed words a refused mapping name as the mapping's name, not a field.
func mappingNamed(err error) error {
	var fe *lapordesk.FieldError
	if errors.As(err, &fe) && fe.Field == "mapping" {
		return message(i18n.FieldError(&lapordesk.FieldError{Field: "mapping_name", Problem: fe.Problem, Value: fe.Value, Limit: fe.Limit, Length: fe.Length}))
	}
	return err
}

func (w *importWizard) deleteMapping() {
	name := w.savedSel.Selected
	if name == "" {
		return
	}
	store := w.d.store
	Go(w.d.async, func(ctx context.Context) (map[string]exchange.Mapping, error) {
		if err := exchange.DeleteMapping(ctx, store, name); err != nil {
			return nil, err
		}
		return exchange.Mappings(ctx, store)
	}, func(saved map[string]exchange.Mapping, err error) {
		if err != nil {
			w.showErr(err)
			return
		}
		w.saved = saved
		w.fillSaved("")
	})
}

// analyze works out what the import would do, writing nothing.
func (w *importWizard) analyze() {
	t, m, store := w.table, maps.Clone(w.mapping), w.d.store
	w.busy(true)
	runTask(w.d, w.prog, i18n.Tf("ui.import.analysing", "N", formatInt(len(t.Rows))), rowsUnit,
		func(ctx context.Context, report func(done, total int64)) (*exchange.Preview, error) {
			return exchange.Analyze(ctx, store, t, exchange.Options{Mapping: m, Progress: reportRows(report)})
		}, func(p *exchange.Preview, err error) {
			w.busy(false)
			if err != nil {
				var ve lapordesk.ValidationErrors
				var fe *lapordesk.FieldError
				if errors.As(err, &ve) || errors.As(err, &fe) {
					// A column chosen for two fields: shown beside the fields.
					w.goTo(stepMapping)
					w.mapForm.show(err)
					return
				}
				w.showErr(err)
				return
			}
			w.preview, w.stale = p, false
			w.fillPreview()
			w.goTo(stepPreview)
		})
}

// --- step 3: the preview ---

var previewActions = []exchange.Action{exchange.ActionAdd, exchange.ActionUpdate, exchange.ActionUnchanged, exchange.ActionProblem}

func (w *importWizard) previewStep() fyne.CanvasObject {
	w.counts = map[exchange.Action]*widget.Label{}
	cards := container.NewGridWithColumns(len(previewActions))
	for _, a := range previewActions {
		n := widget.NewLabel("0")
		n.TextStyle = fyne.TextStyle{Bold: true}
		n.SizeName = theme.SizeNameHeadingText
		w.counts[a] = n
		name := widget.NewLabel(i18n.T("ui.import.count." + string(a)))
		name.Importance = widget.LowImportance
		cards.Add(panel(container.NewHBox(n, container.NewCenter(name))))
	}
	w.summary = widget.NewLabel("")
	w.summary.Importance = widget.LowImportance
	w.fileProblems = wrapLabel("")
	w.fileProblems.Importance = widget.DangerImportance
	w.problems = wrapLabel("")
	w.problems.Importance = widget.DangerImportance
	w.notes = wrapLabel("")
	w.notes.Importance = widget.LowImportance
	w.onlyProblems = widget.NewCheck(i18n.T("ui.import.only_problems"), func(bool) { w.filterRows() })
	w.grid = widget.NewTable(func() (int, int) { return len(w.shown), len(previewColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}, w.updateCell)
	w.grid.ShowHeaderRow = true
	w.grid.CreateHeader = func() fyne.CanvasObject { return heading("") }
	w.grid.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(i18n.T("ui.import.col." + previewColumns[id.Col].key))
		}
	}
	for i, c := range previewColumns {
		w.grid.SetColumnWidth(i, c.width)
	}
	w.grid.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(w.shown) {
			w.rowDetail.SetText(w.rowText(w.preview.Rows[w.shown[id.Row]], "\n"))
			w.rowDetail.Show()
		}
	}
	w.rowDetail = wrapLabel("")
	w.rowDetail.Hide()
	w.skip = widget.NewCheck(i18n.T("ui.import.skip"), func(bool) { w.updateApply() })
	w.hint = wrapLabel("")
	top := container.NewVBox(cards, w.summary, w.fileProblems, w.problems, w.notes, w.onlyProblems)
	bottom := container.NewVBox(w.rowDetail, w.skip, w.hint)
	return border(top, bottom, nil, nil, w.grid)
}

var previewColumns = []struct {
	key   string
	width float32
}{{"row", 64}, {"action", 130}, {"ref", 150}, {"title", 260}, {"detail", 380}}

func (w *importWizard) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(w.shown) {
		l.SetText("")
		return
	}
	r := w.preview.Rows[w.shown[id.Row]]
	l.Importance = widget.MediumImportance
	switch previewColumns[id.Col].key {
	case "row":
		l.SetText(formatInt(r.Row))
	case "action":
		if r.Action == exchange.ActionProblem {
			l.Importance = widget.DangerImportance
		}
		l.SetText(i18n.T("ui.import.action." + string(r.Action)))
	case "ref":
		l.SetText(r.Ref)
	case "title":
		l.SetText(r.Title)
	default:
		if r.Action == exchange.ActionProblem {
			l.Importance = widget.DangerImportance
		}
		l.SetText(w.rowText(r, "; "))
	}
	l.Refresh()
}

// rowText is what the table says about a row: its problems, else the fields it
// changes, then its notes, each in the user's words with its row and column.
func (w *importWizard) rowText(r exchange.RowPlan, sep string) string {
	var parts []string
	for _, p := range r.Problems {
		parts = append(parts, exchange.Message(p))
	}
	if len(r.Changes) > 0 {
		var fields []string
		for _, c := range r.Changes {
			fields = append(fields, exchange.FieldLabel(c.Field))
		}
		parts = append(parts, i18n.Tf("ui.import.changes", "List", strings.Join(fields, ", ")))
	}
	for _, n := range r.Notes {
		parts = append(parts, exchange.Message(n))
	}
	return strings.Join(parts, sep)
}

// fillPreview shows the preview: the counts, the problems (the first ones
// spelled out), the notes, and a row per row of the file.
func (w *importWizard) fillPreview() {
	p := w.preview
	w.counts[exchange.ActionAdd].SetText(formatInt(p.Add))
	w.counts[exchange.ActionUpdate].SetText(formatInt(p.Update))
	w.counts[exchange.ActionUnchanged].SetText(formatInt(p.Unchanged))
	w.counts[exchange.ActionProblem].SetText(formatInt(p.Problems))
	name := p.File
	if p.Sheet != "" {
		name += " [" + p.Sheet + "]"
	}
	w.summary.SetText(i18n.Tf("ui.import.summary", "Rows", formatInt(p.DataRows), "File", name))
	setLines(w.fileProblems, p.FileProblems, len(p.FileProblems), "")
	var rowProblems []exchange.Problem
	for _, r := range p.Rows {
		rowProblems = append(rowProblems, r.Problems...)
	}
	setLines(w.problems, rowProblems, previewShown, "ui.import.more_problems")
	notes := p.Notes
	for _, r := range p.Rows {
		notes = append(notes, r.Notes...)
	}
	setLines(w.notes, notes, previewShown, "ui.import.more_notes")
	w.quiet = true
	w.onlyProblems.SetChecked(false)
	w.skip.SetChecked(false)
	w.quiet = false
	if p.Problems > 0 && len(p.FileProblems) == 0 {
		w.onlyProblems.Show()
		w.skip.Show()
	} else {
		w.onlyProblems.Hide()
		w.skip.Hide()
	}
	w.rowDetail.Hide()
	w.filterRows()
	w.updateApply()
}

// setLines shows up to max problems in l, one a line, and how many more there are.
func setLines(l *widget.Label, ps []exchange.Problem, max int, moreKey string) {
	if len(ps) == 0 {
		l.Hide()
		return
	}
	var lines []string
	for i, p := range ps {
		if i == max {
			lines = append(lines, i18n.Tf(moreKey, "N", formatInt(len(ps)-max)))
			break
		}
		lines = append(lines, exchange.Message(p))
	}
	l.SetText(strings.Join(lines, "\n"))
	l.Show()
}

func (w *importWizard) filterRows() {
	w.shown = w.shown[:0]
	if w.preview != nil {
		for i, r := range w.preview.Rows {
			if !w.onlyProblems.Checked || r.Action == exchange.ActionProblem {
				w.shown = append(w.shown, i)
			}
		}
	}
	w.grid.UnselectAll()
	w.grid.Refresh()
	w.grid.ScrollToTop()
}

// updateApply enables Impor when the preview can be imported: no problem with the
// file, rows with problems left out by choice, and something to write.
func (w *importWizard) updateApply() {
	p := w.preview
	if p == nil || w.step != stepPreview {
		return
	}
	if w.stale {
		w.next.SetText(i18n.T("ui.import.preview_again"))
		w.next.Enable()
		w.hint.SetText(i18n.T("exchange.stale_preview"))
		return
	}
	w.next.SetText(i18n.T("ui.import.apply"))
	ok := false
	switch {
	case len(p.FileProblems) > 0:
		w.hint.SetText(i18n.T("ui.import.hint.file_problems"))
	case p.Problems > 0 && !w.skip.Checked:
		w.hint.SetText(i18n.Tf("ui.import.hint.problems", "N", formatInt(p.Problems)))
	case p.Add+p.Update == 0:
		w.hint.SetText(i18n.T("exchange.cli.nothing"))
	default:
		ok = true
		w.hint.SetText(i18n.Tf("ui.import.hint.ready", "Add", formatInt(p.Add), "Update", formatInt(p.Update)))
	}
	if ok {
		w.next.Enable()
	} else {
		w.next.Disable()
	}
}

// apply imports what the preview showed, in one transaction.
func (w *importWizard) apply() {
	p, skip, store := w.preview, w.skip.Checked, w.d.store
	w.busy(true)
	runTask(w.d, w.prog, i18n.T("ui.import.applying"), rowsUnit,
		func(ctx context.Context, report func(done, total int64)) (exchange.Result, error) {
			return exchange.Apply(ctx, store, p, exchange.ApplyOptions{SkipProblems: skip, Progress: reportRows(report)})
		}, func(res exchange.Result, err error) {
			if errors.Is(err, exchange.ErrStalePreview) {
				w.stale = true
			}
			w.busy(false)
			if err != nil {
				w.showErr(err)
				return
			}
			w.result.SetText(i18n.Tf("exchange.cli.imported", "Added", res.Added, "Updated", res.Updated, "Unchanged", res.Unchanged, "Skipped", res.Skipped))
			w.goTo(stepResult)
			w.d.changed()
		})
}

// --- step 4: the result ---

func (w *importWizard) resultStep() fyne.CanvasObject {
	w.result = wrapLabel("")
	w.result.TextStyle = fyne.TextStyle{Bold: true}
	note := wrapLabel(i18n.T("ui.import.done_note"))
	note.Importance = widget.LowImportance
	return container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(theme.ConfirmIcon()), nil, w.result), note)
}
