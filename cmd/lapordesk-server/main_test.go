package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk/sync/hub"
	"github.com/lapordesk/lapordesk/sync/wire"
)

func srv(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut, func(k string) string {
		if k == "LAPORDESK_LANG" {
			return "en"
		}
		return ""
	})
	return code, out.String(), errOut.String()
}

var reToken = regexp.MustCompile(`^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$`)

// The hub's administration: units, enrolment tokens, devices, revocation,
// reference data, and serve until stopped.
func TestAdministration(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hub.db")
	if code, out, errOut := srv(t, ctx, "--db", db, "unit", "add", "DINKES", "Dinas Kesehatan"); code != 0 || !strings.Contains(out, "DINKES") {
		t.Fatalf("unit add: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := srv(t, ctx, "--db", db, "unit", "add", "bad code!", "X"); code != 1 || !strings.Contains(strings.ToLower(errOut), "unit code") {
		t.Fatalf("bad unit code: %d %s", code, errOut)
	}
	code, out, errOut := srv(t, ctx, "--db", db, "enroll", "--unit", "DINKES")
	tok := strings.TrimSpace(out)
	if code != 0 || !reToken.MatchString(tok) || !strings.Contains(errOut, "lapordesk enroll") {
		t.Fatalf("enroll: %d %q %s", code, out, errOut)
	}
	if code, _, _ := srv(t, ctx, "--db", db, "enroll", "--unit", "NOSUCH"); code != 1 {
		t.Fatalf("token for an unknown unit: %d", code)
	}
	if code, out, _ := srv(t, ctx, "--db", db, "devices"); code != 0 || !strings.Contains(out, "No devices") {
		t.Fatalf("devices: %s", out)
	}
	if code, _, _ := srv(t, ctx, "--db", db, "revoke", "not-a-uuid"); code != 1 {
		t.Fatalf("revoke garbage: %d", code)
	}
	if code, _, _ := srv(t, ctx, "--db", db, "revoke", "01a21b9e-541c-756e-891d-af3cc7b6f12d"); code != 1 {
		t.Fatalf("revoke an unknown device: %d", code)
	}

	exported := filepath.Join(t.TempDir(), "ref.json")
	if code, _, errOut := srv(t, ctx, "--db", db, "refdata", "export", exported); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(exported)
	b = bytes.Replace(b, []byte(`"verify_days": 3`), []byte(`"verify_days": 4`), 1)
	os.WriteFile(exported, b, 0o600)
	if code, out, errOut := srv(t, ctx, "--db", db, "refdata", "import", exported); code != 0 || !strings.Contains(out, "updated") {
		t.Fatalf("import: %s %s", out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, bytes.Replace(b, []byte(`"verify_days": 4`), []byte(`"verify_days": 0`), 1), 0o600)
	if code, _, _ := srv(t, ctx, "--db", db, "refdata", "import", bad); code != 1 {
		t.Fatalf("importing an invalid policy: %d", code)
	}
	if _, out, _ := srv(t, ctx, "--db", db, "refdata", "export"); !strings.Contains(out, `"verify_days": 4`) {
		t.Fatal("the invalid import changed the reference data")
	}

	// By default the hub serves HTTPS with a certificate of its own, kept beside
	// its file; tokens printed from then on carry its pin.
	url, out, stop := serve(t, db)
	fp := regexp.MustCompile(`fingerprint: ([0-9a-f]{64})`).FindStringSubmatch(out)
	if !strings.HasPrefix(url, "https://") || fp == nil {
		t.Fatalf("serve said: %s", out)
	}
	pinned := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if got := wire.Fingerprint(cs.PeerCertificates[0]); got != fp[1] {
				return fmt.Errorf("fingerprint %s, announced %s", got, fp[1])
			}
			return nil
		}}}}
	resp, err := pinned.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz at %q: %v", url, err)
	}
	resp.Body.Close()
	stop()
	_, keyFile := hub.CertFiles(db)
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the hub's key: %v %v", fi.Mode(), err)
	}
	_, out, _ = srv(t, ctx, "--db", db, "enroll", "--unit", "DINKES")
	if tok, pin := wire.SplitToken(strings.TrimSpace(out)); pin == "" || !wire.PinMatches(fp[1], pin) || !reToken.MatchString(wireGroups(tok)) {
		t.Fatalf("a token after serving: %q (pin %q, fingerprint %s)", out, pin, fp[1])
	}
	// Served again, the same certificate: the desks' pins hold.
	if _, again, stop := serve(t, db); !strings.Contains(again, fp[1]) {
		t.Fatalf("served again: %s", again)
	} else {
		stop()
	}
	// Plain HTTP only when asked, and tokens then carry no pin.
	url, _, stop = serve(t, db, "--plain-http")
	if resp, err := http.Get(url + "/healthz"); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(url, "http://") {
		t.Fatalf("plain healthz at %q: %v", url, err)
	} else {
		resp.Body.Close()
	}
	stop()
	if _, out, _ = srv(t, ctx, "--db", db, "enroll", "--unit", "DINKES"); !reToken.MatchString(strings.TrimSpace(out)) {
		t.Fatalf("a token after serving plain HTTP: %q", out)
	}
}

// wireGroups puts a normalized token back in its groups of four.
func wireGroups(tok string) string {
	var g []string
	for i := 0; i < len(tok); i += 4 {
		g = append(g, tok[i:min(i+4, len(tok))])
	}
	return strings.Join(g, "-")
}

// serve runs `serve` on a free loopback port until stop, and returns the address
// it announced and what it printed by then (the fingerprint comes before it).
func serve(t *testing.T, db string, extra ...string) (url, out string, stop func()) {
	t.Helper()
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var serveOut lockedBuffer
	go func() {
		var errOut bytes.Buffer
		done <- run(sctx, append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0", "--log", "text"}, extra...), &serveOut, &errOut, func(string) string { return "en" })
	}()
	re := regexp.MustCompile(`https?://[0-9.:]+`)
	deadline := time.Now().Add(10 * time.Second)
	for url = re.FindString(serveOut.String()); url == "" && time.Now().Before(deadline); url = re.FindString(serveOut.String()) {
		time.Sleep(10 * time.Millisecond)
	}
	return url, serveOut.String(), func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve ended with %d", code)
		}
	}
}

// lockedBuffer is written by the serving goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
