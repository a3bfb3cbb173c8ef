package ui

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// Hooks are the features built in other packages (sync, letters, spreadsheet
// exchange) that the desk shows when they are present. A nil hook hides its buttons,
// menu items and shortcuts: the desk never offers what does not work yet.
type Hooks struct {
	Sync     Syncer
	Letters  LetterPrinter
	Exchange *ExchangeFeature
}

// A restore replaces the data file under the hooks: the desk first calls Stop() on
// each hook that has such a method (a sync service running in the background),
// closes the store, and after the restore builds the hooks again with
// Config.Hooks on the reopened store.

// SyncState is what the status bar shows about the link with the regional hub.
type SyncState struct {
	Configured bool      // the desk is enrolled with a hub
	Online     bool      // the last contact with the hub succeeded
	Running    bool      // a sync round is under way
	LastSync   time.Time // end of the last successful round; zero: never
	LastError  error     // of the last round, if it failed
}

// Syncer is the sync client as the desk sees it. Its methods are called off the UI
// goroutine.
type Syncer interface {
	// State returns the current sync state; it must be quick (no network).
	State(ctx context.Context) (SyncState, error)
	// SyncNow runs one sync round (F5) and returns when it is over.
	SyncNow(ctx context.Context) error
}

// Letter is a letter that can be printed for a report.
type Letter struct {
	Kind  string // e.g. "disposisi", "tindak-lanjut"
	Label string // as shown on the Cetak menu, translated
}

// LetterPrinter prints official letters (lembar disposisi, surat tindak lanjut).
// Letters is called on the UI goroutine and must not touch the store; Print is
// called off it.
type LetterPrinter interface {
	// Letters lists the letters that fit the report in its current state.
	Letters(v lapordesk.View) []Letter
	// Print issues (or reissues) the letter and returns the PDF file to open.
	Print(ctx context.Context, report uuid.UUID, kind string) (path string, err error)
	// Recap prints the recap of a period and returns the PDF file to open.
	Recap(ctx context.Context, from, to lapordesk.Date) (path string, err error)
}

// ExchangeFeature turns on spreadsheet import and export (package exchange) and the
// backup and restore of the data file (package storage): Berkas › Impor…, the
// Ekspor buttons of the lists and Rekap, and Pengaturan › Cadangan with the
// scheduled daily backup. The window calls those packages itself, off the UI
// goroutine.
type ExchangeFeature struct {
	// DailyEvery is how often, while the window is open, the desk makes sure
	// today's scheduled backup exists (0: hourly).
	DailyEvery time.Duration
}
