package ui

import (
	"context"
	"time"

	lsync "github.com/lapordesk/lapordesk/sync"
)

// Hooks are the features built in other packages (sync, letters, spreadsheet
// exchange) that the desk shows when they are present. A nil hook hides its buttons,
// menu items and shortcuts: the desk never offers what does not work yet.
type Hooks struct {
	Sync     Syncer
	Letters  LetterPrinter
	Exchange *ExchangeFeature
}

// A restore replaces the data file under the hooks: storage.DataFile has the desk
// call Stop() on each hook that has such a method (a sync service running in the
// background) before it closes the store, and the desk then builds the hooks again
// with Config.Hooks on the reopened store.

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

// ExchangeFeature turns on spreadsheet import and export (package exchange) and the
// backup and restore of the data file (package storage): Berkas › Impor…, the
// Ekspor buttons of the lists and Rekap, and Pengaturan › Cadangan with the
// scheduled daily backup. The window calls those packages itself, off the UI
// goroutine.
type ExchangeFeature struct {
	// DailyEvery is how often, while the window is open, the desk makes sure
	// today's scheduled backup exists (0: hourly).
	DailyEvery time.Duration
	// DailyAfter is how long after the window opens the first check runs (0: at
	// once): a big data file's copy then does not compete with the first page
	// and the user's first steps.
	DailyAfter time.Duration
}
