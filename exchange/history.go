package exchange

import (
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// add plans a new report: its receipt and the steps its status implies.
func (a *analysis) add(plan *RowPlan, d *parsed) {
	n := d.n
	if n.Classification == "" {
		n.Classification = a.defaults.Classification
	}
	if n.Confidentiality == "" {
		n.Confidentiality = a.defaults.Confidentiality
	}
	if n.Channel == "" {
		switch {
		case a.defaults.Channel != "":
			n.Channel = a.defaults.Channel
		case n.TrackingID != "":
			n.Channel = lapordesk.ChannelWebsite
		default:
			n.Channel = lapordesk.ChannelWalkIn
		}
	}
	holder := n.Unit
	if holder == "" {
		holder = a.defaults.Unit
	}
	status := d.status
	if status == "" {
		status = lapordesk.StatusNew
	}
	plan.Status = status
	// Who received it and to whom it went: a disposed report was received by the
	// unit that disposed it; a returned one went back to that unit, from this desk.
	receiver, target := holder, holder
	if _, disposed := d.times[FieldDisposedAt]; disposed || status == lapordesk.StatusDisposed {
		if d.disposer != "" && status != lapordesk.StatusReturned {
			receiver = d.disposer
		}
		if status == lapordesk.StatusReturned && a.unit != receiver {
			target = a.unit
		}
	}
	n.Unit = receiver
	bad := len(plan.Problems) > 0
	t0, ok := d.times[FieldReceivedAt]
	if !ok {
		t0 = a.now.Truncate(time.Second)
		if !bad && !d.set[FieldReceivedAt] {
			plan.Notes = append(plan.Notes, a.problem(plan.Row, FieldReceivedAt, ProblemNoDate, "", nil))
		}
	}
	e0, err := lapordesk.Receive(n, a.actor, t0)
	if err != nil {
		addProblems(plan, a.fieldProblems(plan.Row, err))
	}
	if err != nil || bad {
		plan.Action = ActionProblem
		return
	}
	h := &history{a: a, plan: plan, d: d, r: &lapordesk.Report{}, prev: t0, used: map[string]bool{FieldReceivedAt: true}, evs: make([]lapordesk.Event, 0, 7)}
	h.r.Apply(e0)
	h.evs = append(h.evs, e0)
	h.chain(status, target)
	if resp, fu := h.d.times[FieldRespondedAt], h.r.FollowUpAt; !resp.IsZero() && fu != nil && resp.Equal(*fu) {
		h.used[FieldRespondedAt] = true // the follow-up was the first response
	}
	if len(plan.Problems) > 0 {
		plan.Action = ActionProblem
		return
	}
	if h.r.Status != status {
		plan.Problems = append(plan.Problems, a.problem(plan.Row, FieldStatus, ProblemStatusDate, string(status), nil))
		plan.Action = ActionProblem
		return
	}
	for _, f := range []string{FieldVerifiedAt, FieldDisposedAt, FieldRespondedAt, FieldFollowUpAt, FieldClosedAt} {
		if _, given := d.times[f]; given && !h.used[f] {
			plan.Notes = append(plan.Notes, a.problem(plan.Row, f, ProblemStatusDate, string(status), nil))
		}
	}
	plan.events = h.evs
	plan.Action = ActionAdd
}

// history builds the events of one new report in order.
type history struct {
	a    *analysis
	plan *RowPlan
	d    *parsed
	r    *lapordesk.Report
	evs  []lapordesk.Event
	prev time.Time
	used map[string]bool
}

// at returns the time of the first of fields the row gives, or the previous
// event's time.
func (h *history) at(fields ...string) (time.Time, string) {
	for _, f := range fields {
		if t, ok := h.d.times[f]; ok {
			return t, f
		}
	}
	return h.prev, ""
}

func (h *history) has(f string) bool {
	_, ok := h.d.times[f]
	return ok
}

// step appends one event at the time of the first given field (or just after the
// previous event). It reports false, with a problem, when the dates are out of
// order or the step does not apply.
func (h *history) step(act lapordesk.Action, p lapordesk.Payload, fields ...string) bool {
	if len(h.plan.Problems) > 0 {
		return false
	}
	t, field := h.at(fields...)
	if t.Before(h.prev) {
		// A plain date on the same day as the previous moment means "that day".
		if field != "" && !(h.d.dateOnly[field] && lapordesk.DateOf(t, h.a.loc) == lapordesk.DateOf(h.prev, h.a.loc)) {
			h.plan.Problems = append(h.plan.Problems, h.a.problem(h.plan.Row, field, ProblemDateOrder, t.In(h.a.loc).Format("2006-01-02 15:04"), nil))
			return false
		}
		t = h.prev
	}
	if field != "" {
		h.used[field] = true
	}
	// Each step is taken by the unit holding the report at the time.
	e := lapordesk.Event{
		ID: uuid.Must(uuid.NewV7()), ReportID: h.evs[0].ReportID, Kind: act.Kind(), At: lapordesk.NormalizeTime(t),
		Actor: h.a.actor, Unit: h.r.Unit, BaseVersion: h.r.Version, Payload: p,
	}
	if c := h.r.Apply(e); c != nil {
		h.plan.Problems = append(h.plan.Problems, h.a.problem(h.plan.Row, FieldStatus, ProblemStatusDate, string(h.plan.Status), errors.New(c.Reason)))
		return false
	}
	h.evs = append(h.evs, e)
	h.prev = t
	return true
}

// chain adds the steps that lead from receipt to status, dated from the row: the
// key dates where given, the status date (Status Sejak) for the step that set the
// status, else the previous step's time.
func (h *history) chain(status lapordesk.Status, target string) {
	note := h.a.note
	reason := lapordesk.Payload{Reason: note}
	text := lapordesk.Payload{Text: note}
	switch status {
	case lapordesk.StatusNew:
	case lapordesk.StatusPostponed:
		if h.has(FieldVerifiedAt) {
			h.step(lapordesk.ActVerify, lapordesk.Payload{}, FieldVerifiedAt)
		}
		h.step(lapordesk.ActPostpone, reason, FieldStatusSince)
	case lapordesk.StatusVerified:
		h.step(lapordesk.ActVerify, lapordesk.Payload{}, FieldVerifiedAt, FieldStatusSince)
	case lapordesk.StatusReturned:
		if h.has(FieldVerifiedAt) || h.has(FieldDisposedAt) {
			h.step(lapordesk.ActVerify, lapordesk.Payload{}, FieldVerifiedAt, FieldDisposedAt)
		}
		if h.has(FieldDisposedAt) {
			h.step(lapordesk.ActDispose, lapordesk.Payload{ToUnit: target, Text: note}, FieldDisposedAt)
		}
		h.step(lapordesk.ActReturn, reason, FieldStatusSince)
	case lapordesk.StatusArchived:
		if h.has(FieldVerifiedAt) {
			h.step(lapordesk.ActVerify, lapordesk.Payload{}, FieldVerifiedAt)
		}
		h.step(lapordesk.ActArchive, reason, FieldStatusSince)
	case lapordesk.StatusDisposed, lapordesk.StatusInProgress, lapordesk.StatusFollowedUp, lapordesk.StatusClosed:
		h.step(lapordesk.ActVerify, lapordesk.Payload{}, FieldVerifiedAt, FieldDisposedAt, FieldRespondedAt, FieldFollowUpAt, FieldStatusSince)
		if h.has(FieldDisposedAt) || status == lapordesk.StatusDisposed {
			h.step(lapordesk.ActDispose, lapordesk.Payload{ToUnit: target, Text: note}, FieldDisposedAt, FieldStatusSince)
		}
		resp, hasResp := h.d.times[FieldRespondedAt]
		fu, hasFU := h.d.times[FieldFollowUpAt]
		// A follow-up counts as the first response when none came before it.
		respondFirst := hasResp && (!hasFU || resp.Before(fu))
		switch status {
		case lapordesk.StatusInProgress:
			if hasFU {
				if respondFirst {
					h.step(lapordesk.ActRespond, text, FieldRespondedAt)
				}
				h.step(lapordesk.ActFollowUp, text, FieldFollowUpAt)
				// In progress after a follow-up: the reporter replied.
				h.step(lapordesk.ActReply, text, FieldStatusSince)
			} else {
				h.step(lapordesk.ActRespond, text, FieldRespondedAt, FieldStatusSince)
			}
		case lapordesk.StatusFollowedUp, lapordesk.StatusClosed:
			if respondFirst {
				h.step(lapordesk.ActRespond, text, FieldRespondedAt)
			}
			if status == lapordesk.StatusFollowedUp {
				h.step(lapordesk.ActFollowUp, text, FieldFollowUpAt, FieldStatusSince)
			} else {
				h.step(lapordesk.ActFollowUp, text, FieldFollowUpAt, FieldClosedAt, FieldStatusSince)
				h.step(lapordesk.ActClose, reason, FieldClosedAt, FieldStatusSince)
			}
		}
	}
}

// editable are the fields an import may edit on an existing report.
var editable = []string{
	FieldTrackingID, FieldClassification, FieldCategory, FieldTitle, FieldBody, FieldIncidentDate,
	FieldKecamatan, FieldDesa, FieldLocationDetail, FieldLat, FieldLon, FieldChannel,
	FieldReporterName, FieldReporterPhone, FieldReporterEmail, FieldReporterID, FieldConfidentiality,
}

// text returns a parsed field in the domain's text form (as FieldChange carries it).
func (d *parsed) text(f string) string {
	n := &d.n
	switch f {
	case FieldLat:
		return floatText(n.Location.Lat)
	case FieldLon:
		return floatText(n.Location.Lon)
	}
	v, _ := n.FieldValue(f)
	return v
}

func floatText(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// update finishes the plan of a row that matches an existing report: one edit of
// the fields that differ, notes for what an import leaves to the desk's history.
func (a *analysis) update(plan *RowPlan, r *lapordesk.Report) {
	d := plan.parsed
	plan.parsed = nil
	plan.Ref = r.Ref()
	if plan.Title == "" {
		plan.Title = r.Title
	}
	var changes []lapordesk.FieldChange
	for _, f := range editable {
		if !d.set[f] {
			continue
		}
		val := d.text(f)
		if r.Confidentiality.Withholds(f) {
			// An Anonim identity is never in the history; the import neither
			// reveals nor replaces it.
			if val != lapordesk.AnonymousName {
				plan.Notes = append(plan.Notes, a.problem(plan.Row, f, ProblemNotApplied, "", nil))
			}
			continue
		}
		old, _ := r.FieldValue(f)
		if f == FieldLat || f == FieldLon {
			x, _ := strconv.ParseFloat(val, 64)
			y, err := strconv.ParseFloat(old, 64)
			if err == nil && x == y {
				continue
			}
		}
		if val != old {
			changes = append(changes, lapordesk.FieldChange{Field: f, Value: val})
		}
	}
	a.noteDifferences(plan, d, r)
	if len(changes) == 0 {
		plan.Action = ActionUnchanged
		return
	}
	e, err := lapordesk.Decide(r, lapordesk.Command{Action: lapordesk.ActEdit, BaseVersion: r.Version, Actor: a.actor, Unit: a.unit, Changes: changes}, a.now)
	if err != nil {
		plan.Problems = a.fieldProblems(plan.Row, err)
		plan.Action = ActionProblem
		return
	}
	plan.Changes = changes
	plan.events = []lapordesk.Event{e}
	plan.Action = ActionUpdate
}

// noteDifferences notes the status, unit, agenda number and dates in which the row
// differs from the report: an import does not rewrite a report's history.
func (a *analysis) noteDifferences(plan *RowPlan, d *parsed, r *lapordesk.Report) {
	note := func(f, v string) { plan.Notes = append(plan.Notes, a.problem(plan.Row, f, ProblemNotApplied, v, nil)) }
	if d.status != "" && d.status != r.Status {
		note(FieldStatus, string(d.status))
	}
	if d.n.Unit != "" && d.n.Unit != r.Unit {
		note(FieldUnit, d.n.Unit)
	}
	if d.n.AgendaNo != "" && d.n.AgendaNo != r.AgendaNo {
		note(FieldAgendaNo, d.n.AgendaNo)
	}
	since := r.ReceivedAt
	if len(r.Spans) > 0 {
		since = r.Spans[len(r.Spans)-1].From
	}
	stored := map[string]*time.Time{
		FieldReceivedAt: &r.ReceivedAt, FieldVerifiedAt: r.VerifiedAt, FieldDisposedAt: r.DisposedAt,
		FieldRespondedAt: r.FirstResponseAt, FieldFollowUpAt: r.FollowUpAt, FieldClosedAt: r.ClosedAt, FieldStatusSince: &since,
	}
	for _, f := range ImportFields {
		t, ok := d.times[f]
		if !ok {
			continue
		}
		st := stored[f]
		same := st != nil
		if same {
			if d.dateOnly[f] {
				same = lapordesk.DateOf(t, a.loc) == lapordesk.DateOf(*st, a.loc)
			} else {
				same = t.Equal(st.Truncate(time.Second))
			}
		}
		if !same {
			note(f, t.In(a.loc).Format("2006-01-02 15:04:05"))
		}
	}
}
