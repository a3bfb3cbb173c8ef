package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// Two desks of one unit number their receipts independently; once one desk has
// pulled the other's DINKES-2026-00001, its own next receipt must still succeed
// (with a number not yet used here) instead of failing on the duplicate forever.
func TestReceiveSkipsAgendaNumbersFromOtherDesks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := openTest(t)
	b, _ := openTest(t)
	if _, err := a.Receive(ctx, sample("Laporan dari meja A")); err != nil {
		t.Fatal(err)
	}
	out, err := a.Outbox(ctx, 10)
	if err != nil || len(out) != 1 {
		t.Fatalf("outbox: %v %d", err, len(out))
	}
	if _, err := b.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: 1, Event: out[0].Event}}, 1); err != nil {
		t.Fatal(err)
	}
	v, err := b.Receive(ctx, sample("Laporan dari meja B"))
	if err != nil {
		t.Fatalf("receive after pulling another desk's report: %v", err)
	}
	if v.Report.AgendaNo == out[0].Event.Payload.Report.AgendaNo {
		t.Fatalf("agenda number %s reused", v.Report.AgendaNo)
	}
}

// An agenda number two desks issued offline before each had its own prefix is
// found by the check, and naming it lists the reports by ID, each still reachable.
func TestOldAgendaCollisionsAreFoundAndResolvable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := openTest(t)
	b, _ := openTest(t)
	va := mustReceive(t, a, sample("Laporan dari meja A"))
	vb := mustReceive(t, b, sample("Laporan dari meja B"))
	if va.Report.AgendaNo != vb.Report.AgendaNo {
		t.Fatalf("the two desks did not collide: %s, %s", va.Report.AgendaNo, vb.Report.AgendaNo)
	}
	out, err := a.Outbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: 1, Event: out[0].Event}}, 1); err != nil {
		t.Fatal(err)
	}
	dup, err := b.AgendaCollisions(ctx)
	if err != nil || len(dup[va.Report.AgendaNo]) != 2 || len(dup) != 1 {
		t.Fatalf("collisions: %v %v", dup, err)
	}
	_, err = b.Resolve(ctx, va.Report.AgendaNo)
	var ae *lapordesk.AmbiguousError
	if !errors.As(err, &ae) || len(ae.IDs) != 2 || !errors.Is(err, lapordesk.ErrConflict) {
		t.Fatalf("resolving the shared number: %v", err)
	}
	for _, id := range ae.IDs {
		if got, err := b.Resolve(ctx, id); err != nil || got.String() != id {
			t.Fatalf("report %s by its ID: %v %v", id, got, err)
		}
	}
	if dup, _ := a.AgendaCollisions(ctx); len(dup) != 0 {
		t.Fatalf("a desk without the other's report: %v", dup)
	}
}
