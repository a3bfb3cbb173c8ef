package lapordesk

import (
	"testing"
)

func TestMayWrite(t *testing.T) {
	for _, k := range EventKinds {
		if err := MayWrite(unitPUPR, unitPUPR, k); err != nil {
			t.Errorf("the holder may not write %s: %v", k, err)
		}
		err := MayWrite(unitDinkes, unitPUPR, k)
		mayStill := k == EvNoted || k == EvResolved || k == EvLetterIssued
		if mayStill && err != nil {
			t.Errorf("a unit the report moved on from may not write %s: %v", k, err)
		}
		if !mayStill {
			wantFieldError(t, err, "unit", ProblemNotHolder)
		}
	}
	coord := Profile{Role: RoleCoordinator, UnitCode: unitCoord}
	unit := Profile{Role: RoleUnit, UnitCode: unitDinkes}
	r := &Report{}
	r.Unit = unitPUPR
	if err := MayAct(coord, r, ActClose); err != nil {
		t.Errorf("the coordinator may not close another unit's report: %v", err)
	}
	if err := MayAct(unit, r, ActClose); err == nil {
		t.Error("a unit may close another unit's report")
	}
}

// The hub's view of an offline race: PUPR held the report and answered it offline
// while the coordinator moved it to DINKES; the hub numbered the move first.
func TestHolderSeen(t *testing.T) {
	h := reportIn(t, StatusDisposed) // disposed to PUPR: receipt, verify, dispose
	pulled := len(h.events)
	offline := h.r.clone()
	h.do(Command{Action: ActDispose, Actor: "Koordinator", Unit: h.r.DisposedBy, ToUnit: unitDinkes, Instructions: []string{"Proses"}})
	if h.r.Unit != unitDinkes {
		t.Fatalf("setup: report with %s", h.r.Unit)
	}
	// PUPR's answer, decided on its offline view, arrives after the move.
	resp, err := Decide(offline, Command{Action: ActRespond, Actor: "Admin", Unit: unitPUPR, Text: "Sedang kami tangani."}, h.now)
	if err != nil {
		t.Fatal(err)
	}
	if got := HolderSeen(h.events, func(int) bool { return false }, resp.BaseVersion); got != unitPUPR {
		t.Errorf("its answer, on the view it pulled: holder %s, want %s", got, unitPUPR)
	}
	offline.Apply(resp)
	h.r.Apply(resp)
	h.events = append(h.events, resp)
	own := func(i int) bool { return h.events[i].ID == resp.ID }

	for _, c := range []struct {
		name string
		base int
		want string
	}{
		{"a follow-up on its answer, still offline", offline.Version, unitPUPR},
		{"after pulling the move", len(h.events), unitDinkes},
		{"a view later than the history", len(h.events) + 5, unitDinkes},
		{"a view without its own events", 0, h.events[0].Unit},
	} {
		if got := HolderSeen(h.events, own, c.base); got != c.want {
			t.Errorf("%s (base %d): holder %s, want %s", c.name, c.base, got, c.want)
		}
	}
	// Nothing of the actor's own: the view is the history's first base events.
	none := func(int) bool { return false }
	if got := HolderSeen(h.events, none, pulled); got != unitPUPR {
		t.Errorf("view of the first %d events: holder %s, want %s", pulled, got, unitPUPR)
	}
}

// An offline desk's view is named by its origin and what it saw of the others, so
// a change it never saw makes its checked action stale, whatever the version
// numbers of the two histories. Here PUPR, offline, adds a note and then edits,
// while the coordinator moves the report on: the edit's version (4) equals the
// move's, and only the view tells them apart.
func TestStaleByWhatTheOriginSaw(t *testing.T) {
	h := reportIn(t, StatusDisposed) // receipt, verify, dispose to PUPR
	for i := range h.events {
		h.events[i].Origin = "koordinator"
	}
	h.r, _ = Replay(h.events)
	offline := h.r.clone()
	move, err := Decide(h.r, Command{Action: ActDispose, Actor: "Koordinator", Unit: h.r.DisposedBy, ToUnit: unitDinkes, Instructions: []string{"Proses"}}, h.now)
	if err != nil {
		t.Fatal(err)
	}
	move.Origin, move.Seen = "koordinator", h.r.SeenBy("koordinator", move.BaseVersion)
	if c := h.r.Apply(move); c != nil {
		t.Fatal(c.Reason)
	}
	// PUPR's desk decides on its own view, as storage does.
	decide := func(cmd Command) Event {
		t.Helper()
		cmd.Unit, cmd.Actor = unitPUPR, "Admin PUPR"
		e, err := Decide(offline, cmd, h.now)
		if err != nil {
			t.Fatal(err)
		}
		e.Origin, e.Seen = "pupr", offline.SeenBy("pupr", e.BaseVersion)
		if c := offline.Apply(e); c != nil {
			t.Fatal(c.Reason)
		}
		return e
	}
	note := decide(Command{Action: ActNote, Text: "Dicek besok"})
	edit := decide(Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}})
	if edit.BaseVersion != move.BaseVersion+1 || edit.Seen != 3 {
		t.Fatalf("setup: the edit is based on %d having seen %d", edit.BaseVersion, edit.Seen)
	}
	if c := h.r.Apply(note); c != nil {
		t.Fatalf("the note: %s", c.Reason)
	}
	c := h.r.Apply(edit)
	if c == nil {
		t.Fatalf("PUPR's offline edit applied over a move it never saw: desa %q, unit %s", h.r.Location.Desa, h.r.Unit)
	}
	if h.r.Unit != unitDinkes || h.r.Location.Desa == "Pao-Pao" {
		t.Fatalf("after the stale edit: unit %s, desa %q", h.r.Unit, h.r.Location.Desa)
	}
	// DINKES, having seen everything, edits: not stale.
	fresh := Event{ID: edit.ID, ReportID: h.r.ID, Kind: EvEdited, At: h.now, Unit: unitDinkes, BaseVersion: h.r.Version,
		Payload: Payload{Changes: []FieldChange{{Field: "desa", Value: "Lipukasi"}}}, Origin: "dinkes", Seen: h.r.SeenBy("dinkes", h.r.Version)}
	fresh.ID[15]++
	if c := h.r.Apply(fresh); c != nil {
		t.Fatalf("DINKES's edit on what it saw: %s", c.Reason)
	}
	// Step by step and replayed agree.
	all := append(append([]Event{}, h.events...), move, note, edit, fresh)
	if r, err := Replay(all); err != nil || r.Version != h.r.Version || len(r.Conflicts) != 1 || r.Location.Desa != "Lipukasi" {
		t.Fatalf("replayed: %+v %v", r, err)
	}
}
