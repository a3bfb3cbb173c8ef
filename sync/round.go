// Package sync is the desktop side of LAPOR Desk sync with the regional hub: the
// protocol client (go-resty), one sync round (Run), enrolment (Enroll) and the
// Service that keeps a desk in sync in the background for the GUI. The hub side is
// in sync/hub, the protocol's documents in sync/wire; docs/sync-protocol.md
// describes it all.
//
// A round never loses anything: each step commits with the store's own
// transactions (acknowledgements with the events they cover, a page of hub events
// with the cursor that covers them), every request is idempotent, and a round cut
// at any point is completed by the next.
package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// Phase names the step a round is in.
type Phase string

const (
	PhaseConnect  Phase = "connect"
	PhaseRefData  Phase = "refdata"
	PhasePush     Phase = "push"
	PhaseUpload   Phase = "upload"
	PhasePull     Phase = "pull"
	PhaseDownload Phase = "download"
	PhaseDone     Phase = "done"
)

// Progress tells how far a round is: events sent of those waiting, events received
// of those the hub has for this desk (-1 until the hub has said), attachments moved.
type Progress struct {
	Phase     Phase `json:"phase"`
	Sent      int   `json:"sent"`
	ToSend    int   `json:"to_send"`
	Received  int   `json:"received"`
	ToReceive int   `json:"to_receive"`
	Files     int   `json:"files"`
	// Bytes are the bytes of events received so far this round (unpacked), and
	// Left the time the rest of the pull should take at the rate so far (0: not
	// known yet): a first sync over a slow line says how long it has to go.
	Bytes int64         `json:"bytes"`
	Left  time.Duration `json:"left"`
}

// Fraction is the share of the round's events done, from 0 to 1, for a progress bar.
func (p Progress) Fraction() float64 {
	total := p.ToSend + max(p.ToReceive, 0)
	if p.Phase == PhaseDone {
		return 1
	}
	if total == 0 {
		return 0
	}
	return math.Min(1, float64(p.Sent+p.Received)/float64(total))
}

// Refusal is an outbox event the hub refused. It stays in the outbox (nothing is
// dropped) and is offered again at each sync.
type Refusal struct {
	EventID uuid.UUID `json:"event_id"`
	Code    int       `json:"code"`
	Reason  string    `json:"reason"`
}

// Summary tells what a round did.
type Summary struct {
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Sent     int           `json:"sent"`     // events the hub now holds (new, or already had)
	Received int           `json:"received"` // new events from the hub
	// Flagged counts this desk's events that the hub kept as conflicts in this round.
	Flagged int `json:"flagged"`
	// Conflicts counts the reports on this desk with a conflict to resolve.
	Conflicts int       `json:"conflicts"`
	Refused   []Refusal `json:"refused,omitempty"`
	// SetAside are events from the hub that break the domain's rules (an older hub,
	// a hostile desk): not stored, named here, and the pull goes on past them.
	SetAside []Refusal `json:"set_aside,omitempty"`
	// Mismatched counts hub events whose ID is here with other content: refused,
	// never merged.
	Mismatched   int `json:"mismatched,omitempty"`
	Pending      int `json:"pending"` // events still in the outbox (the refused ones)
	Uploaded     int `json:"uploaded"`
	Downloaded   int `json:"downloaded"`
	FilesWaiting int `json:"files_waiting"` // attachments named here whose content the hub does not have yet
	// FilesFailed are the attachments whose upload or download failed this round,
	// with why; the rest of the round went on, and they are tried again next round.
	FilesFailed []FileFailure `json:"files_failed,omitempty"`
	RefData     bool          `json:"refdata"` // reference data was updated
	// HubRestored: the hub's epoch changed (its file was restored from an older
	// copy); this desk offered its events again and read its feed from the start.
	HubRestored bool `json:"hub_restored,omitempty"`
	// RefDataRefused says why the hub's reference data was not taken, if it was not.
	RefDataRefused string `json:"refdata_refused,omitempty"`
}

// FileFailure is an attachment that did not travel this round.
type FileFailure struct {
	SHA256 string `json:"sha256"`
	Upload bool   `json:"upload"` // else a download
	Error  string `json:"error"`
}

// fileFailed notes a file that did not travel, unless the round itself is over
// (cancelled): that ends the round as any step's error does.
func (r *round) fileFailed(ctx context.Context, sha string, upload bool, err error) error {
	if ctx.Err() != nil {
		return err
	}
	r.sum.FilesFailed = append(r.sum.FilesFailed, FileFailure{SHA256: sha, Upload: upload, Error: err.Error()})
	return nil
}

// Options tunes a round.
type Options struct {
	Client    ClientOptions
	PushBatch int // events per push (default and maximum wire.MaxPushEvents)
	PullPage  int // events per pull page (default 1000)
	Chunk     int // attachment upload chunk in bytes (default 1 MiB)
	// Progress is called as the round advances (from the round's goroutine).
	Progress func(Progress)
}

// pushBytes keeps a push well under the hub's body limit.
const pushBytes = 4 << 20

// round is the state of one Run.
type round struct {
	st  *storage.Store
	c   *Client
	cfg Config
	o   Options
	p   Progress
	sum Summary
}

// Run makes one sync round with the hub the store is enrolled with: reference
// data, push of the outbox, upload of attachments, pull of the desk's feed, download
// of attachments. Only one round runs per store at a time (ErrBusy otherwise), even
// across processes. The summary is also kept in the store for `lapordesk status`.
func Run(ctx context.Context, st *storage.Store, o Options) (Summary, error) {
	lock, err := lockFile(st.Path() + ".sync-lock")
	if err != nil {
		return Summary{}, err
	}
	defer lock.unlock()
	if o.PushBatch <= 0 || o.PushBatch > wire.MaxPushEvents {
		o.PushBatch = wire.MaxPushEvents
	}
	if o.PullPage <= 0 || o.PullPage > wire.MaxPullEvents {
		o.PullPage = 1000
	}
	r := &round{st: st, o: o, p: Progress{Phase: PhaseConnect, ToReceive: -1}, sum: Summary{Started: time.Now()}}
	err = r.run(ctx)
	r.sum.Duration = time.Since(r.sum.Started)
	// Bookkeeping only (what the round committed is already safe), in one
	// transaction: a sync with nothing new costs one disk flush.
	bg := context.WithoutCancel(ctx)
	started := r.sum.Started.UTC().Format(time.RFC3339)
	if err != nil {
		_ = st.SetSyncValues(bg, map[string]string{KeyLastAttempt: started, KeyLastError: err.Error()})
		return r.sum, err
	}
	r.p.Phase = PhaseDone
	r.progress()
	sum, _ := json.Marshal(r.sum)
	ended := r.sum.Started.Add(r.sum.Duration).UTC().Format(time.RFC3339Nano)
	_ = st.SetSyncValues(bg, map[string]string{KeyLastAttempt: started, KeyLastSync: ended, KeyLastSummary: string(sum), KeyLastError: ""})
	return r.sum, nil
}

func (r *round) run(ctx context.Context) error {
	var err error
	if r.cfg, err = LoadConfig(ctx, r.st); err != nil {
		return err
	}
	if r.c, err = NewClient(r.cfg.HubURL, r.cfg.Token, r.cfg.client(r.o.Client)); err != nil {
		return err
	}
	steps := []struct {
		phase Phase
		fn    func(context.Context) error
	}{
		{PhaseRefData, r.refData},
		{PhaseRefData, r.epoch},
		{PhasePush, r.push},
		{PhaseUpload, r.upload},
		{PhasePull, r.pull},
		{PhaseDownload, r.download},
	}
	for _, s := range steps {
		r.p.Phase = s.phase
		r.progress()
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("sync (%s): %w", s.phase, err)
		}
	}
	if r.sum.Pending, err = r.st.Pending(ctx); err != nil {
		return err
	}
	r.sum.Conflicts, err = r.st.ConflictCount(ctx)
	return err
}

func (r *round) progress() {
	if r.o.Progress != nil {
		r.o.Progress(r.p)
	}
}

func (r *round) checkHub(id string) error {
	if r.cfg.HubID != "" && id != r.cfg.HubID {
		return ErrOtherHub
	}
	return nil
}

// epoch notices a hub restored from an older copy (its epoch changed since the last
// round) before anything is pushed: the desk forgets the hub's numbers, offers all
// its own events again (the hub acknowledges those it has and takes those it lost,
// attachments too) and reads its feed from the start. Never a wedge on numbers the
// old hub gave, never a silent skip past a feed that shrank.
func (r *round) epoch(ctx context.Context) error {
	now := r.c.Epoch()
	if now == "" {
		return nil // an older hub names none
	}
	was, _, err := r.st.SyncValue(ctx, KeyHubEpoch)
	if err != nil {
		return err
	}
	switch was {
	case now:
		return nil
	case "":
		return r.st.SetSyncValue(ctx, KeyHubEpoch, now)
	}
	r.sum.HubRestored = true
	return r.st.ForgetHubNumbering(ctx, map[string]string{KeyHubEpoch: now, KeyUploadMark: "0", KeyScanMark: "0"})
}

// refData brings the hub's reference data when its version changed.
func (r *round) refData(ctx context.Context) error {
	etag, _, err := r.st.SyncValue(ctx, KeyRefETag)
	if err != nil {
		return err
	}
	rd, newTag, changed, err := r.c.RefData(ctx, etag)
	if err != nil || !changed {
		return err
	}
	// One transaction: the hub's reference data whole, or none of it (the version
	// is saved after, so a cut round applies it again).
	hrd := storage.HubRefData{Units: rd.Units, Categories: rd.Categories, Holidays: rd.Holidays, Weekend: rd.Weekend}
	if hrd.Holidays == nil {
		hrd.Holidays = []lapordesk.Holiday{} // the hub's calendar has none
	}
	if !reflect.DeepEqual(rd.Policy, lapordesk.Policy{}) {
		hrd.Policy = &rd.Policy
	}
	r.sum.RefData, err = r.st.ApplyHubRefData(ctx, hrd)
	if errors.Is(err, lapordesk.ErrInvalid) || errors.Is(err, lapordesk.ErrConflict) {
		// Reference data this desk cannot take is reported, kept out, and asked
		// for again next round; it never stops the rest of the round.
		r.sum.RefDataRefused = err.Error()
		return nil
	}
	if err != nil {
		return err
	}
	return r.st.SetSyncValue(ctx, KeyRefETag, newTag)
}

// push sends the outbox in batches, oldest first. Each batch's acknowledgements
// are committed before the next is sent; an event the hub refuses stays in the
// outbox and is skipped for the rest of the round.
func (r *round) push(ctx context.Context) error {
	pending, err := r.st.Pending(ctx)
	if err != nil {
		return err
	}
	r.p.ToSend = pending
	skip := map[uuid.UUID]bool{}
	for {
		evs, err := r.st.Outbox(ctx, r.o.PushBatch+len(skip))
		if err != nil {
			return err
		}
		var batch []storage.OutboxEvent
		size := 0
		for _, ev := range evs {
			if skip[ev.Event.ID] {
				continue
			}
			if len(batch) > 0 && (len(batch) >= r.o.PushBatch || size+len(ev.Body) > pushBytes) {
				break
			}
			batch = append(batch, ev)
			size += len(ev.Body)
		}
		if len(batch) == 0 {
			return nil
		}
		pes := make([]wire.PushEvent, len(batch))
		for i, ev := range batch {
			pes[i] = wire.PushEvent{Body: ev.Body, Hash: ev.Hash}
		}
		resp, err := r.c.Push(ctx, pes)
		if err != nil {
			return err
		}
		if err := r.checkHub(resp.Hub); err != nil {
			return err
		}
		var acks []storage.Ack
		for i, res := range resp.Results {
			if res.ID != batch[i].Event.ID {
				return &ProtocolError{Msg: fmt.Sprintf("result %d is for event %s, not %s", i, res.ID, batch[i].Event.ID)}
			}
			switch res.Status {
			case wire.Accepted, wire.Duplicate, wire.Conflict:
				if res.Seq <= 0 {
					return &ProtocolError{Msg: fmt.Sprintf("event %s acknowledged without a sequence number", res.ID)}
				}
				acks = append(acks, storage.Ack{EventID: res.ID, HubSeq: res.Seq})
				if res.Status == wire.Conflict {
					r.sum.Flagged++
				}
			case wire.Refused:
				skip[res.ID] = true
				r.sum.Refused = append(r.sum.Refused, Refusal{EventID: res.ID, Code: res.Code, Reason: res.Reason})
			default:
				return &ProtocolError{Msg: fmt.Sprintf("event %s: status %q", res.ID, res.Status)}
			}
		}
		if err := r.st.Acknowledge(ctx, acks); err != nil {
			return err
		}
		r.sum.Sent += len(acks)
		r.p.Sent += len(batch)
		r.progress()
	}
}

// pull applies the desk's feed page by page; each page and the cursor after it
// commit together.
func (r *round) pull(ctx context.Context) error {
	cursor, err := r.st.Cursor(ctx)
	if err != nil {
		return err
	}
	first, restarted, bodies := true, false, false
	start := time.Now()
	for {
		page, err := r.c.Pull(ctx, cursor, r.o.PullPage, first, !bodies)
		var he *HubError
		if errors.As(err, &he) && he.Code == wire.CodeCursorAhead && !restarted {
			// The hub was restored from an older copy: read the feed again from
			// the start (events already here count as duplicates).
			if _, err := r.st.ApplyRemote(ctx, nil, 0); err != nil {
				return err
			}
			cursor, restarted = 0, true
			continue
		}
		if err != nil {
			return err
		}
		if err := r.checkHub(page.Hub); err != nil {
			return err
		}
		if first {
			r.p.ToReceive, first = int(page.Remaining), false
		}
		if page.Next < cursor || len(page.Events) == 0 && page.More {
			return &ProtocolError{Msg: fmt.Sprintf("page after %d ends at %d", cursor, page.Next)}
		}
		remote := make([]storage.RemoteEvent, 0, len(page.Events))
		for _, pe := range page.Events {
			if pe.Quarantined != "" {
				id, _ := uuid.Parse(pe.ID)
				r.sum.SetAside = append(r.sum.SetAside, Refusal{EventID: id, Code: http.StatusGone, Reason: "quarantined on the hub: " + pe.Quarantined})
				continue
			}
			if len(pe.Body) == 0 {
				id, err := uuid.Parse(pe.ID)
				if err != nil || pe.Hash == "" {
					return &ProtocolError{Msg: fmt.Sprintf("event at %d has neither a body nor an ID and hash", pe.Pos)}
				}
				remote = append(remote, storage.RemoteEvent{HubSeq: pe.Seq, Own: &storage.OwnEvent{ID: id, Hash: pe.Hash}})
				continue
			}
			// An event from outside passes the same rules as this desk's own; one
			// that does not is set aside and named, never stored, and the desk goes
			// on: one bad event never wedges a feed.
			var e lapordesk.Event
			var bad error
			if err := json.Unmarshal(pe.Body, &e); err != nil {
				bad = fmt.Errorf("not an event: %v: %w", err, lapordesk.ErrInvalid)
			} else if canon, err := e.Canonical(); err != nil || !bytes.Equal(canon, pe.Body) {
				bad = fmt.Errorf("not in canonical form: %w", lapordesk.ErrInvalid)
			} else if err := e.Validate(); err != nil {
				bad = err
			}
			if bad != nil {
				r.sum.SetAside = append(r.sum.SetAside, Refusal{EventID: e.ID, Code: http.StatusUnprocessableEntity, Reason: fmt.Sprintf("hub event %d: %v", pe.Seq, bad)})
				continue
			}
			remote = append(remote, storage.RemoteEvent{HubSeq: pe.Seq, Event: e})
		}
		res, err := r.st.ApplyRemote(ctx, remote, page.Next)
		if errors.Is(err, storage.ErrNeedBodies) && !bodies {
			// This file lacks some of its own events (restored from an older
			// backup): the same page again, whole.
			bodies = true
			continue
		}
		if err != nil {
			return err
		}
		bodies = false
		r.sum.Received += res.Applied
		r.sum.Mismatched += len(res.Mismatched)
		r.p.Received += len(page.Events)
		for _, pe := range page.Events {
			r.p.Bytes += int64(len(pe.Body) + len(pe.ID) + len(pe.Hash))
		}
		if left := r.p.ToReceive - r.p.Received; left > 0 && r.p.Received > 0 {
			r.p.Left = time.Duration(float64(time.Since(start)) * float64(left) / float64(r.p.Received))
		} else {
			r.p.Left = 0
		}
		r.progress()
		cursor = page.Next
		if !page.More {
			return nil
		}
	}
}

// upload sends the contents of this desk's own attachments that the hub lacks,
// once the events naming them are on the hub. The upload mark moves past an
// event only when all its attachments are there.
func (r *round) upload(ctx context.Context) error {
	mark, err := syncInt(ctx, r.st, KeyUploadMark)
	if err != nil {
		return err
	}
	acked, _, err := r.st.EventMarks(ctx)
	if err != nil || acked <= mark {
		return err
	}
	refs, err := r.st.EventAttachments(ctx, mark, acked, true)
	if err != nil {
		return err
	}
	firstSeq := map[string]int64{}
	mimes := map[string]string{}
	var hashes []string
	for _, ref := range refs {
		if _, ok := firstSeq[ref.SHA256]; !ok {
			firstSeq[ref.SHA256], mimes[ref.SHA256] = ref.Seq, ref.MIME
			hashes = append(hashes, ref.SHA256)
		}
	}
	have, err := r.st.HaveBlobs(ctx, hashes)
	if err != nil {
		return err
	}
	stuck := int64(math.MaxInt64)
	for start := 0; start < len(hashes); start += wire.MaxStatusHashes {
		part := hashes[start:min(start+wire.MaxStatusHashes, len(hashes))]
		status, err := r.c.BlobStatus(ctx, part)
		if err != nil {
			return err
		}
		for _, sha := range status.Missing {
			if !have[sha] {
				continue // not on this desk either (imported metadata): nothing to send
			}
			data, err := r.st.Blob(ctx, sha)
			if err != nil {
				return err
			}
			err = r.c.Upload(ctx, sha, mimes[sha], data, status.Partial[sha], r.o.Chunk)
			var he *HubError
			if errors.As(err, &he) && !he.Temporary() {
				// Refused (e.g. its event was refused): try again next round.
				stuck = min(stuck, firstSeq[sha])
				continue
			}
			if err != nil {
				// One file that does not go never stops the round: the pull
				// above all goes on, and the file is tried again next round.
				stuck = min(stuck, firstSeq[sha])
				if err := r.fileFailed(ctx, sha, true, err); err != nil {
					return err
				}
				continue
			}
			r.sum.Uploaded++
			r.p.Files++
			r.progress()
		}
	}
	next := acked
	if stuck != math.MaxInt64 {
		next = stuck - 1
	}
	if next > mark {
		return r.st.SetSyncValue(ctx, KeyUploadMark, fmt.Sprint(next))
	}
	return nil
}

// download fetches the contents of attachments named here that the hub has. New
// events are scanned once (a watermark); attachments not yet on the hub wait in a
// list and are asked for again at each round.
func (r *round) download(ctx context.Context) error {
	var waiting []string
	if err := syncJSON(ctx, r.st, KeyWaiting, &waiting); err != nil {
		return err
	}
	scan, err := syncInt(ctx, r.st, KeyScanMark)
	if err != nil {
		return err
	}
	_, last, err := r.st.EventMarks(ctx)
	if err != nil {
		return err
	}
	if last > scan {
		refs, err := r.st.EventAttachments(ctx, scan, last, false)
		if err != nil {
			return err
		}
		known := map[string]bool{}
		for _, h := range waiting {
			known[h] = true
		}
		for _, ref := range refs {
			if !known[ref.SHA256] {
				known[ref.SHA256] = true
				waiting = append(waiting, ref.SHA256)
			}
		}
	}
	before := len(waiting)
	if len(waiting) > 0 {
		have, err := r.st.HaveBlobs(ctx, waiting)
		if err != nil {
			return err
		}
		waiting = slices.DeleteFunc(waiting, func(h string) bool { return have[h] })
	}
	if last > scan || len(waiting) != before {
		b, _ := json.Marshal(waiting)
		if err := r.st.SetSyncValues(ctx, map[string]string{KeyWaiting: string(b), KeyScanMark: fmt.Sprint(last)}); err != nil {
			return err
		}
	}
	if len(waiting) == 0 {
		return nil
	}
	dir := r.st.Path() + ".parts"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("attachment downloads: %w", err)
	}
	asked := map[string]bool{}
	for _, h := range waiting {
		asked[h] = true
	}
	done := map[string]bool{}
	r.sum.FilesWaiting = len(waiting)
	for start := 0; start < len(waiting); start += wire.MaxStatusHashes {
		status, err := r.c.BlobStatus(ctx, waiting[start:min(start+wire.MaxStatusHashes, len(waiting))])
		if err != nil {
			return err
		}
		for _, sha := range status.Have {
			if !asked[sha] {
				return &ProtocolError{Msg: "blob status names " + sha}
			}
			part := filepath.Join(dir, sha)
			data, mime, err := r.c.Download(ctx, sha, part)
			var he *HubError
			if errors.As(err, &he) && he.Status == http.StatusNotFound {
				continue
			}
			if err != nil {
				if err := r.fileFailed(ctx, sha, false, err); err != nil {
					return err
				}
				continue // still waiting: asked for again next round
			}
			if err := r.st.PutBlobChecked(ctx, sha, mime, data); err != nil {
				_ = os.Remove(part) // damaged: fetch it whole next time
				if err := r.fileFailed(ctx, sha, false, err); err != nil {
					return err
				}
				continue
			}
			_ = os.Remove(part)
			done[sha] = true
			r.sum.Downloaded++
			r.sum.FilesWaiting--
			r.p.Files++
			r.progress()
		}
	}
	waiting = slices.DeleteFunc(waiting, func(h string) bool { return done[h] })
	return setSyncJSON(ctx, r.st, KeyWaiting, waiting)
}
