// Package shareddata finds the team's shared test data (../shared beside the
// module root: real pages with answer keys, the evaluation corpus) for tests,
// which skip with a clear message when it is absent.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// ModuleRoot returns the folder holding go.mod above the working directory,
// or skips the test when there is none.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// Path returns ../shared/sub (sub may be "") beside the module root, or skips
// the test when it does not exist.
func Path(tb testing.TB, sub string) string {
	tb.Helper()
	p := filepath.Join(ModuleRoot(tb), "..", "shared", sub)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared test data ../shared/%s is absent (%v): skipping", sub, err)
	}
	return p
}
