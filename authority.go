package lapordesk

// A unit works on the reports it holds; the coordinator on all. These rules decide
// both what a desk offers and what the hub takes from a device, so a desk cannot be
// made to do by sync what its own window refuses.

// MayWrite checks that unit may add an event of kind k to a report that holder
// holds: the holder acts, and a unit the report has moved on from may still add
// notes, settle conflicts and number its own letters (the lembar disposisi of a
// report it just sent on is printed after the disposition).
func MayWrite(unit, holder string, k EventKind) error {
	switch {
	case unit == holder, k == EvNoted, k == EvResolved, k == EvLetterIssued:
		return nil
	}
	return &FieldError{Field: "unit", Problem: ProblemNotHolder, Value: holder}
}

// MayAct checks that the desk of profile p may take action a on report r: a unit's
// desk acts on the reports its unit holds (see MayWrite); the coordinator on all.
func MayAct(p Profile, r *Report, a Action) error {
	if p.Role == RoleCoordinator {
		return nil
	}
	return MayWrite(p.UnitCode, r.Unit, a.Kind())
}

// HolderSeen returns the unit that held a report in the view an actor had when it
// decided an event based on version base: some first part of the history, in the
// order given, followed by the actor's own events from the rest (a desk has its own
// events before the hub numbers them after others it has not yet pulled). own says
// which events of history are the actor's. The longest such view of base events is
// taken: an actor that had pulled more saw the report later.
//
// The hub judges a device's event by this holder, not by today's: a unit that acted
// offline on a report it held, while the coordinator moved it on, did honest work
// (kept, and flagged where the domain finds it stale); a unit that saw the report
// move and acts on it anyway is refused. A device cannot claim a view later than
// the history, and a view earlier than what it pulled only buys what an offline
// desk could have done then.
func HolderSeen(history []Event, own func(i int) bool, base int) string {
	n := len(history)
	// seen(h): the events in a view made of history[:h] and the actor's own after it.
	ownAfter := make([]int, n+1)
	for i := n - 1; i >= 0; i-- {
		ownAfter[i] = ownAfter[i+1]
		if own(i) {
			ownAfter[i]++
		}
	}
	h := 0
	for k := n; k >= 0; k-- {
		if k+ownAfter[k] <= base {
			h = k
			break
		}
	}
	r := &Report{}
	for i, e := range history {
		if i < max(h, 1) || own(i) { // every view has the receipt
			r.Apply(e)
		}
	}
	return r.Unit
}
