package ui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/letter"
)

// LetterFolder is a LetterPrinter that writes into the folder it names.
type LetterFolder string

// Folder creates the folder if needed and returns it.
func (f LetterFolder) Folder() (string, error) {
	dir := string(f)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// LettersBeside returns the folder an office PC keeps the desk's letters in: "LAPOR
// Desk" in the user's Documents, or, where there is no such folder, "surat" beside
// the data file.
func LettersBeside(dataFile string) LetterFolder {
	if home, err := os.UserHomeDir(); err == nil {
		docs := filepath.Join(home, "Documents")
		if st, err := os.Stat(docs); err == nil && st.IsDir() {
			return LetterFolder(filepath.Join(docs, "LAPOR Desk"))
		}
	}
	return LetterFolder(filepath.Join(filepath.Dir(dataFile), "surat"))
}

// printable is a letter the report can have now.
type printable struct {
	kind    letter.Kind
	label   string
	reprint bool // the letter was issued: printing again gives the same letter
	record  lapordesk.LetterRecord
}

// printables are the letters the report can have now (the letter package says
// which), each with its menu label.
func printables(v lapordesk.View, training bool) []printable {
	var out []printable
	for _, a := range letter.Letters(v.Report, training) {
		name := i18n.T("letter.kind." + string(a.Kind))
		p := printable{kind: a.Kind, label: name, reprint: a.Reprint, record: a.Record}
		if a.Reprint {
			p.label = i18n.Tf("ui.print.again", "Kind", name, "Number", a.Record.Number)
		}
		out = append(out, p)
	}
	return out
}

// printMenu prints the report's one letter, or offers its letters in a menu under
// the Cetak button.
func (d *Desk) printMenu(v lapordesk.View) {
	list := printables(v, d.profile.Training)
	switch len(list) {
	case 0:
		return
	case 1:
		d.printLetter(v, list[0])
		return
	}
	items := make([]*fyne.MenuItem, len(list))
	for i, p := range list {
		p := p
		items[i] = fyne.NewMenuItem(p.label, func() { d.printLetter(v, p) })
	}
	pop := widget.NewPopUpMenu(fyne.NewMenu("", items...), d.win.Canvas())
	if b := d.detail.print; b != nil {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		pop.ShowAtPosition(pos.AddXY(0, b.Size().Height))
	} else {
		pop.Show()
	}
}

// printLetter prints a letter of the report: a reprint at once (it is the letter as
// first printed), a first print after a small form that says what the letter
// carries, since it spends the next number of the unit's register.
func (d *Desk) printLetter(v lapordesk.View, p printable) {
	req := letter.Request{ReportID: v.Report.ID, Kind: p.kind}
	if p.reprint {
		d.writeLetter(req, v.Report.Ref())
		return
	}
	f := newForm()
	sifat := newChoice(i18n.T("ui.print.sifat_default"), sifatValues(), sifatValues(), nil)
	sifat.SetSelectedIndex(0)
	f.add("sifat", i18n.Field("sifat"), false, sifat)
	var to *textArea
	var hal, lampiran *lineEntry
	size := fyne.NewSize(560, 160)
	if p.kind == letter.KindTindakLanjut {
		to = multiline(i18n.T("ui.print.to_hint"))
		to.SetMinRowsVisible(3)
		hal = newEntry()
		hal.SetPlaceHolder(i18n.Tf("ui.print.hal_hint", "Ref", v.Report.Ref()))
		lampiran = newEntry()
		lampiran.SetPlaceHolder("-")
		f.add("to", i18n.Field("to"), false, to)
		f.add("hal", i18n.Field("hal"), false, hal)
		f.add("lampiran", i18n.Field("lampiran"), false, lampiran)
		size = fyne.NewSize(600, 330)
	}
	note := wrapLabel(i18n.T("ui.print.number_note"))
	note.Importance = widget.LowImportance
	body := container.NewVBox(f.content(), note)
	var done func()
	prepare := func() (func(ctx context.Context) error, error) {
		req.Sifat = letter.Sifat(sifat.Value())
		if to != nil {
			req.To = strings.Split(to.Text, "\n")
			req.Hal, req.Lampiran = strings.TrimSpace(hal.Text), strings.TrimSpace(lampiran.Text)
		}
		job, finish := d.letterJob(req, v.Report.Ref())
		done = finish
		return job, nil
	}
	title := i18n.T("letter.kind."+string(p.kind)) + " — " + v.Report.Ref()
	d.openForm(title, i18n.T("ui.print"), f, body, size, prepare, func() { done() }, nil)
}

func sifatValues() []string {
	out := make([]string, len(letter.Sifats))
	for i, s := range letter.Sifats {
		out[i] = string(s)
	}
	return out
}

// writeLetter prints a letter without a form (a reprint) and shows the outcome.
func (d *Desk) writeLetter(req letter.Request, ref string) {
	job, finish := d.letterJob(req, ref)
	Go(d.async, func(ctx context.Context) (struct{}, error) { return struct{}{}, job(ctx) }, func(_ struct{}, err error) {
		if err != nil {
			d.showError(err)
			return
		}
		finish()
	})
}

// letterJob returns the work of printing a report's letter into the letters folder
// (off the UI goroutine) and what follows on the UI goroutine: the PDF opens in the
// system's viewer, and a message gives its number and verification code.
func (d *Desk) letterJob(req letter.Request, ref string) (func(ctx context.Context) error, func()) {
	var p letter.Printed
	var path string
	job := func(ctx context.Context) error {
		dir, err := d.hooks.Letters.Folder()
		if err != nil {
			return err
		}
		path = filepath.Join(dir, pdfName(string(req.Kind), ref))
		p, err = letter.PrintFile(ctx, d.store, req, path)
		return err
	}
	finish := func() {
		key := "letter.printed"
		if p.Reprint {
			key = "letter.reprinted"
		}
		msg := i18n.Tf(key, "Kind", i18n.T("letter.kind."+string(req.Kind)), "Number", p.Record.Number,
			"Date", i18n.Date(p.Record.Date), "Code", p.Record.Code, "Path", path, "Pages", p.Info.Pages)
		d.printed(msg, path, p)
		d.detail.reload()
		if !p.Reprint {
			d.changed() // the letter's record goes to the hub with the report
		}
	}
	return job, finish
}

// printed tells what was printed, with any warning, and opens the PDF in the
// system's viewer; where none opens (no viewer set up), it says so in the same
// message: the file is written all the same.
func (d *Desk) printed(msg, path string, p letter.Printed) {
	box := container.NewVBox(wrapLabel(msg))
	warn := func(text string) {
		w := wrapLabel(text)
		w.Importance = widget.WarningImportance
		box.Add(w)
	}
	if p.Info.Substituted > 0 {
		warn(i18n.Tf("letter.substituted", "N", p.Info.Substituted))
	}
	if p.Record.Training {
		warn(i18n.T("letter.training_note"))
	}
	open := func() {
		Go(d.async, func(context.Context) (struct{}, error) {
			return struct{}{}, d.app.OpenURL(fileURL(path))
		}, func(_ struct{}, err error) {
			if err != nil {
				warn(i18n.Tf("ui.print.not_opened", "Error", err.Error()))
			}
		})
	}
	dlg := dialog.NewCustomWithoutButtons(i18n.T("ui.print.done"), box, d.win)
	again := widget.NewButtonWithIcon(i18n.T("ui.print.open"), theme.FileIcon(), open)
	ok := newKeyButton(i18n.T("ui.ok"), nil, dlg.Hide, dlg.Hide)
	ok.Importance = widget.HighImportance
	dlg.SetButtons([]fyne.CanvasObject{again, ok})
	dlg.Resize(fyne.NewSize(560, 240))
	dlg.Show()
	d.win.Canvas().Focus(ok)
	open()
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// pdfName names a letter's file after its kind and report, as the CLI does:
// tindak-lanjut-4012345.pdf.
func pdfName(kind, ref string) string {
	return kind + "-" + strings.Trim(unsafeName.ReplaceAllString(ref, "_"), "_.") + ".pdf"
}

// printRecap prints the recap of the period shown.
func (d *Desk) printRecap(rc lapordesk.Recap) {
	if rc.From.IsZero() {
		return
	}
	req := letter.RecapRequest{From: rc.From, To: rc.To, Unit: d.unitScope()}
	var p letter.Printed
	var path string
	Go(d.async, func(ctx context.Context) (struct{}, error) {
		dir, err := d.hooks.Letters.Folder()
		if err != nil {
			return struct{}{}, err
		}
		path = filepath.Join(dir, pdfName("rekap", rc.From.String()+"-"+rc.To.String()))
		p, err = letter.PrintRecapFile(ctx, d.store, req, path)
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		if err != nil {
			d.showError(err)
			return
		}
		d.printed(i18n.Tf("letter.recap_printed", "From", i18n.Date(req.From), "To", i18n.Date(req.To),
			"Code", p.Record.Code, "Path", path, "Pages", p.Info.Pages), path, p)
	})
}
