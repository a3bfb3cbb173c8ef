package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/lapordesk/lapordesk"
)

// DataFile keeps a program's data file open across a restore, the one thing that
// replaces the file under a running program. The program opens it once; what works
// on the store in the background (a backup) does so through Use, and a restore
// waits for that work, has the program stop what runs on its own (a sync service),
// closes the store, restores, and opens the store again. So no caller closes or
// reopens the store itself.
type DataFile struct {
	path string
	opts []Option

	mu sync.RWMutex // held shared by Use, exclusively by Restore
	s  *Store       // nil after a restore that could not open any file
}

// OpenDataFile opens the store at path (see Open); opts apply again whenever a
// restore reopens it.
func OpenDataFile(ctx context.Context, path string, opts ...Option) (*DataFile, error) {
	s, err := Open(ctx, path, opts...)
	if err != nil {
		return nil, err
	}
	return &DataFile{path: path, opts: opts, s: s}, nil
}

// Path returns the data file's path.
func (f *DataFile) Path() string { return f.path }

// Store returns the store open now. After a Restore it is a new one: callers keep
// it only until they are told of the restore.
func (f *DataFile) Store() *Store {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.s
}

// ErrRestoring is TryUse's answer while a restore is replacing the store.
var ErrRestoring = errors.New("the data file is being restored")

// Use runs fn on the store, holding a restore off until fn returns.
func (f *DataFile) Use(fn func(*Store) error) error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.s == nil {
		return fmt.Errorf("data file %s: %w", f.path, lapordesk.ErrNotStore)
	}
	return fn(f.s)
}

// TryUse is Use that does not wait: while a restore runs it returns ErrRestoring at
// once (a scheduled backup then waits for its next turn).
func (f *DataFile) TryUse(fn func(*Store) error) error {
	if !f.mu.TryRLock() {
		return ErrRestoring
	}
	defer f.mu.RUnlock()
	if f.s == nil {
		return fmt.Errorf("data file %s: %w", f.path, lapordesk.ErrNotStore)
	}
	return fn(f.s)
}

// Restore replaces the data file with the backup at src (see the function Restore)
// and opens the store again (see Replace). passphrase opens an encrypted backup
// ("" for one that is not).
func (f *DataFile) Restore(ctx context.Context, src, passphrase string, stop func(), progress Progress) (RestoreResult, error) {
	var res RestoreResult
	err := f.Replace(ctx, stop, func(ctx context.Context, path string) error {
		var err error
		res, err = RestoreWith(ctx, src, passphrase, path, progress)
		return err
	})
	return res, err
}

// Replace closes the store, lets fn replace the data file at its path (a restore,
// a training scenario started again), and opens the store again. stop (may be
// nil) is called once nothing uses the store any more, before it closes: the
// caller stops there what runs on the store by itself. Whatever happens, the
// store is opened again afterwards: the new file, or the one that was there if
// fn failed. When not even that opens, the error says so too and Store returns nil.
func (f *DataFile) Replace(ctx context.Context, stop func(), fn func(ctx context.Context, path string) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if stop != nil {
		stop()
	}
	var closeErr error
	if f.s != nil {
		closeErr = f.s.Close()
		f.s = nil
	}
	err := fn(ctx, f.path)
	if err == nil && closeErr != nil {
		err = fmt.Errorf("close the data file: %w", closeErr)
	}
	// The program needs its data file open again, cancelled or not.
	s, oerr := Open(context.WithoutCancel(ctx), f.path, f.opts...)
	if oerr != nil {
		return errors.Join(err, fmt.Errorf("open the data file again: %w", oerr))
	}
	f.s = s
	return err
}

// Close closes the store.
func (f *DataFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.s == nil {
		return nil
	}
	err := f.s.Close()
	f.s = nil
	return err
}
