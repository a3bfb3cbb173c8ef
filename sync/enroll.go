package sync

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// EnrollOptions tunes Enroll.
type EnrollOptions struct {
	Name string // a label for this desktop on the hub, e.g. the PC's name
	CA   []byte // PEM certificate of a hub with a certificate of its own
	// Pin is the hub's certificate fingerprint as its administrator reads it out,
	// for a token that does not carry it.
	Pin string
	// PlainHTTP allows http:// to a hub on the network (readable by anyone on it).
	PlainHTTP bool
	Force     bool // enrol again with the same hub (a new token after a revocation)
	Client    ClientOptions
}

// pendingEnrolment is kept in the store before the hub is asked, so an enrolment
// cut after the hub answered (power cut, lost answer) is completed by running it
// again with the same token: the hub sees the same device and answers the same.
type pendingEnrolment struct {
	URL       string    `json:"url"`
	TokenHash string    `json:"token_hash"`
	DeviceID  uuid.UUID `json:"device_id"`
	Secret    string    `json:"secret"`
}

// Enroll makes this desk a device of the hub at server with a one-time enrolment
// token from the hub's administrator. A training (demo) store is refused: its
// synthetic reports must never reach the hub. The token must be for this desk's
// unit; the desk takes the role (unit or coordinator) the token gives.
func Enroll(ctx context.Context, st *storage.Store, server, token string, o EnrollOptions) (wire.Device, error) {
	var demo bool
	if err := st.Setting(ctx, "demo", &demo); err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
		return wire.Device{}, err
	}
	p, err := st.Profile()
	switch {
	case demo || err == nil && p.Training:
		return wire.Device{}, ErrTraining
	case err != nil:
		return wire.Device{}, ErrNotSetUp
	}
	url, err := CheckURL(server)
	if err != nil {
		return wire.Device{}, err
	}
	token, pin := wire.SplitToken(strings.TrimSpace(token))
	if token == "" {
		return wire.Device{}, &lapordesk.FieldError{Field: "token", Problem: lapordesk.ProblemRequired}
	}
	if o.Pin != "" {
		pin = strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(strings.TrimSpace(o.Pin)))
		if len(pin) < wire.PinPrefixLen || strings.Trim(pin, "0123456789abcdef") != "" {
			return wire.Device{}, &lapordesk.FieldError{Field: "pin", Problem: lapordesk.ProblemFormat, Value: o.Pin}
		}
	}
	if pin != "" && strings.HasPrefix(url, "http://") {
		// A pin is for a hub serving its own certificate: always HTTPS.
		url = "https://" + strings.TrimPrefix(url, "http://")
	}
	old, err := LoadConfig(ctx, st)
	enrolled := err == nil
	switch {
	case enrolled && !o.Force:
		return wire.Device{}, ErrAlreadyEnrolled
	case err != nil && !errors.Is(err, ErrNotEnrolled):
		return wire.Device{}, err
	}

	sum := sha256.Sum256([]byte(wire.NormalizeToken(token)))
	var pend pendingEnrolment
	if err := syncJSON(ctx, st, KeyEnrolPending, &pend); err != nil {
		return wire.Device{}, err
	}
	if pend.URL != url || pend.TokenHash != hex.EncodeToString(sum[:]) || pend.DeviceID == uuid.Nil {
		id, err := uuid.NewV7()
		if err != nil {
			return wire.Device{}, err
		}
		secret := make([]byte, 32)
		_, _ = rand.Read(secret)
		pend = pendingEnrolment{URL: url, TokenHash: hex.EncodeToString(sum[:]), DeviceID: id, Secret: hex.EncodeToString(secret)}
		if err := setSyncJSON(ctx, st, KeyEnrolPending, pend); err != nil {
			return wire.Device{}, err
		}
	}

	co := o.Client
	co.CA, co.Pin, co.PlainHTTP = o.CA, pin, o.PlainHTTP
	var full pinHeard
	co.pinned = full.set
	c, err := NewClient(url, "", co)
	if err != nil {
		return wire.Device{}, err
	}
	req := wire.EnrollRequest{Token: token, DeviceID: pend.DeviceID, Secret: pend.Secret, Name: o.Name, DryRun: true}
	d, err := c.Enroll(ctx, req)
	if err != nil {
		return wire.Device{}, err
	}
	if d.Unit.Code != p.UnitCode {
		return wire.Device{}, &OtherUnitError{Token: d.Unit.Code, Desk: p.UnitCode}
	}
	if enrolled && old.HubID != "" && d.Hub != old.HubID {
		// This file's events carry the other hub's numbering.
		return wire.Device{}, ErrOtherHub
	}
	req.DryRun = false
	if d, err = c.Enroll(ctx, req); err != nil {
		return wire.Device{}, err
	}

	if p.Role != d.Role {
		p.Role = d.Role
		if err := st.SetProfile(ctx, p); err != nil {
			return wire.Device{}, err
		}
	}
	// From now on the reference data is the hub's: the desk's unit as the hub
	// knows it, the rest at the first round.
	if err := st.SetDeskNumber(ctx, d.Desk); err != nil {
		return wire.Device{}, err
	}
	if _, err := st.ApplyHubRefData(ctx, storage.HubRefData{Units: []lapordesk.Unit{d.Unit}}); err != nil {
		return wire.Device{}, err
	}
	if !enrolled || old.Unit != d.Unit.Code || old.Role != d.Role {
		// A new feed: pull it from its start.
		if _, err := st.ApplyRemote(ctx, nil, 0); err != nil {
			return wire.Device{}, err
		}
	}
	for _, kv := range [][2]string{
		{KeyDeviceID, d.ID.String()},
		{KeyDeviceToken, wire.DeviceToken(pend.DeviceID, pend.Secret)},
		{KeyUnit, d.Unit.Code},
		{KeyRole, string(d.Role)},
		{KeyHubID, d.Hub},
		{KeyCA, string(o.CA)},
		{KeyPin, full.get(pin)},
		{KeyPlainHTTP, map[bool]string{true: "1"}[o.PlainHTTP]},
		{KeyRefETag, ""},
		{KeyLastError, ""},
		{KeyHubURL, url}, // last: the store counts as enrolled from here on
		{KeyEnrolPending, ""},
	} {
		if err := st.SetSyncValue(ctx, kv[0], kv[1]); err != nil {
			return wire.Device{}, fmt.Errorf("save enrolment: %w", err)
		}
	}
	return d, nil
}

// pinHeard keeps the whole fingerprint of the hub an enrolment reached by the
// start of it in the token, so later syncs pin all of it.
type pinHeard struct {
	mu sync.Mutex
	fp string
}

func (p *pinHeard) set(fp string) { p.mu.Lock(); p.fp = fp; p.mu.Unlock() }

// get returns the fingerprint heard, or "" when no pin was asked for.
func (p *pinHeard) get(pin string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pin == "" {
		return ""
	}
	return p.fp
}
