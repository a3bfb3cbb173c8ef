package storage

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// actor returns the unit and person acting on this desktop.
func (s *Store) actor() (unit, person string, err error) {
	p := s.refs().profile
	if p == nil {
		return "", "", fmt.Errorf("this desk is not set up yet (unit profile missing): %w", lapordesk.ErrNotFound)
	}
	return p.UnitCode, p.Actor, nil
}

// Receive records a report received by this unit (walk-in, letter, phone, e-mail, or
// entered from LAPOR!) and returns its view. An empty unit means this desk's unit;
// an empty agenda number gets the unit's next one for the year.
//
// files are the contents of the attachments n names, stored in the same
// transaction: a refused report stores none of them.
func (s *Store) Receive(ctx context.Context, n lapordesk.NewReport, files ...File) (lapordesk.View, error) {
	ids, err := s.receive(ctx, []lapordesk.NewReport{n}, files)
	if err != nil {
		return lapordesk.View{}, err
	}
	return s.View(ctx, ids[0])
}

// ReceiveMany records several reports in one transaction: all of them or none.
func (s *Store) ReceiveMany(ctx context.Context, list []lapordesk.NewReport) ([]uuid.UUID, error) {
	return s.receive(ctx, list, nil)
}

func (s *Store) receive(ctx context.Context, list []lapordesk.NewReport, files []File) ([]uuid.UUID, error) {
	unit, person, err := s.actor()
	if err != nil {
		return nil, err
	}
	now := s.now()
	ids := make([]uuid.UUID, 0, len(list))
	err = s.write(ctx, func(t *wtx) error {
		var named []lapordesk.Attachment
		for _, n := range list {
			named = append(named, n.Attachments...)
		}
		if err := putFiles(t, files, named); err != nil {
			return err
		}
		evs := make([]lapordesk.Event, 0, len(list))
		for i, n := range list {
			if n.Unit == "" {
				n.Unit = unit
			}
			e, err := lapordesk.Receive(n, person, now)
			if err != nil {
				return wrapItem(len(list), i, err)
			}
			evs = append(evs, e)
			ids = append(ids, e.ReportID)
		}
		_, err := s.appendEvents(t, s.refs(), evs, writeOpts{local: true, decided: true})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("receive report: %w", err)
	}
	return ids, nil
}

func wrapItem(total, i int, err error) error {
	if total == 1 {
		return err
	}
	return fmt.Errorf("report %d: %w", i+1, err)
}

// Act applies a user's command to a report and returns the new view. The command is
// checked against the current state; an illegal, stale or invalid command writes
// nothing and returns an error that names what is wrong.
//
// files are the contents of the attachments cmd names (a follow-up's scanned
// letter), stored in the same transaction: a refused action stores none of them.
func (s *Store) Act(ctx context.Context, id uuid.UUID, cmd lapordesk.Command, files ...File) (lapordesk.View, error) {
	unit, person, err := s.actor()
	if err != nil {
		return lapordesk.View{}, err
	}
	if cmd.Unit == "" {
		cmd.Unit = unit
	}
	if cmd.Actor == "" {
		cmd.Actor = person
	}
	err = s.write(ctx, func(t *wtx) error {
		if err := putFiles(t, files, cmd.Attachments); err != nil {
			return err
		}
		return s.actTx(t, s.refs(), id, cmd)
	})
	if err != nil {
		return lapordesk.View{}, fmt.Errorf("%s report %s: %w", cmd.Action, id, err)
	}
	return s.View(ctx, id)
}

// actTx decides cmd on the report's state inside t and appends its event; cmd
// carries its unit and actor.
func (s *Store) actTx(t *wtx, ref *refData, id uuid.UUID, cmd lapordesk.Command) error {
	r, err := replayTx(t, id)
	if err != nil {
		return err
	}
	if err := lapordesk.MayAct(*ref.profile, r, cmd.Action); err != nil {
		return err
	}
	e, err := lapordesk.Decide(r, cmd, s.now())
	if err != nil {
		return err
	}
	_, err = s.appendEvents(t, ref, []lapordesk.Event{e}, writeOpts{local: true, decided: true})
	return err
}

// Record appends events decided elsewhere (demo data, imports) as local events,
// checked like the user's own: one transaction, all or nothing, no conflicts allowed.
func (s *Store) Record(ctx context.Context, events []lapordesk.Event) error {
	err := s.write(ctx, func(t *wtx) error {
		_, err := s.appendEvents(t, s.refs(), events, writeOpts{local: true})
		return err
	})
	if err != nil {
		return fmt.Errorf("record events: %w", err)
	}
	return nil
}
