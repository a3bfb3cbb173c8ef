package main

import (
	"context"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// conflictOn gives report ref of db a sync conflict: this desk's title edit reached
// the hub first, and another desk's edit of the title, on the version before,
// arrives after it. It returns the conflicting event.
func conflictOn(t *testing.T, db, ref, hereTitle, otherTitle string) lapordesk.Event {
	t.Helper()
	ok(t, cli(t, db, "", nil, "act", ref, "edit", "--set", "title="+hereTitle))
	ctx := context.Background()
	s, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id, err := s.Resolve(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := s.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	before, err := lapordesk.Replay(hist[:len(hist)-1]) // the version the other desk saw
	if err != nil {
		t.Fatal(err)
	}
	other, err := lapordesk.Decide(before, lapordesk.Command{Action: lapordesk.ActEdit, Unit: "DINKES", Actor: "Rina",
		Changes: []lapordesk.FieldChange{{Field: "title", Value: otherTitle}}}, before.UpdatedAt)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := s.Outbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.Cursor(ctx) // the hub's sequence numbers go on from the last one seen
	if err != nil {
		t.Fatal(err)
	}
	acks := make([]storage.Ack, len(sent))
	for i, o := range sent {
		acks[i] = storage.Ack{EventID: o.Event.ID, HubSeq: last + int64(i+1)}
	}
	if err := s.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	next := last + int64(len(acks)+1)
	if res, err := s.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: next, Event: other}}, next); err != nil || res.Conflicts != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	return other
}

func historyLen(t *testing.T, db, ref string) int {
	t.Helper()
	ctx := context.Background()
	s, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id, err := s.Resolve(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return len(h)
}

// show names each conflict with the window's choices, as the commands that make
// them; act resolve makes either, the other version and the resolve as one change,
// and refuses what cannot be done without writing anything.
func TestResolveConflictFromTheCommandLine(t *testing.T) {
	t.Parallel()
	en := []string{"LAPORDESK_LANG=en"}
	db := setupDesk(t)
	ok(t, cli(t, db, "", nil, "add", "--title", "Antrean puskesmas", "--body", "Pasien menunggu sampai siang.", "--reporter-name", "Siti Aminah"))
	ok(t, cli(t, db, "", nil, "add", "--title", "Jalan rusak", "--body", "Lubang besar.", "--reporter-name", "Baso"))
	apply := "DINKES-2026-00001"
	keep := "DINKES-2026-00002"
	ev := conflictOn(t, db, apply, "Antrean di Puskesmas Tanete", "Antrean panjang di Puskesmas Pancana")
	same := conflictOn(t, db, keep, "Jalan poros rusak", "Jalan poros rusak")

	out := ok(t, cli(t, db, "", en, "show", apply)).stdout
	for _, want := range []string{
		"Conflicts to resolve:",
		"Edited (DINKES · Rina) not applied: the report was changed on another desk",
		"in effect: Edited (DINKES · Andi)",
		"keep the version in effect: lapordesk act " + apply + " resolve --resolves " + ev.ID.String() + "\n",
		"apply the other version now (Edit): lapordesk act " + apply + " resolve --resolves " + ev.ID.String() + " --apply-other\n",
		"Suggested action: verify",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	out = ok(t, cli(t, db, "", en, "show", keep)).stdout
	if !strings.Contains(out, "the other version cannot be applied now") || strings.Contains(out, "--apply-other") {
		t.Errorf("show offers to apply an edit that changes nothing:\n%s", out)
	}

	// Refused: nothing written.
	hash := stateHash(t, db)
	r := cli(t, db, "", en, "act", keep, "resolve", "--resolves", same.ID.String(), "--apply-other")
	if r.code != 1 || !strings.Contains(r.stderr, "the other version cannot be applied now") {
		t.Errorf("apply what changes nothing: exit %d, %q", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"act", apply, "verify", "--apply-other"},
		{"act", apply, "resolve", "--resolves", ev.ID.String(), "--reason", "x"},
	} {
		if r := cli(t, db, "", en, args...); r.code != 2 {
			t.Errorf("%q: exit %d, %q", args, r.code, r.stderr)
		}
	}
	if stateHash(t, db) != hash {
		t.Fatal("a refused resolve changed the store")
	}

	// Apply: the redo and the resolve; keep: the resolve only.
	n := historyLen(t, db, apply)
	ok(t, cli(t, db, "", en, "act", apply, "resolve", "--resolves", ev.ID.String(), "--apply-other", "--text", "Judul meja Rina lebih lengkap."))
	if got := historyLen(t, db, apply); got != n+2 {
		t.Errorf("apply: history %d → %d, want the redo and the resolve", n, got)
	}
	out = ok(t, cli(t, db, "", en, "show", apply)).stdout
	if !strings.HasPrefix(out, "Title:") || !strings.Contains(out, "Antrean panjang di Puskesmas Pancana\n") || strings.Contains(out, "Conflicts to resolve") {
		t.Errorf("after applying:\n%s", out)
	}
	n = historyLen(t, db, keep)
	ok(t, cli(t, db, "", en, "act", keep, "resolve", "--resolves", same.ID.String()))
	if got := historyLen(t, db, keep); got != n+1 {
		t.Errorf("keep: history %d → %d, want the resolve only", n, got)
	}
	if out := ok(t, cli(t, db, "", en, "show", keep)).stdout; strings.Contains(out, "Conflicts to resolve") {
		t.Errorf("after keeping:\n%s", out)
	}
}
