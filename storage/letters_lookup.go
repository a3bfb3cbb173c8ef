package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// FindLetters returns the letter_issued events that recorded a verification code,
// written as printed ("K7Q2M-XH4TA"), oldest first; ErrNotFound when there is none. Letters
// issued on other desks count once sync has brought their events. Codes are 50 bits,
// so two letters sharing one is a forgery or a bug, and the caller sees both.
//
// It reads every letter_issued event: a desk issues some thousands a year, few enough
// that an index would cost more to keep than it saves.
func (s *Store) FindLetters(ctx context.Context, code string) ([]lapordesk.Event, error) {
	if err := lapordesk.CheckText("code", code, true, lapordesk.MaxShortLen, false); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT body FROM events
		WHERE kind = ? AND json_extract(CAST(body AS TEXT), '$.payload.letter.code') = ? ORDER BY seq`,
		string(lapordesk.EvLetterIssued), code)
	if err != nil {
		return nil, fmt.Errorf("find letter %s: %w", code, sqlitedb.Classify(err))
	}
	defer rows.Close()
	var out []lapordesk.Event
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("find letter %s: %w", code, sqlitedb.Classify(err))
		}
		var e lapordesk.Event
		if err := json.Unmarshal(b, &e); err != nil || e.Payload.Letter == nil {
			return nil, fmt.Errorf("find letter %s: a damaged letter_issued event: %w", code, lapordesk.ErrInvalid)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find letter %s: %w", code, sqlitedb.Classify(err))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("letter with code %s: %w", code, lapordesk.ErrNotFound)
	}
	return out, nil
}

// PutSettings stores several JSON settings in one transaction, so a settings form
// that spans keys (the letterhead, the signer and the letter settings) is saved whole
// or not at all.
func (s *Store) PutSettings(ctx context.Context, values map[string]any) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		switch k {
		case keyProfile, keyPolicy:
			return fmt.Errorf("setting %q: use its own method: %w", k, lapordesk.ErrInvalid)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return s.tx(ctx, func(tx *sqlitedb.Tx) error {
		for _, k := range keys {
			if err := putSetting(ctx, tx, k, values[k]); err != nil {
				return err
			}
		}
		return nil
	})
}
