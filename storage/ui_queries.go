package storage

import (
	"context"
	"fmt"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// CountList returns how many reports match f, counting no further than max (a list
// header says "10.000+" rather than making the user wait for an exact count of a
// million). It reads the same index ranges as List.
func (s *Store) CountList(ctx context.Context, f lapordesk.Filter, max int) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	if max <= 0 {
		max = 10000
	}
	ref := s.refs()
	q, args, _ := buildList(f, ref, ref.cal.Today(s.now()), nil, max)
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM ("+q+")", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", sqlitedb.Classify(err))
	}
	return n, nil
}
