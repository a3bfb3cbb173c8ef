package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// wireCounter counts the bytes a client's connections write and read: what goes
// over the line, compressed or not.
type wireCounter struct{ out, in atomic.Int64 }

type countedConn struct {
	net.Conn
	c *wireCounter
}

func (c countedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.c.in.Add(int64(n))
	return n, err
}

func (c countedConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.c.out.Add(int64(n))
	return n, err
}

// transport is a plain HTTP transport on counted connections; noGzip asks for
// answers as they are, as an older desk would.
func (w *wireCounter) transport(noGzip bool) http.RoundTripper {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		DisableCompression: noGzip,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countedConn{c, w}, nil
		},
	}
}

// Pushes and pulls travel gzipped: on a 64 kbit/s line that is what lets a first
// sync finish. The same feed pulled by a desk that takes no gzip is the measure.
func TestSyncIsCompressedBothWays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	for i := range 300 {
		a.receive(t, sample(fmt.Sprintf("Antrean panjang di Puskesmas Mangkoso hari ke-%d", i)))
	}
	out, err := a.st.Outbox(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	push := wire.PushRequest{}
	for _, e := range out {
		push.Events = append(push.Events, wire.PushEvent{Body: e.Body, Hash: e.Hash})
	}
	plain, _ := json.Marshal(push)

	var up wireCounter
	a.opts.Client.Transport = up.transport(false)
	if s := a.sync(t); s.Sent != 300 {
		t.Fatalf("push: %+v", s)
	}
	if sent := up.out.Load(); sent*3 > int64(len(plain)) {
		t.Fatalf("pushing 300 events wrote %d bytes; their JSON is %d", sent, len(plain))
	}

	pull := func(name string, noGzip bool) int64 {
		var w wireCounter
		d := newDesk(t, h, name, "DINKES", lapordesk.RoleUnit)
		d.opts.Client.Transport = w.transport(noGzip)
		if s := d.sync(t); s.Received != 300 {
			t.Fatalf("%s's pull: %+v", name, s)
		}
		return w.in.Load()
	}
	gz, raw := pull("b", false), pull("c", true)
	t.Logf("push: %d bytes on the wire for %d of JSON; pull: %d bytes gzipped, %d plain", up.out.Load(), len(plain), gz, raw)
	if gz*3 > raw {
		t.Fatalf("the pull read %d bytes gzipped, %d plain", gz, raw)
	}
}

// A desk's own events come back from the hub as their IDs alone: a coordinator's
// first sync does not download what it just sent. A desk restored from an older
// backup, which lacks some of its own events, gets those whole.
func TestOwnEventsComeBackAsIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	c := newDesk(t, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
	for i := range 300 {
		n := sample(fmt.Sprintf("Laporan warga nomor %d tentang pelayanan", i))
		n.Unit = []string{"DINKES", "PUPR", "DISKOMINFO"}[i%3]
		c.receive(t, n)
	}
	backup := filepath.Join(t.TempDir(), "cadangan.db")
	if _, err := c.st.Backup(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	// Plain on both, to see what the bodies weigh (gzip would shrink both sides).
	var own wireCounter
	c.opts.Client.Transport = own.transport(true)
	if s := c.sync(t); s.Sent != 300 || s.Received != 0 {
		t.Fatalf("the coordinator's sync: %+v", s)
	}
	if n, _ := c.st.Pending(ctx); n != 0 {
		t.Fatalf("%d events still waiting", n)
	}
	var whole wireCounter
	other := newDesk(t, h, "c2", "DISKOMINFO", lapordesk.RoleCoordinator)
	other.opts.Client.Transport = whole.transport(true)
	if s := other.sync(t); s.Received != 300 {
		t.Fatalf("another coordinator desk: %+v", s)
	}
	t.Logf("the coordinator read %d bytes in its round (push answers and its own 300 events); another desk %d for them whole", own.in.Load(), whole.in.Load())
	if own.in.Load()*2 > whole.in.Load() {
		t.Fatalf("the coordinator read %d bytes back, a desk without them %d", own.in.Load(), whole.in.Load())
	}

	// Five more, then the file is restored from the backup made before them.
	for i := range 5 {
		c.receive(t, sample(fmt.Sprintf("Laporan sesudah cadangan %d", i)))
	}
	c.sync(t)
	path := c.st.Path()
	c.st.Close()
	if _, err := storage.Restore(ctx, backup, path, nil); err != nil {
		t.Fatal(err)
	}
	c = openDeskFile(t, path, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
	s := c.sync(t)
	if s.Received != 5 {
		t.Fatalf("after the restore: %+v", s)
	}
	if ids := c.reportIDs(t); len(ids) != 305 {
		t.Fatalf("after the restore the desk holds %d reports, want 305", len(ids))
	}
	other.sync(t)
	checkConverged(t, h, c, other)
}
