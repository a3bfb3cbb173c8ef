package storage_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// FuzzApplyRemote hands the store an event from a hub, decoded from any bytes: it
// never panics, and whatever it takes or refuses, the data file stays sound.
//
//	go test ./storage -run '^$' -fuzz FuzzApplyRemote -fuzztime 60s
func FuzzApplyRemote(f *testing.F) {
	rep := uuid.MustParse("01a23731-15b8-7c1e-a265-b84884d224d9")
	for _, e := range []lapordesk.Event{
		{ID: uuid.New(), ReportID: rep, Kind: lapordesk.EvNoted, At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Unit: "DINKES", BaseVersion: 1, Payload: lapordesk.Payload{Text: "catatan"}},
		{ID: uuid.New(), ReportID: rep, Kind: lapordesk.EvDisposed, At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Unit: "DINKES", Payload: lapordesk.Payload{ToUnit: "PUPR"}},
		{ID: uuid.New(), ReportID: uuid.New(), Kind: lapordesk.EvReceived, At: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Unit: "X"},
	} {
		b, _ := json.Marshal(e)
		f.Add(b, int64(1))
	}
	f.Add([]byte(`{"kind":"received","payload":{"report":{}}}`), int64(-1))
	s, _ := openTest(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, body []byte, seq int64) {
		var e lapordesk.Event
		if json.Unmarshal(body, &e) != nil {
			return
		}
		_, _ = s.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: seq, Event: e}}, max(seq, 0))
		if err := s.Check(ctx); err != nil {
			t.Fatalf("the data file after %s: %v", body, err)
		}
	})
}
