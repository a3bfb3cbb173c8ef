package hub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
	"github.com/lapordesk/lapordesk/sync/hub"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// An enrolment token works once, for one device; the same device asking again
// gets the same answer; a dry run spends nothing; tokens expire; tokens are kept
// hashed.
func TestEnrolmentTokens(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	token, _, err := h.st.NewEnrolment(ctx, "DINKES", lapordesk.RoleUnit, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	enrol := func(tok string, id uuid.UUID, sec string, dry bool) (int, []byte) {
		return h.do(t, "POST", wire.PathEnroll, "", mustJSON(wire.EnrollRequest{Token: tok, DeviceID: id, Secret: sec, DryRun: dry}), nil)
	}
	id, sec := uuid.New(), secret()
	if code, body := enrol(token, uuid.New(), secret(), true); code != http.StatusOK || !strings.Contains(string(body), `"DINKES"`) {
		t.Fatalf("dry run: %d %s", code, body)
	}
	// Typed by hand: lower case, spaces for dashes.
	typed := strings.ToLower(strings.ReplaceAll(token, "-", " "))
	if code, body := enrol(typed, id, sec, false); code != http.StatusOK {
		t.Fatalf("enrol: %d %s", code, body)
	}
	if code, body := enrol(token, id, sec, false); code != http.StatusOK {
		t.Fatalf("the same enrolment again: %d %s", code, body)
	}
	if code, body := enrol(token, uuid.New(), secret(), false); code != http.StatusUnauthorized || errorCode(body) != wire.CodeTokenUsed {
		t.Fatalf("another device with the used token: %d %s", code, body)
	}
	if code, body := enrol(token, id, secret(), false); code != http.StatusUnauthorized || errorCode(body) != wire.CodeTokenUsed {
		t.Fatalf("the same device with another secret: %d %s", code, body)
	}
	if code, _ := enrol("AAAA-BBBB", uuid.New(), secret(), false); code != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", code)
	}
	late, _, _ := h.st.NewEnrolment(ctx, "PUPR", lapordesk.RoleUnit, time.Hour)
	h.clk.add(2 * time.Hour)
	if code, body := enrol(late, uuid.New(), secret(), false); code != http.StatusUnauthorized || errorCode(body) != wire.CodeTokenExpired {
		t.Fatalf("expired token: %d %s", code, body)
	}
	if _, _, err := h.st.NewEnrolment(ctx, "NOSUCH", lapordesk.RoleUnit, time.Hour); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("token for an unknown unit: %v", err)
	}
	h.st.Close()
	if raw := readFiles(t, h.st.Path()); bytes.Contains(raw, []byte(strings.ReplaceAll(token, "-", ""))) || bytes.Contains(raw, []byte(sec)) {
		t.Fatal("a token or secret is stored in the clear")
	}
}

func readFiles(t *testing.T, path string) []byte {
	t.Helper()
	var out []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

// An upload resumes where the hub's copy ends; a chunk repeated after a lost
// answer is told where to continue; content that does not hash to its name is
// dropped.
func TestResumableUpload(t *testing.T) {
	h := newHub(t)
	tok := h.device(t, "DINKES", lapordesk.RoleUnit)
	data := bytes.Repeat([]byte("pindaian surat "), 10000)
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	n := newReport("DINKES", "Surat")
	n.Attachments = []lapordesk.Attachment{{Name: "surat.pdf", Size: int64(len(data)), SHA256: sha}}
	h.push(t, tok, pushEvent(receipt(t, n)))
	put := func(off int, part []byte) (int, string) {
		req, _ := http.NewRequest("PUT", h.url+wire.PathBlobs+sha, bytes.NewReader(part))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set(wire.HeaderOffset, strconv.Itoa(off))
		req.Header.Set(wire.HeaderLength, strconv.Itoa(len(data)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get(wire.HeaderOffset)
	}
	if code, off := put(0, data[:50000]); code != http.StatusNoContent || off != "50000" {
		t.Fatalf("first chunk: %d %s", code, off)
	}
	if code, off := put(0, data[:50000]); code != http.StatusConflict || off != "50000" {
		t.Fatalf("first chunk again: %d %s", code, off)
	}
	code, body := h.do(t, "POST", wire.PathBlobStatus, tok, mustJSON(wire.BlobStatusRequest{SHA256: []string{sha}}), nil)
	var st wire.BlobStatusResponse
	json.Unmarshal(body, &st)
	if code != http.StatusOK || st.Partial[sha] != 50000 {
		t.Fatalf("status of a partial upload: %s", body)
	}
	if code, off := put(50000, data[50000:]); code != http.StatusNoContent || off != strconv.Itoa(len(data)) {
		t.Fatalf("last chunk: %d %s", code, off)
	}
	if code, got := h.do(t, "GET", wire.PathBlobs+sha, tok, nil, map[string]string{"Range": "bytes=100000-"}); code != http.StatusPartialContent || !bytes.Equal(got, data[100000:]) {
		t.Fatalf("resumed download: %d, %d bytes", code, len(got))
	}

	// Content that is not what its name says.
	fake := bytes.Repeat([]byte("b"), 1000)
	sum2 := sha256.Sum256([]byte("the real content"))
	sha2 := hex.EncodeToString(sum2[:])
	n2 := newReport("DINKES", "Palsu")
	n2.AgendaNo = "DINKES-2"
	n2.Attachments = []lapordesk.Attachment{{Name: "x.pdf", Size: 16, SHA256: sha2}}
	h.push(t, tok, pushEvent(receipt(t, n2)))
	req, _ := http.NewRequest("PUT", h.url+wire.PathBlobs+sha2, bytes.NewReader(fake))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set(wire.HeaderOffset, "0")
	req.Header.Set(wire.HeaderLength, strconv.Itoa(len(fake)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("content under a wrong name: %d", resp.StatusCode)
	}
	if s := h.stats(t); s.Blobs != 1 {
		t.Fatalf("%d attachments stored", s.Blobs)
	}
}

// A cursor beyond the feed (a hub restored from an older copy) is answered with
// cursor_ahead, so the desk reads its feed again from the start.
func TestCursorAhead(t *testing.T) {
	h := newHub(t)
	tok := h.device(t, "DINKES", lapordesk.RoleUnit)
	h.push(t, tok, pushEvent(receipt(t, newReport("DINKES", "Satu"))))
	if code, body := h.do(t, "GET", wire.PathPull+"?after=1", tok, nil, nil); code != http.StatusOK || !strings.Contains(string(body), `"events":[]`) {
		t.Fatalf("at the end: %d %s", code, body)
	}
	if code, body := h.do(t, "GET", wire.PathPull+"?after=50", tok, nil, nil); code != http.StatusConflict || errorCode(body) != wire.CodeCursorAhead {
		t.Fatalf("ahead: %d %s", code, body)
	}
}

// Shutdown stops taking requests and lets those in flight finish.
func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inner := hub.NewServer(st, hub.Options{}).Handler()
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		inner.ServeHTTP(w, r)
	})
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- hub.Serve(ctx, slow, hub.ServeOptions{Addr: "127.0.0.1:0", Ready: func(a net.Addr) { addr <- a }})
	}()
	url := "http://" + (<-addr).String()
	got := make(chan int, 1)
	go func() {
		resp, err := http.Get(url + wire.PathHealth)
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	<-started
	cancel()
	if code := <-got; code != http.StatusOK {
		t.Fatalf("request in flight at shutdown: %d", code)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := http.Get(url + wire.PathHealth); err == nil {
		t.Fatal("the hub still answers after shutdown")
	}
}

// A file that is not a hub, such as a desk's data file, is refused and left as is.
func TestOpenRefusesOtherFiles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "desk.db")
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := hub.Open(ctx, path); !errors.Is(err, lapordesk.ErrNotStore) {
		t.Fatalf("opening a desk's file as a hub: %v", err)
	}
}

// A report that comes back to a unit (disposed, returned, disposed again) lists
// the unit twice in its history of holders; its feed still gets each event once.
func TestReportBackWithAUnit(t *testing.T) {
	h := newHub(t)
	a := h.device(t, "DINKES", lapordesk.RoleUnit)
	b := h.device(t, "PUPR", lapordesk.RoleUnit)
	c := h.device(t, "DISKOMINFO", lapordesk.RoleCoordinator)
	rec := receipt(t, newReport("DINKES", "Jalan rusak"))
	h.push(t, a, pushEvent(rec))
	rid := rec.ReportID
	steps := []struct {
		token string
		ev    lapordesk.Event
	}{
		{c, followOn(rid, lapordesk.EvVerified, "DISKOMINFO", 1, lapordesk.Payload{})},
		{c, followOn(rid, lapordesk.EvDisposed, "DISKOMINFO", 2, lapordesk.Payload{ToUnit: "PUPR"})},
		{b, followOn(rid, lapordesk.EvReturned, "PUPR", 3, lapordesk.Payload{Reason: "Bukan kewenangan"})},
		{c, followOn(rid, lapordesk.EvDisposed, "DISKOMINFO", 4, lapordesk.Payload{ToUnit: "PUPR"})},
		{b, followOn(rid, lapordesk.EvNoted, "PUPR", 5, lapordesk.Payload{Text: "Diterima kembali"})},
		{a, followOn(rid, lapordesk.EvNoted, "DINKES", 6, lapordesk.Payload{Text: "Dipantau"})},
	}
	for i, s := range steps {
		if res := h.push(t, s.token, pushEvent(s.ev))[0]; res.Status != wire.Accepted {
			t.Fatalf("step %d (%s): %+v", i, s.ev.Kind, res)
		}
	}
	for _, tok := range []string{a, b} {
		if got := h.pullAll(t, tok); len(got) != 7 || len(eventIDs(got)) != 7 {
			t.Fatalf("feed of %s: %d events, %d distinct", tok[:8], len(got), len(eventIDs(got)))
		}
	}
}

// The hub serves the reference data in its file, always: a change made by another
// process on the same file (lapordesk-server refdata import or unit add while the
// hub serves) reaches the desks without a restart.
func TestRefDataChangedByAnotherProcessIsServed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	serving, err := hub.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer serving.Close()
	before, etag, err := serving.RefData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli, err := hub.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	rd := before
	rd.Holidays = append(append([]lapordesk.Holiday(nil), rd.Holidays...), lapordesk.Holiday{Date: lapordesk.NewDate(2026, 12, 28), Name: "Hari Jadi Kabupaten Barru", Kind: lapordesk.HolidayRegional})
	if err := cli.SetRefData(ctx, rd); err != nil {
		t.Fatal(err)
	}
	if err := cli.PutUnit(ctx, lapordesk.Unit{Code: "DISDIK", Name: "Dinas Pendidikan"}); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	after, etag2, err := serving.RefData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if etag2 == etag || len(after.Holidays) != len(before.Holidays)+1 {
		t.Fatalf("the serving hub still gives the old reference data: %d holidays, etag %s", len(after.Holidays), etag2)
	}
	found := false
	for _, u := range after.Units {
		found = found || u.Code == "DISDIK"
	}
	if !found {
		t.Fatal("a unit added by another process is not served")
	}
	// Unchanged, it is the same version (desks get 304).
	if _, etag3, _ := serving.RefData(ctx); etag3 != etag2 {
		t.Fatalf("etag moved without a change: %s, %s", etag2, etag3)
	}
}
