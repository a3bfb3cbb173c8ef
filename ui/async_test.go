package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAsyncDeliversInOrderOnTheDrainingGoroutine(t *testing.T) {
	a := NewTestAsync(context.Background())
	var got []int
	release := make(chan struct{})
	Go(a, func(context.Context) (int, error) { <-release; return 1, nil }, func(v int, err error) {
		got = append(got, v)
		// A result may start more work; Drain waits for it too.
		Go(a, func(context.Context) (int, error) { return 2, nil }, func(v int, _ error) { got = append(got, v) })
	})
	if a.Pending() != 1 || len(got) != 0 {
		t.Fatalf("result delivered before Drain: pending %d, got %v", a.Pending(), got)
	}
	close(release)
	if err := a.Drain(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 2 || a.Pending() != 0 {
		t.Fatalf("got %v, pending %d", got, a.Pending())
	}
}

func TestAsyncTurnsAPanicIntoAnError(t *testing.T) {
	a := NewTestAsync(context.Background())
	var err error
	Go(a, func(context.Context) (int, error) { panic("boom") }, func(_ int, e error) { err = e })
	if e := a.Drain(5 * time.Second); e != nil {
		t.Fatal(e)
	}
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panic gave %v", err)
	}
}

func TestAsyncTimerStop(t *testing.T) {
	a := NewTestAsync(context.Background())
	ran := 0
	tm := a.After(time.Hour, func() { ran++ })
	tm.Stop()
	tm.Stop()
	if a.Pending() != 0 {
		t.Fatalf("a stopped timer is still pending: %d", a.Pending())
	}
	a.After(time.Millisecond, func() { ran++ })
	fired := a.After(time.Millisecond, func() { ran += 10 })
	time.Sleep(20 * time.Millisecond) // let it fire into the queue, then stop it
	fired.Stop()
	if err := a.Drain(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if ran != 1 {
		t.Fatalf("ran = %d, want only the unstopped timer", ran)
	}
}

func TestAsyncSkipsWorkAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	a := NewTestAsync(ctx)
	cancel()
	called := false
	var err error
	Go(a, func(context.Context) (int, error) { called = true; return 0, nil }, func(_ int, e error) { err = e })
	if e := a.Drain(5 * time.Second); e != nil {
		t.Fatal(e)
	}
	if called || !errors.Is(err, context.Canceled) {
		t.Fatalf("work ran after cancel (%v) or error %v", called, err)
	}
}
