package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// localChannels come first in the new report form: digitizing walk-ins, letters,
// phone calls and e-mails is the usual reason to type a report in.
var localChannels = []lapordesk.Channel{
	lapordesk.ChannelWalkIn, lapordesk.ChannelLetter, lapordesk.ChannelPhone, lapordesk.ChannelEmail,
	lapordesk.ChannelWebsite, lapordesk.ChannelSMS, lapordesk.ChannelMobileApp, lapordesk.ChannelSocialMedia,
}

// newReportForm holds the widgets of the new report form.
type newReportForm struct {
	form                    *form
	channel, cls, cat       *choice
	title                   *lineEntry
	body                    *textArea
	incident                *dateField
	kecamatan, desa, detail *lineEntry
	conf                    *widget.RadioGroup
	name, phone, email, nik *lineEntry
	tracking, agenda        *lineEntry
	nameRow                 *formRow
	files                   *attachPicker
	confValues              []lapordesk.Confidentiality
}

// newReport opens the form for a report received here (walk-in, letter, phone,
// e-mail) or copied from LAPOR!.
func (d *Desk) newReport() {
	if d.dialogs > 0 || d.profile.UnitCode == "" {
		return
	}
	nf := d.newReportForm()
	var result lapordesk.View
	prepare := func() (func(ctx context.Context) error, error) {
		n, err := nf.report(d.profile.UnitCode, d.store.Now())
		if err != nil {
			return nil, err
		}
		files := nf.files.files
		return func(ctx context.Context) error {
			v, err := d.store.Receive(ctx, n, files...)
			result = v
			return err
		}, nil
	}
	f := nf.form
	left := container.NewVBox(heading(i18n.T("ui.new.section.report")), nf.leftGrid())
	right := container.NewVBox(heading(i18n.T("ui.new.section.reporter")), nf.rightGrid())
	body := container.NewVBox(f.general, container.NewGridWithColumns(2, left, right))
	fd := d.openForm(i18n.T("ui.new.title"), i18n.T("ui.save"), f, body, fyne.NewSize(980, 560), prepare, func() {
		d.detail.show(result)
		d.list.selected = result.Report.ID
		d.changed()
		d.detail.focusPrimary()
	}, nil)
	fd.files = nf.files
	d.win.Canvas().Focus(nf.title)
}

func (d *Desk) newReportForm() *newReportForm {
	nf := &newReportForm{form: newForm(), files: newAttachPicker(d)}
	nf.channel = channelChoice("", localChannels, nil)
	nf.channel.SetValue(string(lapordesk.ChannelWalkIn))
	nf.cls = classificationChoice("", nil)
	nf.cls.SetValue(string(lapordesk.Pengaduan))
	nf.cat = categoryChoice(d.store.Categories(), i18n.T("ui.form.no_category"), nil)
	nf.cat.SetSelectedIndex(0)
	nf.title = newEntry()
	nf.title.SetPlaceHolder(i18n.T("ui.new.title_hint"))
	nf.body = multiline(i18n.T("ui.new.body_hint"))
	nf.incident = newDateField()
	nf.kecamatan = newEntry()
	nf.desa = newEntry()
	nf.detail = newEntry()
	nf.detail.SetPlaceHolder(i18n.T("ui.new.detail_hint"))
	nf.name, nf.phone, nf.email, nf.nik = newEntry(), newEntry(), newEntry(), newEntry()
	nf.phone.SetPlaceHolder("08xxxxxxxxxx")
	nf.nik.SetPlaceHolder("16 digit")
	nf.tracking = newEntry()
	nf.tracking.SetPlaceHolder(i18n.T("ui.new.tracking_hint"))
	nf.agenda = newEntry()
	nf.agenda.SetPlaceHolder(i18n.T("ui.new.agenda_hint"))
	nf.confValues = lapordesk.Confidentialities
	var confLabels []string
	for _, c := range nf.confValues {
		confLabels = append(confLabels, i18n.Confidentiality(c))
	}
	nf.conf = widget.NewRadioGroup(confLabels, func(sel string) {
		c := lapordesk.Biasa
		for _, x := range lapordesk.Confidentialities {
			if sel == i18n.Confidentiality(x) {
				c = x
			}
		}
		nf.nameRow.setRequired(i18n.Field("reporter_name"), c.NeedsReporterName())
		for field, e := range map[string]*lineEntry{"reporter_name": nf.name, "reporter_phone": nf.phone, "reporter_email": nf.email, "reporter_id_number": nf.nik} {
			if c.Withholds(field) {
				// A withheld identity is never kept where it shows.
				e.SetText("")
				e.Disable()
			} else {
				e.Enable()
			}
		}
	})
	nf.conf.Horizontal = true
	nf.conf.Required = true
	return nf
}

func (nf *newReportForm) leftGrid() fyne.CanvasObject {
	f := nf.form
	g := f.section()
	f.add("channel", i18n.Field("channel"), true, nf.channel)
	f.add("classification", i18n.Field("classification"), true, nf.cls)
	f.add("title", i18n.Field("title"), true, nf.title)
	f.add("body", i18n.Field("body"), true, nf.body)
	f.add("category_id", i18n.Field("category"), false, nf.cat)
	f.add("incident_date", i18n.Field("incident_date"), false, nf.incident)
	f.add("kecamatan", i18n.Field("kecamatan"), false, nf.kecamatan)
	f.add("desa", i18n.Field("desa"), false, nf.desa)
	f.add("location_detail", i18n.Field("location_detail"), false, nf.detail)
	return g
}

func (nf *newReportForm) rightGrid() fyne.CanvasObject {
	f := nf.form
	g := f.section()
	f.add("confidentiality", i18n.Field("confidentiality"), true, nf.conf)
	nf.nameRow = f.add("reporter_name", i18n.Field("reporter_name"), true, nf.name)
	f.add("reporter_phone", i18n.Field("reporter_phone"), false, nf.phone)
	f.add("reporter_email", i18n.Field("reporter_email"), false, nf.email)
	f.add("reporter_id_number", i18n.Field("reporter_id_number"), false, nf.nik)
	f.add("tracking_id", i18n.Field("tracking_id"), false, nf.tracking)
	f.add("agenda_no", i18n.Field("agenda_no"), false, nf.agenda)
	f.add("attachments", i18n.Field("attachments"), false, nf.files.view())
	nf.conf.SetSelected(i18n.Confidentiality(lapordesk.Biasa))
	return g
}

// report reads the form into a new report and checks it; every problem comes back
// at once, each for its field.
func (nf *newReportForm) report(unit string, now time.Time) (lapordesk.NewReport, error) {
	n := lapordesk.NewReport{
		TrackingID:     strings.TrimSpace(nf.tracking.Text),
		AgendaNo:       strings.TrimSpace(nf.agenda.Text),
		Classification: lapordesk.Classification(nf.cls.Value()),
		CategoryID:     nf.cat.Value(),
		Title:          strings.TrimSpace(nf.title.Text),
		Body:           strings.TrimSpace(nf.body.Text),
		Location: lapordesk.Location{
			Kecamatan: strings.TrimSpace(nf.kecamatan.Text),
			Desa:      strings.TrimSpace(nf.desa.Text),
			Detail:    strings.TrimSpace(nf.detail.Text),
		},
		Channel: lapordesk.Channel(nf.channel.Value()),
		Reporter: lapordesk.Reporter{
			Name:     strings.TrimSpace(nf.name.Text),
			Phone:    strings.TrimSpace(nf.phone.Text),
			Email:    strings.TrimSpace(nf.email.Text),
			IDNumber: strings.TrimSpace(nf.nik.Text),
		},
		Unit:        unit,
		Attachments: nf.files.metadata(),
	}
	if i := nf.conf.Selected; i != "" {
		for _, c := range nf.confValues {
			if i18n.Confidentiality(c) == i {
				n.Confidentiality = c
			}
		}
	}
	var errs lapordesk.ValidationErrors
	if d, ok := nf.incident.Date(); ok {
		n.IncidentDate = d
	} else {
		errs = append(errs, &lapordesk.FieldError{Field: "incident_date", Problem: lapordesk.ProblemFormat, Value: nf.incident.Text})
	}
	if err := n.Validate(now); err != nil {
		if ve, ok := err.(lapordesk.ValidationErrors); ok {
			errs = append(errs, ve...)
		} else {
			return n, err
		}
	}
	if len(errs) > 0 {
		return n, errs
	}
	return n, nil
}
