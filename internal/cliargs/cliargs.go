// Package cliargs reads a subcommand's flags and positional arguments in any order
// ("show ID --json" and "show --json ID" both work), for both LAPOR Desk programs.
package cliargs

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Parse parses args with fs, collecting the positional arguments found between the
// flags, and checks their number (maxPos < 0: no upper bound). Mistakes in the call
// become usage(message), so each program keeps its own usage error.
func Parse(fs *flag.FlagSet, args []string, minPos, maxPos int, usage func(string) error) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usage(err.Error())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) < minPos || (maxPos >= 0 && len(pos) > maxPos) {
		fs.Usage()
		return nil, usage(fs.Name() + ": wrong number of arguments")
	}
	return pos, nil
}

// FlagSet makes a subcommand's flag set: messages go to stderr, the usage line
// names the program and the subcommand, and --db (into db) is accepted after the
// subcommand too.
func FlagSet(stderr io.Writer, program, name, args string, db *string, dbHelp string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(db, "db", *db, dbHelp)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s %s %s\n\nFlags:\n", program, name, args)
		fs.PrintDefaults()
	}
	return fs
}
