// Package ui is LAPOR Desk's window: an SKPD admin's whole working day in Fyne. It
// reads and writes through storage.Store, always off the UI goroutine (see Async),
// and shows sync, letters and spreadsheet exchange when their hooks are given.
package ui

import (
	"context"
	"errors"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// AppID is the application ID (as in FyneApp.toml).
const AppID = "id.go.lapordesk.desk"

// Config is what Run needs.
type Config struct {
	DBPath string
	// Language forces a language (LAPORDESK_LANG); "" uses the stored setting.
	Language string
	// Hooks returns the features of this build (sync, letters, exchange) once the
	// store is open; nil for none.
	Hooks func(*storage.Store) Hooks
	// Trace, if set, is told when the start reaches each milestone ("store open",
	// "first page shown"), to measure a slow desk in the field.
	Trace func(event string)
}

// Run opens the window and the store and returns when the window closes.
func Run(ctx context.Context, cfg Config) error {
	a := app.NewWithID(AppID)
	a.SetIcon(Icon())
	a.Settings().SetTheme(newDeskTheme(ThemeLight))
	if err := useLanguage(); err != nil { // the words of the opening screen
		fyne.LogError("language", err)
	}
	w := a.NewWindow("LAPOR Desk")
	// Fits a 1366x768 screen with a taskbar, the usual SKPD office PC.
	w.Resize(fyne.NewSize(1340, 700))
	w.SetMaster()
	w.SetContent(container.NewCenter(widget.NewLabel(i18n.T("ui.opening"))))
	as := NewAsync(ctx)
	as.WhenDone(a.Quit)

	type opened struct {
		file        *storage.DataFile
		lang, theme string
		newest      *storage.BackupInfo // the way back when the file is damaged
	}
	var desk *Desk
	Go(as, func(ctx context.Context) (opened, error) {
		f, err := storage.OpenDataFile(ctx, cfg.DBPath)
		if errors.Is(err, lapordesk.ErrDamaged) {
			if list, _ := storage.ListBackups(storage.DefaultBackupDir(cfg.DBPath)); len(list) > 0 {
				return opened{newest: &list[0]}, err
			}
		}
		if err != nil {
			return opened{}, err
		}
		s := f.Store()
		o := opened{file: f, theme: ThemeLight}
		_ = s.Setting(ctx, storage.SettingLanguage, &o.lang)
		_ = s.Setting(ctx, storage.SettingTheme, &o.theme)
		return o, nil
	}, func(o opened, err error) {
		if err != nil {
			w.SetContent(startError(a, cfg.DBPath, err, o.newest))
			return
		}
		trace(cfg.Trace, "store open")
		if cfg.Language == "" && o.lang != "" {
			if err := i18n.Use(o.lang); err != nil {
				fyne.LogError("language", err)
			}
		}
		if err := useLanguage(); err != nil {
			fyne.LogError("language", err)
		}
		a.Settings().SetTheme(newDeskTheme(o.theme))
		d := New(a, w, o.file, as, cfg.Hooks)
		d.trace = cfg.Trace
		desk = d
		d.Start()
	})
	w.ShowAndRun()
	if desk != nil {
		desk.Stop()
		return desk.file.Close()
	}
	return nil
}

// startError explains why the data file could not be opened, and names the newest
// backup (if given) as the way back.
func startError(a fyne.App, path string, err error, newest *storage.BackupInfo) fyne.CanvasObject {
	msg := wrapLabel(i18n.Error(err))
	file := wrapLabel(i18n.Tf("ui.start_error.file", "Path", path))
	file.Importance = widget.LowImportance
	quit := widget.NewButtonWithIcon(i18n.T("ui.quit"), theme.LogoutIcon(), a.Quit)
	box := container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.ErrorIcon()), heading(i18n.T("ui.start_error.title"))),
		msg, file)
	if newest != nil {
		b := wrapLabel(i18n.Tf("ui.start_error.newest_backup", "Path", newest.Path, "When", newest.Modified.Format("2006-01-02 15.04")))
		b.Importance = widget.WarningImportance
		box.Add(b)
	}
	box.Add(container.NewHBox(spacer(), quit))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(620, max(220, box.MinSize().Height+40)), box))
}

// Desk is the main window's state: the store, the screens, the current selection.
type Desk struct {
	app   fyne.App
	win   fyne.Window
	file  *storage.DataFile // owns the store's life: a restore replaces the store
	store *storage.Store    // file's store, taken again after a restore
	async *Async
	hooks Hooks
	// features builds the hooks on a store (Config.Hooks); nil for none.
	features func(*storage.Store) Hooks

	profile lapordesk.Profile
	loc     *time.Location

	nav      *navPane
	list     *listPane
	detail   *detailPane
	status   *statusBar
	recap    *recapScreen
	settings *settingsScreen
	training *trainingPanel // the scenario's checklist, on a training workspace

	center  *fyne.Container
	browse  fyne.CanvasObject // list and detail side by side
	current string            // nav key shown
	dialogs int               // modal forms open (shortcuts wait)
	instr   []string          // disposition instructions offered
	setup   *setupForm        // the first-run form while it is shown
	form    *formDialog       // the modal form open, if any

	unsubscribe func()      // ends the status bar's subscription to the sync service
	ex          *exchangeUI // import, export, backups; nil without the feature
	polling     bool        // the status bar's clock and outbox poll runs

	// debounce is how long the search waits after the last key.
	debounce time.Duration
	trace    func(string)
}

func trace(fn func(string), event string) {
	if fn != nil {
		fn(event)
	}
}

// New builds a desk on window w. Call Start to show it.
func New(a fyne.App, w fyne.Window, f *storage.DataFile, as *Async, features func(*storage.Store) Hooks) *Desk {
	d := &Desk{app: a, win: w, file: f, async: as, features: features, debounce: 250 * time.Millisecond}
	d.useStore()
	return d
}

// useStore takes the data file's store, at start and after a restore, with the
// features built on it.
func (d *Desk) useStore() {
	d.store = d.file.Store()
	d.loc = d.store.Calendar().Location
	d.hooks = Hooks{}
	if d.features != nil {
		d.hooks = d.features(d.store)
	}
}

// Start shows the first-run setup when the desk has no unit yet, else the main screen.
func (d *Desk) Start() {
	p, err := d.store.Profile()
	if errors.Is(err, lapordesk.ErrNotFound) {
		d.win.SetContent(d.setupScreen())
		d.win.Canvas().Focus(d.setup.unitPick)
		return
	}
	d.profile = p
	d.showMain()
}

// unitScope is the unit whose reports the boxes show, as the domain says for the
// commands too: a unit desk sees its own, a coordinator sees every unit's.
func (d *Desk) unitScope() string { return d.profile.DeskUnit("", false) }

func (d *Desk) showMain() {
	d.loc = d.store.Calendar().Location
	d.startExchange()
	d.nav = newNavPane(d)
	d.list = newListPane(d)
	d.detail = newDetailPane(d)
	d.status = newStatusBar(d)
	d.recap = newRecapScreen(d)
	d.settings = newSettingsScreen(d)

	split := container.NewHSplit(d.list.view(), d.detail.view())
	split.Offset = 0.44
	d.browse = split
	d.center = container.NewStack(d.browse)

	var top, right fyne.CanvasObject
	title := "LAPOR Desk"
	d.training = nil
	if d.profile.Training {
		top = trainingBanner()
		// The taskbar shows the title, not the banner: a trainee's window must
		// not pass for a unit's own there either.
		title = i18n.T("ui.window_title_training")
		d.training = newTrainingPanel(d)
		right = d.training.view()
		d.training.refresh()
	}
	d.win.SetTitle(title)
	content := border(top, d.status.view(), d.nav.view(), right, d.center)
	d.win.SetContent(content)
	d.win.SetMainMenu(d.mainMenu())
	d.addShortcuts()
	d.navigate(navInbox)
	d.refreshCounts()
	d.loadInstructions()
	if d.hooks.Sync != nil {
		d.hooks.Sync.Start(d.async.ctx)
	}
	d.status.start()
	d.win.Canvas().Focus(d.list.search)
}

// Stop ends the desk's background work when the window closes: the sync service
// stops (a round under way is cut safely; the next one completes it).
func (d *Desk) Stop() {
	if d.unsubscribe != nil {
		d.unsubscribe()
		d.unsubscribe = nil
	}
	if d.hooks.Sync != nil {
		d.hooks.Sync.Stop()
	}
}

// navigate shows the screen of a navigation entry.
func (d *Desk) navigate(key string) {
	d.current = key
	d.nav.mark(key)
	switch key {
	case navRecap:
		d.center.Objects = []fyne.CanvasObject{d.recap.view()}
		d.recap.load()
	case navSettings:
		d.center.Objects = []fyne.CanvasObject{d.settings.view()}
		d.settings.load()
	default:
		d.center.Objects = []fyne.CanvasObject{d.browse}
		d.list.setBox(lapordesk.Box(key))
	}
	d.center.Refresh()
}

// changed refreshes everything that shows reports after the desk wrote to the
// store, and tells sync, which sends the change soon.
func (d *Desk) changed() {
	d.refreshViews()
	if d.hooks.Sync != nil {
		d.hooks.Sync.Changed()
	}
}

// refreshViews reads the counts, the list and the status bar again.
func (d *Desk) refreshViews() {
	d.refreshCounts()
	if d.current != navRecap && d.current != navSettings {
		d.list.reload()
	}
	d.status.refresh()
	if d.training != nil {
		d.training.refresh()
	}
}

func (d *Desk) refreshCounts() {
	unit := d.unitScope()
	Go(d.async, func(ctx context.Context) (map[lapordesk.Box]int, error) {
		return d.store.Counts(ctx, unit)
	}, func(c map[lapordesk.Box]int, err error) {
		if err != nil {
			d.status.showError(err)
			return
		}
		d.nav.setCounts(c)
	})
}

// showError tells the user what went wrong, in words they understand.
func (d *Desk) showError(err error) {
	showErrorDialog(d.win, err)
}

func showErrorDialog(w fyne.Window, err error) {
	msg := wrapLabel(i18n.Error(err))
	dlgInfo(w, i18n.T("ui.error.title"), msg)
}

// Icon is the program's icon.
func Icon() fyne.Resource { return fyne.NewStaticResource("icon.png", assets.IconPNG()) }

// trainingBanner marks a training store on every screen, so practice is never
// mistaken for real work.
func trainingBanner() fyne.CanvasObject {
	l := canvas.NewText(i18n.T("ui.training"), color.White)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Alignment = fyne.TextAlignCenter
	return newFill(colorTraining, 0, container.NewPadded(l))
}
