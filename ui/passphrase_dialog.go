package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// passphraseDialog asks for a backup's passphrase. For a new backup (choose) it
// offers encryption, on by default (a backup to a flash disk leaves the office),
// and asks the passphrase twice; for an encrypted backup it asks once. done gets
// the passphrase, "" when the user chose no encryption; cancelling calls nothing.
type passphraseDialog struct {
	dlg         *dialog.CustomDialog
	encrypt     *widget.Check
	pass, again *widget.Entry
	problem     *widget.Label
	ok          *keyButton
	choose      bool
	done        func(pass string)
}

func (x *exchangeUI) askPassphrase(title, intro, okLabel string, choose bool, done func(pass string)) {
	d := x.d
	p := &passphraseDialog{choose: choose, done: done, problem: wrapLabel("")}
	x.asked = p
	p.problem.Importance = widget.DangerImportance
	p.pass, p.again = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	p.pass.SetPlaceHolder(i18n.Field("passphrase"))
	p.again.SetPlaceHolder(i18n.T("ui.passphrase.again"))
	p.pass.OnSubmitted = func(string) { p.submit() }
	p.again.OnSubmitted = func(string) { p.submit() }
	hide := func() { p.dlg.Hide() }
	p.ok = newKeyButton(okLabel, theme.ConfirmIcon(), p.submit, hide)
	p.ok.Importance = widget.HighImportance
	cancel := newKeyButton(i18n.T("ui.cancel"), theme.CancelIcon(), hide, hide)
	items := []fyne.CanvasObject{wrapLabel(intro)}
	if choose {
		p.encrypt = widget.NewCheck(i18n.T("ui.passphrase.encrypt"), func(on bool) {
			if on {
				p.pass.Enable()
				p.again.Enable()
			} else {
				p.pass.Disable()
				p.again.Disable()
			}
		})
		p.encrypt.SetChecked(true)
		items = append(items, p.encrypt, p.pass, p.again)
	} else {
		items = append(items, p.pass)
	}
	if choose {
		note := wrapLabel(i18n.T("ui.passphrase.note"))
		note.Importance = widget.LowImportance
		items = append(items, note)
	}
	items = append(items, p.problem)
	p.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(items...), d.win)
	p.dlg.SetButtons([]fyne.CanvasObject{cancel, p.ok})
	d.dialogs++
	p.dlg.SetOnClosed(func() { d.dialogs-- })
	p.dlg.Resize(fyne.NewSize(520, 0))
	p.dlg.Show()
	d.win.Canvas().Focus(p.pass)
}

// submit checks what was typed with the store's rule and hands it on.
func (p *passphraseDialog) submit() {
	if p.choose && !p.encrypt.Checked {
		p.dlg.Hide()
		p.done("")
		return
	}
	pass := p.pass.Text
	if p.choose {
		if err := storage.CheckPassphrase(pass); err != nil {
			p.problem.SetText(i18n.Error(err))
			return
		}
		if p.again.Text != pass {
			p.problem.SetText(i18n.FieldError(&lapordesk.FieldError{Field: "passphrase", Problem: lapordesk.ProblemMismatch}))
			return
		}
	} else if pass == "" {
		p.problem.SetText(i18n.FieldError(&lapordesk.FieldError{Field: "passphrase", Problem: lapordesk.ProblemRequired}))
		return
	}
	p.dlg.Hide()
	p.done(pass)
}
