package ui

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	_ "github.com/lapordesk/lapordesk/internal/localeenv" // before Fyne reads the locale
	"github.com/lapordesk/lapordesk/storage"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// add moves the clock on.
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var wita = time.FixedZone("WITA", 8*3600)

// harness is a desk on a real store in a temporary folder, driven by the test
// driver, with results delivered only when the test drains them.
type harness struct {
	t     *testing.T
	app   fyne.App
	win   fyne.Window
	store *storage.Store
	d     *Desk
	clock *clock
}

// newHarness opens a desk; profile nil leaves the store without a unit (first run).
func newHarness(t *testing.T, profile *lapordesk.Profile) *harness {
	t.Helper()
	return newHarnessWith(t, profile, nil)
}

// newHarnessWith opens a desk with the features hooks returns for its store.
func newHarnessWith(t *testing.T, profile *lapordesk.Profile, hooks func(*storage.Store) Hooks) *harness {
	t.Helper()
	return newHarnessPrepared(t, profile, hooks, nil)
}

// newHarnessPrepared is newHarnessWith on a data file prepare made first (at the
// desk's clock), e.g. a training workspace.
func newHarnessPrepared(t *testing.T, profile *lapordesk.Profile, hooks func(*storage.Store) Hooks, prepare func(path string, now time.Time)) *harness {
	t.Helper()
	if err := i18n.Use("id"); err != nil {
		t.Fatal(err)
	}
	if err := useLanguage(); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newDeskTheme(ThemeLight))
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, wita)} // a Monday
	path := filepath.Join(t.TempDir(), "desk.db")
	if prepare != nil {
		prepare(path, c.Now())
	}
	f, err := storage.OpenDataFile(context.Background(), path, storage.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	s := f.Store()
	if profile != nil {
		if err := s.SetProfile(context.Background(), *profile); err != nil {
			t.Fatal(err)
		}
	}
	w := a.NewWindow("LAPOR Desk")
	w.Resize(fyne.NewSize(1340, 700))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := New(a, w, f, NewTestAsync(ctx), hooks)
	t.Cleanup(d.Stop)
	d.debounce = 5 * time.Millisecond
	h := &harness{t: t, app: a, win: w, store: s, d: d, clock: c}
	d.Start()
	w.Show()
	h.drain()
	return h
}

func unitProfile() *lapordesk.Profile {
	return &lapordesk.Profile{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleUnit, Actor: "Andi", Place: "Barru"}
}

func coordinatorProfile() *lapordesk.Profile {
	return &lapordesk.Profile{UnitCode: "DISKOMINFO", UnitName: "Dinas Komunikasi dan Informatika", PemdaName: "Kabupaten Barru", Role: lapordesk.RoleCoordinator, Actor: "Rahmat"}
}

// drain runs every pending background result on the test goroutine.
func (h *harness) drain() {
	h.t.Helper()
	if err := h.d.async.Drain(10 * time.Second); err != nil {
		h.t.Fatal(err)
	}
}

// waitFor drains the desk's background results until ok holds: for what arrives
// by itself (the sync service's status), not as the result of a job.
func (h *harness) waitFor(what string, ok func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			h.t.Fatalf("waiting for %s; the screen shows:\n%s", what, h.rendered())
		}
		time.Sleep(10 * time.Millisecond)
		h.drain()
	}
}

// tap taps a button and lets its work finish.
func (h *harness) tap(b *widget.Button) {
	h.t.Helper()
	if b == nil {
		h.t.Fatal("no such button")
	}
	if b.Disabled() {
		h.t.Fatalf("button %q is disabled", b.Text)
	}
	test.Tap(b)
	h.drain()
}

// typeInto focuses an entry, types text into it, and lets the results arrive.
func (h *harness) typeInto(e fyne.Focusable, text string) {
	h.t.Helper()
	h.win.Canvas().Focus(e)
	test.Type(e, text)
	h.drain()
}

// shortcut presses a shortcut on the window, as the keyboard does.
func (h *harness) shortcut(s fyne.Shortcut) {
	h.t.Helper()
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
	h.drain()
}

// rendered returns every text drawn on the window (overlays included), one per line.
func (h *harness) rendered() string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				b.WriteString(x.Text)
				b.WriteByte('\n')
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	c := h.win.Canvas()
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return b.String()
}

func (h *harness) mustSee(texts ...string) {
	h.t.Helper()
	r := h.rendered()
	// A wrapped label draws a line per row: a phrase may be cut at a space or, for a
	// long word such as a path, anywhere.
	spaced, joined := strings.ReplaceAll(r, "\n", " "), strings.ReplaceAll(r, "\n", "")
	for _, s := range texts {
		if !strings.Contains(r, s) && !strings.Contains(spaced, s) && !strings.Contains(joined, s) {
			h.t.Fatalf("%q is not on screen; the screen shows:\n%s", s, r)
		}
	}
}

func (h *harness) mustNotSee(texts ...string) {
	h.t.Helper()
	r := h.rendered()
	for _, s := range texts {
		if strings.Contains(r, s) {
			h.t.Fatalf("%q is on screen but must not be", s)
		}
	}
}

// receive records a report directly in the store (someone else's work).
func (h *harness) receive(n lapordesk.NewReport) lapordesk.View {
	h.t.Helper()
	v, err := h.store.Receive(context.Background(), n)
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

func sample(title string) lapordesk.NewReport {
	return lapordesk.NewReport{
		Classification: lapordesk.Pengaduan, CategoryID: "kesehatan.puskesmas", Title: title,
		Body: "Pelayanan di puskesmas sangat lambat, antrean sampai siang.", Channel: lapordesk.ChannelWalkIn,
		Reporter:        lapordesk.Reporter{Name: "Siti Aminah", Phone: "081234567890"},
		Confidentiality: lapordesk.Biasa,
		Location:        lapordesk.Location{Kecamatan: "Tanete Rilau", Desa: "Pancana"},
	}
}

// selectRow selects row i of the report list, as a click does.
func (h *harness) selectRow(i int) {
	h.t.Helper()
	h.d.list.list.Select(i)
	h.drain()
}

// form returns the modal form open now.
func (h *harness) form() *formDialog {
	h.t.Helper()
	if h.d.form == nil {
		h.t.Fatal("no form is open")
	}
	return h.d.form
}

// entryOf returns the entry of a form's field.
func (h *harness) entryOf(f *form, field string) *widget.Entry {
	h.t.Helper()
	r, ok := f.rows[field]
	if !ok {
		h.t.Fatalf("form has no field %q", field)
	}
	switch x := r.input.(type) {
	case *widget.Entry:
		return x
	case *dateField:
		return &x.Entry
	case *textArea:
		return &x.Entry
	case *lineEntry:
		return &x.Entry
	}
	h.t.Fatalf("field %q is a %T, not an entry", field, r.input)
	return nil
}

func (h *harness) status(id string) lapordesk.Report {
	h.t.Helper()
	ref, err := h.store.Resolve(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := h.store.Report(context.Background(), ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}
