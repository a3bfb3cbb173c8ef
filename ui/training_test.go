package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/letter"
	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// A training desk cannot pass for a unit's own: the window's title and a banner
// on every screen say LATIHAN, the status bar never counts changes as waiting to
// be sent, the Hub tab offers no enrolment, and a printed letter carries the
// training mark and a training number.
func TestTrainingDeskIsMarkedEverywhere(t *testing.T) {
	p := unitProfile()
	p.Training = true
	dir := filepath.Join(t.TempDir(), "surat")
	h := newHarnessWith(t, p, func(s *storage.Store) Hooks {
		return Hooks{Letters: LetterFolder(dir), Sync: lsync.NewService(s, lsync.ServiceOptions{Interval: time.Hour})}
	})
	if got := h.win.Title(); got != "LAPOR Desk — LATIHAN" {
		t.Fatalf("window title %q", got)
	}
	v := h.receive(sample("Pungutan liar di loket puskesmas"))
	h.act(v, lapordesk.Command{Action: lapordesk.ActVerify},
		lapordesk.Command{Action: lapordesk.ActRespond, Text: "Sedang kami periksa."},
		lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "Petugas loket telah diberi sanksi."})
	h.d.changed()
	h.waitFor("the status bar", func() bool { return h.d.status.link.Text != "" })
	if got := h.d.status.text(); got != "Mode latihan: tidak pernah dikirim ke hub" {
		t.Fatalf("status bar of a training desk: %q", got)
	}
	for _, screen := range []string{string(lapordesk.BoxAll), navRecap, navSettings} {
		h.d.navigate(screen)
		h.drain()
		h.mustSee("MODE LATIHAN — laporan di berkas ini bukan laporan sungguhan")
	}

	// Pengaturan › Hub explains instead of offering the enrolment form.
	s := h.d.settings
	for _, item := range s.tabs.Items {
		if item.Content == s.hub.content {
			s.tabs.Select(item)
		}
	}
	h.drain()
	h.mustRead("Berkas data latihan tidak pernah didaftarkan ke hub")
	h.mustNotSee("Daftarkan meja ini ke hub")

	// A letter printed in training is marked so and numbered apart.
	h.d.navigate(string(lapordesk.BoxAll))
	h.drain()
	h.selectRow(0)
	h.tap(h.d.detail.print)
	h.tap(h.form().submit)
	r := h.status(v.Report.ID.String())
	rec, ok := letter.Recorded(r, letter.KindTindakLanjut, true)
	if !ok || !rec.Training {
		t.Fatalf("no training letter recorded: %+v", r.Letters)
	}
	if _, real := letter.Recorded(r, letter.KindTindakLanjut, false); real {
		t.Fatal("a training print took a number of the real register")
	}
	h.mustRead("Mode latihan: surat bertanda SPECIMEN - LATIHAN")
	text := pdfText(t, filepath.Join(dir, "tindak-lanjut-"+v.Report.Ref()+".pdf"))
	if !strings.Contains(text, "LATIHAN") || !strings.Contains(text, rec.Number) {
		t.Fatalf("the training letter is not marked:\n%s", text)
	}
	if n, err := h.store.Pending(context.Background()); err != nil || n == 0 {
		t.Fatalf("pending %d, %v: the test did not make changes", n, err)
	}
}

// A trainee works a scenario in the window: the checklist beside the reports
// shows each step not yet done, then done as the store's log shows it, the next
// step's hint and the score; Ulangi starts it over in one click.
func TestTrainingChecklistFollowsTheWork(t *testing.T) {
	list, err := assets.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := assets.ScenarioNamed(list, "tunda")
	p := &lapordesk.Profile{UnitCode: sc.Unit, UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Latihan", Role: sc.Role, Actor: "Peserta", Training: true}
	h := newHarnessPrepared(t, nil, nil, func(path string, now time.Time) {
		if err := storage.StartScenario(context.Background(), path, sc, *p, now); err != nil {
			t.Fatal(err)
		}
	})
	h.drain()
	panel := h.d.training
	if panel == nil {
		t.Fatal("no checklist on a training workspace")
	}
	if len(panel.states) != 2 || panel.states[0] != lapordesk.StepNotYet {
		t.Fatalf("at the start: %v", panel.states)
	}
	h.mustRead("Latihan: Tunda laporan yang data pelapornya kurang", "Petunjuk langkah berikutnya: Pilih Tunda", "Nilai: 0 dari 2 langkah selesai")
	id := lapordesk.ScenarioReportID(sc.Name, "obat")
	h.clock.add(10 * time.Minute)
	if _, err := h.store.Act(context.Background(), id, lapordesk.Command{Action: lapordesk.ActPostpone, Reason: "Mohon lengkapi nomor telepon."}); err != nil {
		t.Fatal(err)
	}
	h.d.changed()
	h.drain()
	if panel.states[0] != lapordesk.StepDone || panel.states[1] != lapordesk.StepNotYet {
		t.Fatalf("after the postponement: %v", panel.states)
	}
	h.mustRead("selesai 23 November 2026", "Nilai: 1 dari 2 langkah selesai, 1 tepat waktu.", "pilih Lanjutkan")
	h.clock.add(10 * time.Minute)
	if _, err := h.store.Act(context.Background(), id, lapordesk.Command{Action: lapordesk.ActResume}); err != nil {
		t.Fatal(err)
	}
	h.d.changed()
	h.drain()
	h.mustRead("Latihan selesai!", "Nilai: 2 dari 2 langkah selesai, 2 tepat waktu.")

	h.tap(panel.again)
	h.drain()
	if h.d.training == nil || len(h.d.training.states) != 2 || h.d.training.states[0] != lapordesk.StepNotYet {
		t.Fatalf("after Ulangi: %+v", h.d.training)
	}
	r, err := h.d.store.Report(context.Background(), id)
	if err != nil || r.Status != lapordesk.StatusNew {
		t.Fatalf("the report after Ulangi: %s %v", r.Status, err)
	}
	h.mustRead("Nilai: 0 dari 2 langkah selesai")
}
