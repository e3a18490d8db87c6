package indexer

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/gongkai-project/gongkai/store"
)

// TestPrunedQuestionsMatchFull checks the pruned question scorer against
// the full one on the DEV questions: the same page (documents, order and
// scores) and the same total, for pages 1 and 3, on an index of several
// segments with deleted and outdated documents, with the terms' bounds per
// segment read afresh and from the cache, and bounded per block of 16
// documents (blockmax.go) afresh and from a cache; and on such an index
// where a third of the documents hold their text in an attachment.
func TestPrunedQuestionsMatchFull(t *testing.T) {
	docs, questions := comparedSample(t)
	t.Run("pages", func(t *testing.T) { prunedMatchFull(t, docs, questions, 300) })
	att, least := questions[:200], 180
	if testing.Short() { // -race -short in make test
		att, least = questions[:50], 40
	}
	t.Run("attachments", func(t *testing.T) { prunedMatchFull(t, notices(docs), att, least) })
}

// prunedMatchFull runs TestPrunedQuestionsMatchFull on docs, failing when
// fewer than least questions were checked.
func prunedMatchFull(t *testing.T, docs []*store.Document, questions []string, least int) {
	ix, stats := comparedEnv(t, docs)
	run := func(q query.Query, size, from int) *bleve.SearchResult {
		return byScore(t, ix, stats, bleve.NewSearchRequestOptions(q, size, from, false))
	}
	question := func(p *plan) *questionQuery {
		q := p.question(stats)
		q.bm25, q.outdated = ix.bm25, ix.outdated
		return q
	}
	checked, filtered := 0, 0
	filters := comparedFilters(docs)
	blocks := &segmentBounds{blockShift: 4} // 16 documents a block: blocksLeast blocks from segments of 241 documents
	for _, text := range questions {
		p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
		if p.isShort() || len(p.units) == 0 {
			continue
		}
		ix.bodyTerms(p)
		if ix.stats.sums[5] > 0 {
			p.attWeight = ix.attWeight
		}
		for _, from := range []int{0, 20} {
			full := run(demoted(question(p), ix.outdated), 10, from)
			caches := []*segmentBounds{&ix.bounds, blocks, new(segmentBounds), {blockShift: 4}}
			if testing.Short() { // -race -short in make test: the shared caches start afresh for each new term
				caches = caches[:2]
			}
			for _, cache := range caches {
				pq := question(p)
				pq.keep, pq.bounds = from+10, cache
				pruned := run(pq, 10, from)
				if pq.matched == nil || pq.matched.total != full.Total {
					t.Fatalf("%s: pruned total %v, full %d", text, pq.matched, full.Total)
				}
				if !identical(pruned.Hits, full.Hits) {
					t.Fatalf("%s, from %d: pruned page %v, full %v", text, from, describeHits(pruned.Hits), describeHits(full.Hits))
				}
			}
			for _, f := range filters {
				b := bleve.NewBooleanQuery() // as buildQuery filtered questions before they were pruned
				b.AddMust(demoted(question(p), ix.outdated))
				b.AddFilter(f)
				full := run(b, 10, from)
				pq := question(p)
				pq.keep, pq.bounds, pq.filter = from+10, &ix.bounds, f
				pruned := run(pq, 10, from)
				if pq.matched == nil || pq.matched.total != full.Total {
					t.Fatalf("%s, filtered: pruned total %v, full %d", text, pq.matched, full.Total)
				}
				if !identical(pruned.Hits, full.Hits) {
					t.Fatalf("%s, filtered, from %d: pruned page %v, full %v", text, from, describeHits(pruned.Hits), describeHits(full.Hits))
				}
				filtered += len(full.Hits)
			}
		}
		checked++
	}
	if checked < least {
		t.Errorf("only %d questions checked", checked)
	}
	if filtered < checked {
		t.Errorf("only %d hits of filtered pages compared for %d questions", filtered, checked)
	}
}

// comparedFilters returns two filters on docs as filterQuery builds them:
// their most frequent category, and that category published since their
// median date.
func comparedFilters(docs []*store.Document) []query.Query {
	counts := map[string]int{}
	var dates []time.Time
	for _, d := range docs {
		counts[d.Category]++
		dates = append(dates, d.Published)
	}
	var top string
	for c, n := range counts {
		if n > counts[top] || (n == counts[top] && c < top) {
			top = c
		}
	}
	slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
	return []query.Query{filterQuery(Query{Category: top}), filterQuery(Query{Category: top, From: dates[len(dates)/2]})}
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

// TestSampleDocsCountsEveryStep checks the sample of a large union, taken
// a word at a time, against every step-th document visited one by one, on
// segments with sparse, dense and run containers.
func TestSampleDocsCountsEveryStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	sizes := []uint64{70000, 3000, 200000}
	bms := make([]*roaring.Bitmap, len(sizes))
	for s, size := range sizes {
		bms[s] = roaring.New()
		for d := uint64(0); d < size; d++ {
			if (d < 65536 && rng.IntN(50) == 0) || (d >= 65536 && d < 140000 && rng.IntN(3) == 0) {
				bms[s].Add(uint32(d))
			}
		}
		if size > 150000 {
			bms[s].AddRange(150000, 170000)
			bms[s].RunOptimize()
		}
	}
	for _, step := range []uint64{1, 2, 7, 64, 1000} {
		var want []uint64
		var offset, i uint64
		for s, bm := range bms {
			it := bm.Iterator()
			for it.HasNext() {
				if d := it.Next(); i%step == 0 {
					want = append(want, offset+uint64(d))
				}
				i++
			}
			offset += sizes[s]
		}
		got := slices.Collect(sampleDocs(bms, sizes, step))
		if !slices.Equal(got, want) {
			t.Fatalf("step %d: %d documents, want %d (first difference at %d)", step, len(got), len(want), firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []uint64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestUnionMatchesFastOr checks the union of a question's postings bitmaps
// in a segment against roaring's FastOr, on bitmaps of every container kind
// (arrays, dense bitmaps, runs) across several 65,536-document blocks, the
// largest of them sparse in one block and dense in another.
func TestUnionMatchesFastOr(t *testing.T) {
	const docs = 3*65536 + 1000
	rng := rand.New(rand.NewPCG(19, 8))
	for round := range 20 {
		var pq prunedQuestion
		for range 1 + rng.IntN(12) {
			bm := roaring.New()
			switch rng.IntN(3) {
			case 0: // sparse: array containers
				for range rng.IntN(3000) {
					bm.Add(rng.Uint32N(docs))
				}
			case 1: // dense in one block, sparse in another: a bitmap and an array container
				for range 20000 {
					bm.Add(65536 + rng.Uint32N(65536))
				}
				bm.Add(rng.Uint32N(65536))
			default: // runs
				start := rng.Uint64N(docs - 5000)
				bm.AddRange(start, start+1+rng.Uint64N(5000))
				bm.RunOptimize()
			}
			pq.bms = append(pq.bms, bm)
		}
		want := roaring.FastOr(pq.bms...)
		if got := pq.union(docs); !got.Equals(want) {
			t.Fatalf("round %d: union of %d bitmaps has %d documents, FastOr %d", round, len(pq.bms), got.GetCardinality(), want.GetCardinality())
		}
		if got := pq.union(docs); !got.Equals(want) { // the dense words reused
			t.Fatalf("round %d: second union differs", round)
		}
	}
	var empty prunedQuestion
	empty.bms = []*roaring.Bitmap{roaring.New(), roaring.New()}
	if got := empty.union(100); !got.IsEmpty() {
		t.Errorf("union of empty bitmaps holds %d documents", got.GetCardinality())
	}
}

// searchUnmerged asks questions on e and returns the snapshot they were
// asked on: scorch merges segments in the background, and bounds read on
// segments merged away meanwhile are not in the snapshot after, so the
// questions are asked again (at most five times) until no merge happened
// while they ran.
func searchUnmerged(t *testing.T, e *testEnv, questions []string) *scorch.IndexSnapshot {
	t.Helper()
	for range 5 {
		before := segmentsOf(t, e.ix)
		for _, q := range questions {
			e.search(t, Query{Text: q})
		}
		after := snapshotOf(t, e.ix)
		if slices.Equal(before, segmentsIn(after)) {
			return after
		}
	}
	t.Fatal("the index was still merging after five rounds of questions")
	return nil
}

// segmentsOf returns the segments of ix's current snapshot, to tell
// whether a merge replaced some since (their identity is kept while the
// slice is held).
func segmentsOf(t *testing.T, ix *Index) []segment.Segment {
	t.Helper()
	snap := openSnapshot(t, ix.idx)
	defer snap.Close()
	return segmentsIn(snap)
}

// segmentsIn returns the segments of snap.
func segmentsIn(snap *scorch.IndexSnapshot) []segment.Segment {
	var segs []segment.Segment
	for _, s := range snap.Segments() {
		segs = append(segs, s.Segment())
	}
	return segs
}

// TestSegmentBoundsAreGreatest checks the greatest saturations the pruned
// questions kept (bounds.go) against the postings read through Bleve: for
// each term and segment, no posting saturates more, and one exactly as much
// (a bound too tight or too loose fails).
func TestSegmentBoundsAreGreatest(t *testing.T) {
	docs, questions := comparedSample(t)
	e := comparedTestEnv(t, notices(docs))
	ix := e.ix
	snap := searchUnmerged(t, e, questions[:60])
	checked, sats := 0, 0.0
	var offset uint64
	for _, seg := range snap.Segments() {
		for key, entry := range ix.bounds.segs[seg.Segment()] {
			qt := &qterm{k0: ix.bm25.k1 * (1 - ix.bm25.b), kLen: entry.kLen}
			if entry.k0 != qt.k0 {
				t.Fatalf("%q in %s: bound read with k0 %g, the index has %g", key.term, key.field, entry.k0, qt.k0)
			}
			tfr, err := snap.TermFieldReader(context.Background(), []byte(key.term), key.field, true, true, false)
			if err != nil {
				t.Fatal(err)
			}
			var greatest float64
			var td index.TermFieldDoc
			for {
				m, err := tfr.Next(&td)
				if err != nil {
					t.Fatal(err)
				}
				if m == nil {
					break
				}
				if d := m.ID.Value(); d >= offset && d < offset+uint64(seg.FullSize()) {
					greatest = max(greatest, qt.saturation(m.Freq, m.Norm))
				}
			}
			tfr.Close()
			if math.Abs(entry.sat-greatest) > 1e-12*greatest {
				t.Fatalf("%q in %s, segment at %d: bound %g, greatest saturation %g", key.term, key.field, offset, entry.sat, greatest)
			}
			checked++
			sats += entry.sat
		}
		offset += uint64(seg.FullSize())
	}
	if checked < 500 {
		t.Errorf("only %d bounds checked", checked)
	}
	t.Logf("%d bounds, on average %.3f of the term's weight", checked, sats/float64(checked))
}

// TestBlockMaximaAreGreatest checks every block maximum the pruned
// questions read (blocks of 16 documents) against the postings read through
// Bleve: no posting of the block saturates more, and the greatest rounds up
// to it (learning 255 × saturation instead of ⌊255 × saturation⌋ + 1 fails
// it); a block without postings is 0.
func TestBlockMaximaAreGreatest(t *testing.T) {
	docs, questions := comparedSample(t)
	e := comparedTestEnv(t, docs)
	ix := e.ix
	ix.bounds = segmentBounds{blockShift: 4}
	snap := searchUnmerged(t, e, questions[:40])
	checked, blocked := 0, 0
	var offset uint64
	for _, seg := range snap.Segments() {
		for key, entry := range ix.bounds.blocks[seg.Segment()] {
			qt := &qterm{k0: entry.k0, kLen: entry.kLen}
			tfr, err := snap.TermFieldReader(context.Background(), []byte(key.term), key.field, true, true, false)
			if err != nil {
				t.Fatal(err)
			}
			greatest := make([]float64, len(entry.max))
			var td index.TermFieldDoc
			for {
				m, err := tfr.Next(&td)
				if err != nil {
					t.Fatal(err)
				}
				if m == nil {
					break
				}
				if d := m.ID.Value(); d >= offset && d < offset+uint64(seg.FullSize()) {
					b := (d - offset) >> 4
					greatest[b] = max(greatest[b], qt.saturation(m.Freq, m.Norm))
				}
			}
			tfr.Close()
			for b, q := range entry.max {
				if g := greatest[b]; float64(q)/255 < g || (g == 0) != (q == 0) || (q > 0 && float64(q-1)/255 > g) {
					t.Fatalf("%q in %s, segment at %d, block %d: maximum %d/255, greatest saturation %g", key.term, key.field, offset, b, q, g)
				}
				checked++
			}
			blocked++
		}
		offset += uint64(seg.FullSize())
	}
	if blocked < 500 {
		t.Errorf("only %d terms' blocks checked", blocked)
	}
	t.Logf("%d blocks of %d terms", checked, blocked)
}

// TestBlockedQuestionsConcurrently runs pruned questions bounded per block
// (blocks of 16 documents) from four goroutines at once, each reading and
// caching block maxima in the shared cache (run with -race), and checks
// each page against the same question asked alone.
func TestBlockedQuestionsConcurrently(t *testing.T) {
	docs, questions := evalSample(t, 600)
	e := segmentedEnv(t, docs, 400, docs[100:120])
	questions = questions[:12]
	want := map[string][]string{}
	for _, q := range questions {
		want[q] = ids(e.search(t, Query{Text: q}))
	}
	e.ix.bounds = segmentBounds{blockShift: 4}
	searchFromGoroutines(t, e.ix, questions, want, 2)
	if len(e.ix.bounds.blocks) == 0 {
		t.Error("no block maxima read")
	}
}

// TestQuestionsConcurrently runs pruned questions from several goroutines
// at once (they share the cache of bounds; run with -race) and checks each
// page against the same question asked alone.
func TestQuestionsConcurrently(t *testing.T) {
	searchConcurrently(t, []string{"农村危房改造每户补助多少钱？", "怎么申请最低生活保障？", "城乡居民医疗保险每年缴费标准是多少？",
		"低保评议结果公示几天？", "政务公开工作有哪些意见？"}, false)
}

// searchConcurrently asks queries (all short, or all questions, as short
// says) alone, then from four goroutines at once with the shared bounds
// forgotten, and checks that every page equals the one asked alone.
func searchConcurrently(t *testing.T, queries []string, short bool) {
	t.Helper()
	e := newEnv(t, testDocs)
	want := map[string][]string{}
	for _, q := range queries {
		if p := e.ix.planQuery(e.ix.simplify(parseQuery(q)), e.ix.lex); p.isShort() != short {
			t.Fatalf("%s: planned as a short query %v, want %v", q, p.isShort(), short)
		}
		want[q] = ids(e.search(t, Query{Text: q}))
		if len(want[q]) == 0 {
			t.Fatalf("%s finds nothing", q)
		}
	}
	e.ix.bounds = segmentBounds{} // each goroutine's first queries learn the bounds again
	searchFromGoroutines(t, e.ix, queries, want, 3)
}

// searchFromGoroutines asks each of queries rounds times from each of four
// goroutines at once, and checks every page's ids against want.
func searchFromGoroutines(t *testing.T, ix *Index, queries []string, want map[string][]string, rounds int) {
	t.Helper()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range rounds * len(queries) {
				q := queries[(g+i)%len(queries)]
				res, err := ix.Search(context.Background(), Query{Text: q})
				if err != nil {
					t.Error(err)
					return
				}
				if got := ids(res); !slices.Equal(got, want[q]) {
					t.Errorf("%s: %v, alone %v", q, got, want[q])
				}
			}
		})
	}
	wg.Wait()
}
