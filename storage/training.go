package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// A training workspace (Mode Latihan) is a data file of its own beside the real
// one, so that a trainee's exercise never touches real reports, and a real file
// is never opened for training: its profile says Training, for life.

// TrainingPath is the training workspace beside a real data file:
// lapordesk.db → lapordesk-latihan.db.
func TrainingPath(real string) string {
	ext := filepath.Ext(real)
	base := strings.TrimSuffix(real, ext)
	if strings.HasSuffix(base, "-latihan") {
		return real // named already
	}
	return base + "-latihan" + ext
}

// SettingScenario holds the ScenarioRun a training store is working.
const SettingScenario = "training_scenario"

// ScenarioRun is the scenario a training store works, and when it started.
type ScenarioRun struct {
	Name  string    `json:"name"`
	Start time.Time `json:"start"`
	From  string    `json:"from,omitempty"` // the folder of an instructor's own scenarios ("": shipped)
}

// ErrNotTraining: a real data file where a training one was asked for.
var ErrNotTraining = lapordesk.ErrNotTraining

// StartScenario makes the training workspace at path anew with the scenario's
// starting reports, dated from start, for a desk of profile p (a training
// profile). What was in the workspace goes; a real data file at path is refused.
// Started again with the same start, the workspace holds the same events.
func StartScenario(ctx context.Context, path string, sc lapordesk.Scenario, p lapordesk.Profile, start time.Time, opts ...Option) error {
	return StartScenarioFrom(ctx, path, sc, "", p, start, opts...)
}

// StartScenarioFrom is StartScenario of a scenario from an instructor's folder
// (recorded, so status and reset find it again).
func StartScenarioFrom(ctx context.Context, path string, sc lapordesk.Scenario, from string, p lapordesk.Profile, start time.Time, opts ...Option) error {
	if !p.Training {
		return fmt.Errorf("start scenario %s: the profile is not a training one: %w", sc.Name, ErrNotTraining)
	}
	if p.UnitCode != sc.Unit || p.Role != sc.Role {
		return fmt.Errorf("scenario %s is for a %s desk of %s, not a %s desk of %s: %w", sc.Name, sc.Role, sc.Unit, p.Role, p.UnitCode, lapordesk.ErrInvalid)
	}
	if _, err := os.Stat(path); err == nil {
		training, err := isTraining(ctx, path)
		if err != nil {
			return fmt.Errorf("start scenario %s: %w", sc.Name, err)
		}
		if !training {
			return fmt.Errorf("start scenario %s in %s: %w", sc.Name, path, ErrNotTraining)
		}
		if err := sqlitedb.EnsureClosed(ctx, path); err != nil {
			return fmt.Errorf("start scenario %s: %w", sc.Name, err)
		}
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("start scenario %s: %w", sc.Name, sqlitedb.Classify(err))
		}
	}
	s, err := Open(ctx, path, opts...)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetProfile(ctx, p); err != nil {
		return err
	}
	events, err := sc.Seed(s.Calendar(), start)
	if err != nil {
		return err
	}
	if len(events) > 0 {
		if err := s.Record(ctx, events); err != nil {
			return fmt.Errorf("start scenario %s: %w", sc.Name, err)
		}
	}
	if err := s.PutSetting(ctx, SettingScenario, ScenarioRun{Name: sc.Name, Start: lapordesk.NormalizeTime(start), From: from}); err != nil {
		return err
	}
	return s.Close()
}

// isTraining reads whether the closed data file at path is a training workspace.
func isTraining(ctx context.Context, path string) (bool, error) {
	if err := sqlitedb.Check(ctx, path, fileConfig()); err != nil {
		return false, err
	}
	db, err := sql.Open("sqlite", sqlitedb.FileURI(path)+"?mode=ro")
	if err != nil {
		return false, fmt.Errorf("data file %s: %w", path, err)
	}
	defer db.Close()
	var p lapordesk.Profile
	if err := getSetting(ctx, db, keyProfile, &p); errors.Is(err, lapordesk.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return p.Training, nil
}

// ScenarioProgress is how far this training store is in its scenario.
type ScenarioProgress struct {
	Run      ScenarioRun              `json:"run"`
	Steps    []lapordesk.StepProgress `json:"steps"`
	Score    lapordesk.Score          `json:"score"`
	Finished bool                     `json:"finished"`
}

// ScenarioRun returns the scenario this training store works: ErrNotFound when
// none was started.
func (s *Store) ScenarioRun(ctx context.Context) (ScenarioRun, error) {
	var run ScenarioRun
	if err := s.Setting(ctx, SettingScenario, &run); err != nil {
		return run, fmt.Errorf("the scenario of this workspace: %w", err)
	}
	return run, nil
}

// ScenarioProgress evaluates the scenario this training store works, from its
// event log: ErrNotFound when none was started.
func (s *Store) ScenarioProgress(ctx context.Context, sc lapordesk.Scenario) (ScenarioProgress, error) {
	p, err := s.Profile()
	if err != nil {
		return ScenarioProgress{}, err
	}
	if !p.Training {
		return ScenarioProgress{}, ErrNotTraining
	}
	var run ScenarioRun
	if err := s.Setting(ctx, SettingScenario, &run); err != nil {
		return ScenarioProgress{}, fmt.Errorf("the scenario of this workspace: %w", err)
	}
	if run.Name != sc.Name {
		return ScenarioProgress{}, fmt.Errorf("this workspace works scenario %s, not %s: %w", run.Name, sc.Name, lapordesk.ErrInvalid)
	}
	keyOf := map[string]string{}
	for _, r := range sc.Reports {
		keyOf[lapordesk.ScenarioReportID(sc.Name, r.Key).String()] = r.Key
	}
	histories := map[string][]lapordesk.Event{}
	var received [][]lapordesk.Event
	conflicts := 0
	rows, err := s.r.QueryContext(ctx, "SELECT id FROM reports ORDER BY rid")
	if err != nil {
		return ScenarioProgress{}, fmt.Errorf("scenario progress: %w", sqlitedb.Classify(err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return ScenarioProgress{}, fmt.Errorf("scenario progress: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ScenarioProgress{}, fmt.Errorf("scenario progress: %w", sqlitedb.Classify(err))
	}
	for _, id := range ids {
		rid, err := uuid.Parse(id)
		if err != nil {
			return ScenarioProgress{}, fmt.Errorf("scenario progress: report ID %q: %w", id, lapordesk.ErrDamaged)
		}
		evs, err := loadEvents(ctx, s.r, rid)
		if err != nil {
			return ScenarioProgress{}, err
		}
		if r, err := lapordesk.Replay(evs); err == nil && len(r.Conflicts) > 0 {
			conflicts++
		}
		if key, ok := keyOf[id]; ok {
			histories[key] = evs
		} else {
			received = append(received, evs)
		}
	}
	steps := sc.Progress(histories, received, s.Calendar(), run.Start, s.now())
	out := ScenarioProgress{Run: run, Steps: steps, Score: lapordesk.ScoreOf(steps, conflicts)}
	out.Finished = out.Score.Done == out.Score.Steps
	return out, nil
}
