// Package shareddata finds the team's shared test data (../shared beside the
// module root: real pages with answer keys, the evaluation corpus) for tests,
// which skip with a clear message when it is absent.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns ../shared/sub (sub may be "") beside the module root, or skips
// the test when it does not exist.
func Path(tb testing.TB, sub string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found above the test directory: cannot locate ../shared")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", sub)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared test data ../shared/%s is absent (%v): skipping", sub, err)
	}
	return p
}
