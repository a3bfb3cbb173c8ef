package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	_ "github.com/lapordesk/lapordesk/internal/localeenv" // before Fyne reads the locale
	"github.com/lapordesk/lapordesk/storage"
	lsync "github.com/lapordesk/lapordesk/sync"
	"github.com/lapordesk/lapordesk/sync/hub"
)

// testHub is a real hub: its SQLite file in a temporary folder, its HTTP server on
// 127.0.0.1.
type testHub struct {
	st   *hub.Store
	url  string
	stop func()
}

func startHub(t testing.TB, units ...lapordesk.Unit) *testHub {
	t.Helper()
	ctx := context.Background()
	st, err := hub.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	if len(units) == 0 {
		units = defaultUnits
	}
	for _, u := range units {
		if err := st.PutUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	h := &testHub{st: st}
	h.url, h.stop = serveHub(t, st, "127.0.0.1:0")
	t.Cleanup(func() {
		h.stop()
		st.Close()
	})
	return h
}

// serveHub serves st on addr until the returned stop is called.
func serveHub(t testing.TB, st *hub.Store, addr string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	srv := hub.NewServer(st, hub.Options{})
	go func() {
		done <- hub.Serve(ctx, srv.Handler(), hub.ServeOptions{Addr: addr, Ready: func(a net.Addr) { ready <- a }, ShutdownTimeout: 5 * time.Second})
	}()
	select {
	case a := <-ready:
		stopped := false
		return "http://" + a.String(), func() {
			if !stopped {
				stopped = true
				cancel()
				<-done
			}
		}
	case err := <-done:
		cancel()
		t.Fatal(err)
	}
	return "", nil
}

var defaultUnits = []lapordesk.Unit{
	{Code: "DINKES", Name: "Dinas Kesehatan"},
	{Code: "PUPR", Name: "Dinas Pekerjaan Umum dan Penataan Ruang"},
	{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Coordinator: true},
}

// desk is a desktop: its own store file, enrolled with the hub.
type desk struct {
	name string
	st   *storage.Store
	unit string
	role lapordesk.Role
	opts lsync.Options
}

func newDesk(t testing.TB, h *testHub, name, unit string, role lapordesk.Role) *desk {
	t.Helper()
	d := openDesk(t, name, unit, role)
	enroll(t, h, d, h.url)
	return d
}

func openDesk(t testing.TB, name, unit string, role lapordesk.Role) *desk {
	t.Helper()
	d := openDeskFile(t, filepath.Join(t.TempDir(), name+".db"), name, unit, role)
	p := lapordesk.Profile{UnitCode: unit, UnitName: "Unit " + unit, PemdaName: "Kabupaten Barru", Role: role, Actor: "Admin " + name}
	if err := d.st.SetProfile(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return d
}

// openDeskFile opens a desk's existing (or new) data file.
func openDeskFile(t testing.TB, path, name, unit string, role lapordesk.Role) *desk {
	t.Helper()
	st, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &desk{name: name, st: st, unit: unit, role: role, opts: lsync.Options{Client: fastClient()}}
}

// enroll enrols d with the hub through url (the hub, or a proxy in front of it).
func enroll(t testing.TB, h *testHub, d *desk, url string) {
	t.Helper()
	ctx := context.Background()
	token, _, err := h.st.NewEnrolment(ctx, d.unit, d.role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := lsync.Enroll(ctx, d.st, url, token, lsync.EnrollOptions{Name: d.name, Client: fastClient()})
	if err != nil {
		t.Fatalf("enrol %s: %v", d.name, err)
	}
	if dev.Unit.Code != d.unit || dev.Role != d.role {
		t.Fatalf("enrolled as %s/%s", dev.Unit.Code, dev.Role)
	}
}

// fastClient retries quickly: tests must not sleep for a real line's timeouts.
func fastClient() lsync.ClientOptions {
	return lsync.ClientOptions{Timeout: 5 * time.Second, Retries: 3, RetryWait: 5 * time.Millisecond, RetryMaxWait: 50 * time.Millisecond}
}

func (d *desk) sync(t testing.TB) lsync.Summary {
	t.Helper()
	sum, err := lsync.Run(context.Background(), d.st, d.opts)
	if err != nil {
		t.Fatalf("sync %s: %v", d.name, err)
	}
	return sum
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

func (d *desk) receive(t testing.TB, n lapordesk.NewReport) uuid.UUID {
	t.Helper()
	v, err := d.st.Receive(context.Background(), n)
	if err != nil {
		t.Fatalf("%s receive: %v", d.name, err)
	}
	return v.Report.ID
}

func (d *desk) act(t testing.TB, id uuid.UUID, cmd lapordesk.Command) lapordesk.View {
	t.Helper()
	v, err := d.st.Act(context.Background(), id, cmd)
	if err != nil {
		t.Fatalf("%s %s: %v", d.name, cmd.Action, err)
	}
	return v
}

// reportIDs lists every report on the desk.
func (d *desk) reportIDs(t testing.TB) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	after := ""
	for {
		page, err := d.st.List(context.Background(), lapordesk.Filter{Box: lapordesk.BoxAll}, storage.MaxPage, after)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.Next == "" {
			return ids
		}
		after = page.Next
	}
}

// checkConverged asserts that every desk holds exactly the events the hub has for
// it (the same content), that its outbox is empty, and that it derives the same
// state of every report as the hub; desks of one unit must show the same.
func checkConverged(t testing.TB, h *testHub, desks ...*desk) {
	t.Helper()
	ctx := context.Background()
	all, err := h.st.EventHashes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	byUnit := map[string]string{}
	for _, d := range desks {
		if n, err := d.st.Pending(ctx); err != nil || n != 0 {
			t.Errorf("%s: %d events still in the outbox (%v)", d.name, n, err)
		}
		want := all
		if d.role != lapordesk.RoleCoordinator {
			if want, err = h.st.EventHashes(ctx, d.unit); err != nil {
				t.Fatal(err)
			}
		}
		got, err := d.st.EventHashes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffHashes(want, got); diff != "" {
			t.Errorf("%s: events differ from the hub's: %s", d.name, diff)
		}
		for _, id := range d.reportIDs(t) {
			mine, err := d.st.Report(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := h.st.Report(ctx, id)
			if err != nil {
				t.Fatalf("%s: report %s: %v", d.name, id, err)
			}
			a, _ := json.Marshal(mine)
			b, _ := json.Marshal(theirs)
			if string(a) != string(b) {
				t.Errorf("%s: report %s differs from the hub's:\n desk %s\n hub  %s", d.name, id, a, b)
			}
		}
		if err := d.st.Check(ctx); err != nil {
			t.Errorf("%s: %v", d.name, err)
		}
		hash, err := d.st.StateHash(ctx)
		if err != nil {
			t.Fatal(err)
		}
		key := string(d.role) + "/" + d.unit
		if d.role == lapordesk.RoleCoordinator {
			key = "coordinator"
		}
		if prev, ok := byUnit[key]; ok && prev != hash {
			t.Errorf("%s: state hash differs from another desk of %s", d.name, key)
		}
		byUnit[key] = hash
	}
}

func diffHashes(want, got map[uuid.UUID]string) string {
	var missing, extra, changed []string
	for id, h := range want {
		g, ok := got[id]
		switch {
		case !ok:
			missing = append(missing, id.String())
		case g != h:
			changed = append(changed, id.String())
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id.String())
		}
	}
	if len(missing)+len(extra)+len(changed) == 0 {
		return ""
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return fmt.Sprintf("%d missing %v, %d extra %v, %d changed %v", len(missing), head(missing), len(extra), head(extra), len(changed), head(changed))
}

func head(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

func isNotFound(err error) bool { return errors.Is(err, lapordesk.ErrNotFound) }
