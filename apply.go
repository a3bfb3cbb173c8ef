package lapordesk

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Command is a user's request to act on a report. Decide turns it into an event.
type Command struct {
	Action Action
	// BaseVersion is the report version the user saw. For checked actions a stale
	// base is refused; 0 means "the current version" (headless use).
	BaseVersion  int
	Actor        string
	Unit         string // the acting unit's code
	Reason       string
	Text         string
	ToUnit       string
	Instructions []string
	Changes      []FieldChange // verify (corrections) and edit
	Attachments  []Attachment
	Resolves     *uuid.UUID // resolve: the conflicting event settled
}

// Validate checks the command's own fields, independent of the report.
func (c *Command) Validate() error {
	var errs ValidationErrors
	add := func(e *FieldError) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	if !c.Action.Valid() {
		return ValidationErrors{{Field: "action", Problem: ProblemUnknown, Value: shorten(string(c.Action))}}
	}
	if c.BaseVersion < 0 {
		// 0 means "current"; a negative base is no version at all and would be
		// stored as such by the append-only actions, which are never checked.
		add(&FieldError{Field: "base_version", Problem: ProblemRange, Value: fmt.Sprint(c.BaseVersion)})
	}
	add(checkText("actor", c.Actor, false, MaxNameLen, false))
	add(checkPattern("unit", c.Unit, reUnitCode, true))
	switch c.Action {
	case ActPostpone, ActReturn:
		add(checkText("reason", c.Reason, true, MaxTextLen, true))
	default:
		add(checkText("reason", c.Reason, false, MaxTextLen, true))
	}
	switch c.Action {
	case ActRespond, ActFollowUp, ActReply, ActNote:
		add(checkText("text", c.Text, true, MaxTextLen, true))
	default:
		add(checkText("text", c.Text, false, MaxTextLen, true))
	}
	if c.Action == ActDispose {
		add(checkPattern("to_unit", c.ToUnit, reUnitCode, true))
		if len(c.Instructions) > 20 {
			add(&FieldError{Field: "instructions", Problem: ProblemTooLong, Limit: 20, Length: len(c.Instructions)})
		}
		for _, in := range c.Instructions {
			add(checkText("instructions", in, true, MaxNameLen, false))
		}
	} else {
		// Only a disposition carries a unit and instructions; elsewhere they would be
		// stored unchecked in the event and never used.
		if c.ToUnit != "" {
			add(&FieldError{Field: "to_unit", Problem: ProblemUnknown, Value: shorten(c.ToUnit)})
		}
		if len(c.Instructions) > 0 {
			add(&FieldError{Field: "instructions", Problem: ProblemUnknown, Value: string(c.Action)})
		}
	}
	if len(c.Changes) > 0 && c.Action != ActVerify && c.Action != ActEdit {
		add(&FieldError{Field: "changes", Problem: ProblemUnknown, Value: string(c.Action)})
	}
	if (c.Action == ActResolve) != (c.Resolves != nil) {
		add(&FieldError{Field: "resolves", Problem: ProblemRequired})
	}
	if c.Action == ActEdit && len(c.Changes) == 0 {
		add(&FieldError{Field: "changes", Problem: ProblemRequired})
	}
	for _, ch := range c.Changes {
		if _, ok := editable[ch.Field]; !ok {
			// The field name is itself input: never echo it as a field name.
			add(&FieldError{Field: "changes", Problem: ProblemUnknown, Value: shorten(ch.Field)})
			continue
		}
		add(checkText(ch.Field, ch.Value, false, MaxBodyLen, true))
	}
	add(checkAttachments(c.Attachments))
	return errs.err()
}

// Decide checks cmd against the current state of r and returns the event that records
// it, with a new UUIDv7 and time now. It returns an error (and no event) when the
// command is invalid, illegal in r's status, or stale; the error names what is wrong.
func Decide(r *Report, cmd Command, now time.Time) (Event, error) {
	if err := cmd.Validate(); err != nil {
		return Event{}, err
	}
	base := cmd.BaseVersion
	if base == 0 {
		base = r.Version
	}
	// Staleness first, as in Apply: an action decided on an outdated view is often
	// illegal only because the report moved on, and "reload" is the useful answer.
	if cmd.Action.Checked() && base < r.Changed {
		return Event{}, &StaleError{Base: base, Changed: r.Changed}
	}
	if !Allowed(r.Status, cmd.Action) {
		return Event{}, &TransitionError{Status: r.Status, Action: cmd.Action}
	}
	if base > r.Version {
		return Event{}, &FieldError{Field: "base_version", Problem: ProblemRange, Value: fmt.Sprint(base)}
	}
	switch cmd.Action {
	case ActVerify:
		if len(cmd.Changes) > 0 {
			if _, err := checkChanges(r, cmd.Changes, func(f string) bool { return correctable[f] }, now); err != nil {
				return Event{}, err
			}
		}
	case ActEdit:
		if _, err := checkChanges(r, cmd.Changes, func(string) bool { return true }, now); err != nil {
			return Event{}, err
		}
	case ActDispose:
		// Where a unit already handles the report, disposing it to that same unit
		// redirects nothing; it would only restart the follow-up clock.
		if cmd.ToUnit == r.Unit && (r.Status == StatusDisposed || r.Status == StatusInProgress) {
			return Event{}, &FieldError{Field: "to_unit", Problem: ProblemDuplicate, Value: cmd.ToUnit}
		}
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Event{}, fmt.Errorf("new event id: %w", err)
	}
	e := Event{
		ID:          id,
		ReportID:    r.ID,
		Kind:        cmd.Action.Kind(),
		At:          NormalizeTime(now),
		Actor:       cmd.Actor,
		Unit:        cmd.Unit,
		BaseVersion: base,
		Payload: Payload{
			Reason:       cmd.Reason,
			Text:         cmd.Text,
			ToUnit:       cmd.ToUnit,
			Instructions: cmd.Instructions,
			Changes:      cmd.Changes,
			Attachments:  cmd.Attachments,
			Resolves:     cmd.Resolves,
		},
	}
	e.Payload = e.Payload.clone() // the event must not share memory with the command
	// A trial application must succeed: Decide and Apply share one set of rules.
	trial := r.clone()
	if c := trial.Apply(e); c != nil {
		return Event{}, fmt.Errorf("%s: %w", c.Reason, ErrInvalid)
	}
	return e, nil
}

// Receive validates a new report and returns its received event, with new UUIDv7s
// for the report and the event.
func Receive(n NewReport, actor string, now time.Time) (Event, error) {
	var errs ValidationErrors
	if err := n.Validate(now); err != nil {
		if !errors.As(err, &errs) {
			return Event{}, err
		}
	}
	// The actor goes into the event as Decide's commands do, under the same rules.
	if e := checkText("actor", actor, false, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	if err := errs.err(); err != nil {
		return Event{}, err
	}
	rid, err := uuid.NewV7()
	if err != nil {
		return Event{}, fmt.Errorf("new report id: %w", err)
	}
	eid, err := uuid.NewV7()
	if err != nil {
		return Event{}, fmt.Errorf("new event id: %w", err)
	}
	n = n.clone()
	return Event{ID: eid, ReportID: rid, Kind: EvReceived, At: NormalizeTime(now), Actor: actor, Unit: n.Unit, Payload: Payload{Report: &n}}, nil
}

// AllowedActions lists the actions a user may take on r now: those its status allows,
// and resolve only while a conflict waits.
func (r *Report) AllowedActions() []Action {
	var out []Action
	for _, a := range AllowedActions(r.Status) {
		if a == ActResolve && len(r.Conflicts) == 0 {
			continue
		}
		out = append(out, a)
	}
	return out
}

func (r *Report) clone() *Report {
	c := *r
	c.Spans = append([]Span(nil), r.Spans...)
	c.Units = append([]string(nil), r.Units...)
	c.origins = append([]string(nil), r.origins...)
	c.changes = append([]int(nil), r.changes...)
	c.Attachments = append([]Attachment(nil), r.Attachments...)
	c.Instructions = append([]string(nil), r.Instructions...)
	c.Conflicts = append([]Conflict(nil), r.Conflicts...)
	c.Letters = append([]LetterRecord(nil), r.Letters...)
	return &c
}

// Replay derives a report's state from its events, in order. The history must hold
// its receipt. Events that cannot apply (stale, illegal, of another report, or met
// before the receipt) are kept as conflicts; Replay never fails on them, so any
// history (including one merged from several devices) has a state.
func Replay(events []Event) (*Report, error) {
	if len(events) == 0 {
		return nil, fmt.Errorf("replay: no events: %w", ErrNotFound)
	}
	r := &Report{}
	for _, e := range events {
		r.Apply(e)
	}
	if r.Status == statusNone {
		return nil, fmt.Errorf("replay report %s: no received event: %w", events[0].ReportID, ErrInvalid)
	}
	return r, nil
}

// Apply applies one event to r. It returns nil when the event was applied, or the
// conflict that kept it from applying, also recorded in r.Conflicts. The version
// counts every event after the receipt, applied or not.
func (r *Report) Apply(e Event) *Conflict {
	if r.Status == statusNone {
		return r.applyReceipt(e)
	}
	r.Version++
	r.origins = append(r.origins, e.Origin)
	if e.ReportID != r.ID {
		return r.conflict(e, fmt.Sprintf("event of another report (%s)", e.ReportID))
	}
	if e.Kind == EvReceived {
		return r.conflict(e, "duplicate receipt")
	}
	r.UpdatedAt = laterOf(r.UpdatedAt, e.At)

	act := e.Kind.Action()
	var next Status
	switch e.Kind {
	case EvAttached, EvLetterIssued:
		next = r.Status
	default:
		if act == "" {
			return r.conflict(e, fmt.Sprintf("unknown event kind %q", e.Kind))
		}
		if act.Checked() && r.stale(e) {
			return r.conflict(e, (&StaleError{Base: e.BaseVersion, Changed: r.Changed}).Error())
		}
		var err error
		next, err = Next(r.Status, act, r.beforePause())
		if err != nil {
			return r.conflict(e, err.Error())
		}
	}

	changed := false
	p := e.Payload
	switch e.Kind {
	case EvVerified, EvEdited:
		if len(p.Changes) > 0 {
			allowed := func(string) bool { return true }
			if e.Kind == EvVerified {
				allowed = func(f string) bool { return correctable[f] }
			}
			n, err := checkChanges(r, p.Changes, allowed, e.At)
			if err != nil {
				return r.conflict(e, withoutIdentity(err).Error())
			}
			r.NewReport = n
			changed = true
		}
		if e.Kind == EvVerified {
			r.VerifiedAt = timePtr(e.At)
		}
	case EvReturned:
		if r.DisposedBy != "" && r.DisposedBy != r.Unit {
			r.setUnit(r.DisposedBy)
		}
		r.PhaseStart = e.At
	case EvDisposed:
		r.DisposedBy = e.Unit
		r.setUnit(p.ToUnit)
		r.Instructions = append([]string(nil), p.Instructions...)
		r.DisposedAt = timePtr(e.At)
		r.PhaseStart = e.At
		changed = true
	case EvResponded:
		if r.FirstResponseAt == nil {
			r.FirstResponseAt = timePtr(e.At)
		}
	case EvFollowedUp:
		r.FollowUpAt = timePtr(e.At)
		if r.FirstResponseAt == nil {
			r.FirstResponseAt = timePtr(e.At)
		}
		r.PhaseStart = e.At
	case EvReplied:
		if r.Status == StatusFollowedUp {
			r.PhaseStart = e.At
		}
	case EvClosed:
		r.ClosedAt = timePtr(e.At)
	case EvReopened:
		r.ClosedAt = nil
		r.PhaseStart = e.At
	case EvLetterIssued:
		if p.Letter != nil {
			r.Letters = append(r.Letters, *p.Letter)
		}
	case EvResolved:
		i := r.conflictIndex(p.Resolves)
		if i < 0 {
			return r.conflict(e, "no such conflict to resolve")
		}
		r.Conflicts = append(r.Conflicts[:i:i], r.Conflicts[i+1:]...)
	}
	if len(p.Attachments) > 0 {
		r.Attachments = append(r.Attachments, p.Attachments...)
	}
	if next != r.Status {
		r.Status = next
		r.Spans = append(r.Spans, Span{Status: next, From: e.At})
		changed = true
	}
	if changed {
		r.Changed = r.Version
		r.changes = append(r.changes, r.Version-1)
	}
	return nil
}

// stale reports whether e was decided without seeing the report's last change by
// another origin. An event with its origin names its view: the first Seen events
// of other origins, in this order, and its origin's own; an older event only its
// version, which this order may have given to other events.
func (r *Report) stale(e Event) bool {
	if e.Origin == "" {
		return e.BaseVersion < r.Changed
	}
	for i := len(r.changes) - 1; i >= 0; i-- {
		at := r.changes[i]
		if r.origins[at] == e.Origin {
			continue // its own change: seen
		}
		others := 0
		for _, o := range r.origins[:at+1] {
			if o != e.Origin {
				others++
			}
		}
		return others > e.Seen
	}
	return false
}

// SeenBy counts the events of origins other than origin among the first base
// events of the report: an event's Seen, as its desk decides it on base.
func (r *Report) SeenBy(origin string, base int) int {
	n := 0
	for _, o := range r.origins[:min(max(base, 0), len(r.origins))] {
		if o != origin {
			n++
		}
	}
	return n
}

// applyReceipt applies the first event of a report, which must be its receipt. Events
// met before it (clock skew between devices can order a later event first) are kept as
// conflicts, so that they stay visible and can be resolved, not silently dropped.
func (r *Report) applyReceipt(e Event) *Conflict {
	switch {
	case e.Kind != EvReceived:
		return r.conflict(e, "event before the report was received")
	case e.Payload.Report == nil:
		return r.conflict(e, "receipt without a report")
	}
	early := r.Conflicts
	*r = Report{
		ID:         e.ReportID,
		NewReport:  e.Payload.Report.clone(),
		Status:     StatusNew,
		Version:    1,
		Changed:    1,
		ReceivedAt: e.At,
		UpdatedAt:  e.At,
		PhaseStart: e.At,
		Spans:      []Span{{Status: StatusNew, From: e.At}},
		Units:      []string{e.Payload.Report.Unit},
		Conflicts:  early,
		origins:    []string{e.Origin},
		changes:    []int{0},
	}
	return nil
}

func (r *Report) conflict(e Event, reason string) *Conflict {
	c := Conflict{EventID: e.ID, Kind: e.Kind, Reason: reason}
	r.Conflicts = append(r.Conflicts, c)
	return &c
}

// withoutIdentity returns err with the values of identity fields masked. A conflict's
// reason is stored with the report and shown whatever its confidentiality, so it must
// not quote a reporter's phone, e-mail or NIK; the event itself keeps the value and is
// masked for display by Event.ForDisplay.
func withoutIdentity(err error) error {
	var ve ValidationErrors
	if !errors.As(err, &ve) {
		return err
	}
	out := make(ValidationErrors, len(ve))
	for i, fe := range ve {
		c := *fe
		if identityFields[c.Field] && c.Value != "" {
			c.Value = maskedValue
		}
		out[i] = &c
	}
	return out
}

func (r *Report) conflictIndex(id *uuid.UUID) int {
	if id == nil {
		return -1
	}
	for i, c := range r.Conflicts {
		if c.EventID == *id {
			return i
		}
	}
	return -1
}

func (r *Report) setUnit(u string) {
	r.Unit = u
	if len(r.Units) == 0 || r.Units[len(r.Units)-1] != u {
		r.Units = append(r.Units, u)
	}
}

// beforePause returns the status the report had before its current postponement.
func (r *Report) beforePause() Status {
	for i := len(r.Spans) - 1; i >= 0; i-- {
		if r.Spans[i].Status != StatusPostponed {
			return r.Spans[i].Status
		}
	}
	return StatusNew
}

func timePtr(t time.Time) *time.Time { return &t }

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
