package hub

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/internal/sqlitedb"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// Errors of authentication and enrolment. Each answers 401.
var (
	ErrUnauthorized = errors.New("unknown, revoked or malformed device token")
	ErrTokenUsed    = errors.New("this enrolment token was already used by another device")
	ErrTokenExpired = errors.New("this enrolment token has expired")
)

// Device is an enrolled desktop.
type Device struct {
	ID        uuid.UUID
	Unit      string
	Role      lapordesk.Role
	Name      string
	CreatedAt time.Time
	LastSeen  time.Time // zero: never synced
	RevokedAt time.Time // zero: active
}

// Coordinator reports whether the device receives every unit's reports.
func (d Device) Coordinator() bool { return d.Role == lapordesk.RoleCoordinator }

// DefaultEnrolmentTTL is how long an enrolment token stays usable.
const DefaultEnrolmentTTL = 7 * 24 * time.Hour

// NewEnrolment makes a one-time enrolment token for a device of unit with role,
// usable until ttl has passed. Only its hash is kept: the token is shown once.
func (s *Store) NewEnrolment(ctx context.Context, unit string, role lapordesk.Role, ttl time.Duration) (token string, expires time.Time, err error) {
	if role != lapordesk.RoleUnit && role != lapordesk.RoleCoordinator {
		return "", time.Time{}, &lapordesk.FieldError{Field: "role", Problem: lapordesk.ProblemUnknown, Value: string(role)}
	}
	if ttl <= 0 || ttl > 90*24*time.Hour {
		return "", time.Time{}, &lapordesk.FieldError{Field: "ttl", Problem: lapordesk.ProblemRange, Value: ttl.String()}
	}
	raw := make([]byte, 20)
	_, _ = rand.Read(raw)
	plain := base32.StdEncoding.EncodeToString(raw) // 32 characters, A-Z and 2-7
	var groups []string
	for i := 0; i < len(plain); i += 4 {
		groups = append(groups, plain[i:i+4])
	}
	token = strings.Join(groups, "-")
	now := s.now()
	expires = now.Add(ttl)
	err = s.write(ctx, func(t *tx) error {
		if _, err := unitByCode(ctx, t, unit); err != nil {
			return err
		}
		_, err := t.Exec("INSERT INTO enrolments (token_hash, unit, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			hashHex([]byte(wire.NormalizeToken(token))), unit, string(role), now.Unix(), expires.Unix())
		return err
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("new enrolment for %s: %w", unit, err)
	}
	return token, expires, nil
}

var reSecret = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Enroll exchanges an enrolment token for a device. The same request repeated (the
// same token, device ID and secret) answers the same device, so a desktop whose
// first answer was lost can ask again.
func (s *Store) Enroll(ctx context.Context, req wire.EnrollRequest) (wire.Device, error) {
	if req.DeviceID == uuid.Nil || !reSecret.MatchString(req.Secret) && !req.DryRun {
		return wire.Device{}, fmt.Errorf("enrolment needs a device ID and a 64-digit hex secret: %w", lapordesk.ErrInvalid)
	}
	if err := lapordesk.CheckText("name", req.Name, false, lapordesk.MaxNameLen, false); err != nil {
		return wire.Device{}, err
	}
	tokenHash := hashHex([]byte(wire.NormalizeToken(req.Token)))
	deviceHash := hashHex([]byte(wire.DeviceToken(req.DeviceID, req.Secret)))
	var out wire.Device
	err := s.write(ctx, func(t *tx) error {
		var unit, role string
		var expires int64
		var usedBy sql.NullString
		err := t.QueryRowContext(ctx, "SELECT unit, role, expires_at, device_id FROM enrolments WHERE token_hash = ?", tokenHash).Scan(&unit, &role, &expires, &usedBy)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnauthorized
		}
		if err != nil {
			return err
		}
		u, err := unitByCode(ctx, t, unit)
		if err != nil {
			return err
		}
		out = wire.Device{ID: req.DeviceID, Unit: u, Role: lapordesk.Role(role), Protocol: wire.Version}
		if usedBy.Valid {
			if usedBy.String != req.DeviceID.String() {
				return ErrTokenUsed
			}
			var have string
			var revoked sql.NullInt64
			if err := t.QueryRowContext(ctx, "SELECT token_hash, revoked_at FROM devices WHERE id = ?", usedBy.String).Scan(&have, &revoked); err != nil {
				return err
			}
			if have != deviceHash || revoked.Valid {
				return ErrTokenUsed
			}
			out.Desk, err = deskNumber(t, unit, req.DeviceID)
			return err // the same enrolment again
		}
		if s.now().Unix() > expires {
			return ErrTokenExpired
		}
		if req.DryRun {
			return nil
		}
		now := s.now().Unix()
		if _, err := t.Exec("INSERT INTO devices (id, unit, role, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			req.DeviceID.String(), unit, role, req.Name, deviceHash, now); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return fmt.Errorf("device %s is already enrolled: %w", req.DeviceID, lapordesk.ErrConflict)
			}
			return err
		}
		if _, err := t.Exec("UPDATE enrolments SET device_id = ?, used_at = ? WHERE token_hash = ?", req.DeviceID.String(), now, tokenHash); err != nil {
			return err
		}
		out.Desk, err = deskNumber(t, unit, req.DeviceID)
		return err
	})
	if err != nil {
		return wire.Device{}, fmt.Errorf("enrol: %w", err)
	}
	return out, nil
}

// deskNumber is the device's place among the desks ever enrolled for its unit, in
// enrolment order (revoked ones keep theirs: numbers they issued stay theirs).
func deskNumber(t *tx, unit string, id uuid.UUID) (int, error) {
	var n int
	err := t.QueryRow("SELECT count(*) FROM devices WHERE unit = ? AND rowid <= (SELECT rowid FROM devices WHERE id = ?)", unit, id.String()).Scan(&n)
	return n, err
}

// Authenticate returns the active device whose bearer token this is.
func (s *Store) Authenticate(ctx context.Context, token string) (Device, error) {
	id, secret, ok := strings.Cut(token, ".")
	if !ok || !reSecret.MatchString(secret) {
		return Device{}, ErrUnauthorized
	}
	if _, err := uuid.Parse(id); err != nil {
		return Device{}, ErrUnauthorized
	}
	d, err := s.device(ctx, s.r, "token_hash = ?", hashHex([]byte(token)))
	if errors.Is(err, lapordesk.ErrNotFound) || err == nil && !d.RevokedAt.IsZero() {
		return Device{}, ErrUnauthorized
	}
	if err != nil {
		return Device{}, err
	}
	if s.now().Sub(d.LastSeen) > time.Minute {
		// Kept coarse: a write per request would cost every no-op sync an fsync.
		_ = s.write(ctx, func(t *tx) error {
			_, err := t.Exec("UPDATE devices SET last_seen = ? WHERE id = ?", s.now().Unix(), d.ID.String())
			return err
		})
	}
	return d, nil
}

func (s *Store) device(ctx context.Context, q querier, where string, arg any) (Device, error) {
	rows, err := s.devices(ctx, q, where, arg)
	if err != nil {
		return Device{}, err
	}
	if len(rows) == 0 {
		return Device{}, fmt.Errorf("device: %w", lapordesk.ErrNotFound)
	}
	return rows[0], nil
}

func (s *Store) devices(ctx context.Context, q querier, where string, args ...any) ([]Device, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, unit, role, name, created_at, COALESCE(last_seen, 0), COALESCE(revoked_at, 0) FROM devices WHERE "+where+" ORDER BY unit, created_at", args...)
	if err != nil {
		return nil, fmt.Errorf("read devices: %w", sqlitedb.Classify(err))
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		var d Device
		var id, role string
		var created, seen, revoked int64
		if err := rows.Scan(&id, &d.Unit, &role, &d.Name, &created, &seen, &revoked); err != nil {
			return nil, fmt.Errorf("read devices: %w", err)
		}
		d.ID, _ = uuid.Parse(id)
		d.Role = lapordesk.Role(role)
		d.CreatedAt = time.Unix(created, 0)
		if seen > 0 {
			d.LastSeen = time.Unix(seen, 0)
		}
		if revoked > 0 {
			d.RevokedAt = time.Unix(revoked, 0)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Devices lists every enrolled device, revoked ones included.
func (s *Store) Devices(ctx context.Context) ([]Device, error) { return s.devices(ctx, s.r, "1 = 1") }

// Revoke stops a device: its token gets 401 from now on. Its events stay.
func (s *Store) Revoke(ctx context.Context, id uuid.UUID) error {
	err := s.write(ctx, func(t *tx) error {
		res, err := t.Exec("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", s.now().Unix(), id.String())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no active device %s: %w", id, lapordesk.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	return nil
}
