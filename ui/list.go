package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// Rows per page read from the store, and pages kept in memory.
const (
	listPageSize = 100
	listMaxPages = 8
	countCap     = 10000
)

// listPane is the report list of a box: search as you type, filters, sorting, and a
// virtualized list fed page by page from the store.
type listPane struct {
	d     *Desk
	box   lapordesk.Box
	pager *pager

	title    *widget.Label
	countLbl *widget.Label
	search   *searchEntry
	sortSel  *widget.Select
	reverse  *widget.Button
	filterB  *widget.Button
	exportB  *widget.Button // nil without the exchange feature
	filters  *filterPanel
	list     *reportList
	empty    *widget.Label

	sortChosen bool
	rev        bool
	debounce   *Timer
	countGen   int
	selected   uuid.UUID
	selecting  bool
	shown      bool // the first page has been shown once
}

func sortOptions() []string {
	return []string{i18n.T("ui.sort.due"), i18n.T("ui.sort.received"), i18n.T("ui.sort.status")}
}

var sortValues = []lapordesk.Sort{lapordesk.SortDue, lapordesk.SortReceived, lapordesk.SortStatus}

func newListPane(d *Desk) *listPane {
	l := &listPane{d: d}
	l.pager = newPager(d.async, d.store.List, listPageSize, listMaxPages)
	l.pager.onChange = func() { l.list.Refresh(); l.updateEmpty() }
	l.pager.onError = func(err error) { l.countLbl.SetText(i18n.Error(err)) }
	l.pager.onFirst = func(int) {
		l.reselect()
		if !l.shown {
			l.shown = true
			trace(d.trace, "first page shown")
		}
	}

	l.title = heading("")
	l.title.SizeName = theme.SizeNameSubHeadingText
	l.countLbl = widget.NewLabel("")
	l.countLbl.Importance = widget.LowImportance

	l.search = newSearchEntry(d)
	l.search.SetPlaceHolder(i18n.T("ui.search.placeholder"))
	l.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	l.search.OnChanged = func(string) {
		l.debounce.Stop()
		l.debounce = d.async.After(d.debounce, l.reload)
	}
	l.search.OnSubmitted = func(string) {
		l.debounce.Stop()
		l.reload()
	}

	l.sortSel = widget.NewSelect(sortOptions(), func(string) {
		if l.selecting {
			return
		}
		l.sortChosen = true
		l.reload()
	})
	l.reverse = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() {
		l.rev = !l.rev
		if l.rev {
			l.reverse.SetIcon(theme.MoveUpIcon())
		} else {
			l.reverse.SetIcon(theme.MoveDownIcon())
		}
		l.reload()
	})
	l.filters = newFilterPanel(d, l.reload)
	l.filterB = widget.NewButtonWithIcon(i18n.T("ui.filter"), theme.MenuDropDownIcon(), func() {
		if l.filters.box.Visible() {
			l.filters.box.Hide()
		} else {
			l.filters.box.Show()
		}
	})

	l.exportB = d.exportButton(d.exportList)
	l.list = newReportList(l)
	l.empty = widget.NewLabel(i18n.T("ui.list.empty"))
	l.empty.Alignment = fyne.TextAlignCenter
	l.empty.Importance = widget.LowImportance
	l.empty.Hide()
	return l
}

func (l *listPane) view() fyne.CanvasObject {
	count := container.NewHBox(l.countLbl)
	if l.exportB != nil {
		count.Add(l.exportB)
	}
	head := container.NewBorder(nil, nil, nil, count, l.title)
	tools := container.NewBorder(nil, nil, nil, container.NewHBox(l.sortSel, l.reverse, l.filterB), l.search)
	top := container.NewVBox(head, tools, l.filters.box, widget.NewSeparator())
	return border(top, nil, nil, nil, container.NewStack(l.list, container.NewVBox(l.empty)))
}

// setBox shows box, with its natural order (most urgent first; newest first for
// finished reports).
func (l *listPane) setBox(b lapordesk.Box) {
	l.box = b
	l.title.SetText(i18n.Box(b))
	l.sortChosen = false
	l.selecting = true
	if b == lapordesk.BoxDone || b == lapordesk.BoxArchive {
		l.sortSel.SetSelectedIndex(1)
	} else {
		l.sortSel.SetSelectedIndex(0)
	}
	l.selecting = false
	// Finished reports are never overdue: the filter means nothing there.
	if b == lapordesk.BoxDone || b == lapordesk.BoxArchive {
		l.filters.quiet = true
		l.filters.overdue.SetChecked(false)
		l.filters.quiet = false
		l.filters.overdue.Disable()
	} else {
		l.filters.overdue.Enable()
	}
	l.list.UnselectAll()
	l.reload()
}

// filter is what the list shows now.
func (l *listPane) filter() lapordesk.Filter {
	f := l.filters.filter()
	f.Box = l.box
	f.Unit = l.d.unitScope()
	f.Text = l.search.Text
	f.Reverse = l.rev
	if i := l.sortSel.SelectedIndex(); i >= 0 {
		f.Sort = sortValues[i]
	}
	if !l.sortChosen && !l.rev {
		switch {
		case f.Text != "":
			f.Sort = "" // while searching, newest matches first unless asked otherwise
		case dateSort(f, lapordesk.DateOf(l.d.store.Now(), l.d.loc)):
			f.Sort = lapordesk.SortReceived
		}
	}
	return storeFilter(f, l.d.store.Categories())
}

// dateSort reports whether a received-date range lists by received date: asked
// when reports came, the list answers in that order (and the store seeks straight
// to the range). Perlu Tindakan keeps most urgent first for recent weeks.
func dateSort(f lapordesk.Filter, today lapordesk.Date) bool {
	switch {
	case f.Since.IsZero() && f.Until.IsZero():
		return false
	case f.Box != lapordesk.BoxAction:
		return true
	}
	return !f.Until.IsZero() && f.Until.Before(today.AddDays(-90))
}

// storeFilter is f as the list asks the store for it. The "all" box names every
// status, so the store reads one short index range per status instead of sorting
// a whole unit's reports (at a million reports, milliseconds instead of seconds),
// unless a filter has an index of its own in due order (classification, channel,
// a category without sub-categories), which is quicker still. Same reports.
func storeFilter(f lapordesk.Filter, cats *lapordesk.CategoryTree) lapordesk.Filter {
	if f.Box != lapordesk.BoxAll || len(f.Statuses) > 0 || f.Conflicts {
		return f // the conflicts filter has an index of its own
	}
	ownIndex := f.Classification != "" || f.Channel != "" || (f.CategoryID != "" && len(cats.Descendants(f.CategoryID)) == 1)
	if !ownIndex {
		f.Statuses = lapordesk.Statuses
	}
	return f
}

// reload reads the list again from its first page, and its count.
func (l *listPane) reload() {
	f := l.filter()
	l.filterB.SetText(filterLabel(l.filters.active()))
	l.countLbl.SetText(i18n.T("ui.loading"))
	l.pager.Reset(f)
	l.countGen++
	gen := l.countGen
	Go(l.d.async, func(ctx context.Context) (int, error) {
		return l.d.store.CountList(ctx, f, countCap)
	}, func(n int, err error) {
		if gen != l.countGen {
			return
		}
		if err != nil {
			l.countLbl.SetText(i18n.Error(err))
			return
		}
		l.countLbl.SetText(countText(n))
	})
}

func countText(n int) string {
	if n >= countCap {
		return i18n.Tf("ui.list.count_more", "N", formatInt(countCap))
	}
	return i18n.Tf("ui.list.count", "N", formatInt(n))
}

func filterLabel(n int) string {
	if n == 0 {
		return i18n.T("ui.filter")
	}
	return i18n.Tf("ui.filter_n", "N", n)
}

func (l *listPane) updateEmpty() {
	n, more := l.pager.Loaded()
	if n == 0 && !more {
		l.empty.Show()
	} else {
		l.empty.Hide()
	}
}

// reselect marks the report shown in the detail pane again after a reload.
func (l *listPane) reselect() {
	if l.selected == uuid.Nil {
		return
	}
	if i := l.pager.IndexOf(l.selected); i >= 0 {
		l.selecting = true
		l.list.Select(i)
		l.selecting = false
	} else {
		l.list.UnselectAll()
	}
}

func (l *listPane) onSelected(i int) {
	if l.selecting {
		return
	}
	it, ok := l.pager.Item(i)
	if !ok {
		return
	}
	l.selected = it.ID
	l.d.detail.open(it.ID)
}

// reportList is the list widget; F5 and Ctrl+R work while it has the focus.
type reportList struct {
	widget.List
	l *listPane
}

func newReportList(l *listPane) *reportList {
	r := &reportList{l: l}
	r.Length = l.pager.Len
	r.CreateItem = func() fyne.CanvasObject { return newReportRow() }
	r.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) {
		row := o.(*reportRow)
		it, ok := l.pager.Item(i)
		if !ok {
			row.loading()
			return
		}
		row.set(it)
	}
	r.OnSelected = l.onSelected
	r.ExtendBaseWidget(r)
	return r
}

func (r *reportList) TypedKey(ev *fyne.KeyEvent) {
	if r.l.d.globalKey(ev) {
		return
	}
	r.List.TypedKey(ev)
}

// reportRow is one row: reference, confidentiality and category above, the title
// below, the deadline and status on the right.
type reportRow struct {
	widget.BaseWidget
	ref, cat, title *widget.Label
	deadline        *badge
	status          *badge
	conf            *badge
	conflict        *badge
	content         fyne.CanvasObject
}

func newReportRow() *reportRow {
	r := &reportRow{ref: widget.NewLabel(""), cat: widget.NewLabel(""), title: widget.NewLabel(""),
		deadline: newBadge(), status: newBadge(), conf: newBadge(), conflict: newBadge()}
	r.ref.TextStyle = fyne.TextStyle{Bold: true}
	r.cat.Importance = widget.LowImportance
	r.cat.Truncation = fyne.TextTruncateEllipsis
	r.title.Truncation = fyne.TextTruncateEllipsis
	top := container.NewBorder(nil, nil, container.NewHBox(r.ref, container.NewCenter(r.conf), container.NewCenter(r.conflict)), nil, r.cat)
	right := container.NewVBox(container.NewHBox(spacer(), r.deadline), container.NewHBox(spacer(), r.status))
	r.content = container.NewBorder(nil, nil, nil, container.NewCenter(right), container.NewVBox(top, r.title))
	r.ExtendBaseWidget(r)
	return r
}

func (r *reportRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func (r *reportRow) set(it lapordesk.Item) {
	r.ref.SetText(it.Ref)
	r.cat.SetText(categoryOrClass(it.Category, it.Classification))
	r.title.SetText(it.Title)
	deadlineBadge(r.deadline, it.Deadline)
	statusBadge(r.status, it.Status)
	confidentialityBadge(r.conf, it.Confidentiality)
	conflictBadge(r.conflict, it.Conflicts)
}

func (r *reportRow) loading() {
	r.ref.SetText("")
	r.cat.SetText("")
	r.title.SetText(i18n.T("ui.loading"))
	r.deadline.Set("", "", "")
	r.status.Set("", "", "")
	r.conf.Set("", "", "")
	r.conflict.Set("", "", "")
}

func categoryOrClass(cat string, c lapordesk.Classification) string {
	if cat == "" {
		return i18n.Classification(c)
	}
	return i18n.Classification(c) + " · " + cat
}

// searchEntry is the search field; F5 and Escape work in it, Down moves to the list.
type searchEntry struct {
	widget.Entry
	d *Desk
}

func newSearchEntry(d *Desk) *searchEntry {
	e := &searchEntry{d: d}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if e.Text != "" {
			e.SetText("")
			return
		}
	case fyne.KeyDown:
		e.d.win.Canvas().Focus(e.d.list.list)
		return
	}
	if e.d.globalKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}
