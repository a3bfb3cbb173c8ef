package sync_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// -soak=N runs N fault schedules instead of the few CI runs, e.g.
//
//	go test ./sync -run TestFaultSchedules -soak 8 -big-files -v -timeout 30m
var soak = flag.Int("soak", 0, "number of random fault schedules to run (default: 6, or 2 with -short)")

// -big-files attaches 0.1-8 MB of random bytes instead of CI's up to 80 KB.
var bigFiles = flag.Bool("big-files", false, "attach 0.1-8 MB of random bytes (the soak's phone photos and scans)")

// Random work on four desks (two of one unit, another unit, the coordinator),
// synced through a line that drops, resets, stalls, truncates and doubles requests.
// Once the faults stop, every desk syncs twice (the first pass brings every desk's
// events to the hub, the second brings them to the others): nothing is lost,
// nothing is duplicated, and every desk holds and shows what the hub has for it.
func TestFaultSchedules(t *testing.T) {
	t.Parallel()
	n := 6
	if testing.Short() {
		n = 2
	}
	if *soak > 0 {
		n = *soak
	}
	for seed := 1; seed <= n; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel() // each seed has its own hub, proxy and desks; they spend their time in stalls
			runSchedule(t, uint64(seed))
		})
	}
}

func runSchedule(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0xfa17))
	h := startHub(t)
	px := newFaultProxy(t, h.url, seed)
	var desks []*desk
	for _, d := range []struct {
		name, unit string
		role       lapordesk.Role
	}{{"a1", "DINKES", lapordesk.RoleUnit}, {"a2", "DINKES", lapordesk.RoleUnit}, {"b", "PUPR", lapordesk.RoleUnit}, {"c", "DISKOMINFO", lapordesk.RoleCoordinator}} {
		dk := openDesk(t, d.name, d.unit, d.role)
		enroll(t, h, dk, px.url)
		// Short timeouts and few quick retries, so faults often exhaust them and
		// rounds fail midway; small batches and pages, so a round makes many
		// requests and stops at many points.
		dk.opts = lsync.Options{
			Client:    lsync.ClientOptions{Timeout: 250 * time.Millisecond, Retries: 1, RetryWait: time.Millisecond, RetryMaxWait: 5 * time.Millisecond},
			PushBatch: 1 + rng.IntN(6), PullPage: 1 + rng.IntN(8), Chunk: 8 << 10,
		}
		desks = append(desks, dk)
	}
	px.set(func(p *faultProxy) { p.rate, p.stall = 0.4, time.Second })

	failed := 0
	for step := 0; step < 70; step++ {
		d := desks[rng.IntN(len(desks))]
		switch x := rng.IntN(10); {
		case x < 3:
			randomReceipt(t, rng, d)
		case x < 6:
			randomAction(t, rng, d)
		default:
			_, err := lsync.Run(ctx, d.st, d.opts)
			var he *lsync.HubError
			switch {
			case err == nil:
			case lsync.Offline(err), errors.As(err, &he) && he.Temporary():
				failed++
			default:
				t.Fatalf("step %d, %s: sync failed other than by the network: %v", step, d.name, err)
			}
		}
	}
	px.set(func(p *faultProxy) { p.rate = 0 })
	for pass := 0; pass < 2; pass++ {
		for _, d := range desks {
			d.opts.Client = fastClient() // a slow CI machine must not look like a fault
			s := d.sync(t)
			// In the first pass a desk may wait for an attachment another desk
			// has not uploaded yet; in the second every one is on the hub.
			if len(s.Refused) > 0 || s.Mismatched > 0 || pass == 1 && s.FilesWaiting > 0 {
				t.Fatalf("%s after the faults: %+v", d.name, s)
			}
		}
	}
	checkConverged(t, h, desks...)

	// Nothing duplicated: the hub holds exactly the events the desks made.
	union := map[uuid.UUID]string{}
	for _, d := range desks {
		hs, err := d.st.EventHashes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for id, hh := range hs {
			union[id] = hh
		}
	}
	all, _ := h.st.EventHashes(ctx, "")
	if diff := diffHashes(union, all); diff != "" {
		t.Fatalf("hub vs all desks: %s", diff)
	}
	stats, _ := h.st.Stats(ctx)
	t.Logf("seed %d: %d events, %d reports, %d conflicts, %d attachments; %d rounds cut; faults: %s",
		seed, stats.Events, stats.Reports, stats.Conflicts, stats.Blobs, failed, px.summary())
}

var titles = []string{"Jalan berlubang di depan pasar", "Antrean puskesmas", "Air PDAM tidak mengalir", "Lampu jalan padam", "Sampah menumpuk"}

func randomReceipt(t *testing.T, rng *rand.Rand, d *desk) {
	ctx := context.Background()
	n := sample(titles[rng.IntN(len(titles))])
	if d.role == lapordesk.RoleCoordinator {
		n.Unit = []string{"DINKES", "PUPR", "DISKOMINFO"}[rng.IntN(3)]
	}
	if rng.IntN(4) == 0 {
		n.Confidentiality, n.Reporter = lapordesk.Anonim, lapordesk.Reporter{Name: secretName}
	}
	if rng.IntN(3) == 0 {
		size := 100 + rng.IntN(80_000)
		if *bigFiles {
			size = 100_000 + rng.IntN(8_000_000)
		}
		data := randomBytes(rng.Uint64(), size) // binary, as photos and scans are
		a, err := d.st.PutBlob(ctx, "lampiran.pdf", "application/pdf", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		n.Attachments = []lapordesk.Attachment{a}
	}
	d.receive(t, n)
}

// randomAction takes an allowed action on a report of the desk, sometimes on a
// version that is no longer current (the user had the report open a while).
func randomAction(t *testing.T, rng *rand.Rand, d *desk) {
	ctx := context.Background()
	ids := d.reportIDs(t)
	if len(ids) == 0 {
		return
	}
	r, err := d.st.Report(ctx, ids[rng.IntN(len(ids))])
	if err != nil {
		t.Fatal(err)
	}
	var acts []lapordesk.Action
	for _, a := range r.AllowedActions() {
		if a != lapordesk.ActResolve {
			acts = append(acts, a)
		}
	}
	if len(acts) == 0 {
		return
	}
	cmd := lapordesk.Command{Action: acts[rng.IntN(len(acts))], BaseVersion: max(1, r.Version-rng.IntN(2))}
	switch cmd.Action {
	case lapordesk.ActPostpone, lapordesk.ActReturn:
		cmd.Reason = "Data pelapor belum lengkap."
	case lapordesk.ActRespond, lapordesk.ActFollowUp, lapordesk.ActReply, lapordesk.ActNote:
		cmd.Text = fmt.Sprintf("Catatan %d dari %s.", rng.IntN(1000), d.name)
	case lapordesk.ActDispose:
		cmd.ToUnit = []string{"DINKES", "PUPR"}[rng.IntN(2)]
		cmd.Instructions = []string{"Proses lebih lanjut"}
	case lapordesk.ActEdit:
		cmd.Changes = []lapordesk.FieldChange{{Field: "title", Value: fmt.Sprintf("%s (%s %d)", r.Title[:min(len(r.Title), 40)], d.name, rng.IntN(100))}}
	}
	// A stale or now-illegal command is refused by the desk itself; that is the
	// user's normal experience, not a failure.
	if _, err := d.st.Act(ctx, r.ID, cmd); err != nil && !errors.Is(err, lapordesk.ErrConflict) && !errors.Is(err, lapordesk.ErrInvalid) {
		t.Fatalf("%s %s: %v", d.name, cmd.Action, err)
	}
}
