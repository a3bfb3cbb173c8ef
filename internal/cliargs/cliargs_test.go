package cliargs

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

type usageErr string

func (u usageErr) Error() string { return string(u) }

func TestParseMixesFlagsAndPositionals(t *testing.T) {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	usage := func(m string) error { return usageErr(m) }
	pos, err := Parse(fs, []string{"ID-1", "--json", "ID-2"}, 1, 2, usage)
	if err != nil || !*asJSON || !slices.Equal(pos, []string{"ID-1", "ID-2"}) {
		t.Fatalf("got %v %v %v", pos, *asJSON, err)
	}
	var u usageErr
	if _, err := Parse(fs, []string{"a", "b", "c"}, 1, 2, usage); !errors.As(err, &u) {
		t.Fatalf("too many: %v", err)
	}
	if _, err := Parse(fs, []string{"--nosuch"}, 0, -1, usage); !errors.As(err, &u) {
		t.Fatalf("unknown flag: %v", err)
	}
	if _, err := Parse(fs, []string{"-h"}, 0, -1, usage); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("help: %v", err)
	}
}

// A subcommand's flag set takes --db after the subcommand and names the program
// and subcommand in its usage.
func TestFlagSet(t *testing.T) {
	var out strings.Builder
	db := "default.db"
	fs := FlagSet(&out, "lapordesk", "show", "ID [--json]", &db, "data file")
	pos, err := Parse(fs, []string{"ABC", "--db", "x.db"}, 1, 1, errors.New)
	if err != nil || len(pos) != 1 || pos[0] != "ABC" || db != "x.db" {
		t.Fatalf("pos %v, db %q, err %v", pos, db, err)
	}
	fs.Usage()
	if !strings.HasPrefix(out.String(), "Usage: lapordesk show ID [--json]\n\nFlags:\n") || !strings.Contains(out.String(), "data file") {
		t.Fatalf("usage: %q", out.String())
	}
}
