package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// syncErr puts a sync error in the user's words; other errors pass unchanged.
func syncErr(err error) error {
	if err == nil {
		return nil
	}
	var u usageError
	if errors.As(err, &u) {
		return err
	}
	return errors.New(lsync.Describe(err))
}

func cmdEnroll(ctx context.Context, e *env, args []string) error {
	fs := e.flags("enroll", "--server URL --token TOKEN [--name NAME] [--ca FILE | --pin FINGERPRINT | --insecure-http] [--force]")
	host, _ := os.Hostname()
	server := fs.String("server", "", "the hub's address, e.g. 192.168.1.10:8080 (https unless http:// is written) (required)")
	token := fs.String("token", "", "one-time enrolment token from the hub's admin (required)")
	name := fs.String("name", host, "a label for this desktop on the hub")
	caFile := fs.String("ca", "", "PEM certificate of the CA that signed the hub's certificate")
	pin := fs.String("pin", "", "the fingerprint the hub's admin reads out, for a token that does not carry it")
	plain := fs.Bool("insecure-http", false, "allow http:// to a hub on the network: anyone on it can read the reports and take this desk's token")
	force := fs.Bool("force", false, "enrol again with the same hub (after the device was revoked)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *server == "" || *token == "" {
		fs.Usage()
		return usagef("enroll: --server and --token are required")
	}
	var ca []byte
	if *caFile != "" {
		var err error
		if ca, err = os.ReadFile(*caFile); err != nil {
			return fmt.Errorf("certificate: %w", err)
		}
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := lsync.Enroll(ctx, s, *server, *token, lsync.EnrollOptions{Name: *name, CA: ca, Pin: *pin, PlainHTTP: *plain, Force: *force})
	if err != nil {
		return syncErr(err)
	}
	fmt.Fprintln(e.stdout, i18n.Tf("sync.enrolled", "Hub", *server, "Role", i18n.T("sync.role."+string(d.Role)), "Unit", d.Unit.Code))
	return nil
}

// progressLine keeps one line on a terminal up to date, at most a few times a
// second; written elsewhere (a log, a pipe) it prints one line as each step ends.
type progressLine struct {
	w     io.Writer
	tty   bool
	last  time.Time
	prev  lsync.Progress
	width int
}

func newProgressLine(w io.Writer) *progressLine {
	pl := &progressLine{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			pl.tty = true
		}
	}
	return pl
}

func (pl *progressLine) text(p lsync.Progress) string {
	toReceive := "?"
	if p.ToReceive >= 0 {
		toReceive = fmt.Sprint(p.ToReceive)
	}
	line := i18n.Tf("sync.progress", "Phase", i18n.T("sync.phase."+string(p.Phase)), "Sent", p.Sent, "ToSend", p.ToSend,
		"Received", p.Received, "ToReceive", toReceive)
	if left := i18n.TimeLeft(p.Left); left != "" {
		line += ", " + left
	}
	return line
}

func (pl *progressLine) show(p lsync.Progress) {
	prev := pl.prev
	pl.prev = p
	if !pl.tty {
		if p.Phase != prev.Phase && prev.Phase != "" && prev.Phase != lsync.PhaseConnect {
			fmt.Fprintln(pl.w, pl.text(prev))
		}
		return
	}
	if p.Phase == lsync.PhaseConnect || p.Phase == prev.Phase && time.Since(pl.last) < 150*time.Millisecond {
		return
	}
	line := pl.text(p)
	pad := max(0, pl.width-len([]rune(line)))
	fmt.Fprintf(pl.w, "\r%s%s", line, strings.Repeat(" ", pad))
	pl.width, pl.last = len([]rune(line)), time.Now()
	if p.Phase == lsync.PhaseDone {
		fmt.Fprintln(pl.w)
	}
}

// end finishes a line cut short by an error.
func (pl *progressLine) end() {
	if pl.tty && pl.prev.Phase != "" && pl.prev.Phase != lsync.PhaseDone {
		fmt.Fprintln(pl.w)
	}
}

func cmdSync(ctx context.Context, e *env, args []string) error {
	fs := e.flags("sync", "[--quiet] [--json] [--batch N] [--page N] [--timeout D]")
	quiet := fs.Bool("quiet", false, "no progress line")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	batch := fs.Int("batch", 500, "events per push (1-500)")
	page := fs.Int("page", 1000, "events per page received (1-2000)")
	timeout := fs.Duration("timeout", 2*time.Minute, "time limit of one request")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *batch < 1 || *batch > 500 {
		return &lapordesk.FieldError{Field: "batch", Problem: lapordesk.ProblemRange, Value: fmt.Sprint(*batch)}
	}
	if *page < 1 || *page > 2000 {
		return &lapordesk.FieldError{Field: "page", Problem: lapordesk.ProblemRange, Value: fmt.Sprint(*page)}
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	pl := newProgressLine(e.stderr)
	o := lsync.Options{Client: lsync.ClientOptions{Timeout: *timeout}, PushBatch: *batch, PullPage: *page}
	if !*quiet && !*asJSON {
		o.Progress = pl.show
	}
	sum, err := lsync.Run(ctx, s, o)
	pl.end()
	if err != nil {
		return syncErr(err)
	}
	if *asJSON {
		return writeJSON(e.stdout, sum)
	}
	fmt.Fprintln(e.stdout, i18n.Tf("sync.summary", "Sent", sum.Sent, "Received", sum.Received, "Conflicts", sum.Conflicts))
	if sum.Flagged > 0 {
		fmt.Fprintln(e.stdout, i18n.Tf("sync.flagged", "N", sum.Flagged))
	}
	for _, r := range sum.Refused {
		fmt.Fprintln(e.stderr, i18n.Tf("sync.refused", "Code", r.Code, "ID", r.EventID, "Reason", r.Reason))
	}
	if len(sum.Refused) > 0 {
		fmt.Fprintln(e.stderr, i18n.Tf("sync.refused_note", "N", len(sum.Refused)))
	}
	if sum.Mismatched > 0 {
		fmt.Fprintln(e.stderr, i18n.Tf("sync.mismatched", "N", sum.Mismatched))
	}
	if sum.FilesWaiting > 0 {
		fmt.Fprintln(e.stdout, i18n.Tf("sync.files_waiting", "N", sum.FilesWaiting))
	}
	for _, x := range sum.SetAside {
		fmt.Fprintln(e.stderr, i18n.Tf("sync.set_aside", "ID", x.EventID, "Reason", x.Reason))
	}
	if sum.RefDataRefused != "" {
		fmt.Fprintln(e.stderr, i18n.Tf("sync.refdata_refused", "Error", sum.RefDataRefused))
	}
	for _, f := range sum.FilesFailed {
		key := "sync.file_failed_download"
		if f.Upload {
			key = "sync.file_failed_upload"
		}
		fmt.Fprintln(e.stderr, i18n.Tf(key, "SHA", f.SHA256[:min(12, len(f.SHA256))], "Error", f.Error))
	}
	return nil
}

func cmdStatus(ctx context.Context, e *env, args []string) error {
	fs := e.flags("status", "[--json] [--offline]")
	asJSON := fs.Bool("json", false, "print JSON")
	offline := fs.Bool("offline", false, "do not ask the hub whether it is reachable")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := lsync.ReadStatus(ctx, s)
	if err != nil && !errors.Is(err, lsync.ErrNotEnrolled) {
		return syncErr(err)
	}
	state := "not_enrolled"
	if st.Enrolled {
		state = "offline"
		if !*offline {
			cfg, err := lsync.LoadConfig(ctx, s)
			if err != nil {
				return syncErr(err)
			}
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if lsync.Probe(pctx, cfg, lsync.ClientOptions{Timeout: 5 * time.Second}) == nil {
				state, st.Online = "online", true
			}
			cancel()
		}
	}
	if *asJSON {
		return writeJSON(e.stdout, struct {
			State string `json:"state"`
			lsync.Status
		}{state, st})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", i18n.T("sync.status."+k), v) }
	row("state", i18n.T("sync.state."+state))
	if st.Enrolled {
		row("hub", st.HubURL)
		row("unit", st.Unit)
		row("role", i18n.T("sync.role."+string(st.Role)))
		row("device", st.Device.String())
	}
	row("pending", fmt.Sprint(st.Pending))
	row("conflicts", fmt.Sprint(st.Conflicts))
	last := i18n.T("sync.never")
	if !st.LastSync.IsZero() {
		last = i18n.DateTime(st.LastSync, s.Calendar().Location)
	}
	row("last_sync", last)
	if sum := st.LastSummary; sum != nil {
		row("last_result", i18n.Tf("sync.summary", "Sent", sum.Sent, "Received", sum.Received, "Conflicts", sum.Conflicts))
	}
	if st.LastError != "" {
		row("last_error", st.LastError)
	}
	return tw.Flush()
}
