package sync

import (
	"testing"
	"time"
)

func TestPacerFollowsTheLine(t *testing.T) {
	t.Parallel()
	p := newPacer(64<<10, 16<<10, 4<<20, 20*time.Second)
	// An office LAN: grows, doubling, to the ceiling.
	for range 10 {
		p.observe(p.next(), 50*time.Millisecond)
	}
	if p.next() != 4<<20 {
		t.Fatalf("on a fast line the size stays at %d", p.next())
	}
	// 64 kbit/s with gzip at 5x: 40 KB/s of JSON, 800 KB in 20 s.
	p.observe(4<<20, time.Duration(float64(4<<20)/40e3*float64(time.Second)))
	if got := p.next(); got < 780_000 || got > 820_000 {
		t.Fatalf("at 40 KB/s the next request is %d bytes, want about 800 000", got)
	}
	p.failed()
	if got := p.next(); got < 390_000 || got > 410_000 {
		t.Fatalf("after a failure %d, want half", got)
	}
	for range 20 {
		p.failed()
	}
	if p.next() != 16<<10 {
		t.Fatalf("the floor: %d", p.next())
	}
	p.observe(0, time.Second)
	p.observe(100, 0)
	if p.next() != 16<<10 {
		t.Fatal("an empty observation changed the size")
	}
}
