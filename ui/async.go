package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// Async runs store and network work off the UI goroutine and hands each result back
// on it. It is the one place in the program that calls fyne.Do: every screen goes
// through it, so no widget is ever touched from another goroutine.
//
// In tests, NewTestAsync queues the results instead, and Drain runs them on the
// test's goroutine once the work is done: flows are deterministic without sleeping.
type Async struct {
	ctx     context.Context
	deliver func(func())

	// Test mode only: results wait in queue until Drain runs them.
	queue   chan func()
	mu      sync.Mutex
	pending int // jobs and timers started and not yet delivered
}

// NewAsync returns the executor of the running program: results are delivered with
// fyne.Do. Work started after ctx ends is not run.
func NewAsync(ctx context.Context) *Async {
	return &Async{ctx: ctx, deliver: fyne.Do}
}

// NewTestAsync returns an executor whose results are queued until Drain.
func NewTestAsync(ctx context.Context) *Async {
	a := &Async{ctx: ctx, queue: make(chan func(), 1024)}
	a.deliver = func(fn func()) { a.queue <- fn }
	return a
}

func (a *Async) started() {
	a.mu.Lock()
	a.pending++
	a.mu.Unlock()
}

func (a *Async) finished() {
	a.mu.Lock()
	a.pending--
	a.mu.Unlock()
}

// Pending reports how many jobs and timers have not yet delivered.
func (a *Async) Pending() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.pending
}

// Go runs work on a new goroutine and then done with its result on the UI goroutine.
// A panic in work is turned into an error, so a bug in one screen cannot take the
// whole desk (and the user's unsaved form) down with it.
func Go[T any](a *Async, work func(ctx context.Context) (T, error), done func(T, error)) {
	a.started()
	go func() {
		var v T
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error: %v", r)
				}
			}()
			if err = a.ctx.Err(); err == nil {
				v, err = work(a.ctx)
			}
		}()
		a.deliver(func() {
			if a.queue == nil {
				a.finished()
			}
			done(v, err)
		})
	}()
}

// Timer is a pending call started by After.
type Timer struct {
	a         *Async
	t         *time.Timer
	mu        sync.Mutex
	cancelled bool
	fired     bool
}

// After calls fn on the UI goroutine once d has passed, unless the timer is stopped
// first. Search fields use it to wait until the user stops typing.
func (a *Async) After(d time.Duration, fn func()) *Timer {
	a.started()
	tm := &Timer{a: a}
	tm.t = time.AfterFunc(d, func() {
		tm.mu.Lock()
		tm.fired = true
		tm.mu.Unlock()
		a.deliver(func() {
			if a.queue == nil {
				a.finished()
			}
			tm.mu.Lock()
			cancelled := tm.cancelled
			tm.mu.Unlock()
			if !cancelled {
				fn()
			}
		})
	})
	return tm
}

// Stop cancels the call if it has not run yet.
func (t *Timer) Stop() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cancelled {
		return
	}
	t.cancelled = true
	if t.t.Stop() && !t.fired {
		// Never fired: nothing will be delivered, so it is no longer pending.
		t.a.finished()
	}
}

// Every calls fn on the UI goroutine every d until ctx ends (the status bar polls
// sync state with it). It is not counted as pending work.
func (a *Async) Every(d time.Duration, fn func()) {
	go func() {
		tick := time.NewTicker(d)
		defer tick.Stop()
		for {
			select {
			case <-a.ctx.Done():
				return
			case <-tick.C:
				if a.queue == nil {
					a.deliver(fn)
				}
			}
		}
	}()
}

// Watch calls fn on the UI goroutine with every value received from ch, until ch
// closes or the executor's context ends (the status bar follows the sync service
// with it). In test mode each value waits for Drain like a job's result.
func Watch[T any](a *Async, ch <-chan T, fn func(T)) {
	go func() {
		for {
			select {
			case <-a.ctx.Done():
				return
			case v, ok := <-ch:
				if !ok {
					return
				}
				if a.queue != nil {
					a.started()
				}
				a.deliver(func() { fn(v) })
			}
		}
	}()
}

// Drain (test mode) runs queued results on the calling goroutine until no job or
// timer is outstanding, including those the results themselves start. It fails when
// nothing arrives for timeout.
func (a *Async) Drain(timeout time.Duration) error {
	if a.queue == nil {
		return fmt.Errorf("drain: not a test executor")
	}
	for a.Pending() > 0 {
		select {
		case fn := <-a.queue:
			a.finished()
			fn()
		case <-time.After(timeout):
			return fmt.Errorf("drain: %d jobs still running after %s", a.Pending(), timeout)
		}
	}
	return nil
}

// WhenDone calls fn on the UI goroutine when the executor's context ends (Ctrl+C in
// the terminal that started the program closes the window cleanly).
func (a *Async) WhenDone(fn func()) {
	go func() {
		<-a.ctx.Done()
		if a.queue == nil {
			a.deliver(fn)
		}
	}()
}
