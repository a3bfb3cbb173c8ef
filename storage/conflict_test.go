package storage_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

const (
	titleHere  = "Antrean di Puskesmas Tanete"
	titleOther = "Antrean panjang di Puskesmas Pancana"
)

// conflicted returns a report of a fresh store whose title this desk changed, and
// the hub took, while another desk changed it on the version before: the other
// desk's edit arrives after this desk's and is kept as a stale conflict.
func conflicted(t *testing.T, otherTitle string) (*storage.Store, uuid.UUID, lapordesk.Event) {
	t.Helper()
	s, _ := openTest(t)
	id := mustReceive(t, s, sample("Antrean puskesmas")).Report.ID
	r, err := s.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	other, err := lapordesk.Decide(&r, lapordesk.Command{Action: lapordesk.ActEdit, Unit: "DINKES", Actor: "Rina",
		Changes: []lapordesk.FieldChange{{Field: "title", Value: otherTitle}}}, r.ReceivedAt)
	if err != nil {
		t.Fatal(err)
	}
	mustAct(t, s, id, lapordesk.Command{Action: lapordesk.ActEdit, Changes: []lapordesk.FieldChange{{Field: "title", Value: titleHere}}})
	sent, err := s.Outbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	acks := make([]storage.Ack, len(sent))
	for i, o := range sent {
		acks[i] = storage.Ack{EventID: o.Event.ID, HubSeq: int64(i + 1)}
	}
	if err := s.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	next := int64(len(acks) + 1)
	if res, err := s.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: next, Event: other}}, next); err != nil || res.Conflicts != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if r, err = s.Report(ctx, id); err != nil || len(r.Conflicts) != 1 {
		t.Fatalf("conflicts %+v, %v", r.Conflicts, err)
	}
	var stale *lapordesk.StaleError
	if !errors.As(r.Conflicts[0].Cause(), &stale) {
		t.Fatalf("the conflict is not stale: %q", r.Conflicts[0].Reason)
	}
	return s, id, other
}

// written is what a resolution may have written: the report's history, the events
// waiting for the hub, and the state of every projection.
type written struct {
	history, pending int
	hash             string
}

func writtenBy(t *testing.T, s *storage.Store, id uuid.UUID) written {
	t.Helper()
	h, err := s.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := s.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return written{len(h), n, hash}
}

// Each choice is one transaction: keeping writes the resolve event, applying the
// other version writes its redo and the resolve, both queued for the hub.
func TestResolveConflict(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		apply  bool
		events int
		title  string
	}{
		{"keep the version in effect", false, 1, titleHere},
		{"apply the other version", true, 2, titleOther},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, id, other := conflicted(t, titleOther)
			before := writtenBy(t, s, id)
			v, err := s.ResolveConflict(ctx, id, lapordesk.Resolution{Conflict: other.ID, ApplyOther: c.apply, Note: "Dibandingkan dengan Rina."})
			if err != nil {
				t.Fatal(err)
			}
			after := writtenBy(t, s, id)
			if after.history != before.history+c.events || after.pending != before.pending+c.events {
				t.Errorf("history %d → %d, pending %d → %d; want %d more of each", before.history, after.history, before.pending, after.pending, c.events)
			}
			if v.Report.Title != c.title || len(v.Report.Conflicts) != 0 {
				t.Errorf("title %q, conflicts %+v", v.Report.Title, v.Report.Conflicts)
			}
			last := v.History[len(v.History)-1]
			if last.Kind != lapordesk.EvResolved || *last.Payload.Resolves != other.ID || last.Payload.Text != "Dibandingkan dengan Rina." ||
				last.Unit != "DINKES" || last.Actor != "Andi" {
				t.Errorf("the resolve event: %+v", last)
			}
			if c.apply {
				redo := v.History[len(v.History)-2]
				if redo.Kind != lapordesk.EvEdited || redo.Actor != "Andi" || redo.Payload.Changes[0].Value != titleOther {
					t.Errorf("the redo: %+v", redo)
				}
			}
		})
	}
}

// A resolution that fails at either step writes nothing: the conflict stays, with
// the history, the outbox and every projection as they were.
func TestResolveConflictWritesAllOrNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		other string // the other desk's title
		res   func(lapordesk.Event) lapordesk.Resolution
		check func(*testing.T, error)
	}{
		{
			// The redo is decided and appended, then the resolve is refused for
			// its note: the redo must go too.
			name:  "the resolve after the redo is refused",
			other: titleOther,
			res: func(ev lapordesk.Event) lapordesk.Resolution {
				return lapordesk.Resolution{Conflict: ev.ID, ApplyOther: true, Note: "catatan\x00rusak"}
			},
			check: func(t *testing.T, err error) {
				var ve lapordesk.ValidationErrors
				if !errors.As(err, &ve) || ve.For("text") == nil || !strings.Contains(err.Error(), ": resolve: ") {
					t.Fatalf("err %v, want the resolve's note refused", err)
				}
			},
		},
		{
			name:  "the other version changes nothing",
			other: titleHere,
			res: func(ev lapordesk.Event) lapordesk.Resolution {
				return lapordesk.Resolution{Conflict: ev.ID, ApplyOther: true}
			},
			check: func(t *testing.T, err error) {
				var fe *lapordesk.FieldError
				if !errors.As(err, &fe) || fe.Problem != lapordesk.ProblemCannotApply {
					t.Fatalf("err %v, want cannot_apply", err)
				}
			},
		},
		{
			name:  "the choice was made on an older version",
			other: titleOther,
			res: func(ev lapordesk.Event) lapordesk.Resolution {
				return lapordesk.Resolution{Conflict: ev.ID, ApplyOther: true, BaseVersion: 1}
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, lapordesk.ErrConflict) {
					t.Fatalf("err %v, want stale", err)
				}
			},
		},
		{
			name:  "no such conflict",
			other: titleOther,
			res: func(lapordesk.Event) lapordesk.Resolution {
				return lapordesk.Resolution{Conflict: uuid.Must(uuid.NewV7())}
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, lapordesk.ErrInvalid) {
					t.Fatalf("err %v, want invalid", err)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, id, other := conflicted(t, c.other)
			before := writtenBy(t, s, id)
			_, err := s.ResolveConflict(ctx, id, c.res(other))
			c.check(t, err)
			if after := writtenBy(t, s, id); after != before {
				t.Errorf("a refused resolution wrote: %+v, before %+v", after, before)
			}
			r, err := s.Report(ctx, id)
			if err != nil || r.Title != titleHere || len(r.Conflicts) != 1 {
				t.Errorf("after the refusal: %q, %d conflicts, %v", r.Title, len(r.Conflicts), err)
			}
		})
	}
}
