package lapordesk

import "testing"

// Every step suggests its action on each kind of desk, and never one the status
// does not allow.
func TestNextAction(t *testing.T) {
	t.Parallel()
	view := func(step Step, closable bool, s Status) View {
		return View{Deadline: Deadline{Schedule: Schedule{Step: step}, Closable: closable}, Actions: AllowedActions(s)}
	}
	cases := []struct {
		name string
		v    View
		role Role
		want Action
	}{
		{"verify, unit", view(StepVerify, false, StatusNew), RoleUnit, ActVerify},
		{"verify, coordinator", view(StepVerify, false, StatusNew), RoleCoordinator, ActVerify},
		{"verify not allowed", View{Deadline: Deadline{Schedule: Schedule{Step: StepVerify}}, Actions: []Action{ActNote}}, RoleUnit, ""},
		{"dispose, coordinator forwards", view(StepDispose, false, StatusVerified), RoleCoordinator, ActDispose},
		{"dispose, unit answers", view(StepDispose, false, StatusVerified), RoleUnit, ActRespond},
		{"dispose, unit follows up when it cannot respond", View{Deadline: Deadline{Schedule: Schedule{Step: StepDispose}}, Actions: []Action{ActFollowUp, ActDispose}}, RoleUnit, ActFollowUp},
		{"returned, unit can only dispose", view(StepDispose, false, StatusReturned), RoleUnit, ActDispose},
		{"dispose, coordinator responds when it cannot forward", View{Deadline: Deadline{Schedule: Schedule{Step: StepDispose}}, Actions: []Action{ActRespond}}, RoleCoordinator, ActRespond},
		{"follow-up, unit", view(StepFollowUp, false, StatusDisposed), RoleUnit, ActFollowUp},
		{"follow-up, coordinator", view(StepFollowUp, false, StatusInProgress), RoleCoordinator, ActFollowUp},
		{"auto-close, reply period over", view(StepAutoClose, true, StatusFollowedUp), RoleUnit, ActClose},
		{"auto-close, still waiting", view(StepAutoClose, false, StatusFollowedUp), RoleUnit, ""},
		{"await reporter", view(StepAwaitReporter, false, StatusPostponed), RoleUnit, ActResume},
		{"nothing due", view(StepNone, false, StatusClosed), RoleCoordinator, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := NextAction(c.v, c.role); got != c.want {
				t.Errorf("NextAction = %q, want %q", got, c.want)
			}
		})
	}
}
