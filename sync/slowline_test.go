package sync_test

import (
	"context"
	"encoding/base32"
	"fmt"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// A first sync over a 64 kbit/s line finishes: pages are sized by the rate the
// desk measures, so each fits well inside the timeout, where a page sized for the
// office LAN would time out and start over, again and again. The reports' texts
// are random, so gzip cannot hide the line's speed. (Scaled down: an 8 s timeout
// for the desk's 2 minutes, 200 reports for a unit's thousands.)
func TestFirstSyncOverA64kbitLine(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("takes about 20 s on the throttled line")
	}
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	for i := range 200 {
		n := sample(fmt.Sprintf("Laporan %d", i))
		n.Body = base32.StdEncoding.EncodeToString(randomBytes(uint64(i), 600))
		a.receive(t, n)
	}
	a.sync(t)

	px := newFaultProxy(t, h.url, 64)
	b := openDesk(t, "b", "DINKES", lapordesk.RoleUnit)
	enroll(t, h, b, px.url)
	px.set(func(p *faultProxy) { p.line = 8000 }) // 64 kbit/s
	b.opts.Client = lsync.ClientOptions{Timeout: 8 * time.Second, Retries: 1, RetryWait: time.Millisecond, RetryMaxWait: time.Millisecond}
	var mid []lsync.Progress // what the window shows while it goes
	b.opts.Progress = func(p lsync.Progress) {
		if p.Phase == lsync.PhasePull && p.Received > 0 && p.Received < p.ToReceive {
			mid = append(mid, p)
		}
	}
	start := time.Now()
	s, err := lsync.Run(ctx, b.st, b.opts)
	if err != nil {
		t.Fatalf("the first sync over 64 kbit/s after %s: %v", time.Since(start).Round(time.Second), err)
	}
	if s.Received != 200 {
		t.Fatalf("the first sync: %+v", s)
	}
	t.Logf("200 reports over 64 kbit/s in %s, %d bytes through the line; %d pages", time.Since(start).Round(100*time.Millisecond), px.bytes, len(mid)+1)
	if len(mid) < 3 {
		t.Fatalf("the pull came in %d pages: it was not paced", len(mid)+1)
	}
	for _, p := range mid {
		if p.Bytes <= 0 || p.Left <= 0 || p.Left > time.Minute {
			t.Fatalf("mid-pull progress without its bytes or a believable time left: %+v", p)
		}
	}
	checkConverged(t, h, a, b)
}
