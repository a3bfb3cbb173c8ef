package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/lapordesk/lapordesk/i18n"
)

// settingsScreen is Pengaturan: the unit profile, the letterhead and signer, the
// holiday calendar, the deadline policy, and language and theme.
type settingsScreen struct {
	d       *Desk
	tabs    *container.AppTabs
	profile *profileTab
	letter  *letterTab
	hol     *holidayTab
	sla     *slaTab
	look    *lookTab
	hub     *hubTab    // nil without sync
	backup  *backupTab // nil without the exchange feature

	holItem, slaItem *container.TabItem // rebuilt when the reference data's owner changes
}

func newSettingsScreen(d *Desk) *settingsScreen {
	s := &settingsScreen{d: d}
	s.profile = newProfileTab(d)
	s.letter = newLetterTab(d)
	s.hol = newHolidayTab(d)
	s.sla = newSLATab(d)
	s.look = newLookTab(d)
	s.holItem = container.NewTabItemWithIcon(i18n.T("ui.settings.holidays"), theme.CalendarIcon(), s.hol.content)
	s.slaItem = container.NewTabItemWithIcon(i18n.T("ui.settings.sla"), theme.HistoryIcon(), s.sla.content)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.T("ui.settings.profile"), theme.HomeIcon(), s.profile.content),
		container.NewTabItemWithIcon(i18n.T("ui.settings.letterhead"), theme.DocumentIcon(), s.letter.content),
		s.holItem, s.slaItem,
		container.NewTabItemWithIcon(i18n.T("ui.settings.look"), theme.ColorPaletteIcon(), s.look.content),
	)
	if d.hooks.Sync != nil {
		s.hub = newHubTab(d)
		s.tabs.Append(container.NewTabItemWithIcon(i18n.T("ui.settings.hub"), theme.ComputerIcon(), s.hub.content))
	}
	s.addBackupTab()
	return s
}

func (s *settingsScreen) view() fyne.CanvasObject { return s.tabs }

// load fills every tab with what is stored now.
func (s *settingsScreen) load() {
	if owned := s.d.store.HubOwned(); owned != s.hol.owned {
		// Enrolled meanwhile: the calendar and the policy are the hub's now.
		s.hol, s.sla = newHolidayTab(s.d), newSLATab(s.d)
		s.holItem.Content, s.slaItem.Content = s.hol.content, s.sla.content
		s.tabs.Refresh()
	}
	s.profile.fill(s.d.profile)
	s.hol.fill()
	s.sla.fill(s.d.store.Policy())
	s.letter.load()
	s.look.load()
	if s.hub != nil {
		s.hub.show(s.d.hooks.Sync.Status())
	}
	if s.backup != nil {
		s.backup.load()
	}
}

func scrollPad(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(o))
}
