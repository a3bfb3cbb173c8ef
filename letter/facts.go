package letter

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lapordesk/lapordesk"
)

// Limits on what a letter prints from a report. The domain caps bodies at 20,000
// characters; a letter takes somewhat more (a template around a long follow-up) and
// refuses the absurd rather than printing a hundred pages.
const (
	maxPrintBody  = 100_000 // characters of a body, note or follow-up text
	maxPrintField = 20_000  // characters of a one-line field such as a title; it wraps
)

// ErrIdentityLeak: a letter about an Anonim report would print the reporter's identity.
var ErrIdentityLeak = fmt.Errorf("the Anonim reporter's identity would be printed: %w", lapordesk.ErrInvalid)

// Problem codes of letter errors about a report (FieldError.Problem, translated as
// "error.<code>"); the Value is the report's reference, or for an identity leak the
// reporter's field that the letter's field repeats.
const (
	ProblemNotDisposed  = "not_disposed"    // a lembar disposisi for a report never disposed
	ProblemNoFollowUp   = "no_follow_up"    // a surat tindak lanjut before any follow-up
	ProblemIdentityLeak = "identity_leak"   // free text repeats an Anonim reporter's identity
	ProblemReprint      = "reprint_differs" // a reprint asked with options the letter was not printed with
	ProblemAltered      = "record_altered"  // a letter record does not give its code
)

// Labels printed on letters, in Indonesian (letters are Indonesian official documents).
var (
	classificationLabels = map[lapordesk.Classification]string{
		lapordesk.Pengaduan:           "Pengaduan",
		lapordesk.Aspirasi:            "Aspirasi",
		lapordesk.PermintaanInformasi: "Permintaan Informasi",
	}
	statusLabels = map[lapordesk.Status]string{
		lapordesk.StatusNew:        "Baru",
		lapordesk.StatusPostponed:  "Ditunda",
		lapordesk.StatusVerified:   "Terverifikasi",
		lapordesk.StatusReturned:   "Dikembalikan",
		lapordesk.StatusDisposed:   "Didisposisikan",
		lapordesk.StatusInProgress: "Diproses",
		lapordesk.StatusFollowedUp: "Ditindaklanjuti",
		lapordesk.StatusClosed:     "Selesai",
		lapordesk.StatusArchived:   "Diarsipkan",
	}
	outcomeLabels = map[lapordesk.Outcome]string{
		lapordesk.OutcomeNotProcessed: "Belum diproses",
		lapordesk.OutcomeInProcess:    "Masih proses",
		lapordesk.OutcomeFollowedUp:   "Ditindaklanjuti",
		lapordesk.OutcomePostponed:    "Ditunda",
		lapordesk.OutcomeDeleted:      "Dihapus",
	}
	channelLabels = map[lapordesk.Channel]string{
		lapordesk.ChannelWebsite:     "Situs web",
		lapordesk.ChannelSMS:         "SMS 1708",
		lapordesk.ChannelMobileApp:   "Aplikasi seluler",
		lapordesk.ChannelSocialMedia: "Media sosial",
		lapordesk.ChannelWalkIn:      "Datang langsung",
		lapordesk.ChannelLetter:      "Surat",
		lapordesk.ChannelPhone:       "Telepon",
		lapordesk.ChannelEmail:       "Pos-el",
	}
)

func labelOr[K ~string](m map[K]string, k K) string {
	if l, ok := m[k]; ok {
		return l
	}
	return string(k)
}

// facts are the report's printable facts, masked.
type facts struct {
	r        lapordesk.Report
	category string
	loc      *time.Location
	needles  []needle // identity of an Anonim reporter, to catch it in free text
}

// needle is one identifying value of an Anonim reporter.
type needle struct {
	field  string
	value  string
	digits bool // compare digits only (phone, NIK)
}

// reportFacts takes the report of v as a letter may show it. Every report goes through
// the domain's ForDisplay; an Anonim reporter's identity is then checked again here,
// as defence in depth. When the caller passes an unmasked Anonim report (the store
// can), its identity is kept aside only to refuse letters whose free text repeats it.
func reportFacts(v lapordesk.View, loc *time.Location) (*facts, error) {
	raw := v.Report
	if !raw.Confidentiality.Valid() {
		return nil, &lapordesk.FieldError{Field: "confidentiality", Problem: lapordesk.ProblemUnknown, Value: shortName(string(raw.Confidentiality))}
	}
	f := &facts{category: v.Category, loc: loc}
	if f.loc == nil {
		f.loc = time.UTC
	}
	if raw.Confidentiality == lapordesk.Anonim && !raw.Masked {
		p := raw.Reporter
		for _, n := range []needle{{"reporter_name", p.Name, false}, {"reporter_email", p.Email, false}, {"reporter_phone", p.Phone, true}, {"reporter_id_number", p.IDNumber, true}} {
			n.value = normNeedle(n.value, n.digits)
			if n.value == lapordesk.AnonymousName || n.value == strings.ToLower(lapordesk.AnonymousName) {
				continue
			}
			if n.digits && len(n.value) >= 8 || !n.digits && len(splitWords(n.value)) > 0 && utf8.RuneCountInString(n.value) >= 3 {
				f.needles = append(f.needles, n)
			}
		}
	}
	f.r = raw.ForDisplay()
	if f.r.Confidentiality == lapordesk.Anonim && f.r.Reporter != (lapordesk.Reporter{Name: lapordesk.AnonymousName}) {
		return nil, fmt.Errorf("report %s: reporter not masked: %w", f.r.Ref(), ErrIdentityLeak)
	}
	return f, nil
}

func normNeedle(s string, digits bool) string {
	if digits {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// officeKeys are content fields from the office's own settings, not from the report
// or the user's hand: an official who shares a reporter's name is not a leak.
var officeKeys = []string{"kind", "report", "ref", "number", "date", "training", "pemda", "unit", "address", "phone", "email", "website", "paper", "margins", "verify_url", "half", "dateline", "signer.", "tembusan.", "scope", "period"}

// leak returns an error naming the field of content that repeats an Anonim
// reporter's identity: a name as whole words, an e-mail address as text, a phone or
// NIK as its digits.
func (f *facts) leak(c *contentBuilder) error {
	if len(f.needles) == 0 {
		return nil
	}
pairs:
	for _, kv := range c.pairs {
		for _, k := range officeKeys {
			if kv[0] == k || strings.HasSuffix(k, ".") && strings.HasPrefix(kv[0], k) {
				continue pairs
			}
		}
		words := " " + strings.Join(splitWords(kv[1]), " ") + " "
		for _, n := range f.needles {
			var hit bool
			switch {
			case n.digits:
				hit = strings.Contains(normNeedle(kv[1], true), n.value)
			case n.field == "reporter_email":
				hit = strings.Contains(strings.ToLower(kv[1]), n.value)
			default:
				hit = strings.Contains(words, " "+strings.Join(splitWords(n.value), " ")+" ")
			}
			if hit {
				// The field names the reporter's field, never its value.
				fe := &lapordesk.FieldError{Field: listName(kv[0]), Problem: ProblemIdentityLeak, Value: n.field}
				return fmt.Errorf("%w: %w", fe, ErrIdentityLeak)
			}
		}
	}
	return nil
}

// splitWords lower-cases s and splits it into words of letters and digits.
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func (f *facts) date(t *time.Time) lapordesk.Date {
	if t == nil || t.IsZero() {
		return lapordesk.Date{}
	}
	return lapordesk.DateOf(*t, f.loc)
}

// reporter is how a letter names the reporter: the name, or "Anonim".
func (f *facts) reporter() string {
	if f.r.Confidentiality == lapordesk.Anonim {
		return lapordesk.AnonymousName
	}
	return strings.TrimSpace(f.r.Reporter.Name)
}

// lastEvent returns the latest event of kind in the history, if any.
func lastEvent(v lapordesk.View, kind lapordesk.EventKind) (lapordesk.Event, bool) {
	for i := len(v.History) - 1; i >= 0; i-- {
		if v.History[i].Kind == kind {
			return v.History[i].ForDisplay(v.Report.Confidentiality), true
		}
	}
	return lapordesk.Event{}, false
}

// values are the template placeholders' values for the report.
func (f *facts) values() map[string]string {
	r := f.r
	dash := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "-"
		}
		return s
	}
	return map[string]string{
		PhNomorLaporan:    dash(r.Ref()),
		PhIDLapor:         dash(r.TrackingID),
		PhNomorAgenda:     dash(r.AgendaNo),
		PhJudul:           dash(r.Title),
		PhIsi:             dash(r.Body),
		PhKlasifikasi:     dash(labelOr(classificationLabels, r.Classification)),
		PhKategori:        dash(f.category),
		PhLokasi:          dash(r.Location.Text()),
		PhTanggalKejadian: dash(FormatDateID(r.IncidentDate)),
		PhTanggalLaporan:  dash(FormatDateID(f.date(&r.ReceivedAt))),
		PhPelapor:         dash(f.reporter()),
	}
}

// checkPrintable refuses text a letter cannot sensibly print: invalid UTF-8 is
// printed as □ by the layout, but absurd lengths are refused with the field named.
func checkPrintable(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemTooLong, Limit: max, Length: n}
	}
	return nil
}

// isBlank reports whether s has nothing printable.
func isBlank(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) }) < 0
}
