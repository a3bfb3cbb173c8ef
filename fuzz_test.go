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

// richHistory is an Anonim report taken through most of its life, with identity edits,
// for FuzzReplay to reorder.
func richHistory(tb testing.TB) []Event {
	h := newHistory(tb, sampleNewReport(Anonim))
	step := func(hours int, c Command) {
		h.at(t0.Add(time.Duration(hours) * time.Hour)).do(c)
	}
	step(1, cmdFor(ActPostpone))
	step(30, cmdFor(ActReply))
	step(31, Command{Action: ActVerify, Changes: []FieldChange{{Field: "title", Value: "Judul terkoreksi"}}})
	step(32, Command{Action: ActDispose, ToUnit: unitDinkes, Instructions: []string{"Segera"}})
	step(50, cmdFor(ActRespond))
	step(51, cmdFor(ActPostpone))
	step(75, cmdFor(ActResume))
	step(80, cmdFor(ActFollowUp))
	step(100, cmdFor(ActReply))
	step(120, cmdFor(ActFollowUp))
	step(400, cmdFor(ActClose))
	step(410, cmdFor(ActReopen))
	h.at(t0.Add(411*time.Hour)).inject(EvEdited, Payload{Changes: identityEdits}) // an older desk's edit: a conflict
	step(412, cmdFor(ActNote))
	step(413, Command{Action: ActDispose, Unit: unitCoord, ToUnit: unitPUPR})
	step(414, Command{Action: ActReturn, Reason: "Bukan wewenang"})
	return h.events
}

// FuzzReplay replays arbitrary selections and orders of a real history (events
// dropped, repeated, moved before the receipt). Replay must not panic, must be
// deterministic, count every event after the receipt, give a valid status and a
// schedule that never falls before the current step began, and never show the Anonim
// reporter.
func FuzzReplay(f *testing.F) {
	events := richHistory(f)
	all := make([]byte, len(events))
	for i := range all {
		all[i] = byte(i)
	}
	f.Add(all)
	f.Add([]byte{3, 0, 1, 1, 2})
	f.Add([]byte{0, 11, 12, 0, 5})
	cal := NewCalendar(time.UTC, nil)
	secrets := append(append([]string(nil), identity...), editValues()...)

	f.Fuzz(func(t *testing.T, order []byte) {
		if len(order) > 200 {
			return
		}
		seq := make([]Event, len(order))
		receipt := -1
		for i, b := range order {
			seq[i] = events[int(b)%len(events)]
			if receipt < 0 && seq[i].Kind == EvReceived {
				receipt = i
			}
		}
		r, err := Replay(seq)
		if receipt < 0 {
			if err == nil {
				t.Fatalf("Replay without a receipt succeeded")
			}
			return
		}
		if err != nil {
			t.Fatalf("Replay: %v", err)
		}
		again, _ := Replay(seq)
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("Replay is not deterministic")
		}
		if want := len(seq) - receipt; r.Version != want {
			t.Fatalf("version %d, want %d events from the receipt on", r.Version, want)
		}
		if !r.Status.Valid() || r.Changed > r.Version || r.Changed < 1 {
			t.Fatalf("status %q changed %d version %d", r.Status, r.Changed, r.Version)
		}
		s := ScheduleOf(r, cal, DefaultPolicy())
		if !s.Due.IsZero() && !s.Due.After(DateOf(r.PhaseStart, cal.Location)) {
			t.Fatalf("due %s not after the step began %v", s.Due, r.PhaseStart)
		}
		_ = s.DeadlineOn(DateOf(t0, time.UTC), cal, DefaultPolicy())
		shown := []any{r.ForDisplay()}
		for _, e := range seq {
			shown = append(shown, e.ForDisplay(r.Confidentiality))
		}
		if l := leaked(t, shown, secrets); len(l) > 0 {
			t.Fatalf("Anonim identity shown: %q", l)
		}
	})
}
