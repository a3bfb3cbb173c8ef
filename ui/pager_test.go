package ui

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
)

// The pager reads pages on demand, keeps only the last few in memory, and reads a
// dropped page again from its cursor, giving the same rows.
func TestPagerKeepsFewPagesAndRereadsDropped(t *testing.T) {
	h := newHarness(t, unitProfile())
	ctx := context.Background()
	var batch []lapordesk.NewReport
	for i := 0; i < 95; i++ {
		batch = append(batch, sample(fmt.Sprintf("Laporan nomor %03d", i)))
	}
	if _, err := h.store.ReceiveMany(ctx, batch); err != nil {
		t.Fatal(err)
	}
	f := lapordesk.Filter{Sort: lapordesk.SortReceived}
	var want []lapordesk.Item
	for after := ""; ; {
		pg, err := h.store.List(ctx, f, 500, after)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, pg.Items...)
		if after = pg.Next; after == "" {
			break
		}
	}

	var fetches atomic.Int64 // reads run on worker goroutines
	fetch := func(ctx context.Context, f lapordesk.Filter, limit int, after string) (lapordesk.Page, error) {
		fetches.Add(1)
		return h.store.List(ctx, f, limit, after)
	}
	p := newPager(h.d.async, fetch, 10, 3)
	p.Reset(f)
	h.drain()
	// Scroll to the end: each "loading" row reads the next page.
	for i := 0; i < p.Len(); i++ {
		if _, ok := p.Item(i); !ok {
			h.drain()
		}
		if held := p.heldRows(); held > 30 {
			t.Fatalf("%d rows in memory, more than 3 pages", held)
		}
	}
	if n, more := p.Loaded(); n != len(want) || more {
		t.Fatalf("loaded %d (more %v), want %d", n, more, len(want))
	}
	// The first page was dropped; reading row 0 reads it again.
	before := fetches.Load()
	if _, ok := p.Item(0); ok {
		t.Fatal("page 0 still in memory after scrolling through 10 pages")
	}
	if err := h.d.async.Drain(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if n := fetches.Load() - before; n != 1 {
		t.Fatalf("re-reading page 0 took %d reads", n)
	}
	for i, w := range want {
		got, ok := p.Item(i)
		if !ok {
			h.drain()
			got, ok = p.Item(i)
		}
		if !ok || got.ID != w.ID {
			t.Fatalf("row %d: %v %q, want %q", i, ok, got.Title, w.Title)
		}
	}
	// A reset drops everything; a late answer for the old filter is ignored.
	p.Item(50)
	p.Reset(lapordesk.Filter{Text: "nomor 007"})
	h.drain()
	if n, _ := p.Loaded(); n != 1 {
		t.Fatalf("after reset: %d rows", n)
	}
	if it, _ := p.Item(0); it.Title != "Laporan nomor 007" {
		t.Fatalf("after reset: %q", it.Title)
	}
}
