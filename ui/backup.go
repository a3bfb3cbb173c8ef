package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// dailyFailed is a failed daily backup as the status bar words it.
type dailyFailed struct{ err error }

func (e dailyFailed) Error() string {
	return i18n.Tf("ui.backup.daily_failed", "Error", describe(e.err))
}

// daily makes today's scheduled backup if it is due and keeps the newest ones, off
// the UI goroutine; the timer calls it hourly. A failure is shown quietly in the
// status bar, and tried again at the next hour.
func (x *exchangeUI) daily() {
	d := x.d
	type dailyResult struct {
		info storage.BackupInfo
		made bool
	}
	Go(d.async, func(ctx context.Context) (dailyResult, error) {
		var r dailyResult
		err := d.file.TryUse(func(s *storage.Store) error {
			b, err := s.BackupSettings(ctx)
			if err != nil || !b.Daily {
				return err
			}
			r.info, r.made, err = s.EnsureDaily(ctx, b.Folder(s.Path()), b.Keep)
			return err
		})
		if errors.Is(err, storage.ErrRestoring) {
			err = nil // a restore is replacing the store: the next hour will do
		}
		return r, err
	}, func(r dailyResult, err error) {
		if err != nil {
			d.status.showError(dailyFailed{err})
			return
		}
		if r.made && d.settings != nil && d.settings.backup != nil {
			d.settings.backup.listBackups()
		}
	})
}

// addBackupTab adds Cadangan to Pengaturan when the feature is on.
func (s *settingsScreen) addBackupTab() {
	if s.d.hooks.Exchange == nil {
		return
	}
	s.backup = newBackupTab(s.d)
	s.backup.item = container.NewTabItemWithIcon(i18n.T("ui.settings.backup"), theme.StorageIcon(), s.backup.content)
	s.tabs.Append(s.backup.item)
}

// backupTab is Pengaturan › Cadangan: a backup now, the daily backup's settings,
// the backups made, and a restore.
type backupTab struct {
	d       *Desk
	item    *container.TabItem
	content fyne.CanvasObject

	now      *widget.Button
	toFolder *widget.Button
	prog     *progressBox
	result   *widget.Label

	form      *form
	daily     *widget.Check
	dir       *widget.Entry
	browseDir *widget.Button
	keep      *widget.Entry
	save      *saveBar

	folder      *widget.Label
	openFolder  *widget.Button
	list        *fyne.Container
	rows        []backupRow
	restoreFile *widget.Button
}

// backupRow is one backup in the list, with its Pulihkan button.
type backupRow struct {
	info    storage.BackupInfo
	restore *widget.Button
}

func newBackupTab(d *Desk) *backupTab {
	t := &backupTab{d: d, prog: newProgressBox(), result: wrapLabel(""), list: container.NewVBox()}
	t.now = widget.NewButtonWithIcon(i18n.T("ui.backup.now"), theme.DocumentSaveIcon(), func() { t.backupTo("", "") })
	t.now.Importance = widget.HighImportance
	t.toFolder = widget.NewButtonWithIcon(i18n.T("ui.backup.to_folder"), theme.FolderIcon(), func() {
		// Another folder is most often a flash disk: encryption is offered, on.
		d.ex.chooseFolder(func(dir string) {
			d.ex.askPassphrase(i18n.T("ui.backup.to_folder"), i18n.Tf("ui.passphrase.backup_intro", "Folder", dir), i18n.T("ui.backup.now"), true,
				func(pass string) { t.backupTo(dir, pass) })
		})
	})
	intro := wrapLabel(i18n.T("ui.backup.intro"))

	t.form = newForm()
	t.daily = widget.NewCheck(i18n.T("ui.backup.daily_on"), nil)
	t.dir = widget.NewEntry()
	t.dir.SetPlaceHolder(i18n.T("ui.backup.dir_default"))
	t.browseDir = widget.NewButtonWithIcon(i18n.T("ui.import.browse"), theme.FolderOpenIcon(), func() {
		d.ex.chooseFolder(func(path string) { t.dir.SetText(path) })
	})
	t.keep = widget.NewEntry()
	t.form.add("backup_daily", i18n.T("ui.backup.daily"), false, t.daily)
	t.form.add("backup_dir", i18n.Field("backup_dir"), false, container.NewBorder(nil, nil, nil, t.browseDir, t.dir))
	t.form.add("backup_keep", i18n.Field("backup_keep"), true, container.NewGridWrap(fyne.NewSize(120, t.keep.MinSize().Height), t.keep))
	t.save = newSaveBar(i18n.T("ui.save"), t.doSave)
	dailyNote := wrapLabel(i18n.T("ui.backup.daily_note"))
	dailyNote.Importance = widget.LowImportance

	t.folder = widget.NewLabel("")
	t.folder.Importance = widget.LowImportance
	t.folder.Truncation = fyne.TextTruncateEllipsis
	t.openFolder = widget.NewButtonWithIcon(i18n.T("ui.backup.open_folder"), theme.FolderOpenIcon(), func() {
		d.openFile(t.folder.Text)
	})
	reload := widget.NewButtonWithIcon(i18n.T("ui.reload"), theme.ViewRefreshIcon(), t.listBackups)

	restoreNote := wrapLabel(i18n.T("ui.restore.intro"))
	t.restoreFile = widget.NewButtonWithIcon(i18n.T("ui.restore.from_file"), theme.UploadIcon(), func() {
		d.ex.chooseOpen([]string{".db"}, d.ex.checkRestore)
	})

	left := container.NewVBox(
		heading(i18n.T("ui.backup.now_title")), intro, container.NewHBox(t.now, t.toFolder), t.prog.box, t.result,
		widget.NewSeparator(),
		heading(i18n.T("ui.backup.daily_title")), t.form.content(), dailyNote, t.save.view())
	listHead := container.NewBorder(nil, nil, heading(i18n.T("ui.backup.list_title")), container.NewHBox(t.openFolder, reload))
	right := container.NewVBox(
		heading(i18n.T("ui.restore.title")), restoreNote, container.NewHBox(t.restoreFile),
		widget.NewSeparator(),
		listHead, t.folder, t.list)
	split := container.NewHSplit(scrollPad(left), scrollPad(right))
	split.Offset = 0.55
	t.content = split
	return t
}

// load fills the tab with the stored settings and the backups made.
func (t *backupTab) load() {
	store := t.d.store
	Go(t.d.async, func(ctx context.Context) (storage.BackupSettings, error) {
		return store.BackupSettings(ctx)
	}, func(b storage.BackupSettings, err error) {
		if err != nil {
			t.form.show(err)
			return
		}
		t.daily.SetChecked(b.Daily)
		t.dir.SetText(b.Dir)
		t.keep.SetText(strconv.Itoa(b.Keep))
		t.form.clear()
	})
	t.listBackups()
}

func (t *backupTab) doSave() {
	b := storage.BackupSettings{Daily: t.daily.Checked, Dir: strings.TrimSpace(t.dir.Text)}
	keep, err := strconv.Atoi(strings.TrimSpace(t.keep.Text))
	if err != nil {
		t.form.show(&lapordesk.FieldError{Field: "backup_keep", Problem: lapordesk.ProblemFormat, Value: t.keep.Text})
		return
	}
	b.Keep = keep
	if err := b.Validate(); err != nil {
		t.form.show(err)
		return
	}
	store := t.d.store
	t.save.run(t.d, t.form, func(ctx context.Context) error { return store.PutBackupSettings(ctx, b) }, func() {
		// Settings that ask for a backup make it at once, not at the next hour.
		t.d.ex.daily()
		t.listBackups()
	})
}

// listBackups shows the backups in the backup folder, newest first.
func (t *backupTab) listBackups() {
	store := t.d.store
	type listed struct {
		dir  string
		list []storage.BackupInfo
	}
	Go(t.d.async, func(ctx context.Context) (listed, error) {
		b, err := store.BackupSettings(ctx)
		if err != nil {
			return listed{}, err
		}
		dir := b.Folder(store.Path())
		list, err := storage.ListBackups(dir)
		return listed{dir, list}, err
	}, func(l listed, err error) {
		t.list.Objects = nil
		t.rows = nil
		t.folder.SetText(l.dir)
		if err != nil {
			msg := wrapLabel(describe(err))
			msg.Importance = widget.DangerImportance
			t.list.Add(msg)
			t.list.Refresh()
			return
		}
		if len(l.list) == 0 {
			empty := widget.NewLabel(i18n.T("ui.backup.none"))
			empty.Importance = widget.LowImportance
			t.list.Add(empty)
		}
		for _, b := range l.list {
			t.list.Add(t.backupLine(b))
		}
		t.list.Refresh()
	})
}

func (t *backupTab) backupLine(b storage.BackupInfo) fyne.CanvasObject {
	kind := i18n.T("ui.backup.kind_manual")
	if b.Daily {
		kind = i18n.T("ui.backup.kind_daily")
	}
	if b.Encrypted {
		kind += " · " + i18n.T("ui.backup.encrypted")
	}
	name := widget.NewLabel(filepath.Base(b.Path))
	name.TextStyle = fyne.TextStyle{Bold: true}
	when := widget.NewLabel(i18n.DateTime(b.Modified, t.d.loc) + " · " + sizeText(b.Size) + " · " + kind)
	when.Importance = widget.LowImportance
	path := b.Path
	restore := widget.NewButtonWithIcon(i18n.T("ui.restore.button"), theme.HistoryIcon(), func() { t.d.ex.checkRestore(path) })
	t.rows = append(t.rows, backupRow{info: b, restore: restore})
	return container.NewBorder(nil, nil, widget.NewIcon(theme.StorageIcon()), container.NewCenter(restore), container.NewVBox(name, when))
}

// backupTo writes a backup now into dir ("": the backup folder of the settings),
// encrypted with pass unless it is "".
func (t *backupTab) backupTo(dir, pass string) {
	d := t.d
	t.now.Disable()
	t.toFolder.Disable()
	t.result.SetText("")
	runTask(d, t.prog, i18n.T("ui.backup.running"), bytesUnit,
		func(ctx context.Context, report func(done, total int64)) (info storage.BackupInfo, err error) {
			err = d.file.Use(func(store *storage.Store) error {
				if dir == "" {
					b, err := store.BackupSettings(ctx)
					if err != nil {
						return err
					}
					dir = b.Folder(store.Path())
				}
				dst := filepath.Join(dir, storage.BackupName(store.Now().In(store.Calendar().Location)))
				if pass != "" {
					info, err = store.BackupEncrypted(ctx, dst+storage.EncryptedSuffix, pass, report)
					return err
				}
				info, err = store.Backup(ctx, dst, report)
				return err
			})
			return info, err
		}, func(info storage.BackupInfo, err error) {
			t.now.Enable()
			t.toFolder.Enable()
			if err != nil {
				t.result.Importance = widget.DangerImportance
				t.result.SetText(describe(err))
				return
			}
			t.result.Importance = widget.SuccessImportance
			t.result.SetText(i18n.Tf("exchange.cli.backup_done", "Path", info.Path, "Size", sizeText(info.Size), "Reports", formatInt(info.Reports)))
			t.listBackups()
		})
}

// restoreCheck is what a restore is about to do, shown before it is confirmed.
type restoreCheck struct {
	info    storage.BackupInfo
	current int    // reports in the data file now
	hub     string // the hub the data file now is enrolled with ("" if none)
}

// checkRestore checks a backup (read-only: it changes nothing) and shows what it
// holds, to be confirmed before anything is replaced. An encrypted backup asks
// for its passphrase first (a wrong one asks again).
func (x *exchangeUI) checkRestore(path string) {
	x.checkRestoreWith(path, "")
}

func (x *exchangeUI) checkRestoreWith(path, pass string) {
	d := x.d
	store := d.store
	title := i18n.T("ui.restore.title")
	runModal(d, title, i18n.Tf("ui.restore.checking", "File", filepath.Base(path)), bytesUnit,
		func(ctx context.Context, _ func(done, total int64)) (restoreCheck, error) {
			info, err := storage.CheckBackupWith(ctx, path, pass, d.file.Path())
			if err != nil {
				return restoreCheck{}, err
			}
			counts, err := store.Counts(ctx, "")
			if err != nil {
				return restoreCheck{}, err
			}
			hub, _, err := store.SyncValue(ctx, storage.SyncKeyHubID)
			return restoreCheck{info: info, current: counts[lapordesk.BoxAll], hub: hub}, err
		}, func(c restoreCheck, err error) {
			switch {
			case errors.Is(err, lapordesk.ErrNeedPassphrase), errors.Is(err, lapordesk.ErrWrongPassphrase):
				x.askPassphrase(title, i18n.Tf("ui.passphrase.restore_intro", "File", filepath.Base(path)), i18n.T("ui.passphrase.open"), false,
					func(p string) { x.checkRestoreWith(path, p) })
				if pass != "" {
					x.asked.problem.SetText(i18n.Error(err)) // a wrong one: say so where the problems go
				}
			case err != nil:
				d.failed(title, err)
			default:
				x.confirmRestore(path, pass, c)
			}
		})
}

// confirmRestore says what the backup holds and what happens to the data file
// now, and restores only when the user says so.
func (x *exchangeUI) confirmRestore(path, pass string, c restoreCheck) {
	d := x.d
	b := c.info
	lines := []string{
		i18n.Tf("ui.restore.file", "Path", path),
		i18n.Tf("ui.restore.holds", "Reports", formatInt(b.Reports), "Unit", b.Unit, "When", i18n.DateTime(b.Modified, d.loc), "Size", sizeText(b.Size)),
		i18n.Tf("ui.restore.current", "Reports", formatInt(c.current)),
	}
	var warn []string
	if b.Unit != "" && b.Unit != d.profile.UnitCode {
		warn = append(warn, i18n.Tf("ui.restore.other_unit", "Unit", b.Unit, "Own", d.profile.UnitCode))
	}
	if b.Hub != "" && c.hub != "" && b.Hub != c.hub {
		warn = append(warn, i18n.Tf("ui.restore.other_hub", "Hub", b.Hub, "Own", c.hub))
	}
	if b.Training && !d.profile.Training {
		warn = append(warn, i18n.T("ui.restore.training"))
	}
	text := wrapLabel(strings.Join(lines, "\n"))
	warning := wrapLabel(strings.Join(warn, "\n"))
	warning.Importance = widget.DangerImportance
	if len(warn) == 0 {
		warning.Hide()
	}
	aside := wrapLabel(i18n.T("ui.restore.aside_note"))
	aside.Importance = widget.LowImportance
	var dlg *dialog.CustomDialog
	hide := func() { dlg.Hide() }
	cancel := newKeyButton(i18n.T("ui.cancel"), theme.CancelIcon(), hide, hide)
	x.confirm = widget.NewButtonWithIcon(i18n.T("ui.restore.confirm"), theme.HistoryIcon(), func() {
		dlg.Hide()
		x.restore(path, pass)
	})
	x.confirm.Importance = widget.DangerImportance
	dlg = dialog.NewCustomWithoutButtons(i18n.T("ui.restore.title"), container.NewVBox(text, warning, aside), d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, x.confirm})
	d.dialogs++
	dlg.SetOnClosed(func() { d.dialogs-- })
	dlg.Resize(fyne.NewSize(600, 300))
	dlg.Show()
	d.win.Canvas().Focus(cancel)
}

// restore replaces the data file with the backup at src: the data file stops
// the hooks, closes the store, restores and opens it again, and the whole window
// is built anew on the store it then holds.
func (x *exchangeUI) restore(src, pass string) {
	d := x.d
	hooks := d.hooks
	title := i18n.T("ui.restore.title")
	runModal(d, title, i18n.T("ui.restore.running"), bytesUnit,
		func(ctx context.Context, report func(done, total int64)) (storage.RestoreResult, error) {
			return d.file.Restore(ctx, src, pass, func() { stopHooks(hooks) }, report)
		}, func(res storage.RestoreResult, err error) {
			if d.file.Store() == nil {
				// Not even the previous file opens: say why, as at start.
				d.win.SetContent(startError(d.app, d.file.Path(), err, nil))
				return
			}
			d.useStore()
			d.Start()
			if err != nil {
				d.failed(title, err)
				return
			}
			msg := i18n.Tf("exchange.cli.restored_new", "Path", src, "Reports", formatInt(res.Backup.Reports))
			if res.Aside != "" {
				msg = i18n.Tf("exchange.cli.restored", "Path", src, "Reports", formatInt(res.Backup.Reports), "Aside", res.Aside)
			}
			if res.NewerEvents > 0 {
				msg += "\n\n" + i18n.Tf("exchange.cli.newer_events", "N", formatInt(res.NewerEvents))
			}
			if res.Reenrol {
				msg += "\n\n" + i18n.T("exchange.cli.reenrol")
			}
			d.infoDialog(title, msg, "")
		})
}

// stopHooks stops the background work of the hooks that run any (a sync
// service), before a restore closes the store under them.
func stopHooks(h Hooks) {
	for _, x := range []any{h.Sync, h.Letters} {
		if s, ok := x.(interface{ Stop() }); ok {
			s.Stop()
		}
	}
}
