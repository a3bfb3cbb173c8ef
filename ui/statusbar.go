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
)

// statusBar is the line at the bottom: the unit, the link with the hub (online or
// offline, changes waiting to be sent, the last sync), today's date, and the last
// background problem.
type statusBar struct {
	d       *Desk
	unit    *widget.Label
	dot     *canvas.Circle
	link    *widget.Label
	pending *widget.Label
	last    *widget.Label
	msg     *widget.Label
	today   *widget.Label
	polling bool

	day      lapordesk.Date // the date shown; deadlines move when it changes
	lastSync time.Time      // the last sync seen; new reports may have come with it
}

func newStatusBar(d *Desk) *statusBar {
	b := &statusBar{d: d, unit: widget.NewLabel(""), link: widget.NewLabel(""), pending: widget.NewLabel(""),
		last: widget.NewLabel(""), msg: widget.NewLabel(""), today: widget.NewLabel("")}
	b.dot = canvas.NewCircle(themeColor(colorPaused))
	b.msg.Importance = widget.DangerImportance
	b.msg.Truncation = fyne.TextTruncateEllipsis
	b.last.Importance = widget.LowImportance
	b.today.Importance = widget.LowImportance
	p := d.profile
	role := i18n.T("ui.role." + string(p.Role))
	b.unit.SetText(p.UnitName + " (" + p.UnitCode + ") · " + role)
	b.unit.TextStyle = fyne.TextStyle{Bold: true}
	return b
}

func (b *statusBar) view() fyne.CanvasObject {
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), b.dot))
	left := container.NewHBox(widget.NewIcon(theme.HomeIcon()), b.unit, widget.NewSeparator(), dot, b.link, b.pending, b.last)
	bar := container.NewBorder(nil, nil, left, b.today, b.msg)
	return container.NewVBox(widget.NewSeparator(), newFill(colorSidebar, 0, bar))
}

// start shows the state now and keeps it fresh.
func (b *statusBar) start() {
	b.refresh()
	if !b.polling {
		b.polling = true
		b.d.async.Every(20*time.Second, b.refresh)
	}
}

type linkState struct {
	pending int
	sync    *SyncState
}

// refresh reads the outbox and the sync state (off the UI goroutine).
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
	syncer := b.d.hooks.Sync
	Go(b.d.async, func(ctx context.Context) (linkState, error) {
		var st linkState
		n, err := b.d.store.Pending(ctx)
		if err != nil {
			return st, err
		}
		st.pending = n
		if syncer != nil {
			s, err := syncer.State(ctx)
			if err != nil {
				return st, err
			}
			st.sync = &s
		}
		return st, nil
	}, func(st linkState, err error) {
		if err != nil {
			b.showError(err)
			return
		}
		b.show(st)
	})
}

func (b *statusBar) show(st linkState) {
	s := st.sync
	switch {
	case st.pending > 0:
		b.pending.SetText(i18n.Tf("ui.status.pending", "N", formatInt(st.pending)))
	case s != nil && s.Configured:
		b.pending.SetText(i18n.T("ui.status.nothing_pending"))
	default:
		b.pending.SetText("")
	}
	switch {
	case s == nil || !s.Configured:
		// No hub yet: the desk works alone, and says so.
		b.dot.FillColor = themeColor(colorPaused)
		b.link.SetText(i18n.T("ui.status.local_only"))
		b.last.SetText("")
	case s.Running:
		b.dot.FillColor = themeColor(colorSoon)
		b.link.SetText(i18n.T("ui.status.syncing"))
	case s.Online:
		b.dot.FillColor = themeColor(colorOK)
		b.link.SetText(i18n.T("ui.status.online"))
	default:
		b.dot.FillColor = themeColor(colorOverdue)
		b.link.SetText(i18n.T("ui.status.offline"))
	}
	if s != nil && s.LastSync.After(b.lastSync) {
		// A sync round brought the hub's changes in: show them.
		first := b.lastSync.IsZero()
		b.lastSync = s.LastSync
		if !first {
			b.d.refreshAll()
		}
	}
	if s != nil && s.Configured {
		if s.LastSync.IsZero() {
			b.last.SetText(i18n.T("ui.status.never_synced"))
		} else {
			b.last.SetText(i18n.Tf("ui.status.last_sync", "When", i18n.DateTime(s.LastSync, b.d.loc)))
		}
		if s.LastError != nil {
			b.showError(s.LastError)
		}
	}
	b.dot.Refresh()
}

// showError shows a background problem until the next one (or a clear).
func (b *statusBar) showError(err error) {
	if err == nil {
		b.msg.SetText("")
		return
	}
	b.msg.SetText(i18n.Error(err))
}

// longDate writes "Jumat, 27 November 2026".
func longDate(t time.Time, loc *time.Location) string {
	d := lapordesk.DateOf(t, loc)
	return i18n.T("weekday."+strconv.Itoa(int(d.Weekday()))) + ", " + i18n.Date(d)
}

// syncNow runs a sync round (F5) when sync is present, then refreshes the screens.
func (d *Desk) syncNow() {
	s := d.hooks.Sync
	if s == nil {
		d.changed()
		return
	}
	d.status.link.SetText(i18n.T("ui.status.syncing"))
	Go(d.async, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.SyncNow(ctx)
	}, func(_ struct{}, err error) {
		d.status.showError(err)
		d.changed()
		if d.detail.cur != nil {
			d.detail.reload()
		}
	})
}
