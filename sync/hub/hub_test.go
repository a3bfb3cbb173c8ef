package hub_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	_ "github.com/lapordesk/lapordesk/internal/localeenv"
	"github.com/lapordesk/lapordesk/sync/hub"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// testHub is a hub over loopback, driven with plain HTTP requests.
type testHub struct {
	st  *hub.Store
	url string
	clk *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (h *testHub) stats(t testing.TB) hub.Stats {
	t.Helper()
	s, err := h.st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newHub(t testing.TB) *testHub {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hub.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []lapordesk.Unit{{Code: "DINKES", Name: "Dinas Kesehatan"}, {Code: "PUPR", Name: "Dinas PUPR"}, {Code: "DISKOMINFO", Name: "Diskominfo", Coordinator: true}} {
		if err := st.PutUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{}).Handler())
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	return &testHub{st: st, url: srv.URL, clk: clk}
}

func secret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// device enrols a device of unit and returns its bearer token.
func (h *testHub) device(t testing.TB, unit string, role lapordesk.Role) string {
	t.Helper()
	token, _, err := h.st.NewEnrolment(context.Background(), unit, role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	id, sec := uuid.New(), secret()
	code, body := h.do(t, "POST", wire.PathEnroll, "", mustJSON(wire.EnrollRequest{Token: token, DeviceID: id, Secret: sec}), nil)
	if code != http.StatusOK {
		t.Fatalf("enrol: %d %s", code, body)
	}
	return wire.DeviceToken(id, sec)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (h *testHub) do(t testing.TB, method, path, token string, body []byte, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, h.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func newReport(unit, title string) lapordesk.NewReport {
	return lapordesk.NewReport{
		Classification: lapordesk.Pengaduan, Title: title, Body: "Isi laporan.", Channel: lapordesk.ChannelWalkIn,
		Reporter: lapordesk.Reporter{Name: "Siti Aminah"}, Confidentiality: lapordesk.Biasa, Unit: unit, AgendaNo: unit + "-1",
	}
}

func receipt(t testing.TB, n lapordesk.NewReport) lapordesk.Event {
	t.Helper()
	e, err := lapordesk.Receive(n, "Admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func followOn(report uuid.UUID, kind lapordesk.EventKind, unit string, base int, p lapordesk.Payload) lapordesk.Event {
	id, _ := uuid.NewV7()
	return lapordesk.Event{ID: id, ReportID: report, Kind: kind, At: lapordesk.NormalizeTime(time.Now()), Unit: unit, BaseVersion: base, Payload: p}
}

func pushEvent(e lapordesk.Event) wire.PushEvent {
	b, err := e.Canonical()
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return wire.PushEvent{Body: b, Hash: hex.EncodeToString(sum[:])}
}

func (h *testHub) push(t testing.TB, token string, evs ...wire.PushEvent) []wire.PushResult {
	t.Helper()
	code, body := h.do(t, "POST", wire.PathPush, token, mustJSON(wire.PushRequest{Events: evs}), nil)
	if code != http.StatusOK {
		t.Fatalf("push: %d %s", code, body)
	}
	var resp wire.PushResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	return resp.Results
}

// pullAll reads a device's whole feed.
func (h *testHub) pullAll(t *testing.T, token string) []wire.PulledEvent {
	t.Helper()
	var out []wire.PulledEvent
	cursor := int64(0)
	for {
		code, body := h.do(t, "GET", wire.PathPull+"?limit=3&after="+strconv.FormatInt(cursor, 10), token, nil, nil)
		if code != http.StatusOK {
			t.Fatalf("pull: %d %s", code, body)
		}
		var page wire.PullResponse
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Events...)
		cursor = page.Next
		if !page.More {
			return out
		}
	}
}

func eventIDs(evs []wire.PulledEvent) map[uuid.UUID]bool {
	out := map[uuid.UUID]bool{}
	for _, pe := range evs {
		var e lapordesk.Event
		if err := json.Unmarshal(pe.Body, &e); err != nil {
			panic(err)
		}
		out[e.ID] = true
	}
	return out
}

func errorCode(body []byte) string {
	var e wire.Error
	json.Unmarshal(body, &e)
	return e.Error.Code
}
