package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// On an enrolled desk the reference data is the hub's: applied whole in one
// transaction, deadlines following; the desk's own edits are refused and change
// nothing; data the desk cannot take is refused whole.
func TestHubOwnedReferenceData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	v := mustReceive(t, s, sample("Antrean puskesmas"))
	if s.HubOwned() {
		t.Fatal("a new desk's reference data is the hub's")
	}
	due := v.Deadline.Due
	// The hub declares the verification deadline itself a regional holiday.
	hol := lapordesk.Holiday{Date: due, Name: "Hari Jadi Kabupaten Barru", Kind: lapordesk.HolidayRegional}
	changed, err := s.ApplyHubRefData(ctx, storage.HubRefData{Holidays: []lapordesk.Holiday{hol}})
	if err != nil || !changed {
		t.Fatalf("apply: %v %v", changed, err)
	}
	if !s.HubOwned() || len(s.Holidays()) != 1 {
		t.Fatalf("after the hub's data: owned %v, %d holidays", s.HubOwned(), len(s.Holidays()))
	}
	nv, err := s.View(ctx, v.Report.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !due.Before(nv.Deadline.Due) {
		t.Fatalf("the deadline did not move past the new holiday: %s, was %s", nv.Deadline.Due, due)
	}
	for name, edit := range map[string]func() error{
		"add holiday": func() error {
			return s.AddHoliday(ctx, lapordesk.Holiday{Date: lapordesk.NewDate(2026, 12, 31), Name: "Libur sendiri"})
		},
		"remove holiday": func() error { return s.RemoveHoliday(ctx, due) },
		"policy":         func() error { return s.SetPolicy(ctx, lapordesk.DefaultPolicy()) },
		"unit":           func() error { return s.PutUnit(ctx, lapordesk.Unit{Code: "LAIN", Name: "Unit lain"}) },
	} {
		if err := edit(); !errors.Is(err, lapordesk.ErrHubOwned) {
			t.Errorf("%s on a hub-owned desk: %v", name, err)
		}
	}
	if len(s.Holidays()) != 1 {
		t.Fatalf("a refused edit changed the calendar: %v", s.Holidays())
	}
	// Applying the same again changes nothing.
	if changed, err := s.ApplyHubRefData(ctx, storage.HubRefData{Holidays: []lapordesk.Holiday{hol}}); err != nil || changed {
		t.Fatalf("the same data again: %v %v", changed, err)
	}
	// Data the desk cannot take: refused whole, nothing of it kept.
	bad := storage.HubRefData{Holidays: []lapordesk.Holiday{}, Units: []lapordesk.Unit{{Code: "", Name: "tanpa kode"}}}
	if _, err := s.ApplyHubRefData(ctx, bad); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("bad hub data: %v", err)
	}
	if len(s.Holidays()) != 1 {
		t.Fatal("bad hub data wiped the calendar")
	}
}
