package storage

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// ResolveConflict carries out a user's decision on a conflict of report id and
// returns the new view: with res.ApplyOther, the command that does now what the
// conflicting event asked for, then the resolve event, in one transaction. If either
// is refused nothing is written, and the conflict stays for another choice.
func (s *Store) ResolveConflict(ctx context.Context, id uuid.UUID, res lapordesk.Resolution) (lapordesk.View, error) {
	unit, person, err := s.actor()
	if err != nil {
		return lapordesk.View{}, err
	}
	if res.Unit == "" {
		res.Unit = unit
	}
	if res.Actor == "" {
		res.Actor = person
	}
	err = s.write(ctx, func(t *wtx) error {
		ref := s.refs()
		evs, err := loadEvents(t.Context(), t, id)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return fmt.Errorf("report %s: %w", id, lapordesk.ErrNotFound)
		}
		r, err := lapordesk.Replay(evs)
		if err != nil {
			return err
		}
		// The stored history, not its display: the redo copies what the event
		// really asked for (withheld fields are refused either way).
		cmds, err := res.Commands(lapordesk.View{Report: *r, History: evs, Actions: r.AllowedActions()})
		if err != nil {
			return err
		}
		for _, cmd := range cmds {
			if err := s.actTx(t, ref, id, cmd); err != nil {
				return fmt.Errorf("%s: %w", cmd.Action, err)
			}
		}
		return nil
	})
	if err != nil {
		return lapordesk.View{}, fmt.Errorf("resolve conflict %s of report %s: %w", res.Conflict, id, err)
	}
	return s.View(ctx, id)
}

// ConflictCount returns the number of reports with a conflict waiting to be resolved.
func (s *Store) ConflictCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM reports WHERE conflicts > 0").Scan(&n); err != nil {
		return 0, fmt.Errorf("count conflicts: %w", sqlitedb.Classify(err))
	}
	return n, nil
}
