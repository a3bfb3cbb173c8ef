package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

func TestOpenCreatesFolderAndSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nested", "folder", "desk.db")
	s, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Units()) < 20 || len(s.Categories().All()) < 20 || len(s.Holidays()) < 20 {
		t.Errorf("reference data not seeded: %d units, %d categories, %d holidays", len(s.Units()), len(s.Categories().All()), len(s.Holidays()))
	}
	s.Close()
	// Reopening applies nothing and keeps the data.
	s, err = storage.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	var v int
	db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != storage.SchemaVersion() {
		t.Errorf("user_version %d, want %d", v, storage.SchemaVersion())
	}
}

// A file from a newer version is refused with a clear error and left byte for byte
// as it was.
func TestOpenRefusesNewerSchemaUntouched(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "desk.db")
	s, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = storage.Open(context.Background(), path)
	if !errors.Is(err, lapordesk.ErrNewerSchema) {
		t.Fatalf("got %v, want lapordesk.ErrNewerSchema", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a refused file was modified")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		if fi, _ := os.Stat(path + "-wal"); fi.Size() > 0 {
			t.Error("a refused file got a write-ahead log")
		}
	}
}

func TestOpenRefusesForeignFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Another program's SQLite database.
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite", other)
	if _, err := db.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Not SQLite at all.
	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, bytes.Repeat([]byte("laporan "), 100), 0o600)
	for _, p := range []string{other, text} {
		before, _ := os.ReadFile(p)
		_, err := storage.Open(context.Background(), p)
		if !errors.Is(err, lapordesk.ErrNotStore) {
			t.Errorf("%s: got %v, want lapordesk.ErrNotStore", filepath.Base(p), err)
		}
		after, _ := os.ReadFile(p)
		if !bytes.Equal(before, after) {
			t.Errorf("%s: refused file was modified", filepath.Base(p))
		}
	}
}

// A data file whose pages are damaged is told as damaged, not as "not a LAPOR
// Desk file", so the user is sent to the newest backup.
func TestDamagedFileIsToldAsDamaged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	for i := 0; i < 200; i++ {
		mustReceive(t, s, sample(fmt.Sprintf("Laporan nomor %d tentang pelayanan", i)))
	}
	path := s.Path()
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 8192; i < len(b); i++ {
		b[i] = 0x55
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(ctx, path)
	if err == nil {
		err = st.Check(ctx)
		st.Close()
	}
	if !errors.Is(err, lapordesk.ErrDamaged) || !errors.Is(err, lapordesk.ErrNotStore) {
		t.Fatalf("a damaged file: %v", err)
	}
}
