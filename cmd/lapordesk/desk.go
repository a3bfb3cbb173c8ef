package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/demo"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

func cmdSetup(ctx context.Context, e *env, args []string) error {
	fs := e.flags("setup", "--unit CODE --name NAME --pemda NAME [flags]")
	var p lapordesk.Profile
	role := fs.String("role", "unit", "unit or coordinator")
	fs.StringVar(&p.UnitCode, "unit", "", "unit code, e.g. DINKES (required)")
	fs.StringVar(&p.UnitName, "name", "", "unit name, e.g. \"Dinas Kesehatan\" (required)")
	fs.StringVar(&p.PemdaName, "pemda", "", "regional government, e.g. \"Kabupaten Barru\" (required)")
	fs.StringVar(&p.Place, "place", "", "place for dated letters, e.g. Barru")
	fs.StringVar(&p.Actor, "actor", "", "the admin's name")
	fs.StringVar(&p.Timezone, "timezone", storage.DefaultTimezone, "office time zone")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	p.Role = lapordesk.Role(*role)
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if old, err := s.Profile(); err == nil {
		p.Training = old.Training
	}
	if err := s.SetProfile(ctx, p); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("cli.setup_done", "Unit", p.UnitName, "Code", p.UnitCode, "Pemda", p.PemdaName, "Path", s.Path()))
	return nil
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := e.flags("demo", "--count N [--seed S]")
	count := fs.Int("count", 1000, "number of reports")
	seed := fs.Uint64("seed", 1, "seed: the same seed (and day) gives the same reports")
	asOf := fs.String("as-of", "", "the day the histories lead up to, YYYY-MM-DD (default today)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	day, err := parseDateFlag("as-of", *asOf)
	if err != nil {
		return err
	}
	if *count < 1 || *count > 5_000_000 {
		return &lapordesk.FieldError{Field: "count", Problem: lapordesk.ProblemRange, Value: strconv.Itoa(*count)}
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Profile()
	if err != nil {
		// A fresh demo store gets a demo unit, so `demo` alone is enough to start.
		p = lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Place: "Barru", Role: lapordesk.RoleUnit, Actor: "Admin Latihan", Training: true}
		if err := s.SetProfile(ctx, p); err != nil {
			return err
		}
	}
	if enrolled, _, _ := s.SyncValue(ctx, "hub_url"); enrolled != "" {
		return fmt.Errorf("%s", i18n.T("cli.demo_enrolled"))
	}
	if err := s.PutSetting(ctx, "demo", true); err != nil {
		return err
	}
	// Histories end at the start of the day, so a seed gives the same reports all
	// day long, and none lies in the future.
	loc := s.Calendar().Location
	if day.IsZero() {
		day = lapordesk.DateOf(s.Now(), loc)
	}
	g := demo.New(demo.Options{Seed: *seed, Count: *count, Now: day.Time(loc), Unit: p.UnitCode, Calendar: s.Calendar()})
	done := 0
	for {
		batch := g.Next(2000)
		if len(batch) == 0 {
			break
		}
		if err := s.Record(ctx, batch); err != nil {
			return err
		}
		done += countReceipts(batch)
		if *count >= 10000 {
			fmt.Fprintf(e.stderr, "\r%d/%d", done, *count)
		}
	}
	if *count >= 10000 {
		fmt.Fprintln(e.stderr)
	}
	fmt.Fprintln(e.stdout, i18n.Tf("cli.demo_done", "N", done, "Path", s.Path()))
	return nil
}

func countReceipts(evs []lapordesk.Event) int {
	n := 0
	for _, ev := range evs {
		if ev.Kind == lapordesk.EvReceived {
			n++
		}
	}
	return n
}

func cmdRebuild(ctx context.Context, e *env, args []string) error {
	if _, err := parse(e.flags("rebuild", ""), args, 0, 0); err != nil {
		return err
	}
	return e.withStore(ctx, func(s *storage.Store) error {
		before, err := s.StateHash(ctx)
		if err != nil {
			return err
		}
		if err := s.Rebuild(ctx); err != nil {
			return err
		}
		after, err := s.StateHash(ctx)
		if err != nil {
			return err
		}
		key := "cli.rebuild_same"
		if before != after {
			key = "cli.rebuild_changed"
		}
		fmt.Fprintln(e.stdout, i18n.Tf(key, "Hash", after[:16]))
		return nil
	})
}

func cmdCheck(ctx context.Context, e *env, args []string) error {
	if _, err := parse(e.flags("check", ""), args, 0, 0); err != nil {
		return err
	}
	// A check looks at a file; it never makes one.
	path, err := e.dbPath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return errors.New(i18n.Tf("cli.check_missing", "Path", path))
	}
	return e.withStore(ctx, func(s *storage.Store) error {
		if err := s.Check(ctx); err != nil {
			return err
		}
		dup, err := s.AgendaCollisions(ctx)
		if err != nil {
			return err
		}
		if len(dup) > 0 {
			nos := make([]string, 0, len(dup))
			for no := range dup {
				nos = append(nos, no)
			}
			sort.Strings(nos)
			for _, no := range nos {
				fmt.Fprintln(e.stdout, i18n.Tf("cli.check_agenda_dup", "Agenda", no, "IDs", strings.Join(dup[no], ", ")))
			}
			return errors.New(i18n.Tf("cli.check_agenda_dups", "N", len(dup)))
		}
		fmt.Fprintln(e.stdout, i18n.T("cli.check_ok"))
		return nil
	})
}
