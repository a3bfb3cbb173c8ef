package lapordesk

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Callers test with errors.Is; every error returned by this module
// and its sub-packages wraps one of these when it is one of these kinds.
var (
	// ErrNotFound: the report, event or record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write was based on a stale version, or clashes with a unique value.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input is malformed or breaks a rule; nothing was written.
	ErrInvalid = errors.New("invalid input")
	// ErrHubOwned: on a desk enrolled with a hub, the reference data (holidays, the
	// weekend, the SLA policy, units, categories) is the hub's, one owner for every
	// desk of the Kabupaten: it is edited there, never on one desk, so no two desks
	// count a deadline differently and no sync wipes a local edit.
	ErrHubOwned = errors.New("the reference data of this desk is the hub's")
)

// Conditions of a data file (the desk's or the hub's) that a user must understand.
var (
	// ErrNeedPassphrase: the backup is encrypted, and opening it needs its passphrase.
	ErrNeedPassphrase = errors.New("the backup is encrypted: its passphrase is needed")
	// ErrWrongPassphrase: the passphrase given does not open the encrypted backup.
	ErrWrongPassphrase = errors.New("the passphrase does not open this backup")
	// ErrNotTraining: a real data file where a training workspace was asked for;
	// neither ever stands in for the other.
	ErrNotTraining = errors.New("this data file is not a training workspace")
)

// They are named here, not by the stores, so the words users read (i18n) depend on
// no store.
var (
	// ErrNewerSchema: the file was written by a newer LAPOR Desk; it is left untouched.
	ErrNewerSchema = errors.New("data file is from a newer version of LAPOR Desk")
	// ErrNotStore: the file is not a LAPOR Desk data file.
	ErrNotStore = errors.New("not a LAPOR Desk data file")
	// ErrDiskFull: the disk is full; the transaction was rolled back.
	ErrDiskFull = errors.New("disk full")
	// ErrLocked: another program holds the file.
	ErrLocked = errors.New("data file is locked by another program")
	// ErrReadOnly: the file or its folder cannot be written.
	ErrReadOnly = errors.New("data file is read-only")
	// ErrDamaged: a LAPOR Desk data file whose pages are damaged (a disk fault, a
	// copy cut short). It is also ErrNotStore, for the code that refuses such files;
	// the user is told it is damaged and where the newest backup is.
	ErrDamaged = fmt.Errorf("%w: the file is damaged", ErrNotStore)
)

// Problem codes of a FieldError. They are stable identifiers: user interfaces translate
// them (key "error.<code>") rather than showing Error() text.
const (
	ProblemRequired    = "required"
	ProblemTooLong     = "too_long"
	ProblemInvalidUTF8 = "invalid_utf8"
	ProblemControl     = "control_char"
	ProblemUnknown     = "unknown_value"
	ProblemFormat      = "bad_format"
	ProblemRange       = "out_of_range"
	ProblemImmutable   = "immutable"
	ProblemDuplicate   = "duplicate"
	ProblemNotHolder   = "not_holder" // the report is with another unit
	ProblemTooShort    = "too_short"  // fewer characters than Value (a passphrase)
	ProblemMismatch    = "mismatch"   // a value typed twice differs (a passphrase)
	// ProblemCannotApply: a conflict's other version cannot be applied now (its
	// action is not allowed, it would write withheld fields, or change nothing).
	ProblemCannotApply = "cannot_apply"
)

// FieldError says what is wrong with one field of the input. It wraps ErrInvalid.
type FieldError struct {
	Field   string // stable field name, e.g. "title"
	Problem string // one of the Problem* codes
	Value   string // the offending value, shortened for display; empty when not useful
	Limit   int    // for too_long: the maximum length in characters
	Length  int    // for too_long: the actual length in characters
}

func (e *FieldError) Error() string {
	switch e.Problem {
	case ProblemRequired:
		return fmt.Sprintf("%s: required", e.Field)
	case ProblemTooLong:
		return fmt.Sprintf("%s: too long (%d characters, at most %d)", e.Field, e.Length, e.Limit)
	case ProblemInvalidUTF8:
		return fmt.Sprintf("%s: not valid UTF-8 text", e.Field)
	case ProblemControl:
		return fmt.Sprintf("%s: contains control characters", e.Field)
	case ProblemUnknown:
		return fmt.Sprintf("%s: unknown value %q", e.Field, e.Value)
	case ProblemFormat:
		return fmt.Sprintf("%s: malformed value %q", e.Field, e.Value)
	case ProblemRange:
		return fmt.Sprintf("%s: value %q out of range", e.Field, e.Value)
	case ProblemImmutable:
		return fmt.Sprintf("%s: cannot be changed", e.Field)
	case ProblemDuplicate:
		return fmt.Sprintf("%s: %q is already used", e.Field, e.Value)
	case ProblemNotHolder:
		return fmt.Sprintf("the report is now with unit %s: only notes may be added", e.Value)
	case ProblemCannotApply:
		return fmt.Sprintf("%s: the other version cannot be applied now", e.Field)
	}
	// Problems other packages define (e.g. the letter package's unknown_placeholder)
	// still name what is wrong.
	if e.Value != "" {
		return fmt.Sprintf("%s: %s: %s", e.Field, strings.ReplaceAll(e.Problem, "_", " "), e.Value)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Problem)
}

func (e *FieldError) Unwrap() error { return ErrInvalid }

// ValidationErrors collects every FieldError found in one input, so a form can show
// each beside its field. It wraps ErrInvalid.
type ValidationErrors []*FieldError

func (v ValidationErrors) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

func (v ValidationErrors) Unwrap() []error {
	errs := make([]error, len(v))
	for i, e := range v {
		errs[i] = e
	}
	return errs
}

// For returns the first error about field, or nil.
func (v ValidationErrors) For(field string) *FieldError {
	for _, e := range v {
		if e.Field == field {
			return e
		}
	}
	return nil
}

// err returns v as an error, or nil when empty.
func (v ValidationErrors) err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

// TransitionError: the action is not allowed in the report's current status.
// It wraps ErrInvalid.
type TransitionError struct {
	Status Status
	Action Action
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s a report with status %q", e.Action, e.Status)
}

func (e *TransitionError) Unwrap() error { return ErrInvalid }

// StaleError: the command was based on an older version of the report than the one
// that last changed its status or fields. It wraps ErrConflict.
type StaleError struct {
	Base    int // version the command was based on
	Changed int // version at which the report last changed
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("report changed since version %d (last change at version %d); reload and try again", e.Base, e.Changed)
}

func (e *StaleError) Unwrap() error { return ErrConflict }

// AmbiguousError: a reference (an agenda number, a tracking ID, the start of an ID)
// names more than one report, e.g. an agenda number two desks issued offline before
// desks numbered apart. The reports are named by ID so the user can pick one.
type AmbiguousError struct {
	Ref string
	IDs []string
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%q matches more than one report (%s); name it by its ID", e.Ref, strings.Join(e.IDs, ", "))
}

func (e *AmbiguousError) Unwrap() error { return ErrConflict }
