package lapordesk

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// EventKind names what happened to a report.
type EventKind string

const (
	EvReceived     EventKind = "received"
	EvVerified     EventKind = "verified"
	EvPostponed    EventKind = "postponed"
	EvResumed      EventKind = "resumed"
	EvReturned     EventKind = "returned"
	EvDisposed     EventKind = "disposed"
	EvResponded    EventKind = "responded"
	EvFollowedUp   EventKind = "followed_up"
	EvReplied      EventKind = "replied"
	EvClosed       EventKind = "closed"
	EvReopened     EventKind = "reopened"
	EvArchived     EventKind = "archived"
	EvNoted        EventKind = "noted"
	EvEdited       EventKind = "edited"
	EvAttached     EventKind = "attached"      // attachments added
	EvLetterIssued EventKind = "letter_issued" // a letter number was allocated
	EvResolved     EventKind = "resolved"      // a conflict was settled
)

// EventKinds lists every kind.
var EventKinds = []EventKind{EvReceived, EvVerified, EvPostponed, EvResumed, EvReturned, EvDisposed, EvResponded, EvFollowedUp, EvReplied, EvClosed, EvReopened, EvArchived, EvNoted, EvEdited, EvAttached, EvLetterIssued, EvResolved}

// Valid reports whether k is a known kind.
func (k EventKind) Valid() bool { return contains(EventKinds, k) }

var actionKinds = map[Action]EventKind{
	ActVerify: EvVerified, ActPostpone: EvPostponed, ActResume: EvResumed, ActReturn: EvReturned,
	ActDispose: EvDisposed, ActRespond: EvResponded, ActFollowUp: EvFollowedUp, ActReply: EvReplied,
	ActClose: EvClosed, ActReopen: EvReopened, ActArchive: EvArchived, ActNote: EvNoted, ActEdit: EvEdited, ActResolve: EvResolved,
}

// Kind returns the event kind an action produces.
func (a Action) Kind() EventKind { return actionKinds[a] }

// Action returns the action that produces k, or "" for kinds that are not user
// actions (received, attached, letter_issued).
func (k EventKind) Action() Action {
	for a, kind := range actionKinds {
		if kind == k {
			return a
		}
	}
	return ""
}

// FieldChange sets one editable field to a new value, given as text.
type FieldChange struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// LetterRecord is a letter number allocated to a report. Numbers are gap-free per
// unit, kind of counter and year; a reprint reuses the record.
type LetterRecord struct {
	Kind     string `json:"kind"`   // e.g. "disposisi", "tindak-lanjut"
	Number   string `json:"number"` // formatted, e.g. 000.1.4/045/DISKOMINFO/XI/2026
	Seq      int    `json:"seq"`
	Year     int    `json:"year"`
	Training bool   `json:"training,omitempty"`
	Code     string `json:"code,omitempty"` // verification code
	Date     Date   `json:"date"`           // the letter's date; a reprint keeps it
	// Content is the letter as printed, in the letter package's canonical form (the
	// text its Code is derived from), so a reprint is the same letter whatever changed
	// since, and a verification can show what the paper should say.
	Content string `json:"content,omitempty"`
}

// MaxLetterContentLen bounds a LetterRecord's Content, in characters: a long letter
// is some tens of thousands.
const MaxLetterContentLen = 200_000

// Payload holds the data of an event; which fields are set depends on the kind.
type Payload struct {
	Report       *NewReport     `json:"report,omitempty"`       // received
	Changes      []FieldChange  `json:"changes,omitempty"`      // verified (corrections), edited
	Reason       string         `json:"reason,omitempty"`       // postponed, returned, closed, reopened, archived
	Text         string         `json:"text,omitempty"`         // responded, followed_up, replied, noted; the note of a disposition
	ToUnit       string         `json:"to_unit,omitempty"`      // disposed
	Instructions []string       `json:"instructions,omitempty"` // disposed
	Attachments  []Attachment   `json:"attachments,omitempty"`  // received, followed_up, attached
	Letter       *LetterRecord  `json:"letter,omitempty"`       // letter_issued
	Resolves     *uuid.UUID     `json:"resolves,omitempty"`     // resolved: the conflicting event
	Extra        map[string]any `json:"extra,omitempty"`        // forward compatibility
}

// Event is one immutable entry in a report's history.
type Event struct {
	ID       uuid.UUID `json:"id"` // UUIDv7: ordered by creation
	ReportID uuid.UUID `json:"report_id"`
	Kind     EventKind `json:"kind"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor,omitempty"` // the person or device that acted
	Unit     string    `json:"unit"`            // the actor's unit code
	// BaseVersion is the report version the actor saw when deciding; 0 for received.
	BaseVersion int     `json:"base_version"`
	Payload     Payload `json:"payload"`
	// Origin names the desk that wrote the event (its device ID once enrolled), and
	// Seen counts the report's events of other origins in the view it decided on.
	// Together they tell, in any order the hub gives, which changes the actor had
	// seen: a version count alone cannot, when offline desks' histories diverge.
	// Events written before they existed have neither.
	Origin string `json:"origin,omitempty"`
	Seen   int    `json:"seen,omitempty"`
}

// Canonical returns the event's canonical JSON encoding: the same event always
// encodes to the same bytes (UTC time, fixed field order, sorted map keys).
func (e Event) Canonical() ([]byte, error) {
	e.At = e.At.UTC()
	return json.Marshal(e)
}

// Hash returns the hex SHA-256 of the canonical encoding; sync compares it to tell a
// repeated delivery from a different event under the same ID.
func (e Event) Hash() string {
	b, err := e.Canonical()
	if err != nil {
		// Only unencodable Extra values can fail; hash the error text so the
		// event still compares unequal to any well-formed one.
		b = []byte(err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ForDisplay returns the event as it may be shown, exported or printed for a report
// whose confidentiality is conf: an Anonim reporter's identity is masked in the
// received payload and in edits of reporter fields.
// The result is a deep copy: a caller may change it freely without touching the event.
func (e Event) ForDisplay(conf Confidentiality) Event {
	e.Payload = e.Payload.clone()
	if e.Payload.Report != nil && e.Payload.Report.Confidentiality == Anonim {
		conf = Anonim // the receipt itself says so, whatever the caller believes
	}
	if conf != Anonim {
		return e
	}
	if e.Payload.Report != nil {
		e.Payload.Report.Reporter = e.Payload.Report.Reporter.Masked(Anonim)
	}
	for i, c := range e.Payload.Changes {
		// Unknown fields too: a misspelt or newer field name may carry identity.
		if _, known := editable[c.Field]; conf.Withholds(c.Field) || !known {
			e.Payload.Changes[i].Value = maskedValue
		}
	}
	e.Payload.Extra = nil // unknown content, unknown risk
	return e
}

// Validate checks an event received from outside (sync, import) before it is kept:
// well-formed identifiers and kind, and every text within the limits commands have.
// It does not judge whether the event applies; Apply does, keeping conflicts.
func (e Event) Validate() error {
	var errs ValidationErrors
	if e.ID == uuid.Nil {
		errs = append(errs, &FieldError{Field: "id", Problem: ProblemRequired})
	}
	if e.ReportID == uuid.Nil {
		errs = append(errs, &FieldError{Field: "report_id", Problem: ProblemRequired})
	}
	if !e.Kind.Valid() {
		errs = append(errs, &FieldError{Field: "kind", Problem: ProblemUnknown, Value: shorten(string(e.Kind))})
	}
	if e.At.IsZero() || e.At.Year() < 2000 || e.At.Year() > 2200 {
		errs = append(errs, &FieldError{Field: "at", Problem: ProblemRange, Value: e.At.String()})
	}
	if e.BaseVersion < 0 {
		errs = append(errs, &FieldError{Field: "base_version", Problem: ProblemRange, Value: fmt.Sprint(e.BaseVersion)})
	}
	if e.Seen < 0 || e.Seen > e.BaseVersion {
		errs = append(errs, &FieldError{Field: "seen", Problem: ProblemRange, Value: fmt.Sprint(e.Seen)})
	}
	if e.Origin != "" && !reOrigin.MatchString(e.Origin) {
		errs = append(errs, &FieldError{Field: "origin", Problem: ProblemFormat, Value: shorten(e.Origin)})
	}
	add := func(fe *FieldError) {
		if fe != nil {
			errs = append(errs, fe)
		}
	}
	add(checkText("actor", e.Actor, false, MaxNameLen, false))
	add(checkPattern("unit", e.Unit, reUnitCode, true))
	p := e.Payload
	add(checkText("reason", p.Reason, false, MaxTextLen, true))
	add(checkText("text", p.Text, false, MaxTextLen, true))
	add(checkPattern("to_unit", p.ToUnit, reUnitCode, e.Kind == EvDisposed))
	if len(p.Instructions) > 20 {
		add(&FieldError{Field: "instructions", Problem: ProblemTooLong, Limit: 20, Length: len(p.Instructions)})
	}
	for _, in := range p.Instructions {
		add(checkText("instructions", in, true, MaxNameLen, false))
	}
	if len(p.Changes) > len(editable) {
		add(&FieldError{Field: "changes", Problem: ProblemTooLong, Limit: len(editable), Length: len(p.Changes)})
	}
	for _, c := range p.Changes {
		add(checkText("changes", c.Field, true, 64, false))
		add(checkText("changes", c.Value, false, MaxBodyLen, true))
	}
	add(checkAttachments(p.Attachments))
	if e.Kind == EvReceived {
		if p.Report == nil {
			add(&FieldError{Field: "report", Problem: ProblemRequired})
		} else if err := p.Report.Validate(e.At); err != nil {
			return err
		}
	}
	if e.Kind == EvLetterIssued && p.Letter == nil {
		add(&FieldError{Field: "letter", Problem: ProblemRequired})
	}
	if p.Letter != nil {
		add(checkText("letter", p.Letter.Number, true, MaxShortLen, false))
		add(checkText("letter", p.Letter.Kind, true, 40, false))
		add(checkText("letter", p.Letter.Code, false, MaxShortLen, false))
		add(checkText("letter", p.Letter.Content, false, MaxLetterContentLen, true))
	}
	return errs.err()
}

// clone returns a deep copy of p.
func (p Payload) clone() Payload {
	if p.Report != nil {
		n := p.Report.clone()
		p.Report = &n
	}
	p.Changes = cloneSlice(p.Changes)
	p.Instructions = cloneSlice(p.Instructions)
	p.Attachments = cloneSlice(p.Attachments)
	if p.Letter != nil {
		l := *p.Letter
		p.Letter = &l
	}
	if p.Resolves != nil {
		id := *p.Resolves
		p.Resolves = &id
	}
	if p.Extra != nil {
		p.Extra = cloneJSON(p.Extra).(map[string]any)
	}
	return p
}

// cloneSlice copies s, keeping nil as nil so encodings do not change.
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// cloneJSON deep-copies a value decoded from JSON (maps, slices and scalars).
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = cloneJSON(e)
		}
		return s
	}
	return v
}

// maskedValue replaces an identity field's value in a masked event.
const maskedValue = "***"

// NormalizeTime rounds t to the microsecond in UTC, the precision the store keeps, so
// that an event hashes the same before and after a round trip.
func NormalizeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
