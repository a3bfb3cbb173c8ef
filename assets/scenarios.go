package assets

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// The training scenarios shipped with LAPOR Desk, one JSON file each.
//
//go:embed training/*.json
var training embed.FS

// Scenarios returns the shipped training scenarios, in their files' order.
func Scenarios() ([]lapordesk.Scenario, error) {
	sub, err := fs.Sub(training, "training")
	if err != nil {
		return nil, err
	}
	return LoadScenarios(sub)
}

// LoadScenarios reads every *.json scenario in fsys's top folder (a folder the
// instructor chooses, as os.DirFS), in name order. A file that is not a valid
// scenario is refused with its name; names must be unique.
func LoadScenarios(fsys fs.FS) ([]lapordesk.Scenario, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []lapordesk.Scenario
	seen := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", name, err)
		}
		var s lapordesk.Scenario
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return nil, fmt.Errorf("scenario %s: %v: %w", name, err, lapordesk.ErrInvalid)
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("scenario %s: %w", name, err)
		}
		if other, dup := seen[s.Name]; dup {
			return nil, fmt.Errorf("scenarios %s and %s are both named %q: %w", other, name, s.Name, lapordesk.ErrInvalid)
		}
		seen[s.Name] = name
		out = append(out, s)
	}
	return out, nil
}

// ScenarioNamed finds a scenario by its name (or its file's name without the
// number and extension).
func ScenarioNamed(list []lapordesk.Scenario, name string) (lapordesk.Scenario, bool) {
	name = strings.TrimSuffix(path.Base(name), ".json")
	for _, s := range list {
		if s.Name == name {
			return s, true
		}
	}
	return lapordesk.Scenario{}, false
}
