package exchange

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// Mapping says which column feeds which report field: field (one of ImportFields)
// → the column's header as written in the file. Headers compare loosely (case,
// punctuation and spacing do not matter), so a mapping saved once fits every file
// of the same layout.
type Mapping map[string]string

// SettingMappings is the store setting holding the saved mappings (name → Mapping).
const SettingMappings = "import_mappings"

// GuessMapping proposes a mapping for a header row: each field takes the first
// column whose header is one of its known names (in either language, or a common
// other name), each column feeding one field at most.
func GuessMapping(header []string) (Mapping, error) {
	v, err := newVocab()
	if err != nil {
		return nil, err
	}
	return v.guess(header), nil
}

func (v *vocab) guess(header []string) Mapping {
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normalize(h)
	}
	used := map[int]bool{}
	m := Mapping{}
	// Fields in order; each field's names in order of preference. A column that
	// is exactly a later field's first name is left for that field.
	firstOf := map[string]string{}
	for _, f := range ImportFields {
		if names := v.fieldNames[f]; len(names) > 0 {
			firstOf[names[0]] = f
		}
	}
	for _, f := range ImportFields {
		for _, name := range v.fieldNames[f] {
			col := -1
			for i, h := range norm {
				if !used[i] && h == name && !v.reserved[h] {
					if owner, ok := firstOf[h]; ok && owner != f {
						continue
					}
					col = i
					break
				}
			}
			if col >= 0 {
				m[f] = header[col]
				used[col] = true
				break
			}
		}
	}
	return m
}

// Validate checks a mapping: known fields, headers given, no column feeding two fields.
func (m Mapping) Validate() error {
	var errs lapordesk.ValidationErrors
	seen := map[string]string{}
	fields := make([]string, 0, len(m))
	for f := range m {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		h := m[f]
		if !isImportField(f) {
			errs = append(errs, &lapordesk.FieldError{Field: "mapping", Problem: lapordesk.ProblemUnknown, Value: f})
			continue
		}
		if err := lapordesk.CheckText(f, h, true, lapordesk.MaxNameLen, false); err != nil {
			var fe *lapordesk.FieldError
			if errors.As(err, &fe) {
				errs = append(errs, fe)
			}
			continue
		}
		if other, dup := seen[normalize(h)]; dup {
			errs = append(errs, &lapordesk.FieldError{Field: f, Problem: lapordesk.ProblemDuplicate, Value: h + " (" + other + ")"})
			continue
		}
		seen[normalize(h)] = f
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// resolve finds each mapped field's column (1-based) in a header. A mapped header
// the file lacks is a problem: the user chose that column on purpose.
func (m Mapping) resolve(header []string) (map[string]int, []Problem) {
	cols := map[string]int{}
	var problems []Problem
	for _, f := range ImportFields {
		h, ok := m[f]
		if !ok || strings.TrimSpace(h) == "" {
			continue
		}
		want := normalize(h)
		found := 0
		for i, x := range header {
			if normalize(x) == want {
				found = i + 1
				break
			}
		}
		if found == 0 {
			problems = append(problems, Problem{Code: ProblemMappedAbsent, Field: f, Header: h})
			continue
		}
		cols[f] = found
	}
	return cols, problems
}

// Mappings returns the saved mappings by name (empty when none is saved).
func Mappings(ctx context.Context, s *storage.Store) (map[string]Mapping, error) {
	out := map[string]Mapping{}
	err := s.Setting(ctx, SettingMappings, &out)
	if errors.Is(err, lapordesk.ErrNotFound) {
		return map[string]Mapping{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import mappings: %w", err)
	}
	return out, nil
}

// LoadMapping returns the saved mapping name, or ErrNotFound.
func LoadMapping(ctx context.Context, s *storage.Store, name string) (Mapping, error) {
	all, err := Mappings(ctx, s)
	if err != nil {
		return nil, err
	}
	m, ok := all[name]
	if !ok {
		return nil, fmt.Errorf("import mapping %q: %w", name, lapordesk.ErrNotFound)
	}
	return m, nil
}

// SaveMapping saves m under name, replacing a mapping of that name.
func SaveMapping(ctx context.Context, s *storage.Store, name string, m Mapping) error {
	if err := lapordesk.CheckText("mapping", name, true, lapordesk.MaxShortLen, false); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	all, err := Mappings(ctx, s)
	if err != nil {
		return err
	}
	all[strings.TrimSpace(name)] = m
	return s.PutSetting(ctx, SettingMappings, all)
}

// DeleteMapping removes a saved mapping (no error when it does not exist).
func DeleteMapping(ctx context.Context, s *storage.Store, name string) error {
	all, err := Mappings(ctx, s)
	if err != nil {
		return err
	}
	delete(all, name)
	return s.PutSetting(ctx, SettingMappings, all)
}
