package ui

import (
	"testing"
	"time"
)

// Without hooks, nothing of sync, letters or exchange is offered.
func TestFeaturesHiddenWithoutHooks(t *testing.T) {
	h := newHarness(t, unitProfile())
	n := sample("Obat kosong")
	h.receive(n)
	h.d.changed()
	h.drain()
	h.selectRow(0)
	if h.d.detail.print != nil {
		t.Fatal("Cetak is offered without the letters feature")
	}
	for _, c := range h.d.fileCommands() {
		if c.label == "Cetak" || c.label == "Sinkronkan sekarang" || c.label == "Ekspor ke lembar kerja…" {
			t.Fatalf("menu offers %q without its feature", c.label)
		}
	}
	h.mustSee("Hanya di komputer ini (belum tersambung ke hub)")
}

// A desk left open overnight shows the new day's deadlines.
func TestNewDayRefreshes(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.receive(sample("Antrean puskesmas Pancana")) // due Thursday 26 Nov
	h.d.changed()
	h.drain()
	h.mustSee("3 hari kerja lagi", "Senin, 23 November 2026")
	h.clock.mu.Lock()
	h.clock.t = h.clock.t.Add(24 * time.Hour)
	h.clock.mu.Unlock()
	h.d.status.refresh()
	h.drain()
	h.mustSee("2 hari kerja lagi", "Selasa, 24 November 2026")
}
