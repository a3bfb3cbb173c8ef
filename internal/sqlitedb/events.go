package sqlitedb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// ScanEventHashes reads rows of (event ID, content hash) into a map and closes
// them; the desk's store and the hub's compare their events with it.
func ScanEventHashes(rows *sql.Rows) (map[uuid.UUID]string, error) {
	defer rows.Close()
	out := map[uuid.UUID]string{}
	for rows.Next() {
		var id, h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		u, err := uuid.Parse(id)
		if err != nil {
			return nil, fmt.Errorf("event id %q: %w", id, lapordesk.ErrInvalid)
		}
		out[u] = h
	}
	return out, rows.Err()
}

// LoadEvents reads the history of report id from an events table (id, report_id,
// body as JSON) in the order given (an ORDER BY clause): the desk's store and the
// hub's keep events alike.
func LoadEvents(ctx context.Context, q Querier, id uuid.UUID, order string) ([]lapordesk.Event, error) {
	rows, err := q.QueryContext(ctx, "SELECT body FROM events WHERE report_id = ? "+order, id.String())
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", id, Classify(err))
	}
	defer rows.Close()
	var evs []lapordesk.Event
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", id, Classify(err))
		}
		var e lapordesk.Event
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("history of %s holds a damaged event: %v: %w", id, err, lapordesk.ErrInvalid)
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history of %s: %w", id, Classify(err))
	}
	return evs, nil
}
