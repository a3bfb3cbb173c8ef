package lapordesk

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var sampleCategories = []Category{
	{ID: "kesehatan", Name: "Kesehatan"},
	{ID: "kesehatan.rsud", ParentID: "kesehatan", Name: "RSUD"},
	{ID: "kesehatan.rsud.igd", ParentID: "kesehatan.rsud", Name: "IGD"},
	{ID: "kesehatan.puskesmas", ParentID: "kesehatan", Name: "Puskesmas"},
	{ID: "infrastruktur", Name: "Infrastruktur"},
	// A child listed before its parent is fine.
	{ID: "infrastruktur.jalan.desa", ParentID: "infrastruktur.jalan", Name: "Jalan desa"},
	{ID: "infrastruktur.jalan", ParentID: "infrastruktur", Name: "Jalan"},
}

func TestCategoryTreePathAndDescendants(t *testing.T) {
	t.Parallel()
	tree, err := NewCategoryTree(sampleCategories)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"kesehatan":                "Kesehatan",
		"kesehatan.rsud.igd":       "Kesehatan › RSUD › IGD",
		"infrastruktur.jalan.desa": "Infrastruktur › Jalan › Jalan desa",
		"tidak-ada":                "",
		"":                         "",
	} {
		if got := tree.Path(id); got != want {
			t.Errorf("Path(%q) = %q, want %q", id, got, want)
		}
	}
	for id, want := range map[string][]string{
		"kesehatan":          {"kesehatan", "kesehatan.rsud", "kesehatan.puskesmas", "kesehatan.rsud.igd"},
		"infrastruktur":      {"infrastruktur", "infrastruktur.jalan", "infrastruktur.jalan.desa"},
		"kesehatan.rsud.igd": {"kesehatan.rsud.igd"},
	} {
		if got := tree.Descendants(id); !reflect.DeepEqual(got, want) {
			t.Errorf("Descendants(%q) = %q, want %q", id, got, want)
		}
	}
	if c, ok := tree.Get("kesehatan.rsud"); !ok || c.Name != "RSUD" || c.ParentID != "kesehatan" {
		t.Errorf("Get = %+v, %v", c, ok)
	}
	if _, ok := tree.Get("x"); ok {
		t.Error("Get of an unknown ID succeeded")
	}
	all := tree.All()
	if !reflect.DeepEqual(all, sampleCategories) {
		t.Errorf("All() = %+v, want the input order", all)
	}
	all[0].Name = "x"
	if c, _ := tree.Get("kesehatan"); c.Name != "Kesehatan" {
		t.Error("All() returns the tree's own storage")
	}
}

func TestCategoryTreeRejectsBadTrees(t *testing.T) {
	t.Parallel()
	withCats := func(extra ...Category) []Category {
		return append(append([]Category(nil), sampleCategories...), extra...)
	}
	for _, tc := range []struct {
		name  string
		cats  []Category
		field string // "" for a cycle, which is about the tree, not one field
		prob  string
		names string
	}{
		{"unknown parent", withCats(Category{ID: "pariwisata.pantai", ParentID: "pariwisata", Name: "Pantai"}), "parent_id", ProblemUnknown, "pariwisata"},
		{"duplicate ID", withCats(Category{ID: "kesehatan.rsud", ParentID: "kesehatan", Name: "Rumah sakit"}), "category_id", ProblemDuplicate, "kesehatan.rsud"},
		{"self parent", []Category{{ID: "a", ParentID: "a", Name: "A"}}, "", "", `"a"`},
		{"cycle of three", []Category{{ID: "a", ParentID: "c", Name: "A"}, {ID: "b", ParentID: "a", Name: "B"}, {ID: "c", ParentID: "b", Name: "C"}}, "", "", "cycle"},
		{"cycle below a root", withCats(Category{ID: "x", ParentID: "y", Name: "X"}, Category{ID: "y", ParentID: "x", Name: "Y"}), "", "", "cycle"},
		{"bad ID", []Category{{ID: "Kesehatan", Name: "K"}}, "category_id", ProblemFormat, "Kesehatan"},
		{"empty name", []Category{{ID: "k", Name: " "}}, "category_name", ProblemRequired, "category_name"},
		{"control in name", []Category{{ID: "k", Name: "K\x00"}}, "category_name", ProblemControl, "category_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree, err := NewCategoryTree(tc.cats)
			if tree != nil {
				t.Errorf("got a tree along with the error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err %v, want ErrInvalid", err)
			}
			if tc.field != "" {
				wantFieldError(t, err, tc.field, tc.prob)
			}
			if !strings.Contains(err.Error(), tc.names) {
				t.Errorf("message %q does not name %q", err.Error(), tc.names)
			}
		})
	}
	if tree, err := NewCategoryTree(nil); err != nil || len(tree.All()) != 0 {
		t.Errorf("empty tree: %v", err)
	}
}

func TestUnitAndProfileValidate(t *testing.T) {
	t.Parallel()
	if err := (Unit{Code: "DINKES", Name: "Dinas Kesehatan"}).Validate(); err != nil {
		t.Errorf("valid unit: %v", err)
	}
	wantFieldError(t, Unit{Name: "x"}.Validate(), "unit_code", ProblemRequired)
	wantFieldError(t, Unit{Code: "a b", Name: "x"}.Validate(), "unit_code", ProblemFormat)
	wantFieldError(t, Unit{Code: "A"}.Validate(), "unit_name", ProblemRequired)

	p := Profile{UnitCode: "DISKOMINFO", UnitName: "Dinas Kominfo", PemdaName: "Kabupaten Barru", Role: RoleCoordinator, Timezone: "Asia/Makassar"}
	if err := p.Validate(); err != nil {
		t.Errorf("valid profile: %v", err)
	}
	bad := p
	bad.Role = "admin"
	bad.UnitCode = ""
	bad.PemdaName = ""
	err := bad.Validate()
	wantFieldError(t, err, "role", ProblemUnknown)
	wantFieldError(t, err, "unit_code", ProblemRequired)
	wantFieldError(t, err, "pemda_name", ProblemRequired)
}

func TestFilterValidate(t *testing.T) {
	t.Parallel()
	ok := Filter{Box: BoxAction, Statuses: []Status{StatusNew}, Text: "jalan rus", Classification: Pengaduan, CategoryID: "kesehatan",
		Channel: ChannelSMS, Unit: "DINKES", Since: d(2026, 1, 1), Until: d(2026, 1, 1), Sort: SortDue}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid filter: %v", err)
	}
	for _, tc := range []struct {
		f       Filter
		field   string
		problem string
	}{
		{Filter{Box: "trash"}, "box", ProblemUnknown},
		{Filter{Statuses: []Status{"hilang"}}, "status", ProblemUnknown},
		{Filter{Text: strings.Repeat("q", MaxNameLen+1)}, "search", ProblemTooLong},
		{Filter{Text: "\xff"}, "search", ProblemInvalidUTF8},
		{Filter{Sort: "random"}, "sort", ProblemUnknown},
		{Filter{Since: d(2026, 2, 1), Until: d(2026, 1, 1)}, "until", ProblemRange},
		{Filter{Unit: "a b"}, "unit", ProblemFormat},
	} {
		wantFieldError(t, tc.f.Validate(), tc.field, tc.problem)
	}
	for _, b := range Boxes {
		for _, s := range b.Statuses() {
			if !s.Valid() {
				t.Errorf("box %q holds unknown status %q", b, s)
			}
		}
	}
}

func TestEditableFieldsSortedAndReadable(t *testing.T) {
	t.Parallel()
	fields := EditableFields()
	n := sampleNewReport(Biasa)
	for i, f := range fields {
		if i > 0 && fields[i-1] >= f {
			t.Errorf("EditableFields not sorted at %q", f)
		}
		if _, ok := n.FieldValue(f); !ok {
			t.Errorf("FieldValue(%q) unknown", f)
		}
	}
	for _, f := range []string{"unit", "agenda_no"} {
		if _, ok := n.FieldValue(f); ok {
			t.Errorf("%q must not be editable", f)
		}
	}
	if v, _ := n.FieldValue("lat"); v != "-4.45" {
		t.Errorf("lat as text %q", v)
	}
	if v, _ := n.FieldValue("incident_date"); v != "2026-10-20" {
		t.Errorf("incident_date as text %q", v)
	}
}

func TestReportRefAndLocationText(t *testing.T) {
	t.Parallel()
	r := Report{NewReport: NewReport{AgendaNo: "AG-2026-0001"}}
	if r.Ref() != "AG-2026-0001" {
		t.Errorf("Ref without tracking ID = %q", r.Ref())
	}
	r.TrackingID = "4012345"
	if r.Ref() != "4012345" {
		t.Errorf("Ref = %q, want the LAPOR! tracking ID", r.Ref())
	}
	for _, tc := range []struct {
		l    Location
		want string
	}{
		{Location{Detail: "depan SD", Desa: "Lipukasi", Kecamatan: "Tanete Rilau"}, "depan SD, Lipukasi, Tanete Rilau"},
		{Location{Kecamatan: "Barru"}, "Barru"},
		{Location{Detail: "pasar", Kecamatan: "Balusu"}, "pasar, Balusu"},
		{Location{}, ""},
	} {
		if got := tc.l.Text(); got != tc.want {
			t.Errorf("Text() = %q, want %q", got, tc.want)
		}
	}
	rep := Reporter{Name: reporterNom, Phone: validPhone, Email: validEmail, IDNumber: validNIK}
	for _, c := range []Confidentiality{Biasa, Rahasia} {
		if rep.Masked(c) != rep {
			t.Errorf("Masked(%s) changed the reporter", c)
		}
	}
	if rep.Masked(Anonim) != (Reporter{Name: AnonymousName}) {
		t.Errorf("Masked(anonim) = %+v", rep.Masked(Anonim))
	}
}
