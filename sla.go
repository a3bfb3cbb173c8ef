package lapordesk

import (
	"fmt"
	"time"
)

// SLA holds the time limits for one classification, in working days unless noted.
// Defaults follow SP4N-LAPOR! practice; every number is editable data.
type SLA struct {
	VerifyDays    int `json:"verify_days"`     // verification and forwarding, from receipt
	FollowUpDays  int `json:"follow_up_days"`  // follow-up, from disposition
	AutoCloseDays int `json:"auto_close_days"` // close after a follow-up with no reply
	// ResolutionDays bounds the whole handling (Perpres 76/2013: 60 days). Whether
	// these are working or calendar days is unconfirmed, so it is a setting.
	ResolutionDays        int  `json:"resolution_days"`
	ResolutionWorkingDays bool `json:"resolution_working_days"`
}

// Policy is the SLA policy of a unit: a default, overrides per classification, the
// statuses that pause the clock, and how near a deadline counts as "due soon".
type Policy struct {
	Default          SLA                    `json:"default"`
	ByClassification map[Classification]SLA `json:"by_classification,omitempty"`
	PauseStatuses    []Status               `json:"pause_statuses"`
	DueSoonDays      int                    `json:"due_soon_days"`
}

// DefaultPolicy returns the limits in the domain reference: verify and forward in 3
// working days, follow up 5 working days after disposition, auto-close 10 working
// days after the follow-up, resolve within 60 days; postponement pauses the clock.
func DefaultPolicy() Policy {
	return Policy{
		Default:       SLA{VerifyDays: 3, FollowUpDays: 5, AutoCloseDays: 10, ResolutionDays: 60},
		PauseStatuses: []Status{StatusPostponed},
		DueSoonDays:   2,
	}
}

// For returns the SLA that applies to classification c.
func (p Policy) For(c Classification) SLA {
	if s, ok := p.ByClassification[c]; ok {
		return s
	}
	return p.Default
}

// Validate checks that every limit is sensible.
func (p Policy) Validate() error {
	var errs ValidationErrors
	check := func(prefix string, s SLA) {
		for _, f := range []struct {
			name string
			v    int
		}{{"verify_days", s.VerifyDays}, {"follow_up_days", s.FollowUpDays}, {"auto_close_days", s.AutoCloseDays}, {"resolution_days", s.ResolutionDays}} {
			if f.v < 1 || f.v > 365 {
				errs = append(errs, &FieldError{Field: prefix + f.name, Problem: ProblemRange, Value: fmt.Sprint(f.v)})
			}
		}
	}
	check("", p.Default)
	for c, s := range p.ByClassification {
		if !c.Valid() {
			errs = append(errs, &FieldError{Field: "classification", Problem: ProblemUnknown, Value: string(c)})
			continue
		}
		check(string(c)+".", s)
	}
	for _, s := range p.PauseStatuses {
		if !s.Valid() || !s.Open() {
			errs = append(errs, &FieldError{Field: "pause_statuses", Problem: ProblemUnknown, Value: string(s)})
		}
	}
	if p.DueSoonDays < 0 || p.DueSoonDays > 30 {
		errs = append(errs, &FieldError{Field: "due_soon_days", Problem: ProblemRange, Value: fmt.Sprint(p.DueSoonDays)})
	}
	return errs.err()
}

func (p Policy) pauses(s Status) bool { return contains(p.PauseStatuses, s) }

// Step is the next thing a report needs.
type Step string

const (
	StepNone          Step = ""
	StepVerify        Step = "verify"         // verify (and forward) the new report
	StepDispose       Step = "dispose"        // forward or handle the verified or returned report
	StepFollowUp      Step = "follow_up"      // post the follow-up (tindak lanjut)
	StepAwaitReporter Step = "await_reporter" // clock paused until the reporter answers
	StepAutoClose     Step = "auto_close"     // closes when no reply comes by the date
)

// Schedule is a report's next step and its dates under a calendar and policy. It does
// not depend on today, so the store keeps it in its indexes.
type Schedule struct {
	Step Step `json:"step"`
	// Due is the last working day for an actionable step (verify, dispose, follow-up);
	// zero while paused or when nothing is due.
	Due Date `json:"due"`
	// CloseOn is the day a followed-up report may be closed for want of a reply.
	CloseOn Date `json:"close_on"`
	// ResolutionDue is the end of the overall resolution limit while unresolved.
	ResolutionDue Date `json:"resolution_due"`
	Paused        bool `json:"paused"`
}

// ScheduleOf computes the schedule of r.
func ScheduleOf(r *Report, cal *Calendar, p Policy) Schedule {
	if !r.Status.Open() {
		return Schedule{}
	}
	sla := p.For(r.Classification)
	var s Schedule
	switch {
	case p.pauses(r.Status):
		s.Step, s.Paused = StepAwaitReporter, true
	case r.Status == StatusNew:
		s.Step = StepVerify
		s.Due = cal.AddWorkingDays(DateOf(r.PhaseStart, cal.Location), sla.VerifyDays+pausedWorkingDays(r, cal, p, r.PhaseStart))
	case r.Status == StatusVerified || r.Status == StatusReturned:
		s.Step = StepDispose
		s.Due = cal.AddWorkingDays(DateOf(r.PhaseStart, cal.Location), sla.VerifyDays+pausedWorkingDays(r, cal, p, r.PhaseStart))
	case r.Status == StatusDisposed || r.Status == StatusInProgress:
		s.Step = StepFollowUp
		s.Due = cal.AddWorkingDays(DateOf(r.PhaseStart, cal.Location), sla.FollowUpDays+pausedWorkingDays(r, cal, p, r.PhaseStart))
	case r.Status == StatusFollowedUp:
		s.Step = StepAutoClose
		s.CloseOn = cal.AddWorkingDays(DateOf(r.PhaseStart, cal.Location), sla.AutoCloseDays)
	}
	if r.Status != StatusFollowedUp && !s.Paused {
		recv := DateOf(r.ReceivedAt, cal.Location)
		if sla.ResolutionWorkingDays {
			s.ResolutionDue = cal.AddWorkingDays(recv, sla.ResolutionDays+pausedWorkingDays(r, cal, p, r.ReceivedAt))
		} else {
			s.ResolutionDue = recv.AddDays(sla.ResolutionDays + pausedCalendarDays(r, cal, p))
		}
	}
	return s
}

// pausedWorkingDays counts the working days spent in pausing statuses after since,
// by closed pauses only (a report paused now has no due date).
func pausedWorkingDays(r *Report, cal *Calendar, p Policy, since time.Time) int {
	n := 0
	for i := 0; i+1 < len(r.Spans); i++ {
		sp := r.Spans[i]
		if !p.pauses(sp.Status) {
			continue
		}
		from, to := sp.From, r.Spans[i+1].From
		if !to.After(since) {
			continue
		}
		if from.Before(since) {
			from = since
		}
		// Events carry their device's clock: a skewed clock can end a pause before it
		// began, which must not shorten the limit.
		n += max(0, cal.WorkingDaysBetween(DateOf(from, cal.Location), DateOf(to, cal.Location)))
	}
	return n
}

func pausedCalendarDays(r *Report, cal *Calendar, p Policy) int {
	n := 0
	for i := 0; i+1 < len(r.Spans); i++ {
		if p.pauses(r.Spans[i].Status) {
			n += max(0, DateOf(r.Spans[i].From, cal.Location).DaysUntil(DateOf(r.Spans[i+1].From, cal.Location)))
		}
	}
	return n
}

// Urgency classifies a deadline for its badge.
type Urgency string

const (
	UrgencyNone    Urgency = "none"    // nothing due
	UrgencyOK      Urgency = "ok"      // due later
	UrgencySoon    Urgency = "soon"    // due within the policy's DueSoonDays working days
	UrgencyOverdue Urgency = "overdue" // past its due date
	UrgencyPaused  Urgency = "paused"  // clock stopped
	UrgencyWaiting Urgency = "waiting" // followed up, waiting out the reply period
)

// Deadline is a schedule seen from a given day.
type Deadline struct {
	Schedule
	Today Date `json:"today"`
	// DaysLeft counts working days from today to Due: 0 on the due day, negative when
	// overdue. For auto-close it counts to CloseOn.
	DaysLeft int `json:"days_left"`
	// Overdue: the step's due date or the overall resolution limit has passed.
	Overdue           bool    `json:"overdue"`
	ResolutionOverdue bool    `json:"resolution_overdue"`
	Closable          bool    `json:"closable"` // the reply period is over
	Urgency           Urgency `json:"urgency"`
}

// DeadlineOn returns the schedule as seen on today.
func (s Schedule) DeadlineOn(today Date, cal *Calendar, p Policy) Deadline {
	d := Deadline{Schedule: s, Today: today, Urgency: UrgencyNone}
	switch {
	case s.Paused:
		d.Urgency = UrgencyPaused
	case !s.Due.IsZero():
		d.DaysLeft = cal.WorkingDaysBetween(today, s.Due)
		d.Overdue = today.After(s.Due)
		if d.Overdue && d.DaysLeft >= 0 {
			// On a weekend or holiday right after the due day no working day has
			// passed yet, but the step is late: it is the first day overdue.
			d.DaysLeft = -1
		}
		switch {
		case d.Overdue:
			d.Urgency = UrgencyOverdue
		case d.DaysLeft <= p.DueSoonDays:
			d.Urgency = UrgencySoon
		default:
			d.Urgency = UrgencyOK
		}
	case !s.CloseOn.IsZero():
		d.DaysLeft = cal.WorkingDaysBetween(today, s.CloseOn)
		// "10 working days pass": the report may close the day after the tenth.
		d.Closable = today.After(s.CloseOn)
		d.Urgency = UrgencyWaiting
	}
	if !s.ResolutionDue.IsZero() && today.After(s.ResolutionDue) {
		// Past the overall limit the report is late whatever its current step says.
		d.ResolutionOverdue = true
		d.Overdue = true
		d.Urgency = UrgencyOverdue
	}
	return d
}

// DeadlineOf computes r's deadline as seen at now.
func DeadlineOf(r *Report, cal *Calendar, p Policy, now time.Time) Deadline {
	return ScheduleOf(r, cal, p).DeadlineOn(cal.Today(now), cal, p)
}

// DueSoonLimit returns the last day that counts as "due soon" seen from today: due
// dates up to it need action now.
func DueSoonLimit(today Date, cal *Calendar, p Policy) Date {
	return cal.AddWorkingDays(today, p.DueSoonDays)
}
