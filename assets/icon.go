package assets

import _ "embed"

//go:embed icon.png
var iconPNG []byte

// IconPNG returns the program's icon, a PNG (also named in FyneApp.toml). The
// caller gets its own copy.
func IconPNG() []byte { return append([]byte(nil), iconPNG...) }
