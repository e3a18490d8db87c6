package indexer

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A short query (all words required) matches thousands of documents on a
// large archive, and Bleve's conjunction searcher, which walks the postings
// of every word through a tree of searchers, was most of its cost
// (RANKING.md, "Short queries scored from their postings bitmaps"). Its
// matches are instead found from the postings bitmaps of its clauses (a
// conjunction of units, each a disjunction of a title phrase, the body
// bigrams and a gse word, and on an index holding attachment text the same
// words looked up in the attachments, sumQuery), a title phrase checked on
// the positions of the documents whose titles hold all its bigrams, and
// each match is scored from its postings as Bleve scores it (BM25, the
// query norm, each unit's coordination, the outdated documents' weight),
// the sums taken in the order Bleve's searchers take them, so that the
// scores are Bleve's to the last bit; the collector gets the page.
// TestPrunedShortMatchesFull compares pages, totals and facets with Bleve's
// searchers.

// shortClause is one leaf of a short query's unit: a term, a conjunction
// of terms (a match query with the AND operator) or a phrase.
type shortClause struct {
	field  string
	terms  []string // analysed, duplicates kept as Bleve's match query keeps them
	boost  float64
	bm25   bm25
	rel    []uint64 // a phrase's terms' positions after its first
	phrase bool     // the terms' bitmap holds the phrase's documents and more
}

// shortUnit is one unit of a short query: the clauses that find its word in
// the page and, on an index holding attachment text, those that find it in
// the attachments (att, nil otherwise). Such a unit is a sumQuery: a document
// the page clauses match scores (page + attachments)/2, one only the
// attachment clauses match attachments/2.
type shortUnit struct {
	page, att []shortClause
}

// shortShape returns the units of a short query as runBleve builds it
// (optionally demoted: a boolean query whose only clause is a must
// conjunction of units, each a disjunction of term, AND-match and phrase
// clauses or a sumQuery of two such disjunctions), with the analysed terms
// of each clause, or nil when q has another shape.
func shortShape(q query.Query, m mapping.IndexMapping) []shortUnit {
	if d, ok := q.(*demoteQuery); ok {
		q = d.inner
	}
	b, ok := q.(*query.BooleanQuery)
	if !ok || b.Should != nil || b.MustNot != nil || b.Filter != nil {
		return nil
	}
	must, ok := b.Must.(*query.ConjunctionQuery)
	if !ok || len(must.Conjuncts) != 1 {
		return nil
	}
	conj, ok := must.Conjuncts[0].(*query.ConjunctionQuery)
	if !ok || len(conj.Conjuncts) == 0 {
		return nil
	}
	var units []shortUnit
	for _, u := range conj.Conjuncts {
		var unit shortUnit
		switch x := u.(type) {
		case *query.DisjunctionQuery:
			unit.page = shortClauses(x, m)
		case *sumQuery:
			page, ok := x.page.(*query.DisjunctionQuery)
			att, ok2 := x.att.(*query.DisjunctionQuery)
			if !ok || !ok2 {
				return nil
			}
			if unit.page, unit.att = shortClauses(page, m), shortClauses(att, m); unit.att == nil {
				return nil
			}
		}
		if unit.page == nil {
			return nil
		}
		units = append(units, unit)
	}
	return units
}

// shortClauses returns the clauses of a disjunction of term, AND-match and
// phrase clauses, or nil when it holds another or none.
func shortClauses(dis *query.DisjunctionQuery, m mapping.IndexMapping) []shortClause {
	if dis.Min > 1 || len(dis.Disjuncts) == 0 {
		return nil
	}
	var clauses []shortClause
	for _, leaf := range dis.Disjuncts {
		c, ok := shortLeaf(leaf, m)
		if !ok {
			return nil
		}
		clauses = append(clauses, c)
	}
	return clauses
}

// shortLeaf returns the clause of one leaf of a unit.
func shortLeaf(leaf query.Query, m mapping.IndexMapping) (shortClause, bool) {
	var c shortClause
	var text string
	switch x := leaf.(type) {
	case *termQuery:
		c = shortClause{field: x.field, terms: []string{x.term}, boost: x.boost, bm25: x.bm25}
	case *matchQuery:
		if x.Operator != query.MatchQueryOperatorAnd {
			return c, false
		}
		c, text = shortClause{field: x.FieldVal, boost: x.BoostVal.Value(), bm25: x.bm25}, x.Match
	case *phraseQuery:
		c, text = shortClause{field: x.FieldVal, boost: x.BoostVal.Value(), bm25: x.bm25, phrase: true}, x.MatchPhrase
	default:
		return c, false
	}
	if text != "" {
		field, toks, err := analyse(m, c.field, text)
		if err != nil || len(toks) == 0 {
			return c, false
		}
		c.field = field
		for i, t := range toks {
			if c.phrase && i > 0 && t.pos == toks[i-1].pos { // a disjunction at one position
				return c, false
			}
			c.terms = append(c.terms, t.term)
			if t.pos < toks[0].pos {
				return c, false
			}
			c.rel = append(c.rel, uint64(t.pos-toks[0].pos))
		}
	}
	if c.field == "" {
		c.field = m.DefaultSearchField()
	}
	return c, c.bm25.k1 > 0 && len(c.terms) > 0
}

// errNotPrunable says a short query cannot be scored from its postings
// (scored by TF-IDF, array positions, postings that disagree with their
// bitmaps): Bleve's searchers score it.
var errNotPrunable = errors.New("short query: not scored from its postings")

// prunedShort is the state of one pruned short query.
type prunedShort struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	sure    []*roaring.Bitmap // per segment: documents holding a clause of each unit besides phrases
	unsure  []*roaring.Bitmap // per segment: the others whose titles hold the bigrams of the phrases they need
	clauses []readClause
	units   int
	sums    [shortUnits]bool       // the unit is a sumQuery (page and attachment clauses)
	sizes   [shortUnits][2]float64 // page and attachment clauses per unit (coordination)
	byUnits []int                  // the units in the order Bleve's conjunction sums them
	keep    int                    // the page's depth: documents scored below the keep-th best are not needed
	bounded bool                   // the scores have bounds (no negative boost, b or outdated weight)
	bounds  *segmentBounds         // the terms' greatest saturation per segment
	// per segment, set by scoreMatches: the matches, and those of them scored
	// (the others cannot reach the page), in document order
	matches []*roaring.Bitmap
	scored  [][]scored
	top     minHeap // the keep best scores so far
	skipped int     // matches not scored
	scratch *shortScratch
}

// shortScratch holds the segment scorer's arrays, reused from segment to
// segment (on a large archive they are as long as the matches, and the
// garbage collector was a third of a short query's CPU on the 100× copy).
type shortScratch struct {
	docs     []uint32
	sum, cnt []float64
	score    []bool
	held     [][]int
	holds    [][]bool
	matched  []uint32
	scored   []scored
	vals     [][]float64 // per term of the query (readTerm.vals)
	read     []int       // readPhrase's
	starts   [][]uint64  // readPhrase's
}

// resized returns s with length n, zeroed, reusing its array when it can.
func resized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// readClause is a clause with its terms' postings and bitmap.
type readClause struct {
	shortClause
	unit  int
	att   int // 1 for an attachment clause, 0 for a page clause
	terms []readTerm
	order []int             // the terms in the order Bleve's conjunction sums them (byCount)
	count uint64            // the clause searcher's Count: its terms' document counts summed
	bms   []*roaring.Bitmap // per segment: documents holding all terms
}

// readTerm is one term of a clause: its postings per segment, its document
// count and what a posting adds, idf × tf·k1 / (tf + k1·(1 − b +
// b·length/avg)) × w.
type readTerm struct {
	pls         []segment.PostingsList
	df          uint64
	idf, w, avg float64
	q           *qterm // its field, term and saturation constants, for segmentBounds
	// the segment scorer's: per entry of the clause's held (the candidates
	// holding it), what the term adds there; its postings iterator, reused
	vals []float64
	it   segment.PostingsIterator
}

// byCount returns the indexes of counts in ascending order, equal counts
// in their order: Bleve's conjunction and disjunction searchers order their
// searchers so (by Count, with sort.Sort, which is an insertion sort, so
// stable, up to sortStable searchers) and sum their scores in that order.
// Floating-point sums depend on their order, and two documents tied to the
// last bits would otherwise swap.
func byCount(counts []uint64) []int {
	order := make([]int, len(counts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	return order
}

// sortStable is the most searchers sort.Sort orders by insertion sort (its
// maxInsertion), keeping equal ones in their order.
const sortStable = 12

// pruneShort returns the keep best matches of a short query (units, as
// shortShape gives them) in snap, and those tied with the last of them
// (best), with their scores, and records the total and facets of all its
// matches. It returns errNotPrunable when the query cannot be scored so.
func (q *bestQuery) pruneShort(ctx context.Context, snap *scorch.IndexSnapshot, units []shortUnit) ([]scored, error) {
	if len(units) > shortUnits {
		return nil, errNotPrunable
	}
	for _, u := range units {
		for _, clauses := range [][]shortClause{u.page, u.att} {
			if len(clauses) > searcher.DisjunctionHeapTakeover || len(clauses) > sortStable {
				return nil, errNotPrunable // a heap sums a document's clauses in no order we can follow
			}
			for _, c := range clauses {
				if len(c.terms) > sortStable {
					return nil, errNotPrunable
				}
			}
		}
	}
	ps := &prunedShort{segs: snap.Segments(), units: len(units), keep: q.keep, bounds: q.bounds}
	if ps.bounds == nil { // read afresh
		ps.bounds = new(segmentBounds)
	}
	if q.scratch != nil {
		if sc, ok := q.scratch.Get().(*shortScratch); ok {
			ps.scratch = sc
		}
		defer func() { q.scratch.Put(ps.scratch) }()
	}
	if ps.scratch == nil {
		ps.scratch = new(shortScratch)
	}
	ps.scratch.scored = ps.scratch.scored[:0]
	live := make([]segment.Segment, len(ps.segs))
	for i, seg := range ps.segs {
		live[i] = seg.Segment()
	}
	ps.bounds.forget(live)
	var offset uint64
	for _, seg := range ps.segs {
		ps.offsets = append(ps.offsets, offset)
		offset += uint64(seg.FullSize())
	}
	if err := ps.read(ctx, snap, q.lists, units); err != nil {
		return nil, err
	}
	var outdated []*roaring.Bitmap // per segment (nil: none demoted)
	demote := 1.0
	if d, ok := q.inner.(*demoteQuery); ok {
		var err error
		if outdated, err = outdatedSegments(snap); err != nil {
			return nil, err
		}
		demote = d.weight
	}
	if err := ps.scoreMatches(ctx, outdated, demote); err != nil {
		return nil, err
	}
	var out []scored
	if len(ps.segs) == 1 {
		out = ps.scored[0]
	} else {
		out = slices.Concat(ps.scored...)
	}
	q.skipped = ps.skipped
	var err error
	if q.matched, err = countMatches(snap, ps.matches, q.facets); err != nil {
		return nil, err
	}
	return best(out, q.keep, 1), nil
}

// scoreMatches finds the matches among sure ∪ unsure and scores them: each
// unit's page clauses a document holds, summed and times their share of the
// unit's page clauses (Bleve's coordination), and likewise its attachment
// clauses, the two added and halved in a sumQuery; the units summed; times
// demote when the document is outdated. A document holding none of a
// unit's clauses is no match. The clauses are in the order Bleve's
// disjunctions sum them (read sorts them).
//
// The segments are scored largest first, each in chunks of its candidates
// in document order (scoreSegment), and once keep documents are scored, a
// document whose bound (the same sum with each clause's bound, its phrases
// taken as held) is below the keep-th best score so far is a match (or not,
// by its phrases) but is not scored: it cannot reach the page, and its
// postings are not read. This holds within a segment too, so an index of one
// segment skips as well. A clause's bound in a segment is Σ idf × k1 × w ×
// its terms' greatest saturation there (BM25's saturation tf / (tf +
// k1·(1 − b + b·length/avg)) is below 1), 1 until known: the first time a
// short query reads a term in a segment it reads all of its postings, scores
// every candidate holding it from them (what it adds stands in the bounds
// of that query), and records the greatest saturation in segmentBounds,
// shared with the questions, for the queries after it.
func (ps *prunedShort) scoreMatches(ctx context.Context, outdated []*roaring.Bitmap, demote float64) error {
	nseg := len(ps.segs)
	ps.matches, ps.scored = make([]*roaring.Bitmap, nseg), make([][]scored, nseg)
	sizes := make([]uint64, nseg)
	for s := range nseg {
		sizes[s] = ps.sure[s].GetCardinality() + ps.unsure[s].GetCardinality()
	}
	order := byCount(sizes)
	slices.Reverse(order)
	ps.bounded = demote >= 0
	for _, c := range ps.clauses {
		ps.bounded = ps.bounded && c.boost >= 0 && c.bm25.b >= 0 && c.bm25.b <= 1
	}
	ps.top = make(minHeap, 0, max(ps.keep, 0))
	learn := ps.bounded && ps.keep > 0 // else nothing is skipped
	for _, s := range order {
		if err := ps.scoreSegment(ctx, s, learn, outdated, demote); err != nil {
			return err
		}
	}
	return nil
}

// offer records v, the score of a document, among the keep best.
func (ps *prunedShort) offer(v float64) {
	switch {
	case ps.keep <= 0:
	case len(ps.top) < ps.keep:
		heap.Push(&ps.top, v)
	case v > ps.top[0]:
		ps.top[0] = v
		heap.Fix(&ps.top, 0)
	}
}

// combine returns the score of candidate i from its clauses' sums and
// counts per unit and branch, or false when it holds none of a unit's.
func (ps *prunedShort) combine(sum, cnt []float64, n, i int) (float64, bool) {
	var score float64
	for _, u := range ps.byUnits {
		p, a := 2*u*n+i, (2*u+1)*n+i
		if cnt[p] == 0 && cnt[a] == 0 {
			return 0, false
		}
		var us float64 // as Bleve's boolean query sums must and should
		if cnt[p] > 0 {
			us = sum[p] * (cnt[p] / ps.sizes[u][0])
		}
		if cnt[a] > 0 {
			us += sum[a] * (cnt[a] / ps.sizes[u][1])
		}
		if ps.sums[u] {
			us *= 0.5 // as sumQuery halves every document
		}
		score += us
	}
	return score, true
}

// score is what a posting of t with freq and norm adds, scored with p as
// the term searcher scores it (termSearcher.match).
func (t *readTerm) score(p bm25, freq uint64, norm float64) float64 {
	return p.score(t.idf, freq, norm, t.avg) * t.w
}

// read reads the clauses' postings (those of lists when they were looked
// up in snap already), bitmaps and weights, and the candidates.
func (ps *prunedShort) read(ctx context.Context, snap *scorch.IndexSnapshot, lists *termPostings, units []shortUnit) error {
	stats := map[string]fieldStats{}
	look := newTermLookup(snap, lists)
	for u, unit := range units {
		ps.sizes[u] = [2]float64{float64(len(unit.page)), float64(len(unit.att))}
		ps.sums[u] = unit.att != nil
		for k, c := range slices.Concat(unit.page, unit.att) {
			st, ok := stats[c.field]
			if !ok {
				n, avg, err := termStats(ctx, snap, c.field)
				if err != nil {
					return err
				}
				if avg == 0 {
					return errNotPrunable // scored by TF-IDF
				}
				st = fieldStats{float64(n), avg}
				stats[c.field] = st
			}
			rc, err := lookClause(look, c, st, len(ps.segs))
			if err != nil {
				return err
			}
			rc.unit = u
			if k >= len(unit.page) {
				rc.att = 1
			}
			ps.clauses = append(ps.clauses, rc)
		}
	}
	weights := ps.sortClauses()
	if weights <= 0 {
		return errNotPrunable
	}
	norm := 1 / math.Sqrt(weights)
	for i := range ps.clauses {
		c := &ps.clauses[i]
		for j := range c.terms {
			c.terms[j].w = c.boost * c.terms[j].idf * norm
		}
	}
	return ps.candidates()
}

// fieldStats are a field's document count and mean length, for BM25.
type fieldStats struct{ n, avg float64 }

// lookClause looks up the postings of clause c's terms in each of nseg
// segments, their document counts and idf, and the documents holding all
// of them per segment.
func lookClause(look *termLookup, c shortClause, st fieldStats, nseg int) (readClause, error) {
	rc := readClause{shortClause: c, bms: make([]*roaring.Bitmap, nseg)}
	for _, term := range c.terms {
		pls, err := look.postings(c.field, term)
		if err != nil {
			return rc, fmt.Errorf("short query terms: %w", err)
		}
		t := readTerm{pls: pls, avg: st.avg, q: &qterm{field: c.field, term: term, k0: c.bm25.k1 * (1 - c.bm25.b), kLen: c.bm25.k1 * c.bm25.b / st.avg}}
		for s, pl := range pls {
			t.df += pl.Count()
			bm, err := postingsBitmap(pl)
			if err != nil {
				return rc, fmt.Errorf("postings of %q in %s: %w", term, c.field, err)
			}
			if rc.bms[s] == nil {
				rc.bms[s] = bm // not modified: And makes a new bitmap
			} else {
				rc.bms[s] = roaring.And(rc.bms[s], bm)
			}
		}
		t.idf = math.Log(1 + (st.n-float64(t.df)+0.5)/(float64(t.df)+0.5))
		rc.terms = append(rc.terms, t)
		rc.count += t.df
	}
	dfs := make([]uint64, len(rc.terms))
	for i, t := range rc.terms {
		dfs[i] = t.df
	}
	rc.order = byCount(dfs)
	return rc, nil
}

// candidates sets, per segment, sure (the documents holding a clause of
// each unit besides phrases) and unsure (the others holding a clause of
// each unit, whose match depends on a phrase).
func (ps *prunedShort) candidates() error {
	nseg := len(ps.segs)
	ps.sure, ps.unsure = make([]*roaring.Bitmap, nseg), make([]*roaring.Bitmap, nseg)
	for s := range nseg {
		clauses := func(phrases bool) func(u int) ([]*roaring.Bitmap, error) {
			return func(u int) ([]*roaring.Bitmap, error) {
				var bms []*roaring.Bitmap
				for _, c := range ps.clauses {
					if c.unit == u && (phrases || !c.phrase) {
						bms = append(bms, c.bms[s])
					}
				}
				return bms, nil
			}
		}
		sure, err := intersectUnions(ps.units, clauses(false))
		if err != nil {
			return err
		}
		all, err := intersectUnions(ps.units, clauses(true))
		if err != nil {
			return err
		}
		ps.sure[s], ps.unsure[s] = sure, roaring.AndNot(all, sure)
	}
	return nil
}

// intersectUnions returns the intersection over the groups i < n of the
// union of the bitmaps group(i) returns, which it does not modify: the
// documents holding one of each group (an empty bitmap when n is 0). It
// asks for no group after the intersection is empty.
func intersectUnions(n int, group func(i int) ([]*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	var all *roaring.Bitmap
	for i := range n {
		bms, err := group(i)
		if err != nil {
			return nil, err
		}
		if u := roaring.FastOr(bms...); all == nil {
			all = u
		} else {
			all.And(u)
		}
		if all.IsEmpty() {
			break
		}
	}
	if all == nil {
		return roaring.New(), nil
	}
	return all, nil
}

// sortClauses orders the units and, within each, the page and the
// attachment clauses as Bleve's conjunction and disjunctions order their
// searchers (byCount), and returns Σ (boost × idf)² over the query's terms
// summed as Bleve's searchers sum their Weight: the query norm's.
func (ps *prunedShort) sortClauses() float64 {
	slices.SortStableFunc(ps.clauses, func(a, b readClause) int {
		return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.att, b.att), cmp.Compare(a.count, b.count))
	})
	counts := make([][2]uint64, ps.units)
	weights := make([][2]float64, ps.units)
	for _, c := range ps.clauses {
		counts[c.unit][c.att] += c.count
		var w float64
		for _, ti := range c.order {
			tw := c.boost * c.terms[ti].idf
			w += tw * tw
		}
		weights[c.unit][c.att] += w
	}
	unitCounts := make([]uint64, ps.units)
	unitWeights := make([]float64, ps.units)
	for u := range ps.units {
		unitCounts[u], unitWeights[u] = counts[u][0], weights[u][0]
		if ps.sums[u] {
			// sumQuery counts and weighs att twice, as the tree of
			// Bleve's queries it replaces did (sum.go)
			unitCounts[u] = counts[u][0] + 2*counts[u][1]
			unitWeights[u] = (weights[u][0] + weights[u][1]) + weights[u][1]
		}
	}
	ps.byUnits = byCount(unitCounts)
	var sum float64
	for _, u := range ps.byUnits {
		sum += unitWeights[u]
	}
	return sum
}

// postingsBitmap returns the documents of a postings list as a bitmap,
// which must not be modified (it may be the list's own).
func postingsBitmap(pl segment.PostingsList) (*roaring.Bitmap, error) {
	it := pl.Iterator(false, false, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			return bm, nil
		}
		bm := roaring.New()
		if d, ok := o.DocNum1Hit(); ok {
			bm.Add(uint32(d))
		}
		return bm, nil
	}
	bm := roaring.New()
	for { // another segment type: read the postings
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p == nil {
			return bm, nil
		}
		bm.Add(uint32(p.Number()))
	}
}
