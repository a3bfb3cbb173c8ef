package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

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

func (r *fillRenderer) Destroy() {}

func newFill(c fyne.ThemeColorName, radius float32, content fyne.CanvasObject) *fill {
	f := &fill{color: c, radius: radius, content: content}
	f.ExtendBaseWidget(f)
	return f
}
