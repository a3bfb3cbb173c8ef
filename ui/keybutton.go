package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// keyButton is a dialog's button that Enter presses as well as Space (Fyne's
// buttons answer Space only), and on which Escape closes the dialog: the wizard's
// and the messages' buttons take the focus, so the keyboard goes on working.
type keyButton struct {
	widget.Button
	esc func()
}

func newKeyButton(label string, icon fyne.Resource, tapped func(), esc func()) *keyButton {
	b := &keyButton{esc: esc}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	case fyne.KeyEscape:
		if b.esc != nil {
			b.esc()
		}
	default:
		b.Button.TypedKey(ev)
	}
}
