package hub_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// payloadFor is a payload the domain takes for an event of kind k.
func payloadFor(k lapordesk.EventKind, resolves uuid.UUID) lapordesk.Payload {
	switch k {
	case lapordesk.EvPostponed, lapordesk.EvReturned, lapordesk.EvClosed, lapordesk.EvReopened, lapordesk.EvArchived:
		return lapordesk.Payload{Reason: "Alasan"}
	case lapordesk.EvDisposed:
		return lapordesk.Payload{ToUnit: "DISKOMINFO", Instructions: []string{"Proses"}}
	case lapordesk.EvResponded, lapordesk.EvFollowedUp, lapordesk.EvReplied, lapordesk.EvNoted:
		return lapordesk.Payload{Text: "Teks"}
	case lapordesk.EvEdited:
		return lapordesk.Payload{Changes: []lapordesk.FieldChange{{Field: "title", Value: "Judul baru"}}}
	case lapordesk.EvAttached:
		return lapordesk.Payload{Attachments: []lapordesk.Attachment{{Name: "foto.jpg", MIME: "image/jpeg", Size: 3, SHA256: hashOf([]byte("abc"))}}}
	case lapordesk.EvLetterIssued:
		return lapordesk.Payload{Letter: &lapordesk.LetterRecord{Kind: "disposisi", Number: "000.1/001/PUPR/XII/2026", Seq: 1, Year: 2026, Date: lapordesk.NewDate(2026, 12, 2)}}
	case lapordesk.EvResolved:
		return lapordesk.Payload{Resolves: &resolves}
	}
	return lapordesk.Payload{}
}

// The hub takes a unit's event by who held the report in the view the unit decided
// on, for every kind of event: PUPR held a report and the coordinator moved it on
// to DINKES. PUPR, having pulled the move, may only add notes, settle conflicts and
// number letters; what it did offline before it saw the move is kept (the domain
// flags what is stale); DINKES and the coordinator act on it as they please.
func TestTheHolderDecidesEveryEventKind(t *testing.T) {
	h := newHub(t)
	pupr := h.device(t, "PUPR", lapordesk.RoleUnit)
	dinkes := h.device(t, "DINKES", lapordesk.RoleUnit)
	coord := h.device(t, "DISKOMINFO", lapordesk.RoleCoordinator)

	// moved is a report PUPR held and pulled, then moved on to DINKES.
	moved := func() (rid, move uuid.UUID, pulled, version int) {
		rec := receipt(t, newReport("DISKOMINFO", "Jalan berlubang"))
		rid = rec.ReportID
		setup := []lapordesk.Event{
			rec,
			followOn(rid, lapordesk.EvVerified, "DISKOMINFO", 1, lapordesk.Payload{}),
			followOn(rid, lapordesk.EvDisposed, "DISKOMINFO", 2, lapordesk.Payload{ToUnit: "PUPR", Instructions: []string{"Proses"}}),
		}
		for _, e := range setup {
			if r := h.push(t, coord, pushEvent(e))[0]; r.Status != wire.Accepted {
				t.Fatalf("setup %s: %+v", e.Kind, r)
			}
		}
		h.pullAll(t, pupr) // PUPR's view: these three events
		m := followOn(rid, lapordesk.EvDisposed, "DISKOMINFO", 3, lapordesk.Payload{ToUnit: "DINKES", Instructions: []string{"Proses"}})
		if r := h.push(t, coord, pushEvent(m))[0]; r.Status != wire.Accepted {
			t.Fatalf("the move: %+v", r)
		}
		return rid, m.ID, len(setup), len(setup) + 1
	}
	var kinds, held []lapordesk.EventKind
	for _, k := range lapordesk.EventKinds {
		if k != lapordesk.EvReceived {
			kinds = append(kinds, k)
		}
		if k != lapordesk.EvReceived && k != lapordesk.EvReturned && k != lapordesk.EvDisposed {
			held = append(held, k)
		}
	}
	// Those who hold the report return it last: after that they no longer hold it.
	held = append(held, lapordesk.EvReturned)

	// PUPR after it pulled the move: its view is the whole history.
	rid, move, _, version := moved()
	for _, k := range kinds {
		before := h.stats(t)
		r := h.push(t, pupr, pushEvent(followOn(rid, k, "PUPR", version, payloadFor(k, move))))[0]
		mayStill := k == lapordesk.EvNoted || k == lapordesk.EvResolved || k == lapordesk.EvLetterIssued
		switch {
		case mayStill && r.Status == wire.Refused:
			t.Errorf("PUPR's %s after the move refused: %+v", k, r)
		case !mayStill && (r.Status != wire.Refused || r.Code != http.StatusForbidden):
			t.Errorf("PUPR's %s after the move: %+v, want refused with 403", k, r)
		case !mayStill && h.stats(t) != before:
			t.Errorf("PUPR's refused %s changed the hub", k)
		}
		if r.Status != wire.Refused {
			version++
		}
	}
	if st, err := h.st.Report(t.Context(), rid); err != nil || st.Version != version || st.Unit != "DINKES" {
		t.Fatalf("report after PUPR's tries: version %d with %s (%v), want %d with DINKES", st.Version, st.Unit, err, version)
	}

	// PUPR offline, before it saw the move: each action based on its own last one.
	rid, move, offline, _ := moved()
	for _, k := range held {
		r := h.push(t, pupr, pushEvent(followOn(rid, k, "PUPR", offline, payloadFor(k, move))))[0]
		if r.Status == wire.Refused {
			t.Errorf("PUPR's offline %s refused: %+v", k, r)
			continue
		}
		offline++
	}

	// The holder and the coordinator, on the current version.
	for _, dev := range []struct {
		name, token, unit string
		kinds             []lapordesk.EventKind
	}{{"DINKES", dinkes, "DINKES", held}, {"the coordinator", coord, "DISKOMINFO", kinds}} {
		rid, move, _, version := moved()
		for _, k := range dev.kinds {
			r := h.push(t, dev.token, pushEvent(followOn(rid, k, dev.unit, version, payloadFor(k, move))))[0]
			if r.Status == wire.Refused {
				t.Errorf("%s's %s refused: %+v", dev.name, k, r)
				continue
			}
			version++
		}
	}
}
