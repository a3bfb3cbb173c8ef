package ui

import (
	"context"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// A conflict is an event that reached this desk by sync and could not apply: another
// desk changed the report first (stale), or its status no longer allows the action.
// The event stays in the history; the report shows it, both versions side by side,
// until someone resolves it here or on another desk.

// The domain keeps a conflict's reason as the English text of the error that kept
// the event from applying; the two reasons sync produces are put in the user's words.
var (
	reStale      = regexp.MustCompile(`^report changed since version \d+`)
	reTransition = regexp.MustCompile(`^cannot ([a-z-]+) a report with status "([a-z_]+)"`)
)

// conflictReason explains why an event did not apply.
func conflictReason(reason string) string {
	if reStale.MatchString(reason) {
		return i18n.T("ui.conflict.reason.stale")
	}
	if m := reTransition.FindStringSubmatch(reason); m != nil {
		return i18n.Tf("ui.conflict.reason.transition", "Action", i18n.Action(lapordesk.Action(m[1])), "Status", i18n.Status(lapordesk.Status(m[2])))
	}
	return reason
}

// versioned is an event of a report's history with the version it made.
type versioned struct {
	lapordesk.Event
	version int
}

// withVersions numbers a history as Replay counts it: the receipt is version 1 and
// every later event, applied or not, adds one.
func withVersions(h []lapordesk.Event) []versioned {
	out := make([]versioned, len(h))
	v := 0
	for i, e := range h {
		if e.Kind == lapordesk.EvReceived {
			v = 1
		} else {
			v++
		}
		out[i] = versioned{e, v}
	}
	return out
}

// competing returns the events that won over conflict c: those applied after the
// version the conflicting event was decided on that changed the report's status
// or fields (the kinds that are checked). Empty when the event was refused for
// another reason.
func competing(v lapordesk.View, c lapordesk.Conflict) (lapordesk.Event, []lapordesk.Event, bool) {
	hist := withVersions(v.History)
	var ev lapordesk.Event
	found := false
	for _, e := range hist {
		if e.ID == c.EventID {
			ev, found = e.Event, true
		}
	}
	if !found {
		return ev, nil, false
	}
	unapplied := map[uuid.UUID]bool{}
	for _, x := range v.Report.Conflicts {
		unapplied[x.EventID] = true
	}
	var won []lapordesk.Event
	for _, e := range hist {
		if e.version > ev.BaseVersion && !unapplied[e.ID] && e.Kind.Action().Checked() {
			won = append(won, e.Event)
		}
	}
	return ev, won, true
}

// resolvedEvents maps each conflicting event that was resolved to its resolution.
func resolvedEvents(h []lapordesk.Event) map[uuid.UUID]lapordesk.Event {
	out := map[uuid.UUID]lapordesk.Event{}
	for _, e := range h {
		if e.Kind == lapordesk.EvResolved && e.Payload.Resolves != nil {
			out[*e.Payload.Resolves] = e
		}
	}
	return out
}

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
		ev, won, ok := competing(v, c)
		text := i18n.Tf("ui.conflict.item", "Event", i18n.Event(c.Kind), "Reason", conflictReason(c.Reason))
		if ok {
			text = i18n.Tf("ui.conflict.item", "Event", p.d.eventLine(ev), "Reason", conflictReason(c.Reason))
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

// otherVersion is the command that would do now what the conflicting event asked
// for, if the report's status allows it and nothing masked would be written back.
func otherVersion(v lapordesk.View, ev lapordesk.Event) (lapordesk.Command, bool) {
	a := ev.Kind.Action()
	if a == "" || a == lapordesk.ActResolve {
		return lapordesk.Command{}, false
	}
	allowed := false
	for _, x := range v.Actions {
		allowed = allowed || x == a
	}
	if !allowed {
		return lapordesk.Command{}, false
	}
	p := ev.Payload
	for _, ch := range p.Changes {
		if v.Report.Confidentiality == lapordesk.Anonim && strings.HasPrefix(ch.Field, "reporter_") {
			return lapordesk.Command{}, false // the identity is masked here: never write the mask back
		}
	}
	cmd := lapordesk.Command{Action: a, Reason: p.Reason, Text: p.Text, ToUnit: p.ToUnit,
		Instructions: append([]string(nil), p.Instructions...), Changes: append([]lapordesk.FieldChange(nil), p.Changes...)}
	if a == lapordesk.ActEdit {
		// Only what still differs: the other desk may have set some fields the same.
		var ch []lapordesk.FieldChange
		for _, c := range cmd.Changes {
			if now, ok := v.Report.FieldValue(c.Field); !ok || now != c.Value {
				ch = append(ch, c)
			}
		}
		if len(ch) == 0 {
			return lapordesk.Command{}, false
		}
		cmd.Changes = ch
	}
	return cmd, true
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
// now; either way the conflict is marked resolved, with an optional note.
func (d *Desk) resolveConflict(v lapordesk.View, c lapordesk.Conflict) {
	ev, won, found := competing(v, c)
	r := v.Report
	var mine fyne.CanvasObject
	var other fyne.CanvasObject
	var now []fyne.CanvasObject
	if found {
		for _, ch := range ev.Payload.Changes {
			if cur, ok := r.FieldValue(ch.Field); ok {
				if r.Confidentiality == lapordesk.Anonim && strings.HasPrefix(ch.Field, "reporter_") {
					continue
				}
				now = append(now, wrapLabel(i18n.Tf("ui.conflict.now", "Field", i18n.Field(ch.Field), "Value", cur)))
			}
		}
		now = append(now, wrapLabel(i18n.Tf("ui.conflict.status_now", "Status", i18n.Status(r.Status))))
		mine = d.versionBox(i18n.T("ui.conflict.current"), won, now...)
		other = d.versionBox(i18n.T("ui.conflict.other"), []lapordesk.Event{ev})
	} else {
		mine = panel(wrapLabel(i18n.Tf("ui.conflict.status_now", "Status", i18n.Status(r.Status))))
		other = panel(wrapLabel(i18n.Event(c.Kind)))
	}
	reason := wrapLabel(conflictReason(c.Reason))
	reason.Importance = widget.DangerImportance

	f := newForm()
	cmdOther, canApply := otherVersion(v, ev)
	values := []string{keepCurrent}
	labels := []string{i18n.T("ui.conflict.keep")}
	if found && canApply {
		values = append(values, applyOther)
		labels = append(labels, i18n.Tf("ui.conflict.apply", "Action", i18n.Action(cmdOther.Action)))
	}
	pick := widget.NewRadioGroup(labels, nil)
	pick.Required = true
	pick.SetSelected(labels[0])
	note := multiline(i18n.T("ui.conflict.note_hint"))
	note.SetMinRowsVisible(2)
	f.add("choice", i18n.T("ui.conflict.choice"), true, pick)
	f.add("text", i18n.T("ui.form.note"), false, note)
	body := container.NewVBox(reason, container.NewGridWithColumns(2, mine, other), f.content())

	prepare := func() (func(ctx context.Context) error, error) {
		choice := keepCurrent
		for i, l := range labels {
			if pick.Selected == l {
				choice = values[i]
			}
		}
		id, event := r.ID, c.EventID
		resolve := lapordesk.Command{Action: lapordesk.ActResolve, Resolves: &event, Text: strings.TrimSpace(note.Text),
			Unit: d.profile.UnitCode, Actor: d.profile.Actor}
		if err := resolve.Validate(); err != nil {
			return nil, err
		}
		var redo *lapordesk.Command
		if choice == applyOther {
			cmd := cmdOther
			cmd.BaseVersion, cmd.Unit, cmd.Actor = r.Version, d.profile.UnitCode, d.profile.Actor
			if err := cmd.Validate(); err != nil {
				return nil, err
			}
			redo = &cmd
		}
		return func(ctx context.Context) error {
			// The other version first: if it cannot apply, nothing is written and
			// the conflict stays for another choice.
			if redo != nil {
				if _, err := d.store.Act(ctx, id, *redo); err != nil {
					return err
				}
			}
			_, err := d.store.Act(ctx, id, resolve)
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
