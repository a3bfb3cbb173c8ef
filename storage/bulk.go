package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// Bulk reads and writes for spreadsheet import and export: whole lists read from
// one snapshot, and large batches of events written in one transaction with progress.

// EachReport calls fn for every report matching f, in f's order, with its deadline
// as of now. All reports come from one read transaction: a consistent snapshot,
// whatever the desk writes meanwhile. Reports are masked like every read (an Anonim
// identity never leaves the store). fn's i counts from 0 to total-1; an error from
// fn stops the walk and is returned.
func (s *Store) EachReport(ctx context.Context, f lapordesk.Filter, fn func(i, total int, r lapordesk.Report, d lapordesk.Deadline) error) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("read reports: %w", err)
	}
	ref := s.refs()
	now := s.now()
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
	}
	defer tx.Rollback()
	q, args, _ := buildList(f, ref, ref.cal.Today(now), nil, math.MaxInt32)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
	}
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	var rid int64
	vals[0] = &rid
	for i := 1; i < len(vals); i++ {
		vals[i] = new(sql.RawBytes)
	}
	var rids []int64
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			rows.Close()
			return fmt.Errorf("read reports: %w", err)
		}
		rids = append(rids, rid)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
	}
	rows.Close()
	st, err := tx.PrepareContext(ctx, "SELECT state FROM reports WHERE rid = ?")
	if err != nil {
		return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
	}
	defer st.Close()
	for i, rid := range rids {
		var b []byte
		if err := st.QueryRowContext(ctx, rid).Scan(&b); err != nil {
			return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
		}
		r, err := decodeState(b, fmt.Sprintf("row %d", rid))
		if err != nil {
			return err
		}
		if err := fn(i, len(rids), r, lapordesk.DeadlineOf(&r, ref.cal, ref.policy, now)); err != nil {
			return err
		}
	}
	return nil
}

// decodeState decodes a projected report, masked for display.
func decodeState(b []byte, which string) (lapordesk.Report, error) {
	var r lapordesk.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("report %s: damaged projection (run rebuild): %v: %w", which, err, lapordesk.ErrInvalid)
	}
	return r.ForDisplay(), nil
}

// ReportKey is what importers match spreadsheet rows on.
type ReportKey struct {
	ID         uuid.UUID
	TrackingID string
	AgendaNo   string
}

// ReportKeys lists the ID, tracking ID and agenda number of every report.
func (s *Store) ReportKeys(ctx context.Context) ([]ReportKey, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, COALESCE(tracking_id, ''), agenda_no FROM reports")
	if err != nil {
		return nil, fmt.Errorf("read report keys: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var out []ReportKey
	for rows.Next() {
		var k ReportKey
		var id string
		if err := rows.Scan(&id, &k.TrackingID, &k.AgendaNo); err != nil {
			return nil, fmt.Errorf("read report keys: %w", err)
		}
		if k.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("report key %q: %w", id, lapordesk.ErrInvalid)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Reports calls fn with the current state of each report in ids (masked), read in
// one transaction. A missing report is ErrNotFound.
func (s *Store) Reports(ctx context.Context, ids []uuid.UUID, fn func(lapordesk.Report) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, "SELECT state FROM reports WHERE id = ?")
	if err != nil {
		return fmt.Errorf("read reports: %w", sqlitedb.Classify(err))
	}
	defer st.Close()
	for _, id := range ids {
		var b []byte
		err := st.QueryRowContext(ctx, id.String()).Scan(&b)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read report %s: %w", id, sqlitedb.Classify(err))
		}
		r, err := decodeState(b, id.String())
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// recordChunk is how many events go to appendEvents between progress reports.
const recordChunk = 500

// RecordProgress is Record for large batches (imports): the events are checked like
// the user's own and written in ONE transaction, all or nothing, while progress
// (may be nil) hears how many of the batch's reports are written. Cancelling ctx
// rolls everything back.
func (s *Store) RecordProgress(ctx context.Context, events []lapordesk.Event, progress func(done, total int)) error {
	total := 0
	seen := map[uuid.UUID]bool{}
	for _, e := range events {
		if !seen[e.ReportID] {
			seen[e.ReportID] = true
			total++
		}
	}
	clear(seen)
	err := s.write(ctx, func(t *wtx) error {
		ref := s.refs()
		for start := 0; start < len(events); {
			if err := ctx.Err(); err != nil {
				return err
			}
			end := min(start+recordChunk, len(events))
			// Keep a report's events together where the batch has them together.
			for end < len(events) && events[end].ReportID == events[end-1].ReportID {
				end++
			}
			if _, err := s.appendEvents(t, ref, events[start:end], writeOpts{local: true}); err != nil {
				return err
			}
			for _, e := range events[start:end] {
				seen[e.ReportID] = true
			}
			if progress != nil {
				progress(len(seen), total)
			}
			start = end
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record events: %w", err)
	}
	return nil
}
