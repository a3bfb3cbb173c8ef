package lapordesk

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// A training scenario (Mode Latihan) is data: a named exercise with a goal, the
// reports a trainee finds on the desk (dated relative to the start, in working
// days, so the exercise is right on any day) and ordered steps. A step is done
// when the store's event log shows it, never by what a screen shows.

// Scenario is one training exercise.
type Scenario struct {
	Name    string           `json:"name"` // its key, e.g. "verifikasi"
	Title   string           `json:"title"`
	Goal    string           `json:"goal"`
	Role    Role             `json:"role"` // the trainee's desk
	Unit    string           `json:"unit"` // the trainee's unit code
	Reports []ScenarioReport `json:"reports"`
	Steps   []ScenarioStep   `json:"steps"`
}

// ScenarioReport is a report on the desk at the start, with what already
// happened to it.
type ScenarioReport struct {
	Key     string           `json:"key"`
	DaysAgo int              `json:"received_working_days_ago"`
	Report  NewReport        `json:"report"`
	Then    []ScenarioAction `json:"then,omitempty"`
}

// ScenarioAction is something done to a scenario report before the start.
type ScenarioAction struct {
	Action       Action   `json:"action"`
	DaysAgo      int      `json:"working_days_ago"`
	Unit         string   `json:"unit,omitempty"` // who acted ("": the report's holder)
	Reason       string   `json:"reason,omitempty"`
	Text         string   `json:"text,omitempty"`
	ToUnit       string   `json:"to_unit,omitempty"`
	Instructions []string `json:"instructions,omitempty"`
}

// ScenarioStep is one thing the trainee must do.
type ScenarioStep struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Hint  string    `json:"hint"`
	Check StepCheck `json:"check"`
	// DeadlineDays: the step is late after this many working days from the start
	// (0: no deadline).
	DeadlineDays int `json:"deadline_working_days,omitempty"`
}

// StepCheck is what the event log must show, after the start, for a step.
type StepCheck struct {
	// Report is a scenario report's key; "" means a report received during the
	// exercise (a walk-in complaint typed in).
	Report string    `json:"report,omitempty"`
	Kind   EventKind `json:"kind"`
	Field  string    `json:"field,omitempty"`   // verified or edited: this field changed
	ToUnit string    `json:"to_unit,omitempty"` // disposed: to this unit
	Letter string    `json:"letter,omitempty"`  // letter_issued: of this kind
	// Channel and Confidentiality: received, on this channel, of this kind.
	Channel         Channel         `json:"channel,omitempty"`
	Confidentiality Confidentiality `json:"confidentiality,omitempty"`
}

// Validate checks a scenario: keys, steps and checks that can be met.
func (s Scenario) Validate() error {
	var errs ValidationErrors
	add := func(field, problem, value string) {
		errs = append(errs, &FieldError{Field: field, Problem: problem, Value: shorten(value)})
	}
	if !reCategory.MatchString(s.Name) {
		add("name", ProblemFormat, s.Name)
	}
	if e := checkText("title", s.Title, true, MaxTitleLen, false); e != nil {
		errs = append(errs, e)
	}
	if s.Role != RoleUnit && s.Role != RoleCoordinator {
		add("role", ProblemUnknown, string(s.Role))
	}
	if !ValidUnitCode(s.Unit) {
		add("unit", ProblemFormat, s.Unit)
	}
	keys := map[string]bool{}
	for _, r := range s.Reports {
		if r.Key == "" || keys[r.Key] {
			add("reports.key", ProblemDuplicate, r.Key)
		}
		keys[r.Key] = true
		if r.DaysAgo < 0 {
			add("received_working_days_ago", ProblemRange, fmt.Sprint(r.DaysAgo))
		}
		for _, a := range r.Then {
			if !a.Action.Valid() || a.DaysAgo < 0 || a.DaysAgo > r.DaysAgo {
				add("then", ProblemRange, string(a.Action))
			}
		}
	}
	if len(s.Steps) == 0 {
		add("steps", ProblemRequired, "")
	}
	ids := map[string]bool{}
	for _, st := range s.Steps {
		if st.ID == "" || ids[st.ID] {
			add("steps.id", ProblemDuplicate, st.ID)
		}
		ids[st.ID] = true
		if st.Title == "" {
			add("steps.title", ProblemRequired, st.ID)
		}
		if st.Check.Report != "" && !keys[st.Check.Report] {
			add("steps.check.report", ProblemUnknown, st.Check.Report)
		}
		if !st.Check.Kind.Valid() {
			add("steps.check.kind", ProblemUnknown, string(st.Check.Kind))
		}
		if st.DeadlineDays < 0 {
			add("steps.deadline_working_days", ProblemRange, fmt.Sprint(st.DeadlineDays))
		}
	}
	return errs.err()
}

// scenarioSpace names the IDs of scenario reports and their events, so that a
// scenario started again is the same, event for event.
var scenarioSpace = uuid.MustParse("6f1c3a52-5b0e-4c1e-9a77-1d2b0e8a4c11")

// ScenarioReportID is the ID of a scenario report.
func ScenarioReportID(scenario, key string) uuid.UUID {
	return uuid.NewSHA1(scenarioSpace, []byte(scenario+"/"+key))
}

// workingDaysBefore is the working day n working days before d (d itself for n 0).
func workingDaysBefore(cal *Calendar, d Date, n int) Date {
	for guard := 0; n > 0 && guard < 3660; guard++ {
		d = d.AddDays(-1)
		if cal.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Seed returns the events that put the scenario's reports on a desk started at
// start: receipts and what followed, dated in working days before it (at 09:00
// and on, in the office's zone; a report of today an hour before the start), with
// IDs derived from the scenario, so seeding again gives the same events.
func (s Scenario) Seed(cal *Calendar, start time.Time) ([]Event, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	today := cal.Today(start)
	at := func(daysAgo, nth int) time.Time {
		if daysAgo == 0 {
			return NormalizeTime(start.Add(-time.Hour + time.Duration(nth)*time.Minute))
		}
		d := workingDaysBefore(cal, today, daysAgo)
		return NormalizeTime(time.Date(d.Year, time.Month(d.Month), d.Day, 9, nth, 0, 0, cal.Location))
	}
	var out []Event
	for _, sr := range s.Reports {
		n := sr.Report
		if n.Unit == "" {
			n.Unit = s.Unit
		}
		rid := ScenarioReportID(s.Name, sr.Key)
		e, err := Receive(n, "Pelatih", at(sr.DaysAgo, 0))
		if err != nil {
			return nil, fmt.Errorf("scenario %s, report %s: %w", s.Name, sr.Key, err)
		}
		e.ID, e.ReportID = uuid.NewSHA1(scenarioSpace, []byte(rid.String()+"/0")), rid
		r := &Report{}
		if c := r.Apply(e); c != nil {
			return nil, fmt.Errorf("scenario %s, report %s: %s: %w", s.Name, sr.Key, c.Reason, ErrInvalid)
		}
		out = append(out, e)
		for i, a := range sr.Then {
			unit := a.Unit
			if unit == "" {
				unit = r.Unit
			}
			cmd := Command{Action: a.Action, Actor: "Pelatih", Unit: unit, Reason: a.Reason, Text: a.Text, ToUnit: a.ToUnit, Instructions: a.Instructions}
			e, err := Decide(r, cmd, at(a.DaysAgo, i+1))
			if err != nil {
				return nil, fmt.Errorf("scenario %s, report %s, %s: %w", s.Name, sr.Key, a.Action, err)
			}
			e.ID = uuid.NewSHA1(scenarioSpace, []byte(fmt.Sprintf("%s/%d", rid, i+1)))
			if c := r.Apply(e); c != nil {
				return nil, fmt.Errorf("scenario %s, report %s, %s: %s: %w", s.Name, sr.Key, a.Action, c.Reason, ErrInvalid)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// StepState is how far a step is.
type StepState string

const (
	StepDone     StepState = "done"
	StepNotYet   StepState = "not_yet"
	StepLate     StepState = "late"      // not done, past its deadline
	StepDoneLate StepState = "done_late" // done after its deadline
)

// StepProgress is a step's state on a desk.
type StepProgress struct {
	ID    string     `json:"id"`
	State StepState  `json:"state"`
	At    *time.Time `json:"at,omitempty"`  // when it was done
	Due   *Date      `json:"due,omitempty"` // its deadline
}

// Score sums a scenario's progress.
type Score struct {
	Steps  int `json:"steps"`
	Done   int `json:"done"`
	InTime int `json:"in_time"`
	// Conflicts counts the reports of the exercise left with a conflict to settle.
	Conflicts int `json:"conflicts"`
}

// Progress says which steps the event logs show done since start: histories of
// the scenario's reports by key, and of the reports received during the exercise.
// Each step counts an event after the previous step's, so the steps are done in
// their order.
func (s Scenario) Progress(histories map[string][]Event, received [][]Event, cal *Calendar, start, now time.Time) []StepProgress {
	out := make([]StepProgress, len(s.Steps))
	after := start
	for i, st := range s.Steps {
		p := StepProgress{ID: st.ID, State: StepNotYet}
		if st.DeadlineDays > 0 {
			due := cal.AddWorkingDays(cal.Today(start), st.DeadlineDays)
			p.Due = &due
		}
		var logs [][]Event
		if st.Check.Report != "" {
			logs = [][]Event{histories[st.Check.Report]}
		} else {
			logs = received
		}
		var first *time.Time
		for _, evs := range logs {
			for _, e := range evs {
				if e.At.After(after) && st.Check.matches(e) && (first == nil || e.At.Before(*first)) {
					at := e.At
					first = &at
				}
			}
		}
		switch {
		case first != nil:
			p.State, p.At, after = StepDone, first, *first
			if p.Due != nil && cal.Today(*first).After(*p.Due) {
				p.State = StepDoneLate
			}
		case p.Due != nil && cal.Today(now).After(*p.Due):
			p.State = StepLate
		}
		out[i] = p
	}
	return out
}

// matches reports whether e is what the check asks for.
func (c StepCheck) matches(e Event) bool {
	if e.Kind != c.Kind {
		return false
	}
	p := e.Payload
	switch {
	case c.ToUnit != "" && p.ToUnit != c.ToUnit:
		return false
	case c.Letter != "" && (p.Letter == nil || p.Letter.Kind != c.Letter):
		return false
	case c.Channel != "" && (p.Report == nil || p.Report.Channel != c.Channel):
		return false
	case c.Confidentiality != "" && (p.Report == nil || p.Report.Confidentiality != c.Confidentiality):
		return false
	}
	if c.Field != "" {
		for _, ch := range p.Changes {
			if ch.Field == c.Field {
				return true
			}
		}
		return false
	}
	return true
}

// ScoreOf sums progress; conflicts is the number of the exercise's reports left
// with a conflict.
func ScoreOf(progress []StepProgress, conflicts int) Score {
	sc := Score{Steps: len(progress), Conflicts: conflicts}
	for _, p := range progress {
		switch p.State {
		case StepDone:
			sc.Done++
			sc.InTime++
		case StepDoneLate:
			sc.Done++
		}
	}
	return sc
}
