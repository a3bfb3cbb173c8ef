package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	lsync "github.com/lapordesk/lapordesk/sync"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// hubTab is Pengaturan › Hub: enrol the desk with the regional hub with the
// address and one-time token its administrator gives, then see the enrolment and
// how the last sync went.
type hubTab struct {
	d       *Desk
	state   fyne.CanvasObject // the enrolment and the last sync, once enrolled
	values  map[string]*widget.Label
	syncBtn *widget.Button
	enrolT  *widget.Label
	hint    *widget.Label
	enrol   *fyne.Container // the enrolment form (again, after a revocation)
	form    *form
	server  *lineEntry
	token   *lineEntry
	name    *lineEntry
	save    *saveBar
	body    *fyne.Container
	content fyne.CanvasObject
}

// enrolClient asks the hub once more at most: someone waits at the form, and a
// mistyped address should be said soon, not after a minute of retries.
var enrolClient = lsync.ClientOptions{Retries: 1, Timeout: 20 * time.Second}

// hubRows are the lines of the enrolment and sync state, in order.
var hubRows = []string{"state", "hub", "unit", "role", "device", "last_sync", "last_result", "pending", "conflicts", "problem"}

func newHubTab(d *Desk) *hubTab {
	t := &hubTab{d: d, values: map[string]*widget.Label{}, form: newForm(), server: newEntry(), token: newEntry(), name: newEntry()}
	grid, _ := infoGrid(false)
	for _, k := range hubRows {
		name := widget.NewLabel(i18n.T("ui.hub.row." + k))
		name.Importance = widget.LowImportance
		v := wrapLabel("")
		v.Selectable = k == "hub" || k == "device"
		t.values[k] = v
		grid.Add(name)
		grid.Add(v)
	}
	t.syncBtn = widget.NewButtonWithIcon(i18n.T("ui.sync_now")+" (F5)", theme.ViewRefreshIcon(), func() { d.whenFree(d.syncNow) })
	t.state = panel(container.NewVBox(heading(i18n.T("ui.hub.enrolled")), grid, container.NewHBox(t.syncBtn)))

	t.server.SetPlaceHolder("192.168.1.10:8080")
	t.token.SetPlaceHolder(i18n.T("ui.hub.token_hint"))
	if host, err := os.Hostname(); err == nil {
		t.name.SetText(host)
	}
	f := t.form
	f.add("server", i18n.T("ui.hub.server"), true, t.server)
	f.add("token", i18n.T("ui.hub.token"), true, t.token)
	f.add("name", i18n.T("ui.hub.name"), false, t.name)
	t.save = newSaveBar(i18n.T("ui.hub.enrol"), t.doEnrol)
	t.save.button.SetIcon(theme.LoginIcon())
	t.server.OnSubmitted = func(string) { d.win.Canvas().Focus(t.token) }
	t.token.OnSubmitted = func(string) { t.doEnrol() }
	t.hint = wrapLabel(i18n.T("ui.hub.enrol_hint"))
	t.hint.Importance = widget.LowImportance
	t.enrolT = heading(i18n.T("ui.hub.enrol_title"))
	t.enrol = container.NewVBox(t.enrolT, t.hint, f.content(), t.save.view())

	note := wrapLabel(i18n.T("ui.hub.note"))
	note.Importance = widget.LowImportance
	body := container.NewVBox(note, t.state, t.enrol)
	if d.profile.Training {
		// Training data must never reach the hub: say so instead of offering a
		// form the sync package would refuse.
		warn := wrapLabel(i18n.T("ui.hub.training"))
		warn.Importance = widget.WarningImportance
		body = container.NewVBox(note, warn)
	}
	t.body = body
	t.content = scrollPad(body)
	return t
}

// show fills the tab from the sync status: the state once enrolled, else the form.
func (t *hubTab) show(s lsync.Status) {
	if t == nil || t.d.profile.Training {
		return
	}
	if !s.Enrolled {
		if t.state.Visible() {
			t.state.Hide()
			t.body.Refresh()
		}
		t.enrolT.SetText(i18n.T("ui.hub.enrol_title"))
		t.hint.SetText(i18n.T("ui.hub.enrol_hint"))
		return
	}
	if !t.state.Visible() {
		t.state.Show()
		t.body.Refresh() // lay the shown panel out at the tab's width
	}
	// Enrolling again is for a new token of the same hub, after the device was revoked.
	t.enrolT.SetText(i18n.T("ui.hub.enrol_again"))
	t.hint.SetText(i18n.T("ui.hub.enrol_again_hint"))
	state := i18n.T("ui.status.offline")
	switch {
	case s.Syncing:
		state = i18n.T("ui.status.syncing")
	case s.Online:
		state = i18n.T("ui.status.online")
	}
	unit := s.Unit
	if u, ok := t.d.store.Unit(s.Unit); ok {
		unit = u.Name + " (" + u.Code + ")"
	}
	last, result := i18n.T("sync.never"), "-"
	if !s.LastSync.IsZero() {
		last = i18n.DateTime(s.LastSync, t.d.loc)
	}
	if sum := s.LastSummary; sum != nil {
		result = i18n.Tf("sync.summary", "Sent", sum.Sent, "Received", sum.Received, "Conflicts", sum.Conflicts)
		if sum.FilesWaiting > 0 {
			result += " " + i18n.Tf("sync.files_waiting", "N", sum.FilesWaiting)
		}
		if n := len(sum.FilesFailed); n > 0 {
			result += " " + i18n.Tf("sync.files_failed", "N", n)
		}
	}
	problem := "-"
	switch {
	case s.Err != nil:
		problem = syncProblem(s.Err)
	case s.LastError != "":
		problem = s.LastError
	}
	for k, v := range map[string]string{"state": state, "hub": s.HubURL, "unit": unit, "role": i18n.T("ui.role." + string(s.Role)),
		"device": s.Device.String(), "last_sync": last, "last_result": result, "pending": formatInt(s.Pending),
		"conflicts": formatInt(s.Conflicts), "problem": problem} {
		t.values[k].SetText(v)
	}
	if s.Syncing {
		t.syncBtn.Disable()
	} else {
		t.syncBtn.Enable()
	}
}

// doEnrol enrols the desk with the hub (off the UI goroutine: it asks the hub),
// then starts syncing. Enrolling an enrolled desk again is for a new token of the
// same hub (after a revocation).
func (t *hubTab) doEnrol() {
	s := t.d.hooks.Sync
	server, token, name := strings.TrimSpace(t.server.Text), strings.TrimSpace(t.token.Text), strings.TrimSpace(t.name.Text)
	var errs lapordesk.ValidationErrors
	if server == "" {
		errs = append(errs, &lapordesk.FieldError{Field: "server", Problem: lapordesk.ProblemRequired})
	} else if _, err := lsync.CheckURL(server); err != nil {
		var fe *lapordesk.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	if token == "" {
		errs = append(errs, &lapordesk.FieldError{Field: "token", Problem: lapordesk.ProblemRequired})
	}
	if len(errs) > 0 {
		t.form.show(errs)
		return
	}
	force := s.Status().Enrolled
	var p lapordesk.Profile
	t.save.run(t.d, t.form, func(ctx context.Context) error {
		if _, err := lsync.Enroll(ctx, t.d.store, server, token, lsync.EnrollOptions{Name: name, Force: force, Client: enrolClient}); err != nil {
			return enrolProblem(err)
		}
		// The token decides the desk's role (unit or coordinator).
		var err error
		p, err = t.d.store.Profile()
		return err
	}, func() {
		t.token.SetText("")
		t.d.profile = p
		t.d.status.unit.SetText(p.UnitName + " (" + p.UnitCode + ") · " + i18n.T("ui.role."+string(p.Role)))
		s.SyncNow() // the service picks the enrolment up and syncs at once
		t.d.refreshViews()
	})
}

// enrolProblem places an enrolment's failure beside the field it is about, in the
// words of the window (the sync package's speak of its command line).
func enrolProblem(err error) error {
	var fe *lapordesk.FieldError
	var ou *lsync.OtherUnitError
	var he *lsync.HubError
	switch {
	case errors.As(err, &fe):
		return err
	case lsync.Offline(err):
		return &fieldMessage{field: "server", msg: i18n.T("ui.hub.err.unreachable"), err: err}
	case errors.Is(err, lsync.ErrOtherHub):
		return &fieldMessage{field: "server", msg: lsync.Describe(err), err: err}
	case errors.As(err, &ou):
		return &fieldMessage{field: "token", msg: lsync.Describe(err), err: err}
	case errors.As(err, &he) && (he.Code == wire.CodeTokenUsed || he.Code == wire.CodeTokenExpired):
		return &fieldMessage{field: "token", msg: lsync.Describe(err), err: err}
	case lsync.Unauthorized(err):
		return &fieldMessage{field: "token", msg: i18n.T("ui.hub.err.token_unknown"), err: err}
	}
	return &fieldMessage{field: "", msg: syncProblem(err), err: err}
}
