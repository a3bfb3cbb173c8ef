package letter

import (
	"fmt"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// Placeholders of a letter body template, filled from the report and its follow-up.
// The reporter's name is already masked for an Anonim report.
const (
	PhNomorLaporan        = "nomor_laporan"         // the reference users see: LAPOR! ID, else agenda number
	PhIDLapor             = "id_lapor"              // LAPOR! tracking ID, "-" when not yet assigned
	PhNomorAgenda         = "nomor_agenda"          // local agenda number
	PhJudul               = "judul"                 // title of the report
	PhIsi                 = "isi"                   // body of the report
	PhKlasifikasi         = "klasifikasi"           // Pengaduan / Aspirasi / Permintaan Informasi
	PhKategori            = "kategori"              // category path
	PhLokasi              = "lokasi"                // location of the incident
	PhTanggalKejadian     = "tanggal_kejadian"      // incident date, Indonesian
	PhTanggalLaporan      = "tanggal_laporan"       // date received, Indonesian
	PhPelapor             = "pelapor"               // reporter's name; "Anonim" for Anonim reports
	PhTindakLanjut        = "tindak_lanjut"         // text of the latest follow-up
	PhTanggalTindakLanjut = "tanggal_tindak_lanjut" // date of the latest follow-up
	PhUnit                = "unit"                  // name of the unit writing the letter
	PhPemda               = "pemda"                 // e.g. Kabupaten Barru
	PhNomorSurat          = "nomor_surat"           // this letter's number
	PhTanggalSurat        = "tanggal_surat"         // this letter's date
)

var templatePlaceholders = []string{
	PhNomorLaporan, PhIDLapor, PhNomorAgenda, PhJudul, PhIsi, PhKlasifikasi, PhKategori, PhLokasi,
	PhTanggalKejadian, PhTanggalLaporan, PhPelapor, PhTindakLanjut, PhTanggalTindakLanjut,
	PhUnit, PhPemda, PhNomorSurat, PhTanggalSurat,
}

// TemplatePlaceholders lists the names a body template may use, for the editor's help.
func TemplatePlaceholders() []string { return append([]string(nil), templatePlaceholders...) }

// DefaultFollowUpTemplate is the body of a surat tindak lanjut in the usual wording of
// Pemda replies to SP4N-LAPOR! reports. Paragraphs are separated by a blank line.
const DefaultFollowUpTemplate = `Menindaklanjuti laporan Saudara melalui SP4N-LAPOR! nomor {nomor_laporan} tanggal {tanggal_laporan} perihal “{judul}”, bersama ini kami sampaikan tindak lanjut {unit} sebagai berikut:

{tindak_lanjut}

Apabila Saudara masih memerlukan penjelasan, Saudara dapat menyampaikannya kembali melalui SP4N-LAPOR! dengan menyebutkan nomor laporan tersebut di atas.

Demikian kami sampaikan. Atas perhatian dan partisipasi Saudara dalam pengawasan penyelenggaraan pelayanan publik, kami ucapkan terima kasih.`

// Template is an editable letter body with named placeholders such as {judul}.
// "{{" and "}}" write literal braces.
type Template struct {
	src  string
	segs []segment
}

// ParseTemplate checks a body template: every placeholder must be known and every
// brace balanced; the error names the placeholder or the brace and where it is, so
// it is shown when the template is saved, before anything is printed.
func ParseTemplate(text string) (*Template, error) {
	if strings.TrimSpace(text) == "" {
		return nil, &PlaceholderError{Source: "template", Problem: ProblemBadText, Detail: "the template is empty"}
	}
	segs, err := scanPlaceholders("template", text, templatePlaceholders, nil)
	if err != nil {
		return nil, err
	}
	for _, s := range segs {
		if !s.isVar {
			if err := lapordesk.CheckText("template", s.lit, false, maxSourceLen, true); err != nil {
				return nil, &PlaceholderError{Source: "template", Problem: ProblemBadText, Detail: err.Error()}
			}
		}
	}
	return &Template{src: text, segs: segs}, nil
}

// String returns the template text as given.
func (t *Template) String() string { return t.src }

// Placeholders returns the names the template uses, in order of first use.
func (t *Template) Placeholders() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range t.segs {
		if s.isVar && !seen[s.name] {
			seen[s.name] = true
			out = append(out, s.name)
		}
	}
	return out
}

// Fill writes the template with values. Every placeholder the template uses must have
// a value (it may be empty); a missing one is an error that names it.
func (t *Template) Fill(values map[string]string) (string, error) {
	var b strings.Builder
	for _, s := range t.segs {
		if !s.isVar {
			b.WriteString(s.lit)
			continue
		}
		v, ok := values[s.name]
		if !ok {
			return "", fmt.Errorf("fill template: no value for {%s}: %w", s.name, lapordesk.ErrInvalid)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}
