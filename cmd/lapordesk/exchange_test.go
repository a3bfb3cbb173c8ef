package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk/storage"
)

func mustCLI(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	code, out, errs := runIn(t, env, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s%s", args, code, out, errs)
	}
	return out
}

func TestExchangeCommands(t *testing.T) {
	dir := t.TempDir()
	src := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "a", "lapordesk.db")}
	dst := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "b", "lapordesk.db")}
	mustCLI(t, src, "demo", "--count", "300")
	xlsx := filepath.Join(dir, "selesai.xlsx")
	out := mustCLI(t, src, "export", "--status", "selesai", "-o", xlsx)
	if !strings.Contains(out, "laporan diekspor ke "+xlsx) {
		t.Fatalf("export: %s", out)
	}
	csv := filepath.Join(dir, "semua.csv")
	mustCLI(t, src, "export", "--format", "csv", "--all-units", "--delimiter", ";", "-o", csv)
	for _, f := range []string{"rekap.xlsx", "rekap.csv"} {
		out := mustCLI(t, src, "export", "--recap", "--since", "2026-01-01", "-o", filepath.Join(dir, f))
		if !strings.Contains(out, "Rekap 1 Januari 2026") {
			t.Fatalf("recap: %s", out)
		}
	}
	if code, _, errs := runIn(t, src, "export", "-o", filepath.Join(dir, "x.pdf")); code != 2 || !strings.Contains(errs, "--format") {
		t.Fatalf("export to .pdf: %d %s", code, errs)
	}

	mustCLI(t, dst, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru")
	out = mustCLI(t, dst, "import", csv, "--dry-run")
	if !strings.Contains(out, "300 baris data — 300 baru") || !strings.Contains(out, "Uji coba") {
		t.Fatalf("dry run: %s", out)
	}
	out = mustCLI(t, dst, "import", csv)
	if !strings.Contains(out, "Impor selesai: 300 laporan baru") {
		t.Fatalf("import: %s", out)
	}
	if out := mustCLI(t, dst, "import", xlsx); !strings.Contains(out, "Tidak ada yang perlu diimpor") {
		t.Fatalf("import again: %s", out)
	}

	// A hand-kept sheet with other headers: a mapping saved once and reused.
	sheet := filepath.Join(dir, "tangan.csv")
	os.WriteFile(sheet, []byte("Perihal,Uraian Masalah,Tgl,Pengadu\r\nJalan rusak di Coppo,Berlubang,27/10/2026,Siti\r\n"), 0o600)
	code, out, errs := runIn(t, dst, "import", sheet)
	if code != 1 || !strings.Contains(errs, "tidak ada yang diimpor") || !strings.Contains(out, "tidak ada kolom untuk Isi laporan") {
		t.Fatalf("unmapped body: %d %s %s", code, out, errs)
	}
	out = mustCLI(t, dst, "import", sheet, "--map", "body=Uraian Masalah", "--save-mapping", "tangan", "--dry-run")
	if !strings.Contains(out, "1 baru") || !strings.Contains(out, `Pemetaan "tangan" disimpan`) {
		t.Fatalf("mapped: %s", out)
	}
	out = mustCLI(t, dst, "import", sheet, "--mapping", "tangan")
	if !strings.Contains(out, "1 laporan baru") {
		t.Fatalf("saved mapping: %s", out)
	}
	if out := mustCLI(t, dst, "show", "DINKES-2026-00001"); !strings.Contains(out, "Jalan rusak di Coppo") && !strings.Contains(out, "DINKES-2026-00001") {
		t.Fatalf("show: %s", out)
	}

	// A file with problems: exit 1, the problems named, nothing written.
	bad := filepath.Join(dir, "salah.csv")
	os.WriteFile(bad, []byte("Judul,Isi Laporan,Tanggal,Nama Pelapor\r\nLampu padam,Gelap,31/02/2026,Ani\r\n"), 0o600)
	code, out, errs = runIn(t, dst, "import", bad)
	if code != 1 || !strings.Contains(out, `Baris 2, kolom C (Tanggal): tanggal "31/02/2026" tidak mungkin ada`) {
		t.Fatalf("bad file: %d %s %s", code, out, errs)
	}
	code, _, errs = runIn(t, map[string]string{"LAPORDESK_DB": dst["LAPORDESK_DB"], "LAPORDESK_LANG": "en"}, "import", filepath.Join(dir, "nothing.xlsx"))
	if code != 1 {
		t.Fatalf("missing file: %d %s", code, errs)
	}

	// Backup, then restore: refused while the data file is open, done once closed.
	out = mustCLI(t, dst, "backup")
	backups, _ := filepath.Glob(filepath.Join(dir, "b", "backup", "lapordesk-*.db"))
	if len(backups) != 1 || !strings.Contains(out, backups[0]) {
		t.Fatalf("backup: %s %v", out, backups)
	}
	if code, _, errs := runIn(t, dst, "backup", "-o", backups[0]); code != 1 || !strings.Contains(errs, "sudah ada") {
		t.Fatalf("backup over a file: %d %s", code, errs)
	}
	if out := mustCLI(t, dst, "restore", "--check", backups[0]); !strings.Contains(out, "301 laporan") {
		t.Fatalf("check: %s", out)
	}
	s, err := storage.Open(context.Background(), dst["LAPORDESK_DB"])
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs = runIn(t, dst, "restore", backups[0])
	s.Close()
	if code != 1 || !strings.Contains(errs, "dipakai") {
		t.Fatalf("restore while open: %d %s", code, errs)
	}
	out = mustCLI(t, dst, "restore", backups[0])
	if !strings.Contains(out, "Dipulihkan dari") || !strings.Contains(out, "before-restore") {
		t.Fatalf("restore: %s", out)
	}
	if code, _, errs := runIn(t, dst, "restore", csv); code != 1 || !strings.Contains(errs, "bukan berkas data LAPOR Desk") {
		t.Fatalf("restore from a CSV: %d %s", code, errs)
	}

	// Encrypted for a flash disk: the passphrase never on the command line.
	flash := filepath.Join(dir, "flashdisk", "cadangan.db.age")
	if code, _, errs := runIn(t, dst, "backup", "--encrypt", "-o", flash); code != 2 || !strings.Contains(errs, "passphrase") {
		t.Fatalf("encrypt without a passphrase: %d %s", code, errs)
	}
	passFile := filepath.Join(dir, "sandi.txt")
	os.WriteFile(passFile, []byte("kata sandi bimtek barru\r\n"), 0o600)
	if out := mustCLI(t, dst, "backup", "--encrypt", "--passphrase-file", passFile, "-o", flash); !strings.Contains(out, flash) {
		t.Fatalf("encrypted backup: %s", out)
	}
	if code, _, errs := runIn(t, dst, "restore", "--check", flash); code != 1 || !strings.Contains(errs, "terenkripsi") {
		t.Fatalf("check without the passphrase: %d %s", code, errs)
	}
	withPass := map[string]string{"LAPORDESK_DB": dst["LAPORDESK_DB"], "LAPORDESK_BACKUP_PASSPHRASE": "kata sandi salah sekali"}
	if code, _, errs := runIn(t, withPass, "restore", flash); code != 1 || !strings.Contains(errs, "tidak membuka") {
		t.Fatalf("restore with a wrong passphrase: %d %s", code, errs)
	}
	if out := mustCLI(t, dst, "restore", "--passphrase-file", passFile, flash); !strings.Contains(out, "Dipulihkan dari "+flash) || !strings.Contains(out, "301 laporan") {
		t.Fatalf("encrypted restore: %s", out)
	}
}

// The Task Scheduler's daily backup goes where the window's Pengaturan › Cadangan
// says, and keeps as many; flags still override.
func TestDailyBackupFollowsTheWindowsSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "lapordesk.db")}
	mustCLI(t, env, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru")
	folder := filepath.Join(dir, "Cadangan Dinkes")
	s := openStore(t, env["LAPORDESK_DB"])
	if err := s.PutBackupSettings(context.Background(), storage.BackupSettings{Daily: true, Dir: folder, Keep: 3}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out := mustCLI(t, env, "backup", "--daily")
	got, _ := filepath.Glob(filepath.Join(folder, "lapordesk-*.db"))
	if len(got) != 1 || !strings.Contains(out, got[0]) {
		t.Fatalf("daily backup: %s, in the settings' folder: %v", out, got)
	}
	if next, _ := filepath.Glob(filepath.Join(dir, "backup", "*.db")); len(next) != 0 {
		t.Fatalf("the daily backup also went next to the data file: %v", next)
	}
	other := filepath.Join(dir, "lain")
	mustCLI(t, env, "backup", "--dir", other)
	if got, _ := filepath.Glob(filepath.Join(other, "lapordesk-*.db")); len(got) != 1 {
		t.Fatalf("--dir was not followed: %v", got)
	}
	if code, _, errs := runIn(t, env, "backup", "--daily", "--keep", "-1"); code != 1 || errs == "" {
		t.Fatalf("a wrong --keep: %d %s", code, errs)
	}
}

// Restoring another unit's backup is refused unless forced, and says whose it is;
// a check of a missing file makes none.
func TestRestoreOfAnotherUnitsBackupAndCheckOfNoFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pupr := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "pupr.db")}
	dinkes := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "dinkes.db")}
	mustCLI(t, pupr, "setup", "--unit", "PUPR", "--name", "Dinas PUPR", "--pemda", "Kabupaten Barru")
	mustCLI(t, dinkes, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru")
	backup := filepath.Join(dir, "pupr-cadangan.db")
	mustCLI(t, pupr, "backup", "-o", backup)
	code, _, errs := runIn(t, dinkes, "restore", backup)
	if code != 1 || !strings.Contains(errs, "unit PUPR") || !strings.Contains(errs, "--force") {
		t.Fatalf("another unit's backup: %d %s", code, errs)
	}
	if out := mustCLI(t, dinkes, "check"); !strings.Contains(out, "utuh") {
		t.Fatalf("check after a refused restore: %s", out)
	}
	mustCLI(t, dinkes, "restore", backup, "--force")
	// Another hub's backup of the same unit: refused unless forced, naming the hub.
	enrolled := func(path, hub string) {
		s, err := storage.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.SetSyncValue(context.Background(), storage.SyncKeyHubID, hub); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(dir, "dinkes-hub-lain.db")
	mustCLI(t, dinkes, "backup", "-o", other)
	enrolled(other, "hub-lain-0001")
	enrolled(dinkes["LAPORDESK_DB"], "hub-barru-0001")
	if code, _, errs := runIn(t, dinkes, "restore", other); code != 1 || !strings.Contains(errs, "hub-lain-0001") || !strings.Contains(errs, "--force") {
		t.Fatalf("another hub's backup: %d %s", code, errs)
	}
	mustCLI(t, dinkes, "restore", other, "--force")
	missing := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "tidak-ada.db")}
	if code, _, errs := runIn(t, missing, "check"); code != 1 || !strings.Contains(errs, "Tidak ada berkas data") {
		t.Fatalf("check of a missing file: %d %s", code, errs)
	}
	if _, err := os.Stat(missing["LAPORDESK_DB"]); err == nil {
		t.Fatal("check made a data file")
	}
}
