package assets

import (
	"embed"
	"fmt"
)

// Letter fonts: Liberation Serif (SIL Open Font License 1.1, see FontLicense), metric-
// compatible with the Times New Roman that Pemda offices type their letters in, so a
// printed letter looks like the office's own. Embedded so that letters print the same
// on every PC, whatever fonts Windows has.
const (
	FontSerifRegular = "fonts/LiberationSerif-Regular.ttf"
	FontSerifBold    = "fonts/LiberationSerif-Bold.ttf"
	FontSerifItalic  = "fonts/LiberationSerif-Italic.ttf"
	// FontLicense is the licence the fonts are distributed under; it ships with them.
	FontLicense = "fonts/LICENSE-LiberationFonts.txt"
)

//go:embed fonts/*.ttf fonts/LICENSE-LiberationFonts.txt
var fontFiles embed.FS

// Font returns the bytes of an embedded font file or its licence, by one of the
// Font* names above. The caller gets its own copy.
func Font(name string) ([]byte, error) {
	b, err := fontFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("embedded font %q: %w", name, err)
	}
	return b, nil
}
