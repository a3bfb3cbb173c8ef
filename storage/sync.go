package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// OutboxEvent is a local event not yet acknowledged by the hub.
type OutboxEvent struct {
	Seq   int64           // local sequence number
	Event lapordesk.Event // decoded
	Body  []byte          // canonical JSON, exactly as hashed
	Hash  string          // hex SHA-256 of Body
}

// Outbox returns up to limit events waiting for the hub, oldest first.
func (s *Store) Outbox(ctx context.Context, limit int) ([]OutboxEvent, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.r.QueryContext(ctx, "SELECT e.seq, e.body, e.hash FROM outbox o JOIN events e ON e.seq = o.seq ORDER BY o.seq LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var out []OutboxEvent
	for rows.Next() {
		var o OutboxEvent
		if err := rows.Scan(&o.Seq, &o.Body, &o.Hash); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if err := json.Unmarshal(o.Body, &o.Event); err != nil {
			return nil, fmt.Errorf("outbox event %d is damaged: %v: %w", o.Seq, err, lapordesk.ErrInvalid)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Pending returns the number of events waiting for the hub.
func (s *Store) Pending(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM outbox").Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", sqlitedb.Classify(err))
	}
	return n, nil
}

// Ack is the hub's acceptance of one event.
type Ack struct {
	EventID uuid.UUID
	HubSeq  int64
}

// Acknowledge records the hub's sequence numbers for accepted events and takes them
// out of the outbox, in one transaction. The reports concerned are derived again, as
// their events now take the hub's order.
func (s *Store) Acknowledge(ctx context.Context, acks []Ack) error {
	if len(acks) == 0 {
		return nil
	}
	err := s.write(ctx, func(t *wtx) error {
		touched := map[uuid.UUID]bool{}
		var order []uuid.UUID
		for _, a := range acks {
			if a.HubSeq <= 0 {
				return fmt.Errorf("ack of %s: hub sequence %d: %w", a.EventID, a.HubSeq, lapordesk.ErrInvalid)
			}
			var seq int64
			var rid string
			var hub sql.NullInt64
			err := t.QueryRow("SELECT seq, report_id, hub_seq FROM events WHERE id = ?", a.EventID.String()).Scan(&seq, &rid, &hub)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("ack of unknown event %s: %w", a.EventID, lapordesk.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if hub.Valid && hub.Int64 != a.HubSeq {
				return fmt.Errorf("event %s already has hub sequence %d, not %d: %w", a.EventID, hub.Int64, a.HubSeq, lapordesk.ErrConflict)
			}
			if !hub.Valid {
				if _, err := t.Exec("UPDATE events SET hub_seq = ? WHERE seq = ?", a.HubSeq, seq); err != nil {
					if isUnique(err) {
						return fmt.Errorf("hub sequence %d is already used by another event: %w", a.HubSeq, lapordesk.ErrConflict)
					}
					return err
				}
			}
			if _, err := t.Exec("DELETE FROM outbox WHERE seq = ?", seq); err != nil {
				return err
			}
			id, _ := uuid.Parse(rid)
			if !touched[id] {
				touched[id] = true
				order = append(order, id)
			}
		}
		return s.reproject(t, s.refs(), order)
	})
	if err != nil {
		return fmt.Errorf("acknowledge events: %w", err)
	}
	return nil
}

// RemoteEvent is an event from the hub with its sequence number there.
type RemoteEvent struct {
	HubSeq int64
	Event  lapordesk.Event
	// Own stands for an event this desk pushed, sent back as its ID and hash only:
	// Event is then empty.
	Own *OwnEvent
}

// OwnEvent names an event of this desk's that the hub numbered.
type OwnEvent struct {
	ID   uuid.UUID
	Hash string
}

// ErrNeedBodies: a page named as this desk's own an event that is not here (the
// file was restored from an older backup): nothing of the page was written, and it
// must be fetched again with every body.
var ErrNeedBodies = errors.New("the hub named events of this desk that it does not hold")

// ApplyResult tells what a page of hub events did.
type ApplyResult struct {
	Applied    int         // new events written
	Duplicates int         // events already here (e.g. our own, or a page delivered twice)
	Mismatched []uuid.UUID // events whose ID is here with other content: refused, never merged
	Reports    []uuid.UUID // reports changed
	Conflicts  int         // conflicts now recorded on those reports
}

// ackOwn records the hub's number of an event this desk pushed, named by the hub
// without its body.
func ackOwn(t *wtx, re RemoteEvent, res *ApplyResult, touched map[uuid.UUID]bool) error {
	id := re.Own.ID
	if re.HubSeq <= 0 || id == uuid.Nil || !reSHA.MatchString(re.Own.Hash) {
		return fmt.Errorf("hub event %s: malformed (seq %d): %w", id, re.HubSeq, lapordesk.ErrInvalid)
	}
	var seq int64
	var hash, report string
	var hub sql.NullInt64
	err := t.QueryRow("SELECT seq, hash, hub_seq, report_id FROM events WHERE id = ?", id.String()).Scan(&seq, &hash, &hub, &report)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("hub event %s: %w", id, ErrNeedBodies)
	case err != nil:
		return err
	case hash != re.Own.Hash:
		res.Mismatched = append(res.Mismatched, id)
		return nil
	}
	res.Duplicates++
	if hub.Valid {
		return nil
	}
	if _, err := t.Exec("UPDATE events SET hub_seq = ? WHERE seq = ?", re.HubSeq, seq); err != nil {
		return fmt.Errorf("hub event %s: %w", id, err)
	}
	if _, err := t.Exec("DELETE FROM outbox WHERE seq = ?", seq); err != nil {
		return err
	}
	rid, err := uuid.Parse(report)
	if err != nil {
		return fmt.Errorf("event %s: report %q: %w", id, report, lapordesk.ErrInvalid)
	}
	touched[rid] = true
	return nil
}

// CursorKey is the sync_state key of the pull cursor.
const CursorKey = "cursor"

// ApplyRemote writes a page of events from the hub and advances the pull cursor to
// cursor, in one transaction: the cursor is never saved without the events it
// covers. Events apply whatever they do; illegal or stale ones become conflicts on
// their report, kept for a person to resolve.
func (s *Store) ApplyRemote(ctx context.Context, events []RemoteEvent, cursor int64) (ApplyResult, error) {
	var res ApplyResult
	err := s.write(ctx, func(t *wtx) error {
		res = ApplyResult{}
		touched := map[uuid.UUID]bool{}
		for _, re := range events {
			if re.Own != nil {
				if err := ackOwn(t, re, &res, touched); err != nil {
					return err
				}
				continue
			}
			e := re.Event
			if re.HubSeq <= 0 || e.ID == uuid.Nil || e.ReportID == uuid.Nil || !e.Kind.Valid() {
				return fmt.Errorf("hub event %s: malformed (seq %d, kind %q): %w", e.ID, re.HubSeq, e.Kind, lapordesk.ErrInvalid)
			}
			e.At = lapordesk.NormalizeTime(e.At)
			body, err := e.Canonical()
			if err != nil {
				return fmt.Errorf("hub event %s: %w", e.ID, err)
			}
			var seq int64
			var hash string
			var hub sql.NullInt64
			err = t.QueryRow("SELECT seq, hash, hub_seq FROM events WHERE id = ?", e.ID.String()).Scan(&seq, &hash, &hub)
			switch {
			case err == nil:
				if hash != hashOf(body) {
					res.Mismatched = append(res.Mismatched, e.ID)
					continue
				}
				res.Duplicates++
				if !hub.Valid {
					// Our own event, whose acknowledgement was lost on the way.
					if _, err := t.Exec("UPDATE events SET hub_seq = ? WHERE seq = ?", re.HubSeq, seq); err != nil {
						return fmt.Errorf("hub event %s: %w", e.ID, err)
					}
					if _, err := t.Exec("DELETE FROM outbox WHERE seq = ?", seq); err != nil {
						return err
					}
					touched[e.ReportID] = true
				}
				continue
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := insertEventAt(t, e, body, "hub", re.HubSeq); err != nil {
				return err
			}
			res.Applied++
			touched[e.ReportID] = true
		}
		ref := s.refs()
		for id := range touched {
			r, err := replayTx(t, id)
			if errors.Is(err, lapordesk.ErrNotFound) || errors.Is(err, lapordesk.ErrInvalid) {
				// Events of a report whose receipt has not arrived (or cannot be
				// read) wait in the log; the report appears when it can.
				continue
			}
			if err != nil {
				return err
			}
			if err := project(t, ref, r, false); err != nil {
				return err
			}
			res.Reports = append(res.Reports, id)
			res.Conflicts += len(r.Conflicts)
		}
		return setSyncValue(t, CursorKey, strconv.FormatInt(cursor, 10))
	})
	if err != nil {
		return ApplyResult{}, fmt.Errorf("apply hub events: %w", err)
	}
	return res, nil
}

// Cursor returns the pull cursor: the hub sequence number up to which this desk has
// every event meant for it (0 before the first pull).
func (s *Store) Cursor(ctx context.Context) (int64, error) {
	v, ok, err := s.SyncValue(ctx, CursorKey)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sync cursor %q is damaged: %w", v, lapordesk.ErrInvalid)
	}
	return n, nil
}

// SyncValue reads a sync bookkeeping value (enrolment, last sync time, ...).
func (s *Store) SyncValue(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM sync_state WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read sync state %q: %w", key, sqlitedb.Classify(err))
	}
	return v, true, nil
}

// SetSyncValue writes a sync bookkeeping value. The cursor is written only by
// ApplyRemote, with the events it covers.
func (s *Store) SetSyncValue(ctx context.Context, key, value string) error {
	if key == CursorKey {
		return fmt.Errorf("the sync cursor moves only with the events it covers: %w", lapordesk.ErrInvalid)
	}
	return s.write(ctx, func(t *wtx) error { return setSyncValue(t, key, value) })
}

func setSyncValue(t *wtx, key, value string) error {
	_, err := t.Exec("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("write sync state %q: %w", key, err)
	}
	return nil
}

// EventHashes returns every event's ID and content hash, for comparing stores.
func (s *Store) EventHashes(ctx context.Context) (map[uuid.UUID]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, hash FROM events")
	if err != nil {
		return nil, fmt.Errorf("read event hashes: %w", sqlitedb.Classify(err))
	}
	return sqlitedb.ScanEventHashes(rows)
}

// EventMarks returns the local sequence number of the last event, and of the last
// event before the first one still waiting in the outbox (everything up to acked is
// on the hub). Sync keeps watermarks against them, so a sync with nothing new
// reads nothing more.
func (s *Store) EventMarks(ctx context.Context) (acked, last int64, err error) {
	var first, max sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT (SELECT min(seq) FROM outbox), (SELECT max(seq) FROM events)").Scan(&first, &max); err != nil {
		return 0, 0, fmt.Errorf("read event marks: %w", sqlitedb.Classify(err))
	}
	acked = max.Int64
	if first.Valid {
		acked = first.Int64 - 1
	}
	return acked, max.Int64, nil
}

// SetSyncValues writes several sync bookkeeping values in one transaction (one
// disk flush instead of one per value). The cursor is not among them.
func (s *Store) SetSyncValues(ctx context.Context, kv map[string]string) error {
	if _, ok := kv[CursorKey]; ok {
		return fmt.Errorf("the sync cursor moves only with the events it covers: %w", lapordesk.ErrInvalid)
	}
	return s.write(ctx, func(t *wtx) error {
		for k, v := range kv {
			if err := setSyncValue(t, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// ForgetHubNumbering prepares the desk for a hub restored from an older copy (a
// new epoch), in one transaction: the hub's numbers are forgotten (the restored
// hub numbers anew), every event this desk made goes back to the outbox (the hub
// acknowledges those it has and takes those it lost), the pull cursor goes back to
// the start, and values (the sync package's marks) are set with it.
func (s *Store) ForgetHubNumbering(ctx context.Context, values map[string]string) error {
	err := s.write(ctx, func(t *wtx) error {
		for _, q := range []string{
			"UPDATE events SET hub_seq = NULL WHERE hub_seq IS NOT NULL",
			"INSERT INTO outbox (seq) SELECT seq FROM events WHERE origin = 'local' AND seq NOT IN (SELECT seq FROM outbox)",
		} {
			if _, err := t.Exec(q); err != nil {
				return err
			}
		}
		if err := setSyncValue(t, CursorKey, "0"); err != nil {
			return err
		}
		for k, v := range values {
			if err := setSyncValue(t, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget the hub's numbering: %w", err)
	}
	return nil
}
