package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// form lays out labelled fields with an error line beneath each, so a problem is
// shown beside the field it is about, and required fields carry a mark.
type form struct {
	grid    *fyne.Container // where add puts fields
	order   []*formRow      // in the order added (and tabbed through)
	rows    map[string]*formRow
	general *widget.Label // problems not about one field
}

type formRow struct {
	label *widget.Label
	input fyne.CanvasObject
	err   *widget.Label
}

func newForm() *form {
	g := widget.NewLabel("")
	g.Importance = widget.DangerImportance
	g.Wrapping = fyne.TextWrapWord
	g.Hide()
	return &form{grid: container.New(layout.NewFormLayout()), rows: map[string]*formRow{}, general: g}
}

// add adds a field; field is the name validation errors use for it.
func (f *form) add(field, label string, required bool, input fyne.CanvasObject) *formRow {
	l := widget.NewLabel(label)
	if required {
		l.SetText(label + " *")
		l.TextStyle = fyne.TextStyle{Bold: true}
	}
	e := widget.NewLabel("")
	e.Importance = widget.DangerImportance
	e.Wrapping = fyne.TextWrapWord
	e.Hide()
	r := &formRow{label: l, input: input, err: e}
	f.rows[field] = r
	f.order = append(f.order, r)
	f.grid.Add(l)
	f.grid.Add(container.NewVBox(input, e))
	return r
}

// section starts a new group of fields and returns its grid, for forms laid out
// in columns; errors still go beside their fields.
func (f *form) section() *fyne.Container {
	f.grid = container.New(layout.NewFormLayout())
	return f.grid
}

// alias makes errors about field appear on the row of another.
func (f *form) alias(field, to string) { f.rows[field] = f.rows[to] }

// setRequired changes a row's required mark (a reporter's name is optional for Anonim).
func (r *formRow) setRequired(label string, required bool) {
	if required {
		r.label.SetText(label + " *")
		r.label.TextStyle = fyne.TextStyle{Bold: true}
	} else {
		r.label.SetText(label)
		r.label.TextStyle = fyne.TextStyle{}
	}
	r.label.Refresh()
}

// clear removes every error.
func (f *form) clear() {
	for _, r := range f.rows {
		r.err.SetText("")
		r.err.Hide()
	}
	f.general.SetText("")
	f.general.Hide()
}

// show places each problem of err beside its field, and the rest above the form.
func (f *form) show(err error) {
	f.clear()
	var general []string
	var ve lapordesk.ValidationErrors
	var fe *lapordesk.FieldError
	var fm *fieldMessage
	switch {
	case errors.As(err, &fm):
		if r, ok := f.rows[fm.field]; ok {
			r.err.SetText(fm.msg)
			r.err.Show()
		} else {
			general = append(general, fm.msg)
		}
	case errors.As(err, &ve):
		for _, e := range ve {
			if !f.showField(e) {
				general = append(general, i18n.FieldError(e))
			}
		}
	case errors.As(err, &fe):
		if !f.showField(fe) {
			general = append(general, i18n.FieldError(fe))
		}
	default:
		general = append(general, i18n.Error(err))
	}
	if len(general) > 0 {
		f.general.SetText(strings.Join(general, "\n"))
		f.general.Show()
	}
}

// fieldMessage is a problem about one field already put in the user's words (a
// hub's answer about the token typed, say).
type fieldMessage struct {
	field, msg string
	err        error
}

func (e *fieldMessage) Error() string { return e.msg }
func (e *fieldMessage) Unwrap() error { return e.err }

func (f *form) showField(e *lapordesk.FieldError) bool {
	r, ok := f.rows[e.Field]
	if !ok {
		return false
	}
	msg := i18n.FieldError(e)
	if r.err.Text != "" {
		msg = r.err.Text + "\n" + msg
	}
	r.err.SetText(msg)
	r.err.Show()
	return true
}

// errorOf returns the error shown beside field ("" for none).
func (f *form) errorOf(field string) string {
	if r, ok := f.rows[field]; ok {
		return r.err.Text
	}
	return ""
}

func (f *form) content() fyne.CanvasObject {
	return container.NewVBox(f.general, f.grid)
}

// formDialog is a modal form: Cancel and a submit button that checks the form,
// writes in the background, and closes only when the write succeeded. On failure
// the form stays open with the problems shown, and nothing was written.
type formDialog struct {
	d      *Desk
	dlg    *dialog.CustomDialog
	form   *form
	submit *widget.Button
	reload *widget.Button
	cancel *widget.Button
	busy   bool
	files  *attachPicker // the files chosen in the form, if it takes any
	// prepare reads the widgets (on the UI goroutine), checks them, and returns the
	// write to run off it.
	prepare func() (func(ctx context.Context) error, error)
	done    func()
}

// openForm shows a form in a dialog. onReload, if set, is offered when the report
// changed meanwhile (a stale edit).
func (d *Desk) openForm(title, submitLabel string, f *form, body fyne.CanvasObject, size fyne.Size,
	prepare func() (func(ctx context.Context) error, error), done func(), onReload func()) *formDialog {
	fd := &formDialog{d: d, form: f, prepare: prepare, done: done}
	fd.submit = widget.NewButtonWithIcon(submitLabel, theme.ConfirmIcon(), fd.doSubmit)
	fd.submit.Importance = widget.HighImportance
	fd.cancel = widget.NewButtonWithIcon(i18n.T("ui.cancel"), theme.CancelIcon(), func() { fd.close() })
	fd.reload = widget.NewButtonWithIcon(i18n.T("ui.reload"), theme.ViewRefreshIcon(), func() {
		fd.close()
		if onReload != nil {
			onReload()
		}
	})
	fd.reload.Hide()
	if body == nil {
		body = f.content()
	}
	scroll := container.NewVScroll(body)
	scroll.SetMinSize(fyne.NewSize(size.Width, size.Height))
	fd.dlg = dialog.NewCustomWithoutButtons(title, scroll, d.win)
	fd.dlg.SetButtons([]fyne.CanvasObject{fd.cancel, fd.reload, fd.submit})
	d.dialogs++
	d.form = fd
	fd.dlg.SetOnClosed(func() {
		d.dialogs--
		if d.form == fd {
			d.form = nil
		}
	})
	fd.dlg.Show()
	// The first field takes the keyboard, so typing can start at once.
	for _, r := range f.order {
		if fo, ok := r.input.(fyne.Focusable); ok {
			d.win.Canvas().Focus(fo)
			break
		}
	}
	for _, r := range f.rows {
		// Enter in a one-line field submits, as in any desktop form; Escape cancels.
		if e, ok := r.input.(*lineEntry); ok && e.OnSubmitted == nil {
			e.OnSubmitted = func(string) { fd.doSubmit() }
		}
		if e, ok := r.input.(escaper); ok {
			e.setEscape(fd.close)
		}
	}
	return fd
}

func (fd *formDialog) close() {
	fd.dlg.Hide()
}

func (fd *formDialog) doSubmit() {
	if fd.busy {
		return
	}
	fd.form.clear()
	job, err := fd.prepare()
	if err != nil {
		fd.form.show(err)
		return
	}
	fd.busy = true
	fd.submit.Disable()
	Go(fd.d.async, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, job(ctx)
	}, func(_ struct{}, err error) {
		fd.busy = false
		fd.submit.Enable()
		if err != nil {
			fd.form.show(err)
			var stale *lapordesk.StaleError
			if errors.As(err, &stale) {
				fd.submit.Disable()
				fd.reload.Show()
			}
			return
		}
		fd.close()
		if fd.done != nil {
			fd.done()
		}
	})
}

// dlgInfo shows a message with one OK button.
func dlgInfo(w fyne.Window, title string, content fyne.CanvasObject) {
	dlg := dialog.NewCustom(title, i18n.T("ui.ok"), content, w)
	dlg.Resize(fyne.NewSize(480, 220))
	dlg.Show()
}

// escaper is a form input on which Escape cancels the form.
type escaper interface{ setEscape(func()) }

// escKey runs esc for Escape and reports whether it did.
func escKey(ev *fyne.KeyEvent, esc func()) bool {
	if ev.Name == fyne.KeyEscape && esc != nil {
		esc()
		return true
	}
	return false
}

// lineEntry is the one-line entry of the forms: Enter submits, Escape cancels.
type lineEntry struct {
	widget.Entry
	esc func()
}

func newEntry() *lineEntry {
	e := &lineEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *lineEntry) setEscape(f func()) { e.esc = f }

func (e *lineEntry) TypedKey(ev *fyne.KeyEvent) {
	if !escKey(ev, e.esc) {
		e.Entry.TypedKey(ev)
	}
}
