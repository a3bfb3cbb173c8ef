package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// buildDesk builds the lapordesk program into a temporary folder.
func buildDesk(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go" // where Go is installed on the CI machines
	}
	bin := filepath.Join(t.TempDir(), "lapordesk")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command(goBin, "build", "-o", bin, "github.com/lapordesk/lapordesk/cmd/lapordesk").CombinedOutput()
	if err != nil {
		t.Fatalf("build lapordesk: %v\n%s", err, out)
	}
	return bin
}

// `lapordesk sync` killed (SIGKILL) at random points of its rounds, over and over,
// while the desk and another desk of its unit keep working: after every kill the
// data file is sound, and one more sync converges with the hub.
//
// Not parallel: where the kills land depends on how fast the program runs.
func TestSyncKilledAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and kills it repeatedly")
	}
	ctx := context.Background()
	bin := buildDesk(t)
	h := startHub(t)
	px := newFaultProxy(t, h.url, 7)
	px.set(func(p *faultProxy) { p.latency = 4 * time.Millisecond }) // a slow line: kills land mid-round
	a := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	path := a.st.Path()
	enroll(t, h, a, px.url)
	a.st.Close()
	other := newDesk(t, h, "a2", "DINKES", lapordesk.RoleUnit)
	rng := rand.New(rand.NewPCG(42, 4242))

	const kills = 10
	killed := map[string]int{}
	for i := 0; i < kills; i++ {
		work(t, rng, path, 12)
		randomReceipt(t, rng, other)
		randomAction(t, rng, other)
		other.sync(t)

		cmd := exec.Command(bin, "--db", path, "sync", "--batch", "4", "--page", "6")
		cmd.Env = append(os.Environ(), "LAPORDESK_LANG=en")
		var phases lastLine
		cmd.Stderr = &phases
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill once the program has said it reached its k-th step, plus a moment:
		// a kill timed from the start alone lands after the end on a fast machine.
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		k, pause := 1+rng.IntN(3), time.Duration(rng.IntN(30))*time.Millisecond
		deadline := time.Now().Add(10 * time.Second)
		for phases.lines() < k && time.Now().Before(deadline) && len(done) == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(pause)
		_ = cmd.Process.Kill()
		err := <-done
		switch {
		case err == nil:
			killed["(finished first)"]++
		case strings.Contains(err.Error(), "killed"):
			killed["after "+phases.phase()]++
		default:
			t.Fatalf("sync %d: %v\n%s", i, err, phases.String())
		}
		st, err := storage.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Check(ctx); err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		st.Close()
	}
	for i := 0; i < 2; i++ {
		out, err := exec.Command(bin, "--db", path, "sync", "--quiet").CombinedOutput()
		if err != nil {
			t.Fatalf("final sync: %v\n%s", err, out)
		}
	}
	other.sync(t)
	t.Logf("killed during: %v", killed)
	if killed["(finished first)"] == kills {
		t.Fatal("no sync was killed midway: the test proved nothing")
	}
	a = openDeskFile(t, path, "a", "DINKES", lapordesk.RoleUnit)
	checkConverged(t, h, a, other)
}

// work opens the desk's file as the program would, and records reports and actions.
func work(t *testing.T, rng *rand.Rand, path string, n int) {
	t.Helper()
	d := openDeskFile(t, path, "a", "DINKES", lapordesk.RoleUnit)
	defer d.st.Close()
	for i := 0; i < n; i++ {
		if i%3 == 2 {
			randomAction(t, rng, d)
		} else {
			randomReceipt(t, rng, d)
		}
	}
}

// lastLine keeps a child's progress lines (one per step it finished) and tells the
// last step finished.
type lastLine struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lastLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lastLine) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lines counts the lines written so far.
func (l *lastLine) lines() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Count(l.buf.Bytes(), []byte("\n"))
}

func (l *lastLine) phase() string {
	last := "connecting"
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	for sc.Scan() {
		if p, _, ok := strings.Cut(sc.Text(), ":"); ok {
			last = p
		}
	}
	return last
}
