package hub

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// reportState is what a push needs to know of one report, loaded once per batch.
type reportState struct {
	r       *lapordesk.Report // nil until the receipt is here
	visible map[string]bool   // units with a visibility row
	events  []lapordesk.Event // the history in hub order
	devices []string          // the device that pushed each of events
}

func (rs *reportState) exists() bool { return rs.r != nil }

// seenBy reports whether the device may read and write the report.
func (rs *reportState) seenBy(d Device) bool {
	return rs.exists() && (d.Coordinator() || rs.visible[d.Unit])
}

// Push stores a batch of a device's outbox events in one transaction and answers
// each in order. A new event is numbered and applied to its report's state with the
// domain's rules; one that is stale or illegal there is kept all the same and
// flagged as a conflict. An event already here with the same content is a
// duplicate (acknowledged again); with other content it is refused (409), never
// merged. Events the device may not write are refused and change nothing.
func (s *Store) Push(ctx context.Context, d Device, events []wire.PushEvent) ([]wire.PushResult, error) {
	results := make([]wire.PushResult, len(events))
	err := s.write(ctx, func(t *tx) error {
		reports := map[uuid.UUID]*reportState{}
		for i, pe := range events {
			res, err := s.pushOne(t, d, pe, reports)
			if err != nil {
				return err
			}
			results[i] = res
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	var high int64
	for _, r := range results {
		high = max(high, r.Seq)
	}
	// The events are committed whatever becomes of the mark: a failed write only
	// weakens the detection of a later restore.
	_ = s.recordHigh(high)
	return results, nil
}

func refused(id uuid.UUID, code int, format string, args ...any) wire.PushResult {
	return wire.PushResult{ID: id, Status: wire.Refused, Code: code, Reason: fmt.Sprintf(format, args...)}
}

// errUnknownReport is the one answer for a report that does not exist and for one
// the device may not see, so nothing tells them apart.
const errUnknownReport = "report %s is unknown to the hub (its receipt has not arrived, or it is not with your unit)"

func (s *Store) pushOne(t *tx, d Device, pe wire.PushEvent, reports map[uuid.UUID]*reportState) (wire.PushResult, error) {
	var e lapordesk.Event
	if len(pe.Body) > wire.MaxEventBytes {
		return refused(e.ID, http.StatusRequestEntityTooLarge, "event of %d bytes, at most %d", len(pe.Body), wire.MaxEventBytes), nil
	}
	if err := json.Unmarshal(pe.Body, &e); err != nil {
		return refused(e.ID, http.StatusBadRequest, "not an event: %v", err), nil
	}
	if hashHex(pe.Body) != pe.Hash {
		return refused(e.ID, http.StatusBadRequest, "the hash does not match the body"), nil
	}
	if canon, err := e.Canonical(); err != nil || !bytes.Equal(canon, pe.Body) {
		return refused(e.ID, http.StatusBadRequest, "the body is not the canonical encoding of an event (unknown fields or another encoding)"), nil
	}
	switch {
	case e.ID == uuid.Nil || e.ReportID == uuid.Nil:
		return refused(e.ID, http.StatusBadRequest, "event without an ID or report ID"), nil
	case e.At.IsZero():
		return refused(e.ID, http.StatusBadRequest, "event without a time"), nil
	case !e.Kind.Valid():
		return refused(e.ID, http.StatusUnprocessableEntity, "unknown event kind %q", e.Kind), nil
	case e.BaseVersion < 0:
		return refused(e.ID, http.StatusUnprocessableEntity, "negative base version"), nil
	case !lapordesk.ValidUnitCode(e.Unit):
		return refused(e.ID, http.StatusUnprocessableEntity, "malformed unit code"), nil
	case !d.Coordinator() && e.Unit != d.Unit:
		return refused(e.ID, http.StatusForbidden, "an event of unit %s from a device of unit %s", e.Unit, d.Unit), nil
	}
	// The same rules as every desk's own: field limits, UTF-8, no control or bidi
	// characters, sane dates, attachment names as plain file names, hashes as hashes.
	if err := e.Validate(); err != nil {
		return refused(e.ID, http.StatusUnprocessableEntity, "%v", err), nil
	}
	for _, u := range []string{e.Unit, e.Payload.ToUnit} {
		if u == "" {
			continue
		}
		if _, err := unitByCode(t.Context(), t, u); errors.Is(err, lapordesk.ErrNotFound) {
			return refused(e.ID, http.StatusUnprocessableEntity, "unit %s is not registered on this hub", u), nil
		} else if err != nil {
			return wire.PushResult{}, err
		}
	}

	var seq int64
	var hash, rid string
	err := t.QueryRowContext(t.Context(), "SELECT seq, hash, report_id FROM events WHERE id = ?", e.ID.String()).Scan(&seq, &hash, &rid)
	switch {
	case err == nil:
		id, _ := uuid.Parse(rid)
		rs, err := s.reportState(t, id, reports)
		if err != nil {
			return wire.PushResult{}, err
		}
		if !rs.seenBy(d) {
			return refused(e.ID, http.StatusNotFound, errUnknownReport, e.ReportID), nil
		}
		if hash != pe.Hash {
			return refused(e.ID, http.StatusConflict, "event %s is already here with different content; it was not merged", e.ID), nil
		}
		return wire.PushResult{ID: e.ID, Status: wire.Duplicate, Seq: seq}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return wire.PushResult{}, err
	}

	rs, err := s.reportState(t, e.ReportID, reports)
	if err != nil {
		return wire.PushResult{}, err
	}
	conf := lapordesk.Biasa
	if e.Kind == lapordesk.EvReceived && !rs.exists() {
		n := e.Payload.Report
		if n == nil {
			return refused(e.ID, http.StatusUnprocessableEntity, "a receipt without its report"), nil
		}
		if !d.Coordinator() && n.Unit != d.Unit {
			return refused(e.ID, http.StatusForbidden, "a report for unit %s from a device of unit %s", n.Unit, d.Unit), nil
		}
		if err := n.Validate(e.At); err != nil {
			return refused(e.ID, http.StatusUnprocessableEntity, "%v", err), nil
		}
		conf = n.Confidentiality
	} else {
		if !rs.seenBy(d) {
			return refused(e.ID, http.StatusNotFound, errUnknownReport, e.ReportID), nil
		}
		if !d.Coordinator() {
			// Judged by the holder in the view the device decided on: honest offline
			// work on a report the unit held is kept; acting on one it saw move is not.
			me := d.ID.String()
			holder := lapordesk.HolderSeen(rs.events, func(i int) bool { return rs.devices[i] == me }, e.BaseVersion)
			if err := lapordesk.MayWrite(d.Unit, holder, e.Kind); err != nil {
				return refused(e.ID, http.StatusForbidden, "report %s: %v", e.ReportID, err), nil
			}
		}
		conf = rs.r.Confidentiality
	}
	if conf == lapordesk.Anonim && e.ForDisplay(lapordesk.Anonim).Hash() != pe.Hash {
		// Desks seal an Anonim reporter's identity before it enters any event; one
		// that carries it anyway must not reach other units.
		return refused(e.ID, http.StatusUnprocessableEntity, "the event carries an Anonim reporter's identity"), nil
	}

	res, err := t.Exec("INSERT INTO events (id, report_id, kind, unit, body, hash, device, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		e.ID.String(), e.ReportID.String(), string(e.Kind), e.Unit, []byte(pe.Body), pe.Hash, d.ID.String(), s.now().UnixMilli())
	if err != nil {
		return wire.PushResult{}, fmt.Errorf("write event %s: %w", e.ID, err)
	}
	if seq, err = res.LastInsertId(); err != nil {
		return wire.PushResult{}, err
	}
	out := wire.PushResult{ID: e.ID, Status: wire.Accepted, Seq: seq}
	if rs.r == nil {
		rs.r = &lapordesk.Report{}
	}
	rs.events, rs.devices = append(rs.events, e), append(rs.devices, d.ID.String())
	if c := rs.r.Apply(e); c != nil {
		if _, err := t.Exec("INSERT INTO conflicts (seq, reason) VALUES (?, ?)", seq, c.Reason); err != nil {
			return wire.PushResult{}, err
		}
		out.Status, out.Reason = wire.Conflict, c.Reason
	}
	if err := s.publish(t, e, seq, rs); err != nil {
		return wire.PushResult{}, err
	}
	return out, nil
}

// publish puts a new event in the feeds of the units that see its report. A unit
// the report has just reached gets the report's whole history first, under new
// feed positions, so its devices' cursors (which count feed positions) cannot have
// passed it.
func (s *Store) publish(t *tx, e lapordesk.Event, seq int64, rs *reportState) error {
	fed := map[string]bool{} // Units names a unit again when the report comes back to it
	for _, u := range rs.r.Units {
		if fed[u] {
			continue
		}
		fed[u] = true
		if rs.visible[u] {
			if _, err := t.Exec("INSERT INTO feed (unit, seq) VALUES (?, ?)", u, seq); err != nil {
				return fmt.Errorf("feed %s: %w", u, err)
			}
			continue
		}
		if _, err := t.Exec("INSERT INTO visibility (report_id, unit, since_seq) VALUES (?, ?, ?)", e.ReportID.String(), u, seq); err != nil {
			return fmt.Errorf("visibility of %s for %s: %w", e.ReportID, u, err)
		}
		if _, err := t.Exec("INSERT INTO feed (unit, seq) SELECT ?, seq FROM events WHERE report_id = ? ORDER BY seq", u, e.ReportID.String()); err != nil {
			return fmt.Errorf("feed history of %s to %s: %w", e.ReportID, u, err)
		}
		rs.visible[u] = true
	}
	atts := e.Payload.Attachments
	if e.Kind == lapordesk.EvReceived && e.Payload.Report != nil {
		atts = e.Payload.Report.Attachments
	}
	for _, a := range atts {
		if _, err := t.Exec("INSERT INTO blob_refs (sha256, report_id) VALUES (?, ?) ON CONFLICT DO NOTHING", a.SHA256, e.ReportID.String()); err != nil {
			return err
		}
	}
	return nil
}

// reportState loads a report's state (replayed from its events in hub order) and
// visibility, once per batch.
func (s *Store) reportState(t *tx, id uuid.UUID, cache map[uuid.UUID]*reportState) (*reportState, error) {
	if rs, ok := cache[id]; ok {
		return rs, nil
	}
	rs := &reportState{visible: map[string]bool{}}
	if err := rs.loadHistory(t, id); err != nil {
		return nil, err
	}
	if len(rs.events) > 0 {
		var err error
		if rs.r, err = lapordesk.Replay(rs.events); err != nil {
			rs.r = nil // no receipt: the report does not exist yet
		}
	}
	rows, err := t.QueryContext(t.Context(), "SELECT unit FROM visibility WHERE report_id = ?", id.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		rs.visible[u] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cache[id] = rs
	return rs, nil
}

// loadHistory reads a report's events in hub order with the device that pushed each.
func (rs *reportState) loadHistory(t *tx, id uuid.UUID) error {
	rows, err := t.QueryContext(t.Context(), "SELECT body, device FROM events WHERE report_id = ? AND seq NOT IN (SELECT seq FROM quarantine) ORDER BY seq", id.String())
	if err != nil {
		return fmt.Errorf("read history of %s: %w", id, sqlitedb.Classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var body []byte
		var device string
		if err := rows.Scan(&body, &device); err != nil {
			return fmt.Errorf("read history of %s: %w", id, sqlitedb.Classify(err))
		}
		var e lapordesk.Event
		if err := json.Unmarshal(body, &e); err != nil {
			return fmt.Errorf("history of %s holds a damaged event: %v: %w", id, err, lapordesk.ErrInvalid)
		}
		rs.events, rs.devices = append(rs.events, e), append(rs.devices, device)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read history of %s: %w", id, sqlitedb.Classify(err))
	}
	return nil
}

// loadEvents returns a report's events in canonical order.
func loadEvents(ctx context.Context, q sqlitedb.Querier, id uuid.UUID) ([]lapordesk.Event, error) {
	// Quarantined events count for nothing: not in a report's state, not handed out.
	return sqlitedb.LoadEvents(ctx, q, id, "AND seq NOT IN (SELECT seq FROM quarantine) ORDER BY seq")
}

// ErrCursorAhead: a device asked for events after a position its feed never reached
// (the hub was restored from an older copy). The device pulls again from 0.
var ErrCursorAhead = errors.New("the cursor is ahead of the hub's feed")

// Pull returns the device's feed after cursor: up to limit events (and at most
// about wire.PullPageBytes of them), oldest first. A coordinator's feed is every
// event in hub order; a unit's is the events of the reports that are, or were, with
// it. count asks for the number of events after cursor, for progress bars.
//
// With ownIDs, the events the device pushed itself come as their ID and hash alone:
// it has them, and a coordinator's first sync would otherwise download back all it
// just sent.
//
// maxBytes bounds the page's bodies (0: wire.PullPageBytes); a page holds at least
// one event, whatever its size.
func (s *Store) Pull(ctx context.Context, d Device, cursor int64, limit int, count, ownIDs bool, maxBytes int) (wire.PullResponse, error) {
	if limit <= 0 || limit > wire.MaxPullEvents {
		limit = wire.MaxPullEvents
	}
	if maxBytes <= 0 || maxBytes > wire.PullPageBytes {
		maxBytes = wire.PullPageBytes
	}
	q, args := `SELECT e.seq, e.seq, e.body, COALESCE(c.reason, ''), e.id, e.hash, e.device, q.reason FROM events e LEFT JOIN conflicts c ON c.seq = e.seq
		LEFT JOIN quarantine q ON q.seq = e.seq WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, []any{cursor, limit + 1}
	if !d.Coordinator() {
		q, args = `SELECT f.pos, e.seq, e.body, COALESCE(c.reason, ''), e.id, e.hash, e.device, q.reason FROM feed f JOIN events e ON e.seq = f.seq
			LEFT JOIN conflicts c ON c.seq = e.seq LEFT JOIN quarantine q ON q.seq = e.seq WHERE f.unit = ? AND f.pos > ? ORDER BY f.pos LIMIT ?`, []any{d.Unit, cursor, limit + 1}
	}
	me := d.ID.String()
	out := wire.PullResponse{Events: []wire.PulledEvent{}, Next: cursor, Remaining: -1}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return out, fmt.Errorf("pull: %w", sqlitedb.Classify(err))
	}
	size := 0
	for rows.Next() {
		var pe wire.PulledEvent
		var body []byte
		var id, hash, device string
		var quarantined sql.NullString
		if err := rows.Scan(&pe.Pos, &pe.Seq, &body, &pe.Conflict, &id, &hash, &device, &quarantined); err != nil {
			rows.Close()
			return out, fmt.Errorf("pull: %w", err)
		}
		switch {
		case quarantined.Valid:
			body, pe.ID, pe.Quarantined, pe.Conflict = nil, id, quarantined.String, ""
		case ownIDs && device == me:
			body, pe.ID, pe.Hash = nil, id, hash
		}
		if len(out.Events) == limit || len(out.Events) > 0 && size+len(body) > maxBytes {
			out.More = true
			break
		}
		pe.Body = body
		size += len(body) + len(pe.ID) + len(pe.Hash)
		out.Events = append(out.Events, pe)
		out.Next = pe.Pos
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("pull: %w", err)
	}
	if len(out.Events) == 0 && cursor > 0 {
		var last int64
		if err := s.r.QueryRowContext(ctx, "SELECT COALESCE(max(pos), 0) FROM feed WHERE unit = ?", d.Unit).Scan(&last); err != nil {
			return out, fmt.Errorf("pull: %w", sqlitedb.Classify(err))
		}
		if d.Coordinator() {
			if err := s.r.QueryRowContext(ctx, "SELECT COALESCE(max(seq), 0) FROM events").Scan(&last); err != nil {
				return out, fmt.Errorf("pull: %w", sqlitedb.Classify(err))
			}
		}
		if cursor > last {
			return out, fmt.Errorf("cursor %d, feed ends at %d: %w", cursor, last, ErrCursorAhead)
		}
	}
	if count {
		q, args := "SELECT count(*) FROM events WHERE seq > ?", []any{cursor}
		if !d.Coordinator() {
			q, args = "SELECT count(*) FROM feed WHERE unit = ? AND pos > ?", []any{d.Unit, cursor}
		}
		if err := s.r.QueryRowContext(ctx, q, args...).Scan(&out.Remaining); err != nil {
			return out, fmt.Errorf("pull: %w", sqlitedb.Classify(err))
		}
	}
	return out, nil
}

// EventHashes returns the ID and content hash of every event, or with unit set, of
// every event in that unit's feed (for comparing the hub with desks).
func (s *Store) EventHashes(ctx context.Context, unit string) (map[uuid.UUID]string, error) {
	q, args := "SELECT id, hash FROM events", []any{}
	if unit != "" {
		q, args = "SELECT e.id, e.hash FROM feed f JOIN events e ON e.seq = f.seq WHERE f.unit = ?", []any{unit}
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("event hashes: %w", sqlitedb.Classify(err))
	}
	return sqlitedb.ScanEventHashes(rows)
}

// Report returns a report's state as the hub derives it from its events in hub
// order (identity masked, as every desk shows it).
func (s *Store) Report(ctx context.Context, id uuid.UUID) (lapordesk.Report, error) {
	evs, err := loadEvents(ctx, s.r, id)
	if err != nil {
		return lapordesk.Report{}, err
	}
	if len(evs) == 0 {
		return lapordesk.Report{}, fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
	}
	r, err := lapordesk.Replay(evs)
	if err != nil {
		return lapordesk.Report{}, err
	}
	return r.ForDisplay(), nil
}

// Stats counts what the hub holds.
type Stats struct {
	Events, Reports, Conflicts, Devices, Blobs int
}

// Stats returns the hub's counts.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM events), (SELECT count(DISTINCT report_id) FROM events),
		(SELECT count(*) FROM conflicts), (SELECT count(*) FROM devices WHERE revoked_at IS NULL), (SELECT count(*) FROM blobs)`).
		Scan(&st.Events, &st.Reports, &st.Conflicts, &st.Devices, &st.Blobs)
	if err != nil {
		return st, fmt.Errorf("stats: %w", sqlitedb.Classify(err))
	}
	return st, nil
}

// Quarantine sets an event aside for good, by the administrator's decision (an
// event an older hub let in, or one a new rule refuses): it stays in the
// append-only record but no longer counts in its report's state, and desks are
// handed its ID and the reason instead of its body, which they skip and report.
func (s *Store) Quarantine(ctx context.Context, id uuid.UUID, reason string) error {
	if err := lapordesk.CheckText("reason", reason, true, lapordesk.MaxNameLen, false); err != nil {
		return err
	}
	err := s.write(ctx, func(t *tx) error {
		var seq int64
		if err := t.QueryRow("SELECT seq FROM events WHERE id = ?", id.String()).Scan(&seq); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("event %s: %w", id, lapordesk.ErrNotFound)
		} else if err != nil {
			return err
		}
		_, err := t.Exec("INSERT INTO quarantine (seq, reason, at) VALUES (?, ?, ?) ON CONFLICT (seq) DO UPDATE SET reason = excluded.reason", seq, reason, s.now().Unix())
		return err
	})
	if err != nil {
		return fmt.Errorf("quarantine %s: %w", id, err)
	}
	return nil
}
