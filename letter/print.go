package letter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// Store is what printing a report's letter needs of the store (*storage.Store is
// one).
type Store interface {
	SettingsReader
	View(ctx context.Context, id uuid.UUID) (lapordesk.View, error)
	Unit(code string) (lapordesk.Unit, bool)
	// IssueLetter allocates the letter's number in one transaction, or returns the
	// report's record of that kind (a reprint); build makes the record from the
	// running number and year, and nothing is spent when it fails.
	IssueLetter(ctx context.Context, id uuid.UUID, kind string, training bool, build func(seq, year int) (lapordesk.LetterRecord, error)) (lapordesk.LetterRecord, bool, error)
	Now() time.Time
}

// Request asks for the letter of one kind about a report. The options are those of
// the first print; a reprint is the letter as first printed, and options that
// contradict it are refused rather than silently dropped.
type Request struct {
	ReportID uuid.UUID
	Kind     Kind     // KindDisposisi or KindTindakLanjut
	Sifat    Sifat    // empty: the settings' default; a Rahasia report is always Rahasia
	To       []string // tindak lanjut: the lines after "Yth."; empty: the reporter
	Hal      string   // tindak lanjut: the subject; empty: the usual one with the report's number
	Lampiran string   // tindak lanjut: empty: the settings' default, else "-"
}

// Printed describes a letter written by Print.
type Printed struct {
	Record  lapordesk.LetterRecord // as recorded in the report's history
	Reprint bool                   // the number was allocated by an earlier print
	Info    Info                   // pages, and characters the fonts lack
	Title   string
}

// Print prints a report's lembar disposisi or surat tindak lanjut into w as PDF.
//
// The first print checks everything (configuration, template, report) and builds
// the letter without a number before the store allocates one; then, in the store's
// transaction, the running number is formatted with the unit's pattern and the
// letter rebuilt with it and today's date, and the record (number, date, code,
// content) is appended to the report's history. The PDF is written after the
// commit. A reprint lays out the recorded content again: the same number, date, code
// and bytes. In training (the profile's flag) letters carry the SPECIMEN watermark
// and numbers from the training counter.
func Print(ctx context.Context, st Store, req Request, w io.Writer) (Printed, error) {
	if req.Kind != KindDisposisi && req.Kind != KindTindakLanjut {
		return Printed{}, &lapordesk.FieldError{Field: "kind", Problem: lapordesk.ProblemUnknown, Value: shortName(string(req.Kind))}
	}
	if req.Sifat != "" && !req.Sifat.Valid() {
		return Printed{}, &lapordesk.FieldError{Field: "sifat", Problem: lapordesk.ProblemUnknown, Value: shortName(string(req.Sifat))}
	}
	p, o, err := loadOffice(ctx, st)
	if err != nil {
		return Printed{}, err
	}
	v, err := st.View(ctx, req.ReportID)
	if err != nil {
		return Printed{}, err
	}
	o = withRecipients(o, v, st)
	rec, found := Recorded(v.Report, req.Kind, p.Training)
	var l *Letter
	fresh := false
	if !found {
		// Everything that can fail, before a number is spent.
		today := lapordesk.DateOf(st.Now(), o.Settings.Location)
		if _, err := buildReportLetter(o, v, req, p.Training, "", today); err != nil {
			return Printed{}, err
		}
		pattern, err := o.Settings.Pattern(req.Kind)
		if err != nil {
			return Printed{}, err
		}
		if _, err := pattern.Format(1, today, o.Settings.UnitCode); err != nil {
			return Printed{}, err
		}
		rec, fresh, err = st.IssueLetter(ctx, req.ReportID, string(req.Kind), p.Training, func(seq, year int) (lapordesk.LetterRecord, error) {
			date := lapordesk.DateOf(st.Now(), o.Settings.Location)
			if date.Year != year {
				return lapordesk.LetterRecord{}, fmt.Errorf("the year turned while printing: print again: %w", lapordesk.ErrConflict)
			}
			number, err := pattern.Format(seq, date, o.Settings.UnitCode)
			if err != nil {
				return lapordesk.LetterRecord{}, err
			}
			if l, err = buildReportLetter(o, v, req, p.Training, number, date); err != nil {
				return lapordesk.LetterRecord{}, err
			}
			return l.Record(), nil
		})
		if err != nil {
			return Printed{}, err
		}
	}
	if !fresh {
		// A reprint, or another desk window printed it first.
		if err := sameOptions(rec, req); err != nil {
			return Printed{}, err
		}
		if l, err = LetterFromRecord(rec, o.Letterhead.Logo); err != nil {
			return Printed{}, err
		}
	}
	var buf bytes.Buffer
	infos, err := Render(&buf, l)
	if err != nil {
		return Printed{}, err
	}
	if _, err := buf.WriteTo(w); err != nil {
		return Printed{}, fmt.Errorf("write letter %s: %w", rec.Number, err)
	}
	return Printed{Record: rec, Reprint: !fresh, Info: infos[0], Title: l.Title}, nil
}

// withRecipients names the unit a report was disposed to on its lembar disposisi
// when the unit has not listed the sheet's recipients: "Dinas Kesehatan", not
// "DINKES".
func withRecipients(o Office, v lapordesk.View, units interface {
	Unit(string) (lapordesk.Unit, bool)
}) Office {
	if len(o.Settings.Recipients) > 0 {
		return o
	}
	if d, ok := lastEvent(v, lapordesk.EvDisposed); ok {
		if u, ok := units.Unit(d.Payload.ToUnit); ok {
			o.Settings.Recipients = []lapordesk.Unit{u}
		}
	}
	return o
}

// Available is a letter a report can have now.
type Available struct {
	Kind    Kind
	Reprint bool // the letter was issued: printing again gives the same letter
	Record  lapordesk.LetterRecord
}

// Letters lists the letters that fit the report, in the order a report meets them:
// the lembar disposisi once it was disposed, the surat tindak lanjut once it was
// followed up; a letter already issued (real or training, as asked) stays available
// as a reprint whatever the report did since.
func Letters(r lapordesk.Report, training bool) []Available {
	var out []Available
	for _, k := range []struct {
		kind Kind
		fits bool
	}{{KindDisposisi, r.DisposedAt != nil}, {KindTindakLanjut, r.FollowUpAt != nil}} {
		rec, issued := Recorded(r, k.kind, training)
		if k.fits || issued {
			out = append(out, Available{Kind: k.kind, Reprint: issued, Record: rec})
		}
	}
	return out
}

// Recorded finds the report's record of a kind of letter, real or training: printing
// it again is a reprint (a button may say "Cetak ulang").
func Recorded(r lapordesk.Report, kind Kind, training bool) (lapordesk.LetterRecord, bool) {
	for _, l := range r.Letters {
		if l.Kind == string(kind) && l.Training == training {
			return l, true
		}
	}
	return lapordesk.LetterRecord{}, false
}

// buildReportLetter makes the letter of req with a number and a date.
func buildReportLetter(o Office, v lapordesk.View, req Request, training bool, number string, date lapordesk.Date) (*Letter, error) {
	switch req.Kind {
	case KindDisposisi:
		return Disposisi(o, v, DisposisiInput{Number: number, Date: date, Training: training, Sifat: req.Sifat})
	case KindTindakLanjut:
		return FollowUp(o, v, FollowUpInput{Number: number, Date: date, Training: training, Sifat: req.Sifat, To: req.To, Hal: req.Hal, Lampiran: req.Lampiran})
	}
	return nil, &lapordesk.FieldError{Field: "kind", Problem: lapordesk.ProblemUnknown, Value: shortName(string(req.Kind))}
}

// sameOptions refuses a reprint asked for with options the recorded letter does not
// have: the paper would not say what the user asked.
func sameOptions(rec lapordesk.LetterRecord, req Request) error {
	f, err := parseContent(rec.Content)
	if err != nil {
		return nil // LetterFromRecord says what is wrong with the record
	}
	differs := func(field string) error {
		fe := &lapordesk.FieldError{Field: field, Problem: ProblemReprint, Value: rec.Number}
		return fmt.Errorf("letter %s of %s: %w: %w", rec.Number, FormatDateID(rec.Date), fe, lapordesk.ErrConflict)
	}
	if req.Sifat != "" {
		had := Sifat(f.get("sifat"))
		if req.Kind == KindDisposisi {
			had = ""
			if f.get("sifat."+string(req.Sifat)) == "true" {
				had = req.Sifat
			}
		}
		if had != req.Sifat {
			return differs("sifat")
		}
	}
	if to := nonBlank(req.To); len(to) > 0 && !slices.Equal(to, f.list("to")) {
		return differs("to")
	}
	if !isBlank(req.Hal) && strings.TrimSpace(req.Hal) != f.get("hal") {
		return differs("hal")
	}
	if !isBlank(req.Lampiran) && strings.TrimSpace(req.Lampiran) != f.get("lampiran") {
		return differs("lampiran")
	}
	return nil
}

// RecapStore is what printing a recap needs of the store (*storage.Store is one).
type RecapStore interface {
	SettingsReader
	Recap(ctx context.Context, from, to lapordesk.Date, unit string) (lapordesk.Recap, error)
	Unit(code string) (lapordesk.Unit, bool)
	PutSetting(ctx context.Context, key string, v any) error
	Now() time.Time
}

// RecapRequest asks for the recap of the reports received from one date to another,
// inclusive, held by a unit ("" for every unit).
type RecapRequest struct {
	From, To lapordesk.Date
	Unit     string
}

// recapKey is the setting under which a printed recap is recorded, by code: a recap
// belongs to no report, so it has no history to go in, and its figures change as
// reports move on; the record keeps what the paper says, for verification.
func recapKey(code string) string { return "recap." + strings.ToLower(code) }

// PrintRecap prints the period recap into w as PDF, dated today, and records it so
// its code can be checked later.
func PrintRecap(ctx context.Context, st RecapStore, req RecapRequest, w io.Writer) (Printed, error) {
	p, o, err := loadOffice(ctx, st)
	if err != nil {
		return Printed{}, err
	}
	in := RekapInput{Date: lapordesk.DateOf(st.Now(), o.Settings.Location), Training: p.Training}
	if req.Unit != "" {
		u, ok := st.Unit(req.Unit)
		if !ok {
			return Printed{}, &lapordesk.FieldError{Field: "unit", Problem: lapordesk.ProblemUnknown, Value: shortName(req.Unit)}
		}
		in.UnitName = u.Name
	}
	r, err := st.Recap(ctx, req.From, req.To, req.Unit)
	if err != nil {
		return Printed{}, err
	}
	l, err := Rekap(o, r, in)
	if err != nil {
		return Printed{}, err
	}
	var buf bytes.Buffer
	infos, err := Render(&buf, l)
	if err != nil {
		return Printed{}, err
	}
	rec := l.Record()
	if err := st.PutSetting(ctx, recapKey(l.Code), rec); err != nil {
		return Printed{}, fmt.Errorf("record recap %s: %w", l.Code, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return Printed{}, fmt.Errorf("write recap: %w", err)
	}
	return Printed{Record: rec, Info: infos[0], Title: l.Title}, nil
}
