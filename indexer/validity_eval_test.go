package indexer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/bench"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// fullBenchCorpus returns the folder ../shared/eval and its corpus; it skips
// the test, saying why (what it costs), unless GONGKAI_FULL_BENCH is set.
func fullBenchCorpus(t *testing.T, why string) (string, []*store.Document) {
	t.Helper()
	if os.Getenv("GONGKAI_FULL_BENCH") == "" {
		t.Skip("set GONGKAI_FULL_BENCH=1: " + why)
	}
	eval := shareddata.Path(t, "eval")
	docs, err := store.ReadJSONLFile(filepath.Join(eval, "corpus.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	return eval, docs
}

// TestOutdatedWeightOnEval measures the demotion of outdated documents on
// ../shared/eval, stored and indexed as ingest does it (the repeal step marks
// the laws that later ones repeal): neither the DEV questions nor the short
// queries may rank worse with it than without it.
func TestOutdatedWeightOnEval(t *testing.T) {
	eval, docs := fullBenchCorpus(t, "indexes the eval corpus (about four minutes on a shared machine)")
	ctx := context.Background()
	dir := t.TempDir()
	st, err := bench.StoreCorpus(ctx, filepath.Join(dir, "gongkai.db"), docs)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rs, err := st.ApplyRepeals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Create(filepath.Join(dir, "index"), config.Default(), st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	search := func(ctx context.Context, q string) ([]string, error) {
		res, err := ix.Search(ctx, indexer.Query{Text: q, Limit: 10, NoFacets: true})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
	t.Logf("%d documents marked 已废止 by %d notices", rs.Marked, rs.Notices)
	for _, set := range []string{"queries_dev.tsv", "queries_short_dev.tsv"} {
		qs, err := bench.LoadQueries(filepath.Join(eval, set))
		if err != nil {
			t.Fatal(err)
		}
		var mrr []float64
		for _, w := range []float64{1, indexer.OutdatedWeight} {
			indexer.SetOutdatedWeight(ix, w)
			m, err := bench.Evaluate(ctx, qs, search)
			if err != nil {
				t.Fatal(err)
			}
			mrr = append(mrr, m.MRR10)
			t.Logf("%s, outdated weight %.1f: MRR@10 %.4f R@1 %.4f", set, w, m.MRR10, m.R1)
		}
		if mrr[1] < mrr[0] {
			t.Errorf("%s: MRR@10 %.4f with the demotion, %.4f without", set, mrr[1], mrr[0])
		}
	}
}
