package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk/i18n"
)

// saveBar is a save button with a line that says how saving went.
type saveBar struct {
	button *widget.Button
	result *widget.Label
	busy   *widget.ProgressBarInfinite
}

func newSaveBar(label string, save func()) *saveBar {
	b := &saveBar{result: widget.NewLabel(""), busy: widget.NewProgressBarInfinite()}
	b.button = widget.NewButtonWithIcon(label, theme.DocumentSaveIcon(), save)
	b.button.Importance = widget.HighImportance
	b.busy.Hide()
	return b
}

func (b *saveBar) view() fyne.CanvasObject {
	return container.NewVBox(b.busy, container.NewHBox(b.button, b.result))
}

// run saves in the background; the form shows problems beside their fields.
func (b *saveBar) run(d *Desk, f *form, job func(ctx context.Context) error, done func()) {
	f.clear()
	b.result.SetText("")
	b.button.Disable()
	b.busy.Show()
	b.busy.Start()
	Go(d.async, func(ctx context.Context) (struct{}, error) { return struct{}{}, job(ctx) }, func(_ struct{}, err error) {
		b.button.Enable()
		b.busy.Stop()
		b.busy.Hide()
		if err != nil {
			f.show(err)
			b.result.Importance = widget.DangerImportance
			b.result.SetText(i18n.T("ui.settings.not_saved"))
			return
		}
		b.result.Importance = widget.SuccessImportance
		b.result.SetText(i18n.T("ui.settings.saved"))
		if done != nil {
			done()
		}
	})
}
