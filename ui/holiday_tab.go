package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// holidayTab is Pengaturan › Hari libur: the holidays that working-day deadlines
// skip, added and removed one at a time.
type holidayTab struct {
	d       *Desk
	year    *widget.Select
	list    *fyne.Container
	form    *form
	date    *dateField
	name    *widget.Entry
	kind    *choice
	save    *saveBar
	content fyne.CanvasObject
	owned   bool // built for reference data the hub owns
}

func newHolidayTab(d *Desk) *holidayTab {
	t := &holidayTab{d: d, list: container.NewVBox(), form: newForm(), date: newDateField(), name: widget.NewEntry()}
	now := lapordesk.DateOf(d.store.Now(), d.loc).Year
	var years []string
	for y := now - 1; y <= now+2; y++ {
		years = append(years, strconv.Itoa(y))
	}
	t.year = widget.NewSelect(years, func(string) { t.fill() })
	t.year.SetSelected(strconv.Itoa(now))
	var kv, kl []string
	for _, k := range holidayKinds {
		kv = append(kv, string(k))
		kl = append(kl, i18n.HolidayKind(k))
	}
	t.kind = newChoice("", kv, kl, nil)
	t.kind.SetSelectedIndex(0)
	f := t.form
	f.add("date", i18n.Field("date"), true, t.date)
	f.add("name", i18n.Field("name"), true, t.name)
	f.add("kind", i18n.Field("kind"), true, t.kind)
	t.save = newSaveBar(i18n.T("ui.holiday.add"), t.add)
	t.save.button.SetIcon(theme.ContentAddIcon())
	note := wrapLabel(i18n.T("ui.holiday.note"))
	note.Importance = widget.LowImportance
	top := container.NewBorder(nil, nil, widget.NewLabel(i18n.T("ui.holiday.year")), nil, t.year)
	add := panel(container.NewVBox(heading(i18n.T("ui.holiday.add_title")), f.content(), t.save.view()))
	if t.owned = d.store.HubOwned(); t.owned {
		// The hub's calendar, shown as it is: edited on the hub, for every desk.
		owned := wrapLabel(i18n.T("ui.refdata.hub_owned"))
		owned.Importance = widget.WarningImportance
		t.content = border(container.NewPadded(container.NewVBox(note, owned, top)), nil, nil, nil, container.NewVScroll(t.list))
		return t
	}
	t.content = border(container.NewPadded(container.NewVBox(note, top)), nil, nil,
		container.NewGridWrap(fyne.NewSize(420, 340), add), container.NewVScroll(t.list))
	return t
}

// fill lists the holidays of the chosen year (from the store's cached calendar).
func (t *holidayTab) fill() {
	year, _ := strconv.Atoi(t.year.Selected)
	t.list.Objects = nil
	for _, h := range t.d.store.Holidays() {
		if h.Date.Year != year {
			continue
		}
		h := h
		day := i18n.T("weekday." + strconv.Itoa(int(h.Date.Weekday())))
		date := widget.NewLabel(day + ", " + i18n.Date(h.Date))
		date.TextStyle = fyne.TextStyle{Bold: true}
		kind := widget.NewLabel(i18n.HolidayKind(h.Kind))
		kind.Importance = widget.LowImportance
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.remove(h) })
		del.Importance = widget.LowImportance
		name := widget.NewLabel(h.Name)
		name.Truncation = fyne.TextTruncateEllipsis
		right := container.NewHBox(kind, del)
		if t.d.store.HubOwned() {
			right = container.NewHBox(kind)
		}
		t.list.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(240, 36), date), right, name))
	}
	if len(t.list.Objects) == 0 {
		l := widget.NewLabel(i18n.T("ui.holiday.none"))
		l.Importance = widget.LowImportance
		t.list.Add(l)
	}
	t.list.Refresh()
}

func (t *holidayTab) add() {
	d, ok := t.date.Date()
	h := lapordesk.Holiday{Date: d, Name: strings.TrimSpace(t.name.Text), Kind: lapordesk.HolidayKind(t.kind.Value())}
	var err error
	if !ok {
		err = &lapordesk.FieldError{Field: "date", Problem: lapordesk.ProblemFormat, Value: t.date.Text}
	} else {
		err = h.Validate()
	}
	if err != nil {
		t.form.show(err)
		return
	}
	t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.AddHoliday(ctx, h) }, func() {
		t.date.SetText("")
		t.name.SetText("")
		t.year.SetSelected(strconv.Itoa(h.Date.Year))
		t.fill()
		t.d.changed()
	})
}

func (t *holidayTab) remove(h lapordesk.Holiday) {
	msg := i18n.Tf("ui.holiday.confirm_remove", "Name", h.Name, "Date", i18n.Date(h.Date))
	dialog.ShowConfirm(i18n.T("ui.holiday.remove"), msg, func(ok bool) {
		if !ok {
			return
		}
		t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.RemoveHoliday(ctx, h.Date) }, func() {
			t.fill()
			t.d.changed()
		})
	}, t.d.win)
}

var holidayKinds = []lapordesk.HolidayKind{lapordesk.HolidayNational, lapordesk.HolidayCutiBersama, lapordesk.HolidayRegional}
