package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/lapordesk/lapordesk/storage"
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
	cfg := ui.Config{DBPath: path, Language: e.getenv("LAPORDESK_LANG"), Hooks: guiHooks}
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

// guiHooks collects the features of this build that the window shows: each feature
// file sets its hook here (sync: h.Sync, letters: h.Letters, exchange: h.Exchange),
// one line each. A hook left nil hides its buttons.
func guiHooks(s *storage.Store) ui.Hooks {
	var h ui.Hooks
	for _, add := range guiFeatures() {
		add(s, &h)
	}
	return h
}

// guiFeatures lists the functions that plug features into the window, one per
// feature file (e.g. syncGUI in sync.go).
func guiFeatures() []func(*storage.Store, *ui.Hooks) {
	return []func(*storage.Store, *ui.Hooks){syncGUI, letterGUI, exchangeGUI}
}
