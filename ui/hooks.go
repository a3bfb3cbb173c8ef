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
	Exchange Exchanger
}

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

// Exchanger moves reports in and out of spreadsheets and backs the store up. Its
// methods are called off the UI goroutine; the messages they return are shown to
// the user as they are (translated by the exchanger).
type Exchanger interface {
	// Export writes the reports matching f to path (e.g. .xlsx) and returns how many.
	Export(ctx context.Context, f lapordesk.Filter, path string) (int, error)
	// Import reads reports from path and returns a summary for the user.
	Import(ctx context.Context, path string) (string, error)
	// Backup writes a consistent copy of the store to path.
	Backup(ctx context.Context, path string) error
	// ExportExt is the file extension Export writes, e.g. ".xlsx".
	ExportExt() string
}
