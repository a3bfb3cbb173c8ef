package sync

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/i18n"
	"github.com/lapordesk/lapordesk/sync/wire"
)

// Errors of the desktop side of sync.
var (
	ErrNotEnrolled     = errors.New("this desk is not enrolled with a hub")
	ErrTraining        = errors.New("a training (demo) data file is never enrolled with a hub")
	ErrNotSetUp        = errors.New("this desk is not set up yet")
	ErrBusy            = errors.New("a sync of this data file is already running")
	ErrAlreadyEnrolled = errors.New("this desk is already enrolled with a hub")
	ErrOtherHub        = errors.New("the hub at this address is not the hub this desk is enrolled with")
)

// PlainHTTPError: a hub address with http:// on the network, without the desk's
// explicit consent: its token and reports would cross the network readable.
type PlainHTTPError struct{ Host string }

func (e *PlainHTTPError) Error() string {
	return fmt.Sprintf("http:// to %s sends the device token and reports unencrypted: use https:// (or --insecure-http on a network you trust)", e.Host)
}

func (e *PlainHTTPError) Unwrap() error { return lapordesk.ErrInvalid }

// PinError: the hub's certificate is not the one pinned at enrolment (another
// machine answers at the address, or someone stands between).
type PinError struct{ Want, Got string }

func (e *PinError) Error() string {
	return fmt.Sprintf("the hub's certificate has fingerprint %s, not the pinned %s", e.Got, e.Want)
}

// OtherUnitError: the enrolment token is for a unit other than this desk's.
type OtherUnitError struct{ Token, Desk string }

func (e *OtherUnitError) Error() string {
	return fmt.Sprintf("the enrolment token is for unit %s, this desk is set up for %s", e.Token, e.Desk)
}

func (e *OtherUnitError) Unwrap() error { return lapordesk.ErrInvalid }

// NetError: the hub could not be reached, or the connection broke (after retries).
// The desk is offline; nothing was lost and the next sync resumes.
type NetError struct{ Err error }

func (e *NetError) Error() string { return "hub unreachable: " + e.Err.Error() }
func (e *NetError) Unwrap() error { return e.Err }

// CertError: the hub's certificate is not trusted (or not for its address). Trying
// again cannot help: the desk needs the hub's certificate (lapordesk enroll --ca).
type CertError struct{ Err error }

func (e *CertError) Error() string { return "the hub's certificate is not trusted: " + e.Err.Error() }
func (e *CertError) Unwrap() error { return e.Err }

// isCertError reports whether err is a TLS certificate failure.
func isCertError(err error) bool {
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var he x509.HostnameError
	var tv *tls.CertificateVerificationError
	var pe *PinError
	return errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &he) || errors.As(err, &tv) || errors.As(err, &pe)
}

// HubError is a 4xx or 5xx answer of the hub.
type HubError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // for 429 and 503, when the hub said
}

func (e *HubError) Error() string {
	return fmt.Sprintf("hub answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Temporary reports whether trying again later may succeed (busy or failing hub).
func (e *HubError) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// ProtocolError: the hub's answer made no sense (a damaged or foreign answer).
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "unexpected answer from the hub: " + e.Msg }

// Offline reports whether err means the hub could not be reached.
func Offline(err error) bool {
	var ne *NetError
	return errors.As(err, &ne)
}

// Unauthorized reports whether the hub refused this desk's token (revoked or
// unknown): the desk must be enrolled again.
func Unauthorized(err error) bool {
	var he *HubError
	return errors.As(err, &he) && he.Status == http.StatusUnauthorized
}

// Describe explains err to the user in the chosen language; errors that are not
// sync's own fall back to i18n.Error.
func Describe(err error) string {
	var ou *OtherUnitError
	var he *HubError
	var ne *NetError
	var pe *ProtocolError
	var ce *CertError
	var pin *PinError
	var plain *PlainHTTPError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotEnrolled):
		return i18n.T("sync.err.not_enrolled")
	case errors.Is(err, ErrTraining):
		return i18n.T("sync.err.training")
	case errors.Is(err, ErrNotSetUp):
		return i18n.T("cli.not_set_up")
	case errors.Is(err, ErrBusy):
		return i18n.T("sync.err.busy")
	case errors.Is(err, ErrAlreadyEnrolled):
		return i18n.T("sync.err.already_enrolled")
	case errors.Is(err, ErrOtherHub):
		return i18n.T("sync.err.other_hub")
	case errors.As(err, &ou):
		return i18n.Tf("sync.err.other_unit", "Token", ou.Token, "Desk", ou.Desk)
	case errors.As(err, &pin):
		return i18n.Tf("sync.err.pin", "Got", pin.Got, "Want", pin.Want)
	case errors.As(err, &plain):
		return i18n.Tf("sync.err.plain_http", "Host", plain.Host)
	case errors.As(err, &ce):
		return i18n.T("sync.err.certificate")
	case errors.As(err, &ne):
		return i18n.T("sync.err.offline")
	case errors.As(err, &pe):
		return i18n.Tf("sync.err.protocol", "Detail", pe.Msg)
	case errors.As(err, &he):
		switch {
		case he.Code == wire.CodeTokenUsed:
			return i18n.T("sync.err.token_used")
		case he.Code == wire.CodeTokenExpired:
			return i18n.T("sync.err.token_expired")
		case he.Status == http.StatusUnauthorized:
			return i18n.T("sync.err.unauthorized")
		case he.Status == http.StatusUpgradeRequired:
			return i18n.T("sync.err.version")
		case he.Temporary():
			return i18n.Tf("sync.err.hub_busy", "Status", he.Status)
		}
		return i18n.Tf("sync.err.hub", "Status", he.Status, "Message", he.Message)
	}
	return i18n.Error(err)
}
