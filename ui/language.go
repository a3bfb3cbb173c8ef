package ui

import (
	"encoding/json"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/lapordesk/lapordesk/i18n"
)

// useLanguage hands the language i18n speaks to Fyne, whose own dialog buttons
// (OK, Cancel, ...) are in the same table.
//
// Fyne picks the translation that best matches the operating system's locale, and
// offers no switch of its own; SKPD PCs often run an English Windows while their
// users want Indonesian. So the table is registered both under the system locale and
// under English, Fyne's fallback: whatever the system says, the chosen text wins.
func useLanguage() error {
	code, msgs := i18n.Current()
	b, err := json.Marshal(msgs)
	if err != nil {
		return fmt.Errorf("%s translations for Fyne: %w", code, err)
	}
	for _, loc := range []fyne.Locale{"en", lang.SystemLocale(), fyne.Locale(code)} {
		if err := lang.AddTranslationsForLocale(b, loc); err != nil {
			return fmt.Errorf("load %s translations for %s: %w", code, loc, err)
		}
	}
	return nil
}
