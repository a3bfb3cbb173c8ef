package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// Profile returns this desktop's unit profile, or ErrNotFound before setup.
func (s *Store) Profile() (lapordesk.Profile, error) {
	ref := s.refs()
	if ref.profile == nil {
		return lapordesk.Profile{}, fmt.Errorf("unit profile: not set up yet: %w", lapordesk.ErrNotFound)
	}
	return *ref.profile, nil
}

// SetProfile stores the unit profile and registers the unit.
func (s *Store) SetProfile(ctx context.Context, p lapordesk.Profile) error {
	if p.Role == "" {
		p.Role = lapordesk.RoleUnit
	}
	if p.Timezone == "" {
		p.Timezone = DefaultTimezone
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("unit profile: %w", err)
	}
	if _, err := time.LoadLocation(p.Timezone); err != nil {
		return fmt.Errorf("unit profile: %w", &lapordesk.FieldError{Field: "timezone", Problem: lapordesk.ProblemUnknown, Value: p.Timezone})
	}
	err := s.tx(ctx, func(tx *sqlitedb.Tx) error {
		old := s.refs().profile
		if err := putSetting(ctx, tx, keyProfile, p); err != nil {
			return err
		}
		if err := putUnit(ctx, tx, lapordesk.Unit{Code: p.UnitCode, Name: p.UnitName, Coordinator: p.Role == lapordesk.RoleCoordinator}); err != nil {
			return err
		}
		if old == nil || old.Timezone != p.Timezone {
			return s.reschedule(ctx, tx, func(r *refData) { r.cal.Location, _ = time.LoadLocation(p.Timezone) })
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save unit profile: %w", err)
	}
	return s.loadRef(ctx)
}

// --- units ---
