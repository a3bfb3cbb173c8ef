//go:build !windows

package sync

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock holds an exclusive lock on a file; the system drops it when the process
// ends, even by SIGKILL or a power cut, so a killed sync never blocks the next one.
type fileLock struct{ f *os.File }

// lockFile takes the lock at path without waiting: ErrBusy when another sync holds it.
func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sync lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("sync lock %s: %w", path, err)
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) unlock() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}
