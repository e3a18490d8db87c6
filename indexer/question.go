package indexer

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A question ranks nearly every document: each holds some of its twenty or
// so terms. Bleve's searchers merge the postings of all terms document by
// document through a heap, ≈ 7 CPU-ms a question on ../shared/eval. The
// questionQuery below computes the same scores term by term into arrays
// indexed by document number (≈ 1 ms); a question nothing filters is
// pruned to the documents that make the page (prune.go). RANKING.md gives
// the measurements.

// termGroup is one analysed text in one field, as Bleve's match query (OR)
// makes it: a disjunction of one term query per token (repeated tokens
// included), whose score is scaled by the share of the tokens a document
// holds.
type termGroup struct {
	field string
	text  string
	boost float64
}

// questionQuery is a Bleve query that scores a question exactly as this
// tree of Bleve queries would, within float rounding (questionReference in
// the tests builds the tree, and TestQuestionQueryMatchesBleve compares):
//
//	disjunction(
//	  boolean(must: boolean(must: disjunction(bodyBi, bodyWords), should: title), should: synonyms),
//	  boolean(must: disjunction(title, synonyms), mustNot: bodyBi))
//
// where synonyms is disjunction(synTitle, synBody), and the synonyms
// clauses are left out when the question has none. When the index holds
// attachment text, that tree (Q) is summed with the question's body terms
// found in the attachments (A = disjunction(attBi, attWords)) as sumQuery
// sums them: disjunction(boolean(must: Q, should: A), boolean(must: A,
// mustNot: Q)).
type questionQuery struct {
	bodyBi, bodyWords, title termGroup
	synTitle, synBody        termGroup // text "" when the question has no synonyms
	attBi, attWords          termGroup // text "" when the index holds no attachment text
	stats                    *search.BM25Stats
	bm25                     bm25 // set by bm25.rewrite before the search runs

	// keep > 0 emits only the keep best-scored documents (and those tied
	// with the last), for a query that nothing else filters or scores; the
	// searcher then records the count and facets of all its matches here.
	keep     int
	facets   *facetColumns // counts the facets when set (with keep > 0)
	matched  *questionMatches
	pool     *sync.Pool     // of *questionScores, reused once the search is done (optional)
	outdated float64        // with keep > 0: score weight of outdated documents (validity.go)
	bounds   *segmentBounds // with keep > 0: the terms' bounds per segment (nil: read afresh)
	filter   query.Query    // with keep > 0: only the documents it matches are kept and counted (nil: all)

	// within, when set (with keep 0), names the phrases the query around
	// this one requires: only the documents that can hold them are scored
	// (within.go).
	within *withinPhrases
	lists  *termPostings // postings lists already looked up (optional)
}

// questionMatches is what a pruned questionQuery found in all documents.
type questionMatches struct {
	total           uint64
	facets          map[string][]FacetCount
	facetsEstimated bool // counted on a sample of the matches and scaled
}

// hasSynonyms says whether the question carries synonym clauses.
func (q *questionQuery) hasSynonyms() bool { return q.synBody.text != "" }

// hasAttachments says whether the question also ranks by attachment text.
func (q *questionQuery) hasAttachments() bool { return q.attBi.text != "" || q.attWords.text != "" }

// groups returns the question's term groups, indexed as docScore reads
// them; the groups a question lacks have no text.
func (q *questionQuery) groups() []termGroup {
	return []termGroup{q.bodyBi, q.bodyWords, q.title, q.synTitle, q.synBody, q.attBi, q.attWords}
}

// tree is the shape of a question's query tree, which docScore evaluates.
type tree struct{ synonyms, attachments bool }

func (q *questionQuery) tree() tree { return tree{q.hasSynonyms(), q.hasAttachments()} }

// groupWeight returns how often group i's weight counts in the query norm:
// the title and synonyms are clauses of both branches of Q, the
// attachment clauses of both branches of the sum.
func groupWeight(i int) float64 {
	if i >= 2 {
		return 2
	}
	return 1
}

// bodyMatches returns the body clauses as match queries (for highlighting).
func (q *questionQuery) bodyMatches() []query.Query {
	qs := []query.Query{matchField(q.bodyBi.text, fBodyBi, 1), matchField(q.bodyWords.text, fBody, 1)}
	if q.hasSynonyms() {
		qs = append(qs, matchField(q.synBody.text, fBodyBi, 1))
	}
	return qs
}

// Searcher scores every document holding a term of the question and returns
// a searcher over them in document order. Explanations and score
// breakdowns are not supported (opts is not consulted).
func (q *questionQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	groups := q.groups()
	if q.bm25.k1 == 0 {
		return nil, fmt.Errorf("question %q: no BM25 parameters (bm25.rewrite sets them)", q.bodyBi.text)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("question search needs a scorch index snapshot, not %T", r)
	}
	if q.keep > 0 {
		return q.prunedSearcher(ctx, snap, m, groups)
	}
	if q.within != nil {
		return q.withinSearcher(ctx, snap, m, groups)
	}
	acc := q.scratch(groups, docSpace(snap))
	s := q.searcherOver(acc)
	for i, g := range groups {
		if g.text == "" {
			continue
		}
		w, err := acc.addGroup(ctx, r, m, i, g, q.stats, q.bm25)
		if err != nil {
			return nil, fmt.Errorf("question terms %q in %s: %w", g.text, g.field, err)
		}
		s.weight += w * groupWeight(i)
	}
	if s.weight > 0 {
		s.SetQueryNorm(1 / math.Sqrt(s.weight))
	}
	s.matches = acc.combine(q.tree())
	return s, nil
}

// prunedSearcher scores the documents that can make the page of q
// (q.keep > 0) and records the total and facets of all matches in q.matched.
func (q *questionQuery) prunedSearcher(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, groups []termGroup) (search.Searcher, error) {
	pq := &prunedQuestion{keep: q.keep, tree: q.tree(), demote: q.outdated, bounds: q.bounds, lists: q.lists}
	if pq.bounds == nil { // read afresh
		pq.bounds = new(segmentBounds)
	}
	weight, err := pq.questionTerms(ctx, snap, m, groups, q.stats, q.bm25)
	if err != nil {
		return nil, fmt.Errorf("question %q: %w", q.bodyBi.text, err)
	}
	s := &questionSearcher{weight: weight}
	if weight > 0 {
		s.SetQueryNorm(1 / math.Sqrt(weight))
	}
	pq.norm = s.norm
	if q.filter != nil {
		if pq.filter, err = filterSegments(ctx, snap, m, q.filter); err != nil {
			return nil, fmt.Errorf("question %q: %w", q.bodyBi.text, err)
		}
	}
	if q.outdated != 0 && q.outdated != 1 {
		if pq.outdated, err = outdatedSegments(snap); err != nil {
			return nil, err
		}
	}
	segs := snap.Segments()
	live := make([]segment.Segment, len(segs))
	for i, seg := range segs {
		live[i] = seg.Segment()
	}
	pq.bounds.forget(live)
	var offset uint64
	all := make([]*roaring.Bitmap, len(segs)) // the documents holding any of the terms
	for i, seg := range segs {
		if all[i], err = pq.scoreSegment(ctx, i, seg, offset); err != nil {
			return nil, fmt.Errorf("question %q: %w", q.bodyBi.text, err)
		}
		offset += uint64(seg.FullSize())
	}
	s.matches = pq.page()
	if q.matched, err = countMatches(snap, all, q.facets); err != nil {
		return nil, err
	}
	return s, nil
}

// maxGroups is the number of term groups a question may have (see groups).
const maxGroups = 7

// questionScores accumulates, per group and document number, the summed
// term scores (without the query norm) and the number of tokens matched.
type questionScores struct {
	sums   [maxGroups][]float64
	counts [maxGroups][]uint32
	used   [maxGroups]bool // the groups with text, whose arrays are in use
	sizes  [maxGroups]int  // tokens per group
	out    []scored        // the matches (combine)
}

// searcherOver returns a searcher of acc's scores that gives acc back to
// q's pool when it is closed.
func (q *questionQuery) searcherOver(acc *questionScores) *questionSearcher {
	return &questionSearcher{release: func() {
		if q.pool != nil {
			q.pool.Put(acc)
		}
	}}
}

// scratch returns accumulators for the groups with text over docs document
// numbers, all zero, reusing those of q's pool if it has one.
func (q *questionQuery) scratch(groups []termGroup, docs uint64) *questionScores {
	var a *questionScores
	if q.pool != nil {
		a, _ = q.pool.Get().(*questionScores)
	}
	if a == nil {
		a = &questionScores{}
	}
	a.sizes = [maxGroups]int{}
	for i, g := range groups {
		a.used[i] = g.text != ""
		if a.used[i] {
			a.sums[i], a.counts[i] = zeroed(a.sums[i], docs), zeroed(a.counts[i], docs)
		}
	}
	return a
}

// zeroed returns s resized to n elements, all zero, reusing its memory
// when it is large enough.
func zeroed[T any](s []T, n uint64) []T {
	if uint64(cap(s)) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// docSpace returns how many document numbers snapshot snap uses (deleted
// documents included).
func docSpace(snap *scorch.IndexSnapshot) uint64 {
	var n int64
	for _, s := range snap.Segments() {
		n += s.FullSize()
	}
	return uint64(n)
}

// addGroup adds the BM25 scores of g's tokens as group i, computed as
// Bleve's TermQueryScorer does (boost × idf² × saturation, the query norm
// left to the searcher), and returns the group's weight Σ (boost × idf)².
func (a *questionScores) addGroup(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, i int, g termGroup, stats *search.BM25Stats, p bm25) (float64, error) {
	order, tokens, size, n, avg, err := analyseGroup(m, g, stats)
	if err != nil {
		return 0, err
	}
	a.sizes[i] = size
	var weight float64
	for _, term := range order {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		w, err := a.addTerm(ctx, r, i, term, g.field, g.boost, float64(tokens[term]), n, avg, p)
		if err != nil {
			return 0, err
		}
		weight += w
	}
	return weight, nil
}

// addTerm adds times × the score of term in every document holding it.
func (a *questionScores) addTerm(ctx context.Context, r index.IndexReader, i int, term, field string, boost, times, n, avg float64, p bm25) (float64, error) {
	if err := search.RecordTermSearcher(ctx); err != nil { // Bleve's limit on the terms of a query
		return 0, err
	}
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	df := float64(tfr.Count())
	idf := math.Log(1 + (n-df+0.5)/(df+0.5))
	// Bleve's BM25: idf × tf·k1 / (tf + k1·(1 - b + b·length/avg)), tf = √freq
	k1, b := p.k1, p.b
	w, k0, kLen := boost*idf*idf*times*k1, k1*(1-b), k1*b/avg
	sums, counts, add := a.sums[i], a.counts[i], uint32(times)
	var td index.TermFieldDoc
	for {
		next, err := tfr.Next(&td)
		if err != nil {
			return 0, err
		}
		if next == nil {
			break
		}
		doc, err := internalDoc(next.ID)
		if err != nil {
			return 0, err
		}
		if doc >= uint64(len(sums)) {
			return 0, fmt.Errorf("document number %d beyond the snapshot's %d", doc, len(sums))
		}
		tf := sqrtFreq(next.Freq)
		sums[doc] += w * tf / (tf + k0 + kLen/(next.Norm*next.Norm)) // length = 1/norm²
		counts[doc] += add
	}
	return (boost * idf) * (boost * idf) * times, nil
}

// internalDoc returns the document number of scorch's internal id.
func internalDoc(id index.IndexInternalID) (uint64, error) {
	if len(id) != 8 {
		return 0, fmt.Errorf("internal document id %x: %d bytes, want 8", []byte(id), len(id))
	}
	return id.Value(), nil
}

// scored is a matching document and its score without the query norm.
type scored struct {
	doc   uint64
	score float64
}

// combine applies the question's query tree to the scores of its groups
// and returns the matching documents in document order.
func (a *questionScores) combine(tr tree) []scored {
	out := a.out[:0]
	var sums [maxGroups]float64
	var counts [maxGroups]uint32
	for doc := range len(a.sums[0]) {
		for i, used := range a.used {
			if used {
				sums[i], counts[i] = a.sums[i][doc], a.counts[i][doc]
			}
		}
		if score, ok := docScore(&sums, &counts, &a.sizes, tr); ok {
			out = append(out, scored{doc: uint64(doc), score: score})
		}
	}
	a.out = out
	return out
}

// docScore applies the question's query tree to one document's summed term
// scores and tokens matched per group; false when it matches none.
func docScore(sums *[maxGroups]float64, counts *[maxGroups]uint32, sizes *[maxGroups]int, tr tree) (float64, bool) {
	synonyms := tr.synonyms
	group := func(i int) (float64, bool) {
		if counts[i] == 0 {
			return 0, false
		}
		return sums[i] * float64(counts[i]) / float64(sizes[i]), true
	}
	bb, inBB := group(0)
	bw, inBW := group(1)
	t, inT := group(2)
	var syn float64
	var inSyn bool
	if synonyms {
		st, inST := group(3)
		sb, inSB := group(4)
		syn, inSyn = coord(st+sb, inST, inSB), inST || inSB
	}
	var total float64
	matched := 0
	if inBB || inBW { // the ranked branch: body required
		total += coord(bb+bw, inBB, inBW) + t + syn
		matched++
	}
	if !inBB && (inT || inSyn) { // the other branch: title or synonyms, not the body bigrams
		if synonyms {
			total += coord(t+syn, inT, inSyn)
		} else {
			total += t
		}
		matched++
	}
	q := total * float64(matched) / 2
	if !tr.attachments {
		return q, matched > 0
	}
	// Q + A where both match, A alone where Q does not; every document
	// matches one branch of two.
	ab, inAB := group(5)
	aw, inAW := group(6)
	if !inAB && !inAW {
		return q / 2, matched > 0
	}
	a := coord(ab+aw, inAB, inAW)
	if matched > 0 {
		return (q + a) / 2, true
	}
	return a / 2, true
}

// coord is a two-clause disjunction's score: the sum scaled by the share of
// the clauses that matched.
func coord(sum float64, a, b bool) float64 {
	n := 0
	for _, m := range []bool{a, b} {
		if m {
			n++
		}
	}
	return sum * float64(n) / 2
}

// best returns a copy of the keep highest-scored matches and any tied with
// the last of them (the collector breaks ties by id), in document order.
// Scores are compared times norm, as the collector will see them.
func best(ms []scored, keep int, norm float64) []scored {
	if len(ms) <= keep {
		return slices.Clone(ms)
	}
	top := make(minHeap, keep) // the keep best scores so far
	for i := range top {
		top[i] = ms[i].score * norm
	}
	heap.Init(&top)
	for _, m := range ms[keep:] {
		if v := m.score * norm; v > top[0] {
			top[0] = v
			heap.Fix(&top, 0)
		}
	}
	out := ms[:0:0]
	for _, m := range ms {
		if m.score*norm >= top[0] {
			out = append(out, m)
		}
	}
	return out
}

// minHeap is a container/heap of scores, the least on top.
type minHeap []float64

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// questionSearcher returns precomputed matches in document order.
type questionSearcher struct {
	matches []scored
	next    int
	weight  float64 // Σ (boost × idf)² of the question's term clauses
	norm    float64 // the query norm (1/√weight unless a parent sets it)
	release func()  // returns the score arrays once the search is done
}

// Next returns the next match, its score times the query norm.
func (s *questionSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.next >= len(s.matches) {
		return nil, nil
	}
	m := s.matches[s.next]
	s.next++
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID, m.doc)
	dm.Score = m.score * s.norm
	return dm, nil
}

// Advance returns the first match at or after id among those not yet
// returned: it moves forward only, as Bleve's searchers advance a child only
// past the child's current match.
func (s *questionSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	doc, err := internalDoc(id)
	if err != nil {
		return nil, err
	}
	s.next += sort.Search(len(s.matches)-s.next, func(i int) bool { return s.matches[s.next+i].doc >= doc })
	return s.Next(ctx)
}

// Close gives the score arrays back for the next question.
func (s *questionSearcher) Close() error {
	if s.release != nil {
		s.release()
		s.release = nil
	}
	return nil
}

// Count is the number of matches the searcher returns (the page only, when pruned).
func (s *questionSearcher) Count() uint64 { return uint64(len(s.matches)) }

func (s *questionSearcher) Weight() float64           { return s.weight }
func (s *questionSearcher) SetQueryNorm(norm float64) { s.norm = norm }
func (s *questionSearcher) Min() int                  { return 0 }
func (s *questionSearcher) Size() int                 { return 64 + 16*cap(s.matches) }
func (s *questionSearcher) DocumentMatchPoolSize() int {
	return 1
}
