package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

func cmdTraining(ctx context.Context, e *env, args []string) error {
	fs := e.flags("training", "list | start NAME | status [--json] | reset  [--from FOLDER]")
	from := fs.String("from", "", "a folder of the instructor's own scenarios (*.json) instead of the shipped ones")
	asJSON := fs.Bool("json", false, "status as JSON")
	pos, err := parse(fs, args, 1, 2)
	if err != nil {
		return err
	}
	switch {
	case pos[0] == "list" && len(pos) == 1:
		list, err := scenarios(*from)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
		for _, sc := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", sc.Name, sc.Title, i18n.Tf("training.list_line", "Steps", len(sc.Steps), "Role", i18n.T("sync.role."+string(sc.Role)), "Unit", sc.Unit))
		}
		return tw.Flush()
	case pos[0] == "start" && len(pos) == 2:
		list, err := scenarios(*from)
		if err != nil {
			return err
		}
		sc, ok := assets.ScenarioNamed(list, pos[1])
		if !ok {
			return explained{i18n.Tf("training.unknown", "Name", pos[1])}
		}
		return startScenario(ctx, e, sc, *from, nil)
	case pos[0] == "reset" && len(pos) == 1:
		run, sc, err := currentScenario(ctx, e)
		if err != nil {
			return err
		}
		return startScenario(ctx, e, sc, run.From, &run)
	case pos[0] == "status" && len(pos) == 1:
		return trainingStatus(ctx, e, *asJSON)
	}
	fs.Usage()
	return usagef("training: list, start NAME, status or reset")
}

// scenarios are the shipped ones, or those of the instructor's folder.
func scenarios(from string) ([]lapordesk.Scenario, error) {
	if from == "" {
		return assets.Scenarios()
	}
	abs, err := filepath.Abs(from)
	if err != nil {
		return nil, err
	}
	return assets.LoadScenarios(os.DirFS(abs))
}

// trainingEnv is e on the training workspace, whatever --training said.
func trainingEnv(e *env) *env {
	t := *e
	t.training = true
	return &t
}

// startScenario starts sc anew in the training workspace (again from run's start,
// for a reset).
func startScenario(ctx context.Context, e *env, sc lapordesk.Scenario, from string, run *storage.ScenarioRun) error {
	path, err := trainingEnv(e).dbPath()
	if err != nil {
		return err
	}
	if from != "" {
		if from, err = filepath.Abs(from); err != nil {
			return err
		}
	}
	units, err := assets.DefaultUnits()
	if err != nil {
		return err
	}
	p := lapordesk.Profile{UnitCode: sc.Unit, UnitName: sc.Unit, PemdaName: "Kabupaten Latihan", Role: sc.Role, Place: "Barru",
		Timezone: "Asia/Makassar", Actor: "Peserta", Training: true}
	for _, u := range units {
		if u.Code == sc.Unit {
			p.UnitName = u.Name
		}
	}
	start := time.Now()
	if run != nil {
		start = run.Start
	}
	if err := storage.StartScenarioFrom(ctx, path, sc, from, p, start); err != nil {
		return err
	}
	key := "training.started"
	if run != nil {
		key = "training.reset"
	}
	fmt.Fprintln(e.stdout, i18n.Tf(key, "Title", sc.Title, "Path", path, "Reports", len(sc.Reports), "Steps", len(sc.Steps)))
	fmt.Fprintln(e.stdout, sc.Goal)
	return nil
}

// currentScenario is the scenario the training workspace works.
func currentScenario(ctx context.Context, e *env) (storage.ScenarioRun, lapordesk.Scenario, error) {
	s, err := trainingEnv(e).open(ctx)
	if err != nil {
		return storage.ScenarioRun{}, lapordesk.Scenario{}, err
	}
	defer s.Close()
	run, err := s.ScenarioRun(ctx)
	if err != nil {
		return run, lapordesk.Scenario{}, explained{i18n.T("training.none")}
	}
	list, err := scenarios(run.From)
	if err != nil {
		return run, lapordesk.Scenario{}, err
	}
	sc, ok := assets.ScenarioNamed(list, run.Name)
	if !ok {
		return run, sc, explained{i18n.Tf("training.unknown", "Name", run.Name)}
	}
	return run, sc, nil
}

// trainingStatus prints the checklist: each step done, not yet or late, the next
// step's hint, and the score.
func trainingStatus(ctx context.Context, e *env, asJSON bool) error {
	_, sc, err := currentScenario(ctx, e)
	if err != nil {
		return err
	}
	s, err := trainingEnv(e).open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.ScenarioProgress(ctx, sc)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, struct {
			Scenario string `json:"scenario"`
			Title    string `json:"title"`
			storage.ScenarioProgress
		}{sc.Name, sc.Title, p})
	}
	loc := s.Calendar().Location
	fmt.Fprintln(e.stdout, i18n.Tf("training.status_title", "Title", sc.Title))
	next := -1
	for i, st := range p.Steps {
		mark, detail := "[ ]", ""
		switch st.State {
		case lapordesk.StepDone:
			mark, detail = "[x]", i18n.Tf("training.done_at", "When", i18n.DateTime(*st.At, loc))
		case lapordesk.StepDoneLate:
			mark, detail = "[x]", i18n.Tf("training.done_late", "When", i18n.DateTime(*st.At, loc))
		case lapordesk.StepLate:
			mark, detail = "[!]", i18n.Tf("training.late", "Due", i18n.Date(*st.Due))
		default:
			if st.Due != nil {
				detail = i18n.Tf("training.due", "Due", i18n.Date(*st.Due))
			}
		}
		if next < 0 && (st.State == lapordesk.StepNotYet || st.State == lapordesk.StepLate) {
			next = i
		}
		line := fmt.Sprintf("%s %d. %s", mark, i+1, sc.Steps[i].Title)
		if detail != "" {
			line += " (" + detail + ")"
		}
		fmt.Fprintln(e.stdout, line)
	}
	if next >= 0 {
		fmt.Fprintln(e.stdout, i18n.Tf("training.hint", "Hint", sc.Steps[next].Hint))
	}
	sum := i18n.Tf("training.score", "Done", p.Score.Done, "Steps", p.Score.Steps, "InTime", p.Score.InTime)
	if p.Score.Conflicts > 0 {
		sum += " " + i18n.Tf("training.conflicts", "N", p.Score.Conflicts)
	}
	if p.Finished {
		sum = i18n.T("training.finished") + " " + sum
	}
	fmt.Fprintln(e.stdout, strings.TrimSpace(sum))
	return nil
}
