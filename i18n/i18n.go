// Package i18n turns domain values, dates and errors into the words users read, in
// Bahasa Indonesia by default or English, from the translation files embedded in
// assets. The GUI, the CLI and the hub all speak through it; it needs no window and
// no store, so the hub links neither.
package i18n

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
)

// catalog is one language's messages; a message with {{.Name}} placeholders is a
// text/template, parsed when first used.
type catalog struct {
	code  string
	msgs  map[string]string
	tmpls sync.Map // key → *template.Template
}

// active is the language every lookup uses. The words a process speaks are one
// choice for the whole process (as the operating system's locale is), made at start
// and when the user changes the language.
var active atomic.Pointer[catalog]

// Use makes code ("id" or "en"; "" is assets.DefaultLanguage) the language of every
// lookup.
func Use(code string) error {
	c, err := load(code)
	if err != nil {
		return err
	}
	active.Store(c)
	return nil
}

func load(code string) (*catalog, error) {
	if code == "" {
		code = assets.DefaultLanguage
	}
	table, err := assets.Translation(code)
	if err != nil {
		return nil, err
	}
	return &catalog{code: code, msgs: table}, nil
}

// Current returns the language in use and its messages (the window hands them to
// Fyne, whose own dialog buttons are in the table too). The map must not be changed.
func Current() (code string, messages map[string]string) {
	c := current()
	return c.code, c.msgs
}

func current() *catalog {
	if c := active.Load(); c != nil {
		return c
	}
	c, err := load("")
	if err != nil {
		// The embedded default always loads (a test proves it); without it every
		// lookup says its key, which is still readable.
		c = &catalog{code: assets.DefaultLanguage, msgs: map[string]string{}}
	}
	active.CompareAndSwap(nil, c)
	return active.Load()
}

// T returns the translation of key, filled with data (a map or struct), or the key
// itself when no translation exists.
func T(key string, data ...any) string {
	c := current()
	msg, ok := c.msgs[key]
	if !ok {
		return key
	}
	if !strings.Contains(msg, "{{") {
		return msg
	}
	var t *template.Template
	if v, ok := c.tmpls.Load(key); ok {
		t = v.(*template.Template)
	} else {
		var err error
		if t, err = template.New(key).Parse(msg); err != nil {
			return msg // a broken placeholder shows as typed rather than hiding the text
		}
		c.tmpls.Store(key, t)
	}
	var arg any
	if len(data) > 0 {
		arg = data[0]
	}
	var b bytes.Buffer
	if err := t.Execute(&b, arg); err != nil {
		return msg
	}
	return b.String()
}

// Tf is T with a map built from alternating names and values.
func Tf(key string, kv ...any) string {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return T(key, m)
}

// Status names a status.
func Status(s lapordesk.Status) string { return T("status." + string(s)) }

// Classification names a classification.
func Classification(c lapordesk.Classification) string { return T("classification." + string(c)) }

// Channel names a channel.
func Channel(c lapordesk.Channel) string { return T("channel." + string(c)) }

// Confidentiality names a confidentiality level.
func Confidentiality(c lapordesk.Confidentiality) string { return T("confidentiality." + string(c)) }

// Action names an action.
func Action(a lapordesk.Action) string { return T("action." + string(a)) }

// Event names an event kind.
func Event(k lapordesk.EventKind) string { return T("event." + string(k)) }

// Step names a next step.
func Step(s lapordesk.Step) string { return T("step." + string(s)) }

// Urgency names a deadline's urgency.
func Urgency(u lapordesk.Urgency) string { return T("urgency." + string(u)) }

// Box names a box of the desk.
func Box(b lapordesk.Box) string { return T("box." + string(b)) }

// Outcome names a national outcome category.
func Outcome(o lapordesk.Outcome) string { return T("outcome." + string(o)) }

// HolidayKind names a kind of holiday.
func HolidayKind(k lapordesk.HolidayKind) string { return T("holiday." + string(k)) }

// Field names a field of a form or record.
func Field(f string) string { return T("field." + f) }

// Date writes a date the Indonesian way, "27 November 2026" (month names translated).
func Date(d lapordesk.Date) string {
	if d.IsZero() {
		return "-"
	}
	return fmt.Sprintf("%d %s %d", d.Day, Month(d.Month), d.Year)
}

// DateTime writes a moment in loc as "27 November 2026 14.05".
func DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(loc)
	return fmt.Sprintf("%s %02d.%02d", Date(lapordesk.DateOf(t, loc)), t.Hour(), t.Minute())
}

// Month names a month.
func Month(m time.Month) string { return T("month." + strconv.Itoa(int(m))) }

// TimeLeft says roughly how long something has to go: "±40 detik", "±3 menit",
// "±2 jam"; "" when d is not known (0 or less).
func TimeLeft(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < 90*time.Second:
		return Tf("duration.seconds", "N", max(10, int((d+5*time.Second)/(10*time.Second))*10))
	case d < 90*time.Minute:
		return Tf("duration.minutes", "N", int((d+30*time.Second)/time.Minute))
	}
	return Tf("duration.hours", "N", int((d+30*time.Minute)/time.Hour))
}

// DaysLeft describes a deadline in words: "3 hari kerja lagi", "hari ini",
// "terlambat 2 hari kerja".
func DaysLeft(d lapordesk.Deadline) string {
	switch {
	case d.Paused:
		return Urgency(lapordesk.UrgencyPaused)
	case d.Due.IsZero() && d.CloseOn.IsZero():
		if d.ResolutionOverdue {
			return Urgency(lapordesk.UrgencyOverdue)
		}
		return "-"
	case d.DaysLeft < 0:
		return Tf("deadline.late", "N", -d.DaysLeft)
	case d.DaysLeft == 0:
		return T("deadline.today")
	}
	return Tf("deadline.left", "N", d.DaysLeft)
}

// Error explains err in words a user understands: what is wrong with which field,
// which action a status does not allow, a locked or full disk. Unknown errors keep
// their own text.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var ve lapordesk.ValidationErrors
	if errors.As(err, &ve) {
		parts := make([]string, len(ve))
		for i, fe := range ve {
			parts[i] = FieldError(fe)
		}
		return strings.Join(parts, "; ")
	}
	var fe *lapordesk.FieldError
	if errors.As(err, &fe) {
		return FieldError(fe)
	}
	var te *lapordesk.TransitionError
	if errors.As(err, &te) {
		return Tf("error.transition", "Status", Status(te.Status), "Action", Action(te.Action))
	}
	var ae *lapordesk.AmbiguousError
	if errors.As(err, &ae) {
		return Tf("error.ambiguous", "Ref", ae.Ref, "IDs", strings.Join(ae.IDs, ", "))
	}
	var se *lapordesk.StaleError
	if errors.As(err, &se) {
		return Tf("error.stale", "Base", se.Base, "Changed", se.Changed)
	}
	for _, m := range []struct {
		target error
		key    string
	}{
		{lapordesk.ErrNewerSchema, "error.newer_store"},
		{lapordesk.ErrDamaged, "error.damaged"},
		{lapordesk.ErrNotStore, "error.not_a_store"},
		{lapordesk.ErrLocked, "error.locked"},
		{lapordesk.ErrDiskFull, "error.disk_full"},
		{lapordesk.ErrReadOnly, "error.read_only"},
		{lapordesk.ErrHubOwned, "error.hub_owned"},
		{lapordesk.ErrNeedPassphrase, "error.need_passphrase"},
		{lapordesk.ErrWrongPassphrase, "error.wrong_passphrase"},
		{lapordesk.ErrNotTraining, "error.not_training"},
	} {
		if errors.Is(err, m.target) {
			return T(m.key)
		}
	}
	if errors.Is(err, lapordesk.ErrNotFound) {
		return Tf("error.not_found_detail", "Error", err.Error())
	}
	return err.Error()
}

// FieldError explains one field's problem.
func FieldError(fe *lapordesk.FieldError) string {
	return T("error."+fe.Problem, map[string]any{"Field": Field(fe.Field), "Value": fe.Value, "Limit": fe.Limit, "Length": fe.Length})
}

// ConflictReason explains why a conflicting event did not apply: the two causes
// sync produces in the user's words, any other in the domain's own text.
func ConflictReason(c lapordesk.Conflict) string {
	err := c.Cause()
	var se *lapordesk.StaleError
	if errors.As(err, &se) {
		return T("conflict.reason.stale")
	}
	var te *lapordesk.TransitionError
	if errors.As(err, &te) {
		return Tf("conflict.reason.transition", "Action", Action(te.Action), "Status", Status(te.Status))
	}
	return c.Reason
}
