// Command lapordesk-server is the regional hub of LAPOR Desk: every SKPD desk, and
// the coordinator's, syncs its reports with it. It keeps everything in one SQLite
// file.
//
//	lapordesk-server unit add DINKES "Dinas Kesehatan"
//	lapordesk-server enroll --unit DINKES          # prints a one-time token
//	lapordesk-server serve --addr 127.0.0.1:8080 --db hub.db
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
	_ "time/tzdata"

	"github.com/google/uuid"

	_ "github.com/lapordesk/lapordesk/internal/localeenv" // before Fyne's lang reads the locale

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/internal/cliargs"
	"github.com/lapordesk/lapordesk/sync/hub"
	"github.com/lapordesk/lapordesk/sync/wire"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	db             string
}

type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":      {"serve the sync protocol (--addr, --db, --tls-cert/--tls-key)", cmdServe},
		"unit":       {"register a unit (unit add CODE NAME [--coordinator]) or list them (unit list)", cmdUnit},
		"enroll":     {"print a one-time enrolment token for a desk (--unit CODE [--coordinator])", cmdEnroll},
		"devices":    {"list enrolled devices", cmdDevices},
		"revoke":     {"revoke a device (revoke DEVICE-ID): its token gets 401 from now on", cmdRevoke},
		"refdata":    {"export or import the reference data desks receive (refdata export|import FILE)", cmdRefData},
		"stats":      {"count events, reports, conflicts, devices, attachments", cmdStats},
		"quarantine": {"set an event aside for good: desks skip it and say so (quarantine EVENT-ID --reason TEXT)", cmdQuarantine},
		"backup":     {"write a consistent copy of the hub's file, even while it serves (backup FILE)", cmdBackup},
		"restore":    {"put a backup in place of the hub's file, with a new epoch (restore FILE; stop the hub first)", cmdRestore},
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	if err := i18n.Use(getenv("LAPORDESK_LANG")); err != nil {
		fmt.Fprintln(stderr, "lapordesk-server:", err)
		return 1
	}
	global := flag.NewFlagSet("lapordesk-server", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&e.db, "db", "", "hub data file")
	if err := global.Parse(args); err != nil || global.NArg() == 0 || global.Arg(0) == "help" {
		usage(stderr)
		if err == nil && global.NArg() > 0 {
			return 0
		}
		return 2
	}
	args = global.Args()
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lapordesk-server: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	err := cmd.run(ctx, e, args[1:])
	var u usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintln(stderr, "lapordesk-server:", u.msg)
		return 2
	}
	fmt.Fprintln(stderr, "lapordesk-server:", strings.ReplaceAll(i18n.Error(err), "\n", " "))
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `lapordesk-server: the regional hub of LAPOR Desk.

Usage:
  lapordesk-server [--db FILE] COMMAND [flags]

The data file is --db FILE, else $LAPORDESK_HUB_DB, else hub.db in the current folder.

Commands:`)
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}

func (e *env) flags(name, args string) *flag.FlagSet {
	return cliargs.FlagSet(e.stderr, "lapordesk-server", name, args, &e.db, "hub data file")
}

// parse reads flags and positionals in any order.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	return cliargs.Parse(fs, args, minPos, maxPos, func(m string) error { return usageError{m} })
}

func (e *env) open(ctx context.Context) (*hub.Store, error) { return hub.Open(ctx, e.path()) }

// path is the hub's data file: --db, $LAPORDESK_HUB_DB, or hub.db here.
func (e *env) path() string {
	path := e.db
	if path == "" {
		path = e.getenv("LAPORDESK_HUB_DB")
	}
	if path == "" {
		path = "hub.db"
	}
	return path
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := e.flags("serve", "[--addr HOST:PORT] [--db FILE] [--tls-cert FILE --tls-key FILE | --plain-http]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (0.0.0.0:8080 for the office network)")
	cert := fs.String("tls-cert", "", "TLS certificate (PEM) from a CA; without it the hub makes and keeps its own, which desks pin")
	key := fs.String("tls-key", "", "TLS private key (PEM)")
	plain := fs.Bool("plain-http", false, "serve without TLS: tokens and reports cross the network readable by anyone on it")
	logFormat := fs.String("log", "json", "log format: json or text (to standard error)")
	inflight := fs.Int("max-inflight", 64, "requests served at once; beyond, 429 with Retry-After")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	var h slog.Handler = slog.NewJSONHandler(e.stderr, nil)
	if *logFormat == "text" {
		h = slog.NewTextHandler(e.stderr, nil)
	} else if *logFormat != "json" {
		return usageError{"--log: json or text"}
	}
	log := slog.New(h)
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	srv := hub.NewServer(st, hub.Options{Logger: log, MaxInFlight: *inflight})
	so := hub.ServeOptions{Addr: *addr, TLSCert: *cert, TLSKey: *key, Logger: log}
	scheme, pin := "https", ""
	switch {
	case *plain && *cert != "":
		return usageError{"serve: --plain-http or --tls-cert, not both"}
	case *plain:
		scheme = "http"
	case *cert == "":
		own, err := hub.OwnCertificate(st.Path(), time.Now())
		if err != nil {
			return err
		}
		if pin, err = hub.CertFingerprint(own); err != nil {
			return err
		}
		so.Certificate = &own
	}
	// Tokens printed from now on carry the pin of the certificate served (none for a
	// CA's certificate, which desks check by its CA, or for plain HTTP).
	if err := st.SetPin(ctx, pin); err != nil {
		return err
	}
	so.Ready = func(a net.Addr) {
		log.Info("listening", "addr", a.String(), "db", st.Path(), "hub", st.ID(), "tls", scheme == "https", "pin", pin)
		if pin != "" {
			fmt.Fprintln(e.stdout, i18n.Tf("server.fingerprint", "Fingerprint", pin))
		}
		fmt.Fprintln(e.stdout, i18n.Tf("server.listening", "URL", scheme+"://"+a.String(), "Path", st.Path()))
		if ap, err := netip.ParseAddrPort(a.String()); scheme == "http" && (err != nil || !ap.Addr().IsLoopback()) {
			fmt.Fprintln(e.stderr, i18n.T("server.plain_http_warning"))
		}
	}
	err = hub.Serve(ctx, srv.Handler(), so)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T("server.stopped"))
	return nil
}

func cmdUnit(ctx context.Context, e *env, args []string) error {
	fs := e.flags("unit", "add CODE NAME [--coordinator] | list")
	coord := fs.Bool("coordinator", false, "the coordinating unit (usually DISKOMINFO)")
	pos, err := parse(fs, args, 1, 3)
	if err != nil {
		return err
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case pos[0] == "add" && len(pos) == 3:
		u := lapordesk.Unit{Code: pos[1], Name: pos[2], Coordinator: *coord}
		if err := st.PutUnit(ctx, u); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, i18n.Tf("server.unit_added", "Code", u.Code, "Name", u.Name))
		return nil
	case pos[0] == "list" && len(pos) == 1:
		us, err := st.Units(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
		for _, u := range us {
			mark := ""
			if u.Coordinator {
				mark = i18n.T("sync.role.coordinator")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Code, u.Name, mark)
		}
		return tw.Flush()
	}
	fs.Usage()
	return usageError{"unit: add CODE NAME, or list"}
}

func cmdEnroll(ctx context.Context, e *env, args []string) error {
	fs := e.flags("enroll", "--unit CODE [--coordinator] [--ttl DURATION]")
	unit := fs.String("unit", "", "the desk's unit code (required)")
	coord := fs.Bool("coordinator", false, "the desk receives every unit's reports (the coordinator)")
	ttl := fs.Duration("ttl", hub.DefaultEnrolmentTTL, "how long the token stays usable")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *unit == "" {
		fs.Usage()
		return usageError{"enroll: --unit is required"}
	}
	role := lapordesk.RoleUnit
	if *coord {
		role = lapordesk.RoleCoordinator
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	token, expires, err := st.NewEnrolment(ctx, *unit, role, *ttl)
	if err != nil {
		return err
	}
	pin, err := st.Pin(ctx)
	if err != nil {
		return err
	}
	token = wire.TokenWithPin(token, pin)
	fmt.Fprintln(e.stderr, i18n.Tf("server.enrolment", "Unit", *unit, "Role", i18n.T("sync.role."+string(role)), "Expires", expires.Format("2006-01-02 15:04")))
	fmt.Fprintln(e.stdout, token)
	fmt.Fprintln(e.stderr, i18n.Tf("server.enrolment_hint", "Token", token))
	return nil
}

func cmdDevices(ctx context.Context, e *env, args []string) error {
	fs := e.flags("devices", "")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ds, err := st.Devices(ctx)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		fmt.Fprintln(e.stdout, i18n.T("server.no_devices"))
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
	for _, d := range ds {
		state := i18n.T("server.device_active")
		if !d.RevokedAt.IsZero() {
			state = i18n.Tf("server.device_revoked", "Time", d.RevokedAt.Format("2006-01-02 15:04"))
		}
		seen := "-"
		if !d.LastSeen.IsZero() {
			seen = d.LastSeen.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Unit, i18n.T("sync.role."+string(d.Role)), d.Name, seen, state)
	}
	return tw.Flush()
}

func cmdRevoke(ctx context.Context, e *env, args []string) error {
	fs := e.flags("revoke", "DEVICE-ID")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	id, err := uuid.Parse(pos[0])
	if err != nil {
		return &lapordesk.FieldError{Field: "device", Problem: lapordesk.ProblemFormat, Value: pos[0]}
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Revoke(ctx, id); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("server.revoked", "ID", id))
	return nil
}

func cmdRefData(ctx context.Context, e *env, args []string) error {
	fs := e.flags("refdata", "export [FILE] | import FILE")
	pos, err := parse(fs, args, 1, 2)
	if err != nil {
		return err
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch pos[0] {
	case "export":
		rd, _, err := st.RefData(ctx)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(rd, "", "  ")
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if len(pos) == 2 {
			return os.WriteFile(pos[1], b, 0o644)
		}
		_, err = e.stdout.Write(b)
		return err
	case "import":
		if len(pos) != 2 {
			return usageError{"refdata import FILE"}
		}
		b, err := os.ReadFile(pos[1])
		if err != nil {
			return err
		}
		if len(b) > 8<<20 {
			return &lapordesk.FieldError{Field: "refdata", Problem: lapordesk.ProblemTooLong, Limit: 8 << 20, Length: len(b)}
		}
		var rd wire.RefData
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rd); err != nil {
			return fmt.Errorf("%s: %v: %w", pos[1], err, lapordesk.ErrInvalid)
		}
		if err := st.SetRefData(ctx, rd); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, i18n.Tf("server.refdata_imported", "Units", len(rd.Units), "Categories", len(rd.Categories), "Holidays", len(rd.Holidays)))
		return nil
	}
	return usageError{"refdata: export or import"}
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	fs := e.flags("stats", "")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "events %d\nreports %d\nconflicts %d\ndevices %d\nattachments %d\nhub %s\n", s.Events, s.Reports, s.Conflicts, s.Devices, s.Blobs, st.ID())
	return nil
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	pos, err := parse(e.flags("backup", "FILE"), args, 1, 1)
	if err != nil {
		return err
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("server.backup_done", "Path", pos[0]))
	return nil
}

func cmdRestore(ctx context.Context, e *env, args []string) error {
	pos, err := parse(e.flags("restore", "FILE"), args, 1, 1)
	if err != nil {
		return err
	}
	aside, err := hub.Restore(ctx, pos[0], e.path(), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("server.restored", "Path", pos[0], "Aside", aside))
	return nil
}

func cmdQuarantine(ctx context.Context, e *env, args []string) error {
	fs := e.flags("quarantine", "EVENT-ID --reason TEXT")
	reason := fs.String("reason", "", "why the event is set aside (shown to the desks)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	id, err := uuid.Parse(pos[0])
	if err != nil {
		return usageError{fmt.Sprintf("quarantine: %q is not an event ID", pos[0])}
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Quarantine(ctx, id, *reason); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("server.quarantined", "ID", id))
	return nil
}
