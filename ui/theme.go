package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme settings, stored under the "theme" setting.
const (
	ThemeLight  = "light"
	ThemeDark   = "dark"
	ThemeSystem = "system"
)

// Colours of the desk beyond Fyne's own names.
const (
	colorOverdue  fyne.ThemeColorName = "lapordesk.overdue"
	colorSoon     fyne.ThemeColorName = "lapordesk.soon"
	colorOK       fyne.ThemeColorName = "lapordesk.ok"
	colorPaused   fyne.ThemeColorName = "lapordesk.paused"
	colorNeutral  fyne.ThemeColorName = "lapordesk.neutral"
	colorRahasia  fyne.ThemeColorName = "lapordesk.rahasia"
	colorAnonim   fyne.ThemeColorName = "lapordesk.anonim"
	colorSidebar  fyne.ThemeColorName = "lapordesk.sidebar"
	colorTraining fyne.ThemeColorName = "lapordesk.training"
	colorOnBadge  fyne.ThemeColorName = "lapordesk.onBadge"
	colorOnSoon   fyne.ThemeColorName = "lapordesk.onSoon"
	colorCard     fyne.ThemeColorName = "lapordesk.card"
)

// deskTheme is Fyne's theme with a calm office palette: a civil-service blue, badge
// colours that read at a glance (red late, amber soon, green fine), and a variant the
// user may fix to light or dark whatever the system says.
type deskTheme struct {
	fyne.Theme
	variant *fyne.ThemeVariant // nil: follow the system
}

func newDeskTheme(setting string) *deskTheme {
	t := &deskTheme{Theme: theme.DefaultTheme()}
	switch setting {
	case ThemeLight:
		v := theme.VariantLight
		t.variant = &v
	case ThemeDark:
		v := theme.VariantDark
		t.variant = &v
	}
	return t
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

func (t *deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	dark := v == theme.VariantDark
	pick := func(light, darkC color.NRGBA) color.Color {
		if dark {
			return darkC
		}
		return light
	}
	switch n {
	case theme.ColorNamePrimary:
		return pick(rgb(0x1f, 0x5f, 0xad), rgb(0x5b, 0x9b, 0xe6))
	case theme.ColorNameBackground:
		return pick(rgb(0xf4, 0xf6, 0xf9), rgb(0x1d, 0x20, 0x25))
	case theme.ColorNameInputBackground:
		return pick(rgb(0xff, 0xff, 0xff), rgb(0x2a, 0x2e, 0x35))
	case theme.ColorNameHeaderBackground, colorCard:
		return pick(rgb(0xff, 0xff, 0xff), rgb(0x26, 0x2a, 0x31))
	case colorSidebar:
		return pick(rgb(0xe7, 0xec, 0xf3), rgb(0x17, 0x1a, 0x1e))
	case theme.ColorNameSelection:
		return pick(rgb(0xd2, 0xe3, 0xf8), rgb(0x2c, 0x45, 0x66))
	case theme.ColorNameSeparator:
		return pick(rgb(0xd9, 0xde, 0xe5), rgb(0x3a, 0x3f, 0x47))
	case colorOverdue, theme.ColorNameError:
		return pick(rgb(0xc6, 0x28, 0x28), rgb(0xef, 0x53, 0x50))
	case colorSoon:
		return pick(rgb(0xf2, 0xa9, 0x00), rgb(0xff, 0xb7, 0x4d))
	case theme.ColorNameWarning:
		return pick(rgb(0x9a, 0x5b, 0x00), rgb(0xff, 0xb7, 0x4d))
	case theme.ColorNameDisabled:
		// Fyne draws low-importance text in this colour: secondary, still readable.
		return pick(rgb(0x6b, 0x75, 0x80), rgb(0x8e, 0x99, 0xa6))
	case theme.ColorNamePlaceHolder:
		return pick(rgb(0x86, 0x90, 0x9b), rgb(0x7f, 0x8a, 0x96))
	case colorOK, theme.ColorNameSuccess:
		return pick(rgb(0x2e, 0x7d, 0x32), rgb(0x66, 0xbb, 0x6a))
	case colorPaused:
		return pick(rgb(0x60, 0x7d, 0x8b), rgb(0x78, 0x90, 0x9c))
	case colorNeutral:
		return pick(rgb(0x54, 0x6e, 0x8a), rgb(0x5c, 0x77, 0x94))
	case colorRahasia:
		return pick(rgb(0x6a, 0x1b, 0x9a), rgb(0xab, 0x47, 0xbc))
	case colorAnonim:
		return pick(rgb(0x37, 0x47, 0x4f), rgb(0x54, 0x6e, 0x7a))
	case colorTraining:
		return rgb(0xe6, 0x51, 0x00)
	case colorOnBadge:
		return rgb(0xff, 0xff, 0xff)
	case colorOnSoon:
		return rgb(0x21, 0x21, 0x21)
	}
	return t.Theme.Color(n, v)
}

func (t *deskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameHeadingText:
		return 20
	case theme.SizeNameSubHeadingText:
		return 16
	}
	return t.Theme.Size(n)
}

// themeColor returns a desk colour for the current theme and variant.
func themeColor(n fyne.ThemeColorName) color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(n, fyne.CurrentApp().Settings().ThemeVariant())
}
