package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// A conflict is an event that reached this desk by sync and could not apply: another
// desk changed the report first (stale), or its status no longer allows the action.
// The event stays in the history; the report shows it, both versions side by side,
// until someone resolves it here or on another desk.

// whoWhen writes "DINKES · Andi · 23 November 2026 10.05".
func (d *Desk) whoWhen(e lapordesk.Event) string {
	who := e.Unit
	if e.Actor != "" {
		who += " · " + e.Actor
	}
	return who + " · " + i18n.DateTime(e.At, d.loc)
}

// eventLine is one line naming an event: "Diarsipkan (DINKES · Andi · …)".
func (d *Desk) eventLine(e lapordesk.Event) string {
	return i18n.Event(e.Kind) + " (" + d.whoWhen(e) + ")"
}

// conflictBadge marks a report with a conflict to resolve.
func conflictBadge(b *badge, n int) {
	if n == 0 {
		b.Set("", "", "")
		return
	}
	b.Set(i18n.T("ui.conflict.badge"), colorOverdue, colorOnBadge)
}

// conflicts lists the events that arrived by sync and could not apply, each with
// the version that did and a button to settle it.
func (p *detailPane) conflicts(v lapordesk.View) fyne.CanvasObject {
	box := container.NewVBox()
	title := heading(i18n.Tf("ui.conflict.title", "N", len(v.Report.Conflicts)))
	title.Importance = widget.DangerImportance
	note := wrapLabel(i18n.T("ui.conflict.note"))
	note.Importance = widget.LowImportance
	box.Add(container.NewHBox(widget.NewIcon(theme.WarningIcon()), title))
	box.Add(note)
	p.resolve = nil
	for _, c := range v.Report.Conflicts {
		c := c
		ev, won, ok := v.Competing(c)
		text := i18n.Tf("ui.conflict.item", "Event", i18n.Event(c.Kind), "Reason", i18n.ConflictReason(c))
		if ok {
			text = i18n.Tf("ui.conflict.item", "Event", p.d.eventLine(ev), "Reason", i18n.ConflictReason(c))
		}
		l := wrapLabel(text)
		l.Importance = widget.DangerImportance
		lines := []fyne.CanvasObject{l}
		for _, w := range won {
			lines = append(lines, wrapLabel(i18n.Tf("ui.conflict.won_by", "Event", p.d.eventLine(w))))
		}
		b := widget.NewButtonWithIcon(i18n.T("ui.conflict.resolve"), theme.ConfirmIcon(), func() { p.d.resolveConflict(v, c) })
		b.Importance = widget.HighImportance
		p.resolve = append(p.resolve, b)
		box.Add(container.NewBorder(nil, nil, nil, container.NewVBox(b), container.NewVBox(lines...)))
	}
	return panel(box)
}

// versionBox shows one version of a conflict: its events and what they say.
func (d *Desk) versionBox(title string, events []lapordesk.Event, extra ...fyne.CanvasObject) fyne.CanvasObject {
	box := container.NewVBox(heading(title))
	for _, e := range events {
		box.Add(wrapLabel(d.eventLine(e)))
		box.Add(container.NewPadded(container.NewVBox(d.eventBody(e)...)))
	}
	for _, o := range extra {
		box.Add(o)
	}
	return panel(box)
}

// Choices of the resolve form.
const (
	keepCurrent = "keep"
	applyOther  = "apply"
)

// resolveConflict opens the form that settles a conflict: both versions side by
// side, and the choice to keep the version that applied or to apply the other one
// now; either way the conflict is marked resolved, with an optional note. What the
// other version would do is the domain's answer; the store writes the choice whole.
func (d *Desk) resolveConflict(v lapordesk.View, c lapordesk.Conflict) {
	ev, won, found := v.Competing(c)
	r := v.Report
	var mine fyne.CanvasObject
	var other fyne.CanvasObject
	var now []fyne.CanvasObject
	if found {
		for _, cur := range r.CurrentValues(ev.Payload.Changes) {
			now = append(now, wrapLabel(i18n.Tf("ui.conflict.now", "Field", i18n.Field(cur.Field), "Value", cur.Value)))
		}
		now = append(now, wrapLabel(i18n.Tf("ui.conflict.status_now", "Status", i18n.Status(r.Status))))
		mine = d.versionBox(i18n.T("ui.conflict.current"), won, now...)
		other = d.versionBox(i18n.T("ui.conflict.other"), []lapordesk.Event{ev})
	} else {
		mine = panel(wrapLabel(i18n.Tf("ui.conflict.status_now", "Status", i18n.Status(r.Status))))
		other = panel(wrapLabel(i18n.Event(c.Kind)))
	}
	reason := wrapLabel(i18n.ConflictReason(c))
	reason.Importance = widget.DangerImportance

	f := newForm()
	redo, canApply := v.Redo(c)
	values := []string{keepCurrent}
	labels := []string{i18n.T("ui.conflict.keep")}
	if canApply {
		values = append(values, applyOther)
		labels = append(labels, i18n.Tf("ui.conflict.apply", "Action", i18n.Action(redo.Action)))
	}
	pick := widget.NewRadioGroup(labels, nil)
	pick.Required = true
	pick.SetSelected(labels[0])
	note := multiline(i18n.T("ui.conflict.note_hint"))
	note.SetMinRowsVisible(2)
	f.add("choice", i18n.T("ui.conflict.choice"), true, pick)
	f.add("text", i18n.T("ui.form.note"), false, note)
	f.alias("resolves", "choice")
	body := container.NewVBox(reason, container.NewGridWithColumns(2, mine, other), f.content())

	prepare := func() (func(ctx context.Context) error, error) {
		choice := keepCurrent
		for i, l := range labels {
			if pick.Selected == l {
				choice = values[i]
			}
		}
		id := r.ID
		res := lapordesk.Resolution{Conflict: c.EventID, ApplyOther: choice == applyOther, Note: strings.TrimSpace(note.Text),
			BaseVersion: r.Version, Unit: d.profile.UnitCode, Actor: d.profile.Actor}
		if err := res.Validate(); err != nil {
			return nil, err
		}
		return func(ctx context.Context) error {
			// One transaction: if the other version or the resolve is refused,
			// nothing is written and the conflict stays for another choice.
			_, err := d.store.ResolveConflict(ctx, id, res)
			return err
		}, nil
	}
	d.openForm(i18n.T("ui.conflict.resolve_title")+" — "+r.Ref(), i18n.T("ui.conflict.resolve"), f, body, fyne.NewSize(820, 460),
		prepare, func() {
			d.detail.reload()
			d.changed()
		}, d.detail.reload)
}

// showConflicts lists every report with a conflict to resolve (the status bar's
// warning opens it).
func (d *Desk) showConflicts() {
	if d.dialogs > 0 {
		return
	}
	d.list.filters.setConflicts(true)
	d.navigate(string(lapordesk.BoxAll))
}
