package letter

// A bordered form, as the lembar disposisi is: rows of one or more columns, each column
// a list of items (a labelled value, a heading, free text, or a checkbox with its
// label). Rows flow across pages line by line, closing and reopening their borders,
// so no amount of text can push a row off the page.

type itemKind int

const (
	itemField   itemKind = iota // "Label : value"
	itemHeading                 // a bold line, e.g. "Dengan hormat harap:"
	itemText                    // free text with line breaks
	itemBox                     // checkbox and its label
)

type formItem struct {
	kind    itemKind
	label   string
	value   string
	checked bool
}

func field(label, value string) formItem {
	return formItem{kind: itemField, label: label, value: value}
}
func heading(text string) formItem       { return formItem{kind: itemHeading, label: text} }
func freeText(text string) formItem      { return formItem{kind: itemText, value: text} }
func box(label string, on bool) formItem { return formItem{kind: itemBox, label: label, checked: on} }

// formRow is one row of the form; minLines keeps room to write by hand.
type formRow struct {
	cols     [][]formItem
	minLines int
}

// slot draws one line of a column at (x, current y) in the column's width.
type slot func(x, width float64)

// slots turns a column's items into printable lines for a column of width.
func (w *writer) slots(items []formItem, width float64) []slot {
	var out []slot
	labelW := 0.0
	for _, it := range items {
		if it.kind == itemField {
			labelW = max(labelW, w.strWidth(w.clean(it.label)))
		}
	}
	labelW = min(labelW+1, width*0.45)
	colon := w.strWidth(" : ")
	boxW := 3.6*w.scale + 1.8*w.scale
	for _, it := range items {
		it := it
		switch it.kind {
		case itemField:
			label := w.clean(it.label)
			vw := width - labelW - colon
			for i, line := range w.wrap(w.clean(it.value), vw) {
				first, line := i == 0, line
				out = append(out, func(x, _ float64) {
					if first {
						w.cell(x, labelW, w.fitEllipsis(label, labelW), "L")
						w.cell(x+labelW, colon, ":", "C")
					}
					w.cell(x+labelW+colon, vw, line, "L")
				})
			}
		case itemHeading:
			for _, line := range w.wrap(w.clean(it.label), width) {
				line := line
				out = append(out, func(x, width float64) {
					w.pdf.SetFont(family, "B", w.pt*w.scale)
					w.cell(x, width, line, "L")
					w.pdf.SetFont(family, w.style, w.pt*w.scale)
				})
			}
		case itemText:
			for _, line := range w.lines(w.cleanML(it.value), width) {
				line := line
				out = append(out, func(x, width float64) { w.cell(x, width, line, "L") })
			}
		case itemBox:
			for i, line := range w.wrap(w.clean(it.label), width-boxW) {
				first, line := i == 0, line
				out = append(out, func(x, width float64) {
					if first {
						w.checkbox(x, it.checked)
					}
					w.cell(x+boxW, width-boxW, line, "L")
				})
			}
		}
	}
	return out
}

// form draws rows across the text area's width.
func (w *writer) form(rows []formRow) {
	lh := w.lh()
	pad := 1.2 * w.scale
	inner := 1.5 * w.scale // space between a border and the text
	for _, row := range rows {
		n := len(row.cols)
		colW := w.width() / float64(n)
		cols := make([][]slot, n)
		lines := row.minLines
		for i, items := range row.cols {
			cols[i] = w.slots(items, colW-2*inner)
			lines = max(lines, len(cols[i]))
		}
		// Keep a short row whole: move it to the next page rather than split it.
		if float64(lines)*lh+2*pad <= (w.yMax-w.m.Top)/3 {
			w.ensure(float64(lines)*lh + 2*pad)
		} else {
			w.ensure(lh + 2*pad)
		}
		segTop := w.y()
		closeSeg := func(bottom float64) {
			w.pdf.SetLineWidth(0.3)
			w.pdf.Rect(w.x0, segTop, w.width(), bottom-segTop, "D")
			for i := 1; i < n; i++ {
				x := w.x0 + colW*float64(i)
				w.pdf.Line(x, segTop, x, bottom)
			}
			w.pdf.SetLineWidth(0.2)
		}
		w.setY(w.y() + pad)
		for li := 0; li < lines; li++ {
			if w.y()+lh > w.yMax {
				closeSeg(w.y() + pad)
				w.newPage()
				segTop = w.y()
				w.setY(w.y() + pad)
			}
			y := w.y()
			for ci, c := range cols {
				if li < len(c) {
					w.setY(y)
					c[li](w.x0+colW*float64(ci)+inner, colW-2*inner)
				}
			}
			w.setY(y + lh)
		}
		w.setY(w.y() + pad)
		closeSeg(w.y())
	}
}
