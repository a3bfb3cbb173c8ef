package lapordesk

import (
	"github.com/google/uuid"

	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Fixtures shared by the domain tests. Times are fixed so that every deadline can be
// worked out by hand; t0 is Monday 2 November 2026, 09:00 in Barru (WITA, UTC+8).
var t0 = time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)

const (
	unitCoord   = "DISKOMINFO"
	unitDinkes  = "DINKES"
	unitPUPR    = "PUPR"
	sampleSHA   = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	validNIK    = "7311010101900001"
	validPhone  = "081234567890"
	validEmail  = "andi@example.id"
	reporterNom = "Andi Baso"
)

func ptr[T any](v T) *T { return &v }

// sampleNewReport is a complete, valid report with a known reporter.
func sampleNewReport(conf Confidentiality) NewReport {
	return NewReport{
		TrackingID:     "4012345",
		Classification: Pengaduan,
		CategoryID:     "infrastruktur",
		Title:          "Jalan rusak di Desa Lipukasi",
		Body:           "Jalan poros desa berlubang sejak tiga bulan.\nMohon segera diperbaiki.",
		IncidentDate:   NewDate(2026, time.October, 20),
		Location: Location{
			Kecamatan: "Tanete Rilau", Desa: "Lipukasi", Detail: "depan SD",
			Lat: ptr(-4.45), Lon: ptr(119.62),
		},
		Channel:         ChannelWebsite,
		Reporter:        Reporter{Name: reporterNom, Phone: validPhone, Email: validEmail, IDNumber: validNIK},
		Confidentiality: conf,
		Unit:            unitCoord,
		Attachments:     []Attachment{{Name: "foto.jpg", MIME: "image/jpeg", Size: 1024, SHA256: sampleSHA}},
	}
}

// history is a report built command by command: every step is decided against the
// current state, applied, and must apply cleanly.
type history struct {
	t      testing.TB
	events []Event
	r      *Report
	now    time.Time
}

func newHistory(t testing.TB, n NewReport) *history {
	t.Helper()
	return newHistoryAt(t, n, t0)
}

// newHistoryAt receives n at the given time.
func newHistoryAt(t testing.TB, n NewReport, at time.Time) *history {
	t.Helper()
	e, err := Receive(n, "petugas", at)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	h := &history{t: t, now: at}
	h.r = &Report{}
	if c := h.r.Apply(e); c != nil {
		t.Fatalf("Apply(received): conflict %+v", c)
	}
	h.events = append(h.events, e)
	return h
}

// at moves the clock of the next commands.
func (h *history) at(t time.Time) *history { h.now = t; return h }

// do decides cmd on the current state, applies the event and returns it; it fails the
// test on any error or conflict.
func (h *history) do(cmd Command) Event {
	h.t.Helper()
	if cmd.Unit == "" {
		cmd.Unit = h.r.Unit
	}
	e, err := Decide(h.r, cmd, h.now)
	if err != nil {
		h.t.Fatalf("Decide(%s) in status %q: %v", cmd.Action, h.r.Status, err)
	}
	if c := h.r.Apply(e); c != nil {
		h.t.Fatalf("Apply(%s) in status %q: conflict %q", e.Kind, h.r.Status, c.Reason)
	}
	h.events = append(h.events, e)
	return e
}

// inject records an event decided elsewhere (e.g. an older desk's edit arriving by
// sync) whatever it does: applied, or kept as a conflict, as Replay would.
func (h *history) inject(kind EventKind, p Payload) Event {
	h.t.Helper()
	e := Event{ID: uuid.Must(uuid.NewV7()), ReportID: h.r.ID, Kind: kind, At: NormalizeTime(h.now), Unit: h.r.Unit, BaseVersion: h.r.Version, Payload: p}
	h.r.Apply(e)
	h.events = append(h.events, e)
	return e
}

// try decides cmd without applying anything.
func (h *history) try(cmd Command) (Event, error) {
	if cmd.Unit == "" {
		cmd.Unit = h.r.Unit
	}
	return Decide(h.r, cmd, h.now)
}

// replay replays the recorded events and checks the result equals the state built
// step by step.
func (h *history) replay() *Report {
	h.t.Helper()
	r, err := Replay(h.events)
	if err != nil {
		h.t.Fatalf("Replay: %v", err)
	}
	if !reflect.DeepEqual(r, h.r) {
		h.t.Fatalf("Replay differs from step-by-step state:\nreplay: %+v\nsteps:  %+v", r, h.r)
	}
	return r
}

// Commands valid in the states where they are allowed.
func cmdFor(a Action) Command {
	c := Command{Action: a, Actor: "Admin"}
	switch a {
	case ActPostpone:
		c.Reason = "Data pelapor belum lengkap"
	case ActReturn:
		c.Reason = "Bukan wewenang"
	case ActDispose:
		c.ToUnit = unitPUPR
		c.Instructions = []string{"Proses lebih lanjut"}
	case ActRespond:
		c.Text = "Laporan sedang kami tangani."
	case ActFollowUp:
		c.Text = "Jalan telah ditambal pada 5 November."
	case ActReply:
		c.Text = "Terima kasih, tapi belum selesai."
	case ActNote:
		c.Text = "Catatan internal"
	case ActEdit:
		c.Changes = []FieldChange{{Field: "desa", Value: "Pao-Pao"}}
	}
	return c
}

// pathTo lists the actions that lead from a new report to status s.
var pathTo = map[Status][]Action{
	StatusNew:        nil,
	StatusPostponed:  {ActPostpone},
	StatusVerified:   {ActVerify},
	StatusReturned:   {ActReturn},
	StatusDisposed:   {ActVerify, ActDispose},
	StatusInProgress: {ActVerify, ActDispose, ActRespond},
	StatusFollowedUp: {ActVerify, ActDispose, ActRespond, ActFollowUp},
	StatusClosed:     {ActVerify, ActDispose, ActRespond, ActFollowUp, ActClose},
	StatusArchived:   {ActArchive},
}

// reportIn returns a history whose report is in status s.
func reportIn(t testing.TB, s Status) *history {
	t.Helper()
	return reportInConf(t, s, Biasa)
}

// reportInConf is reportIn for a report of confidentiality conf.
func reportInConf(t testing.TB, s Status, conf Confidentiality) *history {
	t.Helper()
	h := newHistory(t, sampleNewReport(conf))
	for i, a := range pathTo[s] {
		h.at(t0.Add(time.Duration(i+1) * time.Hour)).do(cmdFor(a))
	}
	if h.r.Status != s {
		t.Fatalf("setup: status %q, want %q", h.r.Status, s)
	}
	h.at(t0.Add(24 * time.Hour))
	return h
}

// wantErr checks err wraps target and, when As-able, returns it.
func wantFieldError(t *testing.T, err error, field, problem string) *FieldError {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error on %q, got nil", problem, field)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v does not wrap ErrInvalid", err)
	}
	var fe *FieldError
	var ve ValidationErrors
	switch {
	case errors.As(err, &ve):
		fe = ve.For(field)
	case errors.As(err, &fe):
		if fe.Field != field {
			fe = nil
		}
	}
	if fe == nil {
		t.Fatalf("no error on field %q in %v", field, err)
	}
	if fe.Problem != problem {
		t.Fatalf("field %q: problem %q, want %q (%v)", field, fe.Problem, problem, err)
	}
	if !strings.Contains(err.Error(), field) {
		t.Fatalf("message %q does not name field %q", err.Error(), field)
	}
	return fe
}
