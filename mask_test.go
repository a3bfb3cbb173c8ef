package lapordesk

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// identity is every identifying value of the sample reporter, as it would appear in
// an export; the values given in edits are added by the tests.
var identity = []string{reporterNom, validPhone, validEmail, validNIK}

func leaked(t *testing.T, v any, values []string) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out []string
	for _, s := range values {
		if strings.Contains(string(b), s) {
			out = append(out, s)
		}
	}
	return out
}

// identityEdit changes every reporter field of h's report.
var identityEdits = []FieldChange{
	{Field: "reporter_name", Value: "Baso Andi"},
	{Field: "reporter_phone", Value: "+62 811 4000 777"},
	{Field: "reporter_email", Value: "baso@contoh.id"},
	{Field: "reporter_id_number", Value: "7311029999000002"},
}

func editValues() []string {
	out := make([]string, len(identityEdits))
	for i, c := range identityEdits {
		out[i] = c.Value
	}
	return out
}

func TestReportForDisplayMasksAnonimOnly(t *testing.T) {
	t.Parallel()
	for _, conf := range Confidentialities {
		t.Run(string(conf), func(t *testing.T) {
			h := newHistory(t, sampleNewReport(conf))
			if conf == Anonim {
				// An older desk's identity edit arriving by sync: kept as a conflict.
				h.inject(EvEdited, Payload{Changes: identityEdits})
			} else {
				h.do(Command{Action: ActEdit, Changes: identityEdits})
			}
			orig := h.r.Reporter
			shown := h.r.ForDisplay()
			all := append(append([]string(nil), identity...), editValues()...)
			if conf == Anonim {
				if shown.Reporter != (Reporter{Name: AnonymousName}) || !shown.Masked {
					t.Errorf("Anonim reporter shown as %+v (masked %v)", shown.Reporter, shown.Masked)
				}
				if l := leaked(t, shown, all); len(l) > 0 {
					t.Errorf("display of an Anonim report carries %q", l)
				}
			} else {
				if shown.Reporter != orig || shown.Masked {
					t.Errorf("%s reporter shown as %+v, want %+v", conf, shown.Reporter, orig)
				}
				if l := leaked(t, shown, editValues()); len(l) != len(identityEdits) {
					t.Errorf("%s display carries only %q of the reporter", conf, l)
				}
			}
			if h.r.Reporter != orig {
				t.Errorf("ForDisplay changed the report itself: %+v", h.r.Reporter)
			}
		})
	}
}

func TestEventForDisplayMasksAnonimOnly(t *testing.T) {
	t.Parallel()
	for _, conf := range Confidentialities {
		t.Run(string(conf), func(t *testing.T) {
			h := newHistory(t, sampleNewReport(conf))
			changes := append([]FieldChange{{Field: "desa", Value: "Pao-Pao"}}, identityEdits...)
			if conf == Anonim {
				h.inject(EvEdited, Payload{Changes: changes}) // refused, but in the history
			} else {
				h.do(Command{Action: ActEdit, Changes: changes})
			}
			all := append(append([]string(nil), identity...), editValues()...)
			var shownAll []Event
			for _, e := range h.events {
				before, _ := json.Marshal(e)
				shown := e.ForDisplay(h.r.Confidentiality)
				shownAll = append(shownAll, shown)
				after, _ := json.Marshal(e)
				if string(before) != string(after) {
					t.Errorf("%s: ForDisplay changed the event itself", e.Kind)
				}
			}
			if conf == Anonim {
				if l := leaked(t, shownAll, all); len(l) > 0 {
					t.Errorf("history of an Anonim report shows %q", l)
				}
				if got := shownAll[0].Payload.Report.Reporter; got != (Reporter{Name: AnonymousName}) {
					t.Errorf("received event reporter %+v", got)
				}
				ch := shownAll[1].Payload.Changes
				if ch[0].Value != "Pao-Pao" {
					t.Errorf("a non-identity change was masked: %+v", ch[0])
				}
				for _, c := range ch[1:] {
					if c.Value != maskedValue {
						t.Errorf("change of %s shown as %q", c.Field, c.Value)
					}
				}
			} else if l := leaked(t, shownAll, all); len(l) != len(all) {
				t.Errorf("%s history shows only %q of the reporter", conf, l)
			}
		})
	}
}

func TestReportForDisplayReturnsCopies(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	h.do(Command{Action: ActDispose, ToUnit: unitDinkes, Instructions: []string{"Segera"}})
	h.r.Letters = []LetterRecord{{Kind: "disposisi", Number: "1"}}
	h.r.Conflicts = []Conflict{{Reason: "x"}}
	orig := h.r.clone()
	shown := h.r.ForDisplay()
	shown.Spans[0].Status = "x"
	shown.Units[0] = "x"
	shown.Attachments[0].Name = "x"
	shown.Instructions[0] = "x"
	shown.Conflicts[0].Reason = "y"
	shown.Letters[0].Number = "x"
	if h.r.Spans[0].Status != orig.Spans[0].Status || h.r.Units[0] != orig.Units[0] || h.r.Attachments[0].Name != orig.Attachments[0].Name ||
		h.r.Instructions[0] != "Segera" || h.r.Conflicts[0].Reason != "x" || h.r.Letters[0].Number != "1" {
		t.Errorf("mutating the displayed copy changed the report: %+v", h.r)
	}
}

func TestEventForDisplayReturnsCopies(t *testing.T) {
	t.Parallel()
	for _, conf := range Confidentialities {
		t.Run(string(conf), func(t *testing.T) {
			h := reportInConf(t, StatusVerified, conf)
			h.do(Command{Action: ActDispose, ToUnit: unitDinkes, Instructions: []string{"Segera"},
				Attachments: []Attachment{{Name: "surat.pdf", Size: 1, SHA256: sampleSHA}}})
			h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}})
			h.events[2].Payload.Extra = map[string]any{"list": []any{"a"}, "m": map[string]any{"k": "v"}}
			before, _ := json.Marshal(h.events)
			for _, e := range h.events {
				s := e.ForDisplay(conf)
				if p := s.Payload.Report; p != nil {
					p.Title = "x"
					p.Reporter.Name = "x"
					p.Attachments[0].Name = "x"
					*p.Location.Lat = 1
				}
				for i := range s.Payload.Changes {
					s.Payload.Changes[i].Value = "x"
				}
				for i := range s.Payload.Instructions {
					s.Payload.Instructions[i] = "x"
				}
				for i := range s.Payload.Attachments {
					s.Payload.Attachments[i].Name = "x"
				}
				if s.Payload.Extra != nil {
					s.Payload.Extra["list"].([]any)[0] = "x"
					s.Payload.Extra["m"].(map[string]any)["k"] = "x"
					s.Payload.Extra["new"] = 1
				}
			}
			if after, _ := json.Marshal(h.events); string(after) != string(before) {
				t.Errorf("mutating displayed events changed the history:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestReportForDisplaySharesNoPointers(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	before, _ := json.Marshal(h.r)
	shown := h.r.ForDisplay()
	*shown.Location.Lat = 0
	*shown.VerifiedAt = time.Time{}
	if after, _ := json.Marshal(h.r); string(after) != string(before) {
		t.Errorf("mutating the displayed report changed it:\nbefore %s\nafter  %s", before, after)
	}
	// Nor does a replayed report share memory with its events.
	r, err := Replay(h.events)
	if err != nil {
		t.Fatal(err)
	}
	*r.Location.Lat = 0
	if *h.events[0].Payload.Report.Location.Lat == 0 {
		t.Error("replayed report shares its coordinates with the received event")
	}
}

// TestConflictReasonsDoNotQuoteIdentity: an edit refused on replay (here a NIK that an
// older desk accepted) is kept as a conflict whose reason is shown with the report; it
// must not quote the identity of an Anonim reporter.
func TestConflictReasonsDoNotQuoteIdentity(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Anonim))
	secret := []string{"731101010190", "0812-RAHASIA", "orang@@contoh.id"}
	e := Event{ID: uuid.Must(uuid.NewV7()), ReportID: h.r.ID, Kind: EvEdited, At: h.now, Unit: unitCoord, BaseVersion: h.r.Version,
		Payload: Payload{Changes: []FieldChange{
			{Field: "reporter_id_number", Value: secret[0]},
			{Field: "reporter_phone", Value: secret[1]},
			{Field: "reporter_email", Value: secret[2]},
		}}}
	c := h.r.Apply(e)
	if c == nil {
		t.Fatal("malformed identity edit applied")
	}
	for _, f := range []string{"reporter_id_number", "reporter_phone", "reporter_email"} {
		if !strings.Contains(c.Reason, f) {
			t.Errorf("reason %q does not name %s", c.Reason, f)
		}
	}
	if l := leaked(t, []any{c, h.r.ForDisplay(), e.ForDisplay(Anonim)}, secret); len(l) > 0 {
		t.Errorf("conflict shows %q: %s", l, c.Reason)
	}
}

// Only an Anonim report withholds, and only the reporter's identity.
func TestWithholds(t *testing.T) {
	t.Parallel()
	for _, conf := range Confidentialities {
		for _, f := range EditableFields() {
			if got, want := conf.Withholds(f), conf == Anonim && identityFields[f]; got != want {
				t.Errorf("%s withholds %s: %v, want %v", conf, f, got, want)
			}
		}
	}
}

func TestNeedsReporterName(t *testing.T) {
	t.Parallel()
	for c, want := range map[Confidentiality]bool{Biasa: true, Rahasia: true, Anonim: false, "": false, "rahasia-sekali": false} {
		if got := c.NeedsReporterName(); got != want {
			t.Errorf("%q: %v, want %v", c, got, want)
		}
	}
}
