package lapordesk

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Length limits, in characters. LAPOR! titles are short; bodies and responses may be
// long letters, but a megabyte in one field is a mistake, not a report.
const (
	MaxTitleLen  = 250
	MaxBodyLen   = 20000
	MaxTextLen   = 20000
	MaxNameLen   = 200
	MaxShortLen  = 100
	MaxAttach    = 50
	MaxAttachLen = 255
)

var (
	reDigits   = regexp.MustCompile(`^[0-9]{1,20}$`)
	reNIK      = regexp.MustCompile(`^[0-9]{16}$`) // Nomor Induk Kependudukan: always 16 digits
	rePhone    = regexp.MustCompile(`^\+?[0-9][0-9 ()\-]{3,28}$`)
	reEmail    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	reUnitCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$`)
	// reOrigin: a desk's origin is a UUID or a like token, never free text.
	reOrigin   = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)
	reSHA256   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	reCategory = regexp.MustCompile(`^[a-z0-9][a-z0-9_.\-]{0,63}$`)
)

// checkText validates one text field: UTF-8, no control characters (line breaks and
// tabs allowed when multiline), not longer than max characters, present if required.
func checkText(field, v string, required bool, max int, multiline bool) *FieldError {
	if !utf8.ValidString(v) {
		return &FieldError{Field: field, Problem: ProblemInvalidUTF8}
	}
	if required && strings.TrimSpace(v) == "" {
		return &FieldError{Field: field, Problem: ProblemRequired}
	}
	if n := utf8.RuneCountInString(v); n > max {
		return &FieldError{Field: field, Problem: ProblemTooLong, Limit: max, Length: n}
	}
	for _, r := range v {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) || isBidiControl(r) {
			return &FieldError{Field: field, Problem: ProblemControl}
		}
	}
	return nil
}

// isBidiControl reports the characters that reorder the text around them (embeddings,
// overrides, isolates): in a title or a name they can make one unit's text read as
// something else on another unit's screen or letter.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// CheckText validates free text given by a user for field (single line unless
// multiline); it is exported for the forms and importers that share these rules.
func CheckText(field, v string, required bool, max int, multiline bool) error {
	if e := checkText(field, v, required, max, multiline); e != nil {
		return e
	}
	return nil
}

func checkPattern(field, v string, re *regexp.Regexp, required bool) *FieldError {
	if v == "" {
		if required {
			return &FieldError{Field: field, Problem: ProblemRequired}
		}
		return nil
	}
	if e := checkText(field, v, false, MaxShortLen, false); e != nil {
		return e
	}
	if !re.MatchString(v) {
		return &FieldError{Field: field, Problem: ProblemFormat, Value: shorten(v)}
	}
	return nil
}

func shorten(v string) string {
	if utf8.RuneCountInString(v) <= 40 {
		return v
	}
	r := []rune(v)
	return string(r[:40]) + "…"
}

// ValidUnitCode reports whether code is a well-formed unit code.
func ValidUnitCode(code string) bool { return reUnitCode.MatchString(code) }

// Validate checks a new report; now bounds the incident date (not in the future).
// It returns ValidationErrors listing every problem, or nil.
func (n *NewReport) Validate(now time.Time) error {
	var errs ValidationErrors
	add := func(e *FieldError) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	add(checkPattern("tracking_id", n.TrackingID, reDigits, false))
	add(checkText("agenda_no", n.AgendaNo, false, MaxShortLen, false))
	if !n.Classification.Valid() {
		if n.Classification == "" {
			add(&FieldError{Field: "classification", Problem: ProblemRequired})
		} else {
			add(&FieldError{Field: "classification", Problem: ProblemUnknown, Value: shorten(string(n.Classification))})
		}
	}
	add(checkPattern("category_id", n.CategoryID, reCategory, false))
	add(checkText("title", n.Title, true, MaxTitleLen, false))
	add(checkText("body", n.Body, true, MaxBodyLen, true))
	if !n.IncidentDate.IsZero() {
		if n.IncidentDate.Year < 1945 || n.IncidentDate.After(DateOf(now, time.UTC).AddDays(1)) {
			add(&FieldError{Field: "incident_date", Problem: ProblemRange, Value: n.IncidentDate.String()})
		}
	}
	add(checkText("kecamatan", n.Location.Kecamatan, false, MaxNameLen, false))
	add(checkText("desa", n.Location.Desa, false, MaxNameLen, false))
	add(checkText("location_detail", n.Location.Detail, false, MaxBodyLen/10, true))
	add(checkCoord("lat", n.Location.Lat, 90))
	add(checkCoord("lon", n.Location.Lon, 180))
	if !n.Channel.Valid() {
		if n.Channel == "" {
			add(&FieldError{Field: "channel", Problem: ProblemRequired})
		} else {
			add(&FieldError{Field: "channel", Problem: ProblemUnknown, Value: shorten(string(n.Channel))})
		}
	}
	add(checkText("reporter_name", n.Reporter.Name, n.Confidentiality.NeedsReporterName(), MaxNameLen, false))
	add(checkPattern("reporter_phone", n.Reporter.Phone, rePhone, false))
	add(checkPattern("reporter_email", n.Reporter.Email, reEmail, false))
	add(checkPattern("reporter_id_number", n.Reporter.IDNumber, reNIK, false))
	if !n.Confidentiality.Valid() {
		if n.Confidentiality == "" {
			add(&FieldError{Field: "confidentiality", Problem: ProblemRequired})
		} else {
			add(&FieldError{Field: "confidentiality", Problem: ProblemUnknown, Value: shorten(string(n.Confidentiality))})
		}
	}
	add(checkPattern("unit", n.Unit, reUnitCode, true))
	add(checkAttachments(n.Attachments))
	return errs.err()
}

// checkCoord bounds a coordinate to [-limit, limit]. NaN is refused explicitly: it
// fails no comparison, and JSON cannot encode it, so the report could not be stored.
func checkCoord(field string, v *float64, limit float64) *FieldError {
	if v == nil {
		return nil
	}
	if math.IsNaN(*v) || *v < -limit || *v > limit {
		return &FieldError{Field: field, Problem: ProblemRange, Value: strconv.FormatFloat(*v, 'f', -1, 64)}
	}
	return nil
}

func checkAttachments(list []Attachment) *FieldError {
	if len(list) > MaxAttach {
		return &FieldError{Field: "attachments", Problem: ProblemTooLong, Limit: MaxAttach, Length: len(list)}
	}
	for _, a := range list {
		if e := checkText("attachments", a.Name, true, MaxAttachLen, false); e != nil {
			return e
		}
		if strings.ContainsAny(a.Name, `/\:`) || a.Name == "." || a.Name == ".." {
			// A name is shown and used to save a copy; it must not be a path.
			return &FieldError{Field: "attachments", Problem: ProblemFormat, Value: shorten(a.Name)}
		}
		if !reSHA256.MatchString(a.SHA256) {
			return &FieldError{Field: "attachments", Problem: ProblemFormat, Value: shorten(a.SHA256)}
		}
		if a.Size < 0 {
			return &FieldError{Field: "attachments", Problem: ProblemRange, Value: strconv.FormatInt(a.Size, 10)}
		}
		if e := checkText("attachments", a.MIME, false, MaxShortLen, false); e != nil {
			return e
		}
	}
	return nil
}

// identityFields are the fields that identify a reporter; they are masked for Anonim.
var identityFields = map[string]bool{
	"reporter_name": true, "reporter_phone": true, "reporter_email": true, "reporter_id_number": true,
}

// editable maps each editable field to how it is read and written. Agenda number and
// unit are not here: the agenda number is fixed at receipt, the unit changes only by
// disposition or return.
var editable = map[string]struct {
	get func(*NewReport) string
	set func(*NewReport, string)
}{
	"tracking_id":        {func(n *NewReport) string { return n.TrackingID }, func(n *NewReport, v string) { n.TrackingID = v }},
	"classification":     {func(n *NewReport) string { return string(n.Classification) }, func(n *NewReport, v string) { n.Classification = Classification(v) }},
	"category_id":        {func(n *NewReport) string { return n.CategoryID }, func(n *NewReport, v string) { n.CategoryID = v }},
	"title":              {func(n *NewReport) string { return n.Title }, func(n *NewReport, v string) { n.Title = v }},
	"body":               {func(n *NewReport) string { return n.Body }, func(n *NewReport, v string) { n.Body = v }},
	"incident_date":      {func(n *NewReport) string { return n.IncidentDate.String() }, func(n *NewReport, v string) { n.IncidentDate, _ = ParseDate(v) }},
	"kecamatan":          {func(n *NewReport) string { return n.Location.Kecamatan }, func(n *NewReport, v string) { n.Location.Kecamatan = v }},
	"desa":               {func(n *NewReport) string { return n.Location.Desa }, func(n *NewReport, v string) { n.Location.Desa = v }},
	"location_detail":    {func(n *NewReport) string { return n.Location.Detail }, func(n *NewReport, v string) { n.Location.Detail = v }},
	"lat":                {func(n *NewReport) string { return fmtFloat(n.Location.Lat) }, func(n *NewReport, v string) { n.Location.Lat = parseFloatPtr(v) }},
	"lon":                {func(n *NewReport) string { return fmtFloat(n.Location.Lon) }, func(n *NewReport, v string) { n.Location.Lon = parseFloatPtr(v) }},
	"channel":            {func(n *NewReport) string { return string(n.Channel) }, func(n *NewReport, v string) { n.Channel = Channel(v) }},
	"reporter_name":      {func(n *NewReport) string { return n.Reporter.Name }, func(n *NewReport, v string) { n.Reporter.Name = v }},
	"reporter_phone":     {func(n *NewReport) string { return n.Reporter.Phone }, func(n *NewReport, v string) { n.Reporter.Phone = v }},
	"reporter_email":     {func(n *NewReport) string { return n.Reporter.Email }, func(n *NewReport, v string) { n.Reporter.Email = v }},
	"reporter_id_number": {func(n *NewReport) string { return n.Reporter.IDNumber }, func(n *NewReport, v string) { n.Reporter.IDNumber = v }},
	"confidentiality":    {func(n *NewReport) string { return string(n.Confidentiality) }, func(n *NewReport, v string) { n.Confidentiality = Confidentiality(v) }},
}

// correctable are the fields a verification may correct.
var correctable = map[string]bool{"title": true, "classification": true, "category_id": true}

// EditableFields lists the fields an edit may change, sorted.
func EditableFields() []string {
	out := make([]string, 0, len(editable))
	for f := range editable {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// FieldValue returns the current value of an editable field as text.
func (n *NewReport) FieldValue(field string) (string, bool) {
	f, ok := editable[field]
	if !ok {
		return "", false
	}
	return f.get(n), true
}

func fmtFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func parseFloatPtr(v string) *float64 {
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil
	}
	return &f
}

// checkChanges validates field changes against report r (allowed fields, value
// formats, Anonim stays Anonim) and returns the report as it would be after them.
func checkChanges(r *Report, changes []FieldChange, allowed func(string) bool, now time.Time) (NewReport, error) {
	var errs ValidationErrors
	if len(changes) == 0 {
		return r.NewReport, ValidationErrors{{Field: "changes", Problem: ProblemRequired}}
	}
	next := r.NewReport
	seen := map[string]bool{}
	for _, c := range changes {
		f, ok := editable[c.Field]
		if !ok || !allowed(c.Field) {
			errs = append(errs, &FieldError{Field: "changes", Problem: ProblemUnknown, Value: shorten(c.Field)})
			continue
		}
		if seen[c.Field] {
			errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemDuplicate, Value: c.Field})
			continue
		}
		seen[c.Field] = true
		if r.Confidentiality.Withholds(c.Field) {
			// An Anonim identity never enters the history, so it is not edited there.
			errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemImmutable})
			continue
		}
		switch c.Field {
		case "incident_date":
			if c.Value != "" {
				if _, err := ParseDate(c.Value); err != nil {
					errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemFormat, Value: shorten(c.Value)})
					continue
				}
			}
		case "lat", "lon":
			if c.Value != "" {
				if _, err := strconv.ParseFloat(c.Value, 64); err != nil {
					errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemFormat, Value: shorten(c.Value)})
					continue
				}
			}
		case "confidentiality":
			if (r.Confidentiality == Anonim) != (c.Value == string(Anonim)) {
				// Lifting anonymity would reveal an identity the reporter chose to
				// hide; imposing it afterwards cannot recall an identity already in
				// the shared history. Anonymity is fixed at receipt.
				errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemImmutable})
				continue
			}
			if r.Confidentiality == Rahasia && c.Value == string(Biasa) {
				// A report the reporter asked to keep confidential is not made public.
				errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemImmutable})
				continue
			}
		case "tracking_id":
			if r.TrackingID != "" && c.Value == "" {
				errs = append(errs, &FieldError{Field: c.Field, Problem: ProblemRequired})
				continue
			}
		}
		f.set(&next, c.Value)
	}
	if len(errs) > 0 {
		return r.NewReport, errs
	}
	if err := next.Validate(now); err != nil {
		if ve, ok := err.(ValidationErrors); ok {
			// Report only the problems in the changed fields; an old report may
			// predate a rule and must stay editable.
			for _, e := range ve {
				if seen[e.Field] {
					errs = append(errs, e)
				}
			}
		}
		if len(errs) > 0 {
			return r.NewReport, errs
		}
	}
	return next, nil
}
