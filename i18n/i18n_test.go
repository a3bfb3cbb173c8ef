package i18n_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/i18n"
)

// Both languages define the same keys, and every text is a valid template.
func TestTranslationsComplete(t *testing.T) {
	tables := map[string]map[string]string{}
	for _, code := range assets.Languages {
		tab, err := assets.Translation(code)
		if err != nil {
			t.Fatal(err)
		}
		tables[code] = tab
		for k, v := range tab {
			if _, err := template.New(k).Parse(v); err != nil {
				t.Errorf("%s %q: %v", code, k, err)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s %q is empty", code, k)
			}
		}
	}
	for k := range tables["id"] {
		if _, ok := tables["en"][k]; !ok {
			t.Errorf("%q has no English text", k)
		}
	}
	for k := range tables["en"] {
		if _, ok := tables["id"][k]; !ok {
			t.Errorf("%q has no Indonesian text", k)
		}
	}
}

// Every domain value a user can meet has words in both languages.
func TestDomainValuesTranslated(t *testing.T) {
	var keys []string
	for _, s := range lapordesk.Statuses {
		keys = append(keys, "status."+string(s), "outcome."+string(s.Outcome()))
	}
	for _, a := range lapordesk.Actions {
		keys = append(keys, "action."+string(a))
	}
	for _, k := range lapordesk.EventKinds {
		keys = append(keys, "event."+string(k))
	}
	for _, c := range lapordesk.Classifications {
		keys = append(keys, "classification."+string(c))
	}
	for _, c := range lapordesk.Channels {
		keys = append(keys, "channel."+string(c))
	}
	for _, c := range lapordesk.Confidentialities {
		keys = append(keys, "confidentiality."+string(c))
	}
	for _, b := range lapordesk.Boxes {
		keys = append(keys, "box."+string(b))
	}
	for _, s := range []lapordesk.Step{lapordesk.StepVerify, lapordesk.StepDispose, lapordesk.StepFollowUp, lapordesk.StepAwaitReporter, lapordesk.StepAutoClose} {
		keys = append(keys, "step."+string(s))
	}
	for _, u := range []lapordesk.Urgency{lapordesk.UrgencyNone, lapordesk.UrgencyOK, lapordesk.UrgencySoon, lapordesk.UrgencyOverdue, lapordesk.UrgencyPaused, lapordesk.UrgencyWaiting} {
		keys = append(keys, "urgency."+string(u))
	}
	for _, f := range lapordesk.EditableFields() {
		keys = append(keys, "field."+f)
	}
	for _, p := range []string{lapordesk.ProblemRequired, lapordesk.ProblemTooLong, lapordesk.ProblemInvalidUTF8, lapordesk.ProblemControl,
		lapordesk.ProblemUnknown, lapordesk.ProblemFormat, lapordesk.ProblemRange, lapordesk.ProblemImmutable, lapordesk.ProblemDuplicate, lapordesk.ProblemNotHolder, lapordesk.ProblemCannotApply} {
		keys = append(keys, "error."+p)
	}
	for m := 1; m <= 12; m++ {
		keys = append(keys, fmt.Sprintf("month.%d", m))
	}
	for _, code := range assets.Languages {
		tab, _ := assets.Translation(code)
		for _, k := range keys {
			if _, ok := tab[k]; !ok {
				t.Errorf("%s: no text for %q", code, k)
			}
		}
	}
}

func TestErrorsInWords(t *testing.T) {
	if err := i18n.Use("id"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		err  error
		want string
	}{
		{&lapordesk.FieldError{Field: "title", Problem: lapordesk.ProblemTooLong, Limit: 250, Length: 1048576}, "Judul terlalu panjang (1048576 karakter, paling banyak 250)"},
		{fmt.Errorf("act: %w", &lapordesk.TransitionError{Status: lapordesk.StatusNew, Action: lapordesk.ActClose}), "Laporan berstatus Baru tidak dapat di-Selesaikan"},
		{fmt.Errorf("x: %w", &lapordesk.StaleError{Base: 3, Changed: 5}), "Muat ulang"},
		{fmt.Errorf("open: %w", lapordesk.ErrDiskFull), "Disk penuh"},
		{fmt.Errorf("open: %w", lapordesk.ErrLocked), "sedang dipakai program lain"},
		{lapordesk.ValidationErrors{{Field: "title", Problem: lapordesk.ProblemRequired}, {Field: "channel", Problem: lapordesk.ProblemUnknown, Value: "fax"}}, "Judul wajib diisi; Saluran: nilai \"fax\" tidak dikenal"},
		{errors.New("something odd"), "something odd"},
	}
	for _, c := range cases {
		if got := i18n.Error(c.err); !strings.Contains(got, c.want) {
			t.Errorf("Error(%v) = %q, want it to contain %q", c.err, got, c.want)
		}
	}
	if got := i18n.Date(lapordesk.NewDate(2026, 11, 27)); got != "27 November 2026" {
		t.Errorf("date %q", got)
	}
	if got := i18n.Date(lapordesk.NewDate(2026, 8, 17)); got != "17 Agustus 2026" {
		t.Errorf("date %q", got)
	}
	if err := i18n.Use("en"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("id")
	if got := i18n.Date(lapordesk.NewDate(2026, 8, 17)); got != "17 August 2026" {
		t.Errorf("English date %q", got)
	}
	if got := i18n.Status(lapordesk.StatusFollowedUp); got != "Followed up" {
		t.Errorf("English status %q", got)
	}
	if err := i18n.Use("xx"); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Errorf("unknown language: %v", err)
	}
}

// A conflict's reason reads as a sentence for the two causes sync produces; any
// other keeps the domain's text. (Not parallel: the language is the process's.)
func TestConflictReasonInWords(t *testing.T) {
	if err := i18n.Use("id"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		reason, want string
	}{
		{(&lapordesk.StaleError{Base: 2, Changed: 3}).Error(), "laporan sudah diubah di meja lain"},
		{(&lapordesk.TransitionError{Status: lapordesk.StatusArchived, Action: lapordesk.ActRespond}).Error(), "Tanggapi tidak dapat dilakukan pada laporan berstatus Diarsipkan"},
		{"duplicate receipt", "duplicate receipt"},
	}
	for _, c := range cases {
		if got := i18n.ConflictReason(lapordesk.Conflict{Reason: c.reason}); !strings.Contains(got, c.want) {
			t.Errorf("ConflictReason(%q) = %q, want it to contain %q", c.reason, got, c.want)
		}
	}
}

func TestTimeLeft(t *testing.T) {
	if err := i18n.Use("id"); err != nil {
		t.Fatal(err)
	}
	for d, want := range map[time.Duration]string{0: "", -time.Second: "", 3 * time.Second: "±10 detik lagi", 44 * time.Second: "±40 detik lagi",
		2 * time.Minute: "±2 menit lagi", 89 * time.Minute: "±89 menit lagi", 150 * time.Minute: "±3 jam lagi"} {
		if got := i18n.TimeLeft(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}

func TestDamagedIsNotNotAStore(t *testing.T) {
	if err := i18n.Use("id"); err != nil {
		t.Fatal(err)
	}
	if got := i18n.Error(fmt.Errorf("open: %w", lapordesk.ErrDamaged)); !strings.Contains(got, "rusak") || !strings.Contains(got, "cadangan") {
		t.Fatalf("damaged: %q", got)
	}
	if got := i18n.Error(fmt.Errorf("open: %w", lapordesk.ErrNotStore)); !strings.Contains(got, "bukan berkas data") {
		t.Fatalf("not a store: %q", got)
	}
}
