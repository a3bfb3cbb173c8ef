package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// Navigation keys: the boxes (lapordesk.Box values), the recap and the settings.
const (
	navInbox    = string(lapordesk.BoxInbox)
	navRecap    = "recap"
	navSettings = "settings"
)

type navEntry struct {
	key  string
	icon func() fyne.Resource // theme icons follow the theme, so they are looked up late
}

var navEntries = []navEntry{
	{string(lapordesk.BoxInbox), theme.DownloadIcon},
	{string(lapordesk.BoxAction), theme.WarningIcon},
	{string(lapordesk.BoxInProgress), theme.HistoryIcon},
	{string(lapordesk.BoxWaiting), theme.MediaPauseIcon},
	{string(lapordesk.BoxDone), theme.ConfirmIcon},
	{string(lapordesk.BoxArchive), theme.StorageIcon},
	{string(lapordesk.BoxAll), theme.ListIcon},
	{navRecap, theme.GridIcon},
	{navSettings, theme.SettingsIcon},
}

func navLabel(key string) string {
	switch key {
	case navRecap:
		return i18n.T("ui.nav.recap")
	case navSettings:
		return i18n.T("ui.nav.settings")
	}
	return i18n.Box(lapordesk.Box(key))
}

// navPane is the sidebar: a button for a new report, then every box with its count,
// the recap and the settings. It is a list, so arrow keys move through it.
type navPane struct {
	d       *Desk
	counts  map[lapordesk.Box]int
	list    *widget.List
	newBtn  *widget.Button
	marking bool
}

func newNavPane(d *Desk) *navPane {
	n := &navPane{d: d}
	n.list = widget.NewList(func() int { return len(navEntries) },
		func() fyne.CanvasObject {
			count := widget.NewLabel("")
			count.TextStyle = fyne.TextStyle{Bold: true}
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.ListIcon()), count, name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := navEntries[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(navLabel(e.key))
			c.Objects[1].(*widget.Icon).SetResource(e.icon())
			count := c.Objects[2].(*widget.Label)
			box := lapordesk.Box(e.key)
			if n.counts == nil || !box.Valid() {
				count.SetText("")
				return
			}
			v := n.counts[box]
			count.Importance = widget.MediumImportance
			if box == lapordesk.BoxAction && v > 0 {
				count.Importance = widget.DangerImportance
			}
			count.SetText(formatInt(v))
		})
	n.list.OnSelected = func(i widget.ListItemID) {
		if n.marking {
			return
		}
		d.navigate(navEntries[i].key)
	}
	n.newBtn = widget.NewButtonWithIcon(i18n.T("ui.new_report"), theme.ContentAddIcon(), d.newReport)
	n.newBtn.Importance = widget.HighImportance
	return n
}

func (n *navPane) view() fyne.CanvasObject {
	title := canvas.NewText("LAPOR Desk", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 20
	title.TextStyle = fyne.TextStyle{Bold: true}
	unit := caption(n.d.profile.UnitName)
	top := container.NewVBox(container.NewPadded(container.NewVBox(title, unit)), n.newBtn, widget.NewSeparator())
	content := border(top, nil, nil, nil, n.list)
	return newFill(colorSidebar, 0, container.NewStack(minWidth(248), content))
}

// mark selects the entry of key without navigating again.
func (n *navPane) mark(key string) {
	for i, e := range navEntries {
		if e.key == key {
			n.marking = true
			n.list.Select(i)
			n.marking = false
			return
		}
	}
}

func (n *navPane) setCounts(c map[lapordesk.Box]int) {
	n.counts = c
	n.list.Refresh()
}

// countText returns the count shown for a box (tests read it).
func (n *navPane) countText(b lapordesk.Box) string {
	if n.counts == nil {
		return ""
	}
	return formatInt(n.counts[b])
}
