package wire

import (
	"strings"
	"testing"
)

// A token carries its hub's pin in the same groups, survives being typed in lower
// case with spaces, and a token without one still reads as a token.
func TestTokenWithPin(t *testing.T) {
	fp := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	plain := "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
	with := TokenWithPin(plain, fp)
	if strings.Count(with, "-") != 11 {
		t.Fatalf("token with pin: %q", with)
	}
	for _, typed := range []string{with, strings.ToLower(with), strings.ReplaceAll(with, "-", " ")} {
		tok, pin := SplitToken(typed)
		if tok != NormalizeToken(plain) || !PinMatches(fp, pin) || len(pin) != PinPrefixLen {
			t.Errorf("%q: token %q pin %q", typed, tok, pin)
		}
	}
	if tok, pin := SplitToken(plain); tok != plain || pin != "" {
		t.Errorf("a token without pin: %q %q", tok, pin)
	}
	if TokenWithPin(plain, "") != plain || TokenWithPin(plain, "zz") != plain {
		t.Error("no fingerprint, or a malformed one, still changed the token")
	}
	other := "0f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	_, pin := SplitToken(with)
	for _, c := range []struct {
		fp, pin string
		want    bool
	}{{fp, fp, true}, {fp, strings.ToUpper(fp), true}, {other, pin, false}, {fp, pin[:10], false}, {fp, "", false}} {
		if got := PinMatches(c.fp, c.pin); got != c.want {
			t.Errorf("PinMatches(%.8s…, %q) = %v", c.fp, c.pin, got)
		}
	}
}
