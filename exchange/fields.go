package exchange

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
)

// Fields an import reads (the keys of a Mapping). The names follow the domain's
// field names; the dates are the key moments of a report's history.
const (
	FieldTrackingID      = "tracking_id"
	FieldAgendaNo        = "agenda_no"
	FieldTitle           = "title"
	FieldBody            = "body"
	FieldClassification  = "classification"
	FieldCategory        = "category_id"
	FieldChannel         = "channel"
	FieldConfidentiality = "confidentiality"
	FieldStatus          = "status"
	FieldUnit            = "unit"
	FieldDisposedBy      = "disposed_by"
	FieldReceivedAt      = "received_at"
	FieldIncidentDate    = "incident_date"
	FieldKecamatan       = "kecamatan"
	FieldDesa            = "desa"
	FieldLocationDetail  = "location_detail"
	FieldLat             = "lat"
	FieldLon             = "lon"
	FieldReporterName    = "reporter_name"
	FieldReporterPhone   = "reporter_phone"
	FieldReporterEmail   = "reporter_email"
	FieldReporterID      = "reporter_id_number"
	FieldVerifiedAt      = "verified_at"
	FieldDisposedAt      = "disposed_at"
	FieldRespondedAt     = "first_response_at"
	FieldFollowUpAt      = "follow_up_at"
	FieldClosedAt        = "closed_at"
	FieldStatusSince     = "status_since"
)

// Export-only columns: the importer ignores them.
const (
	colID       = "id"
	colCategory = "category"
	colDeadline = "deadline"
)

// ImportFields lists the fields an import can read, in the export's column order.
var ImportFields = []string{
	FieldTrackingID, FieldAgendaNo, FieldTitle, FieldBody, FieldClassification, FieldCategory, FieldChannel,
	FieldConfidentiality, FieldStatus, FieldUnit, FieldDisposedBy, FieldReceivedAt, FieldIncidentDate,
	FieldKecamatan, FieldDesa, FieldLocationDetail, FieldLat, FieldLon,
	FieldReporterName, FieldReporterPhone, FieldReporterEmail, FieldReporterID,
	FieldVerifiedAt, FieldDisposedAt, FieldRespondedAt, FieldFollowUpAt, FieldClosedAt, FieldStatusSince,
}

func isImportField(f string) bool {
	for _, x := range ImportFields {
		if x == f {
			return true
		}
	}
	return false
}

// dateTimeFields carry a moment; incident_date is a plain date.
var dateTimeFields = map[string]bool{
	FieldReceivedAt: true, FieldVerifiedAt: true, FieldDisposedAt: true, FieldRespondedAt: true,
	FieldFollowUpAt: true, FieldClosedAt: true, FieldStatusSince: true,
}

// synonyms are header names found in the wild (LAPOR! admin lists, hand-kept
// sheets, English templates), beyond the headers this program writes in either
// language. Earlier names win: "kode kategori" before "kategori".
var synonyms = map[string][]string{
	FieldTrackingID:      {"no tiket", "nomor tiket", "no. tiket", "id pelacakan", "id laporan", "id lapor", "tracking id", "tracking number", "ticket", "tiket", "no laporan", "nomor laporan", "kode laporan", "id"},
	FieldAgendaNo:        {"no agenda", "nomor agenda", "agenda", "agenda no", "no surat masuk"},
	FieldTitle:           {"judul", "judul laporan", "perihal", "hal", "subjek", "subject", "title"},
	FieldBody:            {"isi laporan", "isi pengaduan", "isi", "uraian", "uraian laporan", "deskripsi", "laporan", "keluhan", "description", "content", "body", "text"},
	FieldClassification:  {"klasifikasi", "jenis laporan", "jenis", "classification", "type"},
	FieldCategory:        {"kode kategori", "id kategori", "kategori", "topik", "category id", "category", "topic"},
	FieldChannel:         {"saluran", "sumber", "sumber laporan", "media", "kanal", "channel", "source"},
	FieldConfidentiality: {"kerahasiaan", "sifat laporan", "sifat", "privasi", "confidentiality", "privacy"},
	FieldStatus:          {"status", "status laporan", "status penanganan", "state"},
	FieldUnit:            {"unit", "kode unit", "unit kerja", "opd", "skpd", "perangkat daerah", "instansi", "instansi tujuan", "unit code", "agency"},
	FieldDisposedBy:      {"disposisi dari", "didisposisikan oleh", "pengirim disposisi", "disposed by"},
	FieldReceivedAt:      {"tanggal diterima", "tgl diterima", "tanggal masuk", "tgl masuk", "tanggal laporan", "tgl laporan", "tanggal lapor", "waktu laporan", "tanggal", "tgl", "waktu", "date received", "received", "date"},
	FieldIncidentDate:    {"tanggal kejadian", "tgl kejadian", "waktu kejadian", "incident date"},
	FieldKecamatan:       {"kecamatan", "kec", "district"},
	FieldDesa:            {"desa kelurahan", "desa", "kelurahan", "desa kel", "village"},
	FieldLocationDetail:  {"detail lokasi", "lokasi", "lokasi kejadian", "alamat", "alamat kejadian", "location", "address"},
	FieldLat:             {"lintang", "latitude", "lat"},
	FieldLon:             {"bujur", "longitude", "lon", "lng", "long"},
	FieldReporterName:    {"nama pelapor", "pelapor", "pengadu", "nama pengadu", "nama", "reporter", "reporter name", "name"},
	FieldReporterPhone:   {"telepon pelapor", "telepon", "no telepon", "nomor telepon", "no hp", "nomor hp", "hp", "telp", "no telp", "no wa", "whatsapp", "phone"},
	FieldReporterEmail:   {"email pelapor", "surel pelapor", "email", "e mail", "surel", "reporter email"},
	FieldReporterID:      {"nik pelapor", "nik", "no ktp", "nomor ktp", "nomor induk kependudukan", "id number"},
	FieldVerifiedAt:      {"tanggal verifikasi", "tgl verifikasi", "diverifikasi", "verified"},
	FieldDisposedAt:      {"tanggal disposisi", "tgl disposisi", "disposed"},
	FieldRespondedAt:     {"tanggal tanggapan", "tanggal tanggapan pertama", "tgl tanggapan", "tanggal respon", "responded"},
	FieldFollowUpAt:      {"tanggal tindak lanjut", "tgl tindak lanjut", "followed up", "follow up date"},
	FieldClosedAt:        {"tanggal selesai", "tgl selesai", "closed", "date closed"},
	FieldStatusSince:     {"status sejak", "sejak", "status since"},
}

// extraValues are other words for enumerated values, as they appear in other
// programs' sheets; the codes and both languages' labels are always understood.
var extraValues = map[string]map[string]string{
	"classification": {"keluhan": "pengaduan", "komplain": "pengaduan", "complaint": "pengaduan", "saran": "aspirasi",
		"usulan": "aspirasi", "suggestion": "aspirasi", "informasi": "permintaan_informasi", "permintaan info": "permintaan_informasi",
		"request for information": "permintaan_informasi"},
	"channel": {"web": "website", "situs": "website", "lapor go id": "website", "sms": "sms1708", "1708": "sms1708",
		"aplikasi": "mobile_app", "android": "mobile_app", "ios": "mobile_app", "app": "mobile_app", "twitter": "social_media",
		"instagram": "social_media", "facebook": "social_media", "medsos": "social_media", "langsung": "walk_in",
		"tatap muka": "walk_in", "datang": "walk_in", "walk in": "walk_in", "telp": "phone", "telpon": "phone",
		"e mail": "email", "surat elektronik": "email"},
	"confidentiality": {"publik": "biasa", "umum": "biasa", "terbuka": "biasa", "public": "biasa", "anonymous": "anonim", "confidential": "rahasia"},
	// LAPOR!'s national outcome words, and a few more.
	"status": {"belum diproses": "baru", "belum ditindaklanjuti": "baru", "masih proses": "diproses", "proses": "diproses",
		"dalam proses": "diproses", "dihapus": "diarsipkan", "arsip": "diarsipkan", "tunda": "ditunda", "verifikasi": "terverifikasi",
		"disposisi": "didisposisikan", "tindak lanjut": "ditindaklanjuti", "closed": "selesai", "done": "selesai"},
}

// normalize makes header and value words comparable: lower case, punctuation as
// spaces, single spaces ("No. Tiket" and "no tiket" are the same).
func normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// vocab is the words an import understands: headers for each field, and the words
// of enumerated values, from both languages' translations and the lists above.
type vocab struct {
	fieldNames map[string][]string // field -> normalized header names, best first
	known      map[string]bool     // any normalized header name
	reserved   map[string]bool     // header names never guessed for a field
	values     map[string]map[string]string
}

func newVocab() (*vocab, error) {
	v := &vocab{fieldNames: map[string][]string{}, known: map[string]bool{}, values: map[string]map[string]string{}}
	var tables []map[string]string
	for _, lang := range assets.Languages {
		t, err := assets.Translation(lang)
		if err != nil {
			return nil, fmt.Errorf("vocabulary: %w", err)
		}
		tables = append(tables, t)
	}
	addName := func(field, name string) {
		n := normalize(name)
		if n == "" {
			return
		}
		for _, x := range v.fieldNames[field] {
			if x == n {
				return
			}
		}
		v.fieldNames[field] = append(v.fieldNames[field], n)
		v.known[n] = true
	}
	for _, f := range ImportFields {
		for _, t := range tables {
			addName(f, t["exchange.col."+f])
		}
		for _, s := range synonyms[f] {
			addName(f, s)
		}
	}
	v.reserved = map[string]bool{}
	for _, extra := range []string{colID, colCategory, colDeadline} {
		for _, t := range tables {
			v.known[normalize(t["exchange.col."+extra])] = true
		}
	}
	for _, t := range tables {
		// The export's own ID column holds this program's UUIDs, never a LAPOR! ID.
		v.reserved[normalize(t["exchange.col."+colID])] = true
	}
	codes := map[string][]string{
		"classification":  stringsOf(lapordesk.Classifications),
		"channel":         stringsOf(lapordesk.Channels),
		"confidentiality": stringsOf(lapordesk.Confidentialities),
		"status":          stringsOf(lapordesk.Statuses),
	}
	for kind, list := range codes {
		m := map[string]string{}
		for _, code := range list {
			m[normalize(code)] = code
			for _, t := range tables {
				if label := t[kind+"."+code]; label != "" {
					m[normalize(label)] = code
				}
			}
		}
		for word, code := range extraValues[kind] {
			if _, taken := m[normalize(word)]; !taken {
				m[normalize(word)] = code
			}
		}
		v.values[kind] = m
	}
	// A status can also be named by its national outcome (LAPOR!'s own words).
	for _, t := range tables {
		for _, o := range []lapordesk.Outcome{lapordesk.OutcomeNotProcessed, lapordesk.OutcomeInProcess, lapordesk.OutcomeFollowedUp, lapordesk.OutcomePostponed, lapordesk.OutcomeDeleted} {
			word := normalize(t["outcome."+string(o)])
			if _, taken := v.values["status"][word]; word != "" && !taken {
				v.values["status"][word] = string(outcomeStatus[o])
			}
		}
	}
	return v, nil
}

var outcomeStatus = map[lapordesk.Outcome]lapordesk.Status{
	lapordesk.OutcomeNotProcessed: lapordesk.StatusNew,
	lapordesk.OutcomeInProcess:    lapordesk.StatusInProgress,
	lapordesk.OutcomeFollowedUp:   lapordesk.StatusFollowedUp,
	lapordesk.OutcomePostponed:    lapordesk.StatusPostponed,
	lapordesk.OutcomeDeleted:      lapordesk.StatusArchived,
}

func stringsOf[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}

// value reads an enumerated value (kind: classification, channel, confidentiality,
// status) from its code, its label in either language, or a known other word.
func (v *vocab) value(kind, s string) (string, bool) {
	code, ok := v.values[kind][normalize(s)]
	return code, ok
}

// knownHeaders counts the cells that name a known column.
func (v *vocab) knownHeaders(cells []string) int {
	n := 0
	for _, c := range cells {
		if v.known[normalize(c)] {
			n++
		}
	}
	return n
}
