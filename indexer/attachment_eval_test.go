package indexer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/bench"
	"github.com/gongkai-project/gongkai/store"
)

// TestAttachmentWeightOnEval measures the weight of attachment text on
// ../shared/eval made into one-line notices: a third of the documents
// (chosen by a hash of their id) keep their title and the body 详见附件,
// their text moving into an extracted PDF attachment, as many township
// items are published. Queries whose document moved measure how well an
// attachment is found; the others measure how much the attachments, now
// distractors, disturb them. Both are compared with the corpus as it is
// (judgement lines are split by their document: a query with several
// relevant documents may fall in both parts). RANKING.md ("Attachments")
// gives the figures.
func TestAttachmentWeightOnEval(t *testing.T) {
	eval, docs := fullBenchCorpus(t, "indexes the eval corpus twice (several minutes on a shared machine)")
	notices, moved := bench.Notices(docs)
	asIs := indexOf(t, docs)
	asNotices := indexOf(t, notices)
	for _, set := range []string{"queries_dev.tsv", "queries_short_dev.tsv"} {
		qs, err := bench.LoadQueries(filepath.Join(eval, set))
		if err != nil {
			t.Fatal(err)
		}
		var in, out []bench.Judgement
		for _, q := range qs {
			if moved[q.DocID] {
				in = append(in, q)
			} else {
				out = append(out, q)
			}
		}
		refIn, refOut := mrr(t, asIs, in), mrr(t, asIs, out)
		t.Logf("%s as is: moved %d queries MRR@10 %.4f, others %d %.4f", set, len(in), refIn, len(out), refOut)
		for _, w := range []float64{0.25, 0.5, 1} {
			indexer.SetAttachmentWeight(asNotices, w)
			mIn, mOut := mrr(t, asNotices, in), mrr(t, asNotices, out)
			t.Logf("%s weight %.2f: moved %.4f, others %.4f", set, w, mIn, mOut)
			if w == indexer.AttachmentWeight && (mOut < refOut-0.03 || mIn < refIn-0.06) {
				t.Errorf("%s at weight %.2f: others %.4f (as is %.4f), moved %.4f (as is %.4f)", set, w, mOut, refOut, mIn, refIn)
			}
		}
	}
}

// indexOf stores and indexes docs in a temporary folder.
func indexOf(t *testing.T, docs []*store.Document) *indexer.Index {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := bench.StoreCorpus(ctx, filepath.Join(dir, "gongkai.db"), docs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := indexer.Create(filepath.Join(dir, "index"), config.Default(), st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	return ix
}

// mrr is the MRR@10 of qs on ix.
func mrr(t *testing.T, ix *indexer.Index, qs []bench.Judgement) float64 {
	t.Helper()
	m, err := bench.Evaluate(context.Background(), qs, func(ctx context.Context, q string) ([]string, error) {
		res, err := ix.Search(ctx, indexer.Query{Text: q, Limit: 10, NoFacets: true})
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m.MRR10
}
