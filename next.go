package lapordesk

// NextAction returns the action the report's next step calls for on a desk of role,
// or "" when the step calls for none its status allows now. The window highlights
// it and the command line names it, so both suggest the same.
func NextAction(v View, role Role) Action {
	var want []Action
	switch v.Deadline.Step {
	case StepVerify:
		want = []Action{ActVerify}
	case StepDispose:
		// Forwarding is the coordinator's job; a unit's desk first answers what
		// reached it.
		if role == RoleCoordinator {
			want = []Action{ActDispose, ActRespond}
		} else {
			want = []Action{ActRespond, ActFollowUp, ActDispose}
		}
	case StepFollowUp:
		want = []Action{ActFollowUp}
	case StepAutoClose:
		if v.Deadline.Closable {
			want = []Action{ActClose}
		}
	case StepAwaitReporter:
		want = []Action{ActResume}
	}
	for _, a := range want {
		if contains(v.Actions, a) {
			return a
		}
	}
	return ""
}
