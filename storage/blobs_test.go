package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// An attachment's content is stored with the decision that names it, in its
// transaction: a refused decision leaves no content behind, and content that the
// decision does not name is refused.
func TestFilesAreStoredWithTheirDecision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	scan, err := storage.ReadFile("Surat Balasan.PDF", strings.NewReader("%PDF-1.4 surat balasan"))
	if err != nil {
		t.Fatal(err)
	}
	if scan.MIME != "application/pdf" || scan.Attachment().Size != int64(len(scan.Data)) {
		t.Fatalf("read as %+v", scan.Attachment())
	}
	stored := func() bool {
		_, err := s.Blob(ctx, scan.SHA256)
		if err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}

	v := mustReceive(t, s, sample("Antrean puskesmas"))
	followUp := lapordesk.Command{Action: lapordesk.ActFollowUp, Text: "Sudah ditindaklanjuti.", Attachments: []lapordesk.Attachment{scan.Attachment()}}
	// A new report cannot be followed up yet: refused, and the scan is not kept.
	if _, err := s.Act(ctx, v.Report.ID, followUp, scan); err == nil {
		t.Fatal("a follow-up of a new report was accepted")
	}
	if stored() {
		t.Fatal("the content of a refused follow-up was stored")
	}
	// Content the command does not name.
	other, _ := storage.ReadFile("foto.jpg", strings.NewReader("bukan surat itu"))
	note := lapordesk.Command{Action: lapordesk.ActNote, Text: "Catatan", Attachments: []lapordesk.Attachment{scan.Attachment()}}
	if _, err := s.Act(ctx, v.Report.ID, note, other); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("content no event names: %v", err)
	}
	if _, err := s.Blob(ctx, other.SHA256); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatal("content no event names was stored")
	}
	// Accepted: the event and the content together.
	nv, err := s.Act(ctx, v.Report.ID, note, scan)
	if err != nil {
		t.Fatal(err)
	}
	if !stored() || len(nv.History) != len(v.History)+1 {
		t.Fatalf("after the note: stored %v, %d events", stored(), len(nv.History))
	}

	// A new report with its letter: the same.
	n := sample("Laporan dengan surat")
	letter, _ := storage.ReadFile("surat.pdf", strings.NewReader("%PDF-1.4 surat pelapor"))
	n.Attachments = []lapordesk.Attachment{letter.Attachment()}
	n.Title = ""
	if _, err := s.Receive(ctx, n, letter); err == nil {
		t.Fatal("a report without a title was accepted")
	}
	if _, err := s.Blob(ctx, letter.SHA256); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatal("the letter of a refused report was stored")
	}
	n.Title = "Laporan dengan surat"
	if _, err := s.Receive(ctx, n, letter); err != nil {
		t.Fatal(err)
	}
	if data, err := s.Blob(ctx, letter.SHA256); err != nil || string(data) != "%PDF-1.4 surat pelapor" {
		t.Fatalf("the letter: %q %v", data, err)
	}
}
