package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// BlobRef is an attachment named by an event.
type BlobRef struct {
	Seq    int64 // local sequence number of the event
	SHA256 string
	MIME   string
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

// EventAttachments returns the attachments named by events with a local sequence
// number in (after, upTo], in order; localOnly keeps this desk's own events.
func (s *Store) EventAttachments(ctx context.Context, after, upTo int64, localOnly bool) ([]BlobRef, error) {
	if upTo <= after {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT e.seq, json_extract(a.value, '$.sha256'), COALESCE(json_extract(a.value, '$.mime'), '') FROM events e,
		json_each(CASE WHEN e.kind = 'received' THEN json_extract(e.body, '$.payload.report.attachments') ELSE json_extract(e.body, '$.payload.attachments') END) a
		WHERE e.seq > ? AND e.seq <= ? AND (e.origin = 'local' OR NOT ?) ORDER BY e.seq`, after, upTo, localOnly)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var refs []BlobRef
	for rows.Next() {
		var r BlobRef
		if err := rows.Scan(&r.Seq, &r.SHA256, &r.MIME); err != nil {
			return nil, fmt.Errorf("find attachments: %w", err)
		}
		refs = append(refs, r)
	}
	return refs, rows.Err()
}

// HaveBlobs returns which of the given attachments' contents are in the store.
func (s *Store) HaveBlobs(ctx context.Context, hashes []string) (map[string]bool, error) {
	out := make(map[string]bool, len(hashes))
	for len(hashes) > 0 {
		n := min(len(hashes), 500)
		rows, err := s.r.QueryContext(ctx, "SELECT sha256 FROM blobs WHERE sha256 IN ("+placeholders(n)+")", toAny(hashes[:n])...)
		if err != nil {
			return nil, fmt.Errorf("look up attachments: %w", sqlitedb.Classify(err))
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			out[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		hashes = hashes[n:]
	}
	return out, nil
}

// ConflictCount returns the number of reports with a conflict waiting to be resolved.
func (s *Store) ConflictCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM reports WHERE conflicts > 0").Scan(&n); err != nil {
		return 0, fmt.Errorf("count conflicts: %w", sqlitedb.Classify(err))
	}
	return n, nil
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
