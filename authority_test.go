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
