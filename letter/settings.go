package letter

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/lapordesk/lapordesk"
)

// Kind names a kind of letter. Letter numbers are counted per kind, unit and year;
// the values match lapordesk.LetterRecord.Kind.
type Kind string

const (
	KindDisposisi    Kind = "disposisi"     // lembar disposisi
	KindTindakLanjut Kind = "tindak-lanjut" // surat tindak lanjut
	KindRekap        Kind = "rekap"         // period recap
)

// Kinds lists every kind.
var Kinds = []Kind{KindDisposisi, KindTindakLanjut, KindRekap}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindDisposisi || k == KindTindakLanjut || k == KindRekap }

// Paper is the sheet a letter is printed on.
type Paper string

const (
	PaperA4 Paper = "A4" // 210 x 297 mm
	PaperF4 Paper = "F4" // 215 x 330 mm, folio as Indonesian offices buy it
)

// Size returns the portrait width and height of p in millimetres; "" is A4.
func (p Paper) Size() (w, h float64, err error) {
	switch p {
	case PaperA4, "":
		return 210, 297, nil
	case PaperF4:
		return 215, 330, nil
	}
	return 0, 0, &lapordesk.FieldError{Field: "paper", Problem: lapordesk.ProblemUnknown, Value: shortName(string(p))}
}

// halfSize is the half sheet a lembar disposisi is printed on in practice: the sheet
// cut across, used portrait (A4 gives A5; F4 gives 165 x 215 mm, "setengah folio").
func (p Paper) halfSize() (w, h float64, err error) {
	w, h, err = p.Size()
	return h / 2, w, err
}

// Margins are the page margins in millimetres.
type Margins struct {
	Top    float64 `json:"top"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Bottom float64 `json:"bottom"`
}

// DefaultMargins follow tata naskah dinas practice: 2 cm at the top, 3 cm at the left
// (for binding), 2 cm at the right and bottom.
func DefaultMargins() Margins { return Margins{Top: 20, Left: 30, Right: 20, Bottom: 20} }

// halfMargins are the margins of a half-sheet disposition form: three fifths of the
// letter's, at least 10 mm, so the form keeps a usable width on A5.
func (m Margins) halfMargins() Margins {
	f := func(v float64) float64 { return max(10, v*0.6) }
	return Margins{Top: f(m.Top), Left: f(m.Left), Right: f(m.Right), Bottom: f(m.Bottom)}
}

func (m Margins) orDefault() Margins {
	if m == (Margins{}) {
		return DefaultMargins()
	}
	return m
}

// Letterhead is the kop surat of the unit, from its settings.
type Letterhead struct {
	// Pemda is the regional government, "Kabupaten Barru"; the kop prints
	// "PEMERINTAH KABUPATEN BARRU".
	Pemda   string `json:"pemda"`
	Unit    string `json:"unit"`    // "Dinas Komunikasi dan Informatika"
	Address string `json:"address"` // street, town and postal code
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Website string `json:"website,omitempty"`
	// Logo is the Pemda's emblem as PNG or JPEG bytes; empty prints no logo.
	Logo    []byte  `json:"logo,omitempty"`
	Paper   Paper   `json:"paper"`   // A4 or F4
	Margins Margins `json:"margins"` // zero: DefaultMargins
}

// Signer is the official who signs: the unit head, or whoever acts for them.
type Signer struct {
	Jabatan string `json:"jabatan"`           // "Kepala Dinas Komunikasi dan Informatika"
	Name    string `json:"name,omitempty"`    // full name with degrees; empty leaves a blank line to fill by hand
	Pangkat string `json:"pangkat,omitempty"` // "Pembina Tingkat I (IV/b)"
	NIP     string `json:"nip,omitempty"`     // 18 digits, printed in groups
}

// Sifat is the handling class printed on a letter.
type Sifat string

const (
	SifatBiasa        Sifat = "Biasa"
	SifatSegera       Sifat = "Segera"
	SifatSangatSegera Sifat = "Sangat Segera"
	SifatRahasia      Sifat = "Rahasia"
)

// Sifats lists the classes in the order a form offers them.
var Sifats = []Sifat{SifatBiasa, SifatSegera, SifatSangatSegera, SifatRahasia}

// Valid reports whether s is a known class.
func (s Sifat) Valid() bool {
	for _, x := range Sifats {
		if s == x {
			return true
		}
	}
	return false
}

// Settings are the unit's letter settings.
type Settings struct {
	// NumberPattern writes letter numbers; empty is DefaultNumberPattern.
	NumberPattern string `json:"number_pattern"`
	// ClassificationCode fills {kode} (Permendagri 83/2022), e.g. "000.1.4";
	// ClassificationCodes overrides it per kind of letter.
	ClassificationCode  string          `json:"classification_code"`
	ClassificationCodes map[Kind]string `json:"classification_codes,omitempty"`
	UnitCode            string          `json:"unit_code"` // fills {unit}, e.g. "DISKOMINFO"
	// Template is the body of a surat tindak lanjut; empty is DefaultFollowUpTemplate.
	Template string   `json:"template,omitempty"`
	Place    string   `json:"place"`              // dateline place, "Barru"
	Tembusan []string `json:"tembusan,omitempty"` // copies to, in order
	Sifat    Sifat    `json:"sifat,omitempty"`    // default class; empty is Biasa
	Lampiran string   `json:"lampiran,omitempty"` // default attachments line; empty prints "-"
	// Recipients are the choices of "Diteruskan kepada Sdr." on a lembar disposisi:
	// units by code (the disposition's target unit is ticked) or officials.
	Recipients []lapordesk.Unit `json:"recipients,omitempty"`
	// Instructions are the choices of "Dengan hormat harap", on the sheet and in the
	// disposition form; empty is lapordesk.DefaultInstructions.
	Instructions []string `json:"instructions,omitempty"`
	// DisposisiHalfSheet prints the lembar disposisi on half of the paper, as offices do.
	DisposisiHalfSheet bool `json:"disposisi_half_sheet,omitempty"`
	// VerifyURL, when set, is what the QR code holds, with {kode} replaced by the
	// verification code (e.g. the hub's verification page); otherwise the QR code
	// holds the number and the code as text.
	VerifyURL string `json:"verify_url,omitempty"`
	// Location is the office's time zone: a report's dates are its dates there.
	// Nil is UTC.
	Location *time.Location `json:"-"`
}

// Pattern returns the number pattern for letters of kind k, bound to its
// classification code. Without a pattern of its own the unit gets
// DefaultNumberPattern, or DefaultNumberPatternNoCode until it sets a classification
// code: a code is the unit's to choose, and a made-up one on an official letter is
// worse than none.
func (s Settings) Pattern(k Kind) (*NumberPattern, error) {
	code := s.codeFor(k)
	src := s.NumberPattern
	if strings.TrimSpace(src) == "" {
		src = DefaultNumberPattern
		if strings.TrimSpace(code) == "" {
			src = DefaultNumberPatternNoCode
		}
	}
	return ParseNumberPattern(src, code)
}

// codeFor returns the classification code of letters of kind k.
func (s Settings) codeFor(k Kind) string {
	if c, ok := s.ClassificationCodes[k]; ok && strings.TrimSpace(c) != "" {
		return c
	}
	return s.ClassificationCode
}

// Office is everything about the sender that a letter needs: its letterhead, its
// letter settings and who signs.
type Office struct {
	Letterhead Letterhead `json:"letterhead"`
	Settings   Settings   `json:"settings"`
	Signer     Signer     `json:"signer"`
}

// Limits on settings text, in characters.
const (
	maxLine     = 300 // one printed line: a name, an address
	maxTembusan = 20  // copies listed
	maxChoices  = 40  // recipients or instructions offered on a disposition sheet
	maxLogo     = 8 << 20
)

// Validate checks the office settings; the errors name each wrong field so the settings
// form can show them, and nothing is printed with settings that fail.
func (o Office) Validate() error { return o.validate(true) }

// validate checks the settings; a letter builder checks the logo's header only, and
// the document decodes it in full once per batch.
func (o Office) validate(fullLogo bool) error {
	var errs lapordesk.ValidationErrors
	add := func(err error) {
		var fe *lapordesk.FieldError
		var ve lapordesk.ValidationErrors
		switch {
		case err == nil:
		case errors.As(err, &ve):
			errs = append(errs, ve...)
		case errors.As(err, &fe):
			errs = append(errs, fe)
		default:
			errs = append(errs, &lapordesk.FieldError{Field: "settings", Problem: lapordesk.ProblemFormat, Value: err.Error()})
		}
	}
	h := o.Letterhead
	add(lapordesk.CheckText("letterhead.pemda", h.Pemda, true, maxLine, false))
	add(lapordesk.CheckText("letterhead.unit", h.Unit, true, maxLine, false))
	add(lapordesk.CheckText("letterhead.address", h.Address, false, maxLine, false))
	add(lapordesk.CheckText("letterhead.phone", h.Phone, false, 100, false))
	add(lapordesk.CheckText("letterhead.email", h.Email, false, 100, false))
	add(lapordesk.CheckText("letterhead.website", h.Website, false, 100, false))
	if _, _, err := h.Paper.Size(); err != nil {
		add(err)
	}
	add(checkMargins(h.Margins.orDefault(), h.Paper))
	if len(h.Logo) > 0 {
		check := ValidateLogo
		if !fullLogo {
			check = checkLogoHeader
		}
		if err := check(h.Logo); err != nil {
			errs = append(errs, &lapordesk.FieldError{Field: "letterhead.logo", Problem: lapordesk.ProblemFormat, Value: err.Error()})
		}
	}

	sg := o.Signer
	add(lapordesk.CheckText("signer.jabatan", sg.Jabatan, true, maxLine, false))
	add(lapordesk.CheckText("signer.name", sg.Name, false, maxLine, false))
	add(lapordesk.CheckText("signer.pangkat", sg.Pangkat, false, maxLine, false))
	add(lapordesk.CheckText("signer.nip", sg.NIP, false, 40, false))
	if strings.IndexFunc(sg.NIP, func(r rune) bool { return !unicode.IsDigit(r) && r != ' ' }) >= 0 {
		errs = append(errs, &lapordesk.FieldError{Field: "signer.nip", Problem: lapordesk.ProblemFormat, Value: shortName(sg.NIP)})
	}

	s := o.Settings
	for _, k := range Kinds {
		if _, err := s.Pattern(k); err != nil {
			var pe *PlaceholderError
			if errors.As(err, &pe) && pe.Name == NumKode && pe.Line == 0 {
				// The pattern is right; the code that fills {kode} is missing or wrong.
				fe := &lapordesk.FieldError{Field: "settings.classification_code", Problem: lapordesk.ProblemRequired}
				if code := s.codeFor(k); !isBlank(code) {
					fe.Problem, fe.Value = lapordesk.ProblemFormat, shortName(code)
				}
				errs = append(errs, fe)
			} else {
				errs = append(errs, placeholderField("settings.number_pattern", err))
			}
			break
		}
	}
	for k := range s.ClassificationCodes {
		if !k.Valid() {
			errs = append(errs, &lapordesk.FieldError{Field: "settings.classification_codes", Problem: lapordesk.ProblemUnknown, Value: shortName(string(k))})
		}
	}
	add(lapordesk.CheckText("settings.unit_code", s.UnitCode, false, 40, false))
	if u := strings.TrimSpace(s.UnitCode); strings.ContainsAny(u, "/{}") || strings.IndexFunc(u, unicode.IsSpace) >= 0 {
		// Format would refuse it at the first print; say so when it is set.
		errs = append(errs, &lapordesk.FieldError{Field: "settings.unit_code", Problem: lapordesk.ProblemFormat, Value: shortName(u)})
	}
	if s.Template != "" {
		if _, err := ParseTemplate(s.Template); err != nil {
			errs = append(errs, placeholderField("settings.template", err))
		}
	}
	add(lapordesk.CheckText("settings.place", s.Place, false, 100, false))
	add(checkList("settings.tembusan", s.Tembusan, maxTembusan))
	if s.Sifat != "" && !s.Sifat.Valid() {
		errs = append(errs, &lapordesk.FieldError{Field: "settings.sifat", Problem: lapordesk.ProblemUnknown, Value: shortName(string(s.Sifat))})
	}
	add(lapordesk.CheckText("settings.lampiran", s.Lampiran, false, 100, false))
	if len(s.Recipients) > maxChoices {
		errs = append(errs, &lapordesk.FieldError{Field: "settings.recipients", Problem: lapordesk.ProblemTooLong, Limit: maxChoices, Length: len(s.Recipients)})
	}
	for _, u := range s.Recipients {
		add(lapordesk.CheckText("settings.recipients", u.Name, true, maxLine, false))
		add(lapordesk.CheckText("settings.recipients", u.Code, false, 40, false))
	}
	add(checkList("settings.instructions", s.Instructions, maxChoices))
	if s.VerifyURL != "" {
		add(lapordesk.CheckText("settings.verify_url", s.VerifyURL, false, 500, false))
		if !strings.Contains(s.VerifyURL, "{kode}") {
			errs = append(errs, &lapordesk.FieldError{Field: "settings.verify_url", Problem: ProblemMissingPlaceholder, Value: "{kode}"})
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkList(field string, list []string, max int) error {
	if len(list) > max {
		return &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemTooLong, Limit: max, Length: len(list)}
	}
	for _, v := range list {
		if err := lapordesk.CheckText(field, v, true, maxLine, false); err != nil {
			return err
		}
	}
	return nil
}

func checkMargins(m Margins, p Paper) error {
	w, h, err := p.Size()
	if err != nil {
		return nil // reported with the paper
	}
	for _, v := range []struct {
		name string
		mm   float64
	}{{"top", m.Top}, {"left", m.Left}, {"right", m.Right}, {"bottom", m.Bottom}} {
		if !(v.mm >= 5 && v.mm <= 50) {
			return &lapordesk.FieldError{Field: "letterhead.margins." + v.name, Problem: lapordesk.ProblemRange, Value: fmt.Sprint(v.mm)}
		}
	}
	// A letter needs room for its kop and signature block; the half-sheet disposition
	// uses reduced margins (halfMargins), so the full sheet is the one to check.
	if w-m.Left-m.Right < 100 || h-m.Top-m.Bottom < 150 {
		return &lapordesk.FieldError{Field: "letterhead.margins", Problem: lapordesk.ProblemRange, Value: fmt.Sprintf("%g/%g/%g/%g", m.Top, m.Left, m.Right, m.Bottom)}
	}
	return nil
}

// WithProfile fills the office settings left empty from the desk's profile: the Pemda
// and unit names of the letterhead, the dateline place, the unit code of letter
// numbers (in capitals, as numbers write it), the office's time zone, and the
// signer's title as the head of the unit ("Kepala Dinas Kesehatan").
func (o Office) WithProfile(p lapordesk.Profile) (Office, error) {
	if isBlank(o.Letterhead.Pemda) {
		o.Letterhead.Pemda = p.PemdaName
	}
	if isBlank(o.Letterhead.Unit) {
		o.Letterhead.Unit = p.UnitName
	}
	if isBlank(o.Settings.Place) {
		o.Settings.Place = p.Place
	}
	if isBlank(o.Settings.UnitCode) {
		o.Settings.UnitCode = strings.ToUpper(p.UnitCode)
	}
	if isBlank(o.Signer.Jabatan) && !isBlank(o.Letterhead.Unit) {
		o.Signer.Jabatan = "Kepala " + strings.TrimSpace(o.Letterhead.Unit)
	}
	if o.Settings.Location == nil && p.Timezone != "" {
		loc, err := time.LoadLocation(p.Timezone)
		if err != nil {
			return o, fmt.Errorf("letter settings: time zone %q: %v: %w", shortName(p.Timezone), err, lapordesk.ErrInvalid)
		}
		o.Settings.Location = loc
	}
	return o, nil
}
