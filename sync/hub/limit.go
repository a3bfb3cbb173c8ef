package hub

import (
	"net"
	"net/http"
	"sync"
)

// clientLimit bounds the requests one client has in the hub at once, so that one
// device, or one address sending requests nobody vouches for, can hold only a
// few of the hub's slots whatever it sends. A desk makes one request at a time.
type clientLimit struct {
	mu   sync.Mutex
	max  int
	busy map[string]int
}

func newClientLimit(max int) *clientLimit { return &clientLimit{max: max, busy: map[string]int{}} }

// take counts a request of client in, or says it has its share already.
func (l *clientLimit) take(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.busy[client] >= l.max {
		return false
	}
	l.busy[client]++
	return true
}

func (l *clientLimit) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.busy[client]--; l.busy[client] <= 0 {
		delete(l.busy, client) // the map holds only the clients in the hub now
	}
}

// remoteHost is the address a request came from, without its port.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
