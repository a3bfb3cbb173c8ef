package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/hub"
)

// runIn runs the program in-process and returns its exit status and output.
func runIn(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func startTestHub(t *testing.T) (*hub.Store, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []lapordesk.Unit{{Code: "DINKES", Name: "Dinas Kesehatan"}, {Code: "PUPR", Name: "Dinas PUPR"}} {
		if err := st.PutUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- hub.Serve(ctx, hub.NewServer(st, hub.Options{}).Handler(), hub.ServeOptions{Addr: "127.0.0.1:0", Ready: func(a net.Addr) { ready <- a }})
	}()
	url := "http://" + (<-ready).String()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return st, url
}

func token(t *testing.T, st *hub.Store, unit string) string {
	t.Helper()
	tok, _, err := st.NewEnrolment(context.Background(), unit, lapordesk.RoleUnit, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Two desks exchange a report through `lapordesk enroll`, `sync` and `status`.
func TestEnrollSyncStatus(t *testing.T) {
	st, url := startTestHub(t)
	env := map[string]string{"LAPORDESK_LANG": "en"}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	for _, db := range []string{a, b} {
		if code, _, errOut := runIn(t, env, "--db", db, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru"); code != 0 {
			t.Fatal(errOut)
		}
	}
	if code, out, _ := runIn(t, env, "--db", a, "status", "--offline"); code != 0 || !strings.Contains(out, "Not enrolled") {
		t.Fatalf("status before enrolment: %d %s", code, out)
	}
	if code, _, errOut := runIn(t, env, "--db", a, "sync"); code != 1 || !strings.Contains(errOut, "not enrolled") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("sync before enrolment: %d %q", code, errOut)
	}
	if code, _, _ := runIn(t, env, "--db", a, "enroll", "--server", url); code != 2 {
		t.Fatalf("enroll without a token: %d", code)
	}
	for _, db := range []string{a, b} {
		if code, out, errOut := runIn(t, env, "--db", db, "enroll", "--server", url, "--token", token(t, st, "DINKES")); code != 0 || !strings.Contains(out, "enrolled") {
			t.Fatalf("enroll: %d %s %s", code, out, errOut)
		}
	}
	if code, _, errOut := runIn(t, env, "--db", a, "add", "--title", "Antrean puskesmas", "--body", "Lama sekali.", "--reporter-name", "Siti"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runIn(t, env, "--db", a, "sync")
	if code != 0 || !strings.Contains(out, "Sync done: 1 sent, 0 received, 0 conflicts.") || !strings.Contains(errOut, "Sending: sent 1/1, received 0/?") {
		t.Fatalf("sync a: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runIn(t, env, "--db", b, "sync", "--quiet"); code != 0 || !strings.Contains(out, "0 sent, 1 received") {
		t.Fatalf("sync b: %d %s", code, out)
	}
	if code, out, _ := runIn(t, env, "--db", b, "list"); code != 0 || !strings.Contains(out, "Antrean puskesmas") {
		t.Fatalf("b's list: %s", out)
	}
	code, out, _ = runIn(t, env, "--db", b, "status")
	for _, want := range []string{"Online", url, "DINKES", "Waiting to be sent:  0", "1 received"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("status lacks %q:\n%s", want, out)
		}
	}
	if code, _, errOut := runIn(t, env, "--db", a, "enroll", "--server", url, "--token", token(t, st, "DINKES")); code != 1 || !strings.Contains(errOut, "already enrolled") {
		t.Fatalf("second enrolment: %d %s", code, errOut)
	}
}

// A training store is never enrolled, and an enrolled store never gets demo data.
func TestTrainingStoresStayOffTheHub(t *testing.T) {
	st, url := startTestHub(t)
	env := map[string]string{"LAPORDESK_LANG": "en"}
	dir := t.TempDir()
	demo := filepath.Join(dir, "latihan.db")
	if code, _, errOut := runIn(t, env, "--db", demo, "demo", "--count", "5"); code != 0 {
		t.Fatal(errOut)
	}
	code, _, errOut := runIn(t, env, "--db", demo, "enroll", "--server", url, "--token", token(t, st, "DINKES"))
	if code != 1 || !strings.Contains(errOut, "training") {
		t.Fatalf("enrolling a demo store: %d %s", code, errOut)
	}
	real := filepath.Join(dir, "real.db")
	runIn(t, env, "--db", real, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru")
	if code, _, errOut := runIn(t, env, "--db", real, "enroll", "--server", url, "--token", token(t, st, "DINKES")); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, _ := runIn(t, env, "--db", real, "demo", "--count", "5"); code != 1 {
		t.Fatalf("demo on an enrolled store: %d", code)
	}
	if s, _ := st.Stats(context.Background()); s.Events != 0 {
		t.Fatalf("the hub holds %d events", s.Events)
	}
}
