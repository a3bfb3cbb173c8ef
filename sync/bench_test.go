package sync_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
	"github.com/lapordesk/lapordesk/sync/hub"
)

// Benchmarks (docs/benchmarks-sync.md):
//
//	go test ./sync -run '^$' -bench . -benchtime 1x
//
// Each reports events/s and a ratio to a baseline measured in the same run on the
// same machine: pushing or pulling over HTTP against writing the same events
// straight into a store; a sync with nothing new against one /healthz round trip.

// demoEvents returns at least n events of synthetic reports (DINKES's reports, some
// received through the coordinator), deterministic.
func demoEvents(n int) []lapordesk.Event {
	g := demo.New(demo.Options{Seed: 7, Count: n, Now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Unit: "DINKES"})
	var out []lapordesk.Event
	for len(out) < n {
		batch := g.Next(100)
		if len(batch) == 0 {
			break
		}
		out = append(out, batch...)
	}
	return out
}

// record writes events into st as this desk's own, in batches.
func record(b *testing.B, st *storage.Store, evs []lapordesk.Event) time.Duration {
	b.Helper()
	start := time.Now()
	for i := 0; i < len(evs); {
		j := min(i+2000, len(evs))
		for j < len(evs) && evs[j].Kind != lapordesk.EvReceived {
			j++ // keep a report's events in one batch
		}
		if err := st.Record(context.Background(), evs[i:j]); err != nil {
			b.Fatal(err)
		}
		i = j
	}
	return time.Since(start)
}

// countingListener counts the bytes the hub reads and writes: what a sync costs
// on the wire, headers included.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.n}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// benchHub is a hub whose traffic is counted.
func benchHub(b *testing.B) (*testHub, *atomic.Int64) {
	b.Helper()
	st, err := hub.Open(context.Background(), filepath.Join(b.TempDir(), "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range defaultUnits {
		st.PutUnit(context.Background(), u)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	n := &atomic.Int64{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- hub.Serve(ctx, hub.NewServer(st, hub.Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}).Handler(), hub.ServeOptions{Listener: countingListener{ln, n}})
	}()
	h := &testHub{st: st, url: "http://" + ln.Addr().String(), stop: func() { cancel(); <-done }}
	b.Cleanup(func() { h.stop(); st.Close() })
	return h, n
}

func BenchmarkPush10k(b *testing.B) {
	evs := demoEvents(10000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h, _ := benchHub(b)
		base := openDesk(b, "base", "DISKOMINFO", lapordesk.RoleCoordinator)
		local := record(b, base.st, evs)
		c := newDesk(b, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
		record(b, c.st, evs)
		b.StartTimer()
		start := time.Now()
		s := c.sync(b)
		took := time.Since(start)
		if s.Sent != len(evs) {
			b.Fatalf("sent %d of %d", s.Sent, len(evs))
		}
		b.ReportMetric(float64(len(evs))/took.Seconds(), "events/s")
		b.ReportMetric(took.Seconds()/local.Seconds(), "x-local-write")
	}
}

func BenchmarkPull100k(b *testing.B) {
	evs := demoEvents(100000)
	h, _ := benchHub(b)
	src := newDesk(b, h, "src", "DISKOMINFO", lapordesk.RoleCoordinator)
	record(b, src.st, evs)
	src.sync(b)
	// The baseline: the same events applied straight into a store, page by page.
	remote := make([]storage.RemoteEvent, len(evs))
	outbox, err := src.st.Outbox(context.Background(), 1)
	if err != nil || len(outbox) != 0 {
		b.Fatalf("source outbox: %d %v", len(outbox), err)
	}
	hashes, _ := src.st.EventHashes(context.Background())
	if len(hashes) != len(evs) {
		b.Fatalf("source holds %d events", len(hashes))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := newDesk(b, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
		base := openDesk(b, "base", "DISKOMINFO", lapordesk.RoleCoordinator)
		// Number the events as the hub did: its order is the order of arrival.
		for j, e := range evs {
			remote[j] = storage.RemoteEvent{HubSeq: int64(j + 1), Event: sealed(e)}
		}
		start := time.Now()
		for j := 0; j < len(remote); j += 1000 {
			k := min(j+1000, len(remote))
			if _, err := base.st.ApplyRemote(context.Background(), remote[j:k], int64(k)); err != nil {
				b.Fatal(err)
			}
		}
		local := time.Since(start)
		b.StartTimer()
		start = time.Now()
		s := c.sync(b)
		took := time.Since(start)
		if s.Received != len(evs) {
			b.Fatalf("received %d of %d", s.Received, len(evs))
		}
		b.ReportMetric(float64(len(evs))/took.Seconds(), "events/s")
		b.ReportMetric(took.Seconds()/local.Seconds(), "x-local-apply")
	}
}

// sealed is the event as a desk sends it: an Anonim identity masked.
func sealed(e lapordesk.Event) lapordesk.Event {
	if e.Payload.Report != nil && e.Payload.Report.Confidentiality == lapordesk.Anonim {
		n := *e.Payload.Report
		n.Reporter = n.Reporter.Masked(lapordesk.Anonim)
		e.Payload.Report = &n
	}
	e.At = lapordesk.NormalizeTime(e.At)
	return e
}

// A sync with nothing new, on a desk holding 10k events: its time and bytes.
func BenchmarkSyncNothingNew(b *testing.B) {
	h, wire := benchHub(b)
	c := newDesk(b, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
	record(b, c.st, demoEvents(10000))
	c.sync(b)
	c.sync(b)
	client, err := lsync.NewClient(h.url, "", fastClient())
	if err != nil {
		b.Fatal(err)
	}
	var probe, round time.Duration
	var bytes int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := client.Health(context.Background()); err != nil {
			b.Fatal(err)
		}
		probe += time.Since(start)
		before := wire.Load()
		start = time.Now()
		s := c.sync(b)
		round += time.Since(start)
		bytes += wire.Load() - before
		if s.Sent+s.Received != 0 {
			b.Fatalf("something new: %+v", s)
		}
	}
	b.ReportMetric(float64(round.Microseconds())/float64(b.N)/1000, "ms/sync")
	b.ReportMetric(float64(bytes)/float64(b.N), "bytes/sync")
	b.ReportMetric(round.Seconds()/probe.Seconds(), "x-healthz")
}

// BenchmarkFirstSync64kbit is a unit's first sync of 5 000 events (LAPORDESK_BENCH_N)
// over a line throttled to 64 kbit/s each way, cut off halfway (the round's context
// ends, as a pulled plug or a closed laptop would) and then resumed: the second
// round must carry only the rest. It reports the wall time, the bytes on the line
// and the events' own bytes (what gzip saved), and the events the resumed round
// brought. The baseline is the same pull with no throttle, in the same run.
//
//	go test ./sync -run '^$' -bench FirstSync64kbit -benchtime 1x -timeout 30m
func BenchmarkFirstSync64kbit(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("LAPORDESK_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	h := startHub(b)
	src := newDesk(b, h, "src", "DINKES", lapordesk.RoleUnit)
	evs := demoEvents(n)
	record(b, src.st, evs)
	src.opts.PushBatch = 500
	src.sync(b)

	lan := newDesk(b, h, "lan", "DINKES", lapordesk.RoleUnit)
	start := time.Now()
	feed := lan.sync(b).Received // what a unit desk receives of them
	lanTime := time.Since(start)

	for i := 0; i < b.N; i++ {
		px := newFaultProxy(b, h.url, 64)
		d := openDesk(b, fmt.Sprintf("slow%d", i), "DINKES", lapordesk.RoleUnit)
		enroll(b, h, d, px.url)
		px.set(func(p *faultProxy) { p.line = 8000; p.bytes = 0 })
		var raw atomic.Int64
		start := time.Now()
		cut, cancel := context.WithCancel(ctx)
		d.opts.Progress = func(p lsync.Progress) {
			raw.Store(p.Bytes)
			if p.Received >= feed/2 {
				cancel() // the plug is pulled halfway through the pull
			}
		}
		_, err := lsync.Run(cut, d.st, d.opts)
		cancel()
		if err == nil {
			b.Fatal("the first round was not cut off")
		}
		firstHalf := raw.Load()
		d.opts.Progress = func(p lsync.Progress) { raw.Store(p.Bytes) }
		s2, err := lsync.Run(ctx, d.st, d.opts)
		if err != nil {
			b.Fatalf("the resumed round: %v", err)
		}
		total := time.Since(start)
		if ids := d.reportIDs(b); len(ids) != len(lan.reportIDs(b)) {
			b.Fatalf("after the resumed round %d reports, the LAN desk %d", len(ids), len(lan.reportIDs(b)))
		}
		b.ReportMetric(total.Seconds(), "s-64kbit")
		b.ReportMetric(lanTime.Seconds(), "s-lan")
		b.ReportMetric(float64(px.bytes), "line-bytes")
		b.ReportMetric(float64(firstHalf+raw.Load()), "event-bytes")
		b.ReportMetric(float64(s2.Received), "resumed-events")
	}
}
