package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk/storage"
)

// An Anonim reporter's identity, given at receipt, must never come out of the
// program: not on screen text (show), not in JSON (show, list), not in exports (CSV,
// XLSX, recap), not on any printed letter, not in the sync outbox. This test walks
// every such path of the built program for one Anonim report taken through its life.
func TestAnonimIdentityNeverLeaves(t *testing.T) {
	needTools(t, "pdftotext")
	db := setupDesk(t)
	dir := filepath.Dir(db)
	secrets := []string{"Rahasia Sekali Namanya", "081299887766", "pelapor.anonim@contoh.id", "7311000011112222"}
	in, _ := json.Marshal(map[string]any{
		"title": "Pungutan liar di kantor desa", "body": "Pungutan saat mengurus surat keterangan.",
		"classification": "pengaduan", "channel": "walk_in", "confidentiality": "anonim", "unit": "DINKES",
		"category_id": "dana-desa",
		"reporter":    map[string]string{"name": secrets[0], "phone": secrets[1], "email": secrets[2], "id_number": secrets[3]},
	})
	ok(t, cli(t, db, string(in), nil, "add", "--from-json", "-"))
	ref := "DINKES-2026-00001"
	for _, step := range [][]string{
		{"act", ref, "verify"},
		{"setup", "--unit", "DISKOMINFO", "--name", "Diskominfo", "--pemda", "Kabupaten Barru", "--role", "coordinator"},
		{"act", ref, "dispose", "--to", "DINKES", "--instruction", "Proses lebih lanjut"},
		{"setup", "--unit", "DINKES", "--name", "Dinas Kesehatan", "--pemda", "Kabupaten Barru"},
		{"act", ref, "respond", "--text", "Sedang kami periksa."},
		{"act", ref, "follow-up", "--text", "Petugas yang memungut telah ditegur."},
	} {
		ok(t, cli(t, db, "", nil, step...))
	}

	outputs := map[string]string{}
	outputs["show"] = ok(t, cli(t, db, "", nil, "show", ref)).stdout
	outputs["show --json"] = ok(t, cli(t, db, "", nil, "show", ref, "--json")).stdout
	outputs["show (en)"] = ok(t, cli(t, db, "", []string{"LAPORDESK_LANG=en"}, "show", ref)).stdout
	outputs["list --json"] = ok(t, cli(t, db, "", nil, "list", "--json", "--all-units")).stdout
	outputs["list"] = ok(t, cli(t, db, "", nil, "list", "--all-units")).stdout

	files := map[string]string{
		"export csv":       filepath.Join(dir, "laporan.csv"),
		"export xlsx":      filepath.Join(dir, "laporan.xlsx"),
		"export recap":     filepath.Join(dir, "rekap.xlsx"),
		"letter disposisi": filepath.Join(dir, "disposisi.pdf"),
		"letter follow-up": filepath.Join(dir, "tindak-lanjut.pdf"),
		"recap pdf":        filepath.Join(dir, "rekap.pdf"),
	}
	ok(t, cli(t, db, "", nil, "export", "--format", "csv", "--all-units", "-o", files["export csv"]))
	ok(t, cli(t, db, "", nil, "export", "--format", "xlsx", "--all-units", "-o", files["export xlsx"]))
	ok(t, cli(t, db, "", nil, "export", "--format", "xlsx", "--recap", "--since", "2026-01-01", "--until", "2026-12-31", "-o", files["export recap"]))
	ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "disposisi", "-o", files["letter disposisi"]))
	ok(t, cli(t, db, "", nil, "letter", ref, "--kind", "tindak-lanjut", "-o", files["letter follow-up"]))
	ok(t, cli(t, db, "", nil, "recap", "--from", "2026-01-01", "--to", "2026-12-31", "-o", files["recap pdf"]))
	for what, path := range files {
		switch filepath.Ext(path) {
		case ".pdf":
			outputs[what] = pdfText(t, path)
		case ".xlsx":
			outputs[what] = xlsxText(t, path)
		default:
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			outputs[what] = string(b)
		}
	}
	if !strings.Contains(outputs["letter follow-up"], "Petugas yang memungut") || !strings.Contains(outputs["export csv"], "Pungutan liar") {
		t.Fatal("the exports and letters checked do not hold the report at all")
	}

	// What sync would send: the outbox's events.
	s := openStore(t, db)
	out, err := s.Outbox(ctx0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var outbox bytes.Buffer
	for _, o := range out {
		outbox.Write(o.Body)
	}
	s.Close()
	outputs["sync outbox"] = outbox.String()

	for what, text := range outputs {
		for _, sec := range secrets {
			if strings.Contains(text, sec) {
				t.Errorf("%s shows the Anonim reporter's %q", what, sec)
			}
		}
	}
	if !strings.Contains(outputs["show"], "Anonim") {
		t.Errorf("show does not say the reporter is Anonim:\n%s", outputs["show"])
	}
}

// xlsxText returns every XML part of a workbook as text (shared strings, sheets).
func xlsxText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&b, rc)
		rc.Close()
	}
	return b.String()
}

var ctx0 = context.Background()

func openStore(t *testing.T, db string) *storage.Store {
	t.Helper()
	s, err := storage.Open(ctx0, db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
