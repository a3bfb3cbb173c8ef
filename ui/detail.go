package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// detailPane shows one report: header, next step and deadline, the actions its
// status allows, the text, location, reporter (masked for Anonim), attachments and
// the timeline of every event.
type detailPane struct {
	d       *Desk
	content *fyne.Container
	scroll  *container.Scroll
	gen     int

	cur     *lapordesk.View // shown now; nil when none
	actions map[lapordesk.Action]*widget.Button
	primary *widget.Button // the action the next step calls for, if any
	print   *widget.Button
	resolve []*widget.Button // one per conflict
	flow    *flowLayout
}

func newDetailPane(d *Desk) *detailPane {
	p := &detailPane{d: d, content: container.NewVBox()}
	p.scroll = container.NewVScroll(container.NewPadded(p.content))
	p.clear()
	return p
}

func (p *detailPane) view() fyne.CanvasObject { return p.scroll }

// clear shows the hint to pick a report.
func (p *detailPane) clear() {
	p.cur = nil
	p.actions = nil
	hint := widget.NewLabel(i18n.T("ui.detail.pick"))
	hint.Importance = widget.LowImportance
	hint.Alignment = fyne.TextAlignCenter
	p.content.Objects = []fyne.CanvasObject{container.NewPadded(hint)}
	p.content.Refresh()
}

// open reads report id and shows it.
func (p *detailPane) open(id uuid.UUID) {
	p.gen++
	gen := p.gen
	Go(p.d.async, func(ctx context.Context) (lapordesk.View, error) {
		return p.d.store.View(ctx, id)
	}, func(v lapordesk.View, err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.d.showError(err)
			return
		}
		p.show(v)
	})
}

// reload reads the report shown again (after an action, or when it went stale).
func (p *detailPane) reload() {
	if p.cur != nil {
		p.open(p.cur.Report.ID)
	}
}

// refresh reads the report shown again and shows it only if it changed (a sync
// round brought something), so the user's place in a long report is kept otherwise.
func (p *detailPane) refresh() {
	if p.cur == nil {
		return
	}
	id, version := p.cur.Report.ID, p.cur.Report.Version
	gen := p.gen
	Go(p.d.async, func(ctx context.Context) (lapordesk.View, error) {
		return p.d.store.View(ctx, id)
	}, func(v lapordesk.View, err error) {
		if gen != p.gen || err != nil || v.Report.Version == version {
			return
		}
		p.show(v)
	})
}

func (p *detailPane) show(v lapordesk.View) {
	p.cur = &v
	r := v.Report
	p.scroll.ScrollToTop()

	title := widget.NewLabel(r.Title)
	title.Wrapping = fyne.TextWrapWord
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText

	ref := widget.NewLabel(refLine(r))
	ref.TextStyle = fyne.TextStyle{Bold: true}
	ref.Selectable = true
	cls, conf, st, cf := newBadge(), newBadge(), newBadge(), newBadge()
	cls.Set(i18n.Classification(r.Classification), colorNeutral, colorOnBadge)
	confidentialityBadge(conf, r.Confidentiality)
	statusBadge(st, r.Status)
	conflictBadge(cf, len(r.Conflicts))
	badges := container.NewHBox(ref, container.NewCenter(cls), container.NewCenter(conf), container.NewCenter(st), container.NewCenter(cf))
	cat := widget.NewLabel(v.Category)
	cat.Importance = widget.LowImportance

	objs := []fyne.CanvasObject{title, badges}
	if v.Category != "" {
		objs = append(objs, cat)
	}
	p.resolve = nil
	if len(r.Conflicts) > 0 {
		objs = append(objs, p.conflicts(v))
	}
	objs = append(objs, p.nextStep(v), p.actionBar(v))
	body := wrapLabel(r.Body)
	body.Selectable = true
	objs = append(objs,
		sectionHead(i18n.Field("body")), body,
		sectionHead(i18n.T("ui.detail.details")), p.details(r),
		sectionHead(i18n.T("ui.detail.reporter")), reporterBox(r),
	)
	if len(r.Attachments) > 0 {
		objs = append(objs, sectionHead(i18n.Field("attachments")), p.attachments(r.Attachments))
	}
	objs = append(objs, sectionHead(i18n.T("ui.detail.history")), p.timeline(v))
	p.content.Objects = objs
	p.content.Refresh()
}

func refLine(r lapordesk.Report) string {
	if r.TrackingID != "" {
		return "#" + r.TrackingID + "  ·  " + r.AgendaNo
	}
	return r.AgendaNo
}

func sectionHead(text string) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), heading(text))
}

// nextStep is the card with the next step, its due date and the working days left.
func (p *detailPane) nextStep(v lapordesk.View) fyne.CanvasObject {
	dl := v.Deadline
	b := newBadge()
	deadlineBadge(b, dl)
	var lines []fyne.CanvasObject
	step := i18n.T("ui.detail.no_step")
	if dl.Step != lapordesk.StepNone {
		step = i18n.Step(dl.Step)
	}
	lines = append(lines, container.NewHBox(widget.NewLabel(i18n.T("ui.detail.next_step")), heading(step), container.NewCenter(b)))
	switch {
	case !dl.Due.IsZero():
		lines = append(lines, widget.NewLabel(i18n.Tf("ui.detail.due", "Date", i18n.Date(dl.Due), "Left", i18n.DaysLeft(dl))))
	case !dl.CloseOn.IsZero():
		lines = append(lines, widget.NewLabel(i18n.Tf("ui.detail.close_on", "Date", i18n.Date(dl.CloseOn))))
	}
	if !dl.ResolutionDue.IsZero() {
		l := widget.NewLabel(i18n.Tf("ui.detail.resolution_due", "Date", i18n.Date(dl.ResolutionDue)))
		if dl.ResolutionOverdue {
			l.Importance = widget.DangerImportance
		}
		lines = append(lines, l)
	}
	return panel(container.NewVBox(lines...))
}

// actionOrder is the order of the action buttons: the usual next steps first.
var actionOrder = []lapordesk.Action{
	lapordesk.ActVerify, lapordesk.ActDispose, lapordesk.ActRespond, lapordesk.ActFollowUp, lapordesk.ActClose,
	lapordesk.ActResume, lapordesk.ActReopen, lapordesk.ActReply, lapordesk.ActPostpone, lapordesk.ActReturn,
	lapordesk.ActArchive, lapordesk.ActNote, lapordesk.ActEdit,
}

// actionBar offers the actions valid in the report's status, and printing when
// the letters feature is present.
func (p *detailPane) actionBar(v lapordesk.View) fyne.CanvasObject {
	allowed := map[lapordesk.Action]bool{}
	for _, a := range v.Actions {
		allowed[a] = true
	}
	primary := lapordesk.NextAction(v, p.d.profile.Role)
	p.actions = map[lapordesk.Action]*widget.Button{}
	p.primary = nil
	var buttons []fyne.CanvasObject
	for _, a := range actionOrder {
		if !allowed[a] {
			continue
		}
		a := a
		b := widget.NewButtonWithIcon(i18n.Action(a), actionIcon(a), func() { p.d.act(v, a) })
		if a == primary {
			b.Importance = widget.HighImportance
			p.primary = b
		}
		p.actions[a] = b
		buttons = append(buttons, b)
	}
	p.print = nil
	if p.d.hooks.Letters != nil {
		if list := printables(v, p.d.profile.Training); len(list) > 0 {
			label := i18n.T("ui.print")
			if len(list) == 1 && list[0].reprint {
				label = i18n.T("ui.print.reprint")
			}
			p.print = widget.NewButtonWithIcon(label, theme.DocumentPrintIcon(), func() { p.d.printMenu(v) })
			buttons = append(buttons, p.print)
		}
	}
	p.flow = &flowLayout{}
	c := container.New(p.flow, buttons...)
	p.flow.grew = func() {
		// One more layout pass of the pane once this one is over.
		p.d.async.After(0, func() { p.content.Refresh() })
	}
	return c
}

func actionIcon(a lapordesk.Action) fyne.Resource {
	switch a {
	case lapordesk.ActVerify:
		return theme.ConfirmIcon()
	case lapordesk.ActDispose:
		return theme.MailForwardIcon()
	case lapordesk.ActRespond:
		return theme.MailReplyIcon()
	case lapordesk.ActFollowUp:
		return theme.MailSendIcon()
	case lapordesk.ActClose:
		return theme.ConfirmIcon()
	case lapordesk.ActResume, lapordesk.ActReopen:
		return theme.MediaPlayIcon()
	case lapordesk.ActReply:
		return theme.MailReplyAllIcon()
	case lapordesk.ActPostpone:
		return theme.MediaPauseIcon()
	case lapordesk.ActReturn:
		return theme.NavigateBackIcon()
	case lapordesk.ActArchive:
		return theme.StorageIcon()
	case lapordesk.ActNote:
		return theme.DocumentCreateIcon()
	case lapordesk.ActEdit:
		return theme.DocumentCreateIcon()
	}
	return theme.InfoIcon()
}

// infoGrid is a table of names and values; row skips empty values. Selectable
// values can be copied (a phone number, a tracking ID).
func infoGrid(selectable bool) (*fyne.Container, func(name, value string)) {
	g := container.New(layout.NewFormLayout())
	return g, func(name, value string) {
		if value == "" {
			return
		}
		k := widget.NewLabel(name)
		k.Importance = widget.LowImportance
		v := wrapLabel(value)
		v.Selectable = selectable
		g.Add(k)
		g.Add(v)
	}
}

// details is the table of where, when and how the report came.
func (p *detailPane) details(r lapordesk.Report) fyne.CanvasObject {
	g, row := infoGrid(false)
	row(i18n.Field("location_detail"), r.Location.Text())
	if !r.IncidentDate.IsZero() {
		row(i18n.Field("incident_date"), i18n.Date(r.IncidentDate))
	}
	row(i18n.Field("channel"), i18n.Channel(r.Channel))
	row(i18n.T("ui.detail.received"), i18n.DateTime(r.ReceivedAt, p.d.loc))
	row(i18n.Field("unit"), unitName(p.d, r.Unit))
	row(i18n.Field("tracking_id"), r.TrackingID)
	row(i18n.Field("agenda_no"), r.AgendaNo)
	if len(r.Instructions) > 0 {
		row(i18n.Field("instructions"), strings.Join(r.Instructions, "; "))
	}
	return g
}

func unitName(d *Desk, code string) string {
	if u, ok := d.store.Unit(code); ok {
		return u.Name + " (" + u.Code + ")"
	}
	return code
}

// reporterBox shows the reporter, or for Anonim only that the identity is withheld.
func reporterBox(r lapordesk.Report) fyne.CanvasObject {
	if r.Confidentiality == lapordesk.Anonim {
		l := wrapLabel(i18n.T("ui.detail.anonymous"))
		l.Importance = widget.LowImportance
		return l
	}
	g, add := infoGrid(true)
	row := func(field, v string) { add(i18n.Field(field), v) }
	row("reporter_name", r.Reporter.Name)
	row("reporter_phone", r.Reporter.Phone)
	row("reporter_email", r.Reporter.Email)
	row("reporter_id_number", r.Reporter.IDNumber)
	if r.Confidentiality == lapordesk.Rahasia {
		note := wrapLabel(i18n.T("ui.detail.rahasia"))
		note.Importance = widget.WarningImportance
		return container.NewVBox(g, note)
	}
	return g
}

// attachments lists the files; each opens in the system's viewer.
func (p *detailPane) attachments(list []lapordesk.Attachment) fyne.CanvasObject {
	box := container.NewVBox()
	for _, a := range list {
		a := a
		b := widget.NewButtonWithIcon(fmt.Sprintf("%s (%s)", a.Name, sizeText(a.Size)), fileIcon(a.MIME), func() { p.d.openAttachment(a) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		box.Add(b)
	}
	return box
}

func fileIcon(mime string) fyne.Resource {
	switch {
	case strings.HasPrefix(mime, "image/"):
		return theme.FileImageIcon()
	case strings.HasPrefix(mime, "video/"):
		return theme.FileVideoIcon()
	case strings.HasPrefix(mime, "text/"):
		return theme.FileTextIcon()
	}
	return theme.FileIcon()
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return formatDays(float64(n)/(1<<20)) + " MB"
	case n >= 1<<10:
		return formatInt(int(n>>10)) + " KB"
	}
	return formatInt(int(n)) + " B"
}

// openAttachment writes the file to the temporary folder and opens it with the
// program the system uses for its type.
func (d *Desk) openAttachment(a lapordesk.Attachment) {
	Go(d.async, func(ctx context.Context) (string, error) {
		data, err := d.store.Blob(ctx, a.SHA256)
		if err != nil {
			return "", err
		}
		dir := filepath.Join(os.TempDir(), "lapordesk-lampiran")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
		path := filepath.Join(dir, a.SHA256[:12]+"-"+safeFileName(a.Name))
		return path, os.WriteFile(path, data, 0o600)
	}, func(path string, err error) {
		if err != nil {
			d.showError(err)
			return
		}
		d.openFile(path)
	})
}

// safeFileName keeps a name's letters, digits, dots, dashes and spaces only.
func safeFileName(name string) string {
	name = filepath.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '.' || r == '-' || r == '_' || r == ' ' || r > 127 && r != 0xFFFD,
			r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if s == "" {
		s = "lampiran"
	}
	return s
}

// timeline lists every event, oldest first. An event that did not apply (a sync
// conflict) says why and names the version that did; once resolved, it says so.
func (p *detailPane) timeline(v lapordesk.View) fyne.CanvasObject {
	conflicts := map[uuid.UUID]lapordesk.Conflict{}
	for _, c := range v.Report.Conflicts {
		conflicts[c.EventID] = c
	}
	resolved := lapordesk.ResolvedEvents(v.History)
	box := container.NewVBox()
	for _, ev := range v.History {
		dot := canvas.NewCircle(themeColor(eventColor(ev.Kind)))
		dot.Resize(fyne.NewSize(10, 10))
		dotBox := container.NewWithoutLayout(dot)
		dot.Move(fyne.NewPos(2, 14))
		dotBox.Resize(fyne.NewSize(14, 14))
		when := widget.NewLabel(p.d.whoWhen(ev))
		when.Importance = widget.LowImportance
		name := heading(i18n.Event(ev.Kind))
		lines := []fyne.CanvasObject{container.NewHBox(name, when)}
		lines = append(lines, p.d.eventBody(ev)...)
		if c, ok := conflicts[ev.ID]; ok {
			dot.FillColor = themeColor(colorOverdue)
			l := wrapLabel(i18n.Tf("ui.detail.conflict", "Reason", i18n.ConflictReason(c)))
			l.Importance = widget.DangerImportance
			lines = append(lines, l)
			if _, won, found := v.Competing(c); found {
				for _, w := range won {
					lines = append(lines, wrapLabel(i18n.Tf("ui.conflict.won_by", "Event", p.d.eventLine(w))))
				}
			}
		} else if r, ok := resolved[ev.ID]; ok {
			l := wrapLabel(i18n.Tf("ui.conflict.resolved_by", "Event", p.d.whoWhen(r)))
			l.Importance = widget.LowImportance
			lines = append(lines, l)
		}
		box.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(14, 14), dotBox), nil, container.NewVBox(lines...)))
	}
	return box
}

// eventBody is what an event says: a reason or text, the unit it went to with the
// instructions, the fields it changed, its files, a letter's number.
func (d *Desk) eventBody(ev lapordesk.Event) []fyne.CanvasObject {
	var lines []fyne.CanvasObject
	pl := ev.Payload
	for _, t := range []string{pl.Reason, pl.Text} {
		if t != "" {
			lines = append(lines, wrapLabel(t))
		}
	}
	if pl.ToUnit != "" {
		lines = append(lines, wrapLabel(i18n.Tf("ui.detail.to_unit", "Unit", unitName(d, pl.ToUnit))))
		for _, in := range pl.Instructions {
			lines = append(lines, widget.NewLabel("☑ "+in))
		}
	}
	for _, c := range pl.Changes {
		lines = append(lines, wrapLabel(i18n.Field(c.Field)+": "+c.Value))
	}
	for _, a := range pl.Attachments {
		a := a
		b := widget.NewButtonWithIcon(a.Name, fileIcon(a.MIME), func() { d.openAttachment(a) })
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		lines = append(lines, b)
	}
	if pl.Letter != nil {
		lines = append(lines, widget.NewLabel(i18n.Tf("ui.detail.letter", "Number", pl.Letter.Number, "Code", pl.Letter.Code)))
	}
	return lines
}

func eventColor(k lapordesk.EventKind) fyne.ThemeColorName {
	switch k {
	case lapordesk.EvClosed, lapordesk.EvFollowedUp, lapordesk.EvVerified:
		return colorOK
	case lapordesk.EvReturned, lapordesk.EvArchived:
		return colorOverdue
	case lapordesk.EvPostponed:
		return colorSoon
	}
	return theme.ColorNamePrimary
}

// focusPrimary puts the keyboard on the action the report's next step calls for.
func (p *detailPane) focusPrimary() {
	if p.primary != nil {
		p.d.win.Canvas().Focus(p.primary)
	}
}
