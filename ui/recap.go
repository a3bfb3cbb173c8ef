package ui

import (
	"context"
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

// Recap periods.
const (
	periodMonth = iota
	periodQuarter
	periodYear
	periodTwelve
	periodCustom
)

// recapScreen is the dashboard of a period: counts by status, overdue, due this
// week, average working days to the first response and the follow-up, a bar per
// category and a line per month.
type recapScreen struct {
	d       *Desk
	period  *widget.Select
	since   *dateField
	until   *dateField
	dates   fyne.CanvasObject // the two date fields, shown for a chosen period
	show    *widget.Button
	print   *widget.Button
	export  *widget.Button // nil without the exchange feature
	busy    *widget.ProgressBarInfinite
	errLbl  *widget.Label
	range_  *widget.Label
	cards   map[string]*widget.Label
	status  *fyne.Container
	cats    *barChart
	months  *lineChart
	content fyne.CanvasObject
	quiet   bool // the period is being set by code, not by the user
	gen     int
	last    lapordesk.Recap
}

var cardKeys = []string{"total", "overdue", "due_week", "avg_response", "avg_follow_up"}

func newRecapScreen(d *Desk) *recapScreen {
	s := &recapScreen{d: d, cards: map[string]*widget.Label{}}
	opts := []string{i18n.T("ui.recap.month"), i18n.T("ui.recap.quarter"), i18n.T("ui.recap.year"), i18n.T("ui.recap.twelve"), i18n.T("ui.recap.custom")}
	s.since, s.until = newDateField(), newDateField()
	s.since.SetPlaceHolder(i18n.T("ui.filter.since"))
	s.until.SetPlaceHolder(i18n.T("ui.filter.until"))
	s.period = widget.NewSelect(opts, func(string) {
		if s.quiet {
			return
		}
		if s.period.SelectedIndex() == periodCustom {
			s.dates.Show()
			return
		}
		s.dates.Hide()
		s.load()
	})
	s.show = widget.NewButtonWithIcon(i18n.T("ui.recap.show"), theme.ViewRefreshIcon(), s.load)
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Hide()
	s.errLbl = widget.NewLabel("")
	s.errLbl.Importance = widget.DangerImportance
	s.errLbl.Hide()
	s.range_ = widget.NewLabel("")
	s.range_.Importance = widget.LowImportance
	s.status = container.NewVBox()
	s.cats = newBarChart(theme.ColorNamePrimary)
	s.months = newLineChart(monthLabel)
	if d.hooks.Letters != nil {
		s.print = widget.NewButtonWithIcon(i18n.T("ui.print"), theme.DocumentPrintIcon(), func() { d.printRecap(s.last) })
	}

	s.export = d.exportButton(s.exportRecap)

	cardRow := container.NewGridWithColumns(len(cardKeys))
	for _, k := range cardKeys {
		v := widget.NewLabel("–")
		v.TextStyle = fyne.TextStyle{Bold: true}
		v.SizeName = theme.SizeNameHeadingText
		s.cards[k] = v
		name := widget.NewLabel(i18n.T("ui.recap.card." + k))
		name.Wrapping = fyne.TextWrapWord
		name.Importance = widget.LowImportance
		cardRow.Add(panel(container.NewVBox(v, name)))
	}
	wide := func(o fyne.CanvasObject, w float32) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	s.dates = container.NewHBox(wide(s.since, 160), wide(s.until, 160))
	tools := []fyne.CanvasObject{wide(s.period, 210), s.dates, s.show}
	if s.print != nil {
		tools = append(tools, s.print)
	}
	if s.export != nil {
		tools = append(tools, s.export)
	}
	title := heading(i18n.T("ui.nav.recap"))
	title.SizeName = theme.SizeNameSubHeadingText
	head := container.NewBorder(nil, nil, title, container.NewHBox(tools...), s.range_)
	middle := container.NewGridWithColumns(2,
		panel(container.NewVBox(heading(i18n.T("ui.recap.by_status")), s.status)),
		panel(container.NewVBox(heading(i18n.T("ui.recap.by_category")), s.cats)))
	body := container.NewVBox(head, s.busy, s.errLbl, cardRow, middle,
		panel(container.NewVBox(heading(i18n.T("ui.recap.by_month")), s.months)))
	s.content = container.NewVScroll(container.NewPadded(body))
	s.quiet = true
	s.period.SetSelectedIndex(periodQuarter)
	s.quiet = false
	s.dates.Hide()
	return s
}

func (s *recapScreen) view() fyne.CanvasObject { return s.content }

// periodDates returns the dates of the chosen period as of today.
func (s *recapScreen) periodDates() (lapordesk.Date, lapordesk.Date, error) {
	today := lapordesk.DateOf(s.d.store.Now(), s.d.loc)
	first := lapordesk.NewDate(today.Year, today.Month, 1)
	switch s.period.SelectedIndex() {
	case periodMonth:
		return first, today, nil
	case periodYear:
		return lapordesk.NewDate(today.Year, 1, 1), today, nil
	case periodTwelve:
		return lapordesk.NewDate(today.Year, today.Month-11, 1), today, nil
	case periodCustom:
		from, ok1 := s.since.Date()
		to, ok2 := s.until.Date()
		if !ok1 || from.IsZero() {
			return from, to, &lapordesk.FieldError{Field: "since", Problem: lapordesk.ProblemFormat, Value: s.since.Text}
		}
		if !ok2 || to.IsZero() {
			return from, to, &lapordesk.FieldError{Field: "until", Problem: lapordesk.ProblemFormat, Value: s.until.Text}
		}
		return from, to, nil
	}
	return lapordesk.NewDate(today.Year, today.Month-2, 1), today, nil
}

// load computes the recap of the chosen period.
func (s *recapScreen) load() {
	from, to, err := s.periodDates()
	if err != nil {
		s.showErr(err)
		return
	}
	s.gen++
	gen := s.gen
	s.busy.Show()
	s.busy.Start()
	unit := s.d.unitScope()
	Go(s.d.async, func(ctx context.Context) (lapordesk.Recap, error) {
		return s.d.store.Recap(ctx, from, to, unit)
	}, func(rc lapordesk.Recap, err error) {
		if gen != s.gen {
			return
		}
		s.busy.Stop()
		s.busy.Hide()
		if err != nil {
			s.showErr(err)
			return
		}
		s.errLbl.Hide()
		s.fill(rc)
	})
}

func (s *recapScreen) showErr(err error) {
	s.errLbl.SetText(i18n.Error(err))
	s.errLbl.Show()
}

func (s *recapScreen) fill(rc lapordesk.Recap) {
	s.last = rc
	s.range_.SetText(i18n.Date(rc.From) + " – " + i18n.Date(rc.To))
	s.cards["total"].SetText(formatInt(rc.Total))
	s.cards["overdue"].SetText(formatInt(rc.Overdue))
	s.cards["due_week"].SetText(formatInt(rc.DueThisWeek))
	s.cards["avg_response"].SetText(avgText(rc.AvgDaysToResponse, rc.Responded))
	s.cards["avg_follow_up"].SetText(avgText(rc.AvgDaysToFollowUp, rc.FollowedUp))
	s.cards["overdue"].Importance = widget.MediumImportance
	if rc.Overdue > 0 {
		s.cards["overdue"].Importance = widget.DangerImportance
	}
	s.cards["overdue"].Refresh()

	var st []lapordesk.Count
	for _, x := range lapordesk.Statuses {
		st = append(st, lapordesk.Count{Key: string(x), Label: i18n.Status(x), N: rc.ByStatus[x]})
	}
	sc := newBarChart(colorNeutral)
	sc.set(st)
	s.status.Objects = []fyne.CanvasObject{sc}
	s.status.Refresh()

	cats := make([]lapordesk.Count, 0, len(rc.ByCategory))
	for _, c := range rc.ByCategory {
		if c.Label == "" {
			c.Label = i18n.T("ui.recap.no_category")
		}
		cats = append(cats, c)
		if len(cats) == 10 {
			break
		}
	}
	s.cats.set(cats)
	s.months.set(rc.ByMonth)
}

func avgText(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return i18n.Tf("ui.recap.days", "N", formatDays(v))
}

// monthLabel turns "2026-11" into "Nov 2026".
func monthLabel(key string) string {
	y, m, ok := strings.Cut(key, "-")
	mi, err := strconv.Atoi(m)
	if !ok || err != nil || mi < 1 || mi > 12 {
		return key
	}
	name := []rune(i18n.Month(time.Month(mi)))
	if len(name) > 3 {
		name = name[:3]
	}
	return string(name) + " " + y
}
