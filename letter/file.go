package letter

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// PrintFile prints a report's letter (Print) into the PDF file at path. The file is
// written beside its place and renamed into it once complete, so a failure leaves no
// half-written file; a folder that cannot be written is found before the store
// allocates a number.
func PrintFile(ctx context.Context, st Store, req Request, path string) (Printed, error) {
	var p Printed
	err := writeFile(path, func(w io.Writer) (err error) {
		p, err = Print(ctx, st, req, w)
		return err
	})
	return p, err
}

// PrintRecapFile prints a recap (PrintRecap) into the PDF file at path, as
// PrintFile does.
func PrintRecapFile(ctx context.Context, st RecapStore, req RecapRequest, path string) (Printed, error) {
	var p Printed
	err := writeFile(path, func(w io.Writer) (err error) {
		p, err = PrintRecap(ctx, st, req, w)
		return err
	})
	return p, err
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".lapordesk-*.pdf.tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
