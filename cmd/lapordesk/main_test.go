package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

var binary string

// TestMain builds the real program once; the tests run it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lapordesk-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "lapordesk")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the binary with a data file in dir.
func cli(t *testing.T, db string, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"LAPORDESK_DB=" + db, "HOME=" + filepath.Dir(db), "PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func ok(t *testing.T, r result) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	return r
}

func setupDesk(t *testing.T) string {
	db := filepath.Join(t.TempDir(), "desk.db")
	ok(t, cli(t, db, "", nil, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru", "--place", "Barru", "--actor", "Andi"))
	return db
}

func stateHash(t *testing.T, db string) string {
	t.Helper()
	s, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := s.StateHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.Pending(context.Background())
	return h + "/" + string(rune('0'+n%10))
}

func TestEndToEndHandling(t *testing.T) {
	db := setupDesk(t)
	r := ok(t, cli(t, db, "", nil, "add", "--title", "Jalan poros Pancana rusak", "--body", "Lubang besar di depan pasar.",
		"--category", "infrastruktur.jalan", "--channel", "phone", "--kecamatan", "Tanete Rilau", "--desa", "Pancana",
		"--reporter-name", "Siti Aminah", "--reporter-phone", "081234567890", "--incident-date", "2026-11-20"))
	if !strings.Contains(r.stdout, "DINKES-") {
		t.Fatalf("add output %q has no agenda number", r.stdout)
	}
	r = ok(t, cli(t, db, "", nil, "list", "--json"))
	var page lapordesk.Page
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Items) != 1 {
		t.Fatalf("list --json: %v %s", err, r.stdout)
	}
	ref := page.Items[0].Ref
	steps := [][]string{
		{"act", ref, "verify", "--set", "title=Jalan poros Pancana rusak berat"},
		{"act", ref, "dispose", "--to", "PUPR", "--instruction", "Proses lebih lanjut", "--text", "Mohon segera"},
		{"act", ref, "note", "--text", "Diteruskan ke PUPR"},
		// The same file set up as PUPR's desk returns it; DINKES takes it back.
		{"setup", "--unit", "PUPR", "--name", "Dinas PUPR", "--pemda", "Kabupaten Barru"},
		{"act", ref, "return", "--reason", "Bukan wewenang"},
		{"setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru"},
		{"act", ref, "dispose", "--to", "DINKES"},
		{"act", ref, "respond", "--text", "Sedang ditinjau"},
		{"act", ref, "follow-up", "--text", "Sudah ditambal"},
		{"act", ref, "close"},
	}
	for i, step := range steps {
		ok(t, cli(t, db, "", nil, step...))
		if i == 2 {
			// Disposed to PUPR: DINKES's desk may add notes, not move it.
			r := cli(t, db, "", nil, "act", ref, "respond", "--text", "x")
			if r.code != 1 || !strings.Contains(r.stderr, "PUPR") {
				t.Fatalf("respond on a report PUPR holds: exit %d %q", r.code, r.stderr)
			}
		}
	}
	r = ok(t, cli(t, db, "", nil, "show", ref, "--json"))
	var v lapordesk.View
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if v.Report.Status != lapordesk.StatusClosed || len(v.History) != 9 || v.Report.Title != "Jalan poros Pancana rusak berat" {
		t.Fatalf("final: status %s, %d events, title %q", v.Report.Status, len(v.History), v.Report.Title)
	}
	r = ok(t, cli(t, db, "", nil, "show", ref))
	for _, want := range []string{"Jalan poros Pancana rusak berat", "Selesai", "Riwayat", "Siti Aminah", "Didisposisikan", "PUPR"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show output lacks %q", want)
		}
	}
	r = ok(t, cli(t, db, "", []string{"LAPORDESK_LANG=en"}, "show", ref))
	if !strings.Contains(r.stdout, "History") || !strings.Contains(r.stdout, "Closed") {
		t.Errorf("English show output: %s", r.stdout)
	}
}

// What the issue asks a new user to do: demo data, the overdue list as JSON, show.
func TestDemoOverdueShow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "latihan.db")
	ok(t, cli(t, db, "", nil, "demo", "--count", "1000"))
	r := ok(t, cli(t, db, "", nil, "list", "--overdue", "--json", "--limit", "500"))
	var page lapordesk.Page
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 10 {
		t.Fatalf("only %d overdue reports in a 1000-report demo", len(page.Items))
	}
	for _, it := range page.Items {
		if !it.Deadline.Overdue || it.Unit != "DINKES" {
			t.Fatalf("not an overdue report of this unit: %+v", it)
		}
	}
	shown := ok(t, cli(t, db, "", nil, "show", page.Items[0].Ref))
	if !strings.Contains(shown.stdout, "terlambat") {
		t.Errorf("show of an overdue report does not say it is late:\n%s", shown.stdout)
	}
	// Same seed, same data.
	db2 := filepath.Join(t.TempDir(), "latihan2.db")
	ok(t, cli(t, db2, "", nil, "demo", "--count", "1000"))
	r2 := ok(t, cli(t, db2, "", nil, "list", "--overdue", "--json", "--limit", "500"))
	if r2.stdout != r.stdout {
		t.Error("demo with the same seed gave different overdue lists")
	}
}

func TestBadInputOneLineNothingWritten(t *testing.T) {
	db := setupDesk(t)
	ok(t, cli(t, db, "", nil, "add", "--title", "Ada", "--body", "Isi", "--reporter-name", "A"))
	ok(t, cli(t, db, "", nil, "add", "--title", "Dua", "--body", "Isi", "--reporter-name", "B"))
	ok(t, cli(t, db, "", nil, "act", "DINKES-2026-00002", "verify"))
	before := stateHash(t, db)
	huge, _ := json.Marshal(map[string]any{"title": strings.Repeat("j", 1<<20), "body": "x", "classification": "pengaduan", "channel": "letter", "confidentiality": "anonim", "unit": "DINKES"})
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"unknown status", "", []string{"list", "--status", "tertunda"}, `"tertunda"`},
		{"unknown verb", "", []string{"act", "DINKES-2026-00001", "approve"}, `"approve"`},
		{"missing title", "", []string{"add", "--body", "Isi", "--reporter-name", "A"}, "Judul wajib diisi"},
		{"malformed date", "", []string{"add", "--title", "T", "--body", "B", "--reporter-name", "A", "--incident-date", "27/13/2026"}, "27/13/2026"},
		{"future date", "", []string{"add", "--title", "T", "--body", "B", "--reporter-name", "A", "--incident-date", "2031-01-01"}, "di luar batas"},
		{"invalid utf8", "", []string{"add", "--title", "T\xff\xfe", "--body", "B", "--reporter-name", "A"}, "UTF-8"},
		{"1 MB title", string(huge), []string{"add", "--from-json", "-"}, "1048576 karakter"},
		{"hostile json", `{"title": "a", "extra": 1}`, []string{"add", "--from-json", "-"}, "extra"},
		{"illegal transition", "", []string{"act", "DINKES-2026-00001", "close"}, "Baru"},
		{"unknown report", "", []string{"show", "DINKES-2026-09999"}, "DINKES-2026-09999"},
		{"unknown unit", "", []string{"act", "DINKES-2026-00002", "dispose", "--to", "NOWHERE"}, "NOWHERE"},
	}
	for _, c := range cases {
		r := cli(t, db, c.stdin, nil, c.args...)
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if r.code != 1 || len(lines) != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q (want one line with %q)", c.name, r.code, clip(r.stderr, 300), c.want)
		}
	}
	if after := stateHash(t, db); after != before {
		t.Error("bad input changed the store")
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	db := setupDesk(t)
	for _, args := range [][]string{{"frobnicate"}, {"list", "--no-such-flag"}, {"show"}, {"act", "X"}, {"holidays", "explode"}} {
		if r := cli(t, db, "", nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
	if r := cli(t, db, "", nil, "help"); r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
		t.Errorf("help: %d %q", r.code, r.stdout)
	}
}

// A desk that is not set up says how to set it up.
func TestNotSetUp(t *testing.T) {
	db := filepath.Join(t.TempDir(), "baru.db")
	r := cli(t, db, "", nil, "add", "--title", "T", "--body", "B", "--reporter-name", "A")
	if r.code != 1 || !strings.Contains(r.stderr, "lapordesk setup") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
}

// A "C.UTF-8" locale (CI machines, containers) must not make Fyne's locale lookup
// print errors: localeenv has to initialise before fyne.io/fyne/v2/lang.
func TestInitOrderKeepsStderrClean(t *testing.T) {
	db := setupDesk(t)
	for _, loc := range []string{"LANG=C.UTF-8", "LC_ALL=C.UTF-8", "LANG=POSIX.UTF-8", "LANG=id_ID.UTF-8"} {
		r := cli(t, db, "", []string{loc}, "list", "--status", "nope")
		if strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: stderr is not one line: %q", loc, r.stderr)
		}
	}
}

func TestHolidaysCommand(t *testing.T) {
	db := setupDesk(t)
	ok(t, cli(t, db, "", nil, "holidays", "add", "2026-12-31", "Cuti bersama akhir tahun", "--kind", "cuti_bersama"))
	r := ok(t, cli(t, db, "", nil, "holidays", "list", "--year", "2026"))
	if !strings.Contains(r.stdout, "2026-12-31") || !strings.Contains(r.stdout, "Kamis") || !strings.Contains(r.stdout, "Cuti bersama") {
		t.Errorf("holidays list:\n%s", r.stdout)
	}
	ok(t, cli(t, db, "", nil, "holidays", "remove", "2026-12-31"))
	if r := cli(t, db, "", nil, "holidays", "remove", "2026-12-31"); r.code != 1 {
		t.Errorf("removing a missing holiday: exit %d", r.code)
	}
	if r := cli(t, db, "", nil, "holidays", "add", "2026-02-30", "Tidak ada"); r.code != 1 {
		t.Errorf("impossible date: exit %d", r.code)
	}
}
