package sync_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fault is what the proxy does to one request.
type fault int

const (
	fPass        fault = iota
	fDrop              // close the connection before the hub sees the request
	fResetBody         // send the hub half of the request body, then reset both connections
	fStall             // hold the request past the client's timeout, then close
	fTruncate          // the hub answers; the client gets the headers and half the body
	fDuplicate         // deliver the request to the hub twice (at once); answer with one
	fBusy              // 429 with Retry-After, from the proxy
	fUnavailable       // 503 with Retry-After, from the proxy
	fSlow              // a delay under the client's timeout
	nFaults
)

var faultNames = [...]string{"pass", "drop", "reset-body", "stall", "truncate", "duplicate", "429", "503", "slow"}

func (f fault) String() string { return faultNames[f] }

// faultProxy stands between desks and the hub on 127.0.0.1 and breaks requests on
// a seeded schedule, as an SKPD's line does.
type faultProxy struct {
	target *url.URL
	url    string
	fwd    *http.Client

	mu      sync.Mutex
	rng     *rand.Rand
	rate    float64       // chance that a request meets a fault
	down    bool          // refuse every connection
	stall   time.Duration // how long a stalled request is held
	latency time.Duration // added to every request
	line    int64         // bytes per second each way, as a slow line carries them (0: no limit)
	counts  [nFaults]int
	bytes   int64                    // bytes of requests and answers through the proxy
	forced  map[string]map[int]fault // path -> nth request (1-based) -> fault
	seen    map[string]int
}

// at forces fault f on the nth request to path.
func (p *faultProxy) at(path string, n int, f fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.forced[path] == nil {
		p.forced[path] = map[int]fault{}
	}
	p.forced[path][n] = f
}

func newFaultProxy(t testing.TB, target string, seed uint64) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{
		target: u,
		rng:    rand.New(rand.NewPCG(seed, 0x5eed)),
		forced: map[string]map[int]fault{},
		seen:   map[string]int{},
		stall:  2 * time.Second,
		fwd: &http.Client{Transport: &http.Transport{Proxy: nil, DisableCompression: true, MaxIdleConnsPerHost: 16},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: p}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		srv.Close()
	})
	p.url = "http://" + ln.Addr().String()
	return p
}

func (p *faultProxy) set(fn func(p *faultProxy)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

func (p *faultProxy) summary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var parts []string
	for f, n := range p.counts {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", fault(f), n))
		}
	}
	return strings.Join(parts, " ")
}

func (p *faultProxy) choose(path string) (fault, bool, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := fPass
	if p.rate > 0 && p.rng.Float64() < p.rate {
		f = fault(1 + p.rng.IntN(int(nFaults)-1))
	}
	p.seen[path]++
	if ff, ok := p.forced[path][p.seen[path]]; ok {
		f = ff
	}
	p.counts[f]++
	return f, p.down, p.latency
}

// throttled is the line's rate (0: none).
func (p *faultProxy) throttled() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.line
}

// carry waits as long as n bytes take on the line.
func carry(rate int64, n int) {
	if rate > 0 && n > 0 {
		time.Sleep(time.Duration(float64(n) / float64(rate) * float64(time.Second)))
	}
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, down, latency := p.choose(r.URL.Path)
	if down {
		hangUp(w, true)
		return
	}
	if latency > 0 {
		time.Sleep(latency)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		hangUp(w, true)
		return
	}
	p.count(int64(len(body)) + headerSize(r.Header) + int64(len(r.RequestURI)))
	rate := p.throttled()
	carry(rate, len(body)+int(headerSize(r.Header)))
	switch f {
	case fDrop:
		hangUp(w, false)
		return
	case fResetBody:
		if len(body) > 1 {
			p.sendPartial(r, body)
		}
		hangUp(w, true)
		return
	case fStall:
		select {
		case <-time.After(p.stall):
		case <-r.Context().Done():
		}
		hangUp(w, false)
		return
	case fBusy, fUnavailable:
		w.Header().Set("Retry-After", "0")
		code := http.StatusTooManyRequests
		if f == fUnavailable {
			code = http.StatusServiceUnavailable
		}
		http.Error(w, "proxy says no", code)
		return
	case fSlow:
		time.Sleep(time.Duration(1+rand.IntN(40)) * time.Millisecond)
	}
	var resp *http.Response
	var respBody []byte
	if f == fDuplicate {
		var wg sync.WaitGroup
		var r2 *http.Response
		var b2 []byte
		wg.Add(1)
		go func() { defer wg.Done(); r2, b2, _ = p.forward(r, body) }()
		resp, respBody, err = p.forward(r, body)
		wg.Wait()
		if r2 != nil {
			resp, respBody = r2, b2
		}
	} else {
		resp, respBody, err = p.forward(r, body)
	}
	if err != nil || resp == nil {
		hangUp(w, true)
		return
	}
	p.count(int64(len(respBody)) + headerSize(resp.Header))
	if f == fTruncate {
		truncate(w, resp, respBody)
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	if rate <= 0 {
		w.Write(respBody)
		return
	}
	// A slow line delivers the answer as it goes: a kilobyte at a time.
	for off := 0; off < len(respBody); off += 1024 {
		piece := respBody[off:min(off+1024, len(respBody))]
		carry(rate, len(piece))
		if _, err := w.Write(piece); err != nil {
			return
		}
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
}

func (p *faultProxy) count(n int64) {
	p.mu.Lock()
	p.bytes += n
	p.mu.Unlock()
}

func headerSize(h http.Header) int64 {
	var n int64
	for k, vs := range h {
		for _, v := range vs {
			n += int64(len(k) + len(v) + 4)
		}
	}
	return n
}

// forward sends the request to the hub and reads the whole answer.
func (p *faultProxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	u := *p.target
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	req, err := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	resp, err := p.fwd.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// sendPartial gives the hub the request's headers and half its body, then hangs up.
func (p *faultProxy) sendPartial(r *http.Request, body []byte) {
	c, err := net.Dial("tcp", p.target.Host)
	if err != nil {
		return
	}
	defer c.Close()
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", r.Method, r.URL.RequestURI(), p.target.Host, len(body))
	for k, vs := range r.Header {
		if k == "Content-Length" || k == "Connection" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(c, "%s: %s\r\n", k, v)
		}
	}
	io.WriteString(c, "\r\n")
	c.Write(body[:len(body)/2])
	time.Sleep(5 * time.Millisecond)
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
}

// truncate writes the status line, headers (with the full length) and half the
// body, then closes the connection.
func truncate(w http.ResponseWriter, resp *http.Response, body []byte) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	resp.Header.Set("Content-Length", fmt.Sprint(len(body)))
	resp.Header.Write(&head)
	head.WriteString("\r\n")
	out := append(head.Bytes(), body[:len(body)/2]...)
	if len(body) == 0 {
		out = out[:len(out)/2] // nothing to cut in the body: cut the headers
	}
	buf.Write(out)
	buf.Flush()
}

// hangUp closes the client's connection without an answer; rst resets it.
func hangUp(w http.ResponseWriter, rst bool) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok && rst {
		tc.SetLinger(0)
	}
	conn.Close()
}
