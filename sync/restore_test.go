package sync_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/sync/hub"
)

// A hub put back to an older copy of its file, by its restore command or by a
// file copied in, loses nothing for good: the desks see a new epoch, offer their
// events and attachments again, read their feeds from the start, and every desk
// and the hub converge; no round wedges on the old numbering or skips events.
func TestHubRestoredFromAnOlderCopy(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"restore", "copy"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			path := filepath.Join(dir, "hub.db")
			st, err := hub.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range defaultUnits {
				if err := st.PutUnit(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			h := &testHub{st: st}
			h.url, h.stop = serveHub(t, st, "127.0.0.1:0")
			t.Cleanup(func() { h.stop(); h.st.Close() })
			a := newDesk(t, h, "a", "DINKES", lapordesk.RoleUnit)
			c := newDesk(t, h, "c", "DISKOMINFO", lapordesk.RoleCoordinator)
			first := a.receive(t, sample("Sebelum cadangan hub"))
			a.sync(t)
			c.sync(t)
			backup := filepath.Join(dir, "hub-cadangan.db")
			if err := st.Backup(ctx, backup); err != nil {
				t.Fatal(err)
			}

			// Work the backup does not hold: reports, a photo, the coordinator's step.
			photo := randomBytes(7, 150_000)
			att, err := a.st.PutBlob(ctx, "foto.jpg", "image/jpeg", bytes.NewReader(photo))
			if err != nil {
				t.Fatal(err)
			}
			n := sample("Sesudah cadangan, dengan foto")
			n.Attachments = []lapordesk.Attachment{att}
			a.receive(t, n)
			a.receive(t, sample("Sesudah cadangan"))
			a.sync(t)
			c.sync(t)
			c.act(t, first, lapordesk.Command{Action: lapordesk.ActVerify})
			c.sync(t)
			a.sync(t)

			// The hub goes back to the backup.
			h.stop()
			h.st.Close()
			switch how {
			case "restore":
				if _, err := hub.Restore(ctx, backup, path, time.Now()); err != nil {
					t.Fatal(err)
				}
			case "copy":
				b, err := os.ReadFile(backup)
				if err != nil {
					t.Fatal(err)
				}
				os.Remove(path + "-wal")
				os.Remove(path + "-shm")
				if err := os.WriteFile(path, b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if h.st, err = hub.Open(ctx, path); err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(h.url)
			h.url, h.stop = serveHub(t, h.st, u.Host) // the address the desks know

			for i, d := range []*desk{a, c, a, c} {
				s := d.sync(t)
				if i < 2 && !s.HubRestored {
					t.Fatalf("%s did not notice the restore: %+v", d.name, s)
				}
			}
			checkConverged(t, h, a, c)
			// The photo the restored hub had lost is back on it.
			late := newDesk(t, h, "late", "DISKOMINFO", lapordesk.RoleCoordinator)
			if s := late.sync(t); s.Downloaded != 1 {
				t.Fatalf("a desk enrolled after the restore: %+v", s)
			}
			if got, err := late.st.Blob(ctx, att.SHA256); err != nil || !bytes.Equal(got, photo) {
				t.Fatalf("the photo after the restore: %d bytes, %v", len(got), err)
			}
			checkConverged(t, h, a, c, late)
		})
	}
}
