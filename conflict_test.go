package lapordesk

import (
	"errors"
	"reflect"
	"testing"

	"github.com/google/uuid"
)

// conflicting records on h an event decided on base, a state the report has since
// moved on from, as one arriving by sync: it must be kept as a conflict.
func (h *history) conflicting(base *Report, cmd Command) Event {
	h.t.Helper()
	if cmd.Unit == "" {
		cmd.Unit = base.Unit
	}
	e, err := Decide(base, cmd, h.now)
	if err != nil {
		h.t.Fatalf("Decide(%s) on the other desk: %v", cmd.Action, err)
	}
	if c := h.r.Apply(e); c == nil {
		h.t.Fatalf("%s applied without conflict", e.Kind)
	}
	h.events = append(h.events, e)
	return e
}

// view is the report as the store shows it, with its history and allowed actions.
func (h *history) view() View {
	r := h.r.clone()
	return View{Report: *r, History: append([]Event(nil), h.events...), Actions: r.AllowedActions()}
}

func conflictOf(t *testing.T, v View, id uuid.UUID) Conflict {
	t.Helper()
	for _, c := range v.Report.Conflicts {
		if c.EventID == id {
			return c
		}
	}
	t.Fatalf("event %s is no conflict of %+v", id, v.Report.Conflicts)
	return Conflict{}
}

func title(v string) []FieldChange { return []FieldChange{{Field: "title", Value: v}} }

// Cause reads back exactly the errors Apply records as reasons.
func TestConflictCause(t *testing.T) {
	t.Parallel()
	type want struct {
		stale      *StaleError
		transition *TransitionError
	}
	cases := []struct {
		reason string
		want   want
	}{
		{(&StaleError{Base: 2, Changed: 3}).Error(), want{stale: &StaleError{Base: 2, Changed: 3}}},
		{(&StaleError{Base: 0, Changed: 12}).Error(), want{stale: &StaleError{Base: 0, Changed: 12}}},
		{"duplicate receipt", want{}},
		{"no such conflict to resolve", want{}},
		{`cannot fly a report with status "baru"`, want{}},            // no such action
		{`cannot close a report with status "somewhere"`, want{}},     // no such status
		{`title: cannot close a report with status "baru"`, want{}},   // not the whole reason
		{`report changed since version x (last change at 3)`, want{}}, // no numbers
	}
	for _, s := range Statuses {
		for _, a := range Actions {
			te := &TransitionError{Status: s, Action: a}
			cases = append(cases, struct {
				reason string
				want   want
			}{te.Error(), want{transition: te}})
		}
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) {
			t.Parallel()
			err := Conflict{Reason: c.reason}.Cause()
			var se *StaleError
			var te *TransitionError
			switch {
			case c.want.stale != nil:
				if !errors.As(err, &se) || *se != *c.want.stale {
					t.Errorf("Cause = %#v, want %#v", err, c.want.stale)
				}
			case c.want.transition != nil:
				if !errors.As(err, &te) || *te != *c.want.transition {
					t.Errorf("Cause = %#v, want %#v", err, c.want.transition)
				}
			default:
				if errors.As(err, &se) || errors.As(err, &te) || err.Error() != c.reason {
					t.Errorf("Cause = %#v, want the reason's text", err)
				}
			}
		})
	}
}

// The two desks of one unit work on version 2 of a verified report; what the
// second sends arrives after the first's change. Each case says what the user can
// do about it: what won, and the command that would apply the other version now.
func TestConflictAnalysis(t *testing.T) {
	t.Parallel()
	noted := func(t *testing.T, h *history) { h.do(cmdFor(ActNote)) }
	cases := []struct {
		name  string
		conf  Confidentiality
		first []Command // on this desk, applied
		other Command   // on the other desk, decided on version 2
		then  []Command // on this desk, after the conflict arrived
		// want
		stale  bool
		won    []Action
		redo   *Command
		extras func(*testing.T, *history)
	}{
		{
			name:  "stale edit of another value is redone",
			first: []Command{{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")}},
			other: Command{Action: ActEdit, Changes: title("Jalan poros Lipukasi rusak")},
			stale: true, won: []Action{ActEdit},
			redo: &Command{Action: ActEdit, Changes: title("Jalan poros Lipukasi rusak")},
		},
		{
			name:  "stale edit redoes only the fields that still differ",
			first: []Command{{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")}},
			other: Command{Action: ActEdit, Changes: []FieldChange{{Field: "title", Value: "Jalan berlubang di Lipukasi"}, {Field: "desa", Value: "Pao-Pao"}}},
			stale: true, won: []Action{ActEdit},
			redo: &Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}},
		},
		{
			name:  "stale edit to the values in effect has no redo",
			first: []Command{{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")}},
			other: Command{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")},
			stale: true, won: []Action{ActEdit},
		},
		{
			name:  "stale archive after a disposition: the status no longer allows it",
			first: []Command{cmdFor(ActDispose)},
			other: Command{Action: ActArchive, Reason: "Terlalu umum"},
			stale: true, won: []Action{ActDispose},
		},
		{
			name:  "a response refused by a pause is redone once resumed",
			first: []Command{cmdFor(ActPostpone)},
			other: cmdFor(ActRespond),
			then:  []Command{{Action: ActResume}},
			won:   []Action{ActPostpone, ActResume},
			redo:  &Command{Action: ActRespond, Text: cmdFor(ActRespond).Text},
		},
		{
			name:  "a response refused by an archive stays refused",
			first: []Command{cmdFor(ActArchive)},
			other: cmdFor(ActRespond),
			won:   []Action{ActArchive},
		},
		{
			name:  "a follow-up redone carries its files",
			first: []Command{cmdFor(ActPostpone)},
			other: Command{Action: ActFollowUp, Text: "Sudah ditambal.", Attachments: []Attachment{{Name: "foto.jpg", MIME: "image/jpeg", Size: 10, SHA256: sampleSHA}}},
			then:  []Command{{Action: ActResume}, cmdFor(ActNote)},
			won:   []Action{ActPostpone, ActResume},
			redo:  &Command{Action: ActFollowUp, Text: "Sudah ditambal.", Attachments: []Attachment{{Name: "foto.jpg", MIME: "image/jpeg", Size: 10, SHA256: sampleSHA}}},
		},
		{
			name:  "a stale edit of a Rahasia reporter is redone",
			conf:  Rahasia,
			first: []Command{{Action: ActEdit, Changes: []FieldChange{{Field: "reporter_phone", Value: "081200000001"}}}},
			other: Command{Action: ActEdit, Changes: []FieldChange{{Field: "reporter_phone", Value: "081200000002"}}},
			stale: true, won: []Action{ActEdit},
			redo: &Command{Action: ActEdit, Changes: []FieldChange{{Field: "reporter_phone", Value: "081200000002"}}},
		},
		{
			name:   "notes are never among the winners",
			first:  []Command{{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")}},
			other:  Command{Action: ActEdit, Changes: title("Jalan poros Lipukasi rusak")},
			stale:  true,
			won:    []Action{ActEdit},
			redo:   &Command{Action: ActEdit, Changes: title("Jalan poros Lipukasi rusak")},
			extras: noted,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conf := c.conf
			if conf == "" {
				conf = Biasa
			}
			h := reportInConf(t, StatusVerified, conf)
			base := h.r.clone()
			for _, cmd := range c.first {
				h.do(cmd)
			}
			ev := h.conflicting(base, c.other)
			if c.extras != nil {
				c.extras(t, h)
			}
			for _, cmd := range c.then {
				h.do(cmd)
			}
			v := h.view()
			cf := conflictOf(t, v, ev.ID)

			var se *StaleError
			var te *TransitionError
			if c.stale {
				if !errors.As(cf.Cause(), &se) || se.Base != 2 {
					t.Errorf("cause %v, want stale since version 2", cf.Cause())
				}
			} else if !errors.As(cf.Cause(), &te) || te.Action != c.other.Action {
				t.Errorf("cause %v, want a refused %s", cf.Cause(), c.other.Action)
			}

			got, won, ok := v.Competing(cf)
			if !ok || got.ID != ev.ID {
				t.Fatalf("Competing found %v %v", got.ID, ok)
			}
			var wonActs []Action
			for _, w := range won {
				wonActs = append(wonActs, w.Kind.Action())
			}
			if !reflect.DeepEqual(wonActs, c.won) {
				t.Errorf("won by %v, want %v", wonActs, c.won)
			}

			redo, ok := v.Redo(cf)
			switch {
			case c.redo == nil && ok:
				t.Errorf("Redo = %+v, want none", redo)
			case c.redo != nil && !ok:
				t.Errorf("no redo, want %+v", *c.redo)
			case c.redo != nil && !reflect.DeepEqual(redo, *c.redo):
				t.Errorf("Redo = %+v, want %+v", redo, *c.redo)
			}
			if ok {
				// The redo applies now, and the resolve after it.
				redo.Unit = h.r.Unit
				h.do(redo)
				h.do(Command{Action: ActResolve, Resolves: &ev.ID})
				if len(h.r.Conflicts) != 0 {
					t.Errorf("conflicts left: %+v", h.r.Conflicts)
				}
			}
		})
	}
}

// An Anonim report withholds its reporter: an identity edit that arrives by sync is
// never redone, neither from the history nor from its masked display, nor is its
// current value shown beside it.
func TestConflictNeverRedoesWithheldFields(t *testing.T) {
	t.Parallel()
	cases := map[string][]FieldChange{
		"identity only":         identityEdits,
		"identity with a title": append([]FieldChange{{Field: "title", Value: "Judul baru"}}, identityEdits[1]),
		"unknown field":         {{Field: "reporter_address", Value: "Jl. Poros"}},
	}
	for name, changes := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := reportInConf(t, StatusVerified, Anonim)
			ev := h.inject(EvEdited, Payload{Changes: changes})
			v := h.view()
			cf := conflictOf(t, v, ev.ID)
			if cmd, ok := v.Redo(cf); ok {
				t.Errorf("Redo = %+v", cmd)
			}
			shown := v
			shown.History = nil
			for _, e := range v.History {
				shown.History = append(shown.History, e.ForDisplay(Anonim))
			}
			if cmd, ok := shown.Redo(cf); ok {
				t.Errorf("Redo from the display = %+v", cmd)
			}
			for _, now := range v.Report.CurrentValues(changes) {
				if identityFields[now.Field] {
					t.Errorf("current value of %s shown: %q", now.Field, now.Value)
				}
			}
		})
	}
}

func TestCurrentValues(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	changes := []FieldChange{{Field: "title", Value: "x"}, {Field: "reporter_name", Value: "y"}, {Field: "nope", Value: "z"}}
	want := []FieldChange{{Field: "title", Value: h.r.Title}, {Field: "reporter_name", Value: reporterNom}}
	if got := h.r.CurrentValues(changes); !reflect.DeepEqual(got, want) {
		t.Errorf("CurrentValues = %+v, want %+v", got, want)
	}
}

// A conflict resolved earlier never counts as a version that won over a later one,
// and the resolved map names each resolution.
func TestCompetingSkipsResolvedConflicts(t *testing.T) {
	t.Parallel()
	h := reportIn(t, StatusVerified)
	base := h.r.clone()
	mine := h.do(Command{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")})
	first := h.conflicting(base, Command{Action: ActEdit, Changes: title("Jalan poros Lipukasi rusak")})
	second := h.conflicting(base, Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}})
	res := h.do(Command{Action: ActResolve, Resolves: &first.ID})

	v := h.view()
	_, won, ok := v.Competing(conflictOf(t, v, second.ID))
	if !ok || len(won) != 1 || won[0].ID != mine.ID {
		t.Errorf("won by %+v, want only this desk's edit", won)
	}
	resolved := ResolvedEvents(v.History)
	if len(resolved) != 1 || resolved[first.ID].ID != res.ID {
		t.Errorf("resolved %+v", resolved)
	}
	if _, _, ok := v.Competing(Conflict{EventID: uuid.Must(uuid.NewV7())}); ok {
		t.Error("Competing found an event not in the history")
	}
}

// A resolution is one or two commands, decided together: the redo when chosen, then
// the resolve; a choice that cannot be carried out is refused before either.
func TestResolutionCommands(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T, otherTitle string) (*history, Event) {
		h := reportIn(t, StatusVerified)
		base := h.r.clone()
		h.do(Command{Action: ActEdit, Changes: title("Jalan berlubang di Lipukasi")})
		return h, h.conflicting(base, Command{Action: ActEdit, Changes: title(otherTitle)})
	}
	cases := []struct {
		name     string
		other    string // the other desk's title
		res      func(h *history, ev Event) Resolution
		wantActs []Action
		wantErr  func(*testing.T, error)
		title    string // after the commands
	}{
		{
			name:  "keep",
			other: "Jalan poros Lipukasi rusak",
			res: func(h *history, ev Event) Resolution {
				return Resolution{Conflict: ev.ID, Note: "Judul ini lebih jelas.", Unit: unitCoord, Actor: "Andi", BaseVersion: h.r.Version}
			},
			wantActs: []Action{ActResolve},
			title:    "Jalan berlubang di Lipukasi",
		},
		{
			name:  "apply the other version",
			other: "Jalan poros Lipukasi rusak",
			res: func(h *history, ev Event) Resolution {
				return Resolution{Conflict: ev.ID, ApplyOther: true, Note: "Judul meja lain.", Unit: unitCoord, Actor: "Andi", BaseVersion: h.r.Version}
			},
			wantActs: []Action{ActEdit, ActResolve},
			title:    "Jalan poros Lipukasi rusak",
		},
		{
			name:  "apply on the current version",
			other: "Jalan poros Lipukasi rusak",
			res: func(h *history, ev Event) Resolution {
				return Resolution{Conflict: ev.ID, ApplyOther: true, Unit: unitCoord}
			},
			wantActs: []Action{ActEdit, ActResolve},
			title:    "Jalan poros Lipukasi rusak",
		},
		{
			name:  "apply what changes nothing",
			other: "Jalan berlubang di Lipukasi",
			res: func(h *history, ev Event) Resolution {
				return Resolution{Conflict: ev.ID, ApplyOther: true, Unit: unitCoord}
			},
			wantErr: func(t *testing.T, err error) { wantFieldError(t, err, "resolves", ProblemCannotApply) },
		},
		{
			name:  "apply after the report changed again",
			other: "Jalan poros Lipukasi rusak",
			res: func(h *history, ev Event) Resolution {
				seen := h.r.Version
				h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "desa", Value: "Pao-Pao"}}})
				return Resolution{Conflict: ev.ID, ApplyOther: true, Unit: unitCoord, BaseVersion: seen}
			},
			wantErr: func(t *testing.T, err error) {
				var se *StaleError
				if !errors.As(err, &se) || !errors.Is(err, ErrConflict) {
					t.Fatalf("err %v, want stale", err)
				}
			},
		},
		{
			name:  "an event that is no conflict",
			other: "Jalan poros Lipukasi rusak",
			res: func(h *history, ev Event) Resolution {
				return Resolution{Conflict: h.events[0].ID, Unit: unitCoord}
			},
			wantErr: func(t *testing.T, err error) { wantFieldError(t, err, "resolves", ProblemUnknown) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h, ev := setup(t, c.other)
			res := c.res(h, ev)
			if err := res.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			cmds, err := res.Commands(h.view())
			if c.wantErr != nil {
				if cmds != nil {
					t.Errorf("commands %+v with the error", cmds)
				}
				c.wantErr(t, err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var acts []Action
			for _, cmd := range cmds {
				acts = append(acts, cmd.Action)
				if cmd.Unit != res.Unit || cmd.Actor != res.Actor {
					t.Errorf("%s by %s/%s", cmd.Action, cmd.Unit, cmd.Actor)
				}
				h.do(cmd)
			}
			if !reflect.DeepEqual(acts, c.wantActs) {
				t.Fatalf("commands %v, want %v", acts, c.wantActs)
			}
			last := h.events[len(h.events)-1]
			if last.Payload.Text != res.Note || *last.Payload.Resolves != ev.ID {
				t.Errorf("resolve event %+v", last.Payload)
			}
			if h.r.Title != c.title || len(h.r.Conflicts) != 0 {
				t.Errorf("title %q, conflicts %+v", h.r.Title, h.r.Conflicts)
			}
		})
	}
	// A note the resolve would refuse is the decision's own mistake.
	bad := Resolution{Conflict: uuid.Must(uuid.NewV7()), Note: "a\x00b", Unit: unitCoord}
	wantFieldError(t, bad.Validate(), "text", ProblemControl)
}
