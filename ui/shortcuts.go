package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk/i18n"
)

// command is something the user can do from the menu and the keyboard.
type command struct {
	label    string
	shortcut fyne.Shortcut // nil: menu only
	keys     string        // as the help lists them
	run      func()
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// fileCommands are the Berkas menu: only what works in this build is listed.
func (d *Desk) fileCommands() []command {
	cmds := []command{{i18n.T("ui.new_report"), ctrl(fyne.KeyN), "Ctrl+N", d.newReport}}
	if d.hooks.Letters != nil {
		cmds = append(cmds, command{i18n.T("ui.print"), ctrl(fyne.KeyP), "Ctrl+P", d.printCurrent})
	}
	if d.hooks.Sync != nil {
		cmds = append(cmds, command{i18n.T("ui.sync_now"), nil, "F5", d.syncNow})
	}
	if d.hooks.Exchange != nil {
		cmds = append(cmds, d.exchangeCommands()...)
	}
	return cmds
}

// viewCommands are the Lihat menu: every screen (Ctrl+1 to Ctrl+9), search, reload.
func (d *Desk) viewCommands() []command {
	var cmds []command
	for i, e := range navEntries {
		key := e.key
		k := fyne.KeyName(fmt.Sprint(i + 1))
		cmds = append(cmds, command{navLabel(key), ctrl(k), "Ctrl+" + string(k), func() { d.navigate(key) }})
	}
	cmds = append(cmds,
		command{i18n.T("ui.search"), ctrl(fyne.KeyF), "Ctrl+F", d.focusSearch},
		command{i18n.T("ui.reload"), ctrl(fyne.KeyR), "Ctrl+R / F5", d.refreshAll})
	return cmds
}

func (d *Desk) menuOf(title string, cmds []command) *fyne.Menu {
	items := make([]*fyne.MenuItem, len(cmds))
	for i, c := range cmds {
		run := c.run
		items[i] = fyne.NewMenuItem(c.label, func() { d.whenFree(run) })
		items[i].Shortcut = c.shortcut
	}
	return fyne.NewMenu(title, items...)
}

func (d *Desk) mainMenu() *fyne.MainMenu {
	help := fyne.NewMenu(i18n.T("ui.menu.help"),
		fyne.NewMenuItem(i18n.T("ui.help.shortcuts"), d.showShortcuts),
		fyne.NewMenuItem(i18n.T("ui.help.about"), d.showAbout))
	return fyne.NewMainMenu(d.menuOf(i18n.T("ui.menu.file"), d.fileCommands()), d.menuOf(i18n.T("ui.menu.view"), d.viewCommands()), help)
}

// addShortcuts registers the shortcuts on the canvas as well: the menu answers them
// in the running program, the canvas wherever no menu is drawn (and in tests).
func (d *Desk) addShortcuts() {
	for _, cmds := range [][]command{d.fileCommands(), d.viewCommands()} {
		for _, c := range cmds {
			if c.shortcut == nil {
				continue
			}
			run := c.run
			d.win.Canvas().AddShortcut(c.shortcut, func(fyne.Shortcut) { d.whenFree(run) })
		}
	}
	d.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { d.globalKey(ev) })
}

// whenFree runs fn unless a form is open (a shortcut must not pile a second form
// on top of one being filled in).
func (d *Desk) whenFree(fn func()) {
	if d.dialogs > 0 {
		return
	}
	fn()
}

// globalKey handles the keys that work everywhere in the main screen: F5 syncs (or
// reloads when there is no sync).
func (d *Desk) globalKey(ev *fyne.KeyEvent) bool {
	if ev.Name == fyne.KeyF5 {
		d.whenFree(d.syncNow)
		return true
	}
	return false
}

func (d *Desk) focusSearch() {
	if d.current == navRecap || d.current == navSettings {
		d.navigate(navInbox)
	}
	d.win.Canvas().Focus(d.list.search)
}

// refreshAll reads everything shown again.
func (d *Desk) refreshAll() {
	d.refreshViews()
	if d.detail.cur != nil {
		d.detail.reload()
	}
	if d.current == navRecap {
		d.recap.load()
	}
}

// printCurrent prints a letter for the report shown (Ctrl+P).
func (d *Desk) printCurrent() {
	v := d.detail.cur
	if v == nil || d.hooks.Letters == nil {
		return
	}
	d.printMenu(*v)
}

func (d *Desk) showShortcuts() {
	var lines []string
	for _, cmds := range [][]command{d.fileCommands(), d.viewCommands()} {
		for _, c := range cmds {
			if c.keys != "" {
				lines = append(lines, c.keys+"\t"+c.label)
			}
		}
	}
	lines = append(lines, "Tab / Shift+Tab\t"+i18n.T("ui.help.tab"), "↑ ↓ "+i18n.T("ui.help.space")+"\t"+i18n.T("ui.help.list"))
	g := container.NewGridWithColumns(2)
	for _, l := range lines {
		k, v, _ := strings.Cut(l, "\t")
		key := widget.NewLabel(k)
		key.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
		g.Add(key)
		g.Add(widget.NewLabel(v))
	}
	dlg := dialog.NewCustom(i18n.T("ui.help.shortcuts"), i18n.T("ui.ok"), g, d.win)
	dlg.Show()
}

func (d *Desk) showAbout() {
	text := wrapLabel(i18n.T("ui.help.about_text") + "\n\n" + i18n.Tf("ui.help.data_file", "Path", d.store.Path()))
	dlgInfo(d.win, i18n.T("ui.help.about"), text)
}
