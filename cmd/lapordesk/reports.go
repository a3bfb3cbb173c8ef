package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

func cmdAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("add", "--title T --body B --classification C --channel CH [flags]")
	var n lapordesk.NewReport
	var cls, ch, conf, incident, lat, lon, bodyFile string
	var attach stringList
	fs.StringVar(&n.TrackingID, "tracking-id", "", "LAPOR! tracking ID (digits), if known")
	fs.StringVar(&n.AgendaNo, "agenda-no", "", "agenda number (default: the unit's next)")
	fs.StringVar(&cls, "classification", "pengaduan", "pengaduan, aspirasi or permintaan_informasi")
	fs.StringVar(&n.CategoryID, "category", "", "category ID, e.g. infrastruktur.jalan")
	fs.StringVar(&n.Title, "title", "", "title (required)")
	fs.StringVar(&n.Body, "body", "", "the report's text (required, or --body-file)")
	fs.StringVar(&bodyFile, "body-file", "", "read the text from a file (- for standard input)")
	fs.StringVar(&incident, "incident-date", "", "incident date, YYYY-MM-DD")
	fs.StringVar(&n.Location.Kecamatan, "kecamatan", "", "kecamatan")
	fs.StringVar(&n.Location.Desa, "desa", "", "desa or kelurahan")
	fs.StringVar(&n.Location.Detail, "location", "", "location details")
	fs.StringVar(&lat, "lat", "", "latitude")
	fs.StringVar(&lon, "lon", "", "longitude")
	fs.StringVar(&ch, "channel", "walk_in", "website, sms1708, mobile_app, social_media, walk_in, letter, phone, email")
	fs.StringVar(&n.Reporter.Name, "reporter-name", "", "reporter's name (required unless anonim)")
	fs.StringVar(&n.Reporter.Phone, "reporter-phone", "", "reporter's phone")
	fs.StringVar(&n.Reporter.Email, "reporter-email", "", "reporter's e-mail")
	fs.StringVar(&n.Reporter.IDNumber, "reporter-nik", "", "reporter's identity number (NIK)")
	fs.StringVar(&conf, "confidentiality", "biasa", "biasa, rahasia or anonim")
	fs.StringVar(&n.Unit, "unit", "", "unit that holds it (default: this desk's)")
	fs.Var(&attach, "attach", "attach a file (repeatable)")
	fromJSON := fs.String("from-json", "", "read the whole report as JSON from a file (- for standard input); flags are ignored")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	n.Classification, n.Channel, n.Confidentiality = lapordesk.Classification(cls), lapordesk.Channel(ch), lapordesk.Confidentiality(conf)
	if *fromJSON != "" {
		var err error
		if n, err = readReportJSON(e, *fromJSON); err != nil {
			return err
		}
		bodyFile, incident, lat, lon = "", "", "", ""
	}
	if bodyFile != "" {
		b, err := readInput(e, bodyFile, lapordesk.MaxBodyLen*4+1)
		if err != nil {
			return err
		}
		n.Body = string(b)
	}
	var err error
	if n.IncidentDate, err = parseDateFlag("incident_date", incident); err != nil {
		return err
	}
	if n.Location.Lat, err = parseFloatFlag("lat", lat); err != nil {
		return err
	}
	if n.Location.Lon, err = parseFloatFlag("lon", lon); err != nil {
		return err
	}
	// Check the report before touching the store, so bad input writes nothing.
	check := n
	if check.Unit == "" {
		check.Unit = "X"
	}
	if err := check.Validate(time.Now()); err != nil {
		return err
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := needProfile(s); err != nil {
		return err
	}
	files, named, err := readFiles(attach)
	if err != nil {
		return err
	}
	n.Attachments = append(n.Attachments, named...)
	v, err := s.Receive(ctx, n, files...)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, v)
	}
	fmt.Fprintln(e.stdout, i18n.Tf("cli.added", "Agenda", v.Report.AgendaNo, "ID", v.Report.ID.String(), "Due", i18n.Date(v.Deadline.Due)))
	return nil
}

// maxJSONInput bounds a report given as JSON: the longest fields fit many times over.
const maxJSONInput = 4 << 20

// readReportJSON reads one report as JSON, strictly: unknown fields, trailing data
// and oversized input are errors that name what is wrong.
func readReportJSON(e *env, path string) (lapordesk.NewReport, error) {
	var n lapordesk.NewReport
	b, err := readInput(e, path, maxJSONInput+1)
	if err != nil {
		return n, err
	}
	if len(b) > maxJSONInput {
		return n, &lapordesk.FieldError{Field: "from-json", Problem: lapordesk.ProblemTooLong, Limit: maxJSONInput, Length: len(b)}
	}
	if !utf8.Valid(b) {
		return n, &lapordesk.FieldError{Field: "from-json", Problem: lapordesk.ProblemInvalidUTF8}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return n, fmt.Errorf("%s: %v: %w", path, err, lapordesk.ErrInvalid)
	}
	if dec.More() {
		return n, fmt.Errorf("%s: more than one JSON value: %w", path, lapordesk.ErrInvalid)
	}
	return n, nil
}

// readFiles reads the files to attach; the store keeps them with the decision
// that names them, so a refused one leaves none behind.
func readFiles(paths []string) ([]storage.File, []lapordesk.Attachment, error) {
	var files []storage.File
	var named []lapordesk.Attachment
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, fmt.Errorf("attachment: %w", err)
		}
		file, err := storage.ReadFile(filepath.Base(path), f)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		files, named = append(files, file), append(named, file.Attachment())
	}
	return files, named, nil
}

func readInput(e *env, path string, max int64) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, max))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

func parseDateFlag(field, v string) (lapordesk.Date, error) {
	if v == "" {
		return lapordesk.Date{}, nil
	}
	d, err := lapordesk.ParseDate(v)
	if err != nil {
		return d, &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemFormat, Value: v}
	}
	return d, nil
}

func parseFloatFlag(field, v string) (*float64, error) {
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemFormat, Value: v}
	}
	return &f, nil
}

// filterFlags registers the list filters shared by list and the exports.
func filterFlags(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) func() (lapordesk.Filter, error) {
	var status, box, since, until, cls, cat, ch, unit, search, sortBy string
	var overdue, reverse bool
	fs.StringVar(&status, "status", "", "statuses, comma-separated (baru, ditunda, terverifikasi, dikembalikan, didisposisikan, diproses, ditindaklanjuti, selesai, diarsipkan)")
	fs.StringVar(&box, "box", "", "inbox, action, in_progress, waiting, done, archive, all")
	fs.BoolVar(&overdue, "overdue", false, "only reports past a due date")
	fs.StringVar(&search, "search", "", "full-text search (title, text, location, category)")
	fs.StringVar(&cls, "classification", "", "pengaduan, aspirasi or permintaan_informasi")
	fs.StringVar(&cat, "category", "", "category ID (sub-categories included)")
	fs.StringVar(&ch, "channel", "", "channel")
	fs.StringVar(&unit, "unit", "", "unit holding the report")
	fs.StringVar(&since, "since", "", "received on or after YYYY-MM-DD")
	fs.StringVar(&until, "until", "", "received on or before YYYY-MM-DD")
	fs.StringVar(&sortBy, "sort", "", "due, received or status")
	fs.BoolVar(&reverse, "reverse", false, "reverse the order")
	return func() (lapordesk.Filter, error) {
		f := lapordesk.Filter{Box: lapordesk.Box(box), Overdue: overdue, Text: search, Classification: lapordesk.Classification(cls),
			CategoryID: cat, Channel: lapordesk.Channel(ch), Unit: unit, Sort: lapordesk.Sort(sortBy), Reverse: reverse}
		for _, st := range strings.Split(status, ",") {
			if st = strings.TrimSpace(st); st != "" {
				f.Statuses = append(f.Statuses, lapordesk.Status(st))
			}
		}
		var err error
		if f.Since, err = parseDateFlag("since", since); err != nil {
			return f, err
		}
		if f.Until, err = parseDateFlag("until", until); err != nil {
			return f, err
		}
		return f, f.Validate()
	}
}

func cmdList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("list", "[filters] [--json]")
	filter := filterFlags(fs)
	allUnits := fs.Bool("all-units", false, "include reports now held by other units (a unit desk shows its own by default)")
	limit := fs.Int("limit", 50, "rows per page (at most 500)")
	after := fs.String("after", "", "cursor of the next page (from a previous --json output)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	f, err := filter()
	if err != nil {
		return err
	}
	if *limit < 1 || *limit > storage.MaxPage {
		return &lapordesk.FieldError{Field: "limit", Problem: lapordesk.ProblemRange, Value: strconv.Itoa(*limit)}
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if p, err := s.Profile(); err == nil {
		f.Unit = p.DeskUnit(f.Unit, *allUnits)
	}
	page, err := s.List(ctx, f, *limit, *after)
	if err != nil {
		return err
	}
	if *asJSON {
		if page.Items == nil {
			page.Items = []lapordesk.Item{}
		}
		return writeJSON(e.stdout, page)
	}
	if len(page.Items) == 0 {
		fmt.Fprintln(e.stdout, i18n.T("cli.no_reports"))
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join([]string{i18n.T("cli.col.ref"), i18n.T("cli.col.title"), i18n.T("cli.col.category"), i18n.T("cli.col.status"), i18n.T("cli.col.due")}, "\t"))
	for _, it := range page.Items {
		due := "-"
		if !it.Deadline.Due.IsZero() {
			due = it.Deadline.Due.String() + " (" + i18n.DaysLeft(it.Deadline) + ")"
		} else if it.Deadline.Paused || it.Deadline.Overdue {
			due = i18n.DaysLeft(it.Deadline)
		}
		if it.Deadline.Overdue {
			due = "! " + due
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Ref, clip(it.Title, 50), clip(it.Category, 30), i18n.Status(it.Status), due)
	}
	tw.Flush()
	if page.Next != "" {
		fmt.Fprintln(e.stdout, i18n.Tf("cli.more", "Cursor", page.Next))
	}
	return nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdShow(ctx context.Context, e *env, args []string) error {
	fs := e.flags("show", "ID [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := s.Resolve(ctx, pos[0])
	if err != nil {
		return err
	}
	v, err := s.View(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, v)
	}
	p, _ := s.Profile() // the suggested action depends on the role; a desk not set up has no reports
	printView(e.stdout, v, p.Role, s.Calendar().Location)
	return nil
}

func printView(w io.Writer, v lapordesk.View, role lapordesk.Role, loc *time.Location) {
	r := v.Report
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	row := func(k, val string) {
		if val != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, strings.ReplaceAll(val, "\n", "\n\t"))
		}
	}
	row(i18n.Field("title"), r.Title)
	row("ID", r.ID.String())
	row(i18n.Field("tracking_id"), r.TrackingID)
	row(i18n.Field("agenda_no"), r.AgendaNo)
	row(i18n.Field("classification"), i18n.Classification(r.Classification))
	row(i18n.Field("category"), v.Category)
	row(i18n.Field("status"), i18n.Status(r.Status))
	row(i18n.Field("unit"), r.Unit)
	row(i18n.Field("channel"), i18n.Channel(r.Channel))
	row(i18n.Field("confidentiality"), i18n.Confidentiality(r.Confidentiality))
	row(i18n.T("cli.received"), i18n.DateTime(r.ReceivedAt, loc))
	if !r.IncidentDate.IsZero() {
		row(i18n.Field("incident_date"), i18n.Date(r.IncidentDate))
	}
	row(i18n.Field("location_detail"), r.Location.Text())
	row(i18n.T("cli.reporter"), strings.Join(nonEmpty(r.Reporter.Name, r.Reporter.Phone, r.Reporter.Email, r.Reporter.IDNumber), ", "))
	d := v.Deadline
	if d.Step != lapordesk.StepNone {
		next := i18n.Step(d.Step)
		if !d.Due.IsZero() {
			next += ", " + i18n.T("cli.due") + " " + i18n.Date(d.Due) + " (" + i18n.DaysLeft(d) + ")"
		} else if !d.CloseOn.IsZero() {
			next += ", " + i18n.Date(d.CloseOn)
		}
		row(i18n.T("cli.next_step"), next)
	}
	if !d.ResolutionDue.IsZero() {
		res := i18n.Date(d.ResolutionDue)
		if d.ResolutionOverdue {
			res += " (" + i18n.Urgency(lapordesk.UrgencyOverdue) + ")"
		}
		row(i18n.T("cli.resolution_due"), res)
	}
	for _, a := range r.Attachments {
		row(i18n.Field("attachments"), fmt.Sprintf("%s (%d B, %s)", a.Name, a.Size, a.SHA256[:12]))
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", r.Body)
	fmt.Fprintf(w, "\n%s:\n", i18n.T("cli.history"))
	conflicts := map[string]lapordesk.Conflict{}
	for _, c := range r.Conflicts {
		conflicts[c.EventID.String()] = c
	}
	for _, ev := range v.History {
		line := fmt.Sprintf("  %s  %-28s %s", i18n.DateTime(ev.At, loc), i18n.Event(ev.Kind), ev.Unit)
		if ev.Actor != "" {
			line += " (" + ev.Actor + ")"
		}
		fmt.Fprintln(w, line)
		p := ev.Payload
		for _, t := range nonEmpty(p.Reason, p.Text) {
			fmt.Fprintf(w, "      %s\n", strings.ReplaceAll(t, "\n", "\n      "))
		}
		if p.ToUnit != "" {
			fmt.Fprintf(w, "      → %s %s\n", p.ToUnit, strings.Join(p.Instructions, "; "))
		}
		for _, c := range p.Changes {
			fmt.Fprintf(w, "      %s = %s\n", i18n.Field(c.Field), c.Value)
		}
		if p.Letter != nil {
			fmt.Fprintf(w, "      %s (%s)\n", p.Letter.Number, p.Letter.Kind)
		}
		if c, ok := conflicts[ev.ID.String()]; ok {
			fmt.Fprintf(w, "      ! %s: %s\n", i18n.T("cli.conflict"), i18n.ConflictReason(c))
		}
	}
	printConflicts(w, v)
	if len(v.Actions) > 0 {
		names := make([]string, len(v.Actions))
		for i, a := range v.Actions {
			names[i] = string(a)
		}
		fmt.Fprintf(w, "\n%s: %s\n", i18n.T("cli.actions"), strings.Join(names, ", "))
	}
	if a := lapordesk.NextAction(v, role); a != "" {
		fmt.Fprintf(w, "%s: %s (%s)\n", i18n.T("cli.next_action"), a, i18n.Action(a))
	}
}

// printConflicts lists the conflicts to resolve with the choices the window offers,
// each as the command that makes it.
func printConflicts(w io.Writer, v lapordesk.View) {
	if len(v.Report.Conflicts) == 0 {
		return
	}
	who := func(e lapordesk.Event) string { return strings.Join(nonEmpty(e.Unit, e.Actor), " · ") }
	fmt.Fprintf(w, "\n%s:\n", i18n.T("cli.conflicts"))
	ref := v.Report.Ref()
	for _, c := range v.Report.Conflicts {
		ev, won, found := v.Competing(c)
		name := i18n.Event(c.Kind)
		if found {
			name += " (" + who(ev) + ")"
		}
		fmt.Fprintf(w, "  %s\n", i18n.Tf("cli.conflict.item", "Event", name, "Reason", i18n.ConflictReason(c)))
		for _, e := range won {
			fmt.Fprintf(w, "    %s\n", i18n.Tf("cli.conflict.won_by", "Event", i18n.Event(e.Kind)+" ("+who(e)+")"))
		}
		resolve := fmt.Sprintf("lapordesk act %s resolve --resolves %s", ref, c.EventID)
		fmt.Fprintf(w, "    %s: %s\n", i18n.T("cli.conflict.keep"), resolve)
		if redo, ok := v.Redo(c); ok {
			fmt.Fprintf(w, "    %s: %s --apply-other\n", i18n.Tf("cli.conflict.apply", "Action", i18n.Action(redo.Action)), resolve)
		} else {
			fmt.Fprintf(w, "    %s\n", i18n.T("cli.conflict.cannot_apply"))
		}
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func cmdAct(ctx context.Context, e *env, args []string) error {
	fs := e.flags("act", "ID VERB [flags]\n\nVerbs: verify, postpone, resume, return, dispose, respond, follow-up, reply, close, reopen, archive, note, edit, resolve\n"+
		"resolve --resolves EVENT [--apply-other] [--text NOTE]: keep the version in effect, or apply the other one (show lists the choices)")
	var cmd lapordesk.Command
	var sets, instr, attach stringList
	var resolves string
	var applyOther bool
	fs.StringVar(&cmd.Text, "text", "", "text of a response, follow-up, reply, note, or the note of a disposition")
	fs.StringVar(&cmd.Reason, "reason", "", "reason (postpone, return, close, reopen, archive)")
	fs.StringVar(&cmd.ToUnit, "to", "", "unit code to dispose to")
	fs.Var(&instr, "instruction", "disposition instruction (repeatable)")
	fs.Var(&sets, "set", "field=value to correct (verify) or edit (repeatable)")
	fs.Var(&attach, "attach", "attach a file (repeatable)")
	fs.IntVar(&cmd.BaseVersion, "version", 0, "the report version you saw (refused if it changed since); default: current")
	fs.StringVar(&resolves, "resolves", "", "event ID of the conflict to resolve")
	fs.BoolVar(&applyOther, "apply-other", false, "resolve: apply the other version now, then resolve (one change: both or neither)")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	cmd.Action = lapordesk.Action(pos[1])
	if !cmd.Action.Valid() {
		valid := make([]string, len(lapordesk.Actions))
		for i, a := range lapordesk.Actions {
			valid[i] = string(a)
		}
		return fmt.Errorf("%s (%s)", i18n.FieldError(&lapordesk.FieldError{Field: "action", Problem: lapordesk.ProblemUnknown, Value: pos[1]}), strings.Join(valid, ", "))
	}
	if applyOther && cmd.Action != lapordesk.ActResolve {
		return usagef("act: --apply-other is for resolve")
	}
	if cmd.Action == lapordesk.ActResolve && (len(attach) > 0 || cmd.Reason != "") {
		// A resolution is a decision and its note; the window offers nothing more.
		return usagef("act resolve takes --resolves, --apply-other, --text and --version")
	}
	cmd.Instructions = instr
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return &lapordesk.FieldError{Field: "changes", Problem: lapordesk.ProblemFormat, Value: kv}
		}
		cmd.Changes = append(cmd.Changes, lapordesk.FieldChange{Field: strings.TrimSpace(k), Value: v})
	}
	if resolves != "" {
		u, err := parseUUID("resolves", resolves)
		if err != nil {
			return err
		}
		cmd.Resolves = &u
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := needProfile(s)
	if err != nil {
		return err
	}
	cmd.Unit = p.UnitCode
	if err := cmd.Validate(); err != nil {
		return err
	}
	id, err := s.Resolve(ctx, pos[0])
	if err != nil {
		return err
	}
	files, named, err := readFiles(attach)
	if err != nil {
		return err
	}
	cmd.Attachments = append(cmd.Attachments, named...)
	var v lapordesk.View
	if cmd.Action == lapordesk.ActResolve {
		// The same decision as the window's, through the same store method.
		v, err = s.ResolveConflict(ctx, id, lapordesk.Resolution{Conflict: *cmd.Resolves, ApplyOther: applyOther,
			Note: cmd.Text, BaseVersion: cmd.BaseVersion, Unit: cmd.Unit})
	} else {
		v, err = s.Act(ctx, id, cmd, files...)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("cli.acted", "Ref", v.Report.Ref(), "Status", i18n.Status(v.Report.Status), "Version", v.Report.Version))
	return nil
}
