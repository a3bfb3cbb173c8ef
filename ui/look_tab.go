package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// lookTab is Pengaturan › Tampilan: the language and the theme.
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
