package ui

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk/exchange"
	"github.com/lapordesk/lapordesk/i18n"
)

// progressEvery is how often a long step's bar moves at most: more would only
// keep the UI goroutine busy.
const progressEvery = 100 * time.Millisecond

// unit formats the amounts a progress bar counts: rows or bytes.
type unit func(n int64) string

func rowsUnit(n int64) string  { return formatInt(int(n)) }
func bytesUnit(n int64) string { return sizeText(n) }

// progressBox shows a long step under way: what it does, how far it has got
// (a bar when the total is known, a moving one when not), and a button that
// cancels it.
type progressBox struct {
	label  *widget.Label
	bar    *widget.ProgressBar
	moving *widget.ProgressBarInfinite
	cancel *widget.Button
	box    *fyne.Container

	stop   context.CancelFunc
	run    int  // the step shown; progress of an older one is dropped
	active bool // a step is under way
	unit   unit
	done   int64
	total  int64
}

func newProgressBox() *progressBox {
	p := &progressBox{label: widget.NewLabel(""), bar: widget.NewProgressBar(), moving: widget.NewProgressBarInfinite()}
	p.label.Wrapping = fyne.TextWrapWord
	p.bar.TextFormatter = func() string {
		if p.unit == nil {
			return ""
		}
		return p.unit(p.done) + " / " + p.unit(p.total)
	}
	p.cancel = widget.NewButtonWithIcon(i18n.T("ui.cancel"), theme.CancelIcon(), p.doCancel)
	p.moving.Stop()
	p.moving.Hide()
	p.box = container.NewVBox(p.label, container.NewBorder(nil, nil, nil, p.cancel, container.NewStack(p.bar, p.moving)))
	p.box.Hide()
	return p
}

func (p *progressBox) begin(text string, u unit, stop context.CancelFunc) int {
	p.run++
	p.active, p.stop, p.unit = true, stop, u
	p.label.SetText(text)
	p.cancel.SetText(i18n.T("ui.cancel"))
	p.cancel.Enable()
	p.show(0, 0)
	p.box.Show()
	return p.run
}

// show moves the bar: a moving bar until the total is known.
func (p *progressBox) show(done, total int64) {
	p.done, p.total = done, total
	if total <= 0 {
		p.bar.Hide()
		p.moving.Show()
		p.moving.Start()
		return
	}
	p.moving.Stop()
	p.moving.Hide()
	p.bar.Show()
	p.bar.SetValue(min(float64(done)/float64(total), 1))
}

func (p *progressBox) end() {
	p.active = false
	p.moving.Stop()
	p.box.Hide()
}

func (p *progressBox) doCancel() {
	if p.stop != nil {
		p.stop()
	}
	p.cancel.SetText(i18n.T("ui.task.cancelling"))
	p.cancel.Disable()
}

// progressCell keeps the newest progress a worker reported until the UI shows it.
type progressCell struct {
	mu          sync.Mutex
	done, total int64
	inflight    atomic.Bool
}

// runTask runs work off the UI goroutine while p shows how far it has got, then
// done with its result on the UI goroutine. work tells its progress through report
// (from any goroutine; the bar follows a few times a second). p's Cancel button
// ends work's context: the exchange and storage steps write nothing then.
func runTask[T any](d *Desk, p *progressBox, text string, u unit,
	work func(ctx context.Context, report func(done, total int64)) (T, error), done func(T, error)) {
	userCtx, cancel := context.WithCancel(context.Background())
	run := p.begin(text, u, cancel)
	cell := &progressCell{}
	report := func(n, total int64) {
		cell.mu.Lock()
		cell.done, cell.total = n, total
		cell.mu.Unlock()
		if !cell.inflight.CompareAndSwap(false, true) {
			return
		}
		// One delivery at a time, after a short wait: it shows the newest value.
		Go(d.async, func(ctx context.Context) (struct{}, error) {
			t := time.NewTimer(progressEvery)
			defer t.Stop()
			select {
			case <-t.C:
			case <-userCtx.Done():
			case <-ctx.Done():
			}
			return struct{}{}, nil
		}, func(struct{}, error) {
			cell.inflight.Store(false)
			if p.run == run && p.active {
				cell.mu.Lock()
				n, total := cell.done, cell.total
				cell.mu.Unlock()
				p.show(n, total)
			}
		})
	}
	Go(d.async, func(ctx context.Context) (T, error) {
		ctx, stop := context.WithCancel(ctx)
		defer stop()
		defer context.AfterFunc(userCtx, stop)()
		return work(ctx, report)
	}, func(v T, err error) {
		cancel()
		if p.run == run {
			p.end()
		}
		done(v, err)
	})
}

// reportRows adapts a step that counts rows to a progress report.
func reportRows(report func(done, total int64)) func(done, total int) {
	return func(done, total int) { report(int64(done), int64(total)) }
}

// describe puts an error of a long step in the user's words; a cancelled step
// says that nothing changed.
func describe(err error) string {
	if errors.Is(err, context.Canceled) {
		return i18n.T("ui.task.cancelled")
	}
	return exchange.Describe(err)
}

// message is an error already in the user's words.
type message string

func (m message) Error() string { return string(m) }

// runModal runs a long step in a small modal dialog with its progress bar and a
// Cancel button; the dialog closes when the step ends, then done runs.
func runModal[T any](d *Desk, title, text string, u unit,
	work func(ctx context.Context, report func(done, total int64)) (T, error), done func(T, error)) {
	p := newProgressBox()
	body := container.NewGridWrap(fyne.NewSize(480, p.box.MinSize().Height+20), p.box)
	dlg := dialog.NewCustomWithoutButtons(title, body, d.win)
	d.dialogs++
	dlg.SetOnClosed(func() { d.dialogs-- })
	runTask(d, p, text, u, work, func(v T, err error) {
		dlg.Hide()
		done(v, err)
	})
	dlg.Show()
}

// infoDialog shows a result with OK and, when given, a button that opens a file
// or folder with the system's program.
func (d *Desk) infoDialog(title, text, open string) {
	msg := wrapLabel(text)
	var buttons []fyne.CanvasObject
	var dlg *dialog.CustomDialog
	hide := func() { dlg.Hide() }
	ok := newKeyButton(i18n.T("ui.ok"), nil, hide, hide)
	ok.Importance = widget.HighImportance
	if open != "" {
		buttons = append(buttons, widget.NewButtonWithIcon(i18n.T("ui.task.open"), theme.FolderOpenIcon(), func() {
			dlg.Hide()
			d.openFile(open)
		}))
	}
	buttons = append(buttons, ok)
	dlg = dialog.NewCustomWithoutButtons(title, msg, d.win)
	dlg.SetButtons(buttons)
	dlg.Resize(fyne.NewSize(560, 240))
	dlg.Show()
	d.win.Canvas().Focus(ok)
}
