package lapordesk

import (
	"testing"
	"time"
)

// wita returns the instant of a wall-clock time in Barru (UTC+8).
func wita(y int, m time.Month, day, hh, mm int) time.Time {
	return time.Date(y, m, day, hh-8, mm, 0, 0, time.UTC)
}

func barruCalendar(t *testing.T) *Calendar { return NewCalendar(makassar(t), nil) }

func checkSchedule(t *testing.T, what string, got Schedule, want Schedule) {
	t.Helper()
	if got != want {
		t.Errorf("%s: schedule\n got  %+v\n want %+v", what, got, want)
	}
}

// TestScheduleYearEnd follows a report received on Wednesday 24 December 2025, with
// Christmas, cuti bersama on the 26th, New Year and Isra Mikraj in the calendar.
func TestScheduleYearEnd(t *testing.T) {
	t.Parallel()
	cal, p := yearEndCalendar(t), DefaultPolicy()
	n := sampleNewReport(Biasa)
	n.IncidentDate = d(2025, 12, 20)
	h := newHistoryAt(t, n, wita(2025, 12, 24, 9, 0))
	resolution := d(2026, 2, 22) // 60 calendar days
	checkSchedule(t, "received", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2025, 12, 31), ResolutionDue: resolution})

	h.at(wita(2025, 12, 29, 8, 0)).do(cmdFor(ActVerify))
	// Verification and forwarding share one limit, counted from receipt.
	checkSchedule(t, "verified", ScheduleOf(h.r, cal, p), Schedule{Step: StepDispose, Due: d(2025, 12, 31), ResolutionDue: resolution})

	h.at(wita(2025, 12, 31, 15, 0)).do(Command{Action: ActDispose, ToUnit: unitDinkes})
	checkSchedule(t, "disposed", ScheduleOf(h.r, cal, p), Schedule{Step: StepFollowUp, Due: d(2026, 1, 8), ResolutionDue: resolution})

	h.at(wita(2026, 1, 5, 9, 0)).do(Command{Action: ActRespond, Text: "Diproses"})
	checkSchedule(t, "responded", ScheduleOf(h.r, cal, p), Schedule{Step: StepFollowUp, Due: d(2026, 1, 8), ResolutionDue: resolution})

	h.at(wita(2026, 1, 8, 16, 0)).do(Command{Action: ActFollowUp, Text: "Selesai ditangani"})
	// 10 working days after 8 January, skipping Isra Mikraj on the 16th.
	checkSchedule(t, "followed up", ScheduleOf(h.r, cal, p), Schedule{Step: StepAutoClose, CloseOn: d(2026, 1, 23)})

	h.at(wita(2026, 1, 23, 9, 0)).do(Command{Action: ActClose})
	checkSchedule(t, "closed", ScheduleOf(h.r, cal, p), Schedule{})
}

func TestScheduleOtherStatuses(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	resolution := d(2027, 1, 1) // 2 Nov 2026 + 60 days
	h := reportIn(t, StatusReturned)
	// The return restarts the clock: three working days from Tuesday 3 November.
	checkSchedule(t, "returned", ScheduleOf(h.r, cal, p), Schedule{Step: StepDispose, Due: d(2026, 11, 5), ResolutionDue: resolution})
	h = reportIn(t, StatusPostponed)
	checkSchedule(t, "postponed", ScheduleOf(h.r, cal, p), Schedule{Step: StepAwaitReporter, Paused: true})
	h = reportIn(t, StatusArchived)
	checkSchedule(t, "archived", ScheduleOf(h.r, cal, p), Schedule{})
}

// TestSchedulePauses: a postponement stops the clock; on resuming, every due date is
// later by the working days paused (calendar days for a calendar-day limit).
func TestSchedulePauses(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	h := newHistory(t, sampleNewReport(Biasa)) // Monday 2 Nov 2026, 09:00
	checkSchedule(t, "received", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2026, 11, 5), ResolutionDue: d(2027, 1, 1)})

	h.at(wita(2026, 11, 3, 10, 0)).do(cmdFor(ActPostpone))
	s := ScheduleOf(h.r, cal, p)
	checkSchedule(t, "paused", s, Schedule{Step: StepAwaitReporter, Paused: true})
	for _, day := range []Date{d(2026, 11, 3), d(2026, 11, 30), d(2027, 6, 1)} {
		dl := s.DeadlineOn(day, cal, p)
		if dl.Urgency != UrgencyPaused || dl.Overdue || dl.ResolutionOverdue || dl.DaysLeft != 0 {
			t.Errorf("paused, seen on %s: %+v", day, dl)
		}
	}

	// Paused Wed, Thu, Fri: three working days.
	h.at(wita(2026, 11, 6, 10, 0)).do(Command{Action: ActReply, Text: "Ini KTP saya"})
	checkSchedule(t, "resumed", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2026, 11, 10), ResolutionDue: d(2027, 1, 4)})

	// A second pause, Mon 9 to Wed 11: two more working days, two more calendar days.
	h.at(wita(2026, 11, 9, 8, 0)).do(cmdFor(ActPostpone))
	h.at(wita(2026, 11, 11, 8, 0)).do(cmdFor(ActResume))
	checkSchedule(t, "second resume", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2026, 11, 12), ResolutionDue: d(2027, 1, 6)})

	// A pause that ends with a verification counts as well.
	h.at(wita(2026, 11, 11, 9, 0)).do(cmdFor(ActPostpone))
	h.at(wita(2026, 11, 12, 9, 0)).do(cmdFor(ActVerify))
	checkSchedule(t, "verified while paused", ScheduleOf(h.r, cal, p), Schedule{Step: StepDispose, Due: d(2026, 11, 13), ResolutionDue: d(2027, 1, 7)})

	// The follow-up limit runs from the disposition; earlier pauses do not extend it.
	h.at(wita(2026, 11, 13, 9, 0)).do(Command{Action: ActDispose, ToUnit: unitDinkes})
	checkSchedule(t, "disposed", ScheduleOf(h.r, cal, p), Schedule{Step: StepFollowUp, Due: d(2026, 11, 20), ResolutionDue: d(2027, 1, 7)})
	h.at(wita(2026, 11, 16, 9, 0)).do(cmdFor(ActPostpone))
	h.at(wita(2026, 11, 17, 9, 0)).do(cmdFor(ActResume))
	if h.r.Status != StatusDisposed {
		t.Fatalf("resume after disposition gave %q", h.r.Status)
	}
	checkSchedule(t, "disposed, paused a day", ScheduleOf(h.r, cal, p), Schedule{Step: StepFollowUp, Due: d(2026, 11, 23), ResolutionDue: d(2027, 1, 8)})

	// The same history with the resolution limit in working days: 60 + 3 + 2 + 1 + 1.
	pw := DefaultPolicy()
	pw.Default.ResolutionWorkingDays = true
	if got, want := ScheduleOf(h.r, cal, pw).ResolutionDue, cal.AddWorkingDays(d(2026, 11, 2), 67); got != want || want != d(2027, 2, 3) {
		t.Errorf("working-day resolution due %s, want %s (2027-02-03)", got, want)
	}
}

func TestScheduleSameDayPauseAddsNothing(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	h := newHistory(t, sampleNewReport(Biasa))
	h.at(t0.Add(time.Hour)).do(cmdFor(ActPostpone))
	h.at(t0.Add(2 * time.Hour)).do(cmdFor(ActResume))
	checkSchedule(t, "same-day pause", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2026, 11, 5), ResolutionDue: d(2027, 1, 1)})
}

// TestSchedulePauseWithSkewedClock: the resume comes from a desk whose clock is two
// days behind, so the pause "ends" before it began. That must not shorten any limit.
func TestSchedulePauseWithSkewedClock(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	h := newHistory(t, sampleNewReport(Biasa)) // Mon 2 Nov 2026
	h.at(wita(2026, 11, 4, 10, 0)).do(cmdFor(ActPostpone))
	h.at(wita(2026, 11, 2, 11, 0)).do(cmdFor(ActResume))
	checkSchedule(t, "skewed resume", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2026, 11, 5), ResolutionDue: d(2027, 1, 1)})
	pw := DefaultPolicy()
	pw.Default.ResolutionWorkingDays = true
	if got := ScheduleOf(h.r, cal, pw).ResolutionDue; got != d(2027, 1, 25) {
		t.Errorf("working-day resolution due %s, want 2027-01-25", got)
	}
}

func TestPolicyPerClassification(t *testing.T) {
	t.Parallel()
	cal := barruCalendar(t)
	p := DefaultPolicy()
	p.ByClassification = map[Classification]SLA{
		PermintaanInformasi: {VerifyDays: 1, FollowUpDays: 2, AutoCloseDays: 3, ResolutionDays: 14, ResolutionWorkingDays: true},
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("policy: %v", err)
	}
	info := sampleNewReport(Biasa)
	info.Classification = PermintaanInformasi
	h := newHistory(t, info)
	checkSchedule(t, "information request", ScheduleOf(h.r, cal, p), Schedule{Step: StepVerify, Due: d(2026, 11, 3), ResolutionDue: d(2026, 11, 20)})
	h.at(wita(2026, 11, 3, 9, 0)).do(cmdFor(ActVerify))
	h.do(Command{Action: ActDispose, ToUnit: unitDinkes})
	checkSchedule(t, "information request disposed", ScheduleOf(h.r, cal, p), Schedule{Step: StepFollowUp, Due: d(2026, 11, 5), ResolutionDue: d(2026, 11, 20)})
	h.do(cmdFor(ActFollowUp))
	checkSchedule(t, "information request followed up", ScheduleOf(h.r, cal, p), Schedule{Step: StepAutoClose, CloseOn: d(2026, 11, 6)})

	// A verification that reclassifies the report changes its limits.
	g := newHistory(t, info)
	g.do(Command{Action: ActVerify, Changes: []FieldChange{{Field: "classification", Value: string(Pengaduan)}}})
	checkSchedule(t, "reclassified", ScheduleOf(g.r, cal, p), Schedule{Step: StepDispose, Due: d(2026, 11, 5), ResolutionDue: d(2027, 1, 1)})

	if got := p.For(Aspirasi); got != p.Default {
		t.Errorf("For(aspirasi) = %+v, want the default", got)
	}
}

func TestDeadlineAroundTheDueDay(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	s := ScheduleOf(newHistory(t, sampleNewReport(Biasa)).r, cal, p) // due Thu 5 Nov, resolution 1 Jan 2027
	for _, tc := range []struct {
		today    Date
		daysLeft int
		overdue  bool
		urgency  Urgency
	}{
		{d(2026, 11, 2), 3, false, UrgencyOK},
		{d(2026, 11, 3), 2, false, UrgencySoon},
		{d(2026, 11, 5), 0, false, UrgencySoon}, // the due day
		{d(2026, 11, 6), -1, true, UrgencyOverdue},
		{d(2026, 11, 9), -2, true, UrgencyOverdue},
	} {
		dl := s.DeadlineOn(tc.today, cal, p)
		if dl.DaysLeft != tc.daysLeft || dl.Overdue != tc.overdue || dl.Urgency != tc.urgency || dl.ResolutionOverdue || dl.Today != tc.today {
			t.Errorf("on %s %s: days left %d overdue %v urgency %q; want %d %v %q",
				tc.today, tc.today.Weekday(), dl.DaysLeft, dl.Overdue, dl.Urgency, tc.daysLeft, tc.overdue, tc.urgency)
		}
	}
	if got := DueSoonLimit(d(2026, 11, 5), cal, p); got != d(2026, 11, 9) {
		t.Errorf("DueSoonLimit(Thu) = %s, want Mon 2026-11-09", got)
	}
}

// TestDeadlineOverdueOverWeekendAndHoliday: seen on the weekend or holiday after the
// due day, a step is overdue and DaysLeft says so (negative), never "due today".
func TestDeadlineOverdueOverWeekendAndHoliday(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	h := newHistoryAt(t, sampleNewReport(Biasa), wita(2026, 11, 3, 9, 0))
	s := ScheduleOf(h.r, cal, p)
	if s.Due != d(2026, 11, 6) {
		t.Fatalf("due %s, want Fri 2026-11-06", s.Due)
	}
	for _, tc := range []struct {
		today    Date
		daysLeft int
	}{
		{d(2026, 11, 7), -1}, {d(2026, 11, 8), -1}, {d(2026, 11, 9), -1}, {d(2026, 11, 10), -2},
	} {
		dl := s.DeadlineOn(tc.today, cal, p)
		if !dl.Overdue || dl.Urgency != UrgencyOverdue || dl.DaysLeft != tc.daysLeft {
			t.Errorf("on %s %s: overdue %v urgency %q days left %d; want overdue, %d", tc.today, tc.today.Weekday(), dl.Overdue, dl.Urgency, dl.DaysLeft, tc.daysLeft)
		}
	}
	ye := yearEndCalendar(t)
	n := sampleNewReport(Biasa)
	n.IncidentDate = Date{}
	s = ScheduleOf(newHistoryAt(t, n, wita(2025, 12, 19, 9, 0)).r, ye, p)
	if s.Due != d(2025, 12, 24) {
		t.Fatalf("due %s, want Wed 2025-12-24", s.Due)
	}
	if dl := s.DeadlineOn(d(2025, 12, 25), ye, p); !dl.Overdue || dl.DaysLeft != -1 {
		t.Errorf("on Christmas after a due day: %+v", dl)
	}
}

func TestDeadlineResolutionLimitPassed(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	h := newHistory(t, sampleNewReport(Biasa))
	h.at(wita(2026, 11, 3, 9, 0)).do(cmdFor(ActArchive))
	h.at(wita(2027, 1, 4, 9, 0)).do(cmdFor(ActReopen))
	s := ScheduleOf(h.r, cal, p)
	checkSchedule(t, "reopened", s, Schedule{Step: StepVerify, Due: d(2027, 1, 7), ResolutionDue: d(2027, 1, 1)})
	dl := s.DeadlineOn(d(2027, 1, 5), cal, p)
	if !dl.ResolutionOverdue || !dl.Overdue || dl.Urgency != UrgencyOverdue || dl.DaysLeft != 2 {
		t.Errorf("step due later but past the resolution limit: %+v", dl)
	}
	// On the limit itself the report is not yet late.
	dl = s.DeadlineOn(d(2027, 1, 1), cal, p)
	if dl.ResolutionOverdue || dl.Overdue || dl.Urgency != UrgencyOK || dl.DaysLeft != 4 {
		t.Errorf("on the resolution day: %+v", dl)
	}
}

func TestDeadlineAutoClose(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	h := reportIn(t, StatusFollowedUp) // followed up Mon 2 Nov 2026 13:00 WITA
	s := ScheduleOf(h.r, cal, p)
	checkSchedule(t, "followed up", s, Schedule{Step: StepAutoClose, CloseOn: d(2026, 11, 16)})
	for _, tc := range []struct {
		today    Date
		daysLeft int
		closable bool
	}{
		{d(2026, 11, 13), 1, false},
		{d(2026, 11, 16), 0, false}, // the tenth working day: not yet passed
		{d(2026, 11, 17), -1, true},
		{d(2026, 11, 30), -10, true},
	} {
		dl := s.DeadlineOn(tc.today, cal, p)
		if dl.DaysLeft != tc.daysLeft || dl.Closable != tc.closable || dl.Urgency != UrgencyWaiting || dl.Overdue {
			t.Errorf("on %s: %+v; want days left %d closable %v, waiting", tc.today, dl, tc.daysLeft, tc.closable)
		}
	}
	// A further follow-up restarts the reply period; a respond does not.
	h.at(wita(2026, 11, 4, 9, 0)).do(cmdFor(ActRespond))
	if got := ScheduleOf(h.r, cal, p).CloseOn; got != d(2026, 11, 16) {
		t.Errorf("respond moved CloseOn to %s", got)
	}
	h.at(wita(2026, 11, 5, 9, 0)).do(cmdFor(ActFollowUp))
	if got := ScheduleOf(h.r, cal, p).CloseOn; got != d(2026, 11, 19) {
		t.Errorf("second follow-up: CloseOn %s, want 2026-11-19", got)
	}
	// The reporter's reply reopens the follow-up step, due five working days later.
	h.at(wita(2026, 11, 6, 9, 0)).do(cmdFor(ActReply))
	checkSchedule(t, "replied", ScheduleOf(h.r, cal, p), Schedule{Step: StepFollowUp, Due: d(2026, 11, 13), ResolutionDue: d(2027, 1, 1)})
}

func TestDeadlineClosedHasNothingDue(t *testing.T) {
	t.Parallel()
	cal, p := barruCalendar(t), DefaultPolicy()
	for _, st := range []Status{StatusClosed, StatusArchived} {
		dl := DeadlineOf(reportIn(t, st).r, cal, p, wita(2028, 1, 1, 0, 0))
		if dl.Urgency != UrgencyNone || dl.Overdue || !dl.Due.IsZero() {
			t.Errorf("%s: %+v", st, dl)
		}
	}
}

// TestDeadlineTimezone: an event at 23:30 UTC is the next morning in Barru, so its
// working day, and every date counted from it, is the next day's.
func TestDeadlineTimezone(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	at := time.Date(2026, 11, 2, 23, 30, 0, 0, time.UTC) // Tue 3 Nov 07:30 WITA
	h := newHistoryAt(t, sampleNewReport(Biasa), at)
	barru := barruCalendar(t)
	utc := NewCalendar(time.UTC, nil)
	if got := ScheduleOf(h.r, barru, p).Due; got != d(2026, 11, 6) {
		t.Errorf("due in Barru %s, want Fri 2026-11-06", got)
	}
	if got := ScheduleOf(h.r, utc, p).Due; got != d(2026, 11, 5) {
		t.Errorf("due in UTC %s, want Thu 2026-11-05", got)
	}
	// Friday 16:30 UTC is already Saturday in Barru: overdue there, due today in UTC.
	now := time.Date(2026, 11, 6, 16, 30, 0, 0, time.UTC)
	if dl := DeadlineOf(h.r, barru, p, now); dl.Today != d(2026, 11, 7) || !dl.Overdue {
		t.Errorf("Barru deadline at %v: %+v", now, dl)
	}
	if dl := DeadlineOf(h.r, utc, p, now); dl.Today != d(2026, 11, 6) || !dl.Overdue || dl.DaysLeft != -1 {
		t.Errorf("UTC deadline at %v: %+v", now, dl)
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	for _, tc := range []struct {
		name    string
		mut     func(*Policy)
		field   string
		problem string
	}{
		{"zero verify days", func(p *Policy) { p.Default.VerifyDays = 0 }, "verify_days", ProblemRange},
		{"negative follow-up", func(p *Policy) { p.Default.FollowUpDays = -1 }, "follow_up_days", ProblemRange},
		{"resolution over a year", func(p *Policy) { p.Default.ResolutionDays = 366 }, "resolution_days", ProblemRange},
		{"override for unknown classification", func(p *Policy) { p.ByClassification = map[Classification]SLA{"x": p.Default} }, "classification", ProblemUnknown},
		{"bad override", func(p *Policy) {
			p.ByClassification = map[Classification]SLA{Aspirasi: {VerifyDays: 1, FollowUpDays: 1, AutoCloseDays: 0, ResolutionDays: 1}}
		}, "aspirasi.auto_close_days", ProblemRange},
		{"closed status pauses", func(p *Policy) { p.PauseStatuses = []Status{StatusClosed} }, "pause_statuses", ProblemUnknown},
		{"unknown pause status", func(p *Policy) { p.PauseStatuses = []Status{"menunggu"} }, "pause_statuses", ProblemUnknown},
		{"due soon negative", func(p *Policy) { p.DueSoonDays = -1 }, "due_soon_days", ProblemRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPolicy()
			tc.mut(&p)
			wantFieldError(t, p.Validate(), tc.field, tc.problem)
		})
	}
}
