package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/exchange"
	"github.com/lapordesk/lapordesk/i18n"
)

// exchangeUI is the exchange feature's state in the window: the file choosers and
// the daily backup's timer.
type exchangeUI struct {
	d       *Desk
	feature *ExchangeFeature
	ticking bool // the daily backup's timer runs

	wizard  *importWizard     // the import wizard open, if any
	confirm *widget.Button    // the restore's confirm button while it is asked
	asked   *passphraseDialog // the last passphrase asked for

	// The choosers ask the user for a file or a folder with Fyne's dialogs; done
	// is not called when the user cancels. Tests answer them directly.
	chooseSave   func(name string, exts []string, done func(path string))
	chooseOpen   func(exts []string, done func(path string))
	chooseFolder func(done func(path string))
}

// startExchange sets the feature up when the main screen is built (at start and
// after a restore): today's backup is made if it is due, and then checked hourly.
func (d *Desk) startExchange() {
	if d.hooks.Exchange == nil {
		return
	}
	if d.ex == nil {
		x := &exchangeUI{d: d}
		x.chooseSave, x.chooseOpen, x.chooseFolder = x.fyneSave, x.fyneOpen, x.fyneFolder
		d.ex = x
	}
	d.ex.feature = d.hooks.Exchange
	if d.ex.ticking {
		d.ex.daily() // the window built again on a restored store
		return
	}
	d.ex.ticking = true
	every := d.ex.feature.DailyEvery
	if every <= 0 {
		every = time.Hour
	}
	first := func() {
		d.ex.daily()
		d.async.Every(every, d.ex.daily)
	}
	if after := d.ex.feature.DailyAfter; after > 0 {
		d.async.After(after, first)
		return
	}
	first()
}

// exchangeCommands are the Berkas menu's entries of the feature.
func (d *Desk) exchangeCommands() []command {
	return []command{
		{i18n.T("ui.import"), ctrl(fyne.KeyI), "Ctrl+I", d.importWizard},
		{i18n.T("ui.export"), ctrl(fyne.KeyE), "Ctrl+E", d.exportShown},
		{i18n.T("ui.backup"), nil, "", d.openBackups},
	}
}

// exportButton is the Ekspor button of a list or of Rekap; nil without the feature.
func (d *Desk) exportButton(run func()) *widget.Button {
	if d.hooks.Exchange == nil {
		return nil
	}
	return widget.NewButtonWithIcon(i18n.T("ui.export.button"), theme.DownloadIcon(), func() { d.whenFree(run) })
}

// exportShown exports what the screen shows: the recap on Rekap, else the list.
func (d *Desk) exportShown() {
	if d.current == navRecap {
		d.recap.exportRecap()
		return
	}
	d.exportList()
}

// openBackups shows Pengaturan › Cadangan.
func (d *Desk) openBackups() {
	d.navigate(navSettings)
	if d.settings.backup != nil {
		d.settings.tabs.Select(d.settings.backup.item)
	}
}

// exportList writes the reports the list shows (its box, filters and search, in
// its order) to an XLSX or CSV file, the format told by the name chosen.
func (d *Desk) exportList() {
	f := d.list.filter()
	today := lapordesk.DateOf(d.store.Now(), d.loc)
	name := "laporan-" + slug(i18n.Box(d.list.box)) + "-" + today.String() + ".xlsx"
	store := d.store
	d.ex.chooseSave(name, []string{".xlsx", ".csv"}, func(path string) {
		d.exportTo(path, func(ctx context.Context, w io.Writer, o exchange.ExportOptions) (int, error) {
			return exchange.ExportReports(ctx, store, f, w, o)
		}, func(n int, path string) string {
			return i18n.Tf("ui.export.done", "N", formatInt(n), "Path", path)
		})
	})
}

// exportRecap writes the recap on screen, one sheet per table.
func (s *recapScreen) exportRecap() {
	rc := s.last
	if rc.From.IsZero() {
		return // nothing shown yet
	}
	d := s.d
	cats := d.store.Categories()
	name := "rekap-" + rc.From.String() + "-" + rc.To.String() + ".xlsx"
	d.ex.chooseSave(name, []string{".xlsx", ".csv"}, func(path string) {
		d.exportTo(path, func(_ context.Context, w io.Writer, o exchange.ExportOptions) (int, error) {
			return 0, exchange.ExportRecap(rc, cats, w, o)
		}, func(_ int, path string) string {
			return i18n.Tf("exchange.cli.recap_exported", "From", i18n.Date(rc.From), "To", i18n.Date(rc.To), "Path", path)
		})
	})
}

// exportTo runs an export to the file chosen, with a progress bar, and says where
// it went.
func (d *Desk) exportTo(chosen string, write func(ctx context.Context, w io.Writer, o exchange.ExportOptions) (int, error),
	done func(n int, path string) string) {
	title := i18n.T("ui.export.title")
	type written struct {
		n    int
		path string
	}
	runModal(d, title, i18n.Tf("ui.export.writing", "Path", filepath.Base(chosen)), rowsUnit,
		func(ctx context.Context, report func(done, total int64)) (written, error) {
			path, format, err := exportPath(chosen)
			if err != nil {
				return written{}, err
			}
			var n int
			err = exchange.WriteFile(path, func(w io.Writer) error {
				var err error
				n, err = write(ctx, w, exchange.ExportOptions{Format: format, Progress: reportRows(report)})
				return err
			})
			if err != nil {
				// The save dialog created the file empty; leave nothing behind.
				removeIfEmpty(path)
			}
			return written{n, path}, err
		}, func(r written, err error) {
			if err != nil {
				d.failed(title, err)
				return
			}
			d.infoDialog(title, done(r.n, r.path), r.path)
		})
}

// exportPath checks the chosen file's name: .xlsx or .csv, or no extension (then
// .xlsx is added). The save dialog created the file empty: a name refused or
// changed leaves nothing behind.
func exportPath(path string) (string, exchange.Format, error) {
	if f, ok := exchange.FormatOf(path); ok {
		return path, f, nil
	}
	removeIfEmpty(path)
	if filepath.Ext(path) == "" {
		return path + ".xlsx", exchange.XLSX, nil
	}
	return path, "", message(i18n.Tf("ui.export.bad_name", "Name", filepath.Base(path)))
}

func removeIfEmpty(path string) {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
		os.Remove(path)
	}
}

// slug turns "Kotak Masuk" into "kotak-masuk" for a file name.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// failed shows why a step did not work, in the user's words.
func (d *Desk) failed(title string, err error) {
	dlgInfo(d.win, title, wrapLabel(describe(err)))
}

// --- file choosers (Fyne's dialogs) ---

func (x *exchangeUI) fyneSave(name string, exts []string, done func(string)) {
	dlg := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			x.d.showError(err)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		done(path)
	}, x.d.win)
	dlg.SetFileName(name)
	dlg.SetFilter(fstorage.NewExtensionFileFilter(exts))
	x.showChooser(dlg)
}

func (x *exchangeUI) fyneOpen(exts []string, done func(string)) {
	dlg := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			x.d.showError(err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		done(path)
	}, x.d.win)
	if len(exts) > 0 {
		dlg.SetFilter(fstorage.NewExtensionFileFilter(exts))
	}
	x.showChooser(dlg)
}

func (x *exchangeUI) fyneFolder(done func(string)) {
	dlg := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			x.d.showError(err)
			return
		}
		if l != nil {
			done(l.Path())
		}
	}, x.d.win)
	x.showChooser(dlg)
}

func (x *exchangeUI) showChooser(dlg *dialog.FileDialog) {
	dlg.Resize(fyne.NewSize(760, 520))
	dlg.Show()
}
