package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The training room from the command line: list, start, work a step through the
// workspace beside the real file, see it done, start over; the real file is
// never opened as training, nor replaced by it.
func TestTrainingCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LAPORDESK_DB": filepath.Join(dir, "lapordesk.db")}
	mustCLI(t, env, "setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru")
	mustCLI(t, env, "add", "--title", "Laporan sungguhan", "--body", "Isi sungguhan.", "--reporter-name", "Siti", "--channel", "walk_in")

	if out := mustCLI(t, env, "training", "list"); strings.Count(out, "\n") < 6 || !strings.Contains(out, "bukan-wewenang") {
		t.Fatalf("list: %s", out)
	}
	if code, _, errs := runIn(t, env, "training", "start", "tidak-ada"); code != 1 || !strings.Contains(errs, "Tidak ada skenario") {
		t.Fatalf("an unknown scenario: %d %s", code, errs)
	}
	out := mustCLI(t, env, "training", "start", "bukan-wewenang")
	training := filepath.Join(dir, "lapordesk-latihan.db")
	if !strings.Contains(out, training) {
		t.Fatalf("start: %s", out)
	}
	if out := mustCLI(t, env, "training", "status"); !strings.Contains(out, "[ ] 1.") || !strings.Contains(out, "Petunjuk") {
		t.Fatalf("status at the start: %s", out)
	}
	mustCLI(t, env, "--training", "act", "4100301", "return", "--reason", "Bukan wewenang: urusan Dinas PUPR")
	var st struct {
		Finished bool `json:"finished"`
		Steps    []struct {
			State string `json:"state"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, env, "training", "status", "--json")), &st); err != nil || !st.Finished || st.Steps[0].State != "done" {
		t.Fatalf("status after the return: %+v %v", st, err)
	}
	if out := mustCLI(t, env, "training", "status"); !strings.Contains(out, "Latihan selesai!") {
		t.Fatalf("status at the end: %s", out)
	}
	// The real file holds its one real report, and nothing of the exercise.
	if out := mustCLI(t, env, "list"); !strings.Contains(out, "Laporan sungguhan") || strings.Contains(out, "Lipukasi") {
		t.Fatalf("the real file: %s", out)
	}
	mustCLI(t, env, "training", "reset")
	if out := mustCLI(t, env, "training", "status"); !strings.Contains(out, "[ ] 1.") {
		t.Fatalf("status after the reset: %s", out)
	}
	// A real file where the training workspace should be: refused both ways.
	os.Remove(training)
	b, _ := os.ReadFile(env["LAPORDESK_DB"])
	os.WriteFile(training, b, 0o600)
	if code, _, errs := runIn(t, env, "--training", "list"); code != 1 || !strings.Contains(errs, "bukan ruang latihan") {
		t.Fatalf("a real file opened as training: %d %s", code, errs)
	}
	if code, _, errs := runIn(t, env, "training", "start", "tunda"); code != 1 || !strings.Contains(errs, "bukan ruang latihan") {
		t.Fatalf("a real file replaced by a scenario: %d %s", code, errs)
	}
}
