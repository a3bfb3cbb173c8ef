package lapordesk

import (
	"time"

	"github.com/google/uuid"
)

// Box is one of the views of the desk, each a set of reports the admin works through.
type Box string

const (
	BoxInbox      Box = "inbox"       // Kotak Masuk: new, and disposed to the unit
	BoxAction     Box = "action"      // Perlu Tindakan: overdue or due soon, most urgent first
	BoxInProgress Box = "in_progress" // Dalam Proses
	BoxWaiting    Box = "waiting"     // Menunggu Pelapor
	BoxDone       Box = "done"        // Selesai
	BoxArchive    Box = "archive"     // Arsip
	BoxAll        Box = "all"         // Semua
)

// Boxes lists the boxes in navigation order.
var Boxes = []Box{BoxInbox, BoxAction, BoxInProgress, BoxWaiting, BoxDone, BoxArchive, BoxAll}

// Valid reports whether b is a known box.
func (b Box) Valid() bool { return contains(Boxes, b) }

// Statuses returns the statuses a box holds (nil: any). The action box further keeps
// only reports due soon or overdue.
func (b Box) Statuses() []Status {
	switch b {
	case BoxInbox:
		return []Status{StatusNew, StatusDisposed}
	case BoxAction:
		return []Status{StatusNew, StatusVerified, StatusReturned, StatusDisposed, StatusInProgress}
	case BoxInProgress:
		return []Status{StatusVerified, StatusReturned, StatusInProgress}
	case BoxWaiting:
		return []Status{StatusPostponed, StatusFollowedUp}
	case BoxDone:
		return []Status{StatusClosed}
	case BoxArchive:
		return []Status{StatusArchived}
	}
	return nil
}

// Sort orders a report list.
type Sort string

const (
	SortDue      Sort = "due"      // due date, soonest first; nothing due last
	SortReceived Sort = "received" // received time, newest first
	SortStatus   Sort = "status"   // lifecycle order, then due
)

// Valid reports whether s is a known order.
func (s Sort) Valid() bool { return s == SortDue || s == SortReceived || s == SortStatus }

// Filter selects reports for a list. Zero fields do not filter.
type Filter struct {
	Box            Box
	Statuses       []Status
	Overdue        bool   // past a step's due date or the resolution limit
	Text           string // full-text search, prefix matching on the last word
	Classification Classification
	CategoryID     string // also matches sub-categories
	Channel        Channel
	Unit           string
	Since          Date // received on or after
	Until          Date // received on or before
	Conflicts      bool // only reports with a sync conflict waiting to be resolved
	Sort           Sort
	Reverse        bool // reverse the sort's natural direction
}

// Validate checks the filter's values.
func (f *Filter) Validate() error {
	var errs ValidationErrors
	if f.Box != "" && !f.Box.Valid() {
		errs = append(errs, &FieldError{Field: "box", Problem: ProblemUnknown, Value: shorten(string(f.Box))})
	}
	for _, s := range f.Statuses {
		if !s.Valid() {
			errs = append(errs, &FieldError{Field: "status", Problem: ProblemUnknown, Value: shorten(string(s))})
		}
	}
	if e := checkText("search", f.Text, false, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	if f.Classification != "" && !f.Classification.Valid() {
		errs = append(errs, &FieldError{Field: "classification", Problem: ProblemUnknown, Value: shorten(string(f.Classification))})
	}
	if f.Channel != "" && !f.Channel.Valid() {
		errs = append(errs, &FieldError{Field: "channel", Problem: ProblemUnknown, Value: shorten(string(f.Channel))})
	}
	if e := checkPattern("category", f.CategoryID, reCategory, false); e != nil {
		errs = append(errs, e)
	}
	if e := checkPattern("unit", f.Unit, reUnitCode, false); e != nil {
		errs = append(errs, e)
	}
	if f.Sort != "" && !f.Sort.Valid() {
		errs = append(errs, &FieldError{Field: "sort", Problem: ProblemUnknown, Value: shorten(string(f.Sort))})
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		errs = append(errs, &FieldError{Field: "until", Problem: ProblemRange, Value: f.Until.String()})
	}
	return errs.err()
}

// Item is one row of a report list: what the list shows, with the identity already
// masked (a list never carries a reporter).
type Item struct {
	ID              uuid.UUID       `json:"id"`
	Ref             string          `json:"ref"`
	TrackingID      string          `json:"tracking_id,omitempty"`
	AgendaNo        string          `json:"agenda_no"`
	Title           string          `json:"title"`
	Classification  Classification  `json:"classification"`
	CategoryID      string          `json:"category_id,omitempty"`
	Category        string          `json:"category,omitempty"` // path of names
	Channel         Channel         `json:"channel"`
	Confidentiality Confidentiality `json:"confidentiality"`
	Status          Status          `json:"status"`
	Unit            string          `json:"unit"`
	ReceivedAt      time.Time       `json:"received_at"`
	Deadline        Deadline        `json:"deadline"`
	Conflicts       int             `json:"conflicts,omitempty"`
}

// Page is one page of a list. Next is an opaque cursor for the following page, empty
// on the last page.
type Page struct {
	Items []Item `json:"items"`
	Next  string `json:"next,omitempty"`
}

// View is a report with everything the detail screen shows, masked for display.
type View struct {
	Report   Report   `json:"report"`
	Category string   `json:"category,omitempty"` // path of names
	Deadline Deadline `json:"deadline"`
	History  []Event  `json:"history"`
	Actions  []Action `json:"actions"` // allowed now
}

// Recap is the summary of a period for the unit head and the coordinator.
type Recap struct {
	From             Date                   `json:"from"`
	To               Date                   `json:"to"`
	Unit             string                 `json:"unit,omitempty"`
	Total            int                    `json:"total"`
	ByStatus         map[Status]int         `json:"by_status"`
	ByOutcome        map[Outcome]int        `json:"by_outcome"`
	ByClassification map[Classification]int `json:"by_classification"`
	ByChannel        map[Channel]int        `json:"by_channel"`
	ByCategory       []Count                `json:"by_category"` // top-level topics, largest first
	ByMonth          []Count                `json:"by_month"`    // "2026-11" keys, in order
	Overdue          int                    `json:"overdue"`
	DueThisWeek      int                    `json:"due_this_week"`
	// Average working days from receipt to the first response and to the follow-up,
	// over the reports that have one (Responded, FollowedUp).
	AvgDaysToResponse float64 `json:"avg_days_to_response"`
	AvgDaysToFollowUp float64 `json:"avg_days_to_follow_up"`
	Responded         int     `json:"responded"`
	FollowedUp        int     `json:"followed_up"`
}

// Count is a labelled number.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	N     int    `json:"n"`
}
