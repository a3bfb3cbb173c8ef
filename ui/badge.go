package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// badge is a small coloured label: a deadline, a status, a confidentiality level.
type badge struct {
	widget.BaseWidget
	Text  string
	Color fyne.ThemeColorName // background; "" hides the badge
	OnFg  fyne.ThemeColorName // text colour
}

// Set changes the badge's text and colours.
func (b *badge) Set(text string, bg, fg fyne.ThemeColorName) {
	if b.Text == text && b.Color == bg && b.OnFg == fg {
		return
	}
	b.Text, b.Color, b.OnFg = text, bg, fg
	b.Refresh()
}

func (b *badge) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(nil)
	bg.CornerRadius = 4
	txt := canvas.NewText("", nil)
	txt.TextStyle = fyne.TextStyle{Bold: true}
	txt.TextSize = theme.CaptionTextSize() + 1
	r := &badgeRenderer{b: b, bg: bg, txt: txt}
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b   *badge
	bg  *canvas.Rectangle
	txt *canvas.Text
}

func (r *badgeRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	ts := r.txt.MinSize()
	r.txt.Move(fyne.NewPos((s.Width-ts.Width)/2, (s.Height-ts.Height)/2))
	r.txt.Resize(ts)
}

func (r *badgeRenderer) MinSize() fyne.Size {
	if r.b.Text == "" || r.b.Color == "" {
		return fyne.NewSize(0, 0)
	}
	ts := r.txt.MinSize()
	return fyne.NewSize(ts.Width+2*badgePadX, ts.Height+2*badgePadY)
}

func (r *badgeRenderer) Refresh() {
	visible := r.b.Text != "" && r.b.Color != ""
	r.bg.Hidden, r.txt.Hidden = !visible, !visible
	if visible {
		r.bg.FillColor = themeColor(r.b.Color)
		r.txt.Color = themeColor(r.b.OnFg)
	}
	r.txt.Text = r.b.Text
	r.bg.Refresh()
	r.txt.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.txt} }

func (r *badgeRenderer) Destroy() {}

// deadlineBadge shows a deadline's urgency: red when overdue, amber when due in the
// policy's "soon" window, green when fine, grey while the clock is paused.
func deadlineBadge(b *badge, d lapordesk.Deadline) {
	switch d.Urgency {
	case lapordesk.UrgencyOverdue:
		b.Set(i18n.DaysLeft(d), colorOverdue, colorOnBadge)
	case lapordesk.UrgencySoon:
		b.Set(i18n.DaysLeft(d), colorSoon, colorOnSoon)
	case lapordesk.UrgencyOK:
		b.Set(i18n.DaysLeft(d), colorOK, colorOnBadge)
	case lapordesk.UrgencyPaused:
		b.Set(i18n.Urgency(d.Urgency), colorPaused, colorOnBadge)
	case lapordesk.UrgencyWaiting:
		b.Set(i18n.Urgency(d.Urgency), colorNeutral, colorOnBadge)
	default:
		b.Set("", "", "")
	}
}

// statusBadge shows a status as a neutral chip.
func statusBadge(b *badge, s lapordesk.Status) {
	b.Set(i18n.Status(s), colorNeutral, colorOnBadge)
}

// confidentialityBadge marks Rahasia and Anonim reports; ordinary ones carry none.
func confidentialityBadge(b *badge, c lapordesk.Confidentiality) {
	switch c {
	case lapordesk.Rahasia:
		b.Set(i18n.Confidentiality(c), colorRahasia, colorOnBadge)
	case lapordesk.Anonim:
		b.Set(i18n.Confidentiality(c), colorAnonim, colorOnBadge)
	default:
		b.Set("", "", "")
	}
}

func newBadge() *badge {
	b := &badge{OnFg: colorOnBadge}
	b.ExtendBaseWidget(b)
	return b
}

const badgePadX, badgePadY = 7, 2
