package ui

import (
	"context"

	"github.com/lapordesk/lapordesk"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// Hooks are the features built in other packages (sync, letters, spreadsheet
// exchange) that the desk shows when they are present. A nil hook hides its buttons,
// menu items and shortcuts: the desk never offers what does not work yet.
type Hooks struct {
	Sync     Syncer
	Letters  LetterPrinter
	Exchange Exchanger
}

// Syncer keeps the desk in sync with the regional hub in the background; the sync
// package's *Service is one. The desk starts it with the window and stops it on
// close, shows what it Subscribes to in the status bar, asks for a round on F5, and
// tells it when the desk wrote something. SyncAndWait is called off the UI goroutine.
type Syncer interface {
	Start(ctx context.Context)
	Stop()
	SyncNow()
	SyncAndWait(ctx context.Context) error
	Changed()
	Status() lsync.Status
	Subscribe() (<-chan lsync.Status, func())
}

// LetterPrinter is where the desk's letters go: the letter package lays out the
// lembar disposisi, surat tindak lanjut and recaps, the desk writes them as PDF
// files into Folder and opens them with the system's viewer. LetterFolder is one.
type LetterPrinter interface {
	// Folder returns the folder for new PDF files, creating it when needed. It is
	// called off the UI goroutine.
	Folder() (string, error)
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
