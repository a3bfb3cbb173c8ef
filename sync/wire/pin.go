package wire

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// A hub with no certificate from a CA makes its own, and a desk pins it: the
// enrolment token carries the start of the certificate's fingerprint, the desk
// checks the hub it reaches against it and keeps the whole fingerprint, so no one
// between the desk and the hub can stand in for either, with no PKI to run.

// Fingerprint is the hex SHA-256 of a certificate's public key (its
// SubjectPublicKeyInfo): the same for a certificate renewed on the same key.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// tokenChars is the length of an enrolment token's secret part, normalized;
// pinChars that of the pin after it: 80 bits of the fingerprint, in base32.
const (
	tokenChars = 32
	pinChars   = 16
	// PinPrefixLen is the length, in hex, of the pin a token carries.
	PinPrefixLen = pinChars * 5 / 4
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// TokenWithPin appends the start of fingerprint to an enrolment token, in the
// token's own groups of four, so an administrator hands out (or reads aloud) one
// string.
func TokenWithPin(token, fingerprint string) string {
	raw, err := hex.DecodeString(fingerprint)
	if err != nil || len(raw) < pinChars*5/8 {
		return token
	}
	pin := b32.EncodeToString(raw[:pinChars*5/8])
	for i := 0; i < len(pin); i += 4 {
		token += "-" + pin[i:i+4]
	}
	return token
}

// SplitToken separates what a desk was given into the token the hub checks and
// the pin (a hex prefix of the hub's fingerprint, "" when the token carries none).
func SplitToken(given string) (token, pin string) {
	n := NormalizeToken(given)
	if len(n) != tokenChars+pinChars {
		return given, ""
	}
	raw, err := b32.DecodeString(n[tokenChars:])
	if err != nil {
		return given, ""
	}
	return n[:tokenChars], hex.EncodeToString(raw)
}

// PinMatches reports whether a certificate's fingerprint matches a pin: the whole
// fingerprint, or the prefix an enrolment token carries.
func PinMatches(fingerprint, pin string) bool {
	pin = strings.ToLower(pin)
	return len(pin) >= PinPrefixLen && strings.HasPrefix(fingerprint, pin)
}
