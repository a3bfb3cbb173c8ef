package storage_test

import (
	"context"
	"testing"

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
