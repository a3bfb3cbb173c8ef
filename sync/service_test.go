package sync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// waitStatus reads statuses until ok accepts one, or fails after a while.
func waitStatus(t *testing.T, ch <-chan lsync.Status, what string, ok func(lsync.Status) bool) lsync.Status {
	t.Helper()
	timeout := time.After(15 * time.Second)
	var last lsync.Status
	for {
		select {
		case s := <-ch:
			if ok(s) {
				return s
			}
			last = s
		case <-timeout:
			t.Fatalf("waiting for %s; last status %+v", what, last)
		}
	}
}

// The service tells offline from online by probing, syncs on reconnect, after a
// local change (debounced) and on demand, and reports progress, pending count and
// last sync to its subscribers.
func TestServiceFollowsTheConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	px := newFaultProxy(t, h.url, 3)
	a := openDesk(t, "a", "DINKES", lapordesk.RoleUnit)
	b := newDesk(t, h, "b", "DINKES", lapordesk.RoleUnit)

	svc := lsync.NewService(a.st, lsync.ServiceOptions{Round: a.opts, Interval: time.Hour, ProbeMin: 20 * time.Millisecond, ProbeMax: 80 * time.Millisecond, Debounce: 50 * time.Millisecond})
	ch, unsubscribe := svc.Subscribe()
	defer unsubscribe()
	svc.Start(ctx)
	defer svc.Stop()
	waitStatus(t, ch, "not enrolled", func(s lsync.Status) bool { return !s.Enrolled && !s.Online })

	enroll(t, h, a, px.url)
	px.set(func(p *faultProxy) { p.down = true })
	a.receive(t, sample("Dicatat saat luring"))
	svc.SyncNow() // picks up the enrolment
	s := waitStatus(t, ch, "offline with one event waiting", func(s lsync.Status) bool {
		return s.Enrolled && !s.Online && s.Pending == 1 && s.Err != nil && !s.NextAttempt.IsZero()
	})
	if !lsync.Offline(s.Err) {
		t.Fatalf("offline error: %v", s.Err)
	}

	var sawProgress bool
	px.set(func(p *faultProxy) { p.down = false })
	waitStatus(t, ch, "online and sent", func(s lsync.Status) bool {
		sawProgress = sawProgress || s.Syncing && s.Progress.Phase != lsync.PhaseConnect
		return s.Online && !s.Syncing && s.Pending == 0 && !s.LastSync.IsZero() && s.Err == nil
	})
	if !sawProgress {
		t.Error("no progress was reported during the round")
	}

	changed := time.Now()
	a.receive(t, sample("Dicatat saat daring"))
	svc.Changed()
	waitStatus(t, ch, "the change sent", func(s lsync.Status) bool {
		return s.LastSync.After(changed) && s.Online && s.Pending == 0 && s.LastSummary != nil && s.LastSummary.Sent == 1
	})

	b.receive(t, sample("Dari meja lain"))
	b.sync(t)
	a.receive(t, sample("Dicatat tepat sebelum F5"))
	if err := svc.SyncAndWait(ctx); err != nil {
		t.Fatalf("sync and wait: %v", err)
	}
	if st := svc.Status(); st.Pending != 0 || st.LastSummary == nil || st.LastSummary.Received != 1 || st.LastSummary.Sent != 1 {
		t.Fatalf("after sync and wait: pending %d, %+v", st.Pending, st.LastSummary)
	}

	px.set(func(p *faultProxy) { p.down = true })
	if err := svc.SyncAndWait(ctx); !lsync.Offline(err) {
		t.Fatalf("sync and wait, offline: %v", err)
	}
	waitStatus(t, ch, "offline again", func(s lsync.Status) bool { return !s.Online && !s.Syncing })
	svc.Stop()
	if err := svc.SyncAndWait(ctx); !errors.Is(err, lsync.ErrStopped) {
		t.Fatalf("sync and wait, stopped: %v", err)
	}
	if st := svc.Status(); st.Syncing {
		t.Fatal("stopped while syncing")
	}
	b.sync(t)
	checkConverged(t, h, a, b)
}
