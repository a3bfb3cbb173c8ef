package ui

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// statusBar is the line at the bottom: the unit, the link with the hub (online or
// offline, a progress bar during a round, changes waiting to be sent, the last
// sync, reports in conflict), today's date, and the last background problem.
type statusBar struct {
	d         *Desk
	unit      *widget.Label
	unitW     float32 // the unit's name in full
	dot       *canvas.Circle
	link      *widget.Label
	progress  *widget.ProgressBar
	progBox   fyne.CanvasObject
	pending   *widget.Label
	last      *widget.Label
	conflicts *widget.Button
	msg       *widget.Label
	row       *fyne.Container // the whole line: laid out again when a text changes
	today     *widget.Label

	day      lapordesk.Date // the date shown; deadlines move when it changes
	sync     *lsync.Status  // the sync service's latest status; nil without sync
	lastSync time.Time      // the last sync seen; new reports may have come with it
	synced   bool           // a sync status has been shown
	syncMsg  bool           // msg shows a sync problem (cleared by a good round)
	asked    bool           // the user asked for a round (F5): say why it failed, even offline
}

func newStatusBar(d *Desk) *statusBar {
	b := &statusBar{d: d, unit: widget.NewLabel(""), link: widget.NewLabel(""), pending: widget.NewLabel(""),
		last: widget.NewLabel(""), msg: widget.NewLabel(""), today: widget.NewLabel("")}
	b.dot = canvas.NewCircle(themeColor(colorPaused))
	b.msg.Importance = widget.DangerImportance
	b.msg.Truncation = fyne.TextTruncateEllipsis
	b.last.Importance = widget.LowImportance
	for _, l := range []*widget.Label{b.pending, b.last} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	b.today.Importance = widget.LowImportance
	b.progress = widget.NewProgressBar()
	b.progBox = container.NewCenter(container.NewGridWrap(fyne.NewSize(130, b.progress.MinSize().Height), b.progress))
	b.progBox.Hide()
	b.conflicts = widget.NewButtonWithIcon("", theme.WarningIcon(), d.showConflicts)
	b.conflicts.Importance = widget.DangerImportance
	b.conflicts.Hide()
	p := d.profile
	role := i18n.T("ui.role." + string(p.Role))
	b.unit.SetText(p.UnitName + " (" + p.UnitCode + ") · " + role)
	b.unit.TextStyle = fyne.TextStyle{Bold: true}
	b.unitW = labelWidth(b.unit.Text, b.unit.TextStyle)
	b.unit.Truncation = fyne.TextTruncateEllipsis
	return b
}

func (b *statusBar) view() fyne.CanvasObject {
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), b.dot))
	// The unit's name gives way first when the line is short of room.
	unit := container.NewGridWrap(fyne.NewSize(min(b.unitW, 380), b.unit.MinSize().Height), b.unit)
	left := container.NewHBox(widget.NewIcon(theme.HomeIcon()), unit, widget.NewSeparator(), dot, b.link, b.progBox)
	b.row = container.New(statusLine{}, left, b.pending, b.last, b.conflicts, b.msg, b.today)
	return container.NewVBox(widget.NewSeparator(), newFill(colorSidebar, 0, b.row))
}

// statusLine lays the status bar out on one line that never widens the window:
// the unit and the link state on the left, today's date on the right, and in
// between the sync details and any message at the width of their text, in
// order, the last ones cut short with an ellipsis when the window is narrow.
type statusLine struct{}

func (statusLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(objs[0].MinSize().Width+objs[len(objs)-1].MinSize().Width, h)
}

func (statusLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	left, today := objs[0], objs[len(objs)-1]
	tw := today.MinSize().Width
	today.Move(fyne.NewPos(size.Width-tw, 0))
	today.Resize(fyne.NewSize(tw, size.Height))
	x := float32(0)
	for _, o := range append([]fyne.CanvasObject{left}, objs[1:len(objs)-1]...) {
		if !o.Visible() {
			continue
		}
		w := min(naturalWidth(o), max(size.Width-tw-x, 0))
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// naturalWidth is the width an object needs to show all of itself: a label that
// truncates reports a small MinSize, so its text is measured.
func naturalWidth(o fyne.CanvasObject) float32 {
	if l, ok := o.(*widget.Label); ok {
		if l.Text == "" {
			return 0
		}
		return labelWidth(l.Text, l.TextStyle)
	}
	return o.MinSize().Width
}

// labelWidth is the width a label needs to show text without cutting it.
func labelWidth(text string, style fyne.TextStyle) float32 {
	return fyne.MeasureText(text, theme.TextSize(), style).Width + 2*theme.InnerPadding() + theme.Padding()
}

// start shows the state now and keeps it fresh: the sync service tells every
// change; the clock and (without sync) the outbox are looked at now and then.
func (b *statusBar) start() {
	b.refresh()
	if !b.d.polling {
		// One poller for the desk's life: a restore builds a new status bar, and
		// the poll follows it.
		b.d.polling = true
		b.d.async.Every(20*time.Second, func() { b.d.status.refresh() })
	}
	if b.d.unsubscribe != nil {
		// The window was built again (after setup or a restore): the bar it
		// replaced stops listening.
		b.d.unsubscribe()
		b.d.unsubscribe = nil
	}
	if s := b.d.hooks.Sync; s != nil {
		ch, cancel := s.Subscribe()
		b.d.unsubscribe = cancel
		Watch(b.d.async, ch, b.showSync)
	}
}

// refresh looks at the date and the link with the hub.
func (b *statusBar) refresh() {
	now := b.d.store.Now()
	b.today.SetText(longDate(now, b.d.loc))
	if day := lapordesk.DateOf(now, b.d.loc); day != b.day {
		// A desk left open overnight: every "days left" changed at midnight.
		first := b.day.IsZero()
		b.day = day
		if !first {
			b.d.refreshAll()
		}
	}
	if s := b.d.hooks.Sync; s != nil {
		b.showSync(s.Status())
		return
	}
	Go(b.d.async, func(ctx context.Context) (int, error) {
		return b.d.store.Pending(ctx)
	}, func(n int, err error) {
		if err != nil {
			b.showError(err)
			return
		}
		b.showLocal(n)
	})
}

// showLocal shows a desk without sync: it works alone, and says so.
func (b *statusBar) showLocal(pending int) {
	defer b.relayout()
	b.pending.SetText("")
	b.last.SetText("")
	if b.d.profile.Training {
		// Practice never leaves this computer: a count of changes "waiting to
		// be sent" would tell the trainee otherwise.
		b.setLink(colorPaused, i18n.T("ui.status.training_local"))
		return
	}
	b.setLink(colorPaused, i18n.T("ui.status.local_only"))
	if pending > 0 {
		b.pending.SetText(i18n.Tf("ui.status.pending", "N", formatInt(pending)))
	}
}

func (b *statusBar) setLink(c fyne.ThemeColorName, text string) {
	b.dot.FillColor = themeColor(c)
	b.dot.Refresh()
	b.link.SetText(text)
}

// showSync shows the sync service's status, and the hub's changes once a round
// has brought them in.
func (b *statusBar) showSync(s lsync.Status) {
	defer b.relayout()
	b.sync = &s
	if !s.Enrolled {
		b.showLocal(s.Pending)
		b.progBox.Hide()
		b.setConflicts(s.Conflicts)
		return
	}
	switch {
	case s.Syncing:
		text := i18n.T("ui.status.syncing")
		if p := s.Progress.Phase; p != "" && p != lsync.PhaseDone {
			text += " " + i18n.T("sync.phase."+string(p))
		}
		if p := s.Progress; p.Phase == lsync.PhasePull && p.ToReceive > 0 {
			// A first sync over a slow line: how far, and how long to go.
			text += " " + formatInt(p.Received) + "/" + formatInt(p.ToReceive) + " · " + sizeText(p.Bytes)
			if left := i18n.TimeLeft(p.Left); left != "" {
				text += " · " + left
			}
		}
		b.setLink(colorSoon, text)
		b.progress.SetValue(s.Progress.Fraction())
		b.progBox.Show()
	case s.Online:
		b.setLink(colorOK, i18n.T("ui.status.online"))
	default:
		b.setLink(colorOverdue, i18n.T("ui.status.offline"))
	}
	if !s.Syncing {
		b.progBox.Hide()
	}
	if s.Pending > 0 {
		b.pending.SetText(i18n.Tf("ui.status.pending", "N", formatInt(s.Pending)))
	} else {
		b.pending.SetText(i18n.T("ui.status.nothing_pending"))
	}
	if s.LastSync.IsZero() {
		b.last.SetText(i18n.T("ui.status.never_synced"))
	} else {
		b.last.SetText(i18n.Tf("ui.status.last_sync", "When", i18n.DateTime(s.LastSync, b.d.loc)))
	}
	b.setConflicts(s.Conflicts)
	switch {
	case s.Err != nil && !s.Syncing && (b.asked || !lsync.Offline(s.Err)):
		// Offline is the bar's own red dot; the words are for a round the user
		// asked for, or for a problem that waiting will not cure.
		b.msg.SetText(syncProblem(s.Err))
		b.syncMsg = true
	case s.Err == nil && b.syncMsg:
		b.msg.SetText("")
		b.syncMsg = false
	}
	if s.LastSync.After(b.lastSync) {
		first := !b.synced // the round before the window opened is already on screen
		b.lastSync = s.LastSync
		if sum := s.LastSummary; !first && sum != nil && (sum.Received > 0 || sum.RefData || sum.Flagged > 0) {
			// A round brought the hub's changes in: show them.
			b.d.syncedIn()
		}
	}
	b.synced = true
	b.d.settings.hub.show(s)
}

func (b *statusBar) setConflicts(n int) {
	if n == 0 {
		b.conflicts.Hide()
		return
	}
	b.conflicts.SetText(i18n.Tf("ui.status.conflicts", "N", formatInt(n)))
	b.conflicts.Show()
}

// syncProblem puts a sync error in the desk's words: what the CLI's messages tell
// to type, the window offers in Pengaturan › Hub.
func syncProblem(err error) string {
	switch {
	case lsync.Unauthorized(err):
		return i18n.T("ui.sync.err.unauthorized")
	}
	return lsync.Describe(err)
}

// showError shows a background problem until the next one (or a clear).
func (b *statusBar) showError(err error) {
	defer b.relayout()
	b.syncMsg = false
	if err == nil {
		b.msg.SetText("")
		return
	}
	b.msg.SetText(i18n.Error(err))
}

// relayout lays the line out again after a text changed: its parts are as wide
// as their text, which their MinSize does not tell.
func (b *statusBar) relayout() {
	if b.row != nil {
		b.row.Refresh()
	}
}

// text is the status bar as the user reads it (tests compare it).
func (b *statusBar) text() string {
	s := b.link.Text
	for _, l := range []*widget.Label{b.pending, b.last} {
		if l.Text != "" {
			s += " " + l.Text
		}
	}
	if b.conflicts.Visible() {
		s += " · " + b.conflicts.Text
	}
	return s
}

// longDate writes "Jumat, 27 November 2026".
func longDate(t time.Time, loc *time.Location) string {
	d := lapordesk.DateOf(t, loc)
	return i18n.T("weekday."+strconv.Itoa(int(d.Weekday()))) + ", " + i18n.Date(d)
}

// syncNow runs a sync round now (F5) when the desk is enrolled with a hub, and
// reads everything shown again.
func (d *Desk) syncNow() {
	s := d.hooks.Sync
	if s == nil || !s.Status().Enrolled {
		d.refreshAll()
		return
	}
	b := d.status
	b.asked = true
	b.setLink(colorSoon, i18n.T("ui.status.syncing"))
	b.progress.SetValue(0)
	b.progBox.Show()
	b.relayout()
	Go(d.async, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.SyncAndWait(ctx)
	}, func(_ struct{}, err error) {
		st := s.Status()
		b.lastSync = st.LastSync // refreshed below in any case
		b.showSync(st)
		b.asked = false
		if err != nil {
			b.msg.SetText(syncProblem(err))
			b.syncMsg = true
		}
		b.relayout()
		d.refreshAll()
	})
}

// syncedIn shows what a sync round brought in: counts, the list, the report open
// (if it changed), the recap and the hub's summary.
func (d *Desk) syncedIn() {
	d.refreshViews()
	d.detail.refresh()
	if d.current == navRecap {
		d.recap.load()
	}
}
