package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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

	sctx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	var serveOut lockedBuffer
	go func() {
		var errOut bytes.Buffer
		done <- run(sctx, []string{"--db", db, "serve", "--addr", "127.0.0.1:0", "--log", "text"}, &serveOut, &errOut, func(string) string { return "en" })
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(serveOut.String(), "http://") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	url := regexp.MustCompile(`http://[0-9.:]+`).FindString(serveOut.String())
	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz at %q: %v", url, err)
	}
	resp.Body.Close()
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("serve ended with %d", code)
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
