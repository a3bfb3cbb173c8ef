// Command lapordesk is LAPOR Desk, the desk of an SKPD admin handling SP4N-LAPOR!
// reports. With no subcommand it opens the window; subcommands do the same work
// headless (see usage).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	_ "time/tzdata" // Windows ships no zone database

	"github.com/google/uuid"

	_ "github.com/lapordesk/lapordesk/internal/localeenv" // before Fyne reads the locale

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/internal/cliargs"
	"github.com/lapordesk/lapordesk/storage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is everything a command reads from the outside world, so tests can run the
// whole program in-process as well as through the built binary.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	db             string // --db, before the subcommand
	training       bool   // --training: the training workspace beside the data file
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists the subcommands, each defined in the file of what it works on.
func commands() map[string]command {
	return map[string]command{
		// the desk (desk.go), its reports (reports.go) and reference data (refdata.go)
		"setup":    {"set this desk's unit and regional government", cmdSetup},
		"add":      {"record a new report (walk-in, letter, phone, e-mail)", cmdAdd},
		"list":     {"list reports (filters, search, --json)", cmdList},
		"show":     {"show a report, its deadline and history", cmdShow},
		"act":      {"act on a report: verify, dispose, respond, follow-up, close, ...", cmdAct},
		"demo":     {"fill the store with realistic synthetic reports (training)", cmdDemo},
		"rebuild":  {"rebuild every projection from the event log", cmdRebuild},
		"check":    {"check the data file's integrity", cmdCheck},
		"holidays": {"list, add or remove holidays (libur nasional, cuti bersama)", cmdHolidays},
		"units":    {"list work units, or add one (units add CODE NAME)", cmdUnits},
		// letters (letter.go)
		"letter":     {"print a report's letter (disposisi, tindak-lanjut) as PDF; letter verify CODE", cmdLetter},
		"recap":      {"print the recap of a period as PDF", cmdRecap},
		"letterhead": {"show or set the letterhead, signer and letter settings", cmdLetterhead},
		// sync with the regional hub (sync.go)
		"enroll": {"enrol this desk with the regional hub (--server URL --token T)", cmdEnroll},
		"sync":   {"sync with the hub now: send, receive, report conflicts", cmdSync},
		"status": {"show the sync state: hub, events waiting, last sync, conflicts", cmdStatus},
		// spreadsheets and backups (exchange.go)
		"import":  {"import reports from an XLSX or CSV file (preview, then all in one transaction)", cmdImport},
		"export":  {"export a filtered list, or the recap, to XLSX or CSV", cmdExport},
		"backup":  {"write a consistent copy of the data file, even while it is in use", cmdBackup},
		"restore": {"restore the data file from a backup (the current file is kept aside)", cmdRestore},
		// the training room (training.go)
		"training": {"training scenarios (Mode Latihan): list, start NAME, status, reset", cmdTraining},
	}
}

// usageError is a mistake in how the program was called: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run executes the program and returns its exit status: 0 ok, 1 failure (one line on
// stderr says what was wrong), 2 usage.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if err := i18n.Use(getenv("LAPORDESK_LANG")); err != nil {
		fmt.Fprintln(stderr, "lapordesk:", err)
		return 1
	}
	global := flag.NewFlagSet("lapordesk", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&e.db, "db", "", "data file")
	global.BoolVar(&e.training, "training", false, "the training workspace beside the data file")
	help := global.Bool("help", false, "")
	global.BoolVar(help, "h", false, "")
	if err := global.Parse(args); err != nil {
		fmt.Fprintln(stderr, "lapordesk:", err)
		usage(stderr)
		return 2
	}
	args = global.Args()
	if *help || (len(args) > 0 && args[0] == "help") {
		usage(stdout)
		return 0
	}
	if len(args) == 0 {
		return exit(stderr, runGUI(ctx, e))
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lapordesk: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return exit(stderr, cmd.run(ctx, e, args[1:]))
}

func exit(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintln(stderr, "lapordesk:", u.msg)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	msg := strings.ReplaceAll(i18n.Error(err), "\n", " ")
	fmt.Fprintln(stderr, "lapordesk:", msg)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `LAPOR Desk: the desk of an SKPD admin for SP4N-LAPOR! reports.

Usage:
  lapordesk [--db FILE]                 open the window
  lapordesk [--db FILE] COMMAND [flags]  work headless
  lapordesk --training [COMMAND]         the same on the training workspace
                                         (lapordesk-latihan.db beside the data file)

The data file is --db FILE, else $LAPORDESK_DB, else lapordesk/lapordesk.db in the
user's configuration folder. $LAPORDESK_LANG=en switches messages to English.

Commands:`)
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, `
Run "lapordesk COMMAND -h" for a command's flags.
Exit status: 0 ok, 1 failure (one line on stderr says what), 2 usage.`)
}

// dbPath finds the data file: --db, $LAPORDESK_DB, or the user's config folder.
func (e *env) dbPath() (string, error) {
	p, err := e.realPath()
	if err != nil || !e.training {
		return p, err
	}
	return storage.TrainingPath(p), nil
}

// realPath is the data file as named, before --training.
func (e *env) realPath() (string, error) {
	if e.db != "" {
		return e.db, nil
	}
	if p := e.getenv("LAPORDESK_DB"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no configuration folder for the data file (use --db): %w", err)
	}
	return filepath.Join(dir, "lapordesk", "lapordesk.db"), nil
}

// open opens the data file. In training it opens only a training workspace, and
// a real data file never: neither stands in for the other.
func (e *env) open(ctx context.Context) (*storage.Store, error) {
	p, err := e.dbPath()
	if err != nil {
		return nil, err
	}
	s, err := storage.Open(ctx, p)
	if err != nil || !e.training {
		return s, err
	}
	if prof, err := s.Profile(); err == nil && !prof.Training {
		s.Close()
		return nil, fmt.Errorf("%s: %w", p, storage.ErrNotTraining)
	}
	return s, nil
}

// withStore opens the data file, runs fn, and closes it.
func (e *env) withStore(ctx context.Context, fn func(*storage.Store) error) error {
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// flags makes a subcommand's flag set; --db is accepted after the subcommand too.
func (e *env) flags(name, args string) *flag.FlagSet {
	return cliargs.FlagSet(e.stderr, "lapordesk", name, args, &e.db, "data file")
}

// parse parses flags and positional arguments in any order ("show ID --json" and
// "show --json ID" both work) and checks the number of positionals.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	return cliargs.Parse(fs, args, minPos, maxPos, func(m string) error { return usageError{m} })
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func parseUUID(field, s string) (uuid.UUID, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return u, &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemFormat, Value: s}
	}
	return u, nil
}

// needProfile returns the profile or a message that says to run setup.
func needProfile(s *storage.Store) (lapordesk.Profile, error) {
	p, err := s.Profile()
	if err != nil {
		return p, errors.New(i18n.T("cli.not_set_up"))
	}
	return p, nil
}
