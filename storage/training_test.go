package storage_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/letter"
	"github.com/lapordesk/lapordesk/storage"
)

// trainingProfile is the desk a scenario is for.
func trainingProfile(sc lapordesk.Scenario) lapordesk.Profile {
	return lapordesk.Profile{UnitCode: sc.Unit, UnitName: "Unit " + sc.Unit, PemdaName: "Kabupaten Barru", Role: sc.Role,
		Place: "Barru", Timezone: "Asia/Makassar", Actor: "Peserta", Training: true}
}

// doStep does what a step asks through the store's API, as a trainee would in
// the window; newest is the report received during the exercise, if any.
func doStep(t *testing.T, s *storage.Store, sc lapordesk.Scenario, st lapordesk.ScenarioStep, newest *uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	c := st.Check
	id := *newest
	if c.Report != "" {
		id = lapordesk.ScenarioReportID(sc.Name, c.Report)
	}
	act := func(cmd lapordesk.Command) {
		t.Helper()
		if _, err := s.Act(ctx, id, cmd); err != nil {
			t.Fatalf("step %s: %s: %v", st.ID, cmd.Action, err)
		}
	}
	switch c.Kind {
	case lapordesk.EvReceived:
		v, err := s.Receive(ctx, lapordesk.NewReport{Classification: lapordesk.Pengaduan, CategoryID: "kesehatan.puskesmas",
			Title: "Bidan desa Kupa jarang di tempat", Body: "Surat pengaduan Bapak Syamsuddin, diantar ke kantor.",
			Channel: c.Channel, Reporter: lapordesk.Reporter{Name: "Syamsuddin", Phone: "081234567899"}, Confidentiality: lapordesk.Biasa})
		if err != nil {
			t.Fatalf("step %s: %v", st.ID, err)
		}
		*newest = v.Report.ID
	case lapordesk.EvVerified:
		cmd := lapordesk.Command{Action: lapordesk.ActVerify}
		if c.Field == "category_id" {
			cmd.Changes = []lapordesk.FieldChange{{Field: "category_id", Value: "kesehatan.puskesmas"}}
		}
		act(cmd)
	case lapordesk.EvResponded:
		act(lapordesk.Command{Action: lapordesk.ActRespond, Text: "Laporan sedang kami tangani."})
	case lapordesk.EvFollowedUp:
		act(lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "Sudah ditangani di lapangan."})
	case lapordesk.EvPostponed:
		act(lapordesk.Command{Action: lapordesk.ActPostpone, Reason: "Mohon lengkapi nomor telepon dan desa."})
	case lapordesk.EvResumed:
		act(lapordesk.Command{Action: lapordesk.ActResume})
	case lapordesk.EvReturned:
		act(lapordesk.Command{Action: lapordesk.ActReturn, Reason: "Bukan wewenang: urusan Dinas PUPR."})
	case lapordesk.EvDisposed:
		act(lapordesk.Command{Action: lapordesk.ActDispose, ToUnit: c.ToUnit, Instructions: []string{"Proses lebih lanjut"}})
	case lapordesk.EvLetterIssued:
		var buf bytes.Buffer
		if _, err := letter.Print(ctx, s, letter.Request{ReportID: id, Kind: letter.Kind(c.Letter)}, &buf); err != nil {
			t.Fatalf("step %s: print %s: %v", st.ID, c.Letter, err)
		}
	default:
		t.Fatalf("step %s: no way to do a %s here", st.ID, c.Kind)
	}
}

// Every shipped scenario starts on any day with none of its steps done, each step
// counts once done through the store (in time, when done at once), and starting
// again gives back the start event for event.
func TestEveryScenarioCanBeWorkedToItsEnd(t *testing.T) {
	t.Parallel()
	list, err := assets.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 6 {
		t.Fatalf("%d scenarios shipped, want at least 6", len(list))
	}
	// A Monday and a Friday before a weekend: relative dates hold on both.
	for _, start := range []time.Time{time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 7, 30, 0, 0, time.UTC)} {
		for _, sc := range list {
			t.Run(sc.Name+"/"+start.Weekday().String(), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				path := filepath.Join(t.TempDir(), "lapordesk-latihan.db")
				now := start
				clock := storage.WithClock(func() time.Time { return now })
				if err := storage.StartScenario(ctx, path, sc, trainingProfile(sc), start, clock); err != nil {
					t.Fatal(err)
				}
				s, err := storage.Open(ctx, path, clock)
				if err != nil {
					t.Fatal(err)
				}
				initial, _ := s.EventHashes(ctx)
				if len(initial) == 0 && len(sc.Reports) > 0 {
					t.Fatal("no starting reports")
				}
				p, err := s.ScenarioProgress(ctx, sc)
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range p.Steps {
					if st.State != lapordesk.StepNotYet {
						t.Fatalf("at the start, step %s is %s", st.ID, st.State)
					}
				}
				var newest uuid.UUID
				for i, st := range sc.Steps {
					now = now.Add(10 * time.Minute)
					doStep(t, s, sc, st, &newest)
					p, err := s.ScenarioProgress(ctx, sc)
					if err != nil {
						t.Fatal(err)
					}
					for j, got := range p.Steps {
						want := lapordesk.StepNotYet
						if j <= i {
							want = lapordesk.StepDone
						}
						if got.State != want {
							t.Fatalf("after step %s, step %s is %s, want %s", st.ID, got.ID, got.State, want)
						}
					}
				}
				p, _ = s.ScenarioProgress(ctx, sc)
				if !p.Finished || p.Score.InTime != len(sc.Steps) || p.Score.Conflicts != 0 {
					t.Fatalf("at the end: %+v", p.Score)
				}
				s.Close()

				// Ulangi: the start again, exactly.
				if err := storage.StartScenario(ctx, path, sc, trainingProfile(sc), start, clock); err != nil {
					t.Fatal(err)
				}
				s, err = storage.Open(ctx, path, clock)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				again, _ := s.EventHashes(ctx)
				if len(again) != len(initial) {
					t.Fatalf("after the reset %d events, at the start %d", len(again), len(initial))
				}
				for id, h := range initial {
					if again[id] != h {
						t.Fatalf("after the reset event %s differs", id)
					}
				}
				if p, _ := s.ScenarioProgress(ctx, sc); p.Score.Done != 0 {
					t.Fatalf("after the reset: %+v", p.Score)
				}
			})
		}
	}
}

// A step past its deadline is late, done or not; a real data file is never
// replaced by a training one, nor read as one.
func TestScenarioDeadlinesAndTheRealFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	list, _ := assets.Scenarios()
	sc, ok := assets.ScenarioNamed(list, "terlambat")
	if !ok {
		t.Fatal("no scenario terlambat")
	}
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // Monday 09:00 WITA
	now := start.Add(7 * 24 * time.Hour)                   // a week later: every deadline passed
	clock := storage.WithClock(func() time.Time { return now })
	path := filepath.Join(t.TempDir(), "lapordesk-latihan.db")
	if err := storage.StartScenario(ctx, path, sc, trainingProfile(sc), start, clock); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(ctx, path, clock)
	if err != nil {
		t.Fatal(err)
	}
	var none uuid.UUID
	doStep(t, s, sc, sc.Steps[0], &none)
	p, _ := s.ScenarioProgress(ctx, sc)
	if p.Steps[0].State != lapordesk.StepDoneLate || p.Steps[1].State != lapordesk.StepLate || p.Score.Done != 1 || p.Score.InTime != 0 {
		t.Fatalf("a week late: %+v", p)
	}
	s.Close()

	r, _ := openTest(t) // a real desk's file
	real := r.Path()
	r.Close()
	if err := storage.StartScenario(ctx, real, sc, trainingProfile(sc), start); !errors.Is(err, storage.ErrNotTraining) {
		t.Fatalf("a scenario over a real data file: %v", err)
	}
	if got := storage.TrainingPath(real); got != filepath.Join(filepath.Dir(real), "desk-latihan.db") {
		t.Fatalf("the training workspace beside %s: %s", real, got)
	}
}
