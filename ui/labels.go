package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

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
