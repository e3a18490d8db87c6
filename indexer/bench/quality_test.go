package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/config"
	"gongkai/indexer"
	"gongkai/internal/shareddata"
	"gongkai/store"
)

// evalDir returns ../shared/eval from the module root, or skips.
func evalDir(t testing.TB) string { return shareddata.Path(t, "eval") }

type evalFixture struct {
	docs []*store.Document
	qs   []Judgement
	ix   *indexer.Index
	st   *store.Store
	dir  string
	err  error
	took time.Duration
}

var (
	fixtureOnce sync.Once
	fixture     evalFixture
)

// evalIndex builds our index of the eval corpus once per test binary.
func evalIndex(t testing.TB) *evalFixture {
	eval := evalDir(t)
	fixtureOnce.Do(func() {
		f := &fixture
		if f.docs, f.err = store.ReadJSONLFile(filepath.Join(eval, "corpus.jsonl.gz")); f.err != nil {
			return
		}
		if f.qs, f.err = LoadQueries(filepath.Join(eval, "queries_dev.tsv")); f.err != nil {
			return
		}
		if f.dir, f.err = os.MkdirTemp("", "gongkai-eval-"); f.err != nil {
			return
		}
		if f.st, f.err = StoreCorpus(context.Background(), filepath.Join(f.dir, "gongkai.db"), f.docs); f.err != nil {
			return
		}
		if f.ix, f.err = indexer.Create(filepath.Join(f.dir, "index"), config.Default(), f.st); f.err != nil {
			return
		}
		start := time.Now()
		_, f.err = f.ix.IndexDocuments(context.Background(), f.docs, nil)
		f.took = time.Since(start)
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return &fixture
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.ix != nil {
		fixture.ix.Close()
	}
	if fixture.st != nil {
		fixture.st.Close()
	}
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func TestQualityOnEvalDev(t *testing.T) {
	f := evalIndex(t)
	m, err := Evaluate(context.Background(), f.qs, ourSearch(f.ix))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ours: MRR@10 %.4f R@1 %.4f R@10 %.4f zero-hit %d (indexing %v)", m.MRR10, m.R1, m.R10, m.ZeroHit, f.took)
	if m.MRR10 < 0.85 {
		t.Errorf("MRR@10 = %.4f, want >= 0.85", m.MRR10)
	}
}

func TestRunBench(t *testing.T) {
	if os.Getenv("GONGKAI_FULL_BENCH") == "" {
		t.Skip("set GONGKAI_FULL_BENCH=1: the full bench indexes the corpus twice (several minutes)")
	}
	eval := evalDir(t)
	var out strings.Builder
	err := RunBench(context.Background(), BenchOptions{
		Corpus: filepath.Join(eval, "corpus.jsonl.gz"), Queries: filepath.Join(eval, "queries_dev.tsv"), TempDir: t.TempDir()}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, want := range []string{"MRR@10", "exact-phrase recall", "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench table lacks %q", want)
		}
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "exact-phrase recall") && !strings.HasSuffix(line, " 100.0%") {
			t.Errorf("exact-phrase recall is not 100%%: %s", line)
		}
	}
}
