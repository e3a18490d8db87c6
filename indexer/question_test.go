package indexer

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// questionReference is questionQuery's tree built of Bleve's own queries,
// which Bleve scores with its searchers: the reference the question scorer
// must agree with.
func questionReference(q *questionQuery) query.Query {
	match := func(g termGroup) query.Query { return matchField(g.text, g.field, g.boost) }
	title := match(q.title)
	ranked := bleve.NewBooleanQuery()
	ranked.AddMust(bleve.NewDisjunctionQuery(match(q.bodyBi), match(q.bodyWords)))
	ranked.AddShould(title)
	missed := bleve.NewDisjunctionQuery(title)
	var top query.Query = ranked
	if q.hasSynonyms() {
		sq := bleve.NewDisjunctionQuery(match(q.synTitle), match(q.synBody))
		b := bleve.NewBooleanQuery()
		b.AddMust(ranked)
		b.AddShould(sq)
		top = b
		missed.AddQuery(sq)
	}
	other := bleve.NewBooleanQuery()
	other.AddMust(missed)
	other.AddMustNot(match(q.bodyBi))
	ref := bleve.NewDisjunctionQuery(top, other)
	if !q.hasAttachments() {
		return ref
	}
	return bleveSum(ref, bleve.NewDisjunctionQuery(match(q.attBi), match(q.attWords)))
}

// bleveSum is sumQuery built of Bleve's queries, as it first was: every
// document matches one branch of two, so all are halved alike. (Under a
// conjunction Bleve's boolean searcher loses some should matches, sum.go;
// a question's tree is read with Next alone.)
func bleveSum(page, att query.Query) query.Query {
	both := bleve.NewBooleanQuery()
	both.AddMust(page)
	both.AddShould(att)
	only := bleve.NewBooleanQuery()
	only.AddMust(att)
	only.AddMustNot(page)
	return bleve.NewDisjunctionQuery(both, only)
}

// comparedEnv is the index the pruned-against-full tests compare on: docs in
// several segments with docs[300:340] deleted (a copy of the kept build,
// builds_test.go), checked to hold attachment text exactly when docs do,
// and its BM25 statistics.
func comparedEnv(t *testing.T, docs []*store.Document) (*Index, *search.BM25Stats) {
	t.Helper()
	ix := comparedTestEnv(t, docs).ix
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return ix, ix.stats.bm25Stats(n)
}

// comparedTestEnv is comparedEnv's env.
func comparedTestEnv(t *testing.T, docs []*store.Document) *testEnv {
	t.Helper()
	e := builds.env(t, "segmented 700, [300:340] removed", docs, func(t *testing.T) *testEnv { return segmentedEnv(t, docs, 700, docs[300:340]) })
	if n := len(snapshotOf(t, e.ix).Segments()); n < 2 {
		t.Fatalf("the compared index is in %d segment(s), not several", n)
	}
	holdsAttachments(t, e.ix, docs)
	return e
}

// comparedSample is the sample of ../shared/eval the compared tests index:
// the first 1,200 documents, every ninth one repealed (so outdated), and
// the DEV questions.
func comparedSample(t *testing.T) ([]*store.Document, []string) {
	t.Helper()
	docs, questions := evalSample(t, 1200)
	for i, d := range docs {
		if i%9 == 0 {
			d.Validity = store.ValidityRepealed
		}
	}
	return docs, questions
}

// holdsAttachments fails unless ix holds attachment text exactly when some
// of docs have attachments.
func holdsAttachments(t *testing.T, ix *Index, docs []*store.Document) {
	t.Helper()
	want := slices.ContainsFunc(docs, func(d *store.Document) bool { return len(d.Attachments) > 0 })
	if got := ix.stats.sums[5] > 0; got != want {
		t.Fatalf("the index holds attachment text: %v, want %v", got, want)
	}
}

// notices returns docs with the body of every third one (by position) moved
// into an extracted PDF attachment, as a one-line notice publishes it (the
// eval set of TestAttachmentWeightOnEval, chosen by position here).
func notices(docs []*store.Document) []*store.Document {
	out := make([]*store.Document, len(docs))
	for i, d := range docs {
		c := *d
		if i%3 == 0 {
			c.Body = "详见附件。"
			c.Attachments = []store.Attachment{{Name: "附件1.pdf", URL: "http://eval.example/" + d.ID + ".pdf", Type: "pdf",
				Bytes: int64(len(d.Body)), Pages: 1, State: store.AttachmentExtracted, Text: d.Body}}
		}
		out[i] = &c
	}
	return out
}

// evalCorpus is the corpus of ../shared/eval, read once per test binary (a
// read takes seconds under -race).
var evalCorpus struct {
	once sync.Once
	docs []*store.Document
	err  error
}

// evalSample returns copies of the first n documents and the DEV questions
// of ../shared/eval.
func evalSample(t *testing.T, n int) ([]*store.Document, []string) {
	t.Helper()
	dir := shareddata.Path(t, "eval")
	evalCorpus.once.Do(func() {
		evalCorpus.docs, evalCorpus.err = store.ReadJSONLFile(filepath.Join(dir, "corpus.jsonl.gz"))
	})
	if evalCorpus.err != nil {
		t.Fatal(evalCorpus.err)
	}
	docs := make([]*store.Document, min(n, len(evalCorpus.docs)))
	for i := range docs {
		c := *evalCorpus.docs[i]
		c.Attachments = slices.Clone(c.Attachments)
		docs[i] = &c
	}
	qs, err := os.ReadFile(filepath.Join(dir, "queries_dev.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var questions []string
	for line := range strings.Lines(string(qs)) {
		if cols := strings.Split(line, "\t"); len(cols) == 3 {
			questions = append(questions, cols[1])
		}
	}
	return docs, questions
}

// TestQuestionQueryMatchesBleve checks the question scorer against Bleve's
// searchers on the same tree: the same documents with the same scores, on
// an index of several segments with deleted documents; and pruned to a page,
// the same page, total and facets. With attachment text in the index, the
// tree is the sum of the page's and the attachments' (sumQuery).
func TestQuestionQueryMatchesBleve(t *testing.T) {
	docs, questions := evalSample(t, 700)
	t.Run("pages", func(t *testing.T) { questionsMatchBleve(t, docs, questions, 300) })
	att, least := questions[:150], 130
	if testing.Short() { // -race -short in make test
		att, least = questions[:50], 40
	}
	t.Run("attachments", func(t *testing.T) { questionsMatchBleve(t, notices(docs), att, least) })
}

// questionsMatchBleve runs TestQuestionQueryMatchesBleve on docs, failing
// when fewer than least questions were checked.
func questionsMatchBleve(t *testing.T, docs []*store.Document, questions []string, least int) {
	e := segmentedEnv(t, docs, 400, docs[100:130])
	ctx := context.Background()
	ix := e.ix
	holdsAttachments(t, ix, docs)
	ix.bm25 = bleveBM25 // the reference is scored with Bleve's own parameters
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	stats := ix.stats.bm25Stats(n)
	run := func(q query.Query, size int, facets bool) *bleve.SearchResult {
		if qq, ok := q.(*questionQuery); ok {
			qq.bm25 = bleveBM25
		}
		req := bleve.NewSearchRequestOptions(q, size, 0, false)
		if facets {
			req.AddFacet(fFacets, bleve.NewFacetRequest(fFacets, facetTerms))
		}
		return byScore(t, ix, stats, req)
	}
	checked := 0
	for _, text := range questions {
		p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
		if p.isShort() || len(p.units) == 0 {
			continue
		}
		ix.bodyTerms(p)
		if ix.stats.sums[5] > 0 {
			p.attWeight = ix.attWeight
		}
		want := run(questionReference(p.question(stats)), 50, true)
		got := run(p.question(stats), 50, false)
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%s: %d hits (%d shown), Bleve %d (%d)", text, got.Total, len(got.Hits), want.Total, len(want.Hits))
		}
		sameHits(t, text, got.Hits, want.Hits, 0)
		pruned := p.question(stats)
		pruned.keep, pruned.facets = 10, &ix.facetCols
		sameHits(t, text+" (pruned)", run(pruned, 10, false).Hits, want.Hits, 0)
		if pruned.matched.total != want.Total {
			t.Fatalf("%s: pruned total %d, Bleve %d", text, pruned.matched.total, want.Total)
		}
		if f := facets(want.Facets); !reflect.DeepEqual(pruned.matched.facets, f) {
			t.Fatalf("%s: pruned facets %v, Bleve %v", text, pruned.matched.facets, f)
		}
		if len(p.phrases)+len(p.excludes)+len(p.docNums) == 0 { // Search prunes it too: the second page
			res, err := ix.Search(ctx, Query{Text: text, Offset: 10, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			page := matchesOf(res)
			if res.Total != want.Total || len(page) != 10 {
				t.Fatalf("%s: Search page 2 has %d of %d hits, Bleve %d", text, len(page), res.Total, want.Total)
			}
			sameHits(t, text+" (page 2)", page, want.Hits, 10)
		}
		if checked%20 == 0 && len(p.phrases)+len(p.excludes)+len(p.docNums) == 0 { // not pruned: the filter is Bleve's
			res, err := ix.Search(ctx, Query{Text: text, Channel: "laws", NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			ref := bleve.NewBooleanQuery()
			ref.AddMust(questionReference(p.question(stats)))
			ref.AddFilter(termField("laws", fChannel, 1))
			w := run(ref, 10, false)
			if res.Total != w.Total || len(res.Hits) != len(w.Hits) {
				t.Fatalf("%s in laws: %d hits (%d shown), Bleve %d (%d)", text, res.Total, len(res.Hits), w.Total, len(w.Hits))
			}
			sameHits(t, text+" (in laws)", matchesOf(res), w.Hits, 0)
		}
		checked++
	}
	if checked < least {
		t.Errorf("only %d questions checked", checked)
	}
}

// matchesOf returns the ids and scores of res's hits.
func matchesOf(res *Result) search.DocumentMatchCollection {
	var out search.DocumentMatchCollection
	for _, h := range res.Hits {
		out = append(out, &search.DocumentMatch{ID: h.ID, Score: h.Score})
	}
	return out
}

// sameHits fails unless got has the scores of want from its hit from on, in
// the same order within float rounding, and the same documents except among
// tied scores.
func sameHits(t *testing.T, text string, got, want search.DocumentMatchCollection, from int) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Abs(b) }
	for i, h := range got {
		w := want[from+i]
		// Documents of equal score may come in either order; a tie that
		// reaches past the end of want may bring in one want does not hold.
		tied := slices.ContainsFunc(want, func(o *search.DocumentMatch) bool { return o.ID == h.ID && near(o.Score, w.Score) }) ||
			near(want[len(want)-1].Score, w.Score)
		if !near(h.Score, w.Score) || (h.ID != w.ID && !tied) {
			t.Fatalf("%s: hit %d is %s (%.12g), Bleve %s (%.12g)", text, from+i, h.ID, h.Score, w.ID, w.Score)
		}
	}
}

// TestQuestionQueryEdgeCases compares the question scorer with Bleve's
// searchers on repeated words, words no document holds, Latin letters and
// digits, and an empty index.
func TestQuestionQueryEdgeCases(t *testing.T) {
	ctx := context.Background()
	for _, docs := range [][]*store.Document{testDocs, nil} {
		e := newEnv(t, docs)
		e.ix.bm25 = bleveBM25 // the reference is scored with Bleve's own parameters
		n, err := e.ix.DocCount()
		if err != nil {
			t.Fatal(err)
		}
		stats := e.ix.stats.bm25Stats(n)
		run := func(q query.Query) *bleve.SearchResult {
			if qq, ok := q.(*questionQuery); ok {
				qq.bm25 = bleveBM25
			}
			return byScore(t, e.ix, stats, bleve.NewSearchRequestOptions(q, 10, 0, false))
		}
		for _, text := range []string{
			"危房改造危房改造危房改造的补助标准是多少？",
			"低保低保低保低保怎么申请最低生活保障？",
			"量子计算机芯片的制造工艺是怎样的？",
			"2017年城乡居民医保每人每年缴费180元吗？",
			"COVID-19 疫情期间政务公开工作如何开展？",
		} {
			p := e.ix.planQuery(e.ix.simplify(parseQuery(text)), e.ix.lex)
			if p.isShort() {
				t.Fatalf("%s: planned as a short query", text)
			}
			e.ix.bodyTerms(p)
			want := run(questionReference(p.question(stats)))
			got := run(p.question(stats))
			if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
				t.Fatalf("%s (%d docs): %d hits, Bleve %d", text, len(docs), got.Total, want.Total)
			}
			sameHits(t, text, got.Hits, want.Hits, 0)
			res, err := e.ix.Search(ctx, Query{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != want.Total {
				t.Fatalf("%s (%d docs): Search %d hits, Bleve %d", text, len(docs), res.Total, want.Total)
			}
		}
	}
}
