package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// choice is a Select over domain values with a first "any" option; it maps the
// labels users see to the values filters and forms need. It extends Select (rather
// than wrapping it) so the widget in the window tree is the one that opens its menu.
type choice struct {
	widget.Select
	values []string
	esc    func()
}

func (c *choice) setEscape(f func()) { c.esc = f }

func (c *choice) TypedKey(ev *fyne.KeyEvent) {
	if !escKey(ev, c.esc) {
		c.Select.TypedKey(ev)
	}
}

func newChoice(anyLabel string, values, labels []string, changed func()) *choice {
	c := &choice{}
	opts := labels
	if anyLabel != "" {
		opts = append([]string{anyLabel}, labels...)
		c.values = append([]string{""}, values...)
	} else {
		c.values = values
	}
	c.Options = opts
	c.PlaceHolder = i18n.T("ui.select")
	c.OnChanged = func(string) {
		if changed != nil {
			changed()
		}
	}
	c.ExtendBaseWidget(c)
	return c
}

// Value is the selected value ("" for any or none).
func (c *choice) Value() string {
	i := c.SelectedIndex()
	if i < 0 {
		return ""
	}
	return c.values[i]
}

// SetValue selects value v (silently: no change callback when v is already set).
func (c *choice) SetValue(v string) {
	for i, x := range c.values {
		if x == v {
			if c.SelectedIndex() != i {
				c.SetSelectedIndex(i)
			}
			return
		}
	}
	c.ClearSelected()
}

func classificationChoice(anyLabel string, changed func()) *choice {
	var vals, labels []string
	for _, c := range lapordesk.Classifications {
		vals = append(vals, string(c))
		labels = append(labels, i18n.Classification(c))
	}
	return newChoice(anyLabel, vals, labels, changed)
}

func channelChoice(anyLabel string, list []lapordesk.Channel, changed func()) *choice {
	var vals, labels []string
	for _, c := range list {
		vals = append(vals, string(c))
		labels = append(labels, i18n.Channel(c))
	}
	return newChoice(anyLabel, vals, labels, changed)
}

func categoryChoice(tree *lapordesk.CategoryTree, anyLabel string, changed func()) *choice {
	var vals, labels []string
	for _, c := range tree.All() {
		vals = append(vals, c.ID)
		labels = append(labels, tree.Path(c.ID))
	}
	return newChoice(anyLabel, vals, labels, changed)
}

// filterPanel holds the list filters: classification, category, channel, the
// received date range, and overdue only.
type filterPanel struct {
	box          *fyne.Container
	cls, ch, cat *choice
	since, until *dateField
	overdue      *widget.Check
	conflicts    *widget.Check
	clear        *widget.Button
	quiet        bool
}

func newFilterPanel(d *Desk, changed func()) *filterPanel {
	p := &filterPanel{}
	onChange := func() {
		if !p.quiet {
			changed()
		}
	}
	p.cls = classificationChoice(i18n.T("ui.filter.any_classification"), onChange)
	p.ch = channelChoice(i18n.T("ui.filter.any_channel"), lapordesk.Channels, onChange)
	p.cat = categoryChoice(d.store.Categories(), i18n.T("ui.filter.any_category"), onChange)
	p.since = newDateField()
	p.since.SetPlaceHolder(i18n.T("ui.filter.since"))
	p.since.onDate = onChange
	p.until = newDateField()
	p.until.SetPlaceHolder(i18n.T("ui.filter.until"))
	p.until.onDate = onChange
	p.overdue = widget.NewCheck(i18n.T("ui.filter.overdue"), func(bool) { onChange() })
	p.conflicts = widget.NewCheck(i18n.T("ui.filter.conflicts"), func(bool) { onChange() })
	// The clear button is an icon, so the date fields keep room for a date.
	p.clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		p.reset()
		changed()
	})
	p.reset()
	p.box = container.NewVBox(
		container.NewGridWithColumns(3, p.cls, p.ch, p.cat),
		border(nil, nil, nil, container.NewHBox(p.overdue, p.conflicts, p.clear), container.NewGridWithColumns(2, p.since, p.until)),
	)
	p.box.Hide()
	return p
}

// reset clears every filter without reloading.
func (p *filterPanel) reset() {
	p.quiet = true
	defer func() { p.quiet = false }()
	p.cls.SetSelectedIndex(0)
	p.ch.SetSelectedIndex(0)
	p.cat.SetSelectedIndex(0)
	p.since.SetText("")
	p.until.SetText("")
	p.overdue.SetChecked(false)
	p.conflicts.SetChecked(false)
}

// setConflicts shows only the reports with a sync conflict (or all again), without
// reloading, and opens the panel so the user sees why the list is short.
func (p *filterPanel) setConflicts(on bool) {
	p.quiet = true
	p.conflicts.SetChecked(on)
	p.quiet = false
	if on {
		p.box.Show()
	}
}

func (p *filterPanel) filter() lapordesk.Filter {
	f := lapordesk.Filter{
		Classification: lapordesk.Classification(p.cls.Value()),
		Channel:        lapordesk.Channel(p.ch.Value()),
		CategoryID:     p.cat.Value(),
		Overdue:        p.overdue.Checked,
		Conflicts:      p.conflicts.Checked,
	}
	f.Since, _ = p.since.Date()
	f.Until, _ = p.until.Date()
	return f
}

// active counts the filters set.
func (p *filterPanel) active() int {
	f := p.filter()
	n := 0
	for _, set := range []bool{f.Classification != "", f.Channel != "", f.CategoryID != "", !f.Since.IsZero(), !f.Until.IsZero(), f.Overdue, f.Conflicts} {
		if set {
			n++
		}
	}
	return n
}
