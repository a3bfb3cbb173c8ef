package lapordesk

// Status is where a report stands in its lifecycle.
type Status string

const (
	StatusNew        Status = "baru"            // received, awaiting verification
	StatusPostponed  Status = "ditunda"         // waiting for the reporter (clock paused)
	StatusVerified   Status = "terverifikasi"   // verified, awaiting disposition or handling
	StatusReturned   Status = "dikembalikan"    // returned as not this unit's authority
	StatusDisposed   Status = "didisposisikan"  // forwarded to the responsible unit
	StatusInProgress Status = "diproses"        // responded to, follow-up under way
	StatusFollowedUp Status = "ditindaklanjuti" // follow-up posted, awaiting the reporter
	StatusClosed     Status = "selesai"         // finished
	StatusArchived   Status = "diarsipkan"      // archived without handling
	statusPrevious   Status = "<previous>"      // transition target: the status before the pause
	statusSame       Status = "<same>"          // transition target: unchanged
	statusNone       Status = ""                // before the first event
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusNew, StatusPostponed, StatusVerified, StatusReturned, StatusDisposed, StatusInProgress, StatusFollowedUp, StatusClosed, StatusArchived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return contains(Statuses, s) }

// Open reports whether a report in s still needs work.
func (s Status) Open() bool { return s != StatusClosed && s != StatusArchived && s != statusNone }

// Outcome is the handling outcome counted nationally by SP4N-LAPOR!.
type Outcome string

const (
	OutcomeNotProcessed Outcome = "belum_diproses"
	OutcomeInProcess    Outcome = "masih_proses"
	OutcomeFollowedUp   Outcome = "ditindaklanjuti"
	OutcomePostponed    Outcome = "ditunda"
	OutcomeDeleted      Outcome = "dihapus"
)

// Outcome maps s onto the national outcome categories.
func (s Status) Outcome() Outcome {
	switch s {
	case StatusNew:
		return OutcomeNotProcessed
	case StatusPostponed:
		return OutcomePostponed
	case StatusFollowedUp, StatusClosed:
		return OutcomeFollowedUp
	case StatusArchived:
		return OutcomeDeleted
	}
	return OutcomeInProcess
}

// Action is what a user does to a report.
type Action string

const (
	ActVerify   Action = "verify"
	ActPostpone Action = "postpone"
	ActResume   Action = "resume"
	ActReturn   Action = "return"
	ActDispose  Action = "dispose"
	ActRespond  Action = "respond"
	ActFollowUp Action = "follow-up"
	ActReply    Action = "reply"
	ActClose    Action = "close"
	ActReopen   Action = "reopen"
	ActArchive  Action = "archive"
	ActNote     Action = "note"
	ActEdit     Action = "edit"
	// ActResolve settles a conflict: the conflicting event stays in history, marked resolved.
	ActResolve Action = "resolve"
)

// Actions lists every action.
var Actions = []Action{ActVerify, ActPostpone, ActResume, ActReturn, ActDispose, ActRespond, ActFollowUp, ActReply, ActClose, ActReopen, ActArchive, ActNote, ActEdit, ActResolve}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return contains(Actions, a) }

// transitions is the status machine: for each status, the actions allowed in it and
// the status each leads to. Actions absent from a row are illegal in that status.
// Notes and field edits are allowed in every status and change no status; they are
// not listed.
var transitions = map[Status]map[Action]Status{
	StatusNew: {
		ActVerify:   StatusVerified,
		ActPostpone: StatusPostponed,
		ActReturn:   StatusReturned,
		ActArchive:  StatusArchived,
	},
	StatusPostponed: {
		ActResume:  statusPrevious,
		ActReply:   statusPrevious, // the reporter supplied what was missing
		ActVerify:  StatusVerified,
		ActReturn:  StatusReturned,
		ActArchive: StatusArchived,
	},
	StatusVerified: {
		ActDispose:  StatusDisposed,
		ActRespond:  StatusInProgress,
		ActFollowUp: StatusFollowedUp,
		ActPostpone: StatusPostponed,
		ActReturn:   StatusReturned,
		ActArchive:  StatusArchived,
	},
	StatusReturned: {
		ActDispose: StatusDisposed,
		ActArchive: StatusArchived,
	},
	StatusDisposed: {
		ActRespond:  StatusInProgress,
		ActFollowUp: StatusFollowedUp,
		ActReply:    statusSame,
		ActPostpone: StatusPostponed,
		ActReturn:   StatusReturned,
		ActDispose:  StatusDisposed, // the coordinator redirects it
	},
	StatusInProgress: {
		ActRespond:  statusSame,
		ActFollowUp: StatusFollowedUp,
		ActReply:    statusSame,
		ActPostpone: StatusPostponed,
		ActDispose:  StatusDisposed,
	},
	StatusFollowedUp: {
		ActFollowUp: statusSame, // a further follow-up restarts the auto-close clock
		ActRespond:  statusSame,
		ActReply:    StatusInProgress, // the reporter is not satisfied: a new follow-up is due
		ActClose:    StatusClosed,
	},
	StatusClosed: {
		ActReopen: StatusInProgress,
	},
	StatusArchived: {
		ActReopen: StatusNew,
	},
}

// statusFree lists the actions allowed in every status that never change it.
var statusFree = map[Action]bool{ActNote: true, ActEdit: true, ActResolve: true}

// checked lists the actions that must be based on the current version: a status
// transition or edit decided on a stale view is refused (or, arriving by sync, flagged
// as a conflict). Responses, follow-ups, replies and notes only append and never conflict.
var checked = map[Action]bool{
	ActVerify: true, ActPostpone: true, ActResume: true, ActReturn: true, ActDispose: true,
	ActClose: true, ActReopen: true, ActArchive: true, ActEdit: true,
}

// Checked reports whether a must be based on the current version of the report.
func (a Action) Checked() bool { return checked[a] }

// Allowed reports whether action a may be taken on a report in status s.
func Allowed(s Status, a Action) bool {
	if statusFree[a] {
		return s.Valid()
	}
	_, ok := transitions[s][a]
	return ok
}

// AllowedActions lists the actions allowed in s, in the order of Actions.
func AllowedActions(s Status) []Action {
	var out []Action
	for _, a := range Actions {
		if Allowed(s, a) {
			out = append(out, a)
		}
	}
	return out
}

// Next returns the status a report in s moves to when a is taken, given the status
// it had before a pause (for resume). It returns a TransitionError when a is illegal.
func Next(s Status, a Action, beforePause Status) (Status, error) {
	if statusFree[a] && s.Valid() {
		return s, nil
	}
	to, ok := transitions[s][a]
	if !ok {
		return s, &TransitionError{Status: s, Action: a}
	}
	switch to {
	case statusSame:
		return s, nil
	case statusPrevious:
		if beforePause == "" || beforePause == StatusPostponed {
			return StatusNew, nil
		}
		return beforePause, nil
	}
	return to, nil
}
