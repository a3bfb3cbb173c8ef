package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowLayout places objects left to right at their minimum size and wraps to a new
// line when the width runs out, so any number of action buttons fits any pane width.
// Like Fyne's GridWrap it learns its height from the last layout; when that height
// changes it asks (through grew) for one more layout pass of its parents.
type flowLayout struct {
	height float32
	grew   func()
}

func (f *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	x, y, lineH := float32(0), float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > size.Width {
			x, y = 0, y+lineH+pad
			lineH = 0
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(m)
		x += m.Width + pad
		if m.Height > lineH {
			lineH = m.Height
		}
	}
	if h := y + lineH; h != f.height {
		f.height = h
		if f.grew != nil {
			f.grew()
		}
	}
}

func (f *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if m.Width > w {
			w = m.Width
		}
		if m.Height > h {
			h = m.Height
		}
	}
	if f.height > h {
		h = f.height
	}
	return fyne.NewSize(w, h)
}
