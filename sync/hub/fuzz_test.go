package hub_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
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

// FuzzPull asks a unit's feed with any query: the hub never answers 5xx, a 200
// page parses and holds only the unit's own report, never the other unit's, in
// feed order, and a page that is not a 200 is a 4xx naming its problem.
//
//	go test ./sync/hub -run '^$' -fuzz FuzzPull -fuzztime 60s
func FuzzPull(f *testing.F) {
	for _, q := range []string{"after=0", "after=0&limit=1&count=1", "after=-1", "after=99999999999999999999", "after=0&limit=0",
		"after=0&limit=100000", "after=0&bytes=1", "after=0&bytes=-5", "after=0&own=ids", "after=3&count=1", "after=0&after=5",
		"after=%00", "limit=1", "after=0x10", "after=0&bytes=9223372036854775807", "after= 1", "after=0;limit=2"} {
		f.Add(q)
	}
	h := newHub(f)
	tok := h.device(f, "DINKES", lapordesk.RoleUnit)
	other := h.device(f, "PUPR", lapordesk.RoleUnit)
	mine := receipt(f, newReport("DINKES", "Laporan DINKES"))
	theirs := receipt(f, newReport("PUPR", "Laporan PUPR"))
	evs := []wire.PushEvent{pushEvent(mine)}
	for i := 1; i <= 5; i++ {
		evs = append(evs, pushEvent(followOn(mine.ReportID, lapordesk.EvNoted, "DINKES", i, lapordesk.Payload{Text: "catatan"})))
	}
	for _, r := range append(h.push(f, tok, evs...), h.push(f, other, pushEvent(theirs))...) {
		if r.Status != wire.Accepted {
			f.Fatalf("setup: %+v", r)
		}
	}
	f.Fuzz(func(t *testing.T, query string) {
		// Any values, sent as a well-formed URL: what no HTTP request can carry is
		// refused by the HTTP server before the hub sees it.
		vals, err := url.ParseQuery(query)
		if err != nil {
			t.Skip()
		}
		query = vals.Encode()
		code, raw := h.do(t, "GET", wire.PathPull+"?"+query, tok, nil, nil)
		if code >= 500 {
			t.Fatalf("pull ?%s answered %d: %s", query, code, raw)
		}
		if code != http.StatusOK {
			if code < 400 || errorCode(raw) == "" {
				t.Fatalf("pull ?%s: %d without a named problem: %s", query, code, raw)
			}
			return
		}
		var page wire.PullResponse
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatalf("pull ?%s: a page that does not parse: %v", query, err)
		}
		last := int64(-1)
		for _, pe := range page.Events {
			if pe.Pos <= last {
				t.Fatalf("pull ?%s: positions out of order", query)
			}
			last = pe.Pos
			if len(pe.Body) == 0 {
				continue // the device's own, as IDs
			}
			var e lapordesk.Event
			if err := json.Unmarshal(pe.Body, &e); err != nil || e.ReportID != mine.ReportID {
				t.Fatalf("pull ?%s handed out an event of another report: %s", query, pe.Body)
			}
		}
	})
}
