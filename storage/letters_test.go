package storage_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lapordesk/lapordesk"
)

func TestFindLettersByCode(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	a := mustReceive(t, s, sample("A"))
	b := mustReceive(t, s, sample("B"))
	issue := func(id string, kind string, code string) lapordesk.LetterRecord {
		t.Helper()
		v := a
		if id == "b" {
			v = b
		}
		rec, _, err := s.IssueLetter(ctx, v.Report.ID, kind, false, func(seq, year int) (lapordesk.LetterRecord, error) {
			return lapordesk.LetterRecord{Number: fmt.Sprintf("%03d/DINKES/%d", seq, year), Code: code, Content: "kind=\"" + kind + "\"\n"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	ra := issue("a", "tindak-lanjut", "AAAAA-BBBBB")
	rb := issue("b", "disposisi", "CCCCC-DDDDD")
	issue("a", "tindak-lanjut", "AAAAA-BBBBB") // a reprint adds no record

	got, err := s.FindLetters(ctx, "CCCCC-DDDDD")
	if err != nil || len(got) != 1 {
		t.Fatalf("find: %+v %v", got, err)
	}
	if g := got[0]; g.ReportID != b.Report.ID || g.Kind != lapordesk.EvLetterIssued || g.Payload.Letter.Number != rb.Number || g.Payload.Letter.Content != rb.Content || g.Unit != "DINKES" {
		t.Errorf("found %+v", g)
	}
	if got, err := s.FindLetters(ctx, "AAAAA-BBBBB"); err != nil || len(got) != 1 || got[0].Payload.Letter.Seq != ra.Seq {
		t.Errorf("find after reprint: %+v %v", got, err)
	}
	for _, code := range []string{"AAAAA-BBBBC", "aaaaa-bbbbb", "' OR 1=1 --"} {
		if _, err := s.FindLetters(ctx, code); !errors.Is(err, lapordesk.ErrNotFound) {
			t.Errorf("FindLetters(%q) = %v, want ErrNotFound", code, err)
		}
	}
	if _, err := s.FindLetters(ctx, ""); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("empty code: %v", err)
	}
}

func TestPutSettingsIsAtomic(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	if err := s.PutSettings(ctx, map[string]any{"letterhead": map[string]string{"unit_name": "X"}, "Bad Key": 1}); err == nil {
		t.Fatal("a bad key was accepted")
	}
	var v map[string]string
	if err := s.Setting(ctx, "letterhead", &v); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("a failed save wrote the letterhead: %v %v", v, err)
	}
	if err := s.PutSettings(ctx, map[string]any{"profile": 1}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Errorf("profile through PutSettings: %v", err)
	}
	if err := s.PutSettings(ctx, map[string]any{"letterhead": map[string]string{"unit_name": "X"}, "signer": map[string]string{"name": "Y"}}); err != nil {
		t.Fatal(err)
	}
	var sg map[string]string
	if err := s.Setting(ctx, "letterhead", &v); err != nil || v["unit_name"] != "X" {
		t.Errorf("letterhead %v %v", v, err)
	}
	if err := s.Setting(ctx, "signer", &sg); err != nil || sg["name"] != "Y" {
		t.Errorf("signer %v %v", sg, err)
	}
}
