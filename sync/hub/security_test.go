package hub_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// A unit's token gets nothing of another unit's reports through any endpoint, and
// cannot write to them; what it is refused looks the same whether the report
// exists or not. The coordinator sees everything; a report handed to a unit
// reaches it with its history.
func TestUnitGetsNothingOfAnotherUnit(t *testing.T) {
	h := newHub(t)
	a := h.device(t, "DINKES", lapordesk.RoleUnit)
	b := h.device(t, "PUPR", lapordesk.RoleUnit)
	c := h.device(t, "DISKOMINFO", lapordesk.RoleCoordinator)

	photo := []byte("foto jembatan putus milik PUPR")
	sum := sha256.Sum256(photo)
	sha := hex.EncodeToString(sum[:])
	n := newReport("PUPR", "Jembatan hampir putus")
	n.Attachments = []lapordesk.Attachment{{Name: "jembatan.jpg", MIME: "image/jpeg", Size: int64(len(photo)), SHA256: sha}}
	bRec := receipt(t, n)
	if res := h.push(t, b, pushEvent(bRec)); res[0].Status != wire.Accepted {
		t.Fatalf("B's receipt: %+v", res[0])
	}
	put := func(token string, data []byte) (int, []byte) {
		return h.do(t, "PUT", wire.PathBlobs+sha, token, data, map[string]string{wire.HeaderOffset: "0", wire.HeaderLength: strconv.Itoa(len(data))})
	}
	if code, body := put(a, photo); code != http.StatusNotFound {
		t.Fatalf("A uploads B's attachment: %d %s", code, body)
	}
	if code, body := put(b, photo); code != http.StatusNoContent {
		t.Fatalf("B uploads its attachment: %d %s", code, body)
	}
	aRec := receipt(t, newReport("DINKES", "Antrean puskesmas"))
	h.push(t, a, pushEvent(aRec))

	// Reading.
	if got := eventIDs(h.pullAll(t, a)); len(got) != 1 || !got[aRec.ID] {
		t.Fatalf("A's feed: %v", got)
	}
	for _, m := range []string{"GET", "HEAD"} {
		if code, _ := h.do(t, m, wire.PathBlobs+sha, a, nil, map[string]string{"Range": "bytes=0-"}); code != http.StatusNotFound {
			t.Fatalf("A %s B's attachment: %d", m, code)
		}
	}
	code, body := h.do(t, "POST", wire.PathBlobStatus, a, mustJSON(wire.BlobStatusRequest{SHA256: []string{sha}}), nil)
	var status wire.BlobStatusResponse
	json.Unmarshal(body, &status)
	if code != http.StatusOK || len(status.Have) != 0 || len(status.Partial) != 0 {
		t.Fatalf("A's blob status of B's attachment: %d %s", code, body)
	}
	code, body = h.do(t, "GET", wire.PathMe, a, nil, nil)
	if code != http.StatusOK || !strings.Contains(string(body), `"DINKES"`) || strings.Contains(string(body), "PUPR") {
		t.Fatalf("A's /me: %s", body)
	}

	// Writing.
	ghost := uuid.New()
	cases := []struct {
		name string
		ev   lapordesk.Event
		code int
	}{
		{"a note on B's report", followOn(bRec.ReportID, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Text: "intip"}), 404},
		{"B's receipt sent again", bRec, 403},                // refused for its unit, before any lookup
		{"B's event ID under A's name", stolenID(bRec), 404}, // not "duplicate", not "taken"
		{"a receipt for PUPR", receipt(t, newReport("PUPR", "Palsu")), 403},
		{"an event in PUPR's name", followOn(aRec.ReportID, lapordesk.EvNoted, "PUPR", 1, lapordesk.Payload{Text: "palsu"}), 403},
	}
	before := h.stats(t)
	for _, tc := range cases {
		res := h.push(t, a, pushEvent(tc.ev))[0]
		if res.Status != wire.Refused || res.Code != tc.code {
			t.Errorf("%s: %+v", tc.name, res)
		}
	}
	// Refused for a report that exists and for one that does not: the same words.
	onB := h.push(t, a, pushEvent(followOn(bRec.ReportID, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Text: "x"})))[0]
	onGhost := h.push(t, a, pushEvent(followOn(ghost, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Text: "x"})))[0]
	if onB.Code != onGhost.Code || strings.ReplaceAll(onB.Reason, bRec.ReportID.String(), "") != strings.ReplaceAll(onGhost.Reason, ghost.String(), "") {
		t.Errorf("refusals tell an existing report from a missing one:\n %+v\n %+v", onB, onGhost)
	}
	if after := h.stats(t); after != before {
		t.Fatalf("refused pushes changed the hub: %+v -> %+v", before, after)
	}

	// The coordinator sees all and hands B's report to DINKES: A now receives it
	// with its history, and may fetch its attachment.
	if got := eventIDs(h.pullAll(t, c)); len(got) != 2 {
		t.Fatalf("coordinator's feed: %d events", len(got))
	}
	verify := followOn(bRec.ReportID, lapordesk.EvVerified, "DISKOMINFO", 1, lapordesk.Payload{})
	dispose := followOn(bRec.ReportID, lapordesk.EvDisposed, "DISKOMINFO", 2, lapordesk.Payload{ToUnit: "DINKES", Instructions: []string{"Proses"}})
	for _, r := range h.push(t, c, pushEvent(verify), pushEvent(dispose)) {
		if r.Status != wire.Accepted {
			t.Fatalf("coordinator: %+v", r)
		}
	}
	got := eventIDs(h.pullAll(t, a))
	for _, id := range []uuid.UUID{aRec.ID, bRec.ID, verify.ID, dispose.ID} {
		if !got[id] {
			t.Fatalf("A's feed after the disposition lacks %s", id)
		}
	}
	if code, body := h.do(t, "GET", wire.PathBlobs+sha, a, nil, nil); code != http.StatusOK || !bytes.Equal(body, photo) {
		t.Fatalf("A fetches the attachment of a report now with it: %d", code)
	}
	if got := eventIDs(h.pullAll(t, b)); !got[dispose.ID] {
		t.Fatal("B no longer receives the report it held")
	}
}

// Every endpoint that needs a device answers 401 to no token, a malformed one, a
// forged one and a revoked one.
func TestRevokedAndForgedTokensGet401(t *testing.T) {
	h := newHub(t)
	good := h.device(t, "DINKES", lapordesk.RoleUnit)
	revoked := h.device(t, "DINKES", lapordesk.RoleUnit)
	id, _ := uuid.Parse(strings.SplitN(revoked, ".", 2)[0])
	if err := h.st.Revoke(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	forged := wire.DeviceToken(uuid.New(), secret())
	stolenID := strings.SplitN(good, ".", 2)[0] + "." + secret() // a real device ID, a guessed secret
	sha := strings.Repeat("ab", 32)
	endpoints := []struct{ method, path string }{
		{"GET", wire.PathMe}, {"GET", wire.PathRefData}, {"POST", wire.PathPush}, {"GET", wire.PathPull + "?after=0"},
		{"POST", wire.PathBlobStatus}, {"GET", wire.PathBlobs + sha}, {"HEAD", wire.PathBlobs + sha}, {"PUT", wire.PathBlobs + sha},
	}
	for _, tok := range []string{"", "garbage", "a.b", forged, stolenID, revoked} {
		for _, ep := range endpoints {
			code, body := h.do(t, ep.method, ep.path, tok, []byte(`{"events":[]}`), nil)
			if code != http.StatusUnauthorized || ep.method != "HEAD" && errorCode(body) != wire.CodeUnauthorized {
				t.Errorf("%s %s with token %q: %d %s", ep.method, ep.path, tok, code, body)
			}
		}
	}
	if code, _ := h.do(t, "GET", wire.PathMe, good, nil, nil); code != http.StatusOK {
		t.Fatalf("the good token: %d", code)
	}
}

// Oversized, malformed or hostile bodies get a 4xx naming the problem and change
// nothing on the hub.
func TestBadBodiesChangeNothing(t *testing.T) {
	h := newHub(t)
	tok := h.device(t, "DINKES", lapordesk.RoleUnit)
	rec := receipt(t, newReport("DINKES", "Laporan awal"))
	h.push(t, tok, pushEvent(rec))
	before := h.stats(t)

	whole := []struct {
		name string
		body []byte
		code int
	}{
		{"over 16 MiB", bytes.Repeat([]byte(" "), wire.MaxPushBytes+10), http.StatusRequestEntityTooLarge},
		{"not JSON", []byte(`{"events": [`), http.StatusBadRequest},
		{"unknown field", []byte(`{"events": [], "drop": true}`), http.StatusBadRequest},
		{"two documents", []byte(`{"events": []} {"events": []}`), http.StatusBadRequest},
		{"too many events", mustJSON(wire.PushRequest{Events: make([]wire.PushEvent, wire.MaxPushEvents+1)}), http.StatusRequestEntityTooLarge},
	}
	for _, tc := range whole {
		code, body := h.do(t, "POST", wire.PathPush, tok, tc.body, nil)
		if code != tc.code || errorCode(body) == "" {
			t.Errorf("push %s: %d %s", tc.name, code, body)
		}
	}
	// Gzipped bodies: the limit holds on what they unpack to, and only gzip is taken.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte(" "), wire.MaxPushBytes+10))
	zw.Close()
	for _, tc := range []struct {
		name, enc string
		body      []byte
		code      int
	}{
		{"gzip bomb", "gzip", bomb.Bytes(), http.StatusRequestEntityTooLarge},
		{"not gzip", "gzip", []byte(`{"events": []}`), http.StatusBadRequest},
		{"brotli", "br", []byte(`{"events": []}`), http.StatusBadRequest},
	} {
		code, body := h.do(t, "POST", wire.PathPush, tok, tc.body, map[string]string{"Content-Encoding": tc.enc})
		if code != tc.code || errorCode(body) == "" {
			t.Errorf("push %s (%d bytes): %d %s", tc.name, len(tc.body), code, body)
		}
	}

	tamper := func(fn func(*lapordesk.Event)) wire.PushEvent {
		e := followOn(rec.ReportID, lapordesk.EvNoted, "DINKES", 1, lapordesk.Payload{Text: "catatan"})
		fn(&e)
		return pushEvent(e)
	}
	big := tamper(func(e *lapordesk.Event) { e.Payload.Text = strings.Repeat("x", wire.MaxEventBytes) })
	badHash := tamper(func(*lapordesk.Event) {})
	badHash.Hash = strings.Repeat("0", 64)
	spaced := tamper(func(*lapordesk.Event) {})
	spaced.Body = append([]byte(" "), spaced.Body...)
	spaced.Hash = hashOf(spaced.Body)
	invalidUTF8 := tamper(func(e *lapordesk.Event) { e.Payload.Text = "rusak \xff\xfe" })
	invalidUTF8.Body = bytes.Replace(invalidUTF8.Body, []byte(`\ufffd\ufffd`), []byte("\xff\xfe"), 1)
	invalidUTF8.Hash = hashOf(invalidUTF8.Body)
	emptyTitle := newReport("DINKES", "x")
	emptyTitle.Title = ""
	badReceipt, _ := lapordesk.Receive(newReport("DINKES", "x"), "", time.Now())
	badReceipt.Payload.Report.Title = ""
	anon := newReport("DINKES", "Pungli")
	anon.Confidentiality = lapordesk.Anonim
	anon.Reporter = lapordesk.Reporter{Name: lapordesk.AnonymousName}
	leak := receipt(t, anon)
	leak.Payload.Report.Reporter = lapordesk.Reporter{Name: "Nama Asli Pelapor", Phone: "0811111111"}
	items := []struct {
		name string
		pe   wire.PushEvent
		code int
	}{
		{"an event over 256 KiB", big, http.StatusRequestEntityTooLarge},
		{"a wrong hash", badHash, http.StatusBadRequest},
		{"a body not in canonical form", spaced, http.StatusBadRequest},
		{"invalid UTF-8", invalidUTF8, http.StatusBadRequest},
		{"an unknown kind", tamper(func(e *lapordesk.Event) { e.Kind = "deleted" }), http.StatusUnprocessableEntity},
		{"no report ID", tamper(func(e *lapordesk.Event) { e.ReportID = uuid.Nil }), http.StatusBadRequest},
		{"a receipt without a title", pushEvent(badReceipt), http.StatusUnprocessableEntity},
		{"an Anonim receipt carrying the identity", pushEvent(leak), http.StatusUnprocessableEntity},
		// The domain's own rules, as every desk applies them to its own events.
		{"a note with terminal escapes", tamper(func(e *lapordesk.Event) { e.Payload.Text = "lihat \x1b[2J\x1b[31mPENTING" }), http.StatusUnprocessableEntity},
		{"a note of 200 000 characters", tamper(func(e *lapordesk.Event) { e.Payload.Text = strings.Repeat("x", 200_000) }), http.StatusUnprocessableEntity},
		{"an event of the year 1", tamper(func(e *lapordesk.Event) { e.At = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }), http.StatusBadRequest},
		{"an event of the year 9999", tamper(func(e *lapordesk.Event) { e.At = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) }), http.StatusUnprocessableEntity},
		{"an attachment named as a path", tamper(func(e *lapordesk.Event) {
			e.Payload.Attachments = []lapordesk.Attachment{{Name: "../../x.sh", SHA256: strings.Repeat("ab", 32), Size: 1}}
		}), http.StatusUnprocessableEntity},
		{"an attachment named as a Windows path", tamper(func(e *lapordesk.Event) {
			e.Payload.Attachments = []lapordesk.Attachment{{Name: `C:\Windows\x.bat`, SHA256: strings.Repeat("ab", 32), Size: 1}}
		}), http.StatusUnprocessableEntity},
		{"an attachment whose hash is no hash", tamper(func(e *lapordesk.Event) {
			e.Payload.Attachments = []lapordesk.Attachment{{Name: "foto.jpg", SHA256: "bukan-hash", Size: 1}}
		}), http.StatusUnprocessableEntity},
		{"a title that reads backwards", pushEvent(func() lapordesk.Event {
			r := receipt(t, newReport("DINKES", "Laporan data"))
			r.Payload.Report.Title = "Laporan \u202eatad\u202c"
			return r
		}()), http.StatusUnprocessableEntity},
		{"a disposition to a unit that does not exist", tamper(func(e *lapordesk.Event) {
			e.Kind, e.Payload.Text, e.Payload.ToUnit = lapordesk.EvDisposed, "", "TIDAKADA"
		}), http.StatusUnprocessableEntity},
	}
	for _, tc := range items {
		res := h.push(t, tok, tc.pe)[0]
		if res.Status != wire.Refused || res.Code != tc.code || res.Reason == "" {
			t.Errorf("%s: %+v", tc.name, res)
		}
	}

	for _, q := range []string{"after=-1", "after=x", "after=0&limit=0", "after=0&limit=99999"} {
		if code, _ := h.do(t, "GET", wire.PathPull+"?"+q, tok, nil, nil); code != http.StatusBadRequest {
			t.Errorf("pull %s: %d", q, code)
		}
	}
	if code, _ := h.do(t, "POST", wire.PathBlobStatus, tok, mustJSON(wire.BlobStatusRequest{SHA256: []string{"../../etc/passwd"}}), nil); code/100 != 4 {
		t.Errorf("blob status with a bad hash: %d", code)
	}
	sha := strings.Repeat("cd", 32)
	chunk := func(off, total string, body []byte) int {
		code, _ := h.do(t, "PUT", wire.PathBlobs+sha, tok, body, map[string]string{wire.HeaderOffset: off, wire.HeaderLength: total})
		return code
	}
	if code := chunk("0", strconv.Itoa(wire.MaxBlobSize+1), []byte("x")); code != http.StatusRequestEntityTooLarge {
		t.Errorf("attachment over the limit: %d", code)
	}
	if code := chunk("0", strconv.Itoa(wire.MaxChunk+1), make([]byte, wire.MaxChunk+1)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("chunk over the limit: %d", code)
	}
	if code := chunk("x", "1", []byte("x")); code != http.StatusBadRequest {
		t.Errorf("malformed offset: %d", code)
	}
	if code, _ := h.do(t, "POST", wire.PathEnroll, "", []byte(`{"token": 5}`), nil); code != http.StatusBadRequest {
		t.Errorf("malformed enrolment: %d", code)
	}
	if code, body := h.do(t, "GET", wire.PathMe, tok, nil, map[string]string{wire.HeaderProtocol: "2"}); code != http.StatusUpgradeRequired || errorCode(body) != wire.CodeProtocol {
		t.Errorf("protocol 2: %d %s", code, body)
	}
	if after := h.stats(t); after != before {
		t.Fatalf("bad bodies changed the hub: %+v -> %+v", before, after)
	}
}

// stolenID is A's own receipt under the ID of B's event.
func stolenID(e lapordesk.Event) lapordesk.Event {
	n := *e.Payload.Report
	n.Unit = "DINKES"
	e.Unit, e.Payload.Report = "DINKES", &n
	return e
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Clients that send an enrolment's headers and then trickle its body (or nothing)
// never hold the hub's request slots: a desk's sync is served meanwhile.
func TestSlowEnrolmentsDoNotStarveTheDesks(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	tok := h.device(t, "DINKES", lapordesk.RoleUnit)
	host := strings.TrimPrefix(h.url, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 100 { // more than the hub's 64 slots
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{\"token\": \"", wire.PathEnroll, host)
	}
	time.Sleep(300 * time.Millisecond) // the hub has read every set of headers
	for i := range 5 {
		if code, body := h.do(t, "GET", wire.PathMe, tok, nil, nil); code != http.StatusOK {
			t.Fatalf("a desk's request %d among 100 trickling enrolments: %d %s", i, code, body)
		}
	}
	// A body over the small limit is refused at once.
	if code, _ := h.do(t, "POST", wire.PathEnroll, "", bytes.Repeat([]byte(" "), 8<<10), nil); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("an 8 KB enrolment: %d", code)
	}
}

// One client cannot hold the hub: requests with a bad token are answered 401 at
// once, body unread, and a device with a good token trickling bodies holds a few
// slots at most (the rest 429 at once); another desk is served all along.
func TestOneClientCannotHoldTheHub(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	desk := h.device(t, "DINKES", lapordesk.RoleUnit)
	hostile := h.device(t, "PUPR", lapordesk.RoleUnit)
	host := strings.TrimPrefix(h.url, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	// open sends a push's headers and the start of its body, and never the rest.
	open := func(token string) net.Conn {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 90000\r\n\r\n{\"events\": [", wire.PathPush, host, token)
		return c
	}
	status := func(c net.Conn) string {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		line := make([]byte, 12)
		if _, err := io.ReadFull(c, line); err != nil {
			return "no answer: " + err.Error()
		}
		return string(line[9:12])
	}
	forged := wire.DeviceToken(uuid.New(), secret())
	for i := range 100 {
		c := open(forged)
		if i%20 == 0 {
			if got := status(c); got != "401" {
				t.Fatalf("a forged token's trickling push %d: %s", i, got)
			}
		}
	}
	var answers = map[string]int{}
	for range 20 {
		c := open(hostile)
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		line := make([]byte, 12)
		if _, err := io.ReadFull(c, line); err != nil {
			answers["held"]++
		} else {
			answers[string(line[9:12])]++
		}
	}
	if answers["held"] != 4 || answers["429"] != 16 {
		t.Fatalf("20 trickling pushes of one device: %v, want 4 held and 16 answered 429", answers)
	}
	for i := range 5 {
		if code, body := h.do(t, "GET", wire.PathMe, desk, nil, nil); code != http.StatusOK {
			t.Fatalf("a desk's request %d beside the hostile clients: %d %s", i, code, body)
		}
	}
}
