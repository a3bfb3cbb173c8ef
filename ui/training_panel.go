package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// trainingPanel is the trainee's checklist beside the reports of a training
// workspace: each step of the scenario done, not yet or late, computed from the
// store's event log after every change, the next step's hint, the score, and
// Ulangi to start the scenario over.
type trainingPanel struct {
	d      *Desk
	title  *widget.Label
	goal   *widget.Label
	steps  *fyne.Container
	hint   *widget.Label
	score  *widget.Label
	again  *widget.Button
	states []lapordesk.StepState // as drawn, for tests

	sc  lapordesk.Scenario
	run storage.ScenarioRun
}

// trainingState is what the panel draws, read off the UI goroutine.
type trainingState struct {
	sc   lapordesk.Scenario
	run  storage.ScenarioRun
	prog storage.ScenarioProgress
}

func newTrainingPanel(d *Desk) *trainingPanel {
	p := &trainingPanel{d: d, title: wrapLabel(i18n.T("ui.training.panel_title")), goal: wrapLabel(""),
		steps: container.NewVBox(), hint: wrapLabel(""), score: wrapLabel("")}
	p.title.TextStyle = fyne.TextStyle{Bold: true}
	p.goal.Importance = widget.LowImportance
	p.hint.Importance = widget.HighImportance
	p.again = widget.NewButtonWithIcon(i18n.T("ui.training.again"), theme.ViewRefreshIcon(), p.startOver)
	p.again.Disable()
	return p
}

func (p *trainingPanel) view() fyne.CanvasObject {
	body := container.NewVBox(p.title, p.goal, widget.NewSeparator(), p.steps, widget.NewSeparator(), p.hint, p.score, container.NewHBox(p.again))
	return container.New(&widthLayout{width: 300}, container.NewVScroll(container.NewPadded(body)))
}

// refresh reads the scenario and its progress again (after every change).
func (p *trainingPanel) refresh() {
	s := p.d.store
	Go(p.d.async, func(ctx context.Context) (trainingState, error) {
		run, err := s.ScenarioRun(ctx)
		if err != nil {
			return trainingState{}, err
		}
		list, err := scenarioList(run.From)
		if err != nil {
			return trainingState{}, err
		}
		sc, ok := assets.ScenarioNamed(list, run.Name)
		if !ok {
			return trainingState{}, lapordesk.ErrNotFound
		}
		prog, err := s.ScenarioProgress(ctx, sc)
		return trainingState{sc: sc, run: run, prog: prog}, err
	}, func(st trainingState, err error) {
		if err != nil {
			p.steps.RemoveAll()
			p.goal.SetText("")
			p.hint.SetText(i18n.T("training.none"))
			if !errors.Is(err, lapordesk.ErrNotFound) {
				p.hint.SetText(describe(err))
			}
			return
		}
		p.render(st)
	})
}

// scenarioList is the shipped scenarios, or an instructor's folder of them.
func scenarioList(from string) ([]lapordesk.Scenario, error) {
	if from == "" {
		return assets.Scenarios()
	}
	return assets.LoadScenarios(os.DirFS(filepath.Clean(from)))
}

func (p *trainingPanel) render(st trainingState) {
	p.sc, p.run = st.sc, st.run
	p.title.SetText(i18n.T("ui.training.panel_title") + ": " + st.sc.Title)
	p.goal.SetText(st.sc.Goal)
	p.steps.RemoveAll()
	p.states = p.states[:0]
	next := -1
	for i, sp := range st.prog.Steps {
		icon, detail := theme.RadioButtonIcon(), ""
		switch sp.State {
		case lapordesk.StepDone:
			icon, detail = theme.ConfirmIcon(), i18n.Tf("training.done_at", "When", i18n.DateTime(*sp.At, p.d.loc))
		case lapordesk.StepDoneLate:
			icon, detail = theme.ConfirmIcon(), i18n.Tf("training.done_late", "When", i18n.DateTime(*sp.At, p.d.loc))
		case lapordesk.StepLate:
			icon, detail = theme.WarningIcon(), i18n.Tf("training.late", "Due", i18n.Date(*sp.Due))
		default:
			if sp.Due != nil {
				detail = i18n.Tf("training.due", "Due", i18n.Date(*sp.Due))
			}
		}
		if next < 0 && (sp.State == lapordesk.StepNotYet || sp.State == lapordesk.StepLate) {
			next = i
		}
		text := wrapLabel(st.sc.Steps[i].Title)
		when := wrapLabel(detail)
		when.Importance = widget.LowImportance
		if sp.State == lapordesk.StepLate || sp.State == lapordesk.StepDoneLate {
			when.Importance = widget.DangerImportance
		}
		p.steps.Add(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, container.NewVBox(text, when)))
		p.states = append(p.states, sp.State)
	}
	p.steps.Refresh()
	switch {
	case st.prog.Finished:
		p.hint.SetText(i18n.T("training.finished"))
	case next >= 0:
		p.hint.SetText(i18n.Tf("training.hint", "Hint", st.sc.Steps[next].Hint))
	}
	sum := i18n.Tf("training.score", "Done", st.prog.Score.Done, "Steps", st.prog.Score.Steps, "InTime", st.prog.Score.InTime)
	if st.prog.Score.Conflicts > 0 {
		sum += " " + i18n.Tf("training.conflicts", "N", st.prog.Score.Conflicts)
	}
	p.score.SetText(sum)
	p.again.Enable()
}

// startOver starts the scenario again from its start, in one click: the data
// file stops the hooks, closes, is made anew and opens, and the window is built
// again on it.
func (p *trainingPanel) startOver() {
	d := p.d
	sc, run, prof, hooks := p.sc, p.run, d.profile, d.hooks
	title := i18n.T("ui.training.again")
	runModal(d, title, i18n.T("ui.training.again_running"), rowsUnit,
		func(ctx context.Context, _ func(done, total int64)) (struct{}, error) {
			return struct{}{}, d.file.Replace(ctx, func() { stopHooks(hooks) }, func(ctx context.Context, path string) error {
				return storage.StartScenarioFrom(ctx, path, sc, run.From, prof, run.Start)
			})
		}, func(_ struct{}, err error) {
			if d.file.Store() == nil {
				d.win.SetContent(startError(d.app, d.file.Path(), err, nil))
				return
			}
			d.useStore()
			d.Start()
			if err != nil {
				d.failed(title, err)
			}
		})
}

// widthLayout gives its objects one width and all the height there is.
type widthLayout struct{ width float32 }

func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(l.width, size.Height))
	}
}
