package ui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// recordingPrinter is a LetterPrinter that writes a small file per print and
// remembers what it was asked, standing in for the letters package.
type recordingPrinter struct {
	dir     string
	mu      sync.Mutex
	printed []string
}

func (p *recordingPrinter) Letters(v lapordesk.View) []Letter {
	if v.Report.Status == lapordesk.StatusDisposed {
		return []Letter{{Kind: "disposisi", Label: "Lembar disposisi"}}
	}
	return nil
}

func (p *recordingPrinter) Print(_ context.Context, id uuid.UUID, kind string) (string, error) {
	p.mu.Lock()
	p.printed = append(p.printed, kind+":"+id.String())
	p.mu.Unlock()
	path := filepath.Join(p.dir, kind+".pdf")
	return path, os.WriteFile(path, []byte("%PDF-1.4\n"), 0o600)
}

func (p *recordingPrinter) Recap(context.Context, lapordesk.Date, lapordesk.Date) (string, error) {
	return "", nil
}

// stateSyncer reports a fixed state and counts sync rounds.
type stateSyncer struct {
	mu     sync.Mutex
	state  SyncState
	rounds int
}

func (s *stateSyncer) State(context.Context) (SyncState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state, nil
}

func (s *stateSyncer) SyncNow(context.Context) error {
	s.mu.Lock()
	s.rounds++
	s.mu.Unlock()
	return nil
}

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

// With hooks, Cetak appears where a letter fits and prints through the hook; the
// status bar shows the sync state and F5 runs a round.
func TestFeaturesShownWithHooks(t *testing.T) {
	h := newHarness(t, coordinatorProfile())
	pr := &recordingPrinter{dir: t.TempDir()}
	last := time.Date(2026, 11, 23, 8, 30, 0, 0, wita)
	sy := &stateSyncer{state: SyncState{Configured: true, Online: true, LastSync: last}}
	h.d.hooks = Hooks{Letters: pr, Sync: sy}
	h.d.showMain()
	h.drain()
	h.mustSee("Daring", "sinkron terakhir 23 November 2026 08.30")

	v := h.receive(sample("Obat kosong di Coppo"))
	if _, err := h.store.Act(context.Background(), v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify}); err != nil {
		t.Fatal(err)
	}
	h.d.changed()
	h.drain()
	h.d.list.setBox(lapordesk.BoxAll)
	h.drain()
	h.selectRow(0)
	if h.d.detail.print != nil {
		t.Fatal("Cetak offered before the report was disposed")
	}
	if _, err := h.store.Act(context.Background(), v.Report.ID, lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: "DINKES"}); err != nil {
		t.Fatal(err)
	}
	h.d.detail.reload()
	h.drain()
	h.tap(h.d.detail.print)
	if len(pr.printed) != 1 || pr.printed[0] != "disposisi:"+v.Report.ID.String() {
		t.Fatalf("printed %v", pr.printed)
	}
	h.d.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	h.drain()
	if sy.rounds != 1 {
		t.Fatalf("F5 ran %d sync rounds", sy.rounds)
	}

	// A round that brought reports in (a later LastSync) refreshes the screens
	// when the status bar next looks.
	h.receive(sample("Datang lewat sinkronisasi"))
	h.mustNotSee("Datang lewat sinkronisasi")
	sy.mu.Lock()
	sy.state.LastSync = last.Add(time.Hour)
	sy.mu.Unlock()
	h.d.status.refresh()
	h.drain()
	h.mustSee("Datang lewat sinkronisasi", "sinkron terakhir 23 November 2026 09.30")
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
