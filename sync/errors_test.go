package sync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk/assets"
	"github.com/lapordesk/lapordesk/i18n"
	lsync "github.com/lapordesk/lapordesk/sync"
)

// Every error sync can return reads as a sentence in both languages, and the
// words the CLI and GUI look up by name exist in both.
func TestEveryMessageIsTranslated(t *testing.T) {
	errs := []error{
		lsync.ErrNotEnrolled, lsync.ErrTraining, lsync.ErrNotSetUp, lsync.ErrBusy, lsync.ErrAlreadyEnrolled, lsync.ErrOtherHub,
		&lsync.OtherUnitError{Token: "PUPR", Desk: "DINKES"}, &lsync.NetError{Err: errors.New("x")}, &lsync.CertError{Err: errors.New("x")},
		&lsync.ProtocolError{Msg: "x"}, &lsync.HubError{Status: 401, Code: "token_used"}, &lsync.HubError{Status: 401, Code: "token_expired"},
		&lsync.HubError{Status: 401}, &lsync.HubError{Status: 426}, &lsync.HubError{Status: 503}, &lsync.HubError{Status: 422, Message: "x"},
		fmt.Errorf("sync (push): %w", &lsync.NetError{Err: context.DeadlineExceeded}),
		&lsync.CertError{Err: &lsync.PinError{Want: "ab12", Got: "cd34"}}, &lsync.PlainHTTPError{Host: "192.168.1.10:8080"},
	}
	for _, lang := range assets.Languages {
		if err := i18n.Use(lang); err != nil {
			t.Fatal(err)
		}
		for _, err := range errs {
			msg := lsync.Describe(err)
			if msg == "" || strings.HasPrefix(msg, "sync.") || strings.HasPrefix(msg, "cli.") {
				t.Errorf("%s: %T reads %q", lang, err, msg)
			}
			var pe *lsync.PinError
			if errors.As(err, &pe) && (!strings.Contains(msg, pe.Got) || !strings.Contains(msg, pe.Want)) {
				t.Errorf("%s: a pin failure that does not name both fingerprints: %q", lang, msg)
			}
		}
		table, _ := assets.Translation(lang)
		var keys []string
		for _, p := range []lsync.Phase{lsync.PhaseConnect, lsync.PhaseRefData, lsync.PhasePush, lsync.PhaseUpload, lsync.PhasePull, lsync.PhaseDownload, lsync.PhaseDone} {
			keys = append(keys, "sync.phase."+string(p))
		}
		keys = append(keys, "sync.role.unit", "sync.role.coordinator", "sync.state.online", "sync.state.offline", "sync.state.syncing", "sync.state.not_enrolled")
		for _, k := range keys {
			if table[k] == "" {
				t.Errorf("%s: no %s", lang, k)
			}
		}
	}
	i18n.Use("")
}
