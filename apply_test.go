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

func statusesOf(spans []Span) []Status {
	out := make([]Status, len(spans))
	for i, s := range spans {
		out[i] = s.Status
	}
	return out
}

func TestLifecycleReceiveToReopen(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Biasa))
	r := h.r
	if r.Status != StatusNew || r.Version != 1 || r.Changed != 1 || !r.ReceivedAt.Equal(t0) || r.Unit != unitCoord {
		t.Fatalf("after receipt: status %q version %d changed %d received %v unit %q", r.Status, r.Version, r.Changed, r.ReceivedAt, r.Unit)
	}
	if len(r.Attachments) != 1 || r.Attachments[0].SHA256 != sampleSHA {
		t.Errorf("attachments after receipt: %+v", r.Attachments)
	}

	// Verify with corrections of title, classification and category.
	tVerify := t0.Add(2 * time.Hour)
	h.at(tVerify).do(Command{Action: ActVerify, Actor: "Admin", Changes: []FieldChange{
		{Field: "title", Value: "Jalan poros Lipukasi berlubang"},
		{Field: "classification", Value: string(Aspirasi)},
		{Field: "category_id", Value: "infrastruktur.jalan"},
	}})
	if r.Status != StatusVerified || r.Title != "Jalan poros Lipukasi berlubang" || r.Classification != Aspirasi || r.CategoryID != "infrastruktur.jalan" {
		t.Errorf("after verify: status %q title %q class %q cat %q", r.Status, r.Title, r.Classification, r.CategoryID)
	}
	if r.VerifiedAt == nil || !r.VerifiedAt.Equal(tVerify) || r.Changed != 2 {
		t.Errorf("after verify: VerifiedAt %v Changed %d", r.VerifiedAt, r.Changed)
	}
	if !r.PhaseStart.Equal(t0) {
		t.Errorf("verification restarted the clock: PhaseStart %v", r.PhaseStart)
	}

	// Dispose to the health office with instructions.
	tDispose := t0.Add(24 * time.Hour)
	h.at(tDispose).do(Command{Action: ActDispose, Actor: "Kadis", Unit: unitCoord, ToUnit: unitDinkes,
		Instructions: []string{"Tanggapan dan saran", "Koordinasikan"}})
	if r.Status != StatusDisposed || r.Unit != unitDinkes || r.DisposedBy != unitCoord {
		t.Errorf("after dispose: status %q unit %q disposed by %q", r.Status, r.Unit, r.DisposedBy)
	}
	if !reflect.DeepEqual(r.Instructions, []string{"Tanggapan dan saran", "Koordinasikan"}) {
		t.Errorf("instructions %q", r.Instructions)
	}
	if !reflect.DeepEqual(r.Units, []string{unitCoord, unitDinkes}) {
		t.Errorf("units %q", r.Units)
	}
	if r.DisposedAt == nil || !r.DisposedAt.Equal(tDispose) || !r.PhaseStart.Equal(tDispose) {
		t.Errorf("DisposedAt %v PhaseStart %v, want %v", r.DisposedAt, r.PhaseStart, tDispose)
	}

	tRespond := tDispose.Add(24 * time.Hour)
	h.at(tRespond).do(Command{Action: ActRespond, Unit: unitDinkes, Text: "Sedang kami cek ke lapangan."})
	if r.Status != StatusInProgress || r.FirstResponseAt == nil || !r.FirstResponseAt.Equal(tRespond) {
		t.Errorf("after respond: status %q first response %v", r.Status, r.FirstResponseAt)
	}

	tFollow := tRespond.Add(48 * time.Hour)
	h.at(tFollow).do(Command{Action: ActFollowUp, Unit: unitDinkes, Text: "Jalan sudah ditambal.",
		Attachments: []Attachment{{Name: "sesudah.jpg", Size: 10, SHA256: strings.Repeat("a", 64)}}})
	if r.Status != StatusFollowedUp || r.FollowUpAt == nil || !r.FollowUpAt.Equal(tFollow) || !r.PhaseStart.Equal(tFollow) {
		t.Errorf("after follow-up: status %q FollowUpAt %v PhaseStart %v", r.Status, r.FollowUpAt, r.PhaseStart)
	}
	if !r.FirstResponseAt.Equal(tRespond) {
		t.Errorf("follow-up moved the first response to %v", r.FirstResponseAt)
	}
	if len(r.Attachments) != 2 {
		t.Errorf("follow-up attachment not added: %+v", r.Attachments)
	}

	tReply := tFollow.Add(24 * time.Hour)
	h.at(tReply).do(Command{Action: ActReply, Unit: unitDinkes, Text: "Masih ada lubang di ujung jalan."})
	if r.Status != StatusInProgress || !r.PhaseStart.Equal(tReply) {
		t.Errorf("after reply: status %q PhaseStart %v", r.Status, r.PhaseStart)
	}

	tFollow2 := tReply.Add(24 * time.Hour)
	h.at(tFollow2).do(Command{Action: ActFollowUp, Unit: unitDinkes, Text: "Ujung jalan sudah ditambal."})
	if r.Status != StatusFollowedUp || !r.FollowUpAt.Equal(tFollow2) {
		t.Errorf("after second follow-up: status %q FollowUpAt %v", r.Status, r.FollowUpAt)
	}

	tClose := tFollow2.Add(15 * 24 * time.Hour)
	h.at(tClose).do(Command{Action: ActClose, Unit: unitDinkes, Reason: "Tidak ada tanggapan pelapor"})
	if r.Status != StatusClosed || r.ClosedAt == nil || !r.ClosedAt.Equal(tClose) || r.Open() {
		t.Errorf("after close: status %q ClosedAt %v open %v", r.Status, r.ClosedAt, r.Open())
	}

	tReopen := tClose.Add(24 * time.Hour)
	h.at(tReopen).do(Command{Action: ActReopen, Unit: unitDinkes, Reason: "Pelapor melapor ulang"})
	if r.Status != StatusInProgress || r.ClosedAt != nil || !r.PhaseStart.Equal(tReopen) {
		t.Errorf("after reopen: status %q ClosedAt %v PhaseStart %v", r.Status, r.ClosedAt, r.PhaseStart)
	}

	wantSpans := []Status{StatusNew, StatusVerified, StatusDisposed, StatusInProgress, StatusFollowedUp,
		StatusInProgress, StatusFollowedUp, StatusClosed, StatusInProgress}
	if got := statusesOf(r.Spans); !reflect.DeepEqual(got, wantSpans) {
		t.Errorf("spans %v, want %v", got, wantSpans)
	}
	if r.Version != len(h.events) || !r.UpdatedAt.Equal(tReopen) {
		t.Errorf("version %d (events %d), updated %v", r.Version, len(h.events), r.UpdatedAt)
	}
	h.replay()
}

func TestReturnGoesBackToDisposer(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	h.do(Command{Action: ActDispose, Unit: unitCoord, ToUnit: unitDinkes})
	h.do(Command{Action: ActReturn, Unit: unitDinkes, Reason: "Bukan wewenang Dinas Kesehatan"})
	if h.r.Status != StatusReturned || h.r.Unit != unitCoord {
		t.Fatalf("after return: status %q unit %q, want dikembalikan at %s", h.r.Status, h.r.Unit, unitCoord)
	}
	h.do(Command{Action: ActDispose, Unit: unitCoord, ToUnit: unitPUPR})
	if h.r.Unit != unitPUPR || h.r.DisposedBy != unitCoord {
		t.Errorf("after redisposal: unit %q disposed by %q", h.r.Unit, h.r.DisposedBy)
	}
	if want := []string{unitCoord, unitDinkes, unitCoord, unitPUPR}; !reflect.DeepEqual(h.r.Units, want) {
		t.Errorf("units %q, want %q", h.r.Units, want)
	}
	h.replay()
}

func TestReturnBeforeAnyDispositionKeepsUnit(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Biasa))
	h.do(cmdFor(ActReturn))
	if h.r.Unit != unitCoord || len(h.r.Units) != 1 {
		t.Errorf("unit %q units %q", h.r.Unit, h.r.Units)
	}
}

func TestRedisposeToSameUnitRefused(t *testing.T) {
	t.Parallel()
	for _, s := range []Status{StatusDisposed, StatusInProgress} {
		h := reportIn(t, s)
		_, err := h.try(Command{Action: ActDispose, ToUnit: h.r.Unit})
		wantFieldError(t, err, "to_unit", ProblemDuplicate)
		// Redirecting to another unit is what dispose is for here.
		h.do(Command{Action: ActDispose, ToUnit: unitDinkes})
	}
	// A coordinator may take a verified report on itself.
	h := reportIn(t, StatusVerified)
	h.do(Command{Action: ActDispose, ToUnit: h.r.Unit})
}

func TestArchiveAndReopen(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Biasa))
	h.do(Command{Action: ActArchive, Reason: "Bukan kinerja pemerintah"})
	if h.r.Status != StatusArchived || h.r.Open() {
		t.Fatalf("after archive: %q open %v", h.r.Status, h.r.Open())
	}
	tReopen := t0.Add(72 * time.Hour)
	h.at(tReopen).do(Command{Action: ActReopen, Reason: "Diarsipkan keliru"})
	if h.r.Status != StatusNew || !h.r.PhaseStart.Equal(tReopen) {
		t.Errorf("after reopen: %q phase %v", h.r.Status, h.r.PhaseStart)
	}
	h.replay()
}

func TestNotesAndEditsInEveryStatus(t *testing.T) {
	t.Parallel()
	for _, s := range Statuses {
		t.Run(string(s), func(t *testing.T) {
			h := reportIn(t, s)
			changed := h.r.Changed
			h.do(Command{Action: ActNote, Text: "dicek"})
			if h.r.Status != s || h.r.Changed != changed {
				t.Errorf("note: status %q changed %d, want %q %d", h.r.Status, h.r.Changed, s, changed)
			}
			h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "body", Value: "Isi yang dikoreksi"}, {Field: "lat", Value: "-4.4"}}})
			if h.r.Status != s || h.r.Body != "Isi yang dikoreksi" || h.r.Location.Lat == nil || *h.r.Location.Lat != -4.4 {
				t.Errorf("edit: status %q body %q lat %v", h.r.Status, h.r.Body, h.r.Location.Lat)
			}
			if h.r.Changed != h.r.Version {
				t.Errorf("edit did not mark the report changed: changed %d version %d", h.r.Changed, h.r.Version)
			}
			h.replay()
		})
	}
}

func TestEditRules(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Biasa))
	for _, tc := range []struct {
		name    string
		changes []FieldChange
		field   string
		problem string
	}{
		{"unknown field", []FieldChange{{Field: "unit", Value: "X"}}, "changes", ProblemUnknown},
		{"duplicate field", []FieldChange{{Field: "title", Value: "a"}, {Field: "title", Value: "b"}}, "title", ProblemDuplicate},
		{"bad date", []FieldChange{{Field: "incident_date", Value: "20-10-2026"}}, "incident_date", ProblemFormat},
		{"future date", []FieldChange{{Field: "incident_date", Value: "2030-01-01"}}, "incident_date", ProblemRange},
		{"bad lat", []FieldChange{{Field: "lat", Value: "utara"}}, "lat", ProblemFormat},
		{"lat range", []FieldChange{{Field: "lat", Value: "91"}}, "lat", ProblemRange},
		{"lat NaN", []FieldChange{{Field: "lat", Value: "NaN"}}, "lat", ProblemRange},
		{"lon infinite", []FieldChange{{Field: "lon", Value: "-Inf"}}, "lon", ProblemRange},
		{"clear tracking id", []FieldChange{{Field: "tracking_id", Value: ""}}, "tracking_id", ProblemRequired},
		{"newline in title", []FieldChange{{Field: "title", Value: "a\nb"}}, "title", ProblemControl},
		{"clear name of Biasa reporter", []FieldChange{{Field: "reporter_name", Value: ""}}, "reporter_name", ProblemRequired},
		{"bad phone", []FieldChange{{Field: "reporter_phone", Value: "telp"}}, "reporter_phone", ProblemFormat},
		{"unknown classification", []FieldChange{{Field: "classification", Value: "gugatan"}}, "classification", ProblemUnknown},
		{"no changes", nil, "changes", ProblemRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.try(Command{Action: ActEdit, Changes: tc.changes})
			wantFieldError(t, err, tc.field, tc.problem)
		})
	}
	// Verification may correct only title, classification and category.
	_, err := h.try(Command{Action: ActVerify, Changes: []FieldChange{{Field: "body", Value: "lain"}}})
	wantFieldError(t, err, "changes", ProblemUnknown)
	if h.r.Version != 1 || h.r.Status != StatusNew {
		t.Errorf("refused commands changed the report: version %d status %q", h.r.Version, h.r.Status)
	}
}

func TestEditNeverLiftsAnonim(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Anonim))
	for _, v := range []Confidentiality{Biasa, Rahasia, "Anonim", ""} {
		_, err := h.try(Command{Action: ActEdit, Changes: []FieldChange{{Field: "confidentiality", Value: string(v)}}})
		wantFieldError(t, err, "confidentiality", ProblemImmutable)
	}
	// Keeping it Anonim is fine. Biasa may not become Anonim afterwards: the
	// identity is already in the shared history and cannot be recalled.
	h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "confidentiality", Value: string(Anonim)}}})
	b := newHistory(t, sampleNewReport(Biasa))
	_, err := b.try(Command{Action: ActEdit, Changes: []FieldChange{{Field: "confidentiality", Value: string(Anonim)}}})
	wantFieldError(t, err, "confidentiality", ProblemImmutable)
	// Nor is an Anonim identity edited: it never enters the history.
	for _, ch := range identityEdits {
		_, err := h.try(Command{Action: ActEdit, Changes: []FieldChange{ch}})
		wantFieldError(t, err, ch.Field, ProblemImmutable)
	}
	// An edit event that lifts anonymity, arriving by sync, is a conflict.
	ev := h.events[len(h.events)-1]
	ev.ID = uuid.Must(uuid.NewV7())
	ev.BaseVersion = h.r.Version
	ev.Payload.Changes = []FieldChange{{Field: "confidentiality", Value: string(Biasa)}}
	if c := h.r.Apply(ev); c == nil || h.r.Confidentiality != Anonim {
		t.Errorf("synced edit lifting Anonim applied: conflict %v, confidentiality %q", c, h.r.Confidentiality)
	}
}

func TestStaleCheckedCommandsRefused(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified) // version 2, changed 2
	seen := h.r.Version
	h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}}) // changes at 3
	for _, a := range []Action{ActDispose, ActPostpone, ActReturn, ActArchive, ActEdit} {
		cmd := cmdFor(a)
		cmd.BaseVersion = seen
		_, err := h.try(cmd)
		var se *StaleError
		if !errors.As(err, &se) || !errors.Is(err, ErrConflict) {
			t.Errorf("%s on stale base: err %v, want *StaleError wrapping ErrConflict", a, err)
			continue
		}
		if se.Base != seen || se.Changed != 3 {
			t.Errorf("%s: StaleError{Base %d, Changed %d}, want {%d, 3}", a, se.Base, se.Changed, seen)
		}
		if errors.Is(err, ErrInvalid) {
			t.Errorf("%s: a stale error must not read as invalid input", a)
		}
	}
}

// TestStaleBeforeIllegal: a desk that saw the report verified archives it after
// another desk disposed it. Archive is illegal now only because the report moved on:
// Decide says "stale, reload", as Apply says when the same event arrives by sync.
func TestStaleBeforeIllegal(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	seen := h.r.clone()
	h.do(Command{Action: ActDispose, ToUnit: unitDinkes})
	cmd := Command{Action: ActArchive, Unit: unitCoord, Reason: "Terlalu umum", BaseVersion: seen.Version}
	_, err := h.try(cmd)
	var se *StaleError
	if !errors.As(err, &se) {
		t.Fatalf("Decide: %v, want *StaleError", err)
	}
	e, err := Decide(seen, cmd, h.now)
	if err != nil {
		t.Fatal(err)
	}
	if c := h.r.Apply(e); c == nil || !strings.Contains(c.Reason, se.Error()) {
		t.Errorf("Apply conflict %+v, want the same stale error %q", c, se.Error())
	}
}

func TestAppendOnlyCommandsNeverStale(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status Status
		action Action
	}{
		{StatusInProgress, ActRespond}, {StatusInProgress, ActFollowUp}, {StatusInProgress, ActReply},
		{StatusInProgress, ActNote}, {StatusNew, ActNote}, {StatusClosed, ActNote},
	} {
		t.Run(string(tc.status)+"/"+string(tc.action), func(t *testing.T) {
			h := reportIn(t, tc.status)
			h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}})
			cmd := cmdFor(tc.action)
			cmd.BaseVersion = 1
			e := h.do(cmd)
			if e.BaseVersion != 1 {
				t.Errorf("event base %d, want the stale base 1 kept", e.BaseVersion)
			}
			if len(h.r.Conflicts) != 0 {
				t.Errorf("conflicts: %+v", h.r.Conflicts)
			}
		})
	}
}

func TestCheckedCommandAfterNotesIsNotStale(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	seen := h.r.Version
	h.do(Command{Action: ActNote, Text: "satu"})
	h.do(Command{Action: ActRespond, Text: "dua"})
	if h.r.Status != StatusInProgress {
		t.Fatalf("status %q", h.r.Status)
	}
	// The respond changed the status, so a dispose based on the earlier view is stale...
	cmd := cmdFor(ActDispose)
	cmd.BaseVersion = seen
	if _, err := h.try(cmd); !errors.Is(err, ErrConflict) {
		t.Errorf("dispose after a status change: err %v, want conflict", err)
	}
	// ...but one based on the view after the respond stays valid after more notes.
	seen = h.r.Version
	h.do(Command{Action: ActNote, Text: "tiga"})
	cmd.BaseVersion = seen
	h.do(cmd)
}

func TestBaseVersionFromTheFutureRefused(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	for _, a := range []Action{ActDispose, ActNote} {
		cmd := cmdFor(a)
		cmd.BaseVersion = h.r.Version + 1
		_, err := h.try(cmd)
		wantFieldError(t, err, "base_version", ProblemRange)
	}
}

// TestReplayKeepsConflicts merges the work of two devices that both saw version 2:
// the later, stale archive and an illegal close stay in history as conflicts, change
// nothing, and are cleared by resolve events.
func TestReplayKeepsConflicts(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	base := h.r.clone()
	dispose := h.do(Command{Action: ActDispose, ToUnit: unitDinkes, BaseVersion: 2})

	// Device B decided on version 2 too.
	archive, err := Decide(base, Command{Action: ActArchive, Unit: unitCoord, Reason: "Terlalu umum", BaseVersion: 2}, h.now)
	if err != nil {
		t.Fatal(err)
	}
	// An illegal event: a close while the report is disposed.
	closeEv := dispose
	closeEv.ID = uuid.Must(uuid.NewV7())
	closeEv.Kind = EvClosed
	closeEv.BaseVersion = 3
	closeEv.Payload = Payload{Reason: "selesai"}

	before := h.r.clone()
	for _, e := range []Event{archive, closeEv} {
		if c := h.r.Apply(e); c == nil {
			t.Fatalf("%s applied without conflict", e.Kind)
		}
		h.events = append(h.events, e)
	}
	if h.r.Status != StatusDisposed || h.r.Unit != unitDinkes || h.r.ClosedAt != nil || h.r.Changed != before.Changed {
		t.Errorf("conflicting events changed the report: status %q unit %q closed %v changed %d", h.r.Status, h.r.Unit, h.r.ClosedAt, h.r.Changed)
	}
	if h.r.Version != before.Version+2 {
		t.Errorf("version %d, want %d: conflicting events still count", h.r.Version, before.Version+2)
	}
	r := h.replay()
	if len(r.Conflicts) != 2 || r.Conflicts[0].EventID != archive.ID || r.Conflicts[1].EventID != closeEv.ID {
		t.Fatalf("conflicts %+v", r.Conflicts)
	}
	if !strings.Contains(r.Conflicts[0].Reason, "changed since version 2") {
		t.Errorf("stale conflict reason %q", r.Conflicts[0].Reason)
	}
	if !strings.Contains(r.Conflicts[1].Reason, string(StatusDisposed)) || !strings.Contains(r.Conflicts[1].Reason, "close") {
		t.Errorf("illegal conflict reason %q", r.Conflicts[1].Reason)
	}
	if r.Conflicts[0].Kind != EvArchived || r.Conflicts[1].Kind != EvClosed {
		t.Errorf("conflict kinds %q %q", r.Conflicts[0].Kind, r.Conflicts[1].Kind)
	}

	// Resolving: unknown IDs are refused; each resolve removes its conflict.
	if _, err := h.try(Command{Action: ActResolve, Resolves: ptr(uuid.Must(uuid.NewV7()))}); !errors.Is(err, ErrInvalid) {
		t.Errorf("resolve of no conflict: err %v", err)
	}
	h.do(Command{Action: ActResolve, Resolves: &archive.ID})
	if len(h.r.Conflicts) != 1 || h.r.Conflicts[0].EventID != closeEv.ID {
		t.Errorf("after first resolve: %+v", h.r.Conflicts)
	}
	h.do(Command{Action: ActResolve, Resolves: &closeEv.ID})
	if len(h.r.Conflicts) != 0 || h.r.Status != StatusDisposed {
		t.Errorf("after second resolve: %+v status %q", h.r.Conflicts, h.r.Status)
	}
	h.replay()
}

func TestReplayIsDeterministic(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusClosed)
	stale := h.events[2]
	stale.ID = uuid.Must(uuid.NewV7())
	h.r.Apply(stale)
	h.events = append(h.events, stale)
	a, err := Replay(h.events)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Replay(h.events)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two replays differ:\n%+v\n%+v", a, b)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("two replays encode differently")
	}
	// Mutating one replay must not leak into the other or into the events.
	a.Units[0] = "X"
	a.Attachments[0].Name = "x"
	if b.Units[0] == "X" || b.Attachments[0].Name == "x" || h.events[0].Payload.Report.Attachments[0].Name == "x" {
		t.Error("replays share slices with each other or with the events")
	}
}

func TestReceiptWithoutReportIsAConflict(t *testing.T) {
	t.Parallel()
	good := t0Event()
	bad := good
	bad.ID = uuid.Must(uuid.NewV7())
	bad.Payload.Report = nil
	r, err := Replay([]Event{bad, good})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Conflicts) != 1 || r.Conflicts[0].EventID != bad.ID || r.Conflicts[0].Reason != "receipt without a report" {
		t.Errorf("conflicts %+v", r.Conflicts)
	}
	if _, err := Replay([]Event{bad}); !errors.Is(err, ErrInvalid) {
		t.Errorf("only an empty receipt: %v", err)
	}
}

func TestHashOfUnencodableEvent(t *testing.T) {
	t.Parallel()
	e := t0Event()
	bad := e
	bad.Payload.Extra = map[string]any{"x": func() {}}
	if _, err := bad.Canonical(); err == nil {
		t.Fatal("Canonical encoded a function")
	}
	if h := bad.Hash(); len(h) != 64 || h == e.Hash() {
		t.Errorf("hash of an unencodable event %q (well-formed %q)", h, e.Hash())
	}
}

func TestReplayErrors(t *testing.T) {
	t.Parallel()
	if _, err := Replay(nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Replay(nil): %v, want ErrNotFound", err)
	}
	h := reportIn(t, StatusVerified)
	if _, err := Replay(h.events[1:]); !errors.Is(err, ErrInvalid) {
		t.Errorf("Replay without receipt: %v, want ErrInvalid", err)
	}
	dup := h.events[0]
	dup.ID = uuid.Must(uuid.NewV7())
	r, err := Replay(append(append([]Event(nil), h.events...), dup))
	if err != nil || len(r.Conflicts) != 1 || r.Conflicts[0].Reason != "duplicate receipt" || r.Status != StatusVerified {
		t.Errorf("duplicate receipt: %v %+v", err, r)
	}
	unknown := h.events[1]
	unknown.ID = uuid.Must(uuid.NewV7())
	unknown.Kind = "teleported"
	var r2 Report = *h.r.clone()
	if c := r2.Apply(unknown); c == nil || !strings.Contains(c.Reason, "teleported") {
		t.Errorf("unknown kind: conflict %+v", c)
	}
}

// TestReplayKeepsEventsBeforeReceipt: with clock skew between devices an event can be
// ordered before the receipt; it must stay visible as a conflict, not vanish.
func TestReplayKeepsEventsBeforeReceipt(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	note := h.do(Command{Action: ActNote, Text: "dari perangkat lain"})
	order := []Event{note, h.events[0], h.events[1]}
	r, err := Replay(order)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Conflicts) != 1 || r.Conflicts[0].EventID != note.ID || !strings.Contains(r.Conflicts[0].Reason, "before the report was received") {
		t.Fatalf("conflicts %+v, want the early note", r.Conflicts)
	}
	if r.Status != StatusVerified || r.Version != 2 {
		t.Errorf("status %q version %d", r.Status, r.Version)
	}
	e, err := Decide(r, Command{Action: ActResolve, Unit: unitCoord, Resolves: &note.ID}, h.now)
	if err != nil {
		t.Fatalf("resolving the early event: %v", err)
	}
	if c := r.Apply(e); c != nil || len(r.Conflicts) != 0 {
		t.Errorf("after resolve: %v %+v", c, r.Conflicts)
	}
	if _, err := Replay(order[:1]); !errors.Is(err, ErrInvalid) {
		t.Errorf("history without receipt: %v", err)
	}
}

func TestApplyRefusesEventOfAnotherReport(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	other := reportIn(t, StatusVerified)
	e, err := Decide(other.r, Command{Action: ActArchive, Unit: unitCoord, Reason: "x"}, h.now)
	if err != nil {
		t.Fatal(err)
	}
	before := h.r.clone()
	c := h.r.Apply(e)
	if c == nil || !strings.Contains(c.Reason, "another report") {
		t.Fatalf("event of another report: conflict %+v", c)
	}
	if h.r.Status != StatusVerified || h.r.Changed != before.Changed || len(h.r.Conflicts) != 1 {
		t.Errorf("event of another report changed the report: %+v", h.r)
	}
	dup := other.events[0]
	if c := h.r.Apply(dup); c == nil || h.r.ID != before.ID || h.r.Title != before.Title {
		t.Errorf("receipt of another report replaced this one: %+v", c)
	}
}

func TestAttachAndLetterEventsApplyInAnyStatus(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusClosed)
	changed := h.r.Changed
	letter := Event{ID: uuid.Must(uuid.NewV7()), ReportID: h.r.ID, Kind: EvLetterIssued, At: h.now, Unit: unitPUPR,
		Payload: Payload{Letter: &LetterRecord{Kind: "tindak-lanjut", Number: "000.1.4/045/PUPR/XI/2026", Seq: 45, Year: 2026}}}
	att := Event{ID: uuid.Must(uuid.NewV7()), ReportID: h.r.ID, Kind: EvAttached, At: h.now, Unit: unitPUPR,
		Payload: Payload{Attachments: []Attachment{{Name: "nota.pdf", Size: 3, SHA256: strings.Repeat("b", 64)}}}}
	for _, e := range []Event{letter, att} {
		if c := h.r.Apply(e); c != nil {
			t.Fatalf("%s: conflict %q", e.Kind, c.Reason)
		}
		h.events = append(h.events, e)
	}
	if len(h.r.Letters) != 1 || h.r.Letters[0].Seq != 45 || len(h.r.Attachments) != 2 || h.r.Status != StatusClosed || h.r.Changed != changed {
		t.Errorf("letters %+v attachments %d status %q changed %d", h.r.Letters, len(h.r.Attachments), h.r.Status, h.r.Changed)
	}
	h.replay()
}

func TestDecideNormalizesTimeAndCopiesNothingShared(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	now := time.Date(2026, 11, 3, 10, 0, 0, 123456789, time.FixedZone("WITA", 8*3600))
	instr := []string{"Segera"}
	e, err := Decide(h.r, Command{Action: ActDispose, Unit: unitCoord, ToUnit: unitDinkes, Instructions: instr}, now)
	if err != nil {
		t.Fatal(err)
	}
	if e.At.Location() != time.UTC || e.At.Nanosecond() != 123456000 || !e.At.Equal(now.Truncate(time.Microsecond)) {
		t.Errorf("event time %v, want %v in UTC to the microsecond", e.At, now)
	}
	if h.r.Version != 2 || h.r.Status != StatusVerified {
		t.Errorf("Decide changed the report: version %d status %q", h.r.Version, h.r.Status)
	}
	h.r.Apply(e)
	dup := h.events[0]
	dup.ID = uuid.Must(uuid.NewV7())
	h.r.Apply(dup)
	id := dup.ID
	res, err := Decide(h.r, Command{Action: ActResolve, Unit: unitCoord, Resolves: &id}, now)
	if err != nil {
		t.Fatal(err)
	}
	id[0]++
	if *res.Payload.Resolves != dup.ID {
		t.Error("event shares the resolved ID with the command")
	}
	instr[0] = "diubah"
	if h.r.Instructions[0] != "Segera" || e.Payload.Instructions[0] != "Segera" {
		t.Errorf("report or event shares the instructions slice with the command: %q, %q", h.r.Instructions, e.Payload.Instructions)
	}
}

func TestEventHashStableAcrossJSONRoundTrip(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	events := append([]Event(nil), h.events...)
	e := h.do(Command{Action: ActDispose, ToUnit: unitDinkes, Instructions: []string{"Proses <lebih> lanjut & laporkan"}})
	events = append(events, e)
	// An event with forward-compatible extra data and a non-UTC time.
	extra := e
	extra.ID = uuid.Must(uuid.NewV7())
	extra.Kind = EvNoted
	extra.At = NormalizeTime(time.Date(2026, 11, 3, 7, 30, 0, 999999999, time.FixedZone("WITA", 8*3600)))
	extra.Payload = Payload{Text: "catatan", Extra: map[string]any{"z": 1.5, "a": []any{"x", true}, "m": map[string]any{"k": "v"}}}
	events = append(events, extra)

	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if e.Hash() != back.Hash() {
			ca, _ := e.Canonical()
			cb, _ := back.Canonical()
			t.Errorf("%s: hash changed across a JSON round trip\nbefore %s\nafter  %s", e.Kind, ca, cb)
		}
		if len(e.Hash()) != 64 {
			t.Errorf("hash %q is not hex SHA-256", e.Hash())
		}
	}
	// The same instant in another zone is the same event.
	inZone := extra
	inZone.At = extra.At.In(time.FixedZone("WIT", 9*3600))
	if inZone.Hash() != extra.Hash() {
		t.Error("hash depends on the time zone of At")
	}
	// Any change of content changes the hash.
	for name, mut := range map[string]func(*Event){
		"text":        func(e *Event) { e.Payload.Text += "." },
		"time":        func(e *Event) { e.At = e.At.Add(time.Microsecond) },
		"actor":       func(e *Event) { e.Actor = "lain" },
		"base":        func(e *Event) { e.BaseVersion++ },
		"kind":        func(e *Event) { e.Kind = EvReplied },
		"extra":       func(e *Event) { e.Payload.Extra = map[string]any{"z": 1.5} },
		"report id":   func(e *Event) { e.ReportID = uuid.Must(uuid.NewV7()) },
		"instruction": func(e *Event) { e.Payload.Instructions = []string{"x"} },
	} {
		c := extra
		mut(&c)
		if c.Hash() == extra.Hash() {
			t.Errorf("changing %s did not change the hash", name)
		}
	}
}

func TestNormalizeTime(t *testing.T) {
	t.Parallel()
	in := time.Date(2026, 1, 1, 0, 0, 0, 1999, time.FixedZone("WITA", 8*3600))
	got := NormalizeTime(in)
	if got.Location() != time.UTC || got.Nanosecond() != 1000 || !got.Equal(in.Add(-999)) {
		t.Errorf("NormalizeTime(%v) = %v", in, got)
	}
}
