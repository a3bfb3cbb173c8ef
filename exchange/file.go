package exchange

import (
	"fmt"
	"io"
	"os"
)

// WriteFile writes a file under a temporary name and renames it into place, so a
// failed or cancelled export never leaves half a file under the name asked for.
// The CLI and the window both export through it.
func WriteFile(path string, fn func(io.Writer) error) error {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export to %s: %w", path, err)
	}
	return nil
}
