package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lapordesk/lapordesk"
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
		return 0, fmt.Errorf("count: %w", classify(err))
	}
	return n, nil
}

// PutSettings stores several JSON settings in one transaction: all of them or none
// (the letterhead and its signer are saved together).
func (s *Store) PutSettings(ctx context.Context, values map[string]any) error {
	for key := range values {
		switch key {
		case keyProfile, keyPolicy:
			return fmt.Errorf("setting %q: use its own method: %w", key, lapordesk.ErrInvalid)
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for key, v := range values {
			if err := putSetting(ctx, tx, key, v); err != nil {
				return err
			}
		}
		return nil
	})
}
