package indexer

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// Memory budget of TestBuildWithinBudget and the margin its peak resident
// set may exceed it by: Go's limit is soft (the collector may run a little
// over it), and memory maps of the index files, thread stacks and the
// runtime's own structures are outside the Go heap.
const (
	testBudgetMB = config.MinMemoryMB
	testMarginMB = 128
)

// budgetChildEnv names, in the child process, the data folder to index.
const budgetChildEnv = "GONGKAI_BUDGET_CHILD_DATA"

// TestBuildWithinBudget builds the index of 1,000 documents of
// ../shared/eval (about 15 MB of text, ten batches) in a child process
// configured with the smallest memory budget, as `gongkai index` does, and
// checks the child's peak resident set (its own VmHWM) against the budget and
// the margin. The merges during the load are held to segments of 250
// documents, so that the final merge, which makes one segment of all 1,000,
// is part of what is measured.
func TestBuildWithinBudget(t *testing.T) {
	if data := os.Getenv(budgetChildEnv); data != "" {
		buildInChild(t, data)
		return
	}
	if testing.Short() {
		t.Skip("indexes 15 MB of text in a child process")
	}
	corpus := filepath.Join(shareddata.Path(t, "eval"), "corpus.jsonl.gz")
	data := t.TempDir()
	docs, err := store.ReadJSONLFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(data, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	var text int
	for _, d := range docs[:1000] {
		text += len(d.Title) + len(d.Body)
	}
	if _, err := st.UpsertBatch(context.Background(), docs[:1000]); err != nil {
		t.Fatal(err)
	}
	st.Close()
	docs = nil

	cmd := exec.Command(os.Args[0], "-test.run=^TestBuildWithinBudget$", "-test.v")
	cmd.Env = append(os.Environ(), budgetChildEnv+"="+data, "GOMEMLIMIT=", "GOGC=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child build: %v\n%s", err, out)
	}
	// The child reports its own high-water mark: getrusage's ru_maxrss of
	// an exec'd child also counts the parent's resident set at the moment
	// of the fork, which made this test measure the test binary itself.
	var peakKB int
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "VmHWM:"); ok {
			peakKB, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	if peakKB == 0 {
		t.Skipf("the child reported no VmHWM (no /proc on this system?):\n%s", out)
	}
	peakMB := float64(peakKB) / 1024
	t.Logf("%.1f MB of text indexed with search.memory_mb %d: peak RSS %.0f MB (limit %d + %d MB)\n%s",
		float64(text)/(1<<20), testBudgetMB, peakMB, testBudgetMB, testMarginMB, out)
	if peakMB > testBudgetMB+testMarginMB {
		t.Fatalf("peak RSS %.0f MB over the budget of %d MB + %d MB", peakMB, testBudgetMB, testMarginMB)
	}
}

// buildInChild indexes the store in data as `gongkai index` does, under
// the test budget.
func buildInChild(t *testing.T, data string) {
	cfg := config.Default()
	cfg.Search.MemoryMB = testBudgetMB
	SetMemoryLimit(cfg.Search.MemoryMB, os.Getenv)
	st, err := store.Open(filepath.Join(data, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := OpenOrCreate(filepath.Join(data, "index"), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.mem.maxSegmentDocs = 250 // below the final merge's bound, as for a large archive
	res, err := ix.Sync(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	segs := "?"
	if adv, err := ix.idx.Advanced(); err == nil {
		if s, ok := adv.(*scorch.Scorch); ok {
			segs = strconv.FormatUint(rootSegments(s), 10)
		}
	}
	fmt.Printf("indexed %d documents (%d MB of text) into %s segments\n", res.Docs, res.Bytes>>20, segs)
	if res.Docs != 1000 {
		t.Fatalf("indexed %d documents, want 1000", res.Docs)
	}
	if segs != "1" {
		t.Fatalf("%s segments after the build, want 1 (the final merge is bounded by %d documents)", segs, ix.mem.finalSegmentDocs)
	}
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				fmt.Println(line)
			}
		}
	}
}

// TestPlanFinalMergeBound pins the bound of the merge that ends a full
// build as README.md (memory_mb) and docs/DESIGN-NOTES.md state it: a
// quarter of the budget at 256 bytes a document, 524,288 documents at
// 512 MB and 393,216 at the minimum 384, never below the load's cap.
func TestPlanFinalMergeBound(t *testing.T) {
	for _, c := range []struct {
		mb   int
		want int64
	}{{512, 524288}, {384, 393216}, {0, 524288}} {
		p := planFor(c.mb)
		if p.finalSegmentDocs != c.want || p.finalSegmentDocs < p.maxSegmentDocs {
			t.Errorf("planFor(%d): final merge segments of %d documents (load cap %d), want %d", c.mb, p.finalSegmentDocs, p.maxSegmentDocs, c.want)
		}
	}
}
