// Package localeenv normalises a "C.UTF-8"-style locale before Fyne's lang package
// reads it. Fyne cannot parse such a locale and logs an error for every lookup,
// which would break the CLI's promise of one line on stderr. "C" means the same to
// us (no language preference: LAPOR Desk picks its own) and is understood.
//
// Import it for side effects from main. It must initialise before fyne.io/fyne/v2/lang,
// which reads the locale in its own init: Go initialises ready packages in import-path
// order, and this package (depending on os alone) is ready, and sorts, before lang's
// dependency github.com/nicksnyder/go-i18n. TestInitOrder in cmd/lapordesk checks it.
package localeenv

import (
	"os"
	"strings"
)

func init() { Normalize() }

// Normalize rewrites the first of LC_ALL, LC_MESSAGES and LANG that is set (the one
// the locale lookup uses) from C.<charset> or POSIX.<charset> to C.
func Normalize() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.") {
			os.Setenv(k, "C")
		}
		return
	}
}
