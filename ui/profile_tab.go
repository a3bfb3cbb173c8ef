package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

// profileTab is Pengaturan › Profil unit: the unit, its regional government, the role
// and the office's time zone.
type profileTab struct {
	d                         *Desk
	form                      *form
	code                      *widget.Label
	name, pemda, place, actor *widget.Entry
	tz                        *choice
	role                      *choice
	save                      *saveBar
	content                   fyne.CanvasObject
}

func newProfileTab(d *Desk) *profileTab {
	t := &profileTab{d: d, form: newForm(), code: widget.NewLabel(""), name: widget.NewEntry(), pemda: widget.NewEntry(),
		place: widget.NewEntry(), actor: widget.NewEntry()}
	t.tz = newChoice("", timezones, []string{"WIB (Asia/Jakarta)", "WITA (Asia/Makassar)", "WIT (Asia/Jayapura)"}, nil)
	t.role = roleChoice()
	f := t.form
	f.add("unit_code", i18n.Field("unit_code"), false, t.code)
	f.add("unit_name", i18n.Field("unit_name"), true, t.name)
	f.add("pemda_name", i18n.Field("pemda_name"), true, t.pemda)
	f.add("place", i18n.T("ui.setup.place"), false, t.place)
	f.add("actor", i18n.Field("actor"), false, t.actor)
	f.add("role", i18n.Field("role"), true, t.role)
	f.add("timezone", i18n.Field("timezone"), true, t.tz)
	t.save = newSaveBar(i18n.T("ui.save"), t.doSave)
	note := wrapLabel(i18n.T("ui.settings.profile_note"))
	note.Importance = widget.LowImportance
	t.content = scrollPad(container.NewVBox(f.content(), note, t.save.view()))
	return t
}

func roleChoice() *choice {
	return newChoice("", []string{string(lapordesk.RoleUnit), string(lapordesk.RoleCoordinator)},
		[]string{i18n.T("ui.role.unit"), i18n.T("ui.role.coordinator")}, nil)
}

func (t *profileTab) fill(p lapordesk.Profile) {
	t.code.SetText(p.UnitCode)
	t.name.SetText(p.UnitName)
	t.pemda.SetText(p.PemdaName)
	t.place.SetText(p.Place)
	t.actor.SetText(p.Actor)
	t.tz.SetValue(p.Timezone)
	t.role.SetValue(string(p.Role))
}

func (t *profileTab) doSave() {
	p := t.d.profile
	p.UnitName = strings.TrimSpace(t.name.Text)
	p.PemdaName = strings.TrimSpace(t.pemda.Text)
	p.Place = strings.TrimSpace(t.place.Text)
	p.Actor = strings.TrimSpace(t.actor.Text)
	p.Timezone = t.tz.Value()
	p.Role = lapordesk.Role(t.role.Value())
	if err := p.Validate(); err != nil {
		t.form.show(err)
		return
	}
	t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.SetProfile(ctx, p) }, func() {
		t.d.profile = p
		t.d.loc = t.d.store.Calendar().Location
		t.d.status.unit.SetText(p.UnitName + " (" + p.UnitCode + ") · " + i18n.T("ui.role."+string(p.Role)))
		t.d.refreshCounts()
	})
}

// timezones are Indonesia's three zones.
var timezones = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
