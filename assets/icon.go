package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon returns the program's icon (also named in FyneApp.toml).
func Icon() fyne.Resource { return fyne.NewStaticResource("icon.png", iconPNG) }
