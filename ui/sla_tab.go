package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// slaTab is Pengaturan › Batas waktu: the working-day limits of each step, by default
// and per classification.
type slaTab struct {
	d       *Desk
	cells   map[string]*widget.Entry // "<column>.<field>"; column "" is the default
	working map[string]*widget.Check
	dueSoon *widget.Entry
	pause   *widget.CheckGroup
	form    *form
	save    *saveBar
	content fyne.CanvasObject
}

// slaColumns are the default and one column per classification.
func slaColumns() []string {
	cols := []string{""}
	for _, c := range lapordesk.Classifications {
		cols = append(cols, string(c))
	}
	return cols
}

func slaKey(col, field string) string {
	if col == "" {
		return field
	}
	return col + "." + field
}

func newSLATab(d *Desk) *slaTab {
	t := &slaTab{d: d, cells: map[string]*widget.Entry{}, working: map[string]*widget.Check{}, form: newForm(), dueSoon: widget.NewEntry()}
	cols := slaColumns()
	// One row per limit: its name in a fixed column, then a cell per column.
	grid := container.NewVBox()
	row := func(name fyne.CanvasObject, cells ...fyne.CanvasObject) {
		grid.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(250, name.MinSize().Height), name), nil,
			container.NewGridWithColumns(len(cells), cells...)))
	}
	var heads []fyne.CanvasObject
	for _, c := range cols {
		name := i18n.T("ui.sla.default")
		if c != "" {
			name = i18n.Classification(lapordesk.Classification(c))
		}
		hd := heading(name)
		hd.Truncation = fyne.TextTruncateEllipsis
		heads = append(heads, hd)
	}
	row(widget.NewLabel(""), heads...)
	for _, f := range slaFields {
		var cells []fyne.CanvasObject
		for _, c := range cols {
			e := widget.NewEntry()
			if c != "" {
				e.SetPlaceHolder(i18n.T("ui.sla.same"))
			}
			t.cells[slaKey(c, f)] = e
			cells = append(cells, e)
		}
		row(widget.NewLabel(i18n.Field(f)), cells...)
	}
	var checks []fyne.CanvasObject
	for _, c := range cols {
		ch := widget.NewCheck(i18n.T("ui.sla.working_days"), nil)
		t.working[c] = ch
		checks = append(checks, ch)
	}
	row(widget.NewLabel(i18n.T("ui.sla.working")), checks...)
	var open []string
	for _, s := range lapordesk.Statuses {
		if s.Open() {
			open = append(open, i18n.Status(s))
		}
	}
	t.pause = widget.NewCheckGroup(open, nil)
	f := t.form
	// Each problem is named with its column, above the table.
	f.add("due_soon_days", i18n.Field("due_soon_days"), true, t.dueSoon)
	f.add("pause_statuses", i18n.Field("pause_statuses"), false, t.pause)
	t.save = newSaveBar(i18n.T("ui.save"), t.doSave)
	note := wrapLabel(i18n.T("ui.sla.note"))
	note.Importance = widget.LowImportance
	if d.store.HubOwned() {
		owned := wrapLabel(i18n.T("ui.refdata.hub_owned"))
		owned.Importance = widget.WarningImportance
		for _, e := range t.cells {
			e.Disable()
		}
		for _, c := range t.working {
			c.Disable()
		}
		t.dueSoon.Disable()
		t.pause.Disable()
		t.content = scrollPad(container.NewVBox(note, owned, panel(grid), f.grid))
		return t
	}
	t.content = scrollPad(container.NewVBox(note, f.general, panel(grid), f.grid, t.save.view()))
	return t
}

func (t *slaTab) fill(p lapordesk.Policy) {
	set := func(col string, s lapordesk.SLA) {
		for _, f := range slaFields {
			v := map[string]int{"verify_days": s.VerifyDays, "follow_up_days": s.FollowUpDays, "auto_close_days": s.AutoCloseDays, "resolution_days": s.ResolutionDays}[f]
			t.cells[slaKey(col, f)].SetText(strconv.Itoa(v))
		}
		t.working[col].SetChecked(s.ResolutionWorkingDays)
	}
	set("", p.Default)
	for _, c := range lapordesk.Classifications {
		col := string(c)
		if s, ok := p.ByClassification[c]; ok {
			set(col, s)
			continue
		}
		for _, f := range slaFields {
			t.cells[slaKey(col, f)].SetText("")
		}
		t.working[col].SetChecked(p.Default.ResolutionWorkingDays)
	}
	t.dueSoon.SetText(strconv.Itoa(p.DueSoonDays))
	var sel []string
	for _, s := range p.PauseStatuses {
		sel = append(sel, i18n.Status(s))
	}
	t.pause.SetSelected(sel)
}

// policy reads the table; a classification column left empty follows the default.
func (t *slaTab) policy() (lapordesk.Policy, error) {
	var errs lapordesk.ValidationErrors
	num := func(key string) int {
		txt := strings.TrimSpace(t.cells[key].Text)
		n, err := strconv.Atoi(txt)
		if err != nil {
			errs = append(errs, &lapordesk.FieldError{Field: key, Problem: lapordesk.ProblemFormat, Value: txt})
		}
		return n
	}
	read := func(col string) lapordesk.SLA {
		return lapordesk.SLA{VerifyDays: num(slaKey(col, "verify_days")), FollowUpDays: num(slaKey(col, "follow_up_days")),
			AutoCloseDays: num(slaKey(col, "auto_close_days")), ResolutionDays: num(slaKey(col, "resolution_days")),
			ResolutionWorkingDays: t.working[col].Checked}
	}
	p := lapordesk.Policy{Default: read(""), ByClassification: map[lapordesk.Classification]lapordesk.SLA{}}
	for _, c := range lapordesk.Classifications {
		col := string(c)
		empty := true
		for _, f := range slaFields {
			if strings.TrimSpace(t.cells[slaKey(col, f)].Text) != "" {
				empty = false
			}
		}
		if !empty {
			p.ByClassification[c] = read(col)
		}
	}
	soon, err := strconv.Atoi(strings.TrimSpace(t.dueSoon.Text))
	if err != nil {
		errs = append(errs, &lapordesk.FieldError{Field: "due_soon_days", Problem: lapordesk.ProblemFormat, Value: t.dueSoon.Text})
	}
	p.DueSoonDays = soon
	for _, s := range lapordesk.Statuses {
		for _, sel := range t.pause.Selected {
			if sel == i18n.Status(s) {
				p.PauseStatuses = append(p.PauseStatuses, s)
			}
		}
	}
	if len(errs) > 0 {
		return p, errs
	}
	return p, p.Validate()
}

func (t *slaTab) doSave() {
	p, err := t.policy()
	if err != nil {
		t.form.show(slaNamed(err))
		return
	}
	t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.SetPolicy(ctx, p) }, func() { t.d.changed() })
}

// slaNamed names each problem of the table with its column and row, since the
// table has no room for a line beneath every cell.
func slaNamed(err error) error {
	var ve lapordesk.ValidationErrors
	if !errors.As(err, &ve) {
		return err
	}
	var lines []string
	var rest lapordesk.ValidationErrors
	for _, fe := range ve {
		col, field, ok := strings.Cut(fe.Field, ".")
		if !ok {
			if fe.Field == "due_soon_days" || fe.Field == "pause_statuses" {
				rest = append(rest, fe)
				continue
			}
			col, field = "", fe.Field
		}
		name := i18n.T("ui.sla.default")
		if col != "" {
			name = i18n.Classification(lapordesk.Classification(col))
		}
		c := *fe
		c.Field = field
		lines = append(lines, name+": "+i18n.FieldError(&c))
	}
	if len(lines) == 0 {
		return rest
	}
	return &namedErrors{msg: strings.Join(lines, "\n"), rest: rest}
}

// namedErrors carries messages already written for the user, plus field errors.
type namedErrors struct {
	msg  string
	rest lapordesk.ValidationErrors
}

func (e *namedErrors) Error() string { return e.msg }

var slaFields = []string{"verify_days", "follow_up_days", "auto_close_days", "resolution_days"}
