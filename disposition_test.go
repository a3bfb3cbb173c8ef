package lapordesk

import (
	"reflect"
	"testing"
)

func TestInstructionChoices(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		own  []string
		want []string
	}{
		{"none", nil, DefaultInstructions()},
		{"only blanks", []string{"", "  "}, DefaultInstructions()},
		{"own, trimmed, repeats dropped", []string{" Segera ", "", "segera", "Arsip"}, []string{"Segera", "Arsip"}},
	} {
		if got := InstructionChoices(c.own); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// Every default is a valid instruction of a disposition command.
	cmd := Command{Action: ActDispose, ToUnit: "DINKES", Unit: "DISKOMINFO", Instructions: DefaultInstructions()}
	if err := cmd.Validate(); err != nil {
		t.Errorf("defaults are not valid instructions: %v", err)
	}
	// The caller may change the list it gets without changing the defaults.
	d := DefaultInstructions()
	d[0] = "x"
	if DefaultInstructions()[0] == "x" {
		t.Error("DefaultInstructions shares its slice")
	}
}
