package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
)

func cmdHolidays(ctx context.Context, e *env, args []string) error {
	fs := e.flags("holidays", "list [--year Y] | add DATE NAME [--kind K] | remove DATE")
	year := fs.Int("year", 0, "only this year (list)")
	kind := fs.String("kind", string(lapordesk.HolidayNational), "libur_nasional, cuti_bersama or libur_daerah (add)")
	pos, err := parse(fs, args, 1, 3)
	if err != nil {
		return err
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "list":
		if len(pos) != 1 {
			return usagef("holidays list takes no arguments")
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
		for _, h := range s.Holidays() {
			if *year != 0 && h.Date.Year != *year {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.Date, i18n.T("weekday."+strconv.Itoa(int(h.Date.Weekday()))), i18n.HolidayKind(h.Kind), h.Name)
		}
		return tw.Flush()
	case "add":
		if len(pos) != 3 {
			return usagef("holidays add DATE NAME")
		}
		d, err := parseDateFlag("date", pos[1])
		if err != nil {
			return err
		}
		if err := s.AddHoliday(ctx, lapordesk.Holiday{Date: d, Name: pos[2], Kind: lapordesk.HolidayKind(*kind)}); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, i18n.Tf("cli.holiday_added", "Date", i18n.Date(d), "Name", pos[2]))
	case "remove":
		if len(pos) != 2 {
			return usagef("holidays remove DATE")
		}
		d, err := parseDateFlag("date", pos[1])
		if err != nil {
			return err
		}
		if err := s.RemoveHoliday(ctx, d); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, i18n.Tf("cli.holiday_removed", "Date", i18n.Date(d)))
	default:
		return usagef("holidays: unknown action %q (list, add, remove)", pos[0])
	}
	return nil
}

func cmdUnits(ctx context.Context, e *env, args []string) error {
	fs := e.flags("units", "[add CODE NAME]")
	coord := fs.Bool("coordinator", false, "the unit coordinates (add)")
	pos, err := parse(fs, args, 0, 3)
	if err != nil {
		return err
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(pos) == 0 || pos[0] == "list" {
		tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
		for _, u := range s.Units() {
			mark := ""
			if u.Coordinator {
				mark = "*"
			}
			fmt.Fprintf(tw, "%s%s\t%s\n", u.Code, mark, u.Name)
		}
		return tw.Flush()
	}
	if pos[0] != "add" || len(pos) != 3 {
		return usagef("units [add CODE NAME]")
	}
	return s.PutUnit(ctx, lapordesk.Unit{Code: pos[1], Name: pos[2], Coordinator: *coord})
}
