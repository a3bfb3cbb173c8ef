package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
	"github.com/lapordesk/lapordesk/ui"
)

// runGUI opens the window on the data file.
func runGUI(ctx context.Context, e *env) error {
	path, err := e.dbPath()
	if err != nil {
		return err
	}
	// The window names the data file, its backups and letters in messages the
	// user acts on: whole paths, whatever folder the program started in.
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if e.training {
		// The window's first run would set up a real desk in the training
		// workspace: a scenario makes it (the window's own choice is to come).
		if _, err := os.Stat(path); err != nil {
			return explained{i18n.T("training.none")}
		}
		s, err := e.open(ctx)
		if err != nil {
			return err
		}
		if err := s.Close(); err != nil {
			return err
		}
	}
	cfg := ui.Config{DBPath: path, Language: e.getenv("LAPORDESK_LANG"), Hooks: deskFeatures}
	if e.getenv("LAPORDESK_TRACE") != "" {
		// Timings of the start, for a desk that feels slow.
		cfg.Trace = func(event string) {
			fmt.Fprintf(e.stderr, "lapordesk: %s after %d ms\n", event, time.Since(processStart).Milliseconds())
		}
	}
	return ui.Run(ctx, cfg)
}

// processStart is when the program started (package variables initialise first).
var processStart = time.Now()

// deskFeatures are what the window offers beyond the reports, built on the store
// it opens (and again on the one a restore opens): sync with the hub in the
// background, letters printed beside the data file, spreadsheets and backups with
// the daily backup, which waits until the first page is shown and worked on.
func deskFeatures(s *storage.Store) ui.Hooks {
	return ui.Hooks{
		Sync:     lsync.NewService(s, lsync.ServiceOptions{}),
		Letters:  ui.LettersBeside(s.Path()),
		Exchange: &ui.ExchangeFeature{DailyAfter: 2 * time.Minute},
	}
}
