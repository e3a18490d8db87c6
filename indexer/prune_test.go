package indexer

import (
	"math"
	"strconv"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/store"
)

// TestPrunedQuestionsMatchFull checks the pruned question scorer against
// the full one on the DEV questions: the same page (documents, order and
// scores) and the same total, for pages 1 and 3, on an index
// of several segments with deleted and outdated documents.
func TestPrunedQuestionsMatchFull(t *testing.T) {
	docs, questions := evalSample(t, 1200)
	for i, d := range docs {
		if i%9 == 0 {
			d.Validity = store.ValidityRepealed
		}
	}
	e := segmentedEnv(t, docs, 700, docs[300:340])
	ix := e.ix
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	stats := ix.stats.bm25Stats(n)
	run := func(q query.Query, size, from int) *bleve.SearchResult {
		return byScore(t, ix, stats, bleve.NewSearchRequestOptions(q, size, from, false))
	}
	question := func(p *plan) *questionQuery {
		q := p.question(stats)
		q.bm25, q.outdated = ix.bm25, ix.outdated
		return q
	}
	checked := 0
	for _, text := range questions {
		p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
		if p.isShort() || len(p.units) == 0 {
			continue
		}
		ix.bodyTerms(p)
		for _, from := range []int{0, 20} {
			full := run(demoted(question(p), ix.outdated), 10, from)
			pq := question(p)
			pq.keep = from + 10
			pruned := run(pq, 10, from)
			if pq.matched == nil || pq.matched.total != full.Total {
				t.Fatalf("%s: pruned total %v, full %d", text, pq.matched, full.Total)
			}
			if !identical(pruned.Hits, full.Hits) {
				t.Fatalf("%s, from %d: pruned page %v, full %v", text, from, describeHits(pruned.Hits), describeHits(full.Hits))
			}
		}
		checked++
	}
	if checked < 300 {
		t.Errorf("only %d questions checked", checked)
	}
}

// identical says whether two pages hold the same documents in the same
// order with the same scores (to the last bits: an outdated document's score
// is multiplied by its weight before the query norm when pruned, after it
// when not).
func identical(a, b search.DocumentMatchCollection) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || math.Abs(a[i].Score-b[i].Score) > 1e-14*b[i].Score {
			return false
		}
	}
	return true
}

func describeHits(hs search.DocumentMatchCollection) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.ID+"="+strconv.FormatFloat(h.Score, 'g', -1, 64))
	}
	return out
}

// TestUnionDocsSamplesLargeSets checks that the documents a question's
// facets are counted on are all its matches up to facetsExact, and beyond
// it an evenly spaced sample of about facetsSample, numbered across
// segments.
func TestUnionDocsSamplesLargeSets(t *testing.T) {
	for _, n := range []uint64{100, facetsExact, 3 * facetsExact} {
		small, large := roaring.New(), roaring.New()
		small.AddRange(0, 10)
		large.AddRange(0, n-10)
		total := small.GetCardinality() + large.GetCardinality()
		docs, sampled := unionDocs([]*roaring.Bitmap{small, large}, []uint64{20, n}, total)
		var got []uint64
		for d := range docs {
			got = append(got, d)
		}
		if sampled != (total > facetsExact) {
			t.Errorf("%d documents: sampled %v", total, sampled)
		}
		if !sampled && (uint64(len(got)) != total || got[10] != 20 || got[len(got)-1] != 20+n-11) {
			t.Errorf("%d documents: %d yielded, the 11th %d, the last %d", total, len(got), got[10], got[len(got)-1])
		}
		if sampled && (len(got) < facetsSample || len(got) > facetsSample+10 || got[len(got)-1] < 20+n-20-total/facetsSample) {
			t.Errorf("%d documents: a sample of %d ending at %d", total, len(got), got[len(got)-1])
		}
	}
}
