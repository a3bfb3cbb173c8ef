package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/exchange"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/storage"
)

// explained is an error already put in the user's words.
type explained struct{ msg string }

func (e explained) Error() string { return e.msg }

// explain puts exchange's errors (refused files, problems) in the user's words.
func explain(err error) error {
	var u usageError
	if err == nil || errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return explained{exchange.Describe(err)}
}

// progressTo prints "done/total" on one line of w for long steps, nothing for short ones.
func progressTo(w io.Writer, min int) (func(done, total int), func()) {
	shown := false
	return func(done, total int) {
			if total < min && done < min {
				return
			}
			shown = true
			if total > 0 {
				fmt.Fprintf(w, "\r%d/%d", done, total)
			} else {
				fmt.Fprintf(w, "\r%d", done)
			}
		}, func() {
			if shown {
				fmt.Fprintln(w)
			}
		}
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import", "FILE [--mapping NAME] [--dry-run] [flags]")
	mappingName := fs.String("mapping", "", "use the column mapping saved under NAME (default: recognise the headers)")
	dryRun := fs.Bool("dry-run", false, "show the preview only; write nothing")
	sheet := fs.String("sheet", "", "XLSX: the sheet to read (default: the first)")
	var maps stringList
	fs.Var(&maps, "map", "field=Header: read field from the column so headed (repeatable; field= drops a field)")
	save := fs.String("save-mapping", "", "save the mapping used under NAME, for the next file of this layout")
	skip := fs.Bool("skip-invalid", false, "import the good rows and leave out rows with problems (default: nothing is written while any row has a problem)")
	asJSON := fs.Bool("json", false, "print the preview (and result) as JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
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
	progress, done := progressTo(e.stderr, 10000)
	tab, err := exchange.Read(ctx, pos[0], exchange.ReadOptions{Sheet: *sheet, Progress: progress})
	done()
	if err != nil {
		return explain(err)
	}
	var m exchange.Mapping
	if *mappingName != "" {
		if m, err = exchange.LoadMapping(ctx, s, *mappingName); err != nil {
			return err
		}
	}
	if len(maps) > 0 {
		if m == nil {
			if m, err = exchange.GuessMapping(tab.Header); err != nil {
				return err
			}
		}
		for _, kv := range maps {
			f, h, ok := strings.Cut(kv, "=")
			if !ok {
				return usagef("--map %q: want field=Header", kv)
			}
			if h = strings.TrimSpace(h); h == "" {
				delete(m, strings.TrimSpace(f))
			} else {
				m[strings.TrimSpace(f)] = h
			}
		}
	}
	p, err := exchange.Analyze(ctx, s, tab, exchange.Options{Mapping: m, Progress: progress})
	done()
	if err != nil {
		return explain(err)
	}
	if *save != "" {
		if err := exchange.SaveMapping(ctx, s, *save, p.Mapping); err != nil {
			return err
		}
	}
	if !*asJSON {
		printPreview(e.stdout, p)
		if *save != "" {
			fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.mapping_saved", "Name", *save))
		}
	}
	if *dryRun {
		if *asJSON {
			return writeJSON(e.stdout, map[string]any{"preview": p})
		}
		fmt.Fprintln(e.stdout, i18n.T("exchange.cli.dry_run"))
		return nil
	}
	res, err := exchange.Apply(ctx, s, p, exchange.ApplyOptions{SkipProblems: *skip, Progress: progress})
	done()
	if err != nil {
		return explain(err)
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"preview": p, "result": res})
	}
	if res.Added+res.Updated == 0 && res.Skipped == 0 {
		fmt.Fprintln(e.stdout, i18n.T("exchange.cli.nothing"))
		return nil
	}
	fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.imported", "Added", res.Added, "Updated", res.Updated, "Unchanged", res.Unchanged, "Skipped", res.Skipped))
	return nil
}

// listMax is how many problems, notes or changes the preview prints of each.
const listMax = 30

func printPreview(w io.Writer, p *exchange.Preview) {
	name := p.File
	if p.Sheet != "" {
		name += " [" + p.Sheet + "]"
	}
	fmt.Fprintln(w, i18n.Tf("exchange.cli.preview", "File", name, "Rows", p.DataRows, "Add", p.Add, "Update", p.Update, "Unchanged", p.Unchanged, "Problems", p.Problems))
	fmt.Fprintln(w, i18n.T("exchange.cli.mapping_title"))
	for _, f := range exchange.ImportFields {
		if h, ok := p.Mapping[f]; ok {
			fmt.Fprintf(w, "  %-24s ← %s\n", exchange.FieldLabel(f), h)
		}
	}
	if len(p.Unmapped) > 0 {
		fmt.Fprintln(w, i18n.Tf("exchange.cli.unmapped", "List", strings.Join(p.Unmapped, ", ")))
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintln(w, title)
		for i, s := range items {
			if i == listMax {
				fmt.Fprintln(w, "  "+i18n.Tf("exchange.cli.more", "N", len(items)-listMax))
				break
			}
			fmt.Fprintln(w, "  "+s)
		}
	}
	var problems, notes, changes []string
	for _, pr := range p.AllProblems() {
		problems = append(problems, exchange.Message(pr))
	}
	for _, n := range p.Notes {
		notes = append(notes, exchange.Message(n))
	}
	for _, r := range p.Rows {
		for _, n := range r.Notes {
			notes = append(notes, exchange.Message(n))
		}
		if len(r.Changes) > 0 {
			var fields []string
			for _, c := range r.Changes {
				fields = append(fields, exchange.FieldLabel(c.Field))
			}
			changes = append(changes, i18n.Tf("exchange.cli.changes", "Row", r.Row, "Ref", r.Ref, "List", strings.Join(fields, ", ")))
		}
	}
	list(i18n.T("exchange.cli.changes_title"), changes)
	list(i18n.T("exchange.cli.notes_title"), notes)
	list(i18n.T("exchange.cli.problems_title"), problems)
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export", "--format xlsx|csv [filters] -o FILE")
	format := fs.String("format", "", "xlsx or csv (default: from the file name)")
	out := fs.String("o", "", "the file to write (required)")
	fs.StringVar(out, "output", "", "the file to write (same as -o)")
	filter := filterFlags(fs)
	allUnits := fs.Bool("all-units", false, "include reports now held by other units (a unit desk exports its own by default)")
	recap := fs.Bool("recap", false, "export the recap tables of the period --since to --until (default: this year) instead of the list")
	delim := fs.String("delimiter", ",", `CSV: "," or ";" (for Excel with Indonesian regional settings)`)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return usagef("export: -o FILE is required")
	}
	f := exchange.Format(strings.ToLower(*format))
	if f == "" {
		var ok bool
		if f, ok = exchange.FormatOf(*out); !ok {
			return usagef("export: give --format xlsx or csv")
		}
	}
	if len(*delim) != 1 {
		return &lapordesk.FieldError{Field: "delimiter", Problem: lapordesk.ProblemUnknown, Value: *delim}
	}
	o := exchange.ExportOptions{Format: f, Delimiter: rune((*delim)[0])}
	flt, err := filter()
	if err != nil {
		return err
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if p, err := s.Profile(); err == nil {
		flt.Unit = p.DeskUnit(flt.Unit, *allUnits)
	}
	progress, done := progressTo(e.stderr, 10000)
	o.Progress = progress
	var n int
	var from, to lapordesk.Date
	err = exchange.WriteFile(*out, func(w io.Writer) error {
		if !*recap {
			var err error
			n, err = exchange.ExportReports(ctx, s, flt, w, o)
			return err
		}
		today := s.Calendar().Today(s.Now())
		from, to = flt.Since, flt.Until
		if from.IsZero() {
			from = lapordesk.NewDate(today.Year, 1, 1)
		}
		if to.IsZero() {
			to = today
		}
		rc, err := s.Recap(ctx, from, to, flt.Unit)
		if err != nil {
			return err
		}
		return exchange.ExportRecap(rc, s.Categories(), w, o)
	})
	done()
	if err != nil {
		return explain(err)
	}
	if *recap {
		fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.recap_exported", "From", i18n.Date(from), "To", i18n.Date(to), "Path", *out))
		return nil
	}
	fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.exported", "N", n, "Path", *out))
	return nil
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := e.flags("backup", "[-o FILE] [--encrypt] [--daily [--keep N]]")
	out := fs.String("o", "", "the backup file (default: lapordesk-DATE-TIME.db in the backup folder)")
	dir := fs.String("dir", "", "the backup folder (default: the window's Pengaturan › Cadangan, else \"backup\" next to the data file)")
	daily := fs.Bool("daily", false, "make today's scheduled backup unless it exists, and keep only the newest --keep (for the Task Scheduler)")
	keep := fs.Int("keep", 0, "daily backups to keep (with --daily; default: the window's setting, else 7)")
	encrypt := fs.Bool("encrypt", false, "encrypt the backup with a passphrase (for a flash disk): from --passphrase-file or $LAPORDESK_BACKUP_PASSPHRASE")
	passFile := fs.String("passphrase-file", "", "a file whose first line is the passphrase")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	var pass string
	if *encrypt {
		if *daily {
			return usagef("backup: --encrypt is for a backup taken by hand; the daily backups stay on this PC's disk")
		}
		var err error
		if pass, err = e.passphrase(*passFile); err != nil {
			return err
		}
		if pass == "" {
			return usagef("backup --encrypt: give the passphrase with --passphrase-file or $LAPORDESK_BACKUP_PASSPHRASE")
		}
		if err := storage.CheckPassphrase(pass); err != nil {
			return err
		}
	}
	s, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	// The same folder and count as the window's daily backup, unless told otherwise.
	b, err := s.BackupSettings(ctx)
	if err != nil {
		return err
	}
	if *dir != "" {
		b.Dir = *dir
	}
	if *keep != 0 {
		b.Keep = *keep
	}
	if err := b.Validate(); err != nil {
		return err
	}
	folder := b.Folder(s.Path())
	if *daily {
		info, made, err := s.EnsureDaily(ctx, folder, b.Keep)
		if err != nil {
			return err
		}
		if !made {
			fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.backup_exists", "Path", info.Path))
			return nil
		}
		fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.backup_done", "Path", info.Path, "Size", humanSize(info.Size), "Reports", info.Reports))
		return nil
	}
	dst := *out
	if dst == "" {
		dst = filepath.Join(folder, storage.BackupName(s.Now().In(s.Calendar().Location)))
		if *encrypt {
			dst += storage.EncryptedSuffix
		}
	}
	if _, err := os.Stat(dst); err == nil {
		return explained{i18n.Tf("exchange.cli.backup_file_exists", "Path", dst)}
	}
	var info storage.BackupInfo
	if *encrypt {
		info, err = s.BackupEncrypted(ctx, dst, pass, nil)
	} else {
		info, err = s.Backup(ctx, dst, nil)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.backup_done", "Path", info.Path, "Size", humanSize(info.Size), "Reports", info.Reports))
	return nil
}

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flags("restore", "FILE [--check] [--force] [--passphrase-file FILE]")
	check := fs.Bool("check", false, "only check that FILE is a sound LAPOR Desk data file; change nothing")
	force := fs.Bool("force", false, "restore a backup of another unit (this desk then becomes that unit's)")
	passFile := fs.String("passphrase-file", "", "for an encrypted backup: a file whose first line is its passphrase (or $LAPORDESK_BACKUP_PASSPHRASE)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	path, err := e.dbPath()
	if err != nil {
		return err
	}
	pass, err := e.passphrase(*passFile)
	if err != nil {
		return err
	}
	if *check {
		info, err := storage.CheckBackupWith(ctx, pos[0], pass, path)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.check_ok", "Path", pos[0], "Schema", info.Schema, "Reports", info.Reports, "Unit", info.Unit))
		return nil
	}
	// Another unit's backup would make this desk that unit's: only when asked.
	// (The restore checks the backup whole; the units are read cheaply, or, of an
	// encrypted backup, from its check.)
	if cur, err := storage.UnitOf(ctx, path); err == nil && cur != "" && !*force {
		b, err := storage.UnitOf(ctx, pos[0])
		if enc, _ := storage.IsEncrypted(pos[0]); enc {
			var info storage.BackupInfo
			info, err = storage.CheckBackupWith(ctx, pos[0], pass, path)
			if err != nil {
				return err
			}
			b = info.Unit
		}
		if err == nil && b != "" && b != cur {
			return errors.New(i18n.Tf("exchange.cli.restore_other_unit", "Path", pos[0], "Unit", b, "Own", cur))
		}
	}
	// Another hub's backup carries that hub's numbering: only when asked.
	if cur, err := storage.HubOf(ctx, path); err == nil && cur != "" && !*force {
		info, err := storage.CheckBackupWith(ctx, pos[0], pass, path)
		if err == nil && info.Hub != "" && info.Hub != cur {
			return errors.New(i18n.Tf("exchange.cli.restore_other_hub", "Path", pos[0], "Hub", info.Hub, "Own", cur))
		}
	}
	res, err := storage.RestoreWith(ctx, pos[0], pass, path, nil)
	if err != nil {
		return err
	}
	if res.Aside != "" {
		fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.restored", "Path", pos[0], "Reports", res.Backup.Reports, "Aside", res.Aside))
	} else {
		fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.restored_new", "Path", pos[0], "Reports", res.Backup.Reports))
	}
	if res.NewerEvents > 0 {
		fmt.Fprintln(e.stdout, i18n.Tf("exchange.cli.newer_events", "N", res.NewerEvents))
	}
	if res.Reenrol {
		fmt.Fprintln(e.stdout, i18n.T("exchange.cli.reenrol"))
	}
	return nil
}

// passphrase reads a backup's passphrase: the first line of file, else
// $LAPORDESK_BACKUP_PASSPHRASE ("" when neither is given). Never a flag's value:
// that would stay in the shell's history and the process list.
func (e *env) passphrase(file string) (string, error) {
	if file == "" {
		return e.getenv("LAPORDESK_BACKUP_PASSPHRASE"), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("passphrase file: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimRight(line, "\r"), nil
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
