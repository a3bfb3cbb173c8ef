package main

import (
	"context"
	"fmt"
)

// runGUI opens the window. Until the GUI lands, it explains the headless commands.
func runGUI(_ context.Context, e *env) error {
	usage(e.stdout)
	fmt.Fprintln(e.stdout, "\n(The window is not built yet: use the commands above.)")
	return nil
}
