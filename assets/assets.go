// Package assets holds the files LAPOR Desk embeds: default reference data (category
// tree, units, holiday calendar), translations, icons, fonts and templates.
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/lapordesk/lapordesk"
)

//go:embed data/*.json
var data embed.FS

// Each language is a folder of JSON files, one per part of the program (core, cli,
// ui, sync, ...), so parts add their words without touching each other's files.
//
//go:embed translations
var translations embed.FS

// Languages lists the user interface languages, the default first.
var Languages = []string{"id", "en"}

// DefaultLanguage is Bahasa Indonesia.
const DefaultLanguage = "id"

// Translation returns the merged translation table of a language code.
func Translation(code string) (map[string]string, error) {
	dir := "translations/" + code
	entries, err := fs.ReadDir(translations, dir)
	if err != nil {
		return nil, fmt.Errorf("translations for %q: %w", code, lapordesk.ErrNotFound)
	}
	out := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := translations.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read %s/%s: %w", dir, e.Name(), err)
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("parse %s/%s: %w", dir, e.Name(), err)
		}
		for k, v := range part {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("%s/%s: key %q is defined twice", dir, e.Name(), k)
			}
			out[k] = v
		}
	}
	return out, nil
}

// DefaultCategories returns the built-in category tree.
func DefaultCategories() ([]lapordesk.Category, error) {
	var cats []lapordesk.Category
	return cats, readJSON("data/categories.json", &cats)
}

// DefaultUnits returns the built-in list of work units (Kabupaten Barru's SKPD).
func DefaultUnits() ([]lapordesk.Unit, error) {
	var units []lapordesk.Unit
	return units, readJSON("data/units.json", &units)
}

// DefaultHolidays returns the built-in holiday calendar (libur nasional and cuti
// bersama), to be checked against each year's SKB and edited by the user.
func DefaultHolidays() ([]lapordesk.Holiday, error) {
	var f struct {
		Holidays []lapordesk.Holiday `json:"holidays"`
	}
	return f.Holidays, readJSON("data/holidays.json", &f)
}

func readJSON(name string, v any) error {
	b, err := data.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}
