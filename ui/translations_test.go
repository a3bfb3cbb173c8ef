package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lapordesk/lapordesk"
	"github.com/lapordesk/lapordesk/assets"
)

// Every key the window asks for exists in Indonesian and in English, and the two
// languages hold the same keys.
func TestEveryWordIsTranslated(t *testing.T) {
	id, err := assets.Translation("id")
	if err != nil {
		t.Fatal(err)
	}
	en, err := assets.Translation("en")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	literal := regexp.MustCompile(`i18n\.(?:T|Tf)\("([a-z0-9_.\-]+)"`)
	field := regexp.MustCompile(`i18n\.Field\("([a-z0-9_]+)"`)
	keys := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix, completed below
				keys[m[1]] = true
			}
		}
		for _, m := range field.FindAllStringSubmatch(string(b), -1) {
			keys["field."+m[1]] = true
		}
	}
	// Keys built from a prefix and a value.
	for _, a := range []lapordesk.Action{lapordesk.ActPostpone, lapordesk.ActReturn, lapordesk.ActClose, lapordesk.ActReopen, lapordesk.ActArchive} {
		keys["ui.form.reason_hint."+string(a)] = true
	}
	for _, a := range []lapordesk.Action{lapordesk.ActRespond, lapordesk.ActReply, lapordesk.ActNote, lapordesk.ActFollowUp} {
		keys["ui.form.text."+string(a)] = true
		keys["ui.form.text_hint."+string(a)] = true
	}
	for _, k := range cardKeys {
		keys["ui.recap.card."+k] = true
	}
	for _, r := range []lapordesk.Role{lapordesk.RoleUnit, lapordesk.RoleCoordinator} {
		keys["ui.role."+string(r)] = true
	}
	for _, f := range slaFields {
		keys["field."+f] = true
	}
	var missing []string
	for k := range keys {
		if _, ok := id[k]; !ok {
			missing = append(missing, "id:"+k)
		}
		if _, ok := en[k]; !ok {
			missing = append(missing, "en:"+k)
		}
	}
	for k := range id {
		if _, ok := en[k]; !ok {
			missing = append(missing, "en:"+k)
		}
	}
	for k := range en {
		if _, ok := id[k]; !ok {
			missing = append(missing, "id:"+k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("untranslated: %v", missing)
	}
	if len(keys) < 150 {
		t.Fatalf("found only %d keys in the sources: the scan is broken", len(keys))
	}
}
