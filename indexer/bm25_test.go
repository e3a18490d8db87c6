package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// bleveBM25 is the parameters Bleve's own searchers score with (read, never
// written: the references of the tests are Bleve's searchers as shipped).
var bleveBM25 = bm25{k1: search.BM25_k1, b: search.BM25_b}

// TestBM25RewriteMatchesBleve checks that the rewritten queries, scored with
// Bleve's parameters, find the documents Bleve's searchers find with the
// same scores: the short queries of ../shared/eval (phrases, bigrams, gse
// words, synonyms, lone characters with their prefix), questions with
// quoted phrases, and the related-documents query.
// byScore runs req on ix sorted by score, then id, with the BM25 statistics
// stats, as the tests comparing a scorer with Bleve's searchers need.
func byScore(t *testing.T, ix *Index, stats *search.BM25Stats, req *bleve.SearchRequest) *bleve.SearchResult {
	t.Helper()
	req.SortBy([]string{"-_score", "_id"})
	req.PreSearchData = map[string]interface{}{bm25Key: stats}
	sr, err := ix.idx.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return sr
}

func TestBM25RewriteMatchesBleve(t *testing.T) {
	docs, questions := evalSample(t, 700)
	e := newEnv(t, docs)
	ix := e.ix
	ix.bm25 = bleveBM25
	ctx := context.Background()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	stats := ix.stats.bm25Stats(n)
	run := func(q query.Query) *bleve.SearchResult {
		return byScore(t, ix, stats, bleve.NewSearchRequestOptions(q, 30, 0, false))
	}
	raw, err := os.ReadFile(filepath.Join(shareddata.Path(t, "eval"), "queries_short_dev.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var texts []string
	for line := range strings.Lines(string(raw)) {
		if cols := strings.Split(line, "\t"); len(cols) == 3 && !seen[cols[1]] {
			seen[cols[1]] = true
			texts = append(texts, cols[1])
		}
	}
	texts = append(texts, "低", "房 补助", `"危房改造" 补助`, "农村 -低保")
	for _, q := range questions[:60] {
		texts = append(texts, `"补助标准" `+q)
	}
	checked := 0
	for _, text := range texts {
		p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
		all := p.isShort()
		bq, _, err := ix.buildQuery(ctx, Query{Text: text, NoFacets: true}, p, all, stats)
		if err != nil {
			t.Fatal(err)
		}
		bq = ix.singleTermPhrases(bq)
		got, err := bleveBM25.rewrite(bq)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		want := run(bq) // a question inside is given Bleve's parameters by rewrite
		res := run(got)
		if res.Total != want.Total || len(res.Hits) != len(want.Hits) {
			t.Fatalf("%s: %d hits (%d shown), Bleve %d (%d)", text, res.Total, len(res.Hits), want.Total, len(want.Hits))
		}
		sameHits(t, text, res.Hits, want.Hits, 0)
		if want.Total > 0 {
			checked++
		}
	}
	if checked < 300 {
		t.Errorf("only %d queries with hits checked", checked)
	}
	rel := bleve.NewDisjunctionQuery(termField("补助", fTitle, 2), termField("补助", fBody, 1), prefixField("危", fTitleBi, 1))
	got, err := bleveBM25.rewrite(rel)
	if err != nil {
		t.Fatal(err)
	}
	res, want := run(got), run(rel)
	if res.Total != want.Total || want.Total == 0 {
		t.Fatalf("term and prefix: %d hits, Bleve %d", res.Total, want.Total)
	}
	sameHits(t, "term and prefix", res.Hits, want.Hits, 0)
}

// TestBM25PerIndex checks that two indexes of one process score with their
// own parameters at the same time: k1 changes the scores of one and not
// the other's.
func TestBM25PerIndex(t *testing.T) {
	a, b := newEnv(t, testDocs), newEnv(t, testDocs)
	b.ix.bm25 = bm25{k1: 0.5, b: 0.3}
	for _, text := range []string{"低保", "危房改造补助标准是多少"} {
		var wg sync.WaitGroup
		var ra, rb *Result
		var ea, eb error
		ctx := context.Background()
		wg.Go(func() { ra, ea = a.ix.Search(ctx, Query{Text: text}) })
		wg.Go(func() { rb, eb = b.ix.Search(ctx, Query{Text: text}) })
		wg.Wait()
		if ea != nil || eb != nil {
			t.Fatal(ea, eb)
		}
		if len(ra.Hits) == 0 || len(ra.Hits) != len(rb.Hits) {
			t.Fatalf("%s: %d and %d hits", text, len(ra.Hits), len(rb.Hits))
		}
		// a short query's scores are divided by its best (rerankByTitle):
		// k1 shows in the scores of the others
		if slices.EqualFunc(ra.Hits, rb.Hits, func(x, y Hit) bool { return x.Score == y.Score }) {
			t.Errorf("%s: the same scores %v with k1 %g and %g", text, ra.Hits, a.ix.bm25.k1, b.ix.bm25.k1)
		}
		if again := a.search(t, Query{Text: text}); again.Hits[0].Score != ra.Hits[0].Score {
			t.Errorf("%s: top score %g, then %g", text, ra.Hits[0].Score, again.Hits[0].Score)
		}
	}
}
