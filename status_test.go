package lapordesk

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// wantNext is the status machine written out independently of status.go: for each
// status, the legal actions and where they lead. "prev" means the status before the
// postponement; note, edit and resolve are legal everywhere and change nothing.
var wantNext = map[Status]map[Action]Status{
	StatusNew: {ActVerify: StatusVerified, ActPostpone: StatusPostponed, ActReturn: StatusReturned, ActArchive: StatusArchived},
	StatusPostponed: {ActResume: "prev", ActReply: "prev", ActVerify: StatusVerified, ActReturn: StatusReturned,
		ActArchive: StatusArchived},
	StatusVerified: {ActDispose: StatusDisposed, ActRespond: StatusInProgress, ActFollowUp: StatusFollowedUp,
		ActPostpone: StatusPostponed, ActReturn: StatusReturned, ActArchive: StatusArchived},
	StatusReturned: {ActDispose: StatusDisposed, ActArchive: StatusArchived},
	StatusDisposed: {ActRespond: StatusInProgress, ActFollowUp: StatusFollowedUp, ActReply: StatusDisposed,
		ActPostpone: StatusPostponed, ActReturn: StatusReturned, ActDispose: StatusDisposed},
	StatusInProgress: {ActRespond: StatusInProgress, ActFollowUp: StatusFollowedUp, ActReply: StatusInProgress,
		ActPostpone: StatusPostponed, ActDispose: StatusDisposed},
	StatusFollowedUp: {ActFollowUp: StatusFollowedUp, ActRespond: StatusFollowedUp, ActReply: StatusInProgress,
		ActClose: StatusClosed},
	StatusClosed:   {ActReopen: StatusInProgress},
	StatusArchived: {ActReopen: StatusNew},
}

func expectedNext(s Status, a Action, beforePause Status) (Status, bool) {
	switch a {
	case ActNote, ActEdit, ActResolve:
		return s, true
	}
	to, ok := wantNext[s][a]
	if to == "prev" {
		to = beforePause
	}
	return to, ok
}

func TestTransitionTableAllowedAndNext(t *testing.T) {
	t.Parallel()
	if len(wantNext) != len(Statuses) {
		t.Fatalf("test table covers %d statuses, domain has %d", len(wantNext), len(Statuses))
	}
	for _, s := range Statuses {
		for _, a := range Actions {
			want, ok := expectedNext(s, a, StatusVerified)
			if got := Allowed(s, a); got != ok {
				t.Errorf("Allowed(%q, %q) = %v, want %v", s, a, got, ok)
			}
			next, err := Next(s, a, StatusVerified)
			if ok {
				if err != nil {
					t.Errorf("Next(%q, %q): unexpected error %v", s, a, err)
				} else if next != want {
					t.Errorf("Next(%q, %q) = %q, want %q", s, a, next, want)
				}
				continue
			}
			var te *TransitionError
			if !errors.As(err, &te) || te.Status != s || te.Action != a {
				t.Errorf("Next(%q, %q): error %v, want *TransitionError{%q, %q}", s, a, err, s, a)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Next(%q, %q): error %v does not wrap ErrInvalid", s, a, err)
			}
		}
	}
}

func TestAllowedActionsOrderAndUnknownStatus(t *testing.T) {
	t.Parallel()
	got := AllowedActions(StatusClosed)
	want := []Action{ActReopen, ActNote, ActEdit, ActResolve}
	if strings.Join(actionStrings(got), ",") != strings.Join(actionStrings(want), ",") {
		t.Errorf("AllowedActions(closed) = %v, want %v", got, want)
	}
	for _, a := range Actions {
		if Allowed("bogus", a) || Allowed(statusNone, a) {
			t.Errorf("action %q allowed in an unknown status", a)
		}
	}
	if _, err := Next("bogus", ActNote, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Next(bogus, note): err %v, want ErrInvalid", err)
	}
}

func actionStrings(as []Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

func TestNextResumeWithoutKnownPriorStatusGoesToNew(t *testing.T) {
	t.Parallel()
	for _, before := range []Status{"", StatusPostponed} {
		for _, a := range []Action{ActResume, ActReply} {
			if got, err := Next(StatusPostponed, a, before); err != nil || got != StatusNew {
				t.Errorf("Next(ditunda, %s, %q) = %q, %v; want baru", a, before, got, err)
			}
		}
	}
}

// TestDecideEveryStatusAndAction drives Decide and Apply through every pair: legal
// pairs produce an event that moves the report where the table says; illegal pairs
// produce a TransitionError naming the status and the action, and no event.
func TestDecideEveryStatusAndAction(t *testing.T) {
	t.Parallel()
	for _, s := range Statuses {
		for _, a := range Actions {
			t.Run(string(s)+"/"+string(a), func(t *testing.T) {
				h := reportIn(t, s)
				cmd := cmdFor(a)
				if a == ActDispose && h.r.Unit == cmd.ToUnit {
					cmd.ToUnit = unitDinkes // a redirection must name another unit
				}
				if a == ActResolve {
					// Give the report a conflict to resolve: a second receipt.
					dup := h.events[0]
					dup.ID = uuid.Must(uuid.NewV7())
					if h.r.Apply(dup) == nil {
						t.Fatal("duplicate receipt applied without conflict")
					}
					h.events = append(h.events, dup)
					cmd.Resolves = &dup.ID
				}
				before := h.r.beforePause()
				want, ok := expectedNext(s, a, before)
				e, err := h.try(cmd)
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) {
						t.Fatalf("Decide: err %v, want *TransitionError", err)
					}
					if !errors.Is(err, ErrInvalid) {
						t.Errorf("error %v does not wrap ErrInvalid", err)
					}
					if msg := err.Error(); !strings.Contains(msg, string(s)) || !strings.Contains(msg, string(a)) {
						t.Errorf("message %q does not name status %q and action %q", msg, s, a)
					}
					if e.ID != uuid.Nil || e.Kind != "" {
						t.Errorf("Decide returned an event %+v with its error", e)
					}
					return
				}
				if err != nil {
					t.Fatalf("Decide: %v", err)
				}
				if e.Kind != a.Kind() || e.ReportID != h.r.ID || e.BaseVersion != h.r.Version {
					t.Errorf("event kind %q report %v base %d; want %q %v %d", e.Kind, e.ReportID, e.BaseVersion, a.Kind(), h.r.ID, h.r.Version)
				}
				if c := h.r.Apply(e); c != nil {
					t.Fatalf("Apply: conflict %q", c.Reason)
				}
				if h.r.Status != want {
					t.Errorf("status after %s: %q, want %q", a, h.r.Status, want)
				}
				if a == ActResolve && len(h.r.Conflicts) != 0 {
					t.Errorf("conflicts after resolve: %+v", h.r.Conflicts)
				}
			})
		}
	}
}

func TestResumeAndReplyReturnToStatusBeforePause(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		path  []Action
		pause Action // resume or reply
		want  Status
	}{
		{"new/resume", nil, ActResume, StatusNew},
		{"new/reply", nil, ActReply, StatusNew},
		{"verified/resume", []Action{ActVerify}, ActResume, StatusVerified},
		{"disposed/reply", []Action{ActVerify, ActDispose}, ActReply, StatusDisposed},
		{"in-progress/resume", []Action{ActVerify, ActDispose, ActRespond}, ActResume, StatusInProgress},
		// Several pauses: each resume goes back to the status of its own pause.
		{"second pause after verify", []Action{ActPostpone, ActResume, ActVerify}, ActResume, StatusVerified},
		{"third pause in progress", []Action{ActPostpone, ActReply, ActVerify, ActPostpone, ActResume, ActDispose, ActRespond}, ActResume, StatusInProgress},
		{"pause, verify while paused, pause again", []Action{ActPostpone, ActVerify}, ActReply, StatusVerified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHistory(t, sampleNewReport(Biasa))
			for _, a := range tc.path {
				h.do(cmdFor(a))
			}
			h.do(cmdFor(ActPostpone))
			if h.r.Status != StatusPostponed {
				t.Fatalf("status after postpone: %q", h.r.Status)
			}
			h.do(cmdFor(tc.pause))
			if h.r.Status != tc.want {
				t.Errorf("status after %s: %q, want %q", tc.pause, h.r.Status, tc.want)
			}
			h.replay()
		})
	}
}

func TestOutcomeAndOpen(t *testing.T) {
	t.Parallel()
	want := map[Status]Outcome{
		StatusNew: OutcomeNotProcessed, StatusPostponed: OutcomePostponed, StatusVerified: OutcomeInProcess,
		StatusReturned: OutcomeInProcess, StatusDisposed: OutcomeInProcess, StatusInProgress: OutcomeInProcess,
		StatusFollowedUp: OutcomeFollowedUp, StatusClosed: OutcomeFollowedUp, StatusArchived: OutcomeDeleted,
	}
	for _, s := range Statuses {
		if got := s.Outcome(); got != want[s] {
			t.Errorf("%q.Outcome() = %q, want %q", s, got, want[s])
		}
		wantOpen := s != StatusClosed && s != StatusArchived
		if s.Open() != wantOpen {
			t.Errorf("%q.Open() = %v, want %v", s, s.Open(), wantOpen)
		}
	}
	if statusNone.Open() {
		t.Error("the empty status counts as open")
	}
}

func TestEventKindActionRoundTrip(t *testing.T) {
	t.Parallel()
	for _, a := range Actions {
		k := a.Kind()
		if !k.Valid() {
			t.Errorf("action %q produces unknown kind %q", a, k)
		}
		if k.Action() != a {
			t.Errorf("%q.Action() = %q, want %q", k, k.Action(), a)
		}
	}
	for _, k := range []EventKind{EvReceived, EvAttached, EvLetterIssued} {
		if k.Action() != "" {
			t.Errorf("%q.Action() = %q, want none", k, k.Action())
		}
	}
}
