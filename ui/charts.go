package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
)

// barChart draws one horizontal bar per count, longest first as given, with its
// label on the left and its number on the right; drawn with canvas objects only.
type barChart struct {
	widget.BaseWidget
	counts []lapordesk.Count
	color  fyne.ThemeColorName
}

func newBarChart(color fyne.ThemeColorName) *barChart {
	c := &barChart{color: color}
	c.ExtendBaseWidget(c)
	return c
}

func (c *barChart) set(counts []lapordesk.Count) {
	c.counts = counts
	c.Refresh()
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{c: c}
	r.build()
	return r
}

type barRenderer struct {
	c      *barChart
	labels []*canvas.Text
	bars   []*canvas.Rectangle
	nums   []*canvas.Text
	objs   []fyne.CanvasObject
}

const barRowH, barLabelW = 19, 190

func (r *barRenderer) build() {
	r.labels, r.bars, r.nums, r.objs = nil, nil, nil, nil
	fg := theme.Color(theme.ColorNameForeground)
	for _, ct := range r.c.counts {
		l := canvas.NewText(clipText(ct.Label, 28), fg)
		l.TextSize = theme.CaptionTextSize() + 1
		b := canvas.NewRectangle(themeColor(r.c.color))
		b.CornerRadius = 3
		n := canvas.NewText(formatInt(ct.N), fg)
		n.TextSize = theme.CaptionTextSize() + 1
		n.TextStyle = fyne.TextStyle{Bold: true}
		r.labels, r.bars, r.nums = append(r.labels, l), append(r.bars, b), append(r.nums, n)
		r.objs = append(r.objs, l, b, n)
	}
}

func (r *barRenderer) Layout(s fyne.Size) {
	max := 0
	for _, ct := range r.c.counts {
		if ct.N > max {
			max = ct.N
		}
	}
	avail := s.Width - barLabelW - 60
	if avail < 10 {
		avail = 10
	}
	for i, ct := range r.c.counts {
		y := float32(i) * barRowH
		r.labels[i].Move(fyne.NewPos(0, y+2))
		w := float32(0)
		if max > 0 {
			w = avail * float32(ct.N) / float32(max)
		}
		if ct.N > 0 && w < 2 {
			w = 2
		}
		r.bars[i].Move(fyne.NewPos(barLabelW, y+4))
		r.bars[i].Resize(fyne.NewSize(w, barRowH-7))
		r.nums[i].Move(fyne.NewPos(barLabelW+w+6, y+2))
	}
}

func (r *barRenderer) MinSize() fyne.Size {
	return fyne.NewSize(barLabelW+160, float32(len(r.c.counts))*barRowH)
}

func (r *barRenderer) Refresh() {
	r.build()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *barRenderer) Destroy()                     {}

// lineChart draws one point per month joined by a line, with the months below and
// the largest value on the left.
type lineChart struct {
	widget.BaseWidget
	counts []lapordesk.Count
	label  func(key string) string
}

func newLineChart(label func(string) string) *lineChart {
	c := &lineChart{label: label}
	c.ExtendBaseWidget(c)
	return c
}

func (c *lineChart) set(counts []lapordesk.Count) {
	c.counts = counts
	c.Refresh()
}

func (c *lineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &lineRenderer{c: c}
	r.build()
	return r
}

type lineRenderer struct {
	c      *lineChart
	axisX  *canvas.Line
	axisY  *canvas.Line
	maxTxt *canvas.Text
	zero   *canvas.Text
	segs   []*canvas.Line
	dots   []*canvas.Circle
	xlabs  []*canvas.Text
	vals   []*canvas.Text
	objs   []fyne.CanvasObject
}

const lineLeft, lineBottom, lineTop = 44, 26, 18

func (r *lineRenderer) build() {
	fg := theme.Color(theme.ColorNameForeground)
	sub := theme.Color(theme.ColorNamePlaceHolder)
	prim := theme.Color(theme.ColorNamePrimary)
	r.axisX = canvas.NewLine(theme.Color(theme.ColorNameSeparator))
	r.axisY = canvas.NewLine(theme.Color(theme.ColorNameSeparator))
	r.maxTxt = canvas.NewText("", sub)
	r.maxTxt.TextSize = theme.CaptionTextSize()
	r.zero = canvas.NewText("0", sub)
	r.zero.TextSize = theme.CaptionTextSize()
	r.segs, r.dots, r.xlabs, r.vals = nil, nil, nil, nil
	r.objs = []fyne.CanvasObject{r.axisX, r.axisY, r.maxTxt, r.zero}
	for i, ct := range r.c.counts {
		if i > 0 {
			l := canvas.NewLine(prim)
			l.StrokeWidth = 2
			r.segs = append(r.segs, l)
			r.objs = append(r.objs, l)
		}
		d := canvas.NewCircle(prim)
		x := canvas.NewText(r.c.label(ct.Key), sub)
		x.TextSize = theme.CaptionTextSize()
		v := canvas.NewText(formatInt(ct.N), fg)
		v.TextSize = theme.CaptionTextSize()
		r.dots, r.xlabs, r.vals = append(r.dots, d), append(r.xlabs, x), append(r.vals, v)
		r.objs = append(r.objs, d, x, v)
	}
}

func (r *lineRenderer) Layout(s fyne.Size) {
	max := 0
	for _, ct := range r.c.counts {
		if ct.N > max {
			max = ct.N
		}
	}
	r.maxTxt.Text = formatInt(max)
	// The left margin fits the largest value's label.
	left := float32(lineLeft)
	if w := r.maxTxt.MinSize().Width + 12; w > left {
		left = w
	}
	plotW, plotH := s.Width-left-12, s.Height-lineBottom-lineTop
	if plotW < 10 || plotH < 10 {
		return
	}
	base := lineTop + plotH
	r.axisX.Position1, r.axisX.Position2 = fyne.NewPos(left, base), fyne.NewPos(left+plotW, base)
	r.axisY.Position1, r.axisY.Position2 = fyne.NewPos(left, lineTop), fyne.NewPos(left, base)
	r.maxTxt.Move(fyne.NewPos(left-6-r.maxTxt.MinSize().Width, lineTop-6))
	r.zero.Move(fyne.NewPos(left-6-r.zero.MinSize().Width, base-8))
	n := len(r.c.counts)
	step := plotW
	if n > 1 {
		step = plotW / float32(n-1)
	}
	// Label every month when they fit, else every second or third.
	every := 1
	for every < n && step*float32(every) < 70 {
		every++
	}
	var prev fyne.Position
	for i, ct := range r.c.counts {
		x := left
		if n > 1 {
			x += step * float32(i)
		} else {
			x += plotW / 2
		}
		y := base
		if max > 0 {
			y = base - plotH*float32(ct.N)/float32(max)
		}
		p := fyne.NewPos(x, y)
		r.dots[i].Move(p.SubtractXY(3.5, 3.5))
		r.dots[i].Resize(fyne.NewSize(7, 7))
		if i > 0 {
			r.segs[i-1].Position1, r.segs[i-1].Position2 = prev, p
		}
		prev = p
		xl := r.xlabs[i]
		xl.Hidden = i%every != 0 && i != n-1
		lx := x - xl.MinSize().Width/2
		if max := s.Width - xl.MinSize().Width; lx > max {
			lx = max
		}
		xl.Move(fyne.NewPos(lx, base+6))
		v := r.vals[i]
		v.Hidden = xl.Hidden
		vx := x - v.MinSize().Width/2
		if max := s.Width - v.MinSize().Width; vx > max {
			vx = max
		}
		v.Move(fyne.NewPos(vx, y-16))
	}
}

func (r *lineRenderer) MinSize() fyne.Size { return fyne.NewSize(320, 160) }

func (r *lineRenderer) Refresh() {
	r.build()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *lineRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *lineRenderer) Destroy()                     {}

// clipText shortens s to n characters with an ellipsis.
func clipText(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
