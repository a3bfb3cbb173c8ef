package sync

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/storage"
)

// Keys of the store's sync state. KeyHubURL is written last at enrolment: a store
// with it is enrolled (and `lapordesk demo` refuses to fill it).
const (
	KeyHubURL       = "hub_url"
	KeyHubID        = storage.SyncKeyHubID
	KeyDeviceID     = storage.SyncKeyDeviceID
	KeyDeviceToken  = storage.SyncKeyDeviceToken
	KeyUnit         = "hub_unit"
	KeyRole         = "hub_role"
	KeyCA           = "hub_ca"
	KeyPin          = "hub_pin"        // fingerprint of the hub's own certificate, pinned at enrolment
	KeyPlainHTTP    = "hub_plain_http" // "1": http:// to the network was allowed at enrolment
	KeyEnrolPending = "enrol_pending"
	KeyRefETag      = "refdata_etag"
	KeyHubEpoch     = "hub_epoch"        // the hub's epoch at the last round (wire.HeaderEpoch)
	KeyUploadMark   = "blob_upload_mark" // local seq up to which own attachments are on the hub
	KeyScanMark     = "blob_scan_mark"   // local seq up to which events were scanned for missing attachments
	KeyWaiting      = "blobs_waiting"    // JSON: attachments named here whose content has not arrived
	KeyLastSync     = "last_sync"        // RFC 3339 time of the last completed sync
	KeyLastSummary  = "last_summary"     // JSON Summary of the last completed sync
	KeyLastError    = "last_error"       // the last sync's error, "" after a good one
	KeyLastAttempt  = "last_attempt"     // RFC 3339 time of the last sync attempt
)

// Config is a desk's enrolment, read from its store.
type Config struct {
	HubURL   string
	HubID    string
	DeviceID uuid.UUID
	Token    string
	Unit     string
	Role     lapordesk.Role
	CA       []byte
	Pin      string // the hub's certificate fingerprint, when it has its own
	// PlainHTTP: the administrator allowed http:// on the network (--insecure-http).
	PlainHTTP bool
}

// client sets what the enrolment decided about trusting the hub on co.
func (c Config) client(co ClientOptions) ClientOptions {
	co.CA, co.Pin, co.PlainHTTP = c.CA, c.Pin, c.PlainHTTP
	return co
}

// LoadConfig reads the enrolment; ErrNotEnrolled when there is none.
func LoadConfig(ctx context.Context, st *storage.Store) (Config, error) {
	var c Config
	vals := map[string]*string{KeyHubURL: &c.HubURL, KeyHubID: &c.HubID, KeyDeviceToken: &c.Token, KeyUnit: &c.Unit}
	for k, p := range vals {
		v, _, err := st.SyncValue(ctx, k)
		if err != nil {
			return c, err
		}
		*p = v
	}
	if c.HubURL == "" {
		return c, ErrNotEnrolled
	}
	id, _, err := st.SyncValue(ctx, KeyDeviceID)
	if err != nil {
		return c, err
	}
	if c.DeviceID, err = uuid.Parse(id); err != nil || c.Token == "" {
		return c, fmt.Errorf("the enrolment in this data file is damaged (enrol again): %w", lapordesk.ErrInvalid)
	}
	role, _, err := st.SyncValue(ctx, KeyRole)
	if err != nil {
		return c, err
	}
	c.Role = lapordesk.Role(role)
	ca, _, err := st.SyncValue(ctx, KeyCA)
	if err != nil {
		return c, err
	}
	c.CA = []byte(ca)
	if c.Pin, _, err = st.SyncValue(ctx, KeyPin); err != nil {
		return c, err
	}
	plain, _, err := st.SyncValue(ctx, KeyPlainHTTP)
	c.PlainHTTP = plain == "1"
	return c, err
}

// syncInt reads an integer sync value (0 when unset).
func syncInt(ctx context.Context, st *storage.Store, key string) (int64, error) {
	var n int64
	err := syncJSON(ctx, st, key, &n)
	return n, err
}

// syncJSON reads a JSON sync value into v (untouched when unset).
func syncJSON(ctx context.Context, st *storage.Store, key string, v any) error {
	s, ok, err := st.SyncValue(ctx, key)
	if err != nil || !ok || s == "" {
		return err
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("sync state %q is damaged: %v: %w", key, err, lapordesk.ErrInvalid)
	}
	return nil
}

func setSyncJSON(ctx context.Context, st *storage.Store, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return st.SetSyncValue(ctx, key, string(b))
}
