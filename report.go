package lapordesk

import (
	"time"

	"github.com/google/uuid"
)

// Classification is the kind of a report as LAPOR! classifies it.
type Classification string

const (
	Pengaduan           Classification = "pengaduan"            // complaint
	Aspirasi            Classification = "aspirasi"             // suggestion
	PermintaanInformasi Classification = "permintaan_informasi" // request for information
)

// Classifications lists every classification in display order.
var Classifications = []Classification{Pengaduan, Aspirasi, PermintaanInformasi}

// Valid reports whether c is a known classification.
func (c Classification) Valid() bool { return contains(Classifications, c) }

// Channel is how a report reached the government.
type Channel string

const (
	ChannelWebsite     Channel = "website"
	ChannelSMS         Channel = "sms1708"
	ChannelMobileApp   Channel = "mobile_app"
	ChannelSocialMedia Channel = "social_media"
	ChannelWalkIn      Channel = "walk_in"
	ChannelLetter      Channel = "letter"
	ChannelPhone       Channel = "phone"
	ChannelEmail       Channel = "email"
)

// Channels lists every channel in display order.
var Channels = []Channel{ChannelWebsite, ChannelSMS, ChannelMobileApp, ChannelSocialMedia, ChannelWalkIn, ChannelLetter, ChannelPhone, ChannelEmail}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return contains(Channels, c) }

// Confidentiality is chosen by the reporter.
type Confidentiality string

const (
	// Biasa: public report, identity visible.
	Biasa Confidentiality = "biasa"
	// Rahasia: the report is not public; the handling agency sees the identity.
	Rahasia Confidentiality = "rahasia"
	// Anonim: the identity is hidden from the handling agency and is never shown,
	// exported or printed.
	Anonim Confidentiality = "anonim"
)

// Confidentialities lists every level in display order.
var Confidentialities = []Confidentiality{Biasa, Rahasia, Anonim}

// Valid reports whether c is a known level.
func (c Confidentiality) Valid() bool { return contains(Confidentialities, c) }

// Withholds reports whether a report of confidentiality c withholds field: an Anonim
// reporter's identity is never shown, exported, printed, edited or written back.
// This is the one statement of that rule; every layer asks it.
func (c Confidentiality) Withholds(field string) bool { return c == Anonim && identityFields[field] }

// NeedsReporterName reports whether a new report of confidentiality c must name its
// reporter: every one but an Anonim report does.
func (c Confidentiality) NeedsReporterName() bool { return c.Valid() && !c.Withholds("reporter_name") }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Location is where the reported matter happened.
type Location struct {
	Kecamatan string   `json:"kecamatan,omitempty"`
	Desa      string   `json:"desa,omitempty"` // desa or kelurahan
	Detail    string   `json:"detail,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
}

// Text is the location as one line: detail, desa, kecamatan.
func (l Location) Text() string {
	return joinNonEmpty(", ", l.Detail, l.Desa, l.Kecamatan)
}

// Reporter is the citizen who filed the report.
type Reporter struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	IDNumber string `json:"id_number,omitempty"` // NIK
}

// AnonymousName is what every display, export and print shows instead of an Anonim
// reporter's name.
const AnonymousName = "Anonim"

// Masked returns the reporter as it may be shown for a report of confidentiality c:
// for Anonim every identifying field is replaced; otherwise r is returned unchanged.
func (r Reporter) Masked(c Confidentiality) Reporter {
	if c != Anonim {
		return r
	}
	return Reporter{Name: AnonymousName}
}

// Attachment is the metadata of a file attached to a report or event. The content is
// stored by its SHA-256 (content-addressed); the report may exist before its content
// has arrived.
type Attachment struct {
	Name   string `json:"name"`
	MIME   string `json:"mime,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// NewReport is the input for receiving a report.
type NewReport struct {
	TrackingID      string          `json:"tracking_id,omitempty"` // LAPOR! ID, digits; empty until assigned
	AgendaNo        string          `json:"agenda_no,omitempty"`   // local agenda number; the store assigns one when empty
	Classification  Classification  `json:"classification"`
	CategoryID      string          `json:"category_id,omitempty"`
	Title           string          `json:"title"`
	Body            string          `json:"body"`
	IncidentDate    Date            `json:"incident_date"`
	Location        Location        `json:"location"`
	Channel         Channel         `json:"channel"`
	Reporter        Reporter        `json:"reporter"`
	Confidentiality Confidentiality `json:"confidentiality"`
	Unit            string          `json:"unit"` // code of the unit that holds it
	Attachments     []Attachment    `json:"attachments,omitempty"`
}

// Span is a stretch of a report's life in one status, from From until the next span.
type Span struct {
	Status Status    `json:"status"`
	From   time.Time `json:"from"`
}

// Report is the current state of a report, derived from its events by Replay.
type Report struct {
	ID uuid.UUID `json:"id"`
	NewReport

	Status  Status `json:"status"`
	Version int    `json:"version"` // number of events applied
	// Changed is the version of the last event that changed the status or a field;
	// a checked command based on an older version is stale.
	Changed int `json:"changed"`
	// origins holds the Origin of each event counted in Version, in order, and
	// changes the indices of those that changed the report: what Apply needs to
	// tell whether an event's actor had seen the last change (see Event.Origin).
	origins []string
	changes []int

	ReceivedAt      time.Time  `json:"received_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	VerifiedAt      *time.Time `json:"verified_at,omitempty"`
	DisposedAt      *time.Time `json:"disposed_at,omitempty"`
	FirstResponseAt *time.Time `json:"first_response_at,omitempty"`
	FollowUpAt      *time.Time `json:"follow_up_at,omitempty"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	// PhaseStart is when the clock of the current step started: receipt, the last
	// disposition, return, reopening, a reporter's reply to a follow-up, or the follow-up.
	PhaseStart time.Time `json:"phase_start"`
	// Spans is the status timeline; deadlines use it to find paused stretches.
	Spans []Span `json:"spans"`
	// DisposedBy is the unit that last disposed the report; a return goes back to it.
	DisposedBy   string   `json:"disposed_by,omitempty"`
	Instructions []string `json:"instructions,omitempty"` // of the last disposition
	// Units lists every unit that has held the report, in order.
	Units []string `json:"units"`
	// Conflicts lists events that could not be applied (stale or illegal when they
	// arrived by sync); they stay in the history until someone resolves them.
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Letters lists the letter numbers allocated to the report; a reprint reuses them.
	Letters []LetterRecord `json:"letters,omitempty"`
	Masked  bool           `json:"masked,omitempty"` // reporter identity already masked
}

// Conflict records an event kept in history but not applied.
type Conflict struct {
	EventID uuid.UUID `json:"event_id"`
	Kind    EventKind `json:"kind"`
	Reason  string    `json:"reason"`
}

// Ref is the reference users see: the LAPOR! tracking ID when known, else the agenda number.
func (r *Report) Ref() string {
	if r.TrackingID != "" {
		return r.TrackingID
	}
	return r.AgendaNo
}

// Open reports whether the report still needs work.
func (r *Report) Open() bool { return r.Status.Open() }

// ForDisplay returns a copy fit for display, export and print: an Anonim reporter's
// identity is masked. Every path that leaves the store goes through it.
// The copy is deep: a caller may change it freely without touching r.
func (r Report) ForDisplay() Report {
	if r.Confidentiality == Anonim {
		r.Reporter = r.Reporter.Masked(Anonim)
		r.Masked = true
	}
	r.NewReport = r.NewReport.clone()
	r.Spans = append([]Span(nil), r.Spans...)
	r.Units = append([]string(nil), r.Units...)
	r.Instructions = append([]string(nil), r.Instructions...)
	r.Conflicts = append([]Conflict(nil), r.Conflicts...)
	r.Letters = append([]LetterRecord(nil), r.Letters...)
	for _, t := range []**time.Time{&r.VerifiedAt, &r.DisposedAt, &r.FirstResponseAt, &r.FollowUpAt, &r.ClosedAt} {
		if *t != nil {
			*t = timePtr(**t)
		}
	}
	return r
}

// clone returns a copy of n that shares no memory with it.
func (n NewReport) clone() NewReport {
	n.Attachments = append([]Attachment(nil), n.Attachments...)
	if n.Location.Lat != nil {
		n.Location.Lat = ptrTo(*n.Location.Lat)
	}
	if n.Location.Lon != nil {
		n.Location.Lon = ptrTo(*n.Location.Lon)
	}
	return n
}

func ptrTo[T any](v T) *T { return &v }

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
