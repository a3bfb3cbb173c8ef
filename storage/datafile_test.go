package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

var dinkes = lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit}

func countAll(t *testing.T, s *storage.Store) int {
	t.Helper()
	n, err := s.Counts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return n[lapordesk.BoxAll]
}

// A restore through DataFile waits for work on the store, has the caller stop its
// own, closes the old store and opens the backup's: callers never close or reopen.
func TestDataFileRestoreReopens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	f, err := storage.OpenDataFile(ctx, filepath.Join(dir, "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	old := f.Store()
	if err := old.SetProfile(ctx, dinkes); err != nil {
		t.Fatal(err)
	}
	mustReceive(t, old, sample("Sebelum cadangan"))
	backup := filepath.Join(dir, "cadangan.db")
	if err := f.Use(func(s *storage.Store) error { _, err := s.Backup(ctx, backup, nil); return err }); err != nil {
		t.Fatal(err)
	}
	mustReceive(t, old, sample("Sesudah cadangan"))

	stopped := false
	res, err := f.Restore(ctx, backup, "", func() {
		stopped = true
		// A scheduled backup arriving now does not wait for the restore.
		if err := f.TryUse(func(*storage.Store) error { return nil }); !errors.Is(err, storage.ErrRestoring) {
			t.Errorf("TryUse during a restore: %v, want ErrRestoring", err)
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !stopped || res.Backup.Reports != 1 {
		t.Fatalf("stop called %v, backup holds %d reports", stopped, res.Backup.Reports)
	}
	now := f.Store()
	if now == old || now == nil {
		t.Fatal("the store was not opened again")
	}
	if _, err := old.Counts(ctx, ""); err == nil {
		t.Fatal("the store before the restore is still open")
	}
	if n := countAll(t, now); n != 1 {
		t.Fatalf("the reopened store holds %d reports, the backup 1", n)
	}
	if res.Aside == "" {
		t.Fatal("the file before the restore was not kept aside")
	}
	if _, err := os.Stat(res.Aside); err != nil {
		t.Fatal(err)
	}
}

// A restore that fails leaves the file that was there, open again and unchanged.
func TestDataFileFailedRestoreKeepsTheFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	f, err := storage.OpenDataFile(ctx, filepath.Join(dir, "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := f.Store().SetProfile(ctx, dinkes); err != nil {
		t.Fatal(err)
	}
	mustReceive(t, f.Store(), sample("Tetap ada"))
	bad := filepath.Join(dir, "bukan-cadangan.db")
	if err := os.WriteFile(bad, []byte("not a backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Restore(ctx, bad, "", nil, nil); err == nil {
		t.Fatal("a file that is no backup was restored")
	}
	if f.Store() == nil {
		t.Fatal("the data file is not open again")
	}
	if n := countAll(t, f.Store()); n != 1 {
		t.Fatalf("after a failed restore the store holds %d reports, want 1", n)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Use(func(*storage.Store) error { return nil }); err == nil {
		t.Fatal("Use after Close ran on a closed store")
	}
}

// Data files, their write-ahead logs and backups are readable by their owner only:
// reporters' identities never lie open to the PC's other accounts.
func TestFilesAreTheOwnersOnly(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps no Unix permissions")
	}
	ctx := context.Background()
	s, _ := openTest(t)
	mustReceive(t, s, sample("Antrean puskesmas"))
	backup := filepath.Join(t.TempDir(), "cadangan", "lapordesk.db")
	if _, err := s.Backup(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{s.Path(), s.Path() + "-wal", backup} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := st.Mode().Perm(); m&0o077 != 0 {
			t.Errorf("%s has mode %v", filepath.Base(p), m)
		}
	}
}
