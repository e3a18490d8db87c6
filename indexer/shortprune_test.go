package indexer

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// TestPrunedShortMatchesFull checks short queries pruned to their page
// (pruneShort) against the same queries scored in full by Bleve: the same
// page (documents, order, scores to the last bit, the stored fields read
// by loadStored), total and facets, for
// the title re-ranking's window (the first 100 hits) and a page after it,
// on every short DEV query and on substrings of titles, over an index of
// several segments with deleted and outdated documents, the terms' bounds
// learnt by the queries before (segmentBounds); and over such an
// index where a third of the documents hold their text in an attachment,
// so that each word is also looked up there (sumQuery).
func TestPrunedShortMatchesFull(t *testing.T) {
	docs, _ := comparedSample(t)
	texts := append(shortDevQueries(t), titleSubstrings(docs, 200)...)
	t.Run("pages", func(t *testing.T) { prunedShortMatchFull(t, docs, texts) })
	t.Run("attachments", func(t *testing.T) { prunedShortMatchFull(t, notices(docs), texts) })
}

// TestPrunedShortSkipsInOneSegment is TestPrunedShortMatchesFull on an
// index of one segment, where the matches that cannot reach the page are
// skipped within the segment (after its first chunk of candidates), and
// fails when none is.
func TestPrunedShortSkipsInOneSegment(t *testing.T) {
	docs, _ := comparedSample(t)
	ix := newEnv(t, docs).ix
	if n := len(snapshotOf(t, ix).Segments()); n != 1 {
		t.Fatalf("the test index has %d segments, not one", n)
	}
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	texts, least := append(shortDevQueries(t), titleSubstrings(docs, 200)...), 1000
	if testing.Short() { // -race -short in make test
		texts, least = append(shortDevQueries(t)[:100], titleSubstrings(docs, 40)...), 300
	}
	if skipped := comparePruned(t, ix, ix.stats.bm25Stats(n), texts, least); skipped == 0 {
		t.Error("no match was skipped in the one segment")
	}
}

// prunedShortMatchFull runs TestPrunedShortMatchesFull on docs.
func prunedShortMatchFull(t *testing.T, docs []*store.Document, texts []string) {
	ix, stats := comparedEnv(t, docs)
	comparePruned(t, ix, stats, texts, 1000)
}

// comparePruned compares the pages of the short queries texts, pruned and
// scored in full by Bleve, failing when fewer than least pages were checked
// or fewer than 9 in 10 of them took the pruned path; it returns the number
// of matches the pruned path skipped.
func comparePruned(t *testing.T, ix *Index, stats *search.BM25Stats, texts []string, least int) int {
	ctx := context.Background()
	skipped := 0
	hitFields := []string{fTitle, fURL, fPublished, fCategory, fChannel, fPublisher, fValidity}
	checked, pruned := 0, 0
	for _, text := range texts {
		p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
		if !p.isShort() || len(p.units) == 0 {
			continue
		}
		bq, _, err := ix.buildQuery(ctx, Query{}, p, true, stats)
		if err != nil {
			t.Fatal(err)
		}
		scored, err := ix.bm25.rewrite(ix.singleTermPhrases(bq))
		if err != nil {
			t.Fatal(err)
		}
		scored = demoted(scored, ix.outdated)
		for _, pg := range []struct{ from, size int }{{0, titleWindow}, {120, 10}, {0, 10}} {
			full, fast, fr, pr := comparedPage(t, ix, stats, scored, pg.from, pg.size, hitFields)
			if !sameBits(pr.Hits, fr.Hits) {
				t.Fatalf("%s, from %d: pruned page %v, full %v", text, pg.from, describeHits(pr.Hits), describeHits(fr.Hits))
			}
			for i, h := range pr.Hits {
				doc, err := internalDoc(h.IndexInternalID)
				if err != nil {
					t.Fatal(err)
				}
				if f, ok := fast.stored[doc]; !ok || !reflect.DeepEqual(f, fr.Hits[i].Fields) {
					t.Fatalf("%s, from %d: stored fields of %s read %v (%v), Bleve's %v", text, pg.from, h.ID, f, ok, fr.Hits[i].Fields)
				}
			}
			if fast.matched == nil || full.matched == nil || fast.matched.total != full.matched.total {
				t.Fatalf("%s: pruned total %v, full %v", text, fast.matched, full.matched)
			}
			if !reflect.DeepEqual(fast.matched.facets, full.matched.facets) {
				t.Fatalf("%s: pruned facets %v, full %v", text, fast.matched.facets, full.matched.facets)
			}
			if fast.pruned {
				pruned++
				skipped += fast.skipped
			} else if pg.from == 0 && pg.size == titleWindow {
				t.Logf("full path: %s", text)
			}
			checked++
		}
	}
	t.Logf("%d pages checked, %d pruned", checked, pruned)
	if checked < least {
		t.Errorf("only %d pages checked", checked)
	}
	if pruned < checked*9/10 {
		t.Errorf("only %d of %d pages pruned", pruned, checked)
	}
	t.Logf("%d matches skipped", skipped)
	return skipped
}

// comparedPage runs the page (from, size) of the short query scored both
// ways, in full by Bleve (full, fr) and pruned (fast, pr), the full one
// asking for fields; again, at most five times, while a background merge
// replaced segments between the two. A merge renumbers documents, and a
// query that falls back to Bleve's searchers (a disjunction of more than
// DisjunctionHeapTakeover clauses is a heap) has its clauses summed in an
// order that follows the numbering, so the same page can differ in the
// last bits of its scores across a merge.
func comparedPage(t *testing.T, ix *Index, stats *search.BM25Stats, scored query.Query, from, size int, fields []string) (full, fast *bestQuery, fr, pr *bleve.SearchResult) {
	t.Helper()
	for range 5 {
		before := segmentsOf(t, ix)
		full = &bestQuery{inner: scored, keep: from + size, facets: &ix.facetCols}
		fast = &bestQuery{inner: scored, keep: from + size, facets: &ix.facetCols, short: true, fields: fields, from: from, bounds: &ix.bounds}
		freq := bleve.NewSearchRequestOptions(full, size, from, false)
		freq.Fields = fields
		fr = byScore(t, ix, stats, freq)
		pr = byScore(t, ix, stats, bleve.NewSearchRequestOptions(fast, size, from, false))
		if slices.Equal(before, segmentsOf(t, ix)) {
			return full, fast, fr, pr
		}
	}
	t.Fatal("the index was still merging after five runs of a page")
	return nil, nil, nil, nil
}

// sameBits says whether two pages hold the same documents in the same
// order with the same scores to the last bit.
func sameBits(a, b search.DocumentMatchCollection) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Score != b[i].Score {
			return false
		}
	}
	return true
}

// shortDevQueries returns the texts of ../shared/eval/queries_short_dev.tsv.
func shortDevQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shareddata.Path(t, "eval"), "queries_short_dev.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		if cols := strings.Split(line, "\t"); len(cols) >= 2 && cols[1] != "" && !slices.Contains(out, cols[1]) {
			out = append(out, cols[1])
		}
	}
	return out
}

// titleSubstrings returns n substrings of 2-8 characters cut from the
// titles of docs at random, as the bench's title-substring queries are.
func titleSubstrings(docs []*store.Document, n int) []string {
	rng := rand.New(rand.NewPCG(3, 5))
	var qs []string
	for len(qs) < n {
		rs := []rune(docs[rng.IntN(len(docs))].Title)
		if len(rs) < 4 {
			continue
		}
		l := 2 + rng.IntN(min(7, len(rs)-1))
		i := rng.IntN(len(rs) - l + 1)
		qs = append(qs, string(rs[i:i+l]))
	}
	return qs
}

// TestShortQueriesConcurrently runs pruned short queries from several
// goroutines at once (they learn and read the bounds the questions share;
// run with -race) and checks each page against the same query asked alone.
func TestShortQueriesConcurrently(t *testing.T) {
	searchConcurrently(t, []string{"低保", "医疗救助", "政务公开", "危房改造", "最低生活保障"}, true)
}
