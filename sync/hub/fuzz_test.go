package hub_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// FuzzPush pushes one event body of any bytes, with its true hash, after a good
// receipt: the hub never answers 5xx, stores only events that pass the domain's
// rules, and the device's feed stays readable afterwards.
//
//	go test ./sync/hub -run '^$' -fuzz FuzzPush -fuzztime 60s
func FuzzPush(f *testing.F) {
	seed := func(e lapordesk.Event) { f.Add([]byte(pushEvent(e).Body)) }
	rec, err := lapordesk.Receive(newReport("DINKES", "Laporan awal"), "Admin", time.Now())
	if err != nil {
		f.Fatal(err)
	}
	seed(rec)
	seed(followOn(rec.ReportID, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Text: "catatan biasa"}))
	seed(followOn(rec.ReportID, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Text: "lihat \x1b[2J"}))
	seed(followOn(rec.ReportID, lapordesk.EvDisposed, "DINKES", 1, lapordesk.Payload{ToUnit: "TIDAKADA"}))
	seed(followOn(rec.ReportID, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Attachments: []lapordesk.Attachment{{Name: "../x", SHA256: "zz"}}}))
	f.Add([]byte(`{"id":"00000000-0000-0000-0000-000000000000"}`))
	f.Add([]byte(`null`))
	// One hub for every input: the receipt is there, each input comes after it.
	h := newHub(f)
	tok := h.device(f, "DINKES", lapordesk.RoleUnit)
	if res := h.push(f, tok, pushEvent(rec))[0]; res.Status != wire.Accepted {
		f.Fatalf("the receipt: %+v", res)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		before := h.stats(t)
		sum := sha256.Sum256(body)
		// Put together by hand: a body that is not JSON makes a malformed request,
		// which the hub must refuse as well.
		req := append(append([]byte(`{"events":[{"body":`), body...), []byte(`,"hash":"`+hex.EncodeToString(sum[:])+`"}]}`)...)
		code, raw := h.do(t, "POST", wire.PathPush, tok, req, nil)
		if code >= 500 {
			t.Fatalf("push answered %d: %s", code, raw)
		}
		var resp wire.PushResponse
		_ = json.Unmarshal(raw, &resp)
		accepted := code == http.StatusOK && len(resp.Results) == 1 && resp.Results[0].Status == wire.Accepted
		if accepted {
			var e lapordesk.Event
			if err := json.Unmarshal(body, &e); err != nil || e.Validate() != nil {
				t.Fatalf("stored an event the domain refuses: %v / %v", err, e.Validate())
			}
		} else if after := h.stats(t); after.Events != before.Events {
			t.Fatalf("a refused push changed the hub: %+v -> %+v", before, after)
		}
		if code, raw := h.do(t, "GET", wire.PathPull+"?after=0", tok, nil, nil); code != http.StatusOK {
			t.Fatalf("the feed after the push: %d %s", code, raw)
		}
	})
}
