package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// setupForm is the first-run form: which unit this desk serves and in which Pemda.
// Nothing else opens until it is saved.
type setupForm struct {
	form                            *form
	unitPick                        *choice
	code, name, pemda, place, actor *widget.Entry
	role                            *choice
	save                            *widget.Button
}

func (d *Desk) setupScreen() fyne.CanvasObject {
	s := &setupForm{form: newForm(), code: widget.NewEntry(), name: widget.NewEntry(), pemda: widget.NewEntry(),
		place: widget.NewEntry(), actor: widget.NewEntry()}
	var codes, labels []string
	for _, u := range d.store.Units() {
		codes = append(codes, u.Code)
		labels = append(labels, u.Name+" ("+u.Code+")")
	}
	s.unitPick = newChoice("", codes, labels, func() {
		if u, ok := d.store.Unit(s.unitPick.Value()); ok {
			s.code.SetText(u.Code)
			s.name.SetText(u.Name)
			if u.Coordinator {
				s.role.SetValue(string(lapordesk.RoleCoordinator))
			} else {
				s.role.SetValue(string(lapordesk.RoleUnit))
			}
		}
	})
	s.unitPick.PlaceHolder = i18n.T("ui.setup.pick_unit")
	s.code.SetPlaceHolder(i18n.Tf("ui.setup.example", "Example", "DINKES"))
	s.name.SetPlaceHolder(i18n.Tf("ui.setup.example", "Example", "Dinas Kesehatan"))
	s.pemda.SetPlaceHolder(i18n.Tf("ui.setup.example", "Example", "Kabupaten Barru"))
	s.place.SetPlaceHolder(i18n.Tf("ui.setup.example", "Example", "Barru"))
	s.role = roleChoice()
	s.role.SetValue(string(lapordesk.RoleUnit))
	f := s.form
	f.add("unit_pick", i18n.T("ui.setup.unit"), false, s.unitPick)
	f.add("unit_code", i18n.Field("unit_code"), true, s.code)
	f.add("unit_name", i18n.Field("unit_name"), true, s.name)
	f.add("pemda_name", i18n.Field("pemda_name"), true, s.pemda)
	f.add("place", i18n.T("ui.setup.place"), false, s.place)
	f.add("actor", i18n.Field("actor"), false, s.actor)
	f.add("role", i18n.Field("role"), true, s.role)
	s.save = widget.NewButtonWithIcon(i18n.T("ui.setup.start"), theme.NavigateNextIcon(), func() { d.saveSetup(s) })
	s.save.Importance = widget.HighImportance
	for _, e := range []*widget.Entry{s.code, s.name, s.pemda, s.place, s.actor} {
		e.OnSubmitted = func(string) { d.saveSetup(s) }
	}

	title := canvas.NewText(i18n.T("ui.setup.title"), theme.Color(theme.ColorNamePrimary))
	title.TextSize = 24
	title.TextStyle = fyne.TextStyle{Bold: true}
	intro := wrapLabel(i18n.T("ui.setup.intro"))
	logo := canvas.NewImageFromResource(Icon())
	logo.SetMinSize(fyne.NewSize(48, 48))
	logo.FillMode = canvas.ImageFillContain
	box := container.NewVBox(container.NewHBox(logo, container.NewCenter(title)), intro, f.content(), container.NewHBox(spacer(), s.save))
	d.setup = s
	return container.NewCenter(container.NewStack(minWidth(640), panel(box)))
}

func (d *Desk) saveSetup(s *setupForm) {
	p := lapordesk.Profile{
		UnitCode:  strings.ToUpper(strings.TrimSpace(s.code.Text)),
		UnitName:  strings.TrimSpace(s.name.Text),
		PemdaName: strings.TrimSpace(s.pemda.Text),
		Place:     strings.TrimSpace(s.place.Text),
		Actor:     strings.TrimSpace(s.actor.Text),
		Role:      lapordesk.Role(s.role.Value()),
		Timezone:  storage.DefaultTimezone,
	}
	s.form.clear()
	if err := p.Validate(); err != nil {
		s.form.show(err)
		return
	}
	s.save.Disable()
	Go(d.async, func(ctx context.Context) (lapordesk.Profile, error) {
		if err := d.store.SetProfile(ctx, p); err != nil {
			return p, err
		}
		return d.store.Profile()
	}, func(saved lapordesk.Profile, err error) {
		s.save.Enable()
		if err != nil {
			s.form.show(err)
			return
		}
		d.profile = saved
		d.setup = nil
		d.showMain()
	})
}
