package lapordesk

import (
	"errors"
	"regexp"
	"strconv"

	"github.com/google/uuid"
)

// A conflict is an event kept in a report's history that could not apply: another
// desk changed the report first (stale), its status no longer allows the action, or
// it is malformed. It stays until a resolve event settles it, on any desk. This file
// holds what a user needs to decide: why it did not apply, what won over it, and the
// command that would do now what it asked for.

// The reason of a conflict is stored as the text of the error that kept the event
// from applying (it is part of every stored projection, so its form stays). These
// patterns read back the two errors Apply records, from their Error methods.
var (
	reStaleReason      = regexp.MustCompile(`^report changed since version (\d+) \(last change at version (\d+)\)`)
	reTransitionReason = regexp.MustCompile(`^cannot ([a-z-]+) a report with status "([a-z_]+)"$`)
)

// Cause returns the error that kept c's event from applying: a *StaleError, a
// *TransitionError, or, for any other reason, an error with the reason's text. User
// interfaces translate the first two and show the text of the rest.
func (c Conflict) Cause() error {
	if m := reStaleReason.FindStringSubmatch(c.Reason); m != nil {
		base, err1 := strconv.Atoi(m[1])
		changed, err2 := strconv.Atoi(m[2])
		if err1 == nil && err2 == nil {
			return &StaleError{Base: base, Changed: changed}
		}
	}
	if m := reTransitionReason.FindStringSubmatch(c.Reason); m != nil {
		if a, s := Action(m[1]), Status(m[2]); a.Valid() && s.Valid() {
			return &TransitionError{Action: a, Status: s}
		}
	}
	return errors.New(c.Reason)
}

// versioned is an event of a history with the version it made.
type versioned struct {
	Event
	version int
}

// withVersions numbers a history as Apply counts it: the receipt is version 1 and
// every later event, applied or not, adds one.
func withVersions(h []Event) []versioned {
	out := make([]versioned, len(h))
	v := 0
	for i, e := range h {
		if e.Kind == EvReceived {
			v = 1
		} else {
			v++
		}
		out[i] = versioned{e, v}
	}
	return out
}

// ResolvedEvents maps each conflicting event of a history that was resolved to the
// event that resolved it.
func ResolvedEvents(h []Event) map[uuid.UUID]Event {
	out := map[uuid.UUID]Event{}
	for _, e := range h {
		if e.Kind == EvResolved && e.Payload.Resolves != nil {
			out[*e.Payload.Resolves] = e
		}
	}
	return out
}

// event returns the event of v's history with the given ID.
func (v View) event(id uuid.UUID) (Event, bool) {
	for _, e := range v.History {
		if e.ID == id {
			return e, true
		}
	}
	return Event{}, false
}

// Competing returns the event of conflict c and the applied events that won over
// it: those after the version it was decided on that could change the report's
// status or fields (the checked kinds). ok is false when the event is not in the
// history.
func (v View) Competing(c Conflict) (ev Event, won []Event, ok bool) {
	ev, ok = v.event(c.EventID)
	if !ok {
		return Event{}, nil, false
	}
	// Events that never applied: those in conflict now and those resolved since.
	unapplied := map[uuid.UUID]bool{}
	for _, x := range v.Report.Conflicts {
		unapplied[x.EventID] = true
	}
	for id := range ResolvedEvents(v.History) {
		unapplied[id] = true
	}
	for _, e := range withVersions(v.History) {
		if e.version > ev.BaseVersion && !unapplied[e.ID] && e.Kind.Action().Checked() {
			won = append(won, e.Event)
		}
	}
	return ev, won, true
}

// Redo returns the command that would do now what conflict c's event asked for, and
// whether there is one: the report's status must allow the action, nothing the
// report withholds (an Anonim identity, masked wherever it shows) may be written
// back, and an edit keeps only the fields that still differ; one that would change
// nothing has no redo. The command carries no version, unit or actor: the caller
// gives those.
func (v View) Redo(c Conflict) (Command, bool) {
	ev, ok := v.event(c.EventID)
	if !ok {
		return Command{}, false
	}
	r := &v.Report
	a := ev.Kind.Action()
	if a == "" || a == ActResolve || !Allowed(r.Status, a) {
		return Command{}, false
	}
	p := ev.Payload
	for _, ch := range p.Changes {
		if _, known := editable[ch.Field]; !known || r.Confidentiality.Withholds(ch.Field) {
			return Command{}, false // refused by Decide, or the mask written back
		}
	}
	cmd := Command{Action: a, Reason: p.Reason, Text: p.Text, ToUnit: p.ToUnit,
		Instructions: cloneSlice(p.Instructions), Changes: cloneSlice(p.Changes), Attachments: cloneSlice(p.Attachments)}
	if a == ActEdit {
		// Only what still differs: the other desk may have set some fields the same.
		var ch []FieldChange
		for _, c := range cmd.Changes {
			if now, _ := r.FieldValue(c.Field); now != c.Value {
				ch = append(ch, c)
			}
		}
		if len(ch) == 0 {
			return Command{}, false
		}
		cmd.Changes = ch
	}
	return cmd, true
}

// CurrentValues returns the present value of each field changes names, as it may be
// shown: fields the report withholds and unknown ones are left out.
func (r *Report) CurrentValues(changes []FieldChange) []FieldChange {
	var out []FieldChange
	for _, ch := range changes {
		if r.Confidentiality.Withholds(ch.Field) {
			continue
		}
		if now, ok := r.FieldValue(ch.Field); ok {
			out = append(out, FieldChange{Field: ch.Field, Value: now})
		}
	}
	return out
}

// Resolution is a user's decision on a conflict: keep the version in effect, or
// apply the other version now; either way the conflict is marked resolved.
type Resolution struct {
	Conflict   uuid.UUID // the conflicting event
	ApplyOther bool      // redo what the conflicting event asked for, then resolve
	Note       string    // why (optional), the resolve event's text
	// BaseVersion is the report version the user compared: applying the other
	// version is refused when the report changed since. 0 means the current version.
	BaseVersion int
	Unit, Actor string
}

// Validate checks the decision's own fields, as the resolve command would.
func (res Resolution) Validate() error {
	cmd := res.resolve()
	return cmd.Validate()
}

func (res Resolution) resolve() Command {
	id := res.Conflict
	return Command{Action: ActResolve, Resolves: &id, Text: res.Note, Unit: res.Unit, Actor: res.Actor}
}

// Commands returns the commands that carry res out on the report of v, in order: the
// redo of the other version when chosen, then the resolve. They are to be decided
// and written together, or not at all: a redo without its resolve would leave the
// conflict open, a resolve without the chosen redo would drop the other version.
func (res Resolution) Commands(v View) ([]Command, error) {
	r := &v.Report
	if r.conflictIndex(&res.Conflict) < 0 {
		return nil, &FieldError{Field: "resolves", Problem: ProblemUnknown, Value: res.Conflict.String()}
	}
	if !res.ApplyOther {
		return []Command{res.resolve()}, nil
	}
	if res.BaseVersion != 0 && res.BaseVersion < r.Changed {
		// The user compared a version that is gone: what the redo would do now
		// may differ from what was shown.
		return nil, &StaleError{Base: res.BaseVersion, Changed: r.Changed}
	}
	redo, ok := v.Redo(Conflict{EventID: res.Conflict})
	if !ok {
		return nil, &FieldError{Field: "resolves", Problem: ProblemCannotApply}
	}
	redo.BaseVersion, redo.Unit, redo.Actor = res.BaseVersion, res.Unit, res.Actor
	return []Command{redo, res.resolve()}, nil
}
