package ui

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	benchStores.Lock()
	for _, s := range benchStores.stores {
		s.Close()
	}
	if benchStores.temp {
		os.RemoveAll(benchStores.dir)
	}
	benchStores.Unlock()
	os.Exit(code)
}
