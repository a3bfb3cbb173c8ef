package letter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// DisposisiInput is what a lembar disposisi needs beyond the report and the office.
type DisposisiInput struct {
	Number   string         // the sheet's number, if the unit numbers them; may be empty
	Date     lapordesk.Date // the date at the signature; zero is the disposition's date
	Training bool
	// Sifat is ticked on the sheet (Sangat Segera, Segera, Rahasia); a Rahasia report
	// ticks Rahasia whatever is chosen.
	Sifat Sifat
	// HalfSheet overrides Settings.DisposisiHalfSheet when set.
	HalfSheet *bool
}

type disposisiBody struct {
	number     string
	dateline   string
	from       string
	suratNo    string
	suratDate  string
	received   string
	agenda     string
	sifat      map[Sifat]bool
	hal        string
	recipients []choice
	instr      []choice
	note       string
	due        string
}

type choice struct {
	label string
	on    bool
}

// lapor channels are the ones through which a report comes from SP4N-LAPOR! itself.
var laporChannels = map[lapordesk.Channel]bool{
	lapordesk.ChannelWebsite: true, lapordesk.ChannelSMS: true, lapordesk.ChannelMobileApp: true, lapordesk.ChannelSocialMedia: true,
}

// Disposisi builds the lembar disposisi of the report's latest disposition: every
// field of the sheet, the recipients and instructions as checkboxes with the chosen
// ones ticked, the note, and the signer.
func Disposisi(o Office, v lapordesk.View, in DisposisiInput) (*Letter, error) {
	if err := o.validate(false); err != nil {
		return nil, fmt.Errorf("lembar disposisi: settings: %w", err)
	}
	f, err := reportFacts(v, o.Settings.Location)
	if err != nil {
		return nil, fmt.Errorf("lembar disposisi: %w", err)
	}
	disp, ok := lastEvent(v, lapordesk.EvDisposed)
	if !ok {
		return nil, fmt.Errorf("lembar disposisi: %w", &lapordesk.FieldError{Field: "report", Problem: ProblemNotDisposed, Value: f.r.Ref()})
	}
	date := in.Date
	if date.IsZero() {
		date = f.date(&disp.At)
	}
	if err := checkLetterInput(in.Number, date); err != nil {
		return nil, fmt.Errorf("lembar disposisi: %w", err)
	}
	if in.Sifat != "" && !in.Sifat.Valid() {
		return nil, fmt.Errorf("lembar disposisi: %w", &lapordesk.FieldError{Field: "sifat", Problem: lapordesk.ProblemUnknown, Value: shortName(string(in.Sifat))})
	}
	r := f.r
	b := &disposisiBody{
		number:    in.Number,
		dateline:  PlaceDateID(o.Settings.Place, date),
		suratNo:   firstNonBlank(r.TrackingID, "-"),
		suratDate: FormatDateID(f.date(&r.ReceivedAt)),
		received:  FormatDateID(f.date(&disp.At)),
		agenda:    firstNonBlank(r.AgendaNo, "-"),
		sifat:     map[Sifat]bool{},
		hal:       firstNonBlank(r.Title, "-"),
		note:      strings.TrimSpace(disp.Payload.Text),
	}
	via := labelOr(channelLabels, r.Channel)
	if laporChannels[r.Channel] {
		via = "SP4N-LAPOR! (" + via + ")"
	}
	b.from = firstNonBlank(f.reporter(), "-") + ", melalui " + via
	if in.Sifat != "" {
		b.sifat[in.Sifat] = true
	}
	if r.Confidentiality == lapordesk.Rahasia {
		b.sifat[SifatRahasia] = true
	}
	if !v.Deadline.Due.IsZero() {
		b.due = FormatDateID(v.Deadline.Due)
	}

	target := strings.TrimSpace(disp.Payload.ToUnit)
	found := false
	for _, u := range o.Settings.Recipients {
		on := target != "" && strings.EqualFold(strings.TrimSpace(u.Code), target)
		found = found || on
		b.recipients = append(b.recipients, choice{strings.TrimSpace(u.Name), on})
	}
	if !found && target != "" {
		b.recipients = append(b.recipients, choice{target, true})
	}
	instr := lapordesk.InstructionChoices(o.Settings.Instructions)
	chosen := map[string]bool{}
	for _, s := range disp.Payload.Instructions {
		chosen[normChoice(s)] = true
	}
	for _, s := range instr {
		b.instr = append(b.instr, choice{strings.TrimSpace(s), chosen[normChoice(s)]})
		delete(chosen, normChoice(s))
	}
	// Instructions typed freely at disposition are printed too, ticked, in their order.
	for _, s := range disp.Payload.Instructions {
		if chosen[normChoice(s)] {
			b.instr = append(b.instr, choice{strings.TrimSpace(s), true})
			delete(chosen, normChoice(s))
		}
	}
	for name, s := range map[string]string{"surat_dari": b.from, "hal": b.hal, "nomor_surat": b.suratNo, "agenda_no": b.agenda} {
		if err := checkPrintable(name, s, maxPrintField); err != nil {
			return nil, fmt.Errorf("lembar disposisi: %w", err)
		}
	}
	for _, c := range b.instr {
		if err := checkPrintable("instructions", c.label, maxPrintBody); err != nil {
			return nil, fmt.Errorf("lembar disposisi: %w", err)
		}
	}
	if err := checkPrintable("note", b.note, maxPrintBody); err != nil {
		return nil, fmt.Errorf("lembar disposisi: %w", err)
	}

	c := letterContent(KindDisposisi, o, in.Number, date, in.Training, &r)
	c.add("from", b.from)
	c.add("surat.number", b.suratNo)
	c.add("surat.date", b.suratDate)
	c.add("received", b.received)
	c.add("agenda", b.agenda)
	for _, s := range []Sifat{SifatSangatSegera, SifatSegera, SifatRahasia} {
		c.add("sifat."+string(s), strconv.FormatBool(b.sifat[s]))
	}
	c.add("hal", b.hal)
	for i, ch := range b.recipients {
		c.add("to."+strconv.Itoa(i), ch.label+"|"+strconv.FormatBool(ch.on))
	}
	for i, ch := range b.instr {
		c.add("instruction."+strconv.Itoa(i), ch.label+"|"+strconv.FormatBool(ch.on))
	}
	c.add("note", b.note)
	c.add("due", b.due)
	c.add("dateline", b.dateline)
	half := o.Settings.DisposisiHalfSheet
	if in.HalfSheet != nil {
		half = *in.HalfSheet
	}
	c.add("half", strconv.FormatBool(half))
	c.signer(o.Signer)
	if err := f.leak(c); err != nil {
		return nil, fmt.Errorf("lembar disposisi: %w", err)
	}
	l, err := c.finish(o)
	if err != nil {
		return nil, fmt.Errorf("lembar disposisi: %w", err)
	}
	return l, nil
}

func decodeDisposisi(f contentFields, l *Letter) error {
	b := &disposisiBody{
		number: l.Number, dateline: f.get("dateline"), from: f.get("from"), suratNo: f.get("surat.number"),
		suratDate: f.get("surat.date"), received: f.get("received"), agenda: f.get("agenda"), sifat: map[Sifat]bool{},
		hal: f.get("hal"), recipients: decodeChoices(f.list("to")), instr: decodeChoices(f.list("instruction")),
		note: f.get("note"), due: f.get("due"),
	}
	for _, s := range []Sifat{SifatSangatSegera, SifatSegera, SifatRahasia} {
		b.sifat[s] = f.get("sifat."+string(s)) == "true"
	}
	l.rahasia = b.sifat[SifatRahasia]
	l.half = f.get("half") == "true"
	l.Title = "Lembar Disposisi " + l.Ref
	l.body = b
	return nil
}

// decodeChoices reads "label|true" values; the label may itself hold "|".
func decodeChoices(list []string) []choice {
	var out []choice
	for _, v := range list {
		i := strings.LastIndexByte(v, '|')
		if i < 0 {
			out = append(out, choice{label: v})
			continue
		}
		out = append(out, choice{label: v[:i], on: v[i+1:] == "true"})
	}
	return out
}

func normChoice(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (b *disposisiBody) draw(w *writer) {
	w.kop()
	w.font("B", 13)
	title := "LEMBAR DISPOSISI"
	w.cell(w.x0, w.width(), title, "C")
	tw := w.strWidth(title)
	w.pdf.SetLineWidth(0.3)
	w.pdf.Line((w.x0+w.x1-tw)/2, w.y()+w.lh()*0.82, (w.x0+w.x1+tw)/2, w.y()+w.lh()*0.82)
	w.pdf.SetLineWidth(0.2)
	w.setY(w.y() + w.lh())
	if b.number != "" {
		w.font("", 11)
		w.centered("Nomor: " + b.number)
	}
	w.setY(w.y() + 2*w.scale)

	w.font("", 11)
	var sifat []formItem
	for _, s := range []Sifat{SifatSangatSegera, SifatSegera, SifatRahasia} {
		sifat = append(sifat, box(string(s), b.sifat[s]))
	}
	right := append([]formItem{field("Diterima Tgl.", b.received), field("No. Agenda", b.agenda), heading("Sifat:")}, sifat...)
	left := []formItem{field("Surat dari", b.from), field("Nomor Surat", b.suratNo), field("Tanggal Surat", b.suratDate)}
	var to, instr []formItem
	to = append(to, heading("Diteruskan kepada Sdr.:"))
	for _, c := range b.recipients {
		to = append(to, box(c.label, c.on))
	}
	instr = append(instr, heading("Dengan hormat harap:"))
	for _, c := range b.instr {
		instr = append(instr, box(c.label, c.on))
	}
	notes := []formItem{heading("Catatan:")}
	if b.note != "" {
		notes = append(notes, freeText(b.note))
	}
	if b.due != "" {
		notes = append(notes, field("Batas waktu tindak lanjut", b.due))
	}
	w.form([]formRow{
		{cols: [][]formItem{left, right}},
		{cols: [][]formItem{{field("Hal", b.hal)}}},
		{cols: [][]formItem{to, instr}, minLines: 5},
		{cols: [][]formItem{notes}, minLines: 5},
	})
	w.setY(w.y() + 3*w.scale)
	w.signature(w.x0+w.width()*0.5, w.x0, signatureBlock{dateline: b.dateline})
}
