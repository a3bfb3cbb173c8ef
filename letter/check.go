package letter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// VerifyStore is what checking a verification code needs of the store
// (*storage.Store is one).
type VerifyStore interface {
	SettingsReader
	FindLetters(ctx context.Context, code string) ([]lapordesk.Event, error)
	View(ctx context.Context, id uuid.UUID) (lapordesk.View, error)
	Unit(code string) (lapordesk.Unit, bool)
}

// Check is what a verification found about one recorded letter.
type Check struct {
	Record   lapordesk.LetterRecord
	ReportID uuid.UUID // zero for a recap
	Ref      string    // the report's reference as printed
	Title    string    // what the letter is about, as printed (its hal)
	IssuedAt time.Time // when the number was allocated; zero for a recap
	Unit     string    // the unit that printed it
	Actor    string
	// Intact: the record's content gives its code, so the record says what the
	// paper should say. A record that fails was altered after printing.
	Intact bool
	// Compared: the letter was rebuilt from today's report and settings; Changed
	// lists the content fields that differ (e.g. "hal", "signer.name", "to"), empty
	// when the letter would print the same today. A recap is not compared: its
	// figures move on as reports do.
	Compared   bool
	Changed    []string
	CompareErr error // why it could not be rebuilt, if it could not
}

// CheckCode finds the letters recorded with a code read off paper (any case, with
// or without the hyphen, 0/1/8 for O/I/B) and checks each against its record and
// against the report as it is now. It returns the code as printed, and ErrNotFound
// when no letter of this store carries it.
func CheckCode(ctx context.Context, st VerifyStore, code string) (string, []Check, error) {
	raw, err := NormalizeCode(code)
	if err != nil {
		return "", nil, &lapordesk.FieldError{Field: "code", Problem: lapordesk.ProblemFormat, Value: shortName(code)}
	}
	printed := raw[:5] + "-" + raw[5:]
	events, err := st.FindLetters(ctx, printed)
	if err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
		return printed, nil, err
	}
	var checks []Check
	var office *Office
	var officeErr error
	for _, e := range events {
		rec := *e.Payload.Letter
		c := Check{Record: rec, ReportID: e.ReportID, IssuedAt: e.At, Unit: e.Unit, Actor: e.Actor}
		l, err := LetterFromRecord(rec, nil)
		if err != nil {
			checks = append(checks, c)
			continue
		}
		c.Intact, c.Ref, c.Title = true, l.Ref, l.Title
		if f, err := parseContent(rec.Content); err == nil && f.get("hal") != "" {
			c.Title = f.get("hal") // the subject as printed, for a disposition sheet too
		}
		if office == nil && officeErr == nil {
			o, err := LoadOffice(ctx, st)
			office, officeErr = &o, err
		}
		c.Compared = true
		if officeErr != nil {
			c.CompareErr = officeErr
		} else {
			c.Changed, c.CompareErr = compareWithToday(ctx, st, *office, e.ReportID, rec)
		}
		checks = append(checks, c)
	}
	var rec lapordesk.LetterRecord
	if err := st.Setting(ctx, recapKey(printed), &rec); err == nil {
		c := Check{Record: rec}
		if l, err := LetterFromRecord(rec, nil); err == nil && l.Kind == KindRekap {
			c.Intact, c.Title = true, l.Title
		}
		checks = append(checks, c)
	} else if !errors.Is(err, lapordesk.ErrNotFound) {
		return printed, nil, err
	}
	if len(checks) == 0 {
		return printed, nil, fmt.Errorf("letter with verification code %s: %w", printed, lapordesk.ErrNotFound)
	}
	return printed, checks, nil
}

// compareWithToday rebuilds a report's letter from the report and settings of today,
// with the recorded number, date and options, and lists what differs.
func compareWithToday(ctx context.Context, st VerifyStore, o Office, id uuid.UUID, rec lapordesk.LetterRecord) ([]string, error) {
	f, err := parseContent(rec.Content)
	if err != nil {
		return nil, err
	}
	v, err := st.View(ctx, id)
	if err != nil {
		return nil, err
	}
	o = withRecipients(o, v, st)
	var l *Letter
	switch Kind(rec.Kind) {
	case KindTindakLanjut:
		l, err = FollowUp(o, v, FollowUpInput{Number: rec.Number, Date: rec.Date, Training: rec.Training,
			Sifat: Sifat(f.get("sifat")), To: f.list("to"), Hal: f.get("hal"), Lampiran: f.get("lampiran")})
	case KindDisposisi:
		var sifat Sifat
		for _, s := range []Sifat{SifatSangatSegera, SifatSegera, SifatRahasia} {
			if f.get("sifat."+string(s)) == "true" {
				sifat = s
				break
			}
		}
		half := f.get("half") == "true"
		l, err = Disposisi(o, v, DisposisiInput{Number: rec.Number, Date: rec.Date, Training: rec.Training, Sifat: sifat, HalfSheet: &half})
	default:
		return nil, fmt.Errorf("letter kind %q: %w", shortName(rec.Kind), lapordesk.ErrInvalid)
	}
	if err != nil {
		return nil, err
	}
	return changedFields(rec.Content, l.Content()), nil
}

// changedFields lists the fields whose values differ between two contents, in the
// order of the first, list items under their list's name ("to", not "to.1").
func changedFields(was, now string) []string {
	a, errA := parseContent(was)
	b, errB := parseContent(now)
	if errA != nil || errB != nil {
		return []string{"content"}
	}
	var out []string
	seen := map[string]bool{}
	note := func(k string) {
		k = listName(k)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(was, "\n"), "\n") {
		k, _, _ := strings.Cut(line, "=")
		if v, ok := b.m[k]; !ok || v != a.m[k] {
			note(k)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(now, "\n"), "\n") {
		k, _, _ := strings.Cut(line, "=")
		if _, ok := a.m[k]; !ok {
			note(k)
		}
	}
	return out
}

// listName strips the item numbers of a list key: "to.1" is "to".
func listName(k string) string {
	parts := strings.Split(k, ".")
	kept := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}
