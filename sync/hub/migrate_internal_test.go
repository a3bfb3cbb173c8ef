package hub

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// A hub file of schema 1, with an upload under way, opens at the latest schema: the upload
// (perhaps already cut at a NUL byte) is dropped for the desk to send again, and
// everything else stays.
func TestHubSchema1Migrates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	v1 := fileConfig()
	v1.Migrations = v1.Migrations[:1]
	db, err := sqlitedb.Open(ctx, path, v1)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	if err := db.R.QueryRow("SELECT value FROM meta WHERE key = 'hub_id'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec("INSERT INTO uploads (sha256, size, mime, data, updated_at) VALUES ('abc', 10, 'image/jpeg', x'ffd8', 1)"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ID() != id {
		t.Fatalf("the hub's identity changed: %s, was %s", s.ID(), id)
	}
	var version, uploads int
	if err := s.r.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != fileConfig().Latest() {
		t.Fatalf("schema %d, %v", version, err)
	}
	if err := s.r.QueryRow("SELECT count(*) FROM uploads").Scan(&uploads); err != nil || uploads != 0 {
		t.Fatalf("%d uploads kept, %v", uploads, err)
	}
	if _, _, err := s.RefData(ctx); err != nil {
		t.Fatalf("reference data after the migration: %v", err)
	}
	if len(s.Epoch()) != 32 {
		t.Fatalf("no epoch after the migration: %q", s.Epoch())
	}
}
