package sqlitedb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
)

var bg = context.Background()

func testConfig(ms ...Migration) Config {
	if len(ms) == 0 {
		ms = []Migration{
			{Version: 1, Name: "one", SQL: "CREATE TABLE a (x INTEGER);"},
			{Version: 2, Name: "two", SQL: "CREATE TABLE b (y TEXT);", Go: func(t *Tx) error {
				_, err := t.Exec("INSERT INTO b (y) VALUES ('seeded')")
				return err
			}},
		}
	}
	return Config{Name: "test", AppID: 0x54455354, Migrations: ms}
}

func pragma(t *testing.T, db *sql.DB, name string) int64 {
	t.Helper()
	var v int64
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewFileMigratesInOrder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "new.db")
	// Given out of order: they apply by version.
	cfg := testConfig()
	cfg.Migrations[0], cfg.Migrations[1] = cfg.Migrations[1], cfg.Migrations[0]
	db, err := Open(bg, path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, id := pragma(t, db.R, "user_version"), pragma(t, db.R, "application_id"); v != 2 || id != cfg.AppID {
		t.Fatalf("user_version %d, application_id %x", v, id)
	}
	var y string
	if err := db.R.QueryRow("SELECT y FROM b").Scan(&y); err != nil || y != "seeded" {
		t.Fatalf("the Go step of migration 2: %q %v", y, err)
	}
	if st, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		t.Fatalf("a new file is not its owner's only: %v %v", st.Mode(), err)
	}
	if _, err := db.R.Exec("INSERT INTO a (x) VALUES (1)"); !errors.Is(Classify(err), lapordesk.ErrReadOnly) {
		t.Fatalf("a reader wrote, or its refusal is not read-only: %v", err)
	}
}

func TestForeignFilesAreRefusedUntouched(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	o, err := sql.Open("sqlite", FileURI(other))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Exec("CREATE TABLE theirs (v TEXT); INSERT INTO theirs VALUES ('keep')"); err != nil {
		t.Fatal(err)
	}
	o.Close()
	text := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(text, bytes.Repeat([]byte("not a database "), 20), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{other, text} {
		before, _ := os.ReadFile(path)
		if _, err := Open(bg, path, testConfig()); !errors.Is(err, lapordesk.ErrNotStore) {
			t.Errorf("%s: %v, want ErrNotStore", filepath.Base(path), err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%s was changed", filepath.Base(path))
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Errorf("%s got a write-ahead log", filepath.Base(path))
		}
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "newer.db")
	db, err := Open(bg, path, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec("PRAGMA user_version = 9"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(bg, path, testConfig())
	if !errors.Is(err, lapordesk.ErrNewerSchema) || !strings.Contains(err.Error(), "9") {
		t.Fatalf("%v, want ErrNewerSchema naming version 9", err)
	}
}

// A migration that fails leaves the file at the version before it, whole.
func TestFailedMigrationKeepsTheOldSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	one := testConfig().Migrations[:1]
	db, err := Open(bg, path, testConfig(one...))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	broken := append(append([]Migration(nil), one...), Migration{Version: 2, Name: "broken",
		SQL: "CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);"})
	if _, err := Open(bg, path, testConfig(broken...)); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("the broken migration: %v", err)
	}
	db, err = Open(bg, path, testConfig(one...))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v := pragma(t, db.R, "user_version"); v != 1 {
		t.Fatalf("user_version %d after a failed migration, want 1", v)
	}
	var n int
	if err := db.R.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'c'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("half of the failed migration stayed: %d %v", n, err)
	}
}

// A write transaction prepares each statement once, and commits all or nothing.
func TestWriteReusesStatementsAndRollsBack(t *testing.T) {
	t.Parallel()
	db, err := Open(bg, filepath.Join(t.TempDir(), "w.db"), testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Write(bg, func(t2 *Tx) error {
		for i := 0; i < 100; i++ {
			if _, err := t2.Exec("INSERT INTO a (x) VALUES (?)", i); err != nil {
				return err
			}
		}
		var n int
		if err := t2.QueryRowContext(bg, "SELECT count(*) FROM a").Scan(&n); err != nil || n != 100 {
			t.Errorf("inside the transaction: %d %v", n, err)
		}
		if p := t2.Prepared(); p != 2 {
			t.Errorf("%d statements prepared for one insert and one count", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err = db.Write(bg, func(t2 *Tx) error {
		if _, err := t2.Exec("INSERT INTO a (x) VALUES (?)", -1); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the failure was not returned: %v", err)
	}
	var n int
	if err := db.R.QueryRow("SELECT count(*) FROM a").Scan(&n); err != nil || n != 100 {
		t.Fatalf("after a failed transaction %d rows (%v), want 100", n, err)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	if Classify(nil) != nil {
		t.Fatal("nil classified")
	}
	perm := &os.PathError{Op: "open", Path: "x", Err: os.ErrPermission}
	once := Classify(perm)
	if !errors.Is(once, lapordesk.ErrReadOnly) || !errors.Is(once, os.ErrPermission) {
		t.Fatalf("%v: the sentinel or the original is lost", once)
	}
	if twice := Classify(once); twice.Error() != once.Error() {
		t.Fatalf("classified twice: %q", twice)
	}
	plain := errors.New("something else")
	if Classify(plain) != plain {
		t.Fatal("an unknown error was changed")
	}
}

func TestFileURI(t *testing.T) {
	t.Parallel()
	if got := FileURI("/tmp/a b/100%?#.db"); got != "file:/tmp/a b/100%25%3F%23.db" {
		t.Fatalf("%q", got)
	}
}

// A real SQLITE_FULL (a file held to four pages) is told as a full disk.
func TestClassifyDiskFull(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite", FileURI(filepath.Join(t.TempDir(), "full.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"CREATE TABLE b (x BLOB)", "PRAGMA max_page_count = 4"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.Exec("INSERT INTO b VALUES (zeroblob(100000))")
	if err == nil || !errors.Is(Classify(err), lapordesk.ErrDiskFull) {
		t.Fatalf("%v, want ErrDiskFull", Classify(err))
	}
}
