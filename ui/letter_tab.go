package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/letter"
)

// letterTab is Pengaturan › Kop surat & penanda tangan: the letterhead, the signer,
// the letter numbers, the disposition instructions and the body of the surat
// tindak lanjut. The letter package owns the format (letter.Config, stored under
// its keys) and checks it: the tab shows each problem beside its field as the user
// types, and saves only what would print.
type letterTab struct {
	d    *Desk
	form *form

	pemda, unit, phone, email, web, logo *lineEntry
	address                              *textArea
	paper                                *widget.RadioGroup
	jabatan, name, pangkat, nip          *lineEntry
	pattern, code, unitCode, place, lamp *lineEntry
	sifat                                *choice
	tembusan                             *textArea
	instructions                         *textArea
	template                             *textArea
	example                              *widget.Label
	folder                               *widget.Label

	stored  letter.Config // as loaded: what the form does not edit is kept
	check   *Timer
	checkN  int
	loading bool
	save    *saveBar
	content fyne.CanvasObject
}

func newLetterTab(d *Desk) *letterTab {
	t := &letterTab{d: d, form: newForm(), example: widget.NewLabel(""), folder: wrapLabel("")}
	for _, e := range []**lineEntry{&t.pemda, &t.unit, &t.phone, &t.email, &t.web, &t.logo, &t.jabatan, &t.name, &t.pangkat, &t.nip,
		&t.pattern, &t.code, &t.unitCode, &t.place, &t.lamp} {
		*e = newEntry()
		(*e).OnChanged = func(string) { t.changed() }
	}
	t.address = multiline("Jl. ...")
	t.address.SetMinRowsVisible(2)
	t.tembusan = multiline(i18n.T("ui.letter.tembusan_hint"))
	t.tembusan.SetMinRowsVisible(3)
	t.instructions = multiline(i18n.T("ui.letter.instructions_hint"))
	t.instructions.SetMinRowsVisible(8) // the eight defaults in sight
	t.template = multiline("")
	t.template.SetMinRowsVisible(9)
	for _, a := range []*textArea{t.address, t.tembusan, t.instructions, t.template} {
		a.OnChanged = func(string) { t.changed() }
	}
	t.nip.SetPlaceHolder("19xxxxxxxxxxxxxxxx")
	t.code.SetPlaceHolder("000.1.4")
	t.paper = widget.NewRadioGroup([]string{string(letter.PaperA4), string(letter.PaperF4)}, func(string) { t.changed() })
	t.paper.Horizontal = true
	t.paper.Required = true
	t.sifat = newChoice(i18n.T("ui.letter.sifat_default"), sifatValues(), sifatValues(), t.changed)
	t.example.Importance = widget.LowImportance
	t.folder.Importance = widget.LowImportance
	pickLogo := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), t.pickLogo)
	resetTemplate := widget.NewButtonWithIcon(i18n.T("ui.letter.template_reset"), theme.ContentUndoIcon(), func() {
		t.template.SetText(letter.DefaultFollowUpTemplate)
	})
	resetTemplate.Importance = widget.LowImportance

	f := t.form
	kop := f.section()
	f.add("letterhead.pemda", i18n.Field("letterhead.pemda"), false, t.pemda)
	f.add("letterhead.unit", i18n.Field("letterhead.unit"), false, t.unit)
	f.add("letterhead.address", i18n.Field("letterhead.address"), false, t.address)
	f.add("letterhead.phone", i18n.Field("letterhead.phone"), false, t.phone)
	f.add("letterhead.email", i18n.Field("letterhead.email"), false, t.email)
	f.add("letterhead.website", i18n.Field("letterhead.website"), false, t.web)
	f.add("letterhead.logo_path", i18n.Field("letterhead.logo_path"), false, container.NewBorder(nil, nil, nil, pickLogo, t.logo))
	f.alias("letterhead.logo", "letterhead.logo_path")
	f.add("paper", i18n.Field("paper"), true, t.paper)
	signer := f.section()
	f.add("signer.jabatan", i18n.Field("signer.jabatan"), false, t.jabatan)
	f.add("signer.name", i18n.Field("signer.name"), false, t.name)
	f.add("signer.pangkat", i18n.Field("signer.pangkat"), false, t.pangkat)
	f.add("signer.nip", i18n.Field("signer.nip"), false, t.nip)
	numbers := f.section()
	f.add("settings.number_pattern", i18n.Field("settings.number_pattern"), false, t.pattern)
	f.add("settings.classification_code", i18n.Field("settings.classification_code"), false, t.code)
	f.alias("settings.classification_codes", "settings.classification_code")
	f.add("settings.unit_code", i18n.Field("settings.unit_code"), false, t.unitCode)
	f.add("settings.place", i18n.Field("settings.place"), false, t.place)
	f.add("settings.sifat", i18n.Field("settings.sifat"), false, t.sifat)
	f.add("settings.lampiran", i18n.Field("settings.lampiran"), false, t.lamp)
	f.add("settings.tembusan", i18n.Field("settings.tembusan"), false, t.tembusan)
	disposisi := f.section()
	f.add("settings.instructions", i18n.Field("settings.instructions"), false, t.instructions)
	tmpl := f.section()
	f.add("settings.template", "", false, t.template) // the heading above names it

	numberHelp := wrapLabel(i18n.Tf("ui.letter.number_placeholders", "List", braces(letter.NumberPlaceholders())))
	numberHelp.Importance = widget.LowImportance
	tmplHelp := wrapLabel(i18n.Tf("ui.letter.template_placeholders", "List", braces(letter.TemplatePlaceholders())))
	tmplHelp.Importance = widget.LowImportance
	t.save = newSaveBar(i18n.T("ui.save"), t.doSave)
	note := wrapLabel(i18n.T("ui.letter.note"))
	note.Importance = widget.LowImportance
	t.content = scrollPad(container.NewVBox(note, f.general,
		container.NewGridWithColumns(2,
			container.NewVBox(heading(i18n.T("ui.letter.kop")), kop, heading(i18n.T("ui.letter.disposisi")), disposisi),
			container.NewVBox(heading(i18n.T("ui.letter.signer")), signer,
				heading(i18n.T("ui.letter.numbers")), numbers, numberHelp, t.example)),
		heading(i18n.T("ui.letter.template")), container.NewBorder(nil, nil, nil, resetTemplate, tmplHelp), tmpl,
		t.folder, t.save.view()))
	return t
}

// braces writes names as the placeholders they are: "{judul} {isi}".
func braces(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, " ")
}

func (t *letterTab) pickLogo() {
	dlg := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err == nil && rc != nil {
			t.logo.SetText(rc.URI().Path())
			rc.Close()
		}
	}, t.d.win)
	dlg.SetFilter(fstorage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}))
	dlg.Resize(fyne.NewSize(760, 520))
	dlg.Show()
}

// load reads the stored configuration and shows it; what is left empty shows the
// value printing takes from the profile, greyed.
func (t *letterTab) load() {
	type loaded struct {
		c      letter.Config
		folder string
	}
	lp := t.d.hooks.Letters
	Go(t.d.async, func(ctx context.Context) (loaded, error) {
		c, err := letter.LoadConfig(ctx, t.d.store)
		var folder string
		if err == nil && lp != nil {
			folder, err = lp.Folder()
		}
		return loaded{c, folder}, err
	}, func(l loaded, err error) {
		if err != nil {
			t.form.show(err)
			return
		}
		t.fill(l.c)
		if l.folder != "" {
			t.folder.SetText(i18n.Tf("ui.letter.folder", "Path", l.folder))
		}
	})
}

func (t *letterTab) fill(c letter.Config) {
	t.loading = true
	defer func() { t.loading = false }()
	t.stored = c
	o, _ := letter.Office{}.WithProfile(t.d.profile)
	h := c.Letterhead
	for _, x := range []struct {
		e           *lineEntry
		v, fallback string
	}{{t.pemda, h.PemdaName, o.Letterhead.Pemda}, {t.unit, h.UnitName, o.Letterhead.Unit}, {t.phone, h.Phone, ""},
		{t.email, h.Email, ""}, {t.web, h.Website, ""}, {t.logo, h.LogoPath, ""},
		{t.jabatan, c.Signer.Jabatan, o.Signer.Jabatan}, {t.name, c.Signer.Name, ""}, {t.pangkat, c.Signer.Pangkat, "Pembina (IV/a)"},
		{t.nip, c.Signer.NIP, "19xxxxxxxxxxxxxxxx"}, {t.pattern, c.Settings.NumberPattern, defaultPattern(c.Settings)},
		{t.code, c.Settings.ClassificationCode, "000.1.4"}, {t.unitCode, c.Settings.UnitCode, o.Settings.UnitCode},
		{t.place, c.Settings.Place, o.Settings.Place}, {t.lamp, c.Settings.Lampiran, "-"}} {
		x.e.SetText(x.v)
		x.e.SetPlaceHolder(x.fallback)
	}
	t.address.SetText(h.Address)
	paper := h.Paper
	if paper == "" {
		paper = letter.PaperA4
	}
	t.paper.SetSelected(string(paper))
	t.sifat.SetValue(string(c.Settings.Sifat))
	if t.sifat.SelectedIndex() < 0 {
		t.sifat.SetSelectedIndex(0)
	}
	t.tembusan.SetText(strings.Join(c.Settings.Tembusan, "\n"))
	// The list in force is shown, so a unit edits the defaults rather than starting
	// from nothing; saved unchanged, it is stored as the default (empty) again.
	t.instructions.SetText(strings.Join(lapordesk.InstructionChoices(c.Settings.Instructions), "\n"))
	tmpl := c.Settings.Template
	if tmpl == "" {
		tmpl = letter.DefaultFollowUpTemplate
	}
	t.template.SetText(tmpl)
	t.form.clear()
	t.loading = false
	t.changed()
}

// config is the configuration the form shows, over what was stored.
func (t *letterTab) config() letter.Config {
	c := t.stored
	h := &c.Letterhead
	h.PemdaName, h.UnitName, h.Address, h.Phone = t.pemda.Text, t.unit.Text, t.address.Text, t.phone.Text
	h.Email, h.Website, h.LogoPath, h.Paper = t.email.Text, t.web.Text, t.logo.Text, letter.Paper(t.paper.Selected)
	c.Signer = letter.Signer{Jabatan: t.jabatan.Text, Name: t.name.Text, Pangkat: t.pangkat.Text, NIP: t.nip.Text}
	s := &c.Settings
	s.NumberPattern, s.ClassificationCode, s.UnitCode, s.Place, s.Lampiran = t.pattern.Text, t.code.Text, t.unitCode.Text, t.place.Text, t.lamp.Text
	s.Sifat = letter.Sifat(t.sifat.Value())
	s.Tembusan = strings.Split(t.tembusan.Text, "\n")
	s.Instructions = strings.Split(t.instructions.Text, "\n")
	if slices.Equal(lapordesk.InstructionChoices(s.Instructions), lapordesk.DefaultInstructions()) {
		s.Instructions = nil // the default, which may improve with a new version
	}
	s.Template = t.template.Text
	if strings.TrimSpace(s.Template) == strings.TrimSpace(letter.DefaultFollowUpTemplate) {
		s.Template = "" // the default, which may improve with a new version
	}
	return c
}

// changed checks the form a moment after the user stops typing: an unknown
// placeholder or a bad NIP is named beside its field before anything is saved.
func (t *letterTab) changed() {
	if t.loading {
		return
	}
	t.check.Stop()
	t.check = t.d.async.After(300*time.Millisecond, t.validate)
}

// validate checks the configuration as printing would use it (the logo file is
// read, so off the UI goroutine) and shows an example number.
func (t *letterTab) validate() {
	c, p := t.config(), t.d.profile
	t.checkN++
	n := t.checkN
	today := lapordesk.DateOf(t.d.store.Now(), t.d.loc)
	Go(t.d.async, func(context.Context) (string, error) {
		o, err := c.Office(p)
		if err != nil {
			return "", err
		}
		pt, err := o.Settings.Pattern(letter.KindTindakLanjut)
		if err != nil {
			return "", err
		}
		return pt.Format(45, today, o.Settings.UnitCode)
	}, func(example string, err error) {
		if n != t.checkN {
			return
		}
		t.form.clear()
		if err != nil {
			t.form.show(err)
			t.example.SetText("")
			return
		}
		t.example.SetText(i18n.Tf("ui.letter.example", "Number", example))
	})
}

func (t *letterTab) doSave() {
	c := t.config()
	t.checkN++ // a check under way must not clear what saving shows
	t.save.run(t.d, t.form, func(ctx context.Context) error {
		return letter.SaveOffice(ctx, t.d.store, c)
	}, func() {
		t.load()
		t.d.instr = c.Settings.Instructions // the disposition form offers the list just saved
	})
}

// defaultPattern is the number pattern a unit gets until it sets its own: without
// a classification code, numbers leave {kode} out.
func defaultPattern(s letter.Settings) string {
	if p, err := s.Pattern(letter.KindTindakLanjut); err == nil && strings.TrimSpace(s.NumberPattern) == "" {
		return p.String()
	}
	return letter.DefaultNumberPattern
}
