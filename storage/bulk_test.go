package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

func TestEachReportFollowsTheListOrderAndMasksAnonim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openTest(t)
	var anon uuid.UUID
	for i := 0; i < 30; i++ {
		n := sample(fmt.Sprintf("Laporan %02d", i))
		if i == 7 {
			n.Confidentiality = lapordesk.Anonim
			n.Reporter = lapordesk.Reporter{Name: "Rahasia Sekali", Phone: "081299990000", IDNumber: "7311000011112222"}
		}
		v, err := s.Receive(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if i == 7 {
			anon = v.Report.ID
		}
		if i%4 == 0 {
			if _, err := s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify}); err != nil {
				t.Fatal(err)
			}
		}
		c.Add(time.Hour)
	}
	for _, f := range []lapordesk.Filter{{}, {Box: lapordesk.BoxInbox}, {Sort: lapordesk.SortReceived, Reverse: true}, {Text: "Laporan 1"}} {
		var want []uuid.UUID
		after := ""
		for {
			page, err := s.List(ctx, f, 7, after)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				want = append(want, it.ID)
			}
			if after = page.Next; after == "" {
				break
			}
		}
		var got []uuid.UUID
		err := s.EachReport(ctx, f, func(i, total int, r lapordesk.Report, d lapordesk.Deadline) error {
			if i != len(got) || total != len(want) {
				t.Fatalf("i %d total %d, want %d of %d", i, total, len(got), len(want))
			}
			if r.ID == anon && (r.Reporter.Name != lapordesk.AnonymousName || r.Reporter.Phone != "" || r.Reporter.IDNumber != "") {
				t.Fatalf("anonim identity read out: %+v", r.Reporter)
			}
			if r.Status == lapordesk.StatusNew && d.Due.IsZero() {
				t.Fatalf("new report without a due date")
			}
			got = append(got, r.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
			t.Fatalf("filter %+v: EachReport order %v, List order %v", f, got, want)
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := s.EachReport(ctx, lapordesk.Filter{}, func(int, int, lapordesk.Report, lapordesk.Deadline) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("stop: %v after %d", err, n)
	}
	keys, err := s.ReportKeys(ctx)
	if err != nil || len(keys) != 30 {
		t.Fatalf("keys: %d %v", len(keys), err)
	}
	var titles []string
	if err := s.Reports(ctx, []uuid.UUID{keys[3].ID, anon}, func(r lapordesk.Report) error { titles = append(titles, r.Title); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(titles) != 2 || titles[1] != "Laporan 07" {
		t.Fatalf("reports: %v", titles)
	}
	if err := s.Reports(ctx, []uuid.UUID{uuid.New()}, func(lapordesk.Report) error { return nil }); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("missing report: %v", err)
	}
}

// receipts builds received events for n new reports, as an importer would.
func receipts(t *testing.T, s *storage.Store, n int, title string) []lapordesk.Event {
	t.Helper()
	var evs []lapordesk.Event
	for i := 0; i < n; i++ {
		nr := sample(fmt.Sprintf("%s %d", title, i))
		nr.Unit = "DINKES"
		e, err := lapordesk.Receive(nr, "Andi", s.Now().Add(-time.Duration(n-i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
		v := lapordesk.Event{ID: uuid.Must(uuid.NewV7()), ReportID: e.ReportID, Kind: lapordesk.EvVerified, At: e.At.Add(time.Second), Unit: "DINKES", BaseVersion: 1}
		evs = append(evs, v)
	}
	return evs
}

func TestRecordProgressIsOneTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	evs := receipts(t, s, 700, "Impor")
	var calls, last, total int
	if err := s.RecordProgress(ctx, evs, func(done, tot int) { calls++; last, total = done, tot }); err != nil {
		t.Fatal(err)
	}
	if calls < 3 || last != 700 || total != 700 {
		t.Fatalf("progress: %d calls, last %d of %d", calls, last, total)
	}
	counts, _ := s.Counts(ctx, "")
	if counts[lapordesk.BoxAll] != 700 || counts[lapordesk.BoxInProgress] != 700 {
		t.Fatalf("counts %v", counts)
	}

	// A bad event at the very end: nothing of the batch is written.
	bad := receipts(t, s, 700, "Gagal")
	bad = append(bad, lapordesk.Event{ID: uuid.Must(uuid.NewV7()), ReportID: bad[0].ReportID, Kind: lapordesk.EvClosed, At: s.Now(), Unit: "DINKES", BaseVersion: 2})
	err := s.RecordProgress(ctx, bad, nil)
	if !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("illegal close: %v", err)
	}
	counts, _ = s.Counts(ctx, "")
	if counts[lapordesk.BoxAll] != 700 {
		t.Fatalf("a refused batch wrote %d reports", counts[lapordesk.BoxAll]-700)
	}
	// A cancelled batch writes nothing either.
	cctx, cancel := context.WithCancel(ctx)
	more := receipts(t, s, 1200, "Batal")
	err = s.RecordProgress(cctx, more, func(done, _ int) {
		if done > 300 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	counts, _ = s.Counts(ctx, "")
	if counts[lapordesk.BoxAll] != 700 {
		t.Fatalf("a cancelled batch wrote %d reports", counts[lapordesk.BoxAll]-700)
	}
	if n, _ := s.Pending(ctx); n != 1400 {
		t.Fatalf("outbox holds %d events, want 1400", n)
	}
}

// An agenda number given explicitly (an import, a paper register) moves the unit's
// counter past it: the next number allocated does not collide.
func TestExplicitAgendaNumbersAdvanceTheCounter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	n := sample("Dari buku agenda")
	n.AgendaNo = "DINKES-2026-00042"
	if _, err := s.Receive(ctx, n); err != nil {
		t.Fatal(err)
	}
	n.AgendaNo = "Agenda lama 7" // another form: left alone
	if _, err := s.Receive(ctx, n); err != nil {
		t.Fatal(err)
	}
	v, err := s.Receive(ctx, sample("Berikutnya"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Report.AgendaNo != "DINKES-2026-00043" {
		t.Fatalf("next agenda %s, want DINKES-2026-00043", v.Report.AgendaNo)
	}
	n.AgendaNo = "DINKES-2026-00010" // below the counter: the counter stays
	if _, err := s.Receive(ctx, n); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Receive(ctx, sample("Lagi")); v.Report.AgendaNo != "DINKES-2026-00044" {
		t.Fatalf("next agenda %s, want DINKES-2026-00044", v.Report.AgendaNo)
	}
}
