// Package wire holds the sync protocol between a LAPOR Desk desktop and the regional
// hub (lapordesk-server): paths, limits and the JSON documents both sides exchange.
// docs/sync-protocol.md describes the protocol in words; this file is its contract.
package wire

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// Version is the protocol version. Requests carry it in HeaderProtocol; the hub
// refuses a version it does not speak (426) rather than guess.
const Version = 1

// HTTP headers of the protocol.
const (
	HeaderProtocol = "Lapordesk-Protocol"
	HeaderRequest  = "X-Request-Id"
	// HeaderEpoch names the hub's epoch on every answer: it changes when the hub's
	// file was restored from an older copy, and a desk that sees it change
	// re-offers its own events and reads its feed again (docs/sync-protocol.md).
	HeaderEpoch = "Lapordesk-Hub-Epoch"
	// Resumable attachment uploads (after tus.io): where the next chunk starts and
	// how long the whole content is.
	HeaderOffset = "Upload-Offset"
	HeaderLength = "Upload-Length"
)

// Paths.
const (
	PathHealth     = "/healthz"
	PathEnroll     = "/v1/enroll"
	PathMe         = "/v1/me"
	PathRefData    = "/v1/refdata"
	PathPush       = "/v1/push"
	PathPull       = "/v1/pull" // ?after=N&limit=N[&bytes=N][&count=1][&own=ids]
	PathBlobStatus = "/v1/blobs/status"
	PathBlobs      = "/v1/blobs/" // + lower-case hex SHA-256
)

// Limits. The hub enforces them; the client stays below them.
const (
	MaxPushEvents   = 500       // events in one push
	MaxPushBytes    = 16 << 20  // body of one push
	MaxEventBytes   = 256 << 10 // one event's canonical JSON
	MaxPullEvents   = 2000      // events in one pull page
	PullPageBytes   = 4 << 20   // a page stops growing past this many bytes of events
	MaxBlobSize     = 25 << 20  // one attachment (as storage.MaxBlobSize)
	MaxChunk        = 4 << 20   // one upload chunk
	MaxStatusHashes = 1000      // hashes in one blob status question
	MaxSmallBody    = 64 << 10  // enrolment and status questions
)

// Health is the answer of /healthz, which needs no token: clients probe it while
// offline.
type Health struct {
	Status   string `json:"status"` // "ok"
	Protocol int    `json:"protocol"`
	Server   string `json:"server"`
}

// EnrollRequest exchanges a one-time enrolment token for a device identity. The
// desktop makes its own device ID and secret and keeps them before asking, so a
// request repeated after a lost answer enrols the same device again instead of
// failing on a used token.
type EnrollRequest struct {
	Token    string    `json:"token"`
	DeviceID uuid.UUID `json:"device_id"`
	Secret   string    `json:"secret"` // 64 hex digits; the hub keeps only its hash
	Name     string    `json:"name,omitempty"`
	// DryRun asks which unit and role the token is for without using it, so the
	// desktop can refuse a token of another unit before spending it.
	DryRun bool `json:"dry_run,omitempty"`
}

// Device is what the hub knows of an enrolled desktop.
type Device struct {
	ID       uuid.UUID      `json:"device_id"`
	Unit     lapordesk.Unit `json:"unit"`
	Role     lapordesk.Role `json:"role"`
	Protocol int            `json:"protocol"`
	Hub      string         `json:"hub"` // the hub's identity
	// Desk is the device's number among its unit's desks (1 the first enrolled):
	// the second and later desks of a unit put it in their agenda numbers
	// (DINKES.2-2026-00001), so desks numbering offline never collide. 0 from an
	// older hub.
	Desk int `json:"desk,omitempty"`
}

// NormalizeToken reads an enrolment token as typed: any case, with or without the
// dashes and spaces that group it for reading aloud.
func NormalizeToken(t string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(t)))
}

// DeviceToken is the bearer token a device sends: its ID and secret.
func DeviceToken(id uuid.UUID, secret string) string { return id.String() + "." + secret }

// PushRequest carries outbox events, oldest first.
type PushRequest struct {
	Events []PushEvent `json:"events"`
}

// PushEvent is one event exactly as stored on the desktop: its canonical JSON and
// the hex SHA-256 of those bytes.
type PushEvent struct {
	Body json.RawMessage `json:"body"`
	Hash string          `json:"hash"`
}

// Push result statuses.
const (
	Accepted  = "accepted"  // new, applied cleanly, numbered
	Duplicate = "duplicate" // already here with the same content: acknowledged again
	Conflict  = "conflict"  // new and numbered, but stale or illegal: kept and flagged
	Refused   = "refused"   // not stored; Code and Reason say why
)

// PushResult answers one pushed event, in the order pushed. Code mirrors an HTTP
// status for refused events: 400 malformed, 403 not this device's to write, 404
// report unknown (or not visible), 409 the ID is taken by different content, 413
// too large, 422 content breaks a rule.
type PushResult struct {
	ID     uuid.UUID `json:"id"`
	Status string    `json:"status"`
	Seq    int64     `json:"seq,omitempty"`
	Code   int       `json:"code,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// PushResponse answers a push.
type PushResponse struct {
	Hub     string       `json:"hub"`
	Results []PushResult `json:"results"`
}

// PullResponse is one page of the device's feed after the cursor it sent.
type PullResponse struct {
	// Hub is the hub's identity: a desk enrolled with another hub stops rather
	// than mix two hubs' numbering.
	Hub    string        `json:"hub"`
	Events []PulledEvent `json:"events"`
	// Next is the cursor after this page (the position of its last event, or the
	// cursor sent when the page is empty).
	Next int64 `json:"next"`
	More bool  `json:"more"`
	// Remaining counts the feed after the cursor sent, when asked (count=1);
	// otherwise -1.
	Remaining int64 `json:"remaining"`
}

// PulledEvent is an event of the device's feed. Seq is the hub's sequence number,
// the canonical order of a report's events on every desk; Pos is the event's
// position in this device's feed, which the cursor counts.
type PulledEvent struct {
	Pos  int64           `json:"pos"`
	Seq  int64           `json:"seq"`
	Body json.RawMessage `json:"body,omitempty"`
	// ID and Hash stand for the body of an event the asking device pushed itself,
	// when it asked for that (own=ids): it has the body, and needs only the hub's
	// number for it.
	ID   string `json:"id,omitempty"`
	Hash string `json:"hash,omitempty"`
	// Quarantined is the reason the hub's administrator set the event aside; it
	// comes with its ID only, and desks skip it and say so.
	Quarantined string `json:"quarantined,omitempty"`
	// Conflict is the reason the hub found the event stale or illegal, if it did.
	Conflict string `json:"conflict,omitempty"`
}

// RefData is the reference data the hub distributes. Its version is the ETag of
// the answer, so a sync with nothing new gets 304 and no body.
type RefData struct {
	Units      []lapordesk.Unit     `json:"units"`
	Categories []lapordesk.Category `json:"categories"`
	Holidays   []lapordesk.Holiday  `json:"holidays"`
	Weekend    []time.Weekday       `json:"weekend"`
	Policy     lapordesk.Policy     `json:"policy"`
}

// BlobStatusRequest asks which attachments the hub holds.
type BlobStatusRequest struct {
	SHA256 []string `json:"sha256"`
}

// BlobStatusResponse sorts the hashes asked about: Have (complete on the hub) and
// Missing, with Partial giving the bytes already received of an interrupted upload.
// Attachments the device may not see count as missing.
type BlobStatusResponse struct {
	Have    []string         `json:"have"`
	Missing []string         `json:"missing"`
	Partial map[string]int64 `json:"partial,omitempty"`
}

// Error is the body of every 4xx and 5xx answer.
type Error struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody names the problem with a stable code and explains it.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error codes.
const (
	CodeUnauthorized = "unauthorized"  // 401: no, unknown, revoked or forged token
	CodeForbidden    = "forbidden"     // 403
	CodeNotFound     = "not_found"     // 404
	CodeMalformed    = "malformed"     // 400
	CodeTooLarge     = "too_large"     // 413
	CodeInvalid      = "invalid"       // 422
	CodeConflict     = "conflict"      // 409
	CodeCursorAhead  = "cursor_ahead"  // 409 at pull: the hub lost events (restored); pull again from 0
	CodeBusy         = "busy"          // 429 (with Retry-After)
	CodeProtocol     = "protocol"      // 426: protocol version not spoken
	CodeInternal     = "internal"      // 500
	CodeUnavailable  = "unavailable"   // 503: shutting down
	CodeTokenUsed    = "token_used"    // 401 at enrolment: the token was used by another device
	CodeTokenExpired = "token_expired" // 401 at enrolment
)
