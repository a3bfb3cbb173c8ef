package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// dateField is a date typed as DD/MM/YYYY (the Indonesian order, whatever the
// system's locale) or picked from a calendar with Indonesian month names whose
// weeks start on Monday.
type dateField struct {
	widget.Entry
	onDate func() // called when the text becomes a valid date or empty
	pop    *widget.PopUp
	esc    func()
}

func (f *dateField) setEscape(fn func()) { f.esc = fn }

func (f *dateField) TypedKey(ev *fyne.KeyEvent) {
	if !escKey(ev, f.esc) {
		f.Entry.TypedKey(ev)
	}
}

func newDateField() *dateField {
	f := &dateField{}
	f.ExtendBaseWidget(f)
	f.SetPlaceHolder(i18n.T("ui.date.placeholder"))
	f.ActionItem = newTapIcon(theme.CalendarIcon(), f.showPicker)
	f.OnChanged = func(string) {
		if _, ok := f.Date(); ok && f.onDate != nil {
			f.onDate()
		}
	}
	return f
}

// Date returns the date typed: the zero Date when empty, false when not a date.
func (f *dateField) Date() (lapordesk.Date, bool) {
	return parseDayMonthYear(f.Text)
}

// SetDate shows d (the zero Date clears the field).
func (f *dateField) SetDate(d lapordesk.Date) {
	if d.IsZero() {
		f.SetText("")
		return
	}
	f.SetText(fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year))
}

// parseDayMonthYear reads 27/11/2026, 27-11-2026, 27.11.2026 or 2026-11-27.
func parseDayMonthYear(s string) (lapordesk.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return lapordesk.Date{}, true
	}
	if d, err := lapordesk.ParseDate(s); err == nil {
		return d, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return lapordesk.Date{}, false
	}
	day, e1 := strconv.Atoi(parts[0])
	mon, e2 := strconv.Atoi(parts[1])
	year, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil || mon < 1 || mon > 12 || day < 1 {
		return lapordesk.Date{}, false
	}
	d := lapordesk.NewDate(year, time.Month(mon), day)
	if d.Day != day { // 31/02 rolled over: not a date
		return lapordesk.Date{}, false
	}
	return d, true
}

// showPicker opens the calendar below the field.
func (f *dateField) showPicker() {
	c := fyne.CurrentApp().Driver().CanvasForObject(f)
	if c == nil {
		return
	}
	start, ok := f.Date()
	if !ok || start.IsZero() {
		start = lapordesk.DateOf(time.Now(), time.Local)
	}
	cal := newMonthPicker(start, func(d lapordesk.Date) {
		f.SetDate(d)
		if f.pop != nil {
			f.pop.Hide()
		}
	})
	f.pop = widget.NewPopUp(cal.content, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f)
	f.pop.ShowAtPosition(pos.AddXY(0, f.Size().Height))
}

// monthPicker is a month of day buttons with previous/next month.
type monthPicker struct {
	month   lapordesk.Date // first of the month shown
	picked  func(lapordesk.Date)
	title   *widget.Label
	days    *fyne.Container
	content fyne.CanvasObject
}

func newMonthPicker(d lapordesk.Date, picked func(lapordesk.Date)) *monthPicker {
	m := &monthPicker{month: lapordesk.NewDate(d.Year, d.Month, 1), picked: picked}
	m.title = widget.NewLabel("")
	m.title.Alignment = fyne.TextAlignCenter
	m.title.TextStyle = fyne.TextStyle{Bold: true}
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { m.shift(-1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { m.shift(1) })
	m.days = container.NewGridWithColumns(7)
	m.content = container.NewVBox(container.NewBorder(nil, nil, prev, next, m.title), m.days)
	m.draw()
	return m
}

func (m *monthPicker) shift(n int) {
	m.month = lapordesk.NewDate(m.month.Year, m.month.Month+time.Month(n), 1)
	m.draw()
}

func (m *monthPicker) draw() {
	m.title.SetText(i18n.Month(m.month.Month) + " " + strconv.Itoa(m.month.Year))
	m.days.Objects = nil
	for i := 1; i <= 7; i++ { // Monday first
		name := []rune(i18n.T("weekday." + strconv.Itoa(i%7)))
		if len(name) > 3 {
			name = name[:3]
		}
		l := widget.NewLabel(string(name))
		l.Alignment = fyne.TextAlignCenter
		l.Importance = widget.LowImportance
		m.days.Add(l)
	}
	lead := (int(m.month.Weekday()) + 6) % 7
	for i := 0; i < lead; i++ {
		m.days.Add(widget.NewLabel(""))
	}
	for d := m.month; d.Month == m.month.Month; d = d.AddDays(1) {
		day := d
		b := widget.NewButton(strconv.Itoa(d.Day), func() { m.picked(day) })
		b.Importance = widget.LowImportance
		m.days.Add(b)
	}
	m.days.Refresh()
}

// tapIcon is an icon that does something when clicked but takes no keyboard focus,
// so Tab goes from field to field (the date can be typed).
type tapIcon struct {
	widget.Icon
	tapped func()
}

func newTapIcon(res fyne.Resource, tapped func()) *tapIcon {
	t := &tapIcon{tapped: tapped}
	t.Resource = res
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapIcon) Tapped(*fyne.PointEvent) { t.tapped() }

func (t *tapIcon) MinSize() fyne.Size {
	return fyne.NewSquareSize(theme.IconInlineSize() + theme.InnerPadding())
}
