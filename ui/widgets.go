package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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

func newBadge() *badge {
	b := &badge{OnFg: colorOnBadge}
	b.ExtendBaseWidget(b)
	return b
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

const badgePadX, badgePadY = 7, 2

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
func (r *badgeRenderer) Destroy()                     {}

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

// panel puts content on a card-coloured background with padding; the colour
// follows the theme when the user switches between light and dark.
func panel(content fyne.CanvasObject) fyne.CanvasObject {
	return newFill(colorCard, 6, container.NewPadded(content))
}

// fill is content on a rounded background of a theme colour.
type fill struct {
	widget.BaseWidget
	color   fyne.ThemeColorName
	radius  float32
	content fyne.CanvasObject
}

func newFill(c fyne.ThemeColorName, radius float32, content fyne.CanvasObject) *fill {
	f := &fill{color: c, radius: radius, content: content}
	f.ExtendBaseWidget(f)
	return f
}

func (f *fill) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(themeColor(f.color))
	bg.CornerRadius = f.radius
	return &fillRenderer{f: f, bg: bg, objs: []fyne.CanvasObject{bg, f.content}}
}

type fillRenderer struct {
	f    *fill
	bg   *canvas.Rectangle
	objs []fyne.CanvasObject
}

func (r *fillRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.f.content.Resize(s)
}
func (r *fillRenderer) MinSize() fyne.Size { return r.f.content.MinSize() }
func (r *fillRenderer) Refresh() {
	r.bg.FillColor = themeColor(r.f.color)
	r.bg.Refresh()
	r.f.content.Refresh()
}
func (r *fillRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *fillRenderer) Destroy()                     {}

// heading is a bold section title.
func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// caption is small, subdued text.
func caption(text string) *canvas.Text {
	c := canvas.NewText(text, theme.Color(theme.ColorNamePlaceHolder))
	c.TextSize = theme.CaptionTextSize()
	return c
}

// wrapLabel is a label that wraps words, for long text.
func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// hbox lays objects out left to right with a spacer pushing the rest right.
func spacer() fyne.CanvasObject { return layout.NewSpacer() }

// minWidth is an invisible object that keeps a stack at least w wide.
func minWidth(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return r
}

// formatInt writes n with the language's digit grouping: 12.345 in Indonesian,
// 12,345 in English.
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := i18n.T("ui.num.group")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatDays writes an average number of days with one decimal, "2,5" or "2.5".
func formatDays(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.Replace(s, ".", i18n.T("ui.num.decimal"), 1)
}

// border is container.NewBorder with its children in reading order (top, left,
// centre, right, bottom), so Tab moves through the window as the eye does; Fyne's
// own puts the centre first.
func border(top, bottom, left, right, center fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left, center, right, bottom} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), objs...)
}
