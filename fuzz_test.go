package lapordesk

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// fuzzStates are the reports FuzzDecide acts on: one in every status, some Anonim,
// and one with a conflict waiting to be resolved.
func fuzzStates(tb testing.TB) []*history {
	var hs []*history
	for _, s := range Statuses {
		hs = append(hs, reportIn(tb, s))
	}
	hs = append(hs, reportInConf(tb, StatusNew, Anonim), reportInConf(tb, StatusInProgress, Anonim))
	h := reportIn(tb, StatusDisposed)
	dup := h.events[0]
	dup.ID = uuid.Must(uuid.NewV7())
	h.r.Apply(dup)
	h.events = append(h.events, dup)
	return append(hs, h)
}

// FuzzDecide feeds arbitrary commands to Decide. Whatever the input, Decide must not
// panic; a refusal must be a classified error with no event; an accepted event must
// apply without conflict, replay to the same state, survive a JSON round trip with the
// same hash, and never reveal an Anonim reporter on display.
func FuzzDecide(f *testing.F) {
	states := fuzzStates(f)
	for i := range states {
		for _, a := range Actions {
			c := cmdFor(a)
			f.Add(uint8(i), string(a), c.Reason, c.Text, c.ToUnit, strings.Join(c.Instructions, "|"), "", "", 0, a == ActResolve, "Admin", "")
		}
	}
	f.Add(uint8(0), "edit", "", "", "", "", "reporter_phone", "0811", 0, false, "", "")
	f.Add(uint8(0), "edit", "", "", "", "", "lat", "-4.1", 0, false, "", "")
	f.Add(uint8(2), "verify", "", "", "", "", "title", "Judul baru", 2, false, "", "DINKES")
	f.Add(uint8(1), "note", "", "teks", "", "a|b", "", "", -3, false, "x", "")

	f.Fuzz(func(t *testing.T, state uint8, action, reason, text, toUnit, instr, field, value string, base int, resolve bool, actor, unit string) {
		h := states[int(state)%len(states)]
		r := h.r.clone()
		cmd := Command{Action: Action(action), BaseVersion: base, Actor: actor, Unit: unit, Reason: reason, Text: text, ToUnit: toUnit}
		if cmd.Unit == "" {
			cmd.Unit = r.Unit
		}
		if instr != "" {
			cmd.Instructions = strings.Split(instr, "|")
		}
		if field != "" {
			cmd.Changes = []FieldChange{{Field: field, Value: value}}
		}
		if resolve {
			id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(value))
			if len(r.Conflicts) > 0 && value == "" {
				id = r.Conflicts[0].EventID
			}
			cmd.Resolves = &id
		}
		now := t0.Add(72 * time.Hour)

		e, err := Decide(r, cmd, now)
		if !reflect.DeepEqual(r, h.r) {
			t.Fatalf("Decide changed the report it was given")
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrConflict) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			if e.ID != uuid.Nil || e.Kind != "" {
				t.Fatalf("event %+v returned with error %v", e, err)
			}
			return
		}

		if c := r.Apply(e); c != nil {
			t.Fatalf("decided %s event conflicts: %s", e.Kind, c.Reason)
		}
		if !r.Status.Valid() || len(r.Conflicts) > len(h.r.Conflicts) {
			t.Fatalf("after %s: status %q, conflicts %+v", e.Kind, r.Status, r.Conflicts)
		}
		got, err := Replay(append(append([]Event(nil), h.events...), e))
		if err != nil {
			t.Fatalf("Replay: %v", err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Fatalf("replay differs from applying the event")
		}

		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("event does not encode: %v", err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("event does not decode: %v", err)
		}
		if back.Hash() != e.Hash() {
			t.Fatalf("hash changes across a JSON round trip:\n%s", b)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("report does not encode: %v", err)
		}

		if r.Confidentiality == Anonim {
			if l := leaked(t, []any{r.ForDisplay(), e.ForDisplay(Anonim)}, identity); len(l) > 0 {
				t.Fatalf("Anonim identity shown: %q", l)
			}
			for _, c := range e.ForDisplay(Anonim).Payload.Changes {
				if identityFields[c.Field] && c.Value != maskedValue {
					t.Fatalf("edit of %s shown as %q", c.Field, c.Value)
				}
			}
		}
	})
}
