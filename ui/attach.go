package ui

import (
	"context"
	"io"
	"net/url"
	"path/filepath"
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

// pendingFile is a file chosen in a form and not yet stored: it is stored only
// with the decision the form submits, so a cancelled form leaves nothing behind.
type pendingFile = storage.File

// readPending reads a chosen file, at most storage.MaxBlobSize bytes.
func readPending(name string, r io.Reader) (pendingFile, error) { return storage.ReadFile(name, r) }

// attachPicker lets the user choose files for a form.
type attachPicker struct {
	d     *Desk
	files []pendingFile
	list  *fyne.Container
	add   *widget.Button
}

func newAttachPicker(d *Desk) *attachPicker {
	p := &attachPicker{d: d, list: container.NewVBox()}
	p.add = widget.NewButtonWithIcon(i18n.T("ui.form.add_file"), theme.MailAttachmentIcon(), p.choose)
	return p
}

func (p *attachPicker) view() fyne.CanvasObject {
	return container.NewVBox(p.list, container.NewHBox(p.add))
}

func (p *attachPicker) choose() {
	dlg := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			p.d.showError(err)
			return
		}
		if rc == nil {
			return
		}
		name := rc.URI().Name()
		Go(p.d.async, func(context.Context) (pendingFile, error) {
			defer rc.Close()
			return readPending(name, rc)
		}, func(f pendingFile, err error) {
			if err != nil {
				p.d.showError(err)
				return
			}
			p.addFile(f)
		})
	}, p.d.win)
	dlg.Resize(fyne.NewSize(760, 520))
	dlg.Show()
}

func (p *attachPicker) addFile(f pendingFile) {
	p.files = append(p.files, f)
	p.redraw()
}

func (p *attachPicker) redraw() {
	p.list.Objects = nil
	for i, f := range p.files {
		i := i
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			p.files = append(p.files[:i:i], p.files[i+1:]...)
			p.redraw()
		})
		rm.Importance = widget.LowImportance
		p.list.Add(container.NewBorder(nil, nil, widget.NewIcon(fileIcon(f.MIME)), rm, widget.NewLabel(f.Name+" ("+sizeText(int64(len(f.Data)))+")")))
	}
	p.list.Refresh()
}

func (p *attachPicker) metadata() []lapordesk.Attachment {
	out := make([]lapordesk.Attachment, len(p.files))
	for i, f := range p.files {
		out[i] = f.Attachment()
	}
	return out
}

// openFile opens a file (a printed letter, an export) with the system's program.
func (d *Desk) openFile(path string) {
	Go(d.async, func(context.Context) (struct{}, error) {
		return struct{}{}, d.app.OpenURL(fileURL(path))
	}, func(_ struct{}, err error) {
		if err != nil {
			d.showError(err)
		}
	})
}

// fileURL is the file:// URL of a local path (file:///C:/... on Windows).
func fileURL(path string) *url.URL {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return &url.URL{Scheme: "file", Path: p}
}
