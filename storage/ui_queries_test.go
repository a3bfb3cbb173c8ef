package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/lapordesk/lapordesk"
)

func TestCountListMatchesListAndStopsAtMax(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for i := 0; i < 7; i++ {
		n := sample(fmt.Sprintf("Antrean puskesmas nomor %d", i))
		if i%3 == 0 {
			n.Classification = lapordesk.Aspirasi
			n.Title = fmt.Sprintf("Usulan taman bermain %d", i)
		}
		if _, err := s.Receive(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []lapordesk.Filter{
		{},
		{Box: lapordesk.BoxInbox},
		{Classification: lapordesk.Aspirasi},
		{Text: "antrean"},
		{Text: "taman", Sort: lapordesk.SortDue},
		{Box: lapordesk.BoxDone},
	} {
		page, err := s.List(ctx, f, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.CountList(ctx, f, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n != len(page.Items) {
			t.Errorf("filter %+v: count %d, list %d", f, n, len(page.Items))
		}
	}
	if n, err := s.CountList(ctx, lapordesk.Filter{}, 5); err != nil || n != 5 {
		t.Fatalf("capped count: %d %v", n, err)
	}
	if _, err := s.CountList(ctx, lapordesk.Filter{Box: "nope"}, 5); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestPutSettingsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	err := s.PutSettings(ctx, map[string]any{"letterhead": map[string]string{"paper": "F4"}, "Bad Key!": 1})
	if err == nil {
		t.Fatal("a bad key was accepted")
	}
	var v map[string]string
	if err := s.Setting(ctx, "letterhead", &v); !errors.Is(err, lapordesk.ErrNotFound) {
		t.Fatalf("half of a failed PutSettings was written: %v %v", v, err)
	}
	if err := s.PutSettings(ctx, map[string]any{"letterhead": map[string]string{"paper": "F4"}, "signer": map[string]string{"nip": "1"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Setting(ctx, "signer", &v); err != nil || v["nip"] != "1" {
		t.Fatalf("signer: %v %v", v, err)
	}
	if err := s.PutSettings(ctx, map[string]any{"profile": 1}); !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("profile through PutSettings: %v", err)
	}
}
