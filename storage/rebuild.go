package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// Rebuild drops every projection and derives it again from the event log, in one
// transaction. It is how a damaged or outdated projection is repaired, and proof
// that the projections hold nothing the events do not.
func (s *Store) Rebuild(ctx context.Context) error {
	err := s.write(ctx, func(t *wtx) error { return rebuildProjections(t, s.refs()) })
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	return nil
}

func rebuildProjections(t *wtx, ref *refData) error {
	for _, table := range []string{"reports", "report_counts"} {
		if _, err := t.ExecContext(t.Context(), "DELETE FROM "+table); err != nil {
			return err
		}
	}
	if _, err := t.ExecContext(t.Context(), "INSERT INTO report_fts (report_fts) VALUES ('delete-all')"); err != nil {
		return err
	}
	rows, err := t.QueryContext(t.Context(), "SELECT report_id, body FROM events ORDER BY report_id, hub_seq IS NULL, hub_seq, seq")
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur string
	var evs []lapordesk.Event
	flush := func() error {
		if len(evs) == 0 {
			return nil
		}
		r, err := lapordesk.Replay(evs)
		if err != nil {
			return err
		}
		evs = evs[:0]
		return project(t, ref, r, true) // the table was emptied above
	}
	for rows.Next() {
		var id string
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return err
		}
		if id != cur {
			if err := flush(); err != nil {
				return err
			}
			cur = id
		}
		var e lapordesk.Event
		if err := json.Unmarshal(b, &e); err != nil {
			return fmt.Errorf("report %s holds a damaged event: %v: %w", id, err, lapordesk.ErrInvalid)
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// Reproject derives the given reports again from their events (after sync changed
// the order or set of their events).
func (s *Store) reproject(t *wtx, ref *refData, ids []uuid.UUID) error {
	for _, id := range ids {
		r, err := replayTx(t, id)
		if err != nil {
			return err
		}
		if err := project(t, ref, r, false); err != nil {
			return err
		}
	}
	return nil
}

// StateHash returns a SHA-256 over every projected report (all columns but the row
// number) and the search index's answers: two stores with equal hashes show the
// same reports the same way.
func (s *Store) StateHash(ctx context.Context) (string, error) {
	h := sha256.New()
	rows, err := s.r.QueryContext(ctx, `SELECT id, COALESCE(tracking_id, ''), agenda_no, classification, category_id, category_path, title, body,
		location_text, channel, confidentiality, status, status_rank, unit, received_at, received_date, updated_at, step,
		COALESCE(due_date, ''), COALESCE(close_on, ''), COALESCE(resolution_due, ''), COALESCE(late_date, ''), sort_due,
		COALESCE(first_response_at, 0), COALESCE(follow_up_at, 0), version, conflicts, state FROM reports ORDER BY id`)
	if err != nil {
		return "", fmt.Errorf("state hash: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", fmt.Errorf("state hash: %w", err)
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%d:%s|", len(v), v)
		}
		h.Write([]byte{'\n'})
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("state hash: %w", err)
	}
	counts, err := s.r.QueryContext(ctx, "SELECT unit, status, n FROM report_counts WHERE n != 0 ORDER BY unit, status")
	if err != nil {
		return "", fmt.Errorf("state hash: %w", sqlitedb.Classify(err))
	}
	defer counts.Close()
	for counts.Next() {
		var unit, status string
		var n int
		if err := counts.Scan(&unit, &status, &n); err != nil {
			return "", fmt.Errorf("state hash: %w", err)
		}
		fmt.Fprintf(h, "count %s %s %d\n", unit, status, n)
	}
	return hex.EncodeToString(h.Sum(nil)), counts.Err()
}

// Check runs SQLite's integrity check and the search index's own check. It returns
// nil for a healthy store.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.w.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", sqlitedb.Classify(err))
	}
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return fmt.Errorf("integrity check: %w", err)
		}
		if m != "ok" {
			msgs = append(msgs, m)
		}
	}
	rows.Close()
	if len(msgs) > 0 {
		return fmt.Errorf("integrity check: %s: %w", strings.Join(msgs, "; "), lapordesk.ErrDamaged)
	}
	if _, err := s.w.ExecContext(ctx, "INSERT INTO report_fts (report_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		return fmt.Errorf("search index check: %w", err)
	}
	var wrong int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (
		SELECT unit, status, count(*) AS n FROM reports GROUP BY unit, status
		EXCEPT SELECT unit, status, n FROM report_counts WHERE n != 0)`).Scan(&wrong); err != nil {
		return fmt.Errorf("count check: %w", err)
	}
	if wrong > 0 {
		return fmt.Errorf("count check: %d unit/status counts disagree with the reports (run rebuild): %w", wrong, lapordesk.ErrNotStore)
	}
	var orphans int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM outbox o LEFT JOIN events e ON e.seq = o.seq WHERE e.seq IS NULL").Scan(&orphans); err != nil {
		return fmt.Errorf("outbox check: %w", err)
	}
	if orphans > 0 {
		return fmt.Errorf("outbox check: %d entries without events: %w", orphans, lapordesk.ErrNotStore)
	}
	return nil
}
