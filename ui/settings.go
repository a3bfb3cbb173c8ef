package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// settingsScreen is Pengaturan: the unit profile, the letterhead and signer, the
// holiday calendar, the deadline policy, and language and theme.
type settingsScreen struct {
	d       *Desk
	tabs    *container.AppTabs
	profile *profileTab
	letter  *letterTab
	hol     *holidayTab
	sla     *slaTab
	look    *lookTab
	hub     *hubTab    // nil without sync
	backup  *backupTab // nil without the exchange feature
}

func newSettingsScreen(d *Desk) *settingsScreen {
	s := &settingsScreen{d: d}
	s.profile = newProfileTab(d)
	s.letter = newLetterTab(d)
	s.hol = newHolidayTab(d)
	s.sla = newSLATab(d)
	s.look = newLookTab(d)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.T("ui.settings.profile"), theme.HomeIcon(), s.profile.content),
		container.NewTabItemWithIcon(i18n.T("ui.settings.letterhead"), theme.DocumentIcon(), s.letter.content),
		container.NewTabItemWithIcon(i18n.T("ui.settings.holidays"), theme.CalendarIcon(), s.hol.content),
		container.NewTabItemWithIcon(i18n.T("ui.settings.sla"), theme.HistoryIcon(), s.sla.content),
		container.NewTabItemWithIcon(i18n.T("ui.settings.look"), theme.ColorPaletteIcon(), s.look.content),
	)
	if d.hooks.Sync != nil {
		s.hub = newHubTab(d)
		s.tabs.Append(container.NewTabItemWithIcon(i18n.T("ui.settings.hub"), theme.ComputerIcon(), s.hub.content))
	}
	s.addBackupTab()
	return s
}

func (s *settingsScreen) view() fyne.CanvasObject { return s.tabs }

// load fills every tab with what is stored now.
func (s *settingsScreen) load() {
	s.profile.fill(s.d.profile)
	s.hol.fill()
	s.sla.fill(s.d.store.Policy())
	s.letter.load()
	s.look.load()
	if s.hub != nil {
		s.hub.show(s.d.hooks.Sync.Status())
	}
	if s.backup != nil {
		s.backup.load()
	}
}

// saveBar is a save button with a line that says how saving went.
type saveBar struct {
	button *widget.Button
	result *widget.Label
	busy   *widget.ProgressBarInfinite
}

func newSaveBar(label string, save func()) *saveBar {
	b := &saveBar{result: widget.NewLabel(""), busy: widget.NewProgressBarInfinite()}
	b.button = widget.NewButtonWithIcon(label, theme.DocumentSaveIcon(), save)
	b.button.Importance = widget.HighImportance
	b.busy.Hide()
	return b
}

func (b *saveBar) view() fyne.CanvasObject {
	return container.NewVBox(b.busy, container.NewHBox(b.button, b.result))
}

// run saves in the background; the form shows problems beside their fields.
func (b *saveBar) run(d *Desk, f *form, job func(ctx context.Context) error, done func()) {
	f.clear()
	b.result.SetText("")
	b.button.Disable()
	b.busy.Show()
	b.busy.Start()
	Go(d.async, func(ctx context.Context) (struct{}, error) { return struct{}{}, job(ctx) }, func(_ struct{}, err error) {
		b.button.Enable()
		b.busy.Stop()
		b.busy.Hide()
		if err != nil {
			f.show(err)
			b.result.Importance = widget.DangerImportance
			b.result.SetText(i18n.T("ui.settings.not_saved"))
			return
		}
		b.result.Importance = widget.SuccessImportance
		b.result.SetText(i18n.T("ui.settings.saved"))
		if done != nil {
			done()
		}
	})
}

func scrollPad(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(o))
}

// --- unit profile ---

// timezones are Indonesia's three zones.
var timezones = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}

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

// --- holidays ---

type holidayTab struct {
	d       *Desk
	year    *widget.Select
	list    *fyne.Container
	form    *form
	date    *dateField
	name    *widget.Entry
	kind    *choice
	save    *saveBar
	content fyne.CanvasObject
}

var holidayKinds = []lapordesk.HolidayKind{lapordesk.HolidayNational, lapordesk.HolidayCutiBersama, lapordesk.HolidayRegional}

func newHolidayTab(d *Desk) *holidayTab {
	t := &holidayTab{d: d, list: container.NewVBox(), form: newForm(), date: newDateField(), name: widget.NewEntry()}
	now := lapordesk.DateOf(d.store.Now(), d.loc).Year
	var years []string
	for y := now - 1; y <= now+2; y++ {
		years = append(years, strconv.Itoa(y))
	}
	t.year = widget.NewSelect(years, func(string) { t.fill() })
	t.year.SetSelected(strconv.Itoa(now))
	var kv, kl []string
	for _, k := range holidayKinds {
		kv = append(kv, string(k))
		kl = append(kl, i18n.HolidayKind(k))
	}
	t.kind = newChoice("", kv, kl, nil)
	t.kind.SetSelectedIndex(0)
	f := t.form
	f.add("date", i18n.Field("date"), true, t.date)
	f.add("name", i18n.Field("name"), true, t.name)
	f.add("kind", i18n.Field("kind"), true, t.kind)
	t.save = newSaveBar(i18n.T("ui.holiday.add"), t.add)
	t.save.button.SetIcon(theme.ContentAddIcon())
	note := wrapLabel(i18n.T("ui.holiday.note"))
	note.Importance = widget.LowImportance
	top := container.NewBorder(nil, nil, widget.NewLabel(i18n.T("ui.holiday.year")), nil, t.year)
	add := panel(container.NewVBox(heading(i18n.T("ui.holiday.add_title")), f.content(), t.save.view()))
	t.content = border(container.NewPadded(container.NewVBox(note, top)), nil, nil,
		container.NewGridWrap(fyne.NewSize(420, 340), add), container.NewVScroll(t.list))
	return t
}

// fill lists the holidays of the chosen year (from the store's cached calendar).
func (t *holidayTab) fill() {
	year, _ := strconv.Atoi(t.year.Selected)
	t.list.Objects = nil
	for _, h := range t.d.store.Holidays() {
		if h.Date.Year != year {
			continue
		}
		h := h
		day := i18n.T("weekday." + strconv.Itoa(int(h.Date.Weekday())))
		date := widget.NewLabel(day + ", " + i18n.Date(h.Date))
		date.TextStyle = fyne.TextStyle{Bold: true}
		kind := widget.NewLabel(i18n.HolidayKind(h.Kind))
		kind.Importance = widget.LowImportance
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.remove(h) })
		del.Importance = widget.LowImportance
		name := widget.NewLabel(h.Name)
		name.Truncation = fyne.TextTruncateEllipsis
		t.list.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(240, 36), date), container.NewHBox(kind, del), name))
	}
	if len(t.list.Objects) == 0 {
		l := widget.NewLabel(i18n.T("ui.holiday.none"))
		l.Importance = widget.LowImportance
		t.list.Add(l)
	}
	t.list.Refresh()
}

func (t *holidayTab) add() {
	d, ok := t.date.Date()
	h := lapordesk.Holiday{Date: d, Name: strings.TrimSpace(t.name.Text), Kind: lapordesk.HolidayKind(t.kind.Value())}
	var err error
	if !ok {
		err = &lapordesk.FieldError{Field: "date", Problem: lapordesk.ProblemFormat, Value: t.date.Text}
	} else {
		err = h.Validate()
	}
	if err != nil {
		t.form.show(err)
		return
	}
	t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.AddHoliday(ctx, h) }, func() {
		t.date.SetText("")
		t.name.SetText("")
		t.year.SetSelected(strconv.Itoa(h.Date.Year))
		t.fill()
		t.d.changed()
	})
}

func (t *holidayTab) remove(h lapordesk.Holiday) {
	msg := i18n.Tf("ui.holiday.confirm_remove", "Name", h.Name, "Date", i18n.Date(h.Date))
	dialog.ShowConfirm(i18n.T("ui.holiday.remove"), msg, func(ok bool) {
		if !ok {
			return
		}
		t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.RemoveHoliday(ctx, h.Date) }, func() {
			t.fill()
			t.d.changed()
		})
	}, t.d.win)
}

// --- SLA policy ---

var slaFields = []string{"verify_days", "follow_up_days", "auto_close_days", "resolution_days"}

type slaTab struct {
	d       *Desk
	cells   map[string]*widget.Entry // "<column>.<field>"; column "" is the default
	working map[string]*widget.Check
	dueSoon *widget.Entry
	pause   *widget.CheckGroup
	form    *form
	save    *saveBar
	content fyne.CanvasObject
}

// slaColumns are the default and one column per classification.
func slaColumns() []string {
	cols := []string{""}
	for _, c := range lapordesk.Classifications {
		cols = append(cols, string(c))
	}
	return cols
}

func slaKey(col, field string) string {
	if col == "" {
		return field
	}
	return col + "." + field
}

func newSLATab(d *Desk) *slaTab {
	t := &slaTab{d: d, cells: map[string]*widget.Entry{}, working: map[string]*widget.Check{}, form: newForm(), dueSoon: widget.NewEntry()}
	cols := slaColumns()
	// One row per limit: its name in a fixed column, then a cell per column.
	grid := container.NewVBox()
	row := func(name fyne.CanvasObject, cells ...fyne.CanvasObject) {
		grid.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(250, name.MinSize().Height), name), nil,
			container.NewGridWithColumns(len(cells), cells...)))
	}
	var heads []fyne.CanvasObject
	for _, c := range cols {
		name := i18n.T("ui.sla.default")
		if c != "" {
			name = i18n.Classification(lapordesk.Classification(c))
		}
		hd := heading(name)
		hd.Truncation = fyne.TextTruncateEllipsis
		heads = append(heads, hd)
	}
	row(widget.NewLabel(""), heads...)
	for _, f := range slaFields {
		var cells []fyne.CanvasObject
		for _, c := range cols {
			e := widget.NewEntry()
			if c != "" {
				e.SetPlaceHolder(i18n.T("ui.sla.same"))
			}
			t.cells[slaKey(c, f)] = e
			cells = append(cells, e)
		}
		row(widget.NewLabel(i18n.Field(f)), cells...)
	}
	var checks []fyne.CanvasObject
	for _, c := range cols {
		ch := widget.NewCheck(i18n.T("ui.sla.working_days"), nil)
		t.working[c] = ch
		checks = append(checks, ch)
	}
	row(widget.NewLabel(i18n.T("ui.sla.working")), checks...)
	var open []string
	for _, s := range lapordesk.Statuses {
		if s.Open() {
			open = append(open, i18n.Status(s))
		}
	}
	t.pause = widget.NewCheckGroup(open, nil)
	f := t.form
	// Each problem is named with its column, above the table.
	f.add("due_soon_days", i18n.Field("due_soon_days"), true, t.dueSoon)
	f.add("pause_statuses", i18n.Field("pause_statuses"), false, t.pause)
	t.save = newSaveBar(i18n.T("ui.save"), t.doSave)
	note := wrapLabel(i18n.T("ui.sla.note"))
	note.Importance = widget.LowImportance
	t.content = scrollPad(container.NewVBox(note, f.general, panel(grid), f.grid, t.save.view()))
	return t
}

func (t *slaTab) fill(p lapordesk.Policy) {
	set := func(col string, s lapordesk.SLA) {
		for _, f := range slaFields {
			v := map[string]int{"verify_days": s.VerifyDays, "follow_up_days": s.FollowUpDays, "auto_close_days": s.AutoCloseDays, "resolution_days": s.ResolutionDays}[f]
			t.cells[slaKey(col, f)].SetText(strconv.Itoa(v))
		}
		t.working[col].SetChecked(s.ResolutionWorkingDays)
	}
	set("", p.Default)
	for _, c := range lapordesk.Classifications {
		col := string(c)
		if s, ok := p.ByClassification[c]; ok {
			set(col, s)
			continue
		}
		for _, f := range slaFields {
			t.cells[slaKey(col, f)].SetText("")
		}
		t.working[col].SetChecked(p.Default.ResolutionWorkingDays)
	}
	t.dueSoon.SetText(strconv.Itoa(p.DueSoonDays))
	var sel []string
	for _, s := range p.PauseStatuses {
		sel = append(sel, i18n.Status(s))
	}
	t.pause.SetSelected(sel)
}

// policy reads the table; a classification column left empty follows the default.
func (t *slaTab) policy() (lapordesk.Policy, error) {
	var errs lapordesk.ValidationErrors
	num := func(key string) int {
		txt := strings.TrimSpace(t.cells[key].Text)
		n, err := strconv.Atoi(txt)
		if err != nil {
			errs = append(errs, &lapordesk.FieldError{Field: key, Problem: lapordesk.ProblemFormat, Value: txt})
		}
		return n
	}
	read := func(col string) lapordesk.SLA {
		return lapordesk.SLA{VerifyDays: num(slaKey(col, "verify_days")), FollowUpDays: num(slaKey(col, "follow_up_days")),
			AutoCloseDays: num(slaKey(col, "auto_close_days")), ResolutionDays: num(slaKey(col, "resolution_days")),
			ResolutionWorkingDays: t.working[col].Checked}
	}
	p := lapordesk.Policy{Default: read(""), ByClassification: map[lapordesk.Classification]lapordesk.SLA{}}
	for _, c := range lapordesk.Classifications {
		col := string(c)
		empty := true
		for _, f := range slaFields {
			if strings.TrimSpace(t.cells[slaKey(col, f)].Text) != "" {
				empty = false
			}
		}
		if !empty {
			p.ByClassification[c] = read(col)
		}
	}
	soon, err := strconv.Atoi(strings.TrimSpace(t.dueSoon.Text))
	if err != nil {
		errs = append(errs, &lapordesk.FieldError{Field: "due_soon_days", Problem: lapordesk.ProblemFormat, Value: t.dueSoon.Text})
	}
	p.DueSoonDays = soon
	for _, s := range lapordesk.Statuses {
		for _, sel := range t.pause.Selected {
			if sel == i18n.Status(s) {
				p.PauseStatuses = append(p.PauseStatuses, s)
			}
		}
	}
	if len(errs) > 0 {
		return p, errs
	}
	return p, p.Validate()
}

func (t *slaTab) doSave() {
	p, err := t.policy()
	if err != nil {
		t.form.show(slaNamed(err))
		return
	}
	t.save.run(t.d, t.form, func(ctx context.Context) error { return t.d.store.SetPolicy(ctx, p) }, func() { t.d.changed() })
}

// slaNamed names each problem of the table with its column and row, since the
// table has no room for a line beneath every cell.
func slaNamed(err error) error {
	var ve lapordesk.ValidationErrors
	if !errors.As(err, &ve) {
		return err
	}
	var lines []string
	var rest lapordesk.ValidationErrors
	for _, fe := range ve {
		col, field, ok := strings.Cut(fe.Field, ".")
		if !ok {
			if fe.Field == "due_soon_days" || fe.Field == "pause_statuses" {
				rest = append(rest, fe)
				continue
			}
			col, field = "", fe.Field
		}
		name := i18n.T("ui.sla.default")
		if col != "" {
			name = i18n.Classification(lapordesk.Classification(col))
		}
		c := *fe
		c.Field = field
		lines = append(lines, name+": "+i18n.FieldError(&c))
	}
	if len(lines) == 0 {
		return rest
	}
	return &namedErrors{msg: strings.Join(lines, "\n"), rest: rest}
}

// namedErrors carries messages already written for the user, plus field errors.
type namedErrors struct {
	msg  string
	rest lapordesk.ValidationErrors
}

func (e *namedErrors) Error() string { return e.msg }

// --- language and theme ---

type lookTab struct {
	d       *Desk
	lang    *choice
	theme   *choice
	result  *widget.Label
	content fyne.CanvasObject
	quiet   bool
}

func newLookTab(d *Desk) *lookTab {
	t := &lookTab{d: d, result: widget.NewLabel("")}
	t.lang = newChoice("", []string{"id", "en"}, []string{"Bahasa Indonesia", "English"}, func() {
		if t.quiet {
			return
		}
		t.put(storage.SettingLanguage, t.lang.Value(), func() { t.result.SetText(i18n.T("ui.settings.restart")) })
	})
	t.theme = newChoice("", []string{ThemeLight, ThemeDark, ThemeSystem},
		[]string{i18n.T("ui.theme.light"), i18n.T("ui.theme.dark"), i18n.T("ui.theme.system")}, func() {
			if t.quiet {
				return
			}
			v := t.theme.Value()
			t.put(storage.SettingTheme, v, func() { d.app.Settings().SetTheme(newDeskTheme(v)) })
		})
	f := newForm()
	f.add("language", i18n.T("ui.settings.language"), false, t.lang)
	f.add("theme", i18n.T("ui.settings.theme"), false, t.theme)
	note := wrapLabel(i18n.T("ui.settings.language_note"))
	note.Importance = widget.LowImportance
	t.content = scrollPad(container.NewVBox(f.content(), note, t.result))
	return t
}

func (t *lookTab) load() {
	type look struct{ lang, theme string }
	Go(t.d.async, func(ctx context.Context) (look, error) {
		l := look{lang: "id", theme: ThemeLight}
		_ = t.d.store.Setting(ctx, storage.SettingLanguage, &l.lang)
		_ = t.d.store.Setting(ctx, storage.SettingTheme, &l.theme)
		return l, nil
	}, func(l look, _ error) {
		t.quiet = true
		t.lang.SetValue(l.lang)
		t.theme.SetValue(l.theme)
		t.quiet = false
	})
}

func (t *lookTab) put(key, value string, done func()) {
	Go(t.d.async, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, t.d.store.PutSetting(ctx, key, value)
	}, func(_ struct{}, err error) {
		if err != nil {
			t.result.SetText(i18n.Error(err))
			return
		}
		done()
	})
}
