package sync

import (
	"sync"
	"time"
)

// pacer sizes requests by time as well as by count and bytes: each request should
// take about target on the line as it is now, well inside the client's timeout, so
// that a 64 kbit/s line finishes a first sync page by page instead of timing out on
// a page sized for the office LAN and starting it over. It starts small and follows
// the rate it measures (bytes as the program sees them: a gzipped page counts its
// unpacked size, so compression is part of the rate).
type pacer struct {
	mu       sync.Mutex
	size     int // bytes of the next request
	min, max int
	target   time.Duration
}

func newPacer(start, min, max int, target time.Duration) *pacer {
	return &pacer{size: start, min: min, max: max, target: target}
}

// next is the size of the next request, in bytes.
func (p *pacer) next() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.size
}

// observe notes that n bytes took d. The next size goes towards what the rate
// allows in target, at most doubling at a time (one fast answer is not a fast line).
func (p *pacer) observe(n int, d time.Duration) {
	if n <= 0 || d <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	want := int(float64(n) / d.Seconds() * p.target.Seconds())
	p.size = max(p.min, min(p.max, want, 2*p.size))
}

// failed halves the size after a request that timed out or broke off.
func (p *pacer) failed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.size = max(p.min, p.size/2)
}
