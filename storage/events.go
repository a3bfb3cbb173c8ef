package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

type writeOpts struct {
	// local: written on this desk: checked (no conflicts), queued for the hub.
	local bool
	// decided: decided on this desk now, so its events carry the desk's origin and
	// what it had seen (not events decided elsewhere: demo data, imports).
	decided bool
}

// appendEvents writes events and the projections of their reports. Local events must
// apply cleanly to the current state; events from the hub are written whatever they
// do, their conflicts recorded by the replay.
func (s *Store) appendEvents(t *wtx, ref *refData, events []lapordesk.Event, o writeOpts) ([]*lapordesk.Report, error) {
	var order []uuid.UUID
	groups := map[uuid.UUID][]lapordesk.Event{}
	for _, e := range events {
		if _, ok := groups[e.ReportID]; !ok {
			order = append(order, e.ReportID)
		}
		groups[e.ReportID] = append(groups[e.ReportID], e)
	}
	out := make([]*lapordesk.Report, 0, len(order))
	var origin string // read once per call, when first needed
	for _, rid := range order {
		evs := groups[rid]
		var r *lapordesk.Report
		if evs[0].Kind == lapordesk.EvReceived {
			// A new report: its ID must be new too (the unique index checks).
			r = &lapordesk.Report{}
		} else {
			var err error
			if r, err = replayTx(t, rid); err != nil {
				return nil, err
			}
		}
		for _, e := range evs {
			e.At = lapordesk.NormalizeTime(e.At)
			if o.local {
				var err error
				e = withhold(e)
				allocated := false
				if e.Kind == lapordesk.EvReceived && e.Payload.Report != nil && e.Payload.Report.AgendaNo == "" {
					n := *e.Payload.Report
					if n.AgendaNo, err = nextAgenda(t, ref, n.Unit, e.At); err != nil {
						return nil, err
					}
					e.Payload.Report = &n
					allocated = true
				} else if e.Kind == lapordesk.EvReceived && e.Payload.Report != nil {
					if err := claimAgenda(t, e.Payload.Report.AgendaNo); err != nil {
						return nil, err
					}
				}
				if err := s.checkRef(t, ref, e, !allocated); err != nil {
					return nil, err
				}
				if o.decided {
					if origin == "" {
						if origin, err = originOf(t); err != nil {
							return nil, err
						}
					}
					// What this desk saw of the others when it decided (see Event.Origin).
					e.Origin, e.Seen = origin, r.SeenBy(origin, e.BaseVersion)
				}
				if c := r.Apply(e); c != nil {
					return nil, fmt.Errorf("event %s (%s) on report %s: %s: %w", e.ID, e.Kind, rid, c.Reason, lapordesk.ErrInvalid)
				}
			}
			seq, err := insertEvent(t, e, "local")
			if err != nil {
				return nil, err
			}
			if o.local {
				if _, err := t.Exec("INSERT INTO outbox (seq) VALUES (?)", seq); err != nil {
					return nil, fmt.Errorf("queue event for sync: %w", err)
				}
			}
		}
		if !o.local {
			var err error
			if r, err = replayTx(t, rid); err != nil {
				return nil, err
			}
		}
		if err := project(t, ref, r, evs[0].Kind == lapordesk.EvReceived); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// SyncKeyOrigin holds this data file's origin before it has a device ID.
const SyncKeyOrigin = "origin"

// originOf is the Origin of the events this desk writes: its device ID once
// enrolled (a restored copy on another PC enrols anew, so two live desks never
// share one), before that an ID of the file's own.
func originOf(t *wtx) (string, error) {
	var origin string
	err := t.QueryRow("SELECT COALESCE((SELECT NULLIF(value, '') FROM sync_state WHERE key = ?), (SELECT NULLIF(value, '') FROM sync_state WHERE key = ?), '')",
		SyncKeyDeviceID, SyncKeyOrigin).Scan(&origin)
	if err != nil {
		return "", fmt.Errorf("read this desk's origin: %w", err)
	}
	if origin != "" {
		return origin, nil
	}
	origin = uuid.NewString()
	if _, err := t.Exec("INSERT INTO sync_state (key, value) VALUES (?, ?)", SyncKeyOrigin, origin); err != nil {
		return "", fmt.Errorf("keep this desk's origin: %w", err)
	}
	return origin, nil
}

// withhold keeps an Anonim reporter's identity out of the data file: the receipt
// is written with the identity masked, and the identity as received is kept
// nowhere, since nothing would ever read it back (no screen, export, letter or
// sync may show it), and what is not kept cannot leak from a lost PC or backup.
func withhold(e lapordesk.Event) lapordesk.Event {
	if e.Kind != lapordesk.EvReceived || e.Payload.Report == nil || e.Payload.Report.Confidentiality != lapordesk.Anonim {
		return e
	}
	n := *e.Payload.Report
	n.Reporter = n.Reporter.Masked(lapordesk.Anonim)
	e.Payload.Report = &n
	return e
}

// checkRef checks an event against the store's reference data and unique values,
// which the domain cannot see: known category and units, unique tracking ID and
// agenda number.
func (s *Store) checkRef(t *wtx, ref *refData, e lapordesk.Event, checkAgenda bool) error {
	p := e.Payload
	var tracking, category string
	switch e.Kind {
	case lapordesk.EvReceived:
		if p.Report == nil {
			return fmt.Errorf("receipt without a report: %w", lapordesk.ErrInvalid)
		}
		if err := p.Report.Validate(e.At); err != nil {
			return err
		}
		if _, ok := ref.units[p.Report.Unit]; !ok {
			return &lapordesk.FieldError{Field: "unit", Problem: lapordesk.ProblemUnknown, Value: p.Report.Unit}
		}
		tracking, category = p.Report.TrackingID, p.Report.CategoryID
		if checkAgenda {
			// A number from our own counter is new by construction; one given
			// from outside (an import) may clash.
			var n int
			if err := t.QueryRow("SELECT count(*) FROM reports WHERE agenda_no = ?", p.Report.AgendaNo).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return &lapordesk.FieldError{Field: "agenda_no", Problem: lapordesk.ProblemDuplicate, Value: p.Report.AgendaNo}
			}
		}
	case lapordesk.EvVerified, lapordesk.EvEdited:
		for _, c := range p.Changes {
			switch c.Field {
			case "tracking_id":
				tracking = c.Value
			case "category_id":
				category = c.Value
			}
		}
	case lapordesk.EvDisposed:
		if _, ok := ref.units[p.ToUnit]; !ok {
			return &lapordesk.FieldError{Field: "to_unit", Problem: lapordesk.ProblemUnknown, Value: p.ToUnit}
		}
	}
	if category != "" {
		if _, ok := ref.cats.Get(category); !ok {
			return &lapordesk.FieldError{Field: "category_id", Problem: lapordesk.ProblemUnknown, Value: category}
		}
	}
	if tracking != "" {
		var other string
		err := t.QueryRow("SELECT id FROM reports WHERE tracking_id = ? AND id != ? LIMIT 1", tracking, e.ReportID.String()).Scan(&other)
		if err == nil {
			return &lapordesk.FieldError{Field: "tracking_id", Problem: lapordesk.ProblemDuplicate, Value: tracking}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// insertEvent appends one event to the log and returns its local sequence number.
func insertEvent(t *wtx, e lapordesk.Event, origin string) (int64, error) {
	body, err := e.Canonical()
	if err != nil {
		return 0, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	return insertEventAt(t, e, body, origin, 0)
}

// insertEventAt appends an event with its canonical body and, for hub events, the
// hub's sequence number.
func insertEventAt(t *wtx, e lapordesk.Event, body []byte, origin string, hubSeq int64) (int64, error) {
	var hub any
	if hubSeq > 0 {
		hub = hubSeq
	}
	res, err := t.Exec(`INSERT INTO events (id, report_id, kind, at, unit, body, hash, origin, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID.String(), e.ReportID.String(), string(e.Kind), e.At.UTC().Format(time.RFC3339Nano), e.Unit, body, hashOf(body), origin, hub)
	if err != nil {
		if isUnique(err) {
			return 0, fmt.Errorf("event %s (or hub sequence %d) already recorded: %w", e.ID, hubSeq, lapordesk.ErrConflict)
		}
		return 0, fmt.Errorf("write event %s: %w", e.ID, err)
	}
	return res.LastInsertId()
}

func hashOf(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// eventOrder is the canonical order of a report's events: those the hub has ordered,
// in its order, then this desk's not yet acknowledged ones in the order written. Once
// synced, every desk replays the same order and derives the same state.
const eventOrder = "ORDER BY hub_seq IS NULL, hub_seq, seq"

// loadEvents returns a report's events in canonical order.
func loadEvents(ctx context.Context, q sqlitedb.Querier, id uuid.UUID) ([]lapordesk.Event, error) {
	return sqlitedb.LoadEvents(ctx, q, id, eventOrder)
}

// replayTx derives a report's current state inside a write transaction.
func replayTx(t *wtx, id uuid.UUID) (*lapordesk.Report, error) {
	evs, err := loadEvents(t.Context(), t, id)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
	}
	return lapordesk.Replay(evs)
}
