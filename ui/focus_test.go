package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/lapordesk/lapordesk"
)

// Tab moves through the window in reading order: the new report button, the
// boxes, the search field and list tools, the list, then the report's actions.
func TestTabOrderFollowsTheScreen(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.receive(sample("Antrean puskesmas Pancana"))
	h.d.changed()
	h.drain()
	h.selectRow(0)
	c := h.win.Canvas()
	c.Focus(h.d.nav.newBtn)
	var chain []fyne.Focusable
	for i := 0; i < 12; i++ {
		test.FocusNext(c)
		chain = append(chain, c.Focused())
	}
	index := func(f fyne.Focusable) int {
		for i, x := range chain {
			if x == f {
				return i
			}
		}
		return -1
	}
	nav, search, list := index(h.d.nav.list), index(h.d.list.search), index(h.d.list.list)
	verify := index(h.d.detail.actions[lapordesk.ActVerify])
	if !(nav >= 0 && nav < search && search < list && list < verify) {
		t.Fatalf("tab order: nav %d, search %d, list %d, verify %d", nav, search, list, verify)
	}
	// Space on the focused button acts, as a click does.
	c.Focus(h.d.detail.actions[lapordesk.ActVerify])
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	h.drain()
	if h.d.form == nil {
		t.Fatal("space on Verifikasi did not open its form")
	}
}
