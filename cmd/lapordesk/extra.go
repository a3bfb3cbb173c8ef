package main

import (
	"github.com/google/uuid"

	"github.com/lapordesk/lapordesk"
)

// extraCommands collects the subcommands of the features beyond the core (sync,
// letters, exchange), each defined in its own file.
func extraCommands() map[string]command {
	out := map[string]command{}
	for _, group := range []map[string]command{letterCommands(), syncCommands(), exchangeCommands()} {
		for name, c := range group {
			out[name] = c
		}
	}
	return out
}

func parseUUID(field, s string) (uuid.UUID, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return u, &lapordesk.FieldError{Field: field, Problem: lapordesk.ProblemFormat, Value: s}
	}
	return u, nil
}
