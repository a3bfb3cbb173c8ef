package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	lsync "github.com/lapordesk/lapordesk/sync"
)

// However long the sync details and the message, the status bar never makes the
// window wider than it is: the date stays in sight at the right, the details
// keep the width of their text while there is room and are cut short after.
func TestStatusBarNeverWidensTheWindow(t *testing.T) {
	h := newHarness(t, unitProfile())
	b := h.d.status
	b.setLink(colorSoon, "Menyinkronkan… Mengirim perubahan")
	b.progBox.Show()
	b.pending.SetText("· 123.456 perubahan menunggu dikirim")
	b.last.SetText("· sinkron terakhir Rabu, 25 November 2026 16.55")
	b.conflicts.SetText("12 laporan berkonflik")
	b.conflicts.Show()
	b.showError(errors.New(strings.Repeat("hub menolak sambungan ", 8)))
	win := h.win.Canvas().Size().Width
	if w := h.win.Content().MinSize().Width; w > win {
		t.Fatalf("the window needs %.0f px for the status bar, and is %.0f wide", w, win)
	}
	row := b.row.Size().Width
	if x := b.today.Position().X + b.today.Size().Width; x > row+0.5 || b.today.Size().Width < b.today.MinSize().Width {
		t.Fatalf("the date ends at %.0f of %.0f", x, row)
	}
	if got, want := b.pending.Size().Width, naturalWidth(b.pending); got != want {
		t.Fatalf("the pending count is %.0f wide, its text %.0f", got, want)
	}
	if got := b.msg.Size().Width; got >= naturalWidth(b.msg) {
		t.Fatalf("the long message was not cut short: %.0f", got)
	}

	// Narrower: the details give way, the date stays.
	h.win.Resize(fyne.NewSize(900, 700))
	b.relayout()
	if x := b.today.Position().X + b.today.Size().Width; x > b.row.Size().Width+0.5 {
		t.Fatalf("at 900 px the date ends at %.0f of %.0f", x, b.row.Size().Width)
	}
	if b.last.Size().Width >= naturalWidth(b.last) {
		t.Fatal("at 900 px the last sync kept all its width")
	}
}

// A first sync over a slow line says in the status bar how far it is, how much
// has come, and how long it has to go.
func TestStatusBarShowsAFirstSyncsProgress(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.d.status.showSync(lsync.Status{Enrolled: true, Syncing: true, Progress: lsync.Progress{
		Phase: lsync.PhasePull, Received: 1200, ToReceive: 5000, Bytes: 3 << 20, Left: 190 * time.Second}})
	h.mustSee("Menerima 1.200/5.000 · 3,0 MB · ±3 menit lagi")
	if got := h.d.status.progress.Value; got < 0.23 || got > 0.25 {
		t.Fatalf("the progress bar shows %.2f of 1200/5000", got)
	}
}
