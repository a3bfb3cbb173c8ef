package sync_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// A bad event already on a hub (stored by an older hub, before its rules) never
// wedges a desk: the desk sets it aside unstored, says so, and takes the rest of
// its feed.
func TestDeskSetsAsideABadEventFromTheHub(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	b := newDesk(t, h, "b", "DINKES", lapordesk.RoleUnit)
	id := a.receive(t, sample("Antrean puskesmas"))
	a.sync(t)

	// What an older hub let in: a note with terminal escapes.
	bad := lapordesk.Event{ID: uuid.Must(uuid.NewV7()), ReportID: id, Kind: lapordesk.EvNoted, At: time.Now().UTC().Truncate(time.Millisecond),
		Unit: "DINKES", Actor: "Penyusup", BaseVersion: 1, Payload: lapordesk.Payload{Text: "lihat \x1b[2J\x1b[31mPENTING"}}
	body, err := bad.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	db, err := sql.Open("sqlite", "file:"+h.st.Path()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec("INSERT INTO events (id, report_id, kind, unit, body, hash, device, received_at) VALUES (?, ?, ?, ?, ?, ?, 'old-hub', 0)",
		bad.ID.String(), id.String(), string(bad.Kind), "DINKES", body, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	seq, _ := res.LastInsertId()
	if _, err := db.Exec("INSERT INTO feed (unit, seq) VALUES ('DINKES', ?)", seq); err != nil {
		t.Fatal(err)
	}
	db.Close()
	a.act(t, id, lapordesk.Command{Action: lapordesk.ActVerify})
	a.sync(t)

	s := b.sync(t)
	if len(s.SetAside) != 1 || s.SetAside[0].EventID != bad.ID || !strings.Contains(s.SetAside[0].Reason, "control") {
		t.Fatalf("the bad event: %+v", s)
	}
	v, err := b.st.View(ctx, id)
	if err != nil || v.Report.Status != lapordesk.StatusVerified {
		t.Fatalf("the events after the bad one did not arrive: %v %v", v.Report.Status, err)
	}
	for _, e := range v.History {
		if e.ID == bad.ID {
			t.Fatal("the bad event was stored")
		}
	}
	if s := b.sync(t); len(s.SetAside) != 0 {
		t.Fatalf("the next round met it again: %+v", s)
	}
}

// An event the hub's administrator quarantines is no longer handed out: a desk
// that pulls it gets its ID and the reason, skips it and says so; the report's
// state on the hub no longer counts it, so the rest of the feed applies.
func TestQuarantinedEventIsSkippedAndReported(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := startHub(t)
	a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
	id := a.receive(t, sample("Antrean puskesmas"))
	v := a.act(t, id, lapordesk.Command{Action: lapordesk.ActNote, Text: "Catatan yang salah tempat"})
	a.sync(t)
	note := v.History[len(v.History)-1]
	if err := h.st.Quarantine(ctx, note.ID, "catatan berisi data pribadi"); err != nil {
		t.Fatal(err)
	}
	b := newDesk(t, h, "b", "DINKES", lapordesk.RoleUnit)
	s := b.sync(t)
	if len(s.SetAside) != 1 || s.SetAside[0].EventID != note.ID || !strings.Contains(s.SetAside[0].Reason, "data pribadi") {
		t.Fatalf("the quarantined note: %+v", s)
	}
	hist, err := b.st.History(ctx, id)
	if err != nil || len(hist) != 1 {
		t.Fatalf("b's history: %d events, %v", len(hist), err)
	}
	// Work goes on: a verification by b applies on the hub.
	b.act(t, id, lapordesk.Command{Action: lapordesk.ActVerify})
	if s := b.sync(t); s.Sent != 1 || len(s.Refused) != 0 || s.Flagged != 0 {
		t.Fatalf("b's verification: %+v", s)
	}
}
