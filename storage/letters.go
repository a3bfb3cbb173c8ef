package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// LetterNumberer builds a letter's record from its allocated running number: the
// formatted number and the verification code (the letter package knows how). It is
// an alias, so the letter package can name IssueLetter in an interface of its own
// without importing the store.
type LetterNumberer = func(seq, year int) (lapordesk.LetterRecord, error)

// IssueLetter returns the number of a report's letter of the given kind, allocating
// it at first print: the unit's next running number for the year (a separate
// counter in training), recorded as a letter_issued event in the report's history,
// in one transaction. A reprint returns the recorded number; numbers are gap-free
// and never reused.
func (s *Store) IssueLetter(ctx context.Context, id uuid.UUID, kind string, training bool, build LetterNumberer) (lapordesk.LetterRecord, bool, error) {
	unit, person, err := s.actor()
	if err != nil {
		return lapordesk.LetterRecord{}, false, err
	}
	if err := lapordesk.CheckText("kind", kind, true, 40, false); err != nil {
		return lapordesk.LetterRecord{}, false, err
	}
	var rec lapordesk.LetterRecord
	var fresh bool
	err = s.write(ctx, func(t *wtx) error {
		ref := s.refs()
		r, err := replayTx(t, id)
		if err != nil {
			return err
		}
		for _, l := range r.Letters {
			if l.Kind == kind && l.Training == training {
				rec = l
				return nil
			}
		}
		counter := "letter:" + unit
		if training {
			counter = "letter-training:" + unit
		}
		year := lapordesk.DateOf(s.now(), ref.cal.Location).Year
		seq, err := nextCounter(t, counter, year)
		if err != nil {
			return err
		}
		rec, err = build(seq, year)
		if err != nil {
			return err
		}
		rec.Kind, rec.Seq, rec.Year, rec.Training = kind, seq, year, training
		eid, err := uuid.NewV7()
		if err != nil {
			return err
		}
		e := lapordesk.Event{ID: eid, ReportID: id, Kind: lapordesk.EvLetterIssued, At: lapordesk.NormalizeTime(s.now()), Actor: person, Unit: unit,
			BaseVersion: r.Version, Payload: lapordesk.Payload{Letter: &rec}}
		fresh = true
		_, err = s.appendEvents(t, ref, []lapordesk.Event{e}, writeOpts{local: true, decided: true})
		return err
	})
	if err != nil {
		return lapordesk.LetterRecord{}, false, fmt.Errorf("issue %s letter for %s: %w", kind, id, err)
	}
	return rec, fresh, nil
}

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
