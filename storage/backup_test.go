package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// A backup taken while another goroutine keeps writing holds every report committed
// before it started, nothing half-written, and restores to a sound store.
func TestBackupWhileWritingRestoresEveryCommittedReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	for i := 0; i < 50; i++ {
		if _, err := s.Receive(ctx, sample(fmt.Sprintf("Laporan awal %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu        sync.Mutex
		committed []uuid.UUID
		stop      atomic.Bool
		wg        sync.WaitGroup
		writeErr  error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			v, err := s.Receive(ctx, sample(fmt.Sprintf("Laporan saat cadangan %d", i)))
			if err != nil {
				writeErr = err
				return
			}
			if i%3 == 0 {
				if _, err := s.Act(ctx, v.Report.ID, lapordesk.Command{Action: lapordesk.ActVerify}); err != nil {
					writeErr = err
					return
				}
			}
			mu.Lock()
			committed = append(committed, v.Report.ID)
			mu.Unlock()
		}
	}()
	// Let the writer get going, then note what is committed before the backup starts.
	for {
		mu.Lock()
		n := len(committed)
		mu.Unlock()
		if n >= 20 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	before := append([]uuid.UUID(nil), committed...)
	mu.Unlock()
	dst := filepath.Join(t.TempDir(), "cadangan.db")
	var calls atomic.Int64
	info, err := s.Backup(ctx, dst, func(done, total int64) { calls.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	// The writer must have kept committing while the backup ran.
	mu.Lock()
	during := len(committed)
	mu.Unlock()
	stop.Store(true)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("writer: %v", writeErr)
	}
	if info.Reports < 50+len(before) || info.Unit != "DINKES" || calls.Load() == 0 {
		t.Fatalf("backup info %+v (progress calls %d), want at least %d reports", info, calls.Load(), 50+len(before))
	}
	t.Logf("backup holds %d reports; %d written by the other goroutine before it started, %d by its end", info.Reports, len(before), during)

	// Restore it in place of a closed data file and open the result.
	dbPath := filepath.Join(t.TempDir(), "desk.db")
	res, err := storage.Restore(ctx, dst, dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Aside != "" {
		t.Fatalf("nothing to set aside, got %q", res.Aside)
	}
	r, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Check(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		if _, err := r.Report(ctx, id); err != nil {
			t.Fatalf("report %s committed before the backup is missing: %v", id, err)
		}
	}
	// Projections and events agree: rebuilding from the log changes nothing.
	h1, _ := r.StateHash(ctx)
	if err := r.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if h2, _ := r.StateHash(ctx); h1 != h2 {
		t.Fatal("restored projections differ from its event log")
	}
	page, err := r.List(ctx, lapordesk.Filter{}, storage.MaxPage, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatal("restored store lists nothing")
	}
}

func TestRestoreKeepsTheCurrentFileAsideAndRefusesAnOpenStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lapordesk.db")
	s, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(ctx, lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit}); err != nil {
		t.Fatal(err)
	}
	old, err := s.Receive(ctx, sample("Sebelum cadangan"))
	if err != nil {
		t.Fatal(err)
	}
	bdir := storage.DefaultBackupDir(dbPath)
	dst := filepath.Join(bdir, storage.BackupName(time.Date(2026, 11, 27, 14, 5, 9, 0, time.UTC)))
	if filepath.Base(dst) != "lapordesk-2026-11-27-140509.db" {
		t.Fatalf("name %s", dst)
	}
	if _, err := s.Backup(ctx, dst, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(ctx, dst, nil); !errors.Is(err, lapordesk.ErrConflict) {
		t.Fatalf("backup over an existing file: %v", err)
	}
	newer, err := s.Receive(ctx, sample("Sesudah cadangan"))
	if err != nil {
		t.Fatal(err)
	}
	// Open by this very process: refused, nothing moved.
	if _, err := storage.Restore(ctx, dst, dbPath, nil); !errors.Is(err, lapordesk.ErrLocked) {
		t.Fatalf("restore over an open store: %v", err)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var progressed int64
	res, err := storage.Restore(ctx, dst, dbPath, func(done, total int64) { progressed = done })
	if err != nil {
		t.Fatal(err)
	}
	if res.Aside == "" || progressed != res.Backup.Size || res.NewerEvents != 1 {
		t.Fatalf("result %+v, progress %d", res, progressed)
	}
	// Nothing but the data file, the file set aside and the backup folder.
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 {
		t.Fatalf("files after restore: %v", names)
	}
	// The previous file is intact beside the restored one, and still opens.
	prev, err := storage.Open(ctx, res.Aside)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prev.Report(ctx, newer.Report.ID); err != nil {
		t.Fatalf("aside file lost the newer report: %v", err)
	}
	prev.Close()
	r, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Report(ctx, old.Report.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Report(ctx, newer.Report.ID); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("restored store has a report made after the backup: %v", err)
	}
}

func TestRestoreRefusesWhatIsNotAUsableStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lapordesk.db")
	s, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if err := s.PutSetting(ctx, fmt.Sprintf("x%d", i), map[string]string{"isi": fmt.Sprintf("%0500d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	good := filepath.Join(dir, "good.db")
	if _, err := s.Backup(ctx, good, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(dbPath)

	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goodBytes, _ := os.ReadFile(good)

	// Damaged: a stretch of pages overwritten.
	damaged := append([]byte(nil), goodBytes...)
	for i := 4096 * 3; i < 4096*5 && i < len(damaged); i++ {
		damaged[i] = 0x5a
	}
	// Another program's SQLite file.
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite", other)
	if _, err := db.Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A store from a newer LAPOR Desk.
	newer := filepath.Join(dir, "newer.db")
	if err := os.WriteFile(newer, goodBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	db, _ = sql.Open("sqlite", newer)
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", storage.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cases := []struct {
		path string
		want error
	}{
		{write("kosong.db", nil), lapordesk.ErrNotStore},
		{write("teks.db", []byte("bukan basis data, hanya teks biasa yang cukup panjang untuk header sqlite ...................................................")), lapordesk.ErrNotStore},
		{write("rusak.db", damaged), lapordesk.ErrNotStore},
		{other, lapordesk.ErrNotStore},
		{newer, lapordesk.ErrNewerSchema},
		{filepath.Join(dir, "tidak-ada.db"), lapordesk.ErrNotFound},
		{dbPath, lapordesk.ErrInvalid}, // the data file itself
	}
	for _, c := range cases {
		_, err := storage.Restore(ctx, c.path, dbPath, nil)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", filepath.Base(c.path), err, c.want)
		}
	}
	after, _ := os.ReadFile(dbPath)
	if string(before) != string(after) {
		t.Fatal("a refused restore changed the data file")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".restoring" || len(e.Name()) > len("lapordesk.db.before") && e.Name()[:len("lapordesk.db.before")] == "lapordesk.db.before" {
			t.Errorf("a refused restore left %s", e.Name())
		}
	}
}

func TestEnsureDailyKeepsTheNewestAndNeverPrunesManualBackups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openTest(t)
	dir := filepath.Join(t.TempDir(), "backup")
	manual := filepath.Join(dir, storage.BackupName(c.Now()))
	if _, err := s.Backup(ctx, manual, nil); err != nil {
		t.Fatal(err)
	}
	var made int
	for day := 0; day < 5; day++ {
		for call := 0; call < 2; call++ {
			info, ok, err := s.EnsureDaily(ctx, dir, 3)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				made++
			}
			if !info.Daily || filepath.Base(info.Path) != "lapordesk-"+c.Now().In(wita).Format("2006-01-02")+".db" {
				t.Fatalf("day %d: %+v", day, info)
			}
		}
		c.Add(24 * time.Hour)
	}
	if made != 5 {
		t.Fatalf("made %d daily backups in 5 days, want 5", made)
	}
	list, err := storage.ListBackups(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list {
		names = append(names, filepath.Base(b.Path))
	}
	want := []string{"lapordesk-2026-11-27.db", "lapordesk-2026-11-26.db", "lapordesk-2026-11-25.db", "lapordesk-2026-11-23-090000.db"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("backups %v, want %v", names, want)
	}
	if _, _, err := s.EnsureDaily(ctx, dir, 0); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("keep 0: %v", err)
	}
	if info, err := storage.CheckBackup(ctx, list[0].Path); err != nil || info.Schema != storage.SchemaVersion() {
		t.Fatalf("check %+v %v", info, err)
	}
}

// A backup never carries the device's secret for the hub. Restored on the same
// device, the desk keeps its secret; restored where another device was, it says the
// desk must enrol again.
func TestBackupsCarryNoDeviceSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	for k, v := range map[string]string{storage.SyncKeyDeviceID: "perangkat-a", storage.SyncKeyDeviceToken: "perangkat-a.rahasia"} {
		if err := s.SetSyncValue(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	mustReceive(t, s, sample("Antrean puskesmas"))
	dir := t.TempDir()
	backup := filepath.Join(dir, "cadangan.db")
	if _, err := s.Backup(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("perangkat-a.rahasia")) {
		t.Fatal("the backup holds the device secret")
	}
	path := s.Path()
	s.Close()

	// The same device: the secret comes over from the file the backup replaces.
	res, err := storage.Restore(ctx, backup, path, nil)
	if err != nil || res.Reenrol {
		t.Fatalf("restore on the same device: %+v %v", res, err)
	}
	s2, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s2.SyncValue(ctx, storage.SyncKeyDeviceToken); !ok || v != "perangkat-a.rahasia" {
		t.Fatalf("the secret after a restore on the same device: %q %v", v, ok)
	}
	s2.Close()

	// Another device's file: no secret, and the result says to enrol again.
	other := filepath.Join(dir, "lain.db")
	o, err := storage.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.SetSyncValue(ctx, storage.SyncKeyDeviceID, "perangkat-b"); err != nil {
		t.Fatal(err)
	}
	if err := o.SetSyncValue(ctx, storage.SyncKeyDeviceToken, "perangkat-b.rahasia"); err != nil {
		t.Fatal(err)
	}
	o.Close()
	res, err = storage.Restore(ctx, backup, other, nil)
	if err != nil || !res.Reenrol {
		t.Fatalf("restore over another device: %+v %v", res, err)
	}
	o2, err := storage.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	defer o2.Close()
	if v, ok, _ := o2.SyncValue(ctx, storage.SyncKeyDeviceToken); ok && v != "" {
		t.Fatalf("another device's secret was taken over: %q", v)
	}
}
