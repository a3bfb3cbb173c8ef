package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
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
