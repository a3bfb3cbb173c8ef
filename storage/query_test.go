package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

func TestCountListMatchesListAndStopsAtMax(t *testing.T) {
	t.Parallel()
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
	// Filters inside the per-status ranges of a box keep their meaning.
	for _, f := range []lapordesk.Filter{
		{Box: lapordesk.BoxInbox, Classification: lapordesk.Aspirasi},
		{Box: lapordesk.BoxAll, Statuses: lapordesk.Statuses, Classification: lapordesk.Aspirasi, Sort: lapordesk.SortDue},
		{Box: lapordesk.BoxInbox, Classification: lapordesk.Aspirasi, Channel: lapordesk.ChannelWalkIn, CategoryID: "kesehatan", Unit: "DINKES"},
	} {
		page, err := s.List(ctx, f, 100, "")
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("filter %+v: %d items, %v", f, len(page.Items), err)
		}
		for _, it := range page.Items {
			if it.Classification != lapordesk.Aspirasi {
				t.Fatalf("filter %+v let %s through", f, it.Classification)
			}
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
	t.Parallel()
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

// Lists filtered by received dates, in every order and by status range, keep the
// office-local days: a report received at 23.30 WITA belongs to that day.
func TestListReceivedDateRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openTest(t)
	days := []time.Time{
		time.Date(2026, 11, 2, 23, 30, 0, 0, wita), // Monday, late evening
		time.Date(2026, 11, 3, 0, 10, 0, 0, wita),  // Tuesday, just after midnight
		time.Date(2026, 11, 3, 15, 0, 0, 0, wita),
		time.Date(2026, 11, 4, 8, 0, 0, 0, wita),
	}
	for i, at := range days {
		c.Set(at)
		if _, err := s.Receive(ctx, sample(fmt.Sprintf("Laporan %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, wita))
	tue := lapordesk.NewDate(2026, 11, 3)
	for _, f := range []lapordesk.Filter{
		{Since: tue, Until: tue},
		{Since: tue, Until: tue, Sort: lapordesk.SortReceived},
		{Since: tue, Until: tue, Box: lapordesk.BoxInbox},
		{Since: tue, Until: tue, Box: lapordesk.BoxAll, Statuses: lapordesk.Statuses, Sort: lapordesk.SortReceived},
	} {
		page, err := s.List(ctx, f, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, it := range page.Items {
			titles = append(titles, it.Title)
		}
		sort.Strings(titles)
		if strings.Join(titles, ",") != "Laporan 1,Laporan 2" {
			t.Errorf("filter %+v: %v", f, titles)
		}
		if n, _ := s.CountList(ctx, f, 100); n != 2 {
			t.Errorf("filter %+v: count %d", f, n)
		}
	}
}

// The action box's count agrees with its list, with reports in every state the
// box holds and a followed-up one close to its auto-close date (not in the box).
func TestActionCountMatchesList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openTest(t)
	act := func(id uuid.UUID, a lapordesk.Action, text string) {
		t.Helper()
		if _, err := s.Act(ctx, id, lapordesk.Command{Action: a, Text: text, Reason: text}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []uuid.UUID
	for i := 0; i < 6; i++ {
		v, err := s.Receive(ctx, sample(fmt.Sprintf("Laporan %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.Report.ID)
		c.Add(24 * time.Hour)
	}
	act(ids[1], lapordesk.ActVerify, "")
	act(ids[2], lapordesk.ActVerify, "")
	act(ids[2], lapordesk.ActRespond, "Sedang ditangani.")
	act(ids[3], lapordesk.ActVerify, "")
	act(ids[3], lapordesk.ActFollowUp, "Sudah diperbaiki.")
	act(ids[4], lapordesk.ActPostpone, "Data belum lengkap.")
	for day := 0; day < 16; day++ {
		counts, err := s.Counts(ctx, "DINKES")
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.List(ctx, lapordesk.Filter{Box: lapordesk.BoxAction, Unit: "DINKES"}, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		if counts[lapordesk.BoxAction] != len(page.Items) {
			t.Fatalf("day %d: action count %d, list %d", day, counts[lapordesk.BoxAction], len(page.Items))
		}
		c.Add(24 * time.Hour)
	}
}

// A list of the reports with a sync conflict holds those and no others, in any box
// and order, and counts the same.
func TestListConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	var ids []uuid.UUID
	for i := 0; i < 4; i++ {
		v, err := s.Receive(ctx, sample(fmt.Sprintf("Antrean puskesmas nomor %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.Report.ID)
	}
	// Another desk archives report 1 on the version this desk has just verified
	// past: the hub's event arrives stale and is kept as a conflict.
	r, err := s.Report(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	other, err := lapordesk.Decide(&r, lapordesk.Command{Action: lapordesk.ActArchive, Unit: r.Unit, Reason: "Bukan wewenang"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, ids[1], lapordesk.Command{Action: lapordesk.ActVerify, Unit: r.Unit}); err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyRemote(ctx, []storage.RemoteEvent{{HubSeq: 1, Event: other}}, 1)
	if err != nil || res.Conflicts != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	for _, f := range []lapordesk.Filter{
		{Conflicts: true},
		{Conflicts: true, Box: lapordesk.BoxAll, Statuses: lapordesk.Statuses},
		{Conflicts: true, Box: lapordesk.BoxInProgress, Unit: r.Unit},
		{Conflicts: true, Sort: lapordesk.SortReceived},
	} {
		page, err := s.List(ctx, f, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].ID != ids[1] || page.Items[0].Conflicts != 1 {
			t.Fatalf("%+v lists %+v", f, page.Items)
		}
		if n, err := s.CountList(ctx, f, 100); err != nil || n != 1 {
			t.Fatalf("%+v counts %d %v", f, n, err)
		}
	}
	if page, err := s.List(ctx, lapordesk.Filter{Conflicts: true, Box: lapordesk.BoxInbox}, 100, ""); err != nil || len(page.Items) != 0 {
		t.Fatalf("the inbox lists a verified report: %+v %v", page.Items, err)
	}
}

// A search of punctuation alone (a stray "-" or quote typed in the box) is no
// search: the list as without it, never an SQL error.
func TestSearchOfPunctuationIsTheList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	mustReceive(t, s, sample("Jalan rusak di Pancana"))
	for _, q := range []string{"-", `"`, "(", "*", " - ( ", "—"} {
		page, err := s.List(ctx, lapordesk.Filter{Text: q}, 50, "")
		if err != nil || len(page.Items) != 1 {
			t.Errorf("search %q: %d items, %v", q, len(page.Items), err)
		}
		if n, err := s.CountList(ctx, lapordesk.Filter{Text: q}, 100); err != nil || n != 1 {
			t.Errorf("count %q: %d, %v", q, n, err)
		}
	}
}
