package indexer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRebuildRemovesAbandonedGenerations leaves the folder of a rebuild that
// was killed before its switch, and checks the next rebuild removes it and
// that a second rebuild at the same time is refused.
func TestRebuildRemovesAbandonedGenerations(t *testing.T) {
	e := newEnv(t, testDocs)
	indexDir := filepath.Join(e.dir, "index")
	stray := filepath.Join(indexDir, "gen-20000101T000000.000000000")
	if err := os.MkdirAll(stray, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockRebuild(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ix.Rebuild(context.Background(), e.st, nil); err == nil || !strings.Contains(err.Error(), "another gongkai process") {
		t.Fatalf("rebuild while another holds the lock: %v", err)
	}
	unlock()
	res, err := e.ix.Rebuild(context.Background(), e.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Duration <= 0 {
		t.Errorf("rebuild duration %v not measured", res.Duration)
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Fatalf("abandoned generation still there: %v", err)
	}
	gens, _ := filepath.Glob(filepath.Join(indexDir, "gen-*"))
	if len(gens) != 1 {
		t.Fatalf("generations after rebuild: %v, want the live one only", gens)
	}
}
