package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var wita = time.FixedZone("WITA", 8*3600)

func openTest(t testing.TB) (*storage.Store, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, wita)} // a Monday
	s, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"), storage.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.SetProfile(context.Background(), lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit, Actor: "Andi"})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func sample(title string) lapordesk.NewReport {
	return lapordesk.NewReport{
		Classification: lapordesk.Pengaduan, CategoryID: "kesehatan.puskesmas", Title: title,
		Body: "Pelayanan di puskesmas sangat lambat, antrean sampai siang.", Channel: lapordesk.ChannelWalkIn,
		Reporter:        lapordesk.Reporter{Name: "Siti Aminah", Phone: "081234567890"},
		Confidentiality: lapordesk.Biasa,
		Location:        lapordesk.Location{Kecamatan: "Barru", Desa: "Coppo"},
	}
}

func TestSmokeReceiveActListSearchRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openTest(t)
	v, err := s.Receive(ctx, sample("Antrean puskesmas Pancana"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Report.AgendaNo != "DINKES-2026-00001" || v.Report.Status != lapordesk.StatusNew {
		t.Fatalf("got agenda %q status %q", v.Report.AgendaNo, v.Report.Status)
	}
	if v.Deadline.Due.String() != "2026-11-26" {
		t.Fatalf("verify due %s, want 2026-11-26", v.Deadline.Due)
	}
	c.Add(time.Hour)
	v, err = s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify, BaseVersion: v.Report.Version})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActClose})
	var te *lapordesk.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("close from verified: %v", err)
	}
	page, err := s.List(ctx, lapordesk.Filter{Box: lapordesk.BoxInProgress}, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Title != "Antrean puskesmas Pancana" {
		t.Fatalf("list: %+v", page.Items)
	}
	page, err = s.List(ctx, lapordesk.Filter{Text: "puskes"}, 10, "")
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("search: %v %+v", err, page.Items)
	}
	h1, err := s.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	h2, _ := s.StateHash(ctx)
	if h1 != h2 {
		t.Fatal("rebuild changed state")
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func jsonEncode(w *bytes.Buffer, v any) error { return json.NewEncoder(w).Encode(v) }
