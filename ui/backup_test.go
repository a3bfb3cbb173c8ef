package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// openBackupTab opens Pengaturan › Cadangan.
func (h *harness) openBackupTab() *backupTab {
	h.t.Helper()
	s := h.openSettings(0)
	if s.backup == nil {
		h.t.Fatal("Pengaturan has no Cadangan tab")
	}
	s.tabs.Select(s.backup.item)
	h.drain()
	return s.backup
}

// A backup made in Pengaturan › Cadangan restores through the window: it says
// what the backup holds before anything changes, keeps the current file aside,
// and opens the desk again on the backup's reports.
func TestBackupAndRestore(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	ctx := context.Background()
	h.receive(sample("Antrean puskesmas Pancana"))
	h.receive(anonymous("Obat kosong di puskesmas Coppo"))
	bt := h.openBackupTab()
	h.mustRead("Belum ada cadangan di folder ini.")
	h.tap(bt.now)
	dir := storage.DefaultBackupDir(h.store.Path())
	want := filepath.Join(dir, "lapordesk-2026-11-23-090000.db")
	h.mustRead("Cadangan dibuat: " + want)
	if len(bt.rows) != 1 || bt.rows[0].info.Path != want {
		t.Fatalf("the list shows %+v", bt.rows)
	}
	h.mustRead("lapordesk-2026-11-23-090000.db", "manual")

	// Work done after the backup.
	h.receive(sample("Sesudah cadangan"))
	old := h.store
	h.tap(bt.rows[0].restore)
	if x.confirm == nil {
		t.Fatal("the restore was not put to the user")
	}
	h.mustRead("Isi: 2 laporan, unit DINKES", "Berkas ini utuh.", "Data sekarang: 3 laporan.")
	if n := reportCount(t, old); n != 3 {
		t.Fatalf("asking changed the store: %d reports", n)
	}
	h.tap(x.confirm)
	t.Cleanup(func() { h.d.store.Close() })
	if h.d.store == old {
		t.Fatal("the desk still runs on the store it closed")
	}
	if _, err := old.Counts(ctx, ""); err == nil {
		t.Fatal("the store before the restore is still open")
	}
	if n := reportCount(t, h.d.store); n != 2 {
		t.Fatalf("the reopened store holds %d reports, the backup 2", n)
	}
	asides, _ := filepath.Glob(h.d.store.Path() + ".before-restore-*")
	if len(asides) != 1 {
		t.Fatalf("files set aside: %v", asides)
	}
	h.mustRead("Dipulihkan dari "+want+" (2 laporan). Berkas sebelumnya disimpan sebagai "+asides[0],
		"Perhatian: berkas sebelumnya memuat 1 catatan yang lebih baru dari cadangan ini.")
	h.mustSee("Antrean puskesmas Pancana", "Obat kosong di puskesmas Coppo")
	h.mustNotSee("Sesudah cadangan")
	// The file set aside still holds the work done after the backup.
	aside, err := storage.Open(ctx, asides[0])
	if err != nil {
		t.Fatal(err)
	}
	defer aside.Close()
	if n := reportCount(t, aside); n != 3 {
		t.Fatalf("the file set aside holds %d reports", n)
	}
	// The desk works on: a new report lands in the restored store.
	if _, err := h.d.store.Receive(ctx, sample("Sesudah pemulihan")); err != nil {
		t.Fatal(err)
	}
	h.d.changed()
	h.drain()
	h.mustSee("Sesudah pemulihan")
}

// A file that is no backup is refused before anything changes.
func TestRestoreRefusesOtherFiles(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	h.receive(sample("Antrean puskesmas Pancana"))
	bad := filepath.Join(t.TempDir(), "laporan.db")
	if err := os.WriteFile(bad, []byte("Judul,Isi Laporan\r\nA,B\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	x.chooseOpen = func(_ []string, done func(string)) { done(bad) }
	bt := h.openBackupTab()
	h.tap(bt.restoreFile)
	h.mustRead("Berkas ini bukan berkas data LAPOR Desk")
	if x.confirm != nil {
		t.Fatal("a restore from a file that is no backup was offered")
	}
	if n := reportCount(t, h.d.store); n != 1 || h.d.store != h.store {
		t.Fatalf("the store changed: %d reports", n)
	}
}

// The daily backup runs when the window opens and whenever its timer fires: one
// file a day named with the office's date, the newest N kept, backups made by
// hand never pruned; a failure shows quietly in the status bar.
func TestDailyBackupKeepsN(t *testing.T) {
	h := newHarness(t, unitProfile())
	ctx := context.Background()
	if err := h.store.PutSetting(ctx, storage.SettingBackup, storage.BackupSettings{Daily: true, Keep: 2}); err != nil {
		t.Fatal(err)
	}
	h.receive(sample("Antrean puskesmas Pancana"))
	x := h.exchange(true)
	dir := storage.DefaultBackupDir(h.store.Path())
	if names := backupNames(t, dir); strings.Join(names, " ") != "lapordesk-2026-11-23.db" {
		t.Fatalf("after start: %v", names)
	}
	bt := h.openBackupTab()
	h.tap(bt.now) // by hand: never pruned
	for day := 1; day <= 3; day++ {
		h.clock.mu.Lock()
		h.clock.t = h.clock.t.Add(24 * time.Hour)
		h.clock.mu.Unlock()
		x.daily() // what the hourly timer calls
		h.drain()
		x.daily() // the next hour: today's exists already
		h.drain()
	}
	got := strings.Join(backupNames(t, dir), " ")
	if got != "lapordesk-2026-11-23-090000.db lapordesk-2026-11-25.db lapordesk-2026-11-26.db" {
		t.Fatalf("kept %s", got)
	}
	info, err := storage.CheckBackup(ctx, filepath.Join(dir, "lapordesk-2026-11-26.db"))
	if err != nil || info.Reports != 1 || info.Unit != "DINKES" {
		t.Fatalf("the daily backup checks out as %+v, %v", info, err)
	}
	h.mustRead("lapordesk-2026-11-26.db", "harian")
	h.mustNotSee("lapordesk-2026-11-24.db")

	// A folder that cannot be made: the status bar says so, nothing blocks.
	blocker := filepath.Join(t.TempDir(), "bukan-folder")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	bt.dir.SetText(filepath.Join(blocker, "cadangan"))
	h.tap(bt.save.button)
	h.mustRead("Tersimpan.")
	if !strings.Contains(h.d.status.msg.Text, "Cadangan harian gagal") {
		t.Fatalf("the status bar says %q", h.d.status.msg.Text)
	}
	if h.d.dialogs != 0 {
		t.Fatal("a failed daily backup opened a dialog")
	}
}

// The daily backup's settings are checked beside their fields and stored as
// the "backup" setting.
func TestBackupSettings(t *testing.T) {
	h := newHarness(t, unitProfile())
	h.exchange(false)
	ctx := context.Background()
	bt := h.openBackupTab()
	if bt.daily.Checked || bt.keep.Text != "7" {
		t.Fatalf("shown: daily %v keep %q", bt.daily.Checked, bt.keep.Text)
	}
	bt.daily.SetChecked(true)
	bt.keep.SetText("0")
	h.tap(bt.save.button)
	if bt.form.errorOf("backup_keep") == "" {
		t.Fatal("keeping 0 backups was not refused beside the field")
	}
	bt.keep.SetText("14")
	dir := filepath.Join(t.TempDir(), "flashdisk")
	bt.dir.SetText(dir)
	h.tap(bt.save.button)
	var b storage.BackupSettings
	if err := h.store.Setting(ctx, storage.SettingBackup, &b); err != nil {
		t.Fatal(err)
	}
	if b != (storage.BackupSettings{Daily: true, Dir: dir, Keep: 14}) {
		t.Fatalf("stored %+v", b)
	}
	// Switched on, today's backup is made at once in the folder chosen.
	if names := backupNames(t, dir); len(names) != 1 || names[0] != "lapordesk-2026-11-23.db" {
		t.Fatalf("in %s: %v", dir, names)
	}
	h.mustRead(dir, "lapordesk-2026-11-23.db")
}

func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	list, err := storage.ListBackups(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list {
		names = append(names, filepath.Base(b.Path))
	}
	// Oldest first reads better in a failure.
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	return names
}

// A restore on an enrolled desk stops the sync service of the closed store and
// runs a new one on the reopened store: the status bar follows the new one, and
// work done after the restore reaches the hub on F5.
func TestRestoreKeepsSyncRunning(t *testing.T) {
	hs, url := startHub(t)
	ctx := context.Background()
	var services []*lsync.Service
	h := newHarnessWith(t, unitProfile(), func(s *storage.Store) Hooks {
		svc := lsync.NewService(s, lsync.ServiceOptions{Round: lsync.Options{Client: fastClient()}, Interval: time.Hour,
			ProbeMin: 20 * time.Millisecond, ProbeMax: 100 * time.Millisecond, Debounce: time.Hour})
		services = append(services, svc)
		return Hooks{Sync: svc, Exchange: &ExchangeFeature{}}
	})
	x := h.exchange(false)
	if _, err := lsync.Enroll(ctx, h.store, url, enrolToken(t, hs, "DINKES"), lsync.EnrollOptions{Client: fastClient()}); err != nil {
		t.Fatal(err)
	}
	services[0].SyncNow() // the enrolment, made outside the window, picked up
	h.waitFor("online", func() bool { return h.d.status.link.Text == "Daring" })
	h.receive(sample("Antrean puskesmas Pancana"))
	bt := h.openBackupTab()
	h.tap(bt.now)
	// The daily backup of the first window is listed too; restore the one made now.
	var manual *backupRow
	for i := range bt.rows {
		if !bt.rows[i].info.Daily {
			manual = &bt.rows[i]
		}
	}
	if manual == nil {
		t.Fatalf("the backup made now is not listed: %+v", bt.rows)
	}
	h.tap(manual.restore)
	h.tap(x.confirm)
	t.Cleanup(func() { h.d.store.Close() })
	if len(services) != 2 || h.d.hooks.Sync != services[1] {
		t.Fatalf("%d services made; the desk runs the new one: %v", len(services), h.d.hooks.Sync == services[len(services)-1])
	}
	if err := services[0].SyncAndWait(ctx); !errors.Is(err, lsync.ErrStopped) {
		t.Fatalf("the service of the closed store still runs: %v", err)
	}

	// Work after the restore goes out through the new service, and the bar says so.
	v, err := h.d.store.Receive(ctx, sample("Sesudah pemulihan"))
	if err != nil {
		t.Fatal(err)
	}
	h.d.changed()
	h.waitFor("the change counted", func() bool { return strings.Contains(h.d.status.text(), "perubahan menunggu dikirim") })
	h.pressF5()
	h.waitFor("sent", func() bool { return strings.Contains(h.d.status.text(), "semua perubahan terkirim") })
	if r, err := hs.Report(ctx, v.Report.ID); err != nil || r.Title != "Sesudah pemulihan" {
		t.Fatalf("the hub has %q, %v", r.Title, err)
	}
}

// With DailyAfter, the window's first moments are left to the first page: the
// daily backup is made only once that time has passed.
func TestDailyBackupWaitsAfterStart(t *testing.T) {
	h := newHarness(t, unitProfile())
	if err := h.store.PutSetting(context.Background(), storage.SettingBackup, storage.BackupSettings{Daily: true, Keep: 2}); err != nil {
		t.Fatal(err)
	}
	h.d.hooks.Exchange = &ExchangeFeature{DailyAfter: 300 * time.Millisecond}
	h.d.showMain()
	dir := storage.DefaultBackupDir(h.store.Path())
	if names := backupNames(t, dir); len(names) != 0 {
		t.Fatalf("a backup at once: %v", names)
	}
	h.drain() // waits for the timer, then for the backup
	if names := backupNames(t, dir); strings.Join(names, " ") != "lapordesk-2026-11-23.db" {
		t.Fatalf("after the wait: %v", names)
	}
}

// A backup to another folder (a flash disk) is encrypted unless the user says
// not; its passphrase is checked as typed, and the backup restores only with it.
func TestEncryptedBackupThroughTheWindow(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	h.receive(sample("Antrean puskesmas Pancana"))
	bt := h.openBackupTab()
	flash := t.TempDir()
	x.chooseFolder = func(f func(string)) { f(flash) }
	h.tap(bt.toFolder)
	p := x.asked
	if p == nil || !p.encrypt.Checked {
		t.Fatal("a backup to another folder does not offer encryption, on")
	}
	h.mustRead("disarankan untuk flashdisk")
	p.pass.SetText("pendek")
	h.tap(&p.ok.Button)
	h.mustRead("Kata sandi: minimal 10 karakter")
	p.pass.SetText("kata sandi bimtek barru")
	p.again.SetText("kata sandi bimtek baru")
	h.tap(&p.ok.Button)
	h.mustRead("Kata sandi: kedua isian tidak sama")
	if files, _ := os.ReadDir(flash); len(files) != 0 {
		t.Fatalf("a refused passphrase wrote %v", files)
	}
	p.again.SetText("kata sandi bimtek barru")
	h.tap(&p.ok.Button)
	want := filepath.Join(flash, "lapordesk-2026-11-23-090000.db.age")
	h.mustRead("Cadangan dibuat: " + want)
	if enc, err := storage.IsEncrypted(want); err != nil || !enc {
		t.Fatalf("the backup on the flash disk is not encrypted: %v", err)
	}

	h.receive(sample("Sesudah cadangan"))
	x.checkRestore(want)
	h.drain()
	h.mustRead("lapordesk-2026-11-23-090000.db.age terenkripsi")
	x.asked.pass.SetText("kata sandi yang salah")
	h.tap(&x.asked.ok.Button)
	h.mustRead("Kata sandi tidak membuka cadangan ini")
	x.asked.pass.SetText("kata sandi bimtek barru")
	h.tap(&x.asked.ok.Button)
	if x.confirm == nil {
		t.Fatal("the restore was not put to the user")
	}
	h.mustRead("Isi: 1 laporan, unit DINKES", "Data sekarang: 2 laporan.")
	h.tap(x.confirm)
	t.Cleanup(func() { h.d.store.Close() })
	if n := reportCount(t, h.d.store); n != 1 {
		t.Fatalf("the restored store holds %d reports, the backup 1", n)
	}
	h.mustSee("Antrean puskesmas Pancana")
	h.mustNotSee("Sesudah cadangan")
}

// A backup of a desk enrolled with another hub is named as such before the user
// confirms anything.
func TestRestoreWarnsOfAnotherHub(t *testing.T) {
	h := newHarness(t, unitProfile())
	x := h.exchange(false)
	ctx := context.Background()
	h.receive(sample("Antrean puskesmas Pancana"))
	backup := filepath.Join(t.TempDir(), "lapordesk-2026-11-20-080000.db")
	if _, err := h.store.Backup(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	other, err := storage.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.SetSyncValue(ctx, storage.SyncKeyHubID, "hub-lain-0001"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	if err := h.store.SetSyncValue(ctx, storage.SyncKeyHubID, "hub-barru-0001"); err != nil {
		t.Fatal(err)
	}
	x.checkRestore(backup)
	h.drain()
	if x.confirm == nil {
		t.Fatal("the restore was not put to the user")
	}
	h.mustRead("Perhatian: cadangan ini dari meja yang terdaftar di hub lain (hub-lain-0001); meja ini terdaftar di hub hub-barru-0001.")
}
