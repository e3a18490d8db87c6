package indexer

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/store"
)

// TestPhraseQuestionsMatchFull checks that a question with a quoted phrase,
// its terms scored only in the documents that can hold the phrase, gives
// the page (documents, order, scores) and total of the question scored in
// all documents: the DEV questions with phrases, pages 1 and 3, on an index
// of several segments with deleted and outdated documents, without and
// with attachment text.
func TestPhraseQuestionsMatchFull(t *testing.T) {
	docs, questions := comparedSample(t)
	least := 20
	if testing.Short() { // -race -short in make test
		questions, least = questions[:150], 5
	}
	t.Run("pages", func(t *testing.T) { phraseMatchFull(t, docs, questions, least) })
	if !testing.Short() {
		t.Run("attachments", func(t *testing.T) { phraseMatchFull(t, notices(docs), questions, least) })
	}
}

// phraseMatchFull runs TestPhraseQuestionsMatchFull on docs, failing when
// fewer than least questions with phrases were checked (half of them with
// hits).
func phraseMatchFull(t *testing.T, docs []*store.Document, questions []string, least int) {
	ix, stats := comparedEnv(t, docs)
	ctx := context.Background()
	run := func(text string, p *plan, from int, within bool) *bleve.SearchResult {
		bq, pruned, err := ix.buildQuery(ctx, Query{Text: text, Offset: from}, p, false, stats)
		if err != nil {
			t.Fatal(err)
		}
		qq := questionIn(bq)
		if pruned != nil || qq == nil || qq.within == nil {
			t.Fatalf("%s: no question scored within its phrases in %T", text, bq)
		}
		if !within {
			qq.within = nil
		}
		scored, err := ix.bm25.rewrite(ix.singleTermPhrases(bq))
		if err != nil {
			t.Fatal(err)
		}
		return byScore(t, ix, stats, bleve.NewSearchRequestOptions(demoted(scored, ix.outdated), 10, from, false))
	}
	checked, found := 0, 0
	for _, text := range questions {
		p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
		if p.isShort() || len(p.units) == 0 || len(p.phrases) == 0 {
			continue
		}
		for _, from := range []int{0, 20} {
			full, within := run(text, p, from, false), run(text, p, from, true)
			if within.Total != full.Total || !identical(within.Hits, full.Hits) {
				t.Fatalf("%s, from %d: within the phrases %d %v, full %d %v", text, from, within.Total, describeHits(within.Hits), full.Total, describeHits(full.Hits))
			}
			if from == 0 && len(full.Hits) > 0 {
				found++
			}
		}
		checked++
	}
	t.Logf("%d questions with phrases checked, %d with hits", checked, found)
	if checked < least || found < least/2 {
		t.Errorf("only %d questions with phrases checked, %d with hits", checked, found)
	}
}

// questionIn returns the question query in q's tree, or nil.
func questionIn(q query.Query) *questionQuery {
	switch x := q.(type) {
	case *questionQuery:
		return x
	case *query.BooleanQuery:
		for _, c := range []query.Query{x.Must, x.Should} {
			if qq := questionIn(c); qq != nil {
				return qq
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range x.Conjuncts {
			if qq := questionIn(c); qq != nil {
				return qq
			}
		}
	case *query.DisjunctionQuery:
		for _, c := range x.Disjuncts {
			if qq := questionIn(c); qq != nil {
				return qq
			}
		}
	}
	return nil
}
