package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/letter"
)

// actionForm is the form of one action on the report shown.
type actionForm struct {
	form    *form
	body    fyne.CanvasObject
	size    fyne.Size
	command func() (lapordesk.Command, error) // reads the widgets
	files   *attachPicker
}

// act opens the form of action a on the report in v. The command is based on the
// version shown: if the report changed meanwhile the store refuses it and the form
// offers to reload.
func (d *Desk) act(v lapordesk.View, a lapordesk.Action) {
	if a == lapordesk.ActResume {
		d.confirmAct(v, a)
		return
	}
	af := d.actionForm(v, a)
	var result lapordesk.View
	prepare := func() (func(ctx context.Context) error, error) {
		cmd, err := af.command()
		if err != nil {
			return nil, err
		}
		cmd.Action = a
		cmd.BaseVersion = v.Report.Version
		cmd.Unit = d.profile.UnitCode
		cmd.Actor = d.profile.Actor
		var files []pendingFile
		if af.files != nil {
			files = af.files.files
			cmd.Attachments = af.files.metadata()
		}
		if err := cmd.Validate(); err != nil {
			return nil, err
		}
		id := v.Report.ID
		return func(ctx context.Context) error {
			nv, err := d.store.Act(ctx, id, cmd, files...)
			result = nv
			return err
		}, nil
	}
	title := i18n.Action(a) + " — " + v.Report.Ref()
	fd := d.openForm(title, i18n.Action(a), af.form, af.body, af.size, prepare, func() {
		d.detail.show(result)
		d.changed()
	}, d.detail.reload)
	fd.files = af.files
}

// confirmAct asks before an action that needs no input.
func (d *Desk) confirmAct(v lapordesk.View, a lapordesk.Action) {
	msg := i18n.Tf("ui.confirm.action", "Action", i18n.Action(a), "Ref", v.Report.Ref())
	d.dialogs++
	dlg := dialog.NewConfirm(i18n.Action(a), msg, func(ok bool) {
		d.dialogs--
		if !ok {
			return
		}
		id, base := v.Report.ID, v.Report.Version
		cmd := lapordesk.Command{Action: a, BaseVersion: base, Unit: d.profile.UnitCode, Actor: d.profile.Actor}
		Go(d.async, func(ctx context.Context) (lapordesk.View, error) {
			return d.store.Act(ctx, id, cmd)
		}, func(nv lapordesk.View, err error) {
			if err != nil {
				d.showError(err)
				d.detail.reload()
				return
			}
			d.detail.show(nv)
			d.changed()
		})
	}, d.win)
	dlg.SetConfirmText(i18n.Action(a))
	dlg.SetDismissText(i18n.T("ui.cancel"))
	dlg.Show()
}

// textArea is a multi-line entry in which Tab moves on to the next field, as in
// any office form, instead of typing a tab character.
type textArea struct {
	widget.Entry
	esc func()
}

func (t *textArea) AcceptsTab() bool { return false }

func (t *textArea) setEscape(f func()) { t.esc = f }

func (t *textArea) TypedKey(ev *fyne.KeyEvent) {
	if !escKey(ev, t.esc) {
		t.Entry.TypedKey(ev)
	}
}

func multiline(placeholder string) *textArea {
	e := &textArea{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	e.SetMinRowsVisible(5)
	return e
}

// actionForm builds the fields of an action.
func (d *Desk) actionForm(v lapordesk.View, a lapordesk.Action) *actionForm {
	f := newForm()
	af := &actionForm{form: f, size: fyne.NewSize(560, 300)}
	r := v.Report
	switch a {
	case lapordesk.ActVerify:
		title := newEntry()
		title.SetText(r.Title)
		cls := classificationChoice("", nil)
		cls.SetValue(string(r.Classification))
		cat := categoryChoice(d.store.Categories(), i18n.T("ui.form.no_category"), nil)
		cat.SetValue(r.CategoryID)
		hint := wrapLabel(i18n.T("ui.form.verify_hint"))
		hint.Importance = widget.LowImportance
		f.add("title", i18n.Field("title"), true, title)
		f.add("classification", i18n.Field("classification"), true, cls)
		f.add("category_id", i18n.Field("category"), false, cat)
		f.alias("changes", "title")
		af.body = container.NewVBox(hint, f.content())
		af.command = func() (lapordesk.Command, error) {
			var ch []lapordesk.FieldChange
			add := func(field, old, now string) {
				if old != now {
					ch = append(ch, lapordesk.FieldChange{Field: field, Value: now})
				}
			}
			add("title", r.Title, title.Text)
			add("classification", string(r.Classification), cls.Value())
			add("category_id", r.CategoryID, cat.Value())
			return lapordesk.Command{Changes: ch}, nil
		}
	case lapordesk.ActPostpone, lapordesk.ActReturn, lapordesk.ActClose, lapordesk.ActReopen, lapordesk.ActArchive:
		reason := multiline(i18n.T("ui.form.reason_hint." + string(a)))
		required := a == lapordesk.ActPostpone || a == lapordesk.ActReturn
		f.add("reason", i18n.Field("reason"), required, reason)
		af.command = func() (lapordesk.Command, error) { return lapordesk.Command{Reason: reason.Text}, nil }
	case lapordesk.ActRespond, lapordesk.ActReply, lapordesk.ActNote, lapordesk.ActFollowUp:
		text := multiline(i18n.T("ui.form.text_hint." + string(a)))
		f.add("text", i18n.T("ui.form.text."+string(a)), true, text)
		if a == lapordesk.ActFollowUp {
			af.files = newAttachPicker(d)
			f.add("attachments", i18n.Field("attachments"), false, af.files.view())
			af.size = fyne.NewSize(600, 380)
		}
		af.command = func() (lapordesk.Command, error) { return lapordesk.Command{Text: text.Text}, nil }
	case lapordesk.ActDispose:
		var codes, labels []string
		for _, u := range d.store.Units() {
			if u.Code == r.Unit {
				continue
			}
			codes = append(codes, u.Code)
			labels = append(labels, u.Name+" ("+u.Code+")")
		}
		to := newChoice("", codes, labels, nil)
		to.PlaceHolder = i18n.T("ui.form.pick_unit")
		instr := widget.NewCheckGroup(d.instructions(), nil)
		note := multiline(i18n.T("ui.form.text_hint.dispose"))
		note.SetMinRowsVisible(3)
		f.add("to_unit", i18n.T("ui.form.to_unit"), true, to)
		f.add("instructions", i18n.T("ui.form.instructions"), false, instr)
		f.add("text", i18n.T("ui.form.note"), false, note)
		af.size = fyne.NewSize(620, 460)
		af.command = func() (lapordesk.Command, error) {
			return lapordesk.Command{ToUnit: to.Value(), Instructions: append([]string(nil), instr.Selected...), Text: note.Text}, nil
		}
	case lapordesk.ActEdit:
		af.size = fyne.NewSize(620, 460)
		af.command = d.editFields(f, r)
	default:
		af.command = func() (lapordesk.Command, error) { return lapordesk.Command{}, nil }
	}
	return af
}

// instructions are the disposition instructions offered: the unit's own list from
// its letter settings (the one the lembar disposisi prints), else the default.
func (d *Desk) instructions() []string { return lapordesk.InstructionChoices(d.instr) }

// loadInstructions reads the unit's instruction list, at start and after the letter
// settings are saved.
func (d *Desk) loadInstructions() {
	Go(d.async, func(ctx context.Context) ([]string, error) {
		c, err := letter.LoadConfig(ctx, d.store)
		return c.Settings.Instructions, err
	}, func(list []string, err error) {
		if err != nil {
			d.status.showError(err)
			return
		}
		d.instr = list
	})
}

// editFields adds the editable fields of a report, filled in, and returns the
// command of the fields changed. An Anonim reporter's identity is not editable.
func (d *Desk) editFields(f *form, r lapordesk.Report) func() (lapordesk.Command, error) {
	type field struct {
		name  string
		entry *lineEntry
	}
	var fields []field
	addEntry := func(name string) {
		e := newEntry()
		old, _ := r.FieldValue(name)
		e.SetText(old)
		f.add(name, i18n.Field(name), false, e)
		fields = append(fields, field{name, e})
	}
	addEntry("tracking_id")
	addEntry("title")
	addEntry("kecamatan")
	addEntry("desa")
	addEntry("location_detail")
	for _, name := range []string{"reporter_name", "reporter_phone", "reporter_email", "reporter_id_number"} {
		if !r.Confidentiality.Withholds(name) {
			addEntry(name)
		}
	}
	cat := categoryChoice(d.store.Categories(), i18n.T("ui.form.no_category"), nil)
	cat.SetValue(r.CategoryID)
	f.add("category_id", i18n.Field("category"), false, cat)
	f.alias("changes", "title")
	return func() (lapordesk.Command, error) {
		var ch []lapordesk.FieldChange
		for _, fl := range fields {
			old, _ := r.FieldValue(fl.name)
			if now := strings.TrimSpace(fl.entry.Text); now != old {
				ch = append(ch, lapordesk.FieldChange{Field: fl.name, Value: now})
			}
		}
		if cat.Value() != r.CategoryID {
			ch = append(ch, lapordesk.FieldChange{Field: "category_id", Value: cat.Value()})
		}
		return lapordesk.Command{Changes: ch}, nil
	}
}
