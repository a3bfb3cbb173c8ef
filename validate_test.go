package lapordesk

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestNewReportValidateAcceptsSample(t *testing.T) {
	t.Parallel()
	for _, c := range Confidentialities {
		n := sampleNewReport(c)
		if err := n.Validate(t0); err != nil {
			t.Errorf("%s sample: %v", c, err)
		}
	}
	// Anonim reporters need no name; optional fields may be empty.
	n := NewReport{Classification: Aspirasi, Title: "Usul", Body: "Isi", Channel: ChannelSMS, Confidentiality: Anonim, Unit: "DISDIK"}
	if err := n.Validate(t0); err != nil {
		t.Errorf("minimal Anonim report: %v", err)
	}
	// Boundaries that are still valid.
	n = sampleNewReport(Biasa)
	n.Title = strings.Repeat("é", MaxTitleLen) // counted in characters, not bytes
	n.IncidentDate = NewDate(1945, time.January, 1)
	n.Location.Lat, n.Location.Lon = ptr(-90.0), ptr(180.0)
	n.Body = "baris satu\r\n\tbaris dua"
	if err := n.Validate(t0); err != nil {
		t.Errorf("boundary values: %v", err)
	}
}

func TestNewReportValidateProblems(t *testing.T) {
	t.Parallel()
	mb := strings.Repeat("x", 1<<20)
	tomorrowPlus := DateOf(t0, time.UTC).AddDays(2)
	for _, tc := range []struct {
		name    string
		mut     func(*NewReport)
		field   string
		problem string
	}{
		{"missing title", func(n *NewReport) { n.Title = "" }, "title", ProblemRequired},
		{"blank title", func(n *NewReport) { n.Title = " \t " }, "title", ProblemRequired},
		{"missing body", func(n *NewReport) { n.Body = "" }, "body", ProblemRequired},
		{"missing classification", func(n *NewReport) { n.Classification = "" }, "classification", ProblemRequired},
		{"missing channel", func(n *NewReport) { n.Channel = "" }, "channel", ProblemRequired},
		{"missing confidentiality", func(n *NewReport) { n.Confidentiality = "" }, "confidentiality", ProblemRequired},
		{"missing unit", func(n *NewReport) { n.Unit = "" }, "unit", ProblemRequired},
		{"missing name of a Biasa reporter", func(n *NewReport) { n.Reporter.Name = "" }, "reporter_name", ProblemRequired},
		{"1 MB body", func(n *NewReport) { n.Body = mb }, "body", ProblemTooLong},
		{"long desa", func(n *NewReport) { n.Location.Desa = strings.Repeat("d", MaxNameLen+1) }, "desa", ProblemTooLong},
		{"invalid UTF-8 title", func(n *NewReport) { n.Title = "jalan \xff rusak" }, "title", ProblemInvalidUTF8},
		{"invalid UTF-8 reporter", func(n *NewReport) { n.Reporter.Name = "\xc3\x28" }, "reporter_name", ProblemInvalidUTF8},
		{"NUL in body", func(n *NewReport) { n.Body = "isi\x00" }, "body", ProblemControl},
		{"ESC in title", func(n *NewReport) { n.Title = "judul\x1b[31m" }, "title", ProblemControl},
		{"C1 control in name", func(n *NewReport) { n.Reporter.Name = "Andi\u0085" }, "reporter_name", ProblemControl},
		{"newline in title", func(n *NewReport) { n.Title = "judul\nbaris" }, "title", ProblemControl},
		{"unknown classification", func(n *NewReport) { n.Classification = "whistleblowing" }, "classification", ProblemUnknown},
		{"unknown channel", func(n *NewReport) { n.Channel = "fax" }, "channel", ProblemUnknown},
		{"unknown confidentiality", func(n *NewReport) { n.Confidentiality = "rahasia_negara" }, "confidentiality", ProblemUnknown},
		{"future incident", func(n *NewReport) { n.IncidentDate = tomorrowPlus }, "incident_date", ProblemRange},
		{"far future incident", func(n *NewReport) { n.IncidentDate = NewDate(3000, 1, 1) }, "incident_date", ProblemRange},
		{"pre-1945 incident", func(n *NewReport) { n.IncidentDate = NewDate(1944, time.December, 31) }, "incident_date", ProblemRange},
		{"lat > 90", func(n *NewReport) { n.Location.Lat = ptr(90.0001) }, "lat", ProblemRange},
		{"lat < -90", func(n *NewReport) { n.Location.Lat = ptr(-91.0) }, "lat", ProblemRange},
		{"lon > 180", func(n *NewReport) { n.Location.Lon = ptr(180.5) }, "lon", ProblemRange},
		{"lon < -180", func(n *NewReport) { n.Location.Lon = ptr(-200.0) }, "lon", ProblemRange},
		{"lat NaN", func(n *NewReport) { n.Location.Lat = ptr(math.NaN()) }, "lat", ProblemRange},
		{"lon NaN", func(n *NewReport) { n.Location.Lon = ptr(math.NaN()) }, "lon", ProblemRange},
		{"lon infinite", func(n *NewReport) { n.Location.Lon = ptr(math.Inf(-1)) }, "lon", ProblemRange},
		{"phone letters", func(n *NewReport) { n.Reporter.Phone = "nol delapan" }, "reporter_phone", ProblemFormat},
		{"phone too short", func(n *NewReport) { n.Reporter.Phone = "08" }, "reporter_phone", ProblemFormat},
		{"phone two pluses", func(n *NewReport) { n.Reporter.Phone = "++6281234" }, "reporter_phone", ProblemFormat},
		{"email no at", func(n *NewReport) { n.Reporter.Email = "andi.example.id" }, "reporter_email", ProblemFormat},
		{"email no domain dot", func(n *NewReport) { n.Reporter.Email = "andi@localhost" }, "reporter_email", ProblemFormat},
		{"email space", func(n *NewReport) { n.Reporter.Email = "andi baso@example.id" }, "reporter_email", ProblemFormat},
		{"NIK too short", func(n *NewReport) { n.Reporter.IDNumber = "7311" }, "reporter_id_number", ProblemFormat},
		{"NIK 17 digits", func(n *NewReport) { n.Reporter.IDNumber = validNIK + "1" }, "reporter_id_number", ProblemFormat},
		{"NIK with spaces", func(n *NewReport) { n.Reporter.IDNumber = "7311 0101 0190 0001" }, "reporter_id_number", ProblemFormat},
		{"NIK letters", func(n *NewReport) { n.Reporter.IDNumber = "73110101019O0001" }, "reporter_id_number", ProblemFormat},
		{"tracking id letters", func(n *NewReport) { n.TrackingID = "LAP-4012345" }, "tracking_id", ProblemFormat},
		{"tracking id negative", func(n *NewReport) { n.TrackingID = "-4012345" }, "tracking_id", ProblemFormat},
		{"tracking id 21 digits", func(n *NewReport) { n.TrackingID = strings.Repeat("1", 21) }, "tracking_id", ProblemFormat},
		{"category upper case", func(n *NewReport) { n.CategoryID = "Kesehatan" }, "category_id", ProblemFormat},
		{"unit with space", func(n *NewReport) { n.Unit = "DINAS PU" }, "unit", ProblemFormat},
		{"attachment bad hash", func(n *NewReport) { n.Attachments[0].SHA256 = "ABC" }, "attachments", ProblemFormat},
		{"attachment negative size", func(n *NewReport) { n.Attachments[0].Size = -1 }, "attachments", ProblemRange},
		{"attachment without name", func(n *NewReport) { n.Attachments[0].Name = "" }, "attachments", ProblemRequired},
		{"too many attachments", func(n *NewReport) { n.Attachments = make([]Attachment, MaxAttach+1) }, "attachments", ProblemTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := sampleNewReport(Biasa)
			tc.mut(&n)
			err := n.Validate(t0)
			wantFieldError(t, err, tc.field, tc.problem)
			var ve ValidationErrors
			if !errors.As(err, &ve) || len(ve) != 1 {
				t.Errorf("want exactly one problem, got %v", err)
			}
			// Receive refuses it too and returns no event.
			if e, rerr := Receive(n, "petugas", t0); rerr == nil || e.Kind != "" {
				t.Errorf("Receive accepted it: %+v", e)
			}
		})
	}
}

func TestReceiveChecksActor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		actor   string
		problem string
	}{
		{"petugas\xff", ProblemInvalidUTF8},
		{"petugas\x1b", ProblemControl},
		{strings.Repeat("p", MaxNameLen+1), ProblemTooLong},
	} {
		e, err := Receive(sampleNewReport(Biasa), tc.actor, t0)
		wantFieldError(t, err, "actor", tc.problem)
		if e.Kind != "" {
			t.Errorf("event returned with the error: %+v", e)
		}
	}
	// Problems in the report and the actor are reported together.
	n := sampleNewReport(Biasa)
	n.Title = ""
	_, err := Receive(n, "\xff", t0)
	wantFieldError(t, err, "title", ProblemRequired)
	wantFieldError(t, err, "actor", ProblemInvalidUTF8)
}

func TestTooLongTitleReportsLengthAndLimit(t *testing.T) {
	t.Parallel()
	n := sampleNewReport(Biasa)
	n.Title = strings.Repeat("j", 1<<20)
	fe := wantFieldError(t, n.Validate(t0), "title", ProblemTooLong)
	if fe.Length != 1<<20 || fe.Limit != MaxTitleLen {
		t.Errorf("Length %d Limit %d, want %d %d", fe.Length, fe.Limit, 1<<20, MaxTitleLen)
	}
	if msg := fe.Error(); !strings.Contains(msg, "1048576") || !strings.Contains(msg, "250") {
		t.Errorf("message %q does not give the length and limit", msg)
	}
	if len(fe.Value) > 200 {
		t.Errorf("error carries the whole value (%d bytes)", len(fe.Value))
	}
}

func TestValidateCollectsEveryProblem(t *testing.T) {
	t.Parallel()
	n := NewReport{Title: "\xff", Classification: "x", Unit: "bad unit"}
	err := n.Validate(t0)
	var ve ValidationErrors
	if !errors.As(err, &ve) {
		t.Fatalf("err %T %v, want ValidationErrors", err, err)
	}
	for _, f := range []string{"title", "body", "classification", "channel", "confidentiality", "unit"} {
		if ve.For(f) == nil {
			t.Errorf("no error for %q in %v", f, err)
		}
	}
	if ve.For("reporter_name") != nil {
		t.Error("reporter name required although the confidentiality is unknown")
	}
}

func TestIncidentDateTomorrowAllowedForZoneSlack(t *testing.T) {
	t.Parallel()
	// 23:30 UTC is already the next morning in Barru; an incident "today" there must pass.
	now := time.Date(2026, 11, 2, 23, 30, 0, 0, time.UTC)
	n := sampleNewReport(Biasa)
	n.IncidentDate = NewDate(2026, 11, 3)
	if err := n.Validate(now); err != nil {
		t.Errorf("incident on the local date: %v", err)
	}
}

func TestCommandValidate(t *testing.T) {
	t.Parallel()
	id := ptr(t0Event().ID)
	for _, tc := range []struct {
		name    string
		cmd     Command
		field   string
		problem string
	}{
		{"unknown action", Command{Action: "delete", Unit: "X"}, "action", ProblemUnknown},
		{"negative base on a note", Command{Action: ActNote, Unit: "X", Text: "a", BaseVersion: -1}, "base_version", ProblemRange},
		{"negative base on a verify", Command{Action: ActVerify, Unit: "X", BaseVersion: -7}, "base_version", ProblemRange},
		{"no unit", Command{Action: ActNote, Text: "a"}, "unit", ProblemRequired},
		{"bad unit", Command{Action: ActNote, Text: "a", Unit: "a b"}, "unit", ProblemFormat},
		{"postpone without reason", Command{Action: ActPostpone, Unit: "X"}, "reason", ProblemRequired},
		{"return without reason", Command{Action: ActReturn, Unit: "X", Reason: "  "}, "reason", ProblemRequired},
		{"respond without text", Command{Action: ActRespond, Unit: "X"}, "text", ProblemRequired},
		{"note without text", Command{Action: ActNote, Unit: "X"}, "text", ProblemRequired},
		{"1 MB text", Command{Action: ActFollowUp, Unit: "X", Text: strings.Repeat("t", 1<<20)}, "text", ProblemTooLong},
		{"invalid UTF-8 reason", Command{Action: ActClose, Unit: "X", Reason: "\xfe"}, "reason", ProblemInvalidUTF8},
		{"control char in actor", Command{Action: ActClose, Unit: "X", Actor: "a\x07"}, "actor", ProblemControl},
		{"dispose without unit", Command{Action: ActDispose, Unit: "X"}, "to_unit", ProblemRequired},
		{"dispose to bad unit", Command{Action: ActDispose, Unit: "X", ToUnit: "../etc"}, "to_unit", ProblemFormat},
		{"to_unit outside dispose", Command{Action: ActVerify, Unit: "X", ToUnit: "Y"}, "to_unit", ProblemUnknown},
		{"too many instructions", Command{Action: ActDispose, Unit: "X", ToUnit: "Y", Instructions: make([]string, 21)}, "instructions", ProblemTooLong},
		{"blank instruction", Command{Action: ActDispose, Unit: "X", ToUnit: "Y", Instructions: []string{""}}, "instructions", ProblemRequired},
		{"instructions outside dispose", Command{Action: ActArchive, Unit: "X", Instructions: []string{"\xff"}}, "instructions", ProblemUnknown},
		{"changes on a note", Command{Action: ActNote, Unit: "X", Text: "a", Changes: []FieldChange{{Field: "title", Value: "b"}}}, "changes", ProblemUnknown},
		{"edit without changes", Command{Action: ActEdit, Unit: "X"}, "changes", ProblemRequired},
		{"resolve without target", Command{Action: ActResolve, Unit: "X"}, "resolves", ProblemRequired},
		{"target outside resolve", Command{Action: ActNote, Unit: "X", Text: "a", Resolves: id}, "resolves", ProblemRequired},
		{"unknown change field", Command{Action: ActEdit, Unit: "X", Changes: []FieldChange{{Field: strings.Repeat("\xff", 1<<20), Value: "\xff"}}}, "changes", ProblemUnknown},
		{"bad change value", Command{Action: ActEdit, Unit: "X", Changes: []FieldChange{{Field: "title", Value: "\xff"}}}, "title", ProblemInvalidUTF8},
		{"bad attachment", Command{Action: ActNote, Unit: "X", Text: "a", Attachments: []Attachment{{Name: "a", SHA256: "z"}}}, "attachments", ProblemFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cmd.Validate()
			wantFieldError(t, err, tc.field, tc.problem)
			if n := len(err.Error()); n > 1000 {
				t.Errorf("message of %d bytes; it should name the problem, not repeat the input", n)
			}
			// Decide refuses it before looking at the report.
			r := reportIn(t, StatusVerified).r
			if e, derr := Decide(r, tc.cmd, t0); derr == nil || e.Kind != "" {
				t.Errorf("Decide accepted it: %+v", e)
			}
		})
	}
}

func t0Event() Event {
	e, err := Receive(sampleNewReport(Biasa), "petugas", t0)
	if err != nil {
		panic(err)
	}
	return e
}

func TestCheckTextExported(t *testing.T) {
	t.Parallel()
	if err := CheckText("nama", "Andi", true, 10, false); err != nil {
		t.Errorf("valid: %v", err)
	}
	if err := CheckText("nama", "", false, 10, false); err != nil {
		t.Errorf("empty optional: %v", err)
	}
	err := CheckText("nama", "Andi Baso Makkulau", true, 10, false)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Problem != ProblemTooLong || fe.Length != 18 || fe.Limit != 10 {
		t.Errorf("too long: %v", err)
	}
	// A nil *FieldError must not turn into a non-nil error interface.
	if err := CheckText("x", "ok", false, 5, false); err != nil {
		t.Errorf("got non-nil %T", err)
	}
}

func TestValidUnitCode(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{
		"DISKOMINFO": true, "dinkes-2": true, "RSUD.Barru": true, "a": true,
		"": false, "-X": false, "DINAS PU": false, strings.Repeat("A", 33): false, "A/B": false,
	} {
		if got := ValidUnitCode(code); got != want {
			t.Errorf("ValidUnitCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestFieldErrorMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{Field: "title", Problem: ProblemRequired}, "title: required"},
		{FieldError{Field: "title", Problem: ProblemTooLong, Length: 300, Limit: 250}, "title: too long (300 characters, at most 250)"},
		{FieldError{Field: "channel", Problem: ProblemUnknown, Value: "fax"}, `channel: unknown value "fax"`},
		{FieldError{Field: "confidentiality", Problem: ProblemImmutable}, "confidentiality: cannot be changed"},
		{FieldError{Field: "x", Problem: "weird"}, "x: weird"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	ve := ValidationErrors{{Field: "a", Problem: ProblemRequired}, {Field: "b", Problem: ProblemRequired}}
	if ve.Error() != "a: required; b: required" || ve.For("b") != ve[1] || ve.For("c") != nil {
		t.Errorf("ValidationErrors: %q", ve.Error())
	}
	if !errors.Is(ve, ErrInvalid) || errors.Is(ve, ErrConflict) {
		t.Error("ValidationErrors must wrap ErrInvalid only")
	}
}

func TestDateParseAndJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "", "2026-01-01T00:00:00Z"} {
		if _, err := ParseDate(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDate(%q): %v, want ErrInvalid", s, err)
		}
	}
	d, err := ParseDate("2024-02-29")
	if err != nil || d != (Date{2024, time.February, 29}) || d.String() != "2024-02-29" {
		t.Errorf("ParseDate leap day: %v %v", d, err)
	}
	var z Date
	b, _ := z.MarshalJSON()
	if string(b) != "null" || z.String() != "" {
		t.Errorf("zero date: %s %q", b, z.String())
	}
	b, _ = d.MarshalJSON()
	var back Date
	if err := back.UnmarshalJSON(b); err != nil || back != d {
		t.Errorf("round trip %s: %v %v", b, back, err)
	}
	for _, bad := range []string{`12`, `"2026/01/01"`, `"2026-02-30"`} {
		if err := back.UnmarshalJSON([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("UnmarshalJSON(%s): %v", bad, err)
		}
	}
	for _, empty := range []string{`null`, `""`} {
		back = d
		if err := back.UnmarshalJSON([]byte(empty)); err != nil || !back.IsZero() {
			t.Errorf("UnmarshalJSON(%s) = %v, %v", empty, back, err)
		}
	}
}

func TestConfidentialityOnlyTightens(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Biasa))
	h.do(Command{Action: ActEdit, Changes: []FieldChange{{Field: "confidentiality", Value: string(Rahasia)}}})
	_, err := h.try(Command{Action: ActEdit, Changes: []FieldChange{{Field: "confidentiality", Value: string(Biasa)}}})
	wantFieldError(t, err, "confidentiality", ProblemImmutable)
}

func TestAttachmentNamesAreNotPaths(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"../etc/passwd", `C:\Windows\x.dll`, "a/b.jpg", "..", "."} {
		n := sampleNewReport(Biasa)
		n.Attachments[0].Name = name
		var fe *FieldError
		if err := n.Validate(t0); !errors.As(err, &fe) || fe.Field != "attachments" {
			t.Errorf("attachment name %q: %v", name, err)
		}
	}
}

func TestEventValidate(t *testing.T) {
	t.Parallel()
	h := newHistory(t, sampleNewReport(Biasa))
	good := h.do(cmdFor(ActVerify))
	if err := good.Validate(); err != nil {
		t.Fatalf("a decided event is invalid: %v", err)
	}
	if err := h.events[0].Validate(); err != nil {
		t.Fatalf("a receipt is invalid: %v", err)
	}
	bad := []func(*Event){
		func(e *Event) { e.ID = uuid.Nil },
		func(e *Event) { e.Kind = "exploded" },
		func(e *Event) { e.Unit = "" },
		func(e *Event) { e.Payload.Text = strings.Repeat("x", MaxTextLen+1) },
		func(e *Event) { e.Payload.Reason = "\xff" },
		func(e *Event) { e.Kind = EvDisposed; e.Payload.ToUnit = "" },
		func(e *Event) { e.Kind = EvReceived; e.Payload.Report = nil },
		func(e *Event) { e.BaseVersion = -1 },
		func(e *Event) { e.At = time.Time{} },
	}
	for i, mutate := range bad {
		e := good
		mutate(&e)
		if err := e.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: got %v, want ErrInvalid", i, err)
		}
	}
}

func TestTextRefusesBidiOverrides(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"Laporan \u202eatad\u202c", "Nama \u2067x\u2069", "catatan \x1b[31mmerah"} {
		if err := CheckText("title", v, true, 200, true); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	for _, v := range []string{"Jalan rusak di Pancana", "Baris satu\nbaris dua", "Ä é ñ 漢字 😀"} {
		if err := CheckText("title", v, true, 200, true); err != nil {
			t.Errorf("%q refused: %v", v, err)
		}
	}
}
