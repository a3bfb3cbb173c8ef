package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/letter"
	"github.com/lapordesk/lapordesk/storage"
)

func cmdLetter(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "verify" {
		return cmdLetterVerify(ctx, e, args[1:])
	}
	fs := e.flags("letter", "ID --kind disposisi|tindak-lanjut [-o FILE.pdf] [flags]\n       lapordesk letter verify CODE\n\n"+
		"Prints the letter; the first print allocates its number, a reprint is the same letter.")
	var req letter.Request
	var to stringList
	kind := fs.String("kind", "", "disposisi or tindak-lanjut (required)")
	out := fs.String("o", "", "PDF file to write (- for standard output; default KIND-REF.pdf here)")
	sifat := fs.String("sifat", "", "Biasa, Segera, Sangat Segera or Rahasia (default from the settings)")
	fs.Var(&to, "to", "tindak-lanjut: an addressee line after \"Yth.\" (repeatable; default the reporter)")
	fs.StringVar(&req.Hal, "hal", "", "tindak-lanjut: the subject (default \"Tindak Lanjut Laporan SP4N-LAPOR! Nomor ...\")")
	fs.StringVar(&req.Lampiran, "lampiran", "", "tindak-lanjut: the attachments line")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	req.Kind, req.Sifat, req.To = letter.Kind(*kind), parseSifat(*sifat), to
	if req.Kind != letter.KindDisposisi && req.Kind != letter.KindTindakLanjut {
		fs.Usage()
		return usagef("letter: --kind disposisi or --kind tindak-lanjut")
	}
	if req.Kind == letter.KindDisposisi && (len(to) > 0 || req.Hal != "" || req.Lampiran != "") {
		return usagef("letter: --to, --hal and --lampiran are for --kind tindak-lanjut")
	}
	return e.withStore(ctx, func(s *storage.Store) error {
		if _, err := needProfile(s); err != nil {
			return err
		}
		if req.ReportID, err = s.Resolve(ctx, pos[0]); err != nil {
			return err
		}
		path := *out
		if path == "" {
			path = defaultPDFName(string(req.Kind), pos[0])
		}
		var p letter.Printed
		if path == "-" {
			p, err = letter.Print(ctx, s, req, e.stdout)
		} else {
			p, err = letter.PrintFile(ctx, s, req, path)
		}
		if err != nil {
			return err
		}
		key := "letter.printed"
		if p.Reprint {
			key = "letter.reprinted"
		}
		fmt.Fprintln(e.stderrOrStdout(path), i18n.Tf(key, "Kind", i18n.T("letter.kind."+string(req.Kind)), "Number", p.Record.Number,
			"Date", i18n.Date(p.Record.Date), "Code", p.Record.Code, "Path", path, "Pages", p.Info.Pages))
		printWarnings(e, path, p)
		return nil
	})
}

func cmdRecap(ctx context.Context, e *env, args []string) error {
	fs := e.flags("recap", "--from DATE --to DATE [--unit U | --all-units] [-o FILE.pdf]")
	from := fs.String("from", "", "first day received, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last day received, YYYY-MM-DD (required)")
	unit := fs.String("unit", "", "unit code (default: this desk's unit; a coordinator's desk: every unit)")
	all := fs.Bool("all-units", false, "every unit")
	out := fs.String("o", "", "PDF file to write (- for standard output; default rekap-FROM-TO.pdf here)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		fs.Usage()
		return usagef("recap: --from and --to are required")
	}
	if *all && *unit != "" {
		return usagef("recap: --unit or --all-units, not both")
	}
	var req letter.RecapRequest
	var err error
	if req.From, err = parseDateFlag("since", *from); err != nil {
		return err
	}
	if req.To, err = parseDateFlag("until", *to); err != nil {
		return err
	}
	return e.withStore(ctx, func(s *storage.Store) error {
		p, err := needProfile(s)
		if err != nil {
			return err
		}
		req.Unit = p.DeskUnit(*unit, *all)
		path := *out
		if path == "" {
			path = defaultPDFName("rekap", req.From.String()+"-"+req.To.String())
		}
		var pr letter.Printed
		if path == "-" {
			pr, err = letter.PrintRecap(ctx, s, req, e.stdout)
		} else {
			pr, err = letter.PrintRecapFile(ctx, s, req, path)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stderrOrStdout(path), i18n.Tf("letter.recap_printed", "From", i18n.Date(req.From), "To", i18n.Date(req.To),
			"Code", pr.Record.Code, "Path", path, "Pages", pr.Info.Pages))
		printWarnings(e, path, pr)
		return nil
	})
}

func cmdLetterVerify(ctx context.Context, e *env, args []string) error {
	fs := e.flags("letter verify", "CODE\n\nFinds the letter that carries a verification code and checks it against the record.")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	return e.withStore(ctx, func(s *storage.Store) error {
		code, checks, err := letter.CheckCode(ctx, s, pos[0])
		if errors.Is(err, lapordesk.ErrNotFound) {
			return errors.New(i18n.Tf("letter.code_not_found", "Code", code))
		}
		if err != nil {
			return err
		}
		loc := s.Calendar().Location
		intact := false
		for i, c := range checks {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
			row := func(k, v string) {
				if v != "" {
					fmt.Fprintf(tw, "%s:\t%s\n", k, v)
				}
			}
			rec := c.Record
			row(i18n.T("letter.code"), code)
			row(i18n.T("letter.kind"), i18n.T("letter.kind."+rec.Kind))
			row(i18n.T("letter.number"), rec.Number)
			row(i18n.Field("date"), i18n.Date(rec.Date))
			row(i18n.T("letter.hal"), c.Title)
			if c.Ref != "" {
				row(i18n.T("letter.report"), c.Ref+" ("+c.ReportID.String()+")")
			}
			if !c.IssuedAt.IsZero() {
				by := c.Unit
				if c.Actor != "" {
					by += " (" + c.Actor + ")"
				}
				row(i18n.T("letter.issued"), i18n.DateTime(c.IssuedAt, loc)+", "+by)
			}
			if rec.Training {
				row(i18n.T("letter.mode"), i18n.T("letter.training"))
			}
			if c.Intact {
				intact = true
				row(i18n.T("letter.record"), i18n.T("letter.record_intact"))
			} else {
				row(i18n.T("letter.record"), i18n.T("letter.record_altered"))
			}
			switch {
			case !c.Compared:
			case c.CompareErr != nil:
				row(i18n.T("letter.today"), i18n.Tf("letter.today_unknown", "Error", i18n.Error(c.CompareErr)))
			case len(c.Changed) == 0:
				row(i18n.T("letter.today"), i18n.T("letter.today_same"))
			default:
				names := make([]string, len(c.Changed))
				for i, k := range c.Changed {
					names[i] = contentName(k)
				}
				row(i18n.T("letter.today"), i18n.Tf("letter.today_changed", "Fields", strings.Join(names, ", ")))
			}
			tw.Flush()
		}
		if !intact {
			return errors.New(i18n.Tf("letter.verify_failed", "Code", code))
		}
		return nil
	})
}

// contentName names a letter's content field for a person: a translation where
// there is one ("Nama penanda tangan"), else the field as the letter writes it.
func contentName(k string) string {
	if t := i18n.T("letter.content." + k); t != "letter.content."+k {
		return t
	}
	return k
}

func parseSifat(s string) letter.Sifat {
	for _, x := range letter.Sifats {
		if strings.EqualFold(strings.Join(strings.Fields(s), " "), string(x)) || strings.EqualFold(strings.ReplaceAll(s, "-", " "), string(x)) {
			return x
		}
	}
	return letter.Sifat(s)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// defaultPDFName names a letter's file after its kind and report: tindak-lanjut-4012345.pdf.
func defaultPDFName(kind, ref string) string {
	return kind + "-" + strings.Trim(unsafeName.ReplaceAllString(ref, "_"), "_.") + ".pdf"
}

// stderrOrStdout is where a command reports what it wrote: standard error when the
// PDF itself goes to standard output.
func (e *env) stderrOrStdout(path string) io.Writer {
	if path == "-" {
		return e.stderr
	}
	return e.stdout
}

func printWarnings(e *env, path string, p letter.Printed) {
	if p.Info.Substituted > 0 {
		fmt.Fprintln(e.stderrOrStdout(path), i18n.Tf("letter.substituted", "N", p.Info.Substituted))
	}
	if p.Record.Training {
		fmt.Fprintln(e.stderrOrStdout(path), i18n.T("letter.training_note"))
	}
}

// --- letterhead ---

// configFlag is one flag of the letterhead command: applied only when given.
type configFlag struct {
	apply func(c *letter.Config, v string) error
}

func cmdLetterhead(ctx context.Context, e *env, args []string) error {
	fs := e.flags("letterhead", "[flags]\n\nWithout flags: shows the letter settings in use ((bawaan) = a default from the\n"+
		"profile). With flags: changes those settings; an empty value (--phone \"\") clears one.\n"+
		"Number pattern placeholders: "+braces(letter.NumberPlaceholders())+"\n"+
		"Template placeholders: "+braces(letter.TemplatePlaceholders()))
	flags := map[string]configFlag{}
	text := func(name, usage string, field func(c *letter.Config) *string) {
		fs.String(name, "", usage)
		flags[name] = configFlag{func(c *letter.Config, v string) error { *field(c) = v; return nil }}
	}
	list := func(name, usage string, apply func(c *letter.Config, v []string) error) {
		var l stringList
		fs.Var(&l, name, usage+" (repeatable; \"\" clears)")
		flags[name] = configFlag{func(c *letter.Config, _ string) error { return apply(c, nonEmpty(l...)) }}
	}
	text("pemda", "regional government on the letterhead, e.g. \"Kabupaten Barru\"", func(c *letter.Config) *string { return &c.Letterhead.PemdaName })
	text("unit-name", "unit name on the letterhead", func(c *letter.Config) *string { return &c.Letterhead.UnitName })
	text("address", "address line", func(c *letter.Config) *string { return &c.Letterhead.Address })
	text("phone", "telephone", func(c *letter.Config) *string { return &c.Letterhead.Phone })
	text("email", "e-mail", func(c *letter.Config) *string { return &c.Letterhead.Email })
	text("website", "website", func(c *letter.Config) *string { return &c.Letterhead.Website })
	fs.String("logo", "", "the Pemda's emblem, a PNG or JPEG file (read at each print)")
	flags["logo"] = configFlag{func(c *letter.Config, v string) error {
		if v == "" {
			c.Letterhead.LogoPath = ""
			return nil
		}
		abs, err := filepath.Abs(v)
		c.Letterhead.LogoPath = abs
		return err
	}}
	fs.String("paper", "", "A4 or F4")
	flags["paper"] = configFlag{func(c *letter.Config, v string) error { c.Letterhead.Paper = letter.Paper(v); return nil }}
	fs.String("margins", "", "page margins in mm: TOP,LEFT,RIGHT,BOTTOM (default 20,30,20,20)")
	flags["margins"] = configFlag{func(c *letter.Config, v string) error { return parseMargins(c, v) }}
	text("jabatan", "the signer's title, e.g. \"Kepala Dinas Kesehatan\"", func(c *letter.Config) *string { return &c.Signer.Jabatan })
	text("signer-name", "the signer's full name with degrees", func(c *letter.Config) *string { return &c.Signer.Name })
	text("pangkat", "the signer's rank, e.g. \"Pembina Tingkat I (IV/b)\"", func(c *letter.Config) *string { return &c.Signer.Pangkat })
	text("nip", "the signer's NIP (18 digits)", func(c *letter.Config) *string { return &c.Signer.NIP })
	text("number-pattern", "letter number pattern (default "+letter.DefaultNumberPattern+")", func(c *letter.Config) *string { return &c.Settings.NumberPattern })
	text("code", "archive classification code for {kode}, e.g. 000.1.4 (Permendagri 83/2022)", func(c *letter.Config) *string { return &c.Settings.ClassificationCode })
	list("code-for", "KIND=CODE: the classification code of one kind (disposisi, tindak-lanjut, rekap)", func(c *letter.Config, v []string) error {
		c.Settings.ClassificationCodes = nil
		for _, kv := range v {
			k, code, ok := strings.Cut(kv, "=")
			if !ok {
				return &lapordesk.FieldError{Field: "settings.classification_codes", Problem: lapordesk.ProblemFormat, Value: kv}
			}
			if c.Settings.ClassificationCodes == nil {
				c.Settings.ClassificationCodes = map[letter.Kind]string{}
			}
			c.Settings.ClassificationCodes[letter.Kind(strings.TrimSpace(k))] = strings.TrimSpace(code)
		}
		return nil
	})
	text("unit-code", "the unit's code in letter numbers, {unit} (default the desk's unit code)", func(c *letter.Config) *string { return &c.Settings.UnitCode })
	text("place", "place of the dateline, e.g. Barru", func(c *letter.Config) *string { return &c.Settings.Place })
	fs.String("sifat", "", "default sifat: Biasa, Segera, Sangat Segera or Rahasia")
	flags["sifat"] = configFlag{func(c *letter.Config, v string) error { c.Settings.Sifat = parseSifat(v); return nil }}
	text("lampiran", "default attachments line", func(c *letter.Config) *string { return &c.Settings.Lampiran })
	list("tembusan", "a copy-to line", func(c *letter.Config, v []string) error { c.Settings.Tembusan = v; return nil })
	list("recipient", "CODE=NAME: a choice of \"Diteruskan kepada\" on the lembar disposisi", func(c *letter.Config, v []string) error {
		c.Settings.Recipients = nil
		for _, kv := range v {
			code, name, ok := strings.Cut(kv, "=")
			if !ok {
				code, name = "", kv
			}
			c.Settings.Recipients = append(c.Settings.Recipients, lapordesk.Unit{Code: strings.TrimSpace(code), Name: strings.TrimSpace(name)})
		}
		return nil
	})
	list("instruction", "a choice of \"Dengan hormat harap\" on the lembar disposisi", func(c *letter.Config, v []string) error { c.Settings.Instructions = v; return nil })
	fs.String("half-sheet", "", "true: print the lembar disposisi on half a sheet")
	flags["half-sheet"] = configFlag{func(c *letter.Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return &lapordesk.FieldError{Field: "half-sheet", Problem: lapordesk.ProblemFormat, Value: v}
		}
		c.Settings.DisposisiHalfSheet = b
		return nil
	}}
	text("verify-url", "what the QR code holds, with {kode} for the code, e.g. https://hub.example/cek/{kode}", func(c *letter.Config) *string { return &c.Settings.VerifyURL })
	fs.String("template-file", "", "the surat tindak lanjut body template, from a file (- standard input; \"\" back to the default)")
	flags["template-file"] = configFlag{func(c *letter.Config, v string) error {
		if v == "" {
			c.Settings.Template = ""
			return nil
		}
		b, err := readInput(e, v, 64<<10+1)
		if err != nil {
			return err
		}
		c.Settings.Template = string(b)
		return nil
	}}
	fromJSON := fs.String("from-json", "", "replace the whole configuration with JSON from a file (as --json prints it)")
	asJSON := fs.Bool("json", false, "print the stored configuration as JSON")
	showTemplate := fs.Bool("show-template", false, "print the body template in use")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	return e.withStore(ctx, func(s *storage.Store) error {
		p, err := needProfile(s)
		if err != nil {
			return err
		}
		c, err := letter.LoadConfig(ctx, s)
		if err != nil {
			return err
		}
		var changed bool
		if *fromJSON != "" {
			if c, err = readConfigJSON(e, *fromJSON); err != nil {
				return err
			}
			changed = true
		}
		var applyErr error
		fs.Visit(func(f *flag.Flag) {
			if fl, ok := flags[f.Name]; ok && applyErr == nil {
				applyErr = fl.apply(&c, f.Value.String())
				changed = true
			}
		})
		if applyErr != nil {
			return applyErr
		}
		if changed {
			if err := letter.SaveOffice(ctx, s, c); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, i18n.T("letter.settings_saved"))
		}
		switch {
		case *asJSON:
			return writeJSON(e.stdout, c)
		case *showTemplate:
			t := c.Settings.Template
			if t == "" {
				t = letter.DefaultFollowUpTemplate
			}
			fmt.Fprintln(e.stdout, t)
			return nil
		}
		return showLetterhead(e, s, p, c)
	})
}

func braces(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, " ")
}

func parseMargins(c *letter.Config, v string) error {
	if strings.TrimSpace(v) == "" {
		c.Margins = letter.Margins{}
		return nil
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '/' || r == ' ' })
	var mm [4]float64
	if len(parts) != 4 {
		return &lapordesk.FieldError{Field: "letterhead.margins", Problem: lapordesk.ProblemFormat, Value: v}
	}
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.ReplaceAll(p, ",", "."), 64)
		if err != nil {
			return &lapordesk.FieldError{Field: "letterhead.margins", Problem: lapordesk.ProblemFormat, Value: v}
		}
		mm[i] = f
	}
	c.Margins = letter.Margins{Top: mm[0], Left: mm[1], Right: mm[2], Bottom: mm[3]}
	return nil
}

// readConfigJSON reads a whole letter configuration, strictly.
func readConfigJSON(e *env, path string) (letter.Config, error) {
	var c letter.Config
	b, err := readInput(e, path, 1<<20+1)
	if err != nil {
		return c, err
	}
	if len(b) > 1<<20 {
		return c, &lapordesk.FieldError{Field: "from-json", Problem: lapordesk.ProblemTooLong, Limit: 1 << 20, Length: len(b)}
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %v: %w", path, err, lapordesk.ErrInvalid)
	}
	if dec.More() {
		return c, fmt.Errorf("%s: more than one JSON value: %w", path, lapordesk.ErrInvalid)
	}
	return c, nil
}

// showLetterhead prints the settings in use, marking the defaults, and an example
// number; a configuration that cannot print is shown, then reported as the error.
func showLetterhead(e *env, s *storage.Store, p lapordesk.Profile, c letter.Config) error {
	noLogo := c
	noLogo.Letterhead.LogoPath = ""
	o, officeErr := noLogo.Office(p)
	if officeErr != nil {
		// Show what can be shown: the stored values over the profile's.
		o, _ = letter.Office{Letterhead: letter.Letterhead{Pemda: c.Letterhead.PemdaName, Unit: c.Letterhead.UnitName},
			Settings: c.Settings, Signer: c.Signer}.WithProfile(p)
	}
	_, officeErr = c.Office(p)
	tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
	section := func(key string) { fmt.Fprintf(tw, "%s\n", i18n.T(key)) }
	row := func(label, stored, effective string) {
		v := effective
		if strings.TrimSpace(stored) == "" && effective != "" {
			v += " " + i18n.T("letter.default")
		}
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(tw, "  %s:\t%s\n", label, v)
	}
	h := c.Letterhead
	section("letter.section.letterhead")
	row(i18n.Field("letterhead.pemda"), h.PemdaName, o.Letterhead.Pemda)
	row(i18n.Field("letterhead.unit"), h.UnitName, o.Letterhead.Unit)
	row(i18n.Field("letterhead.address"), h.Address, h.Address)
	row(i18n.Field("letterhead.phone"), h.Phone, h.Phone)
	row(i18n.Field("letterhead.email"), h.Email, h.Email)
	row(i18n.Field("letterhead.website"), h.Website, h.Website)
	row(i18n.Field("letterhead.logo_path"), h.LogoPath, h.LogoPath)
	paper := string(h.Paper)
	if paper == "" {
		paper = string(letter.PaperA4)
	}
	row(i18n.Field("paper"), string(h.Paper), paper)
	m := c.Margins
	if m == (letter.Margins{}) {
		m = letter.DefaultMargins()
	}
	row(i18n.Field("letterhead.margins"), marginsText(c.Margins), marginsText(m))
	section("letter.section.signer")
	row(i18n.Field("signer.jabatan"), c.Signer.Jabatan, o.Signer.Jabatan)
	row(i18n.Field("signer.name"), c.Signer.Name, c.Signer.Name)
	row(i18n.Field("signer.pangkat"), c.Signer.Pangkat, c.Signer.Pangkat)
	row(i18n.Field("signer.nip"), c.Signer.NIP, letter.FormatNIP(c.Signer.NIP))
	section("letter.section.settings")
	st := c.Settings
	pattern := st.NumberPattern
	if pattern == "" {
		if pt, err := o.Settings.Pattern(letter.KindTindakLanjut); err == nil {
			pattern = pt.String()
		}
	}
	row(i18n.Field("settings.number_pattern"), st.NumberPattern, pattern)
	row(i18n.Field("settings.classification_code"), st.ClassificationCode, st.ClassificationCode)
	for _, k := range letter.Kinds {
		if code, ok := st.ClassificationCodes[k]; ok {
			row(i18n.Field("settings.classification_code")+" ("+string(k)+")", code, code)
		}
	}
	row(i18n.Field("settings.unit_code"), st.UnitCode, o.Settings.UnitCode)
	today := lapordesk.DateOf(s.Now(), s.Calendar().Location)
	for _, k := range []letter.Kind{letter.KindDisposisi, letter.KindTindakLanjut} {
		if pt, err := o.Settings.Pattern(k); err == nil {
			if n, err := pt.Format(1, today, o.Settings.UnitCode); err == nil {
				row(i18n.T("letter.example_number")+" ("+i18n.T("letter.kind."+string(k))+")", n, n)
			}
		}
	}
	row(i18n.Field("settings.place"), st.Place, o.Settings.Place)
	sifat := string(st.Sifat)
	if sifat == "" {
		sifat = string(letter.SifatBiasa)
	}
	row(i18n.Field("settings.sifat"), string(st.Sifat), sifat)
	row(i18n.Field("settings.lampiran"), st.Lampiran, st.Lampiran)
	row(i18n.Field("settings.tembusan"), strings.Join(st.Tembusan, "; "), strings.Join(st.Tembusan, "; "))
	var rec []string
	for _, u := range st.Recipients {
		rec = append(rec, strings.TrimPrefix(u.Code+"="+u.Name, "="))
	}
	row(i18n.Field("settings.recipients"), strings.Join(rec, "; "), strings.Join(rec, "; "))
	instr := lapordesk.InstructionChoices(st.Instructions)
	row(i18n.Field("settings.instructions"), strings.Join(st.Instructions, "; "), strings.Join(instr, "; "))
	row(i18n.Field("settings.disposisi_half_sheet"), "x", i18n.T("letter.bool."+strconv.FormatBool(st.DisposisiHalfSheet)))
	tmpl := i18n.T("letter.template_default")
	if st.Template != "" {
		tmpl = i18n.Tf("letter.template_own", "N", len([]rune(st.Template)))
	}
	row(i18n.Field("settings.template"), "x", tmpl)
	row(i18n.Field("settings.verify_url"), st.VerifyURL, st.VerifyURL)
	if p.Training {
		row(i18n.T("letter.mode"), "x", i18n.T("letter.training"))
	}
	tw.Flush()
	return officeErr
}

func marginsText(m letter.Margins) string {
	if m == (letter.Margins{}) {
		return ""
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return f(m.Top) + "," + f(m.Left) + "," + f(m.Right) + "," + f(m.Bottom) + " mm"
}
