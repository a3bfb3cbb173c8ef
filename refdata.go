package lapordesk

import (
	"fmt"
	"strings"
)

// Category is one node of the category tree (kategori), held as data.
type Category struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id,omitempty"`
	Name     string `json:"name"`
}

// CategoryTree indexes categories by ID.
type CategoryTree struct {
	byID  map[string]Category
	order []string
}

// NewCategoryTree builds a tree and checks it: unique well-formed IDs, known parents,
// no cycles.
func NewCategoryTree(cats []Category) (*CategoryTree, error) {
	t := &CategoryTree{byID: make(map[string]Category, len(cats))}
	for _, c := range cats {
		if !reCategory.MatchString(c.ID) {
			return nil, &FieldError{Field: "category_id", Problem: ProblemFormat, Value: shorten(c.ID)}
		}
		if e := checkText("category_name", c.Name, true, MaxNameLen, false); e != nil {
			return nil, e
		}
		if _, dup := t.byID[c.ID]; dup {
			return nil, &FieldError{Field: "category_id", Problem: ProblemDuplicate, Value: c.ID}
		}
		t.byID[c.ID] = c
		t.order = append(t.order, c.ID)
	}
	for _, c := range cats {
		if c.ParentID == "" {
			continue
		}
		if _, ok := t.byID[c.ParentID]; !ok {
			return nil, &FieldError{Field: "parent_id", Problem: ProblemUnknown, Value: c.ParentID}
		}
		seen := map[string]bool{c.ID: true}
		for p := c.ParentID; p != ""; p = t.byID[p].ParentID {
			if seen[p] {
				return nil, fmt.Errorf("category %q: parent cycle: %w", c.ID, ErrInvalid)
			}
			seen[p] = true
		}
	}
	return t, nil
}

// Get returns the category with id.
func (t *CategoryTree) Get(id string) (Category, bool) {
	c, ok := t.byID[id]
	return c, ok
}

// All returns the categories in their given order.
func (t *CategoryTree) All() []Category {
	out := make([]Category, len(t.order))
	for i, id := range t.order {
		out[i] = t.byID[id]
	}
	return out
}

// Path returns the names from the root to id, joined with " › ", or "" when unknown.
func (t *CategoryTree) Path(id string) string {
	var parts []string
	for c, ok := t.byID[id]; ok; c, ok = t.byID[c.ParentID] {
		parts = append([]string{c.Name}, parts...)
		if c.ParentID == "" {
			break
		}
	}
	return strings.Join(parts, " › ")
}

// Descendants returns id and the IDs of every category below it, so a filter on a
// topic also finds reports filed under its sub-categories.
func (t *CategoryTree) Descendants(id string) []string {
	out := []string{id}
	for i := 0; i < len(out); i++ {
		for _, cid := range t.order {
			if t.byID[cid].ParentID == out[i] {
				out = append(out, cid)
			}
		}
	}
	return out
}

// Unit is a work unit (SKPD) or the coordinator.
type Unit struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Coordinator bool   `json:"coordinator,omitempty"`
}

// Validate checks a unit before it is stored.
func (u Unit) Validate() error {
	var errs ValidationErrors
	if !ValidUnitCode(u.Code) {
		if u.Code == "" {
			errs = append(errs, &FieldError{Field: "unit_code", Problem: ProblemRequired})
		} else {
			errs = append(errs, &FieldError{Field: "unit_code", Problem: ProblemFormat, Value: shorten(u.Code)})
		}
	}
	if e := checkText("unit_name", u.Name, true, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	return errs.err()
}

// Role is what a desktop does for its unit.
type Role string

const (
	RoleUnit        Role = "unit"        // an SKPD admin's desk
	RoleCoordinator Role = "coordinator" // the coordinator (usually Diskominfo): sees all units
)

// Profile is the identity of this desktop's unit.
type Profile struct {
	UnitCode  string `json:"unit_code"`
	UnitName  string `json:"unit_name"`
	PemdaName string `json:"pemda_name"` // e.g. "Kabupaten Barru"
	Role      Role   `json:"role"`
	Place     string `json:"place,omitempty"`    // city for dated letters, e.g. "Barru"
	Timezone  string `json:"timezone,omitempty"` // IANA zone of the office, e.g. Asia/Makassar
	Actor     string `json:"actor,omitempty"`    // name of the admin using this desk
	Training  bool   `json:"training,omitempty"` // a training store: nothing in it is real
}

// Validate checks a profile.
func (p Profile) Validate() error {
	var errs ValidationErrors
	if err := (Unit{Code: p.UnitCode, Name: p.UnitName}).Validate(); err != nil {
		errs = append(errs, err.(ValidationErrors)...)
	}
	if e := checkText("pemda_name", p.PemdaName, true, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	if p.Role != RoleUnit && p.Role != RoleCoordinator {
		errs = append(errs, &FieldError{Field: "role", Problem: ProblemUnknown, Value: shorten(string(p.Role))})
	}
	if e := checkText("place", p.Place, false, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	if e := checkText("actor", p.Actor, false, MaxNameLen, false); e != nil {
		errs = append(errs, e)
	}
	if e := checkText("timezone", p.Timezone, false, MaxShortLen, false); e != nil {
		errs = append(errs, e)
	}
	return errs.err()
}

// DeskUnit is the unit a list, export or recap on this desk covers: the one asked
// for, else (unless all units are asked for) the desk's own unit when the desk is a
// unit's. A unit's desk works on what its unit holds; reports returned to the
// coordinator or disposed elsewhere are no longer its work. "" means every unit.
func (p Profile) DeskUnit(asked string, allUnits bool) string {
	if asked != "" || allUnits || p.Role != RoleUnit {
		return asked
	}
	return p.UnitCode
}
