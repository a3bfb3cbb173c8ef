package storage_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// A backup encrypted for a flash disk holds nothing readable, leaves no plain copy
// behind on either disk, opens only with its passphrase, and restores whole.
func TestEncryptedBackupOpensOnlyWithItsPassphrase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	for _, title := range []string{"Jalan rusak di Desa Lipukasi", "Antrean puskesmas"} {
		if _, err := s.Receive(ctx, sample(title)); err != nil {
			t.Fatal(err)
		}
	}
	flash := t.TempDir()
	dst := filepath.Join(flash, "lapordesk-2026-12-02-101500.db"+storage.EncryptedSuffix)
	const pass = "kata sandi bimtek barru"
	var fe *lapordesk.FieldError
	if _, err := s.BackupEncrypted(ctx, dst, "pendek", nil); !errors.As(err, &fe) || fe.Field != "passphrase" {
		t.Fatalf("a short passphrase: %v", err)
	}
	info, err := s.BackupEncrypted(ctx, dst, pass, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Encrypted || info.Reports != 2 || info.Path != dst {
		t.Fatalf("backup info: %+v", info)
	}
	raw, _ := os.ReadFile(dst)
	for _, plain := range []string{"Lipukasi", "Siti Aminah", "SQLite format 3"} {
		if bytes.Contains(raw, []byte(plain)) {
			t.Errorf("the encrypted backup shows %q", plain)
		}
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup is %v, want owner only", fi.Mode().Perm())
	}
	for _, dir := range []string{flash, filepath.Dir(s.Path())} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), "backup-") || strings.HasSuffix(e.Name(), ".partial") {
				t.Errorf("a temporary copy left in %s: %s", dir, e.Name())
			}
		}
	}
	list, err := storage.ListBackups(flash)
	if err != nil || len(list) != 1 || !list[0].Encrypted {
		t.Fatalf("listed: %+v %v", list, err)
	}

	if _, err := storage.CheckBackup(ctx, dst); !errors.Is(err, storage.ErrNeedPassphrase) {
		t.Fatalf("checked without its passphrase: %v", err)
	}
	target := filepath.Join(t.TempDir(), "lapordesk.db")
	if _, err := storage.CheckBackupWith(ctx, dst, "kata sandi yang salah", target); !errors.Is(err, storage.ErrWrongPassphrase) {
		t.Fatalf("checked with a wrong passphrase: %v", err)
	}
	got, err := storage.CheckBackupWith(ctx, dst, pass, target)
	if err != nil || got.Reports != 2 || !got.Encrypted || got.Path != dst {
		t.Fatalf("checked with its passphrase: %+v %v", got, err)
	}
	// Cut short (a flash disk pulled out mid-copy): damaged, said so, nothing restored.
	cut := filepath.Join(flash, "cut.db.age")
	os.WriteFile(cut, raw[:len(raw)/2], 0o600)
	if _, err := storage.RestoreWith(ctx, cut, pass, target, nil); !errors.Is(err, lapordesk.ErrDamaged) {
		t.Fatalf("a cut backup: %v", err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a cut backup left a data file")
	}
	res, err := storage.RestoreWith(ctx, dst, pass, target, nil)
	if err != nil || res.Backup.Reports != 2 || res.Backup.Path != dst {
		t.Fatalf("restore: %+v %v", res, err)
	}
	r, err := storage.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if c, err := r.Counts(ctx, ""); err != nil || c[lapordesk.BoxAll] != 2 {
		t.Fatalf("the restored store: %v %v", c, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	for _, e := range entries {
		if strings.Contains(e.Name(), "restore-") {
			t.Errorf("a decrypted copy left beside the data file: %s", e.Name())
		}
	}
}
