package letter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// FollowUpInput is what a surat tindak lanjut needs beyond the report and the office.
type FollowUpInput struct {
	Number   string         // allocated letter number, formatted (NumberPattern.Format)
	Date     lapordesk.Date // the letter's date; a reprint passes the first print's date
	Training bool           // print as a training specimen
	Sifat    Sifat          // empty: the settings' default; a Rahasia report is always Rahasia
	Lampiran string         // empty: the settings' default, else "-"
	Hal      string         // empty: "Tindak Lanjut Laporan SP4N-LAPOR! Nomor <ref>"
	// To are the addressee lines after "Yth."; empty addresses the reporter (for an
	// Anonim report: the anonymous reporter, by report number).
	To []string
	// Body replaces the template-filled body when the user edited it for this letter.
	Body string
}

// followUpBody is a resolved surat tindak lanjut.
type followUpBody struct {
	number, dateline, sifat, lampiran, hal string
	to                                     []string
	body                                   string
	tembusan                               []string
}

// FollowUp builds a surat tindak lanjut for the report in v from its latest follow-up:
// the body is the settings' template (or DefaultFollowUpTemplate) filled from the
// report, or in.Body when given. Every problem (settings, template, missing follow-up,
// an Anonim identity in the text) is reported here, before anything is printed.
func FollowUp(o Office, v lapordesk.View, in FollowUpInput) (*Letter, error) {
	if err := o.validate(false); err != nil {
		return nil, fmt.Errorf("surat tindak lanjut: settings: %w", err)
	}
	f, err := reportFacts(v, o.Settings.Location)
	if err != nil {
		return nil, fmt.Errorf("surat tindak lanjut: %w", err)
	}
	if err := checkLetterInput(in.Number, in.Date); err != nil {
		return nil, fmt.Errorf("surat tindak lanjut: %w", err)
	}
	vals := f.values()
	vals[PhUnit] = strings.TrimSpace(o.Letterhead.Unit)
	vals[PhPemda] = strings.TrimSpace(o.Letterhead.Pemda)
	vals[PhNomorSurat] = in.Number
	vals[PhTanggalSurat] = FormatDateID(in.Date)
	vals[PhTindakLanjut], vals[PhTanggalTindakLanjut] = "", ""
	followUp, hasFollowUp := lastEvent(v, lapordesk.EvFollowedUp)
	if hasFollowUp {
		vals[PhTindakLanjut] = strings.TrimSpace(followUp.Payload.Text)
		vals[PhTanggalTindakLanjut] = FormatDateID(f.date(&followUp.At))
	}

	body := in.Body
	if isBlank(body) {
		src := o.Settings.Template
		if isBlank(src) {
			src = DefaultFollowUpTemplate
		}
		t, err := ParseTemplate(src)
		if err != nil {
			return nil, fmt.Errorf("surat tindak lanjut: %w", err)
		}
		for _, ph := range t.Placeholders() {
			if (ph == PhTindakLanjut || ph == PhTanggalTindakLanjut) && !hasFollowUp {
				return nil, fmt.Errorf("surat tindak lanjut: {%s}: %w", ph, &lapordesk.FieldError{Field: "report", Problem: ProblemNoFollowUp, Value: f.r.Ref()})
			}
		}
		if body, err = t.Fill(vals); err != nil {
			return nil, fmt.Errorf("surat tindak lanjut: %w", err)
		}
	}
	if err := checkPrintable("body", body, maxPrintBody); err != nil {
		return nil, fmt.Errorf("surat tindak lanjut: %w", err)
	}

	s := o.Settings
	b := &followUpBody{number: in.Number, body: body, tembusan: s.Tembusan}
	b.dateline = PlaceDateID(s.Place, in.Date)
	b.sifat = string(firstSifat(in.Sifat, s.Sifat))
	if in.Sifat != "" && !in.Sifat.Valid() {
		return nil, fmt.Errorf("surat tindak lanjut: %w", &lapordesk.FieldError{Field: "sifat", Problem: lapordesk.ProblemUnknown, Value: shortName(string(in.Sifat))})
	}
	if f.r.Confidentiality == lapordesk.Rahasia {
		b.sifat = string(SifatRahasia)
	}
	b.lampiran = firstNonBlank(in.Lampiran, s.Lampiran, "-")
	b.hal = firstNonBlank(in.Hal, "Tindak Lanjut Laporan SP4N-LAPOR! Nomor "+f.r.Ref())
	b.to = nonBlank(in.To)
	if len(b.to) == 0 {
		if f.r.Confidentiality == lapordesk.Anonim {
			b.to = []string{"Pelapor SP4N-LAPOR! Nomor " + f.r.Ref(), "di Tempat"}
		} else {
			b.to = []string{"Sdr. " + firstNonBlank(f.reporter(), "Pelapor"), "di Tempat"}
		}
	}
	fields := map[string]string{"hal": b.hal, "lampiran": b.lampiran}
	for i, t := range b.to {
		fields["to."+strconv.Itoa(i)] = t
	}
	for name, t := range fields {
		if err := checkPrintable(name, t, maxPrintField); err != nil {
			return nil, fmt.Errorf("surat tindak lanjut: %w", err)
		}
	}

	c := letterContent(KindTindakLanjut, o, in.Number, in.Date, in.Training, &f.r)
	c.add("dateline", b.dateline)
	c.add("sifat", b.sifat)
	c.add("lampiran", b.lampiran)
	c.add("hal", b.hal)
	c.list("to", b.to)
	c.add("body", b.body)
	c.signer(o.Signer)
	c.list("tembusan", b.tembusan)
	if err := f.leak(c); err != nil {
		return nil, fmt.Errorf("surat tindak lanjut: %w", err)
	}
	l, err := c.finish(o)
	if err != nil {
		return nil, fmt.Errorf("surat tindak lanjut: %w", err)
	}
	return l, nil
}

func decodeFollowUp(f contentFields, l *Letter) error {
	b := &followUpBody{
		number: l.Number, dateline: f.get("dateline"), sifat: f.get("sifat"), lampiran: f.get("lampiran"),
		hal: f.get("hal"), to: f.list("to"), body: f.get("body"), tembusan: f.list("tembusan"),
	}
	l.rahasia = b.sifat == string(SifatRahasia)
	l.Title = b.hal
	l.body = b
	return nil
}

// checkLetterInput checks what every numbered letter needs.
func checkLetterInput(number string, date lapordesk.Date) error {
	if date.IsZero() || date.Month < 1 || date.Month > 12 || date.Day < 1 || date.Day > 31 || date.Year < 1900 || date.Year > 9999 {
		return &lapordesk.FieldError{Field: "date", Problem: lapordesk.ProblemRange, Value: date.String()}
	}
	if err := lapordesk.CheckText("number", number, false, 100, false); err != nil {
		return err
	}
	return nil
}

func firstSifat(list ...Sifat) Sifat {
	for _, s := range list {
		if s.Valid() {
			return s
		}
	}
	return SifatBiasa
}

func firstNonBlank(list ...string) string {
	for _, s := range list {
		if !isBlank(s) {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func nonBlank(list []string) []string {
	var out []string
	for _, s := range list {
		if !isBlank(s) {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

func (b *followUpBody) draw(w *writer) {
	w.kop()
	w.font("", 12)
	lh := w.lh()

	// Place and date at the right, in the signature column.
	sigX := w.x0 + w.width()*0.5
	dl := w.clean(b.dateline)
	if w.strWidth(dl) <= w.x1-sigX {
		w.cell(sigX, w.x1-sigX, dl, "L")
		w.setY(w.y() + lh)
	} else {
		for _, line := range w.wrap(dl, w.width()) {
			w.ensure(lh)
			w.cell(w.x0, w.width(), line, "R")
			w.setY(w.y() + lh)
		}
	}
	w.setY(w.y() + lh*0.5)

	labelW := w.strWidth("Lampiran") + 2
	headW := w.width()
	number := b.number
	if isBlank(number) {
		number = "-"
	}
	w.labelled(w.x0, labelW, headW, "Nomor", number)
	w.labelled(w.x0, labelW, headW, "Sifat", b.sifat)
	w.labelled(w.x0, labelW, headW, "Lampiran", b.lampiran)
	w.labelled(w.x0, labelW, headW, "Hal", b.hal)
	w.setY(w.y() + lh)

	// "Yth." and the addressee lines, aligned after it.
	yth := "Yth. "
	ythW := w.strWidth(yth)
	for i, line := range b.to {
		for j, l := range w.wrap(w.clean(line), w.width()-ythW) {
			w.ensure(lh)
			if i == 0 && j == 0 {
				w.cell(w.x0, ythW, strings.TrimSpace(yth), "L")
			}
			w.cell(w.x0+ythW, w.width()-ythW, l, "L")
			w.setY(w.y() + lh)
		}
	}
	w.setY(w.y() + lh)

	// The body, indented to the header values' column as Pemda letters set it.
	indent := labelW + w.strWidth(" : ")
	w.paragraphs(w.x0+indent, w.width()-indent, b.body, true, lh*0.5)
	w.setY(w.y() + lh)

	w.signature(sigX, w.x0, signatureBlock{})

	if len(b.tembusan) > 0 {
		w.setY(w.y() + lh*0.5)
		w.font("", 11)
		lh = w.lh()
		w.ensure(2 * lh)
		w.cell(w.x0, w.width(), "Tembusan:", "L")
		w.setY(w.y() + lh)
		numW := 0.0
		if len(b.tembusan) > 1 {
			numW = w.strWidth(fmt.Sprintf("%d. ", len(b.tembusan)))
		}
		for i, t := range b.tembusan {
			text := w.clean(t)
			if len(b.tembusan) > 1 {
				if i == len(b.tembusan)-1 {
					text = strings.TrimRight(text, ";.") + "."
				} else {
					text = strings.TrimRight(text, ";.") + ";"
				}
			}
			for j, line := range w.wrap(text, w.width()-numW) {
				w.ensure(lh)
				if j == 0 && numW > 0 {
					w.cell(w.x0, numW, fmt.Sprintf("%d.", i+1), "L")
				}
				w.cell(w.x0+numW, w.width()-numW, line, "L")
				w.setY(w.y() + lh)
			}
		}
	}
}
