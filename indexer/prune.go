package indexer

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"iter"
	"math"
	"math/bits"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A question that nothing filters is pruned to its page (MaxScore, Turtle
// and Flood 1995): no posting adds more to a document's score than its
// term's weight boost × idf² × k1, nor, in a segment, than that weight
// times the greatest saturation a question before has seen there
// (bounds.go), or than its greatest saturation in a block of a large
// segment (blockmax.go), so the terms whose bounds together cannot lift a
// document to the score of the page's last hit are not enumerated; they
// are looked up only for the documents the other terms bring, through a
// seeker (zapseek.go) that jumps to the target's freq/norm chunk (zap's own
// Advance steps past every posting before it). Runs of blocks that cannot
// reach the page are passed over the same way, and in a block that can the
// terms are split by their bounds in the block (Block-Max MaxScore). The
// page is exactly the one the full scorer gives; the total and facets come
// from the union of the terms' postings bitmaps, which is the set of
// documents a question matches. RANKING.md gives the measurements.

// qterm is one distinct token of a question's term group.
type qterm struct {
	group    int
	w        float64 // boost × idf² × times × k1: no posting adds as much
	k0, kLen float64 // BM25 length normalisation of the term's field
	add      uint32  // times the token occurs in the group
	pls      []segment.PostingsList
	field    string
	term     string
	bound    float64 // what a posting adds at most in the segment being scored
}

// contribution is what a posting of t with freq and norm adds, computed as
// questionScores.addTerm computes it.
func (t *qterm) contribution(freq uint64, norm float64) float64 {
	return t.w * t.saturation(freq, norm)
}

// saturation is BM25's saturation of a posting of t, below 1.
func (t *qterm) saturation(freq uint64, norm float64) float64 {
	tf := sqrtFreq(freq)
	return tf / (tf + t.k0 + t.kLen/(norm*norm))
}

// prunedQuestion is the state of one pruned question: its terms and the
// best scores seen so far.
type prunedQuestion struct {
	terms    []*qterm // in the order the full scorer adds them
	byBound  []int    // term indexes, least bound first where scored (in a block, only those with postings there)
	sizes    [maxGroups]int
	tree     tree
	norm     float64
	keep     int
	top      minHeap           // the keep best scores × norm so far
	kept     []scored          // every document that was among them when scored
	outdated []*roaring.Bitmap // per segment, its outdated documents (nil: none demoted)
	filter   []*roaring.Bitmap // per segment, the documents the query's filter admits (nil: all)
	demote   float64
	lazy     int         // byBound[:lazy] are only looked up, never enumerated
	lazyMax  groupBounds // what the lazy terms can add
	bounds   *segmentBounds
	lists    *termPostings // postings lists already looked up (optional)

	// per term, reused from segment to segment (scoreSegment)
	cur     []cursor
	most    []float64         // the greatest saturation enumerated
	contrib []float64         // what the term adds to the document scored
	has     []bool            // whether the document holds the term
	bms     []*roaring.Bitmap // the term's documents in the segment
	words   []uint64          // their union as a dense bitmap (union)
	dense   []uint64          // one of them as a dense bitmap (union)
	buf     []uint32
	blocks  [][]uint8 // the term's block maxima in a large segment (blockmax.go)
	sats    []float64 // and its greatest saturation there
	inBlock []float64 // its bound where scored: in the block, or in the whole segment when not blocked
}

// questionTerms reads the terms of groups from the segments of snap, with
// their weights, and returns them with the question's weight Σ (boost × idf)²
// (counted as groupWeight says).
func (pq *prunedQuestion) questionTerms(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, groups []termGroup, stats *search.BM25Stats, p bm25) (float64, error) {
	look := newTermLookup(snap, pq.lists)
	var weight float64
	for i, g := range groups {
		if g.text == "" {
			continue
		}
		an := m.AnalyzerNamed(m.AnalyzerNameForPath(g.field))
		if an == nil {
			return 0, fmt.Errorf("no analyzer for field %s", g.field)
		}
		card, ok := stats.FieldCardinality[g.field]
		if !ok {
			return 0, fmt.Errorf("no BM25 statistics for field %s", g.field)
		}
		n := stats.DocCount
		avg := math.Ceil(float64(card) / max(n, 1))
		times, order := map[string]int{}, []string(nil)
		for _, t := range an.Analyze([]byte(g.text)) {
			if times[string(t.Term)] == 0 {
				order = append(order, string(t.Term))
			}
			times[string(t.Term)]++
			pq.sizes[i]++
		}
		var gw float64
		for _, term := range order {
			if err := search.RecordTermSearcher(ctx); err != nil { // Bleve's limit on the terms of a query
				return 0, err
			}
			t := &qterm{group: i, add: uint32(times[term]), field: g.field, term: term}
			var err error
			if t.pls, err = look.postings(g.field, term); err != nil {
				return 0, fmt.Errorf("question terms: %w", err)
			}
			var df uint64
			for _, pl := range t.pls {
				df += pl.Count()
			}
			idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
			k1, b := p.k1, p.b
			t.w, t.k0, t.kLen = g.boost*idf*idf*float64(t.add)*k1, k1*(1-b), k1*b/avg
			gw += (g.boost * idf) * (g.boost * idf) * float64(t.add)
			pq.terms = append(pq.terms, t)
		}
		weight += gw * groupWeight(i)
	}
	pq.byBound = make([]int, 0, len(pq.terms))
	return weight, nil
}

// startSegment sets the terms' bounds in segment s: their weight times
// their greatest saturation there when it was read with their block maxima
// (blocked) or a question before has seen it, else their weight (unknown).
// It orders the terms by them and takes as many as theta allows into the
// lazy set.
func (pq *prunedQuestion) startSegment(s int, seg segment.Segment, deleted uint64, blocked bool) (unknown []bool) {
	unknown = make([]bool, len(pq.terms))
	pq.byBound = pq.byBound[:0]
	for i, t := range pq.terms {
		if t.pls[s] == nil || t.pls[s].Count() == 0 {
			t.bound = 0
		} else if blocked {
			t.bound = t.w * pq.sats[i]
		} else if sat, ok := pq.bounds.saturation(seg, deleted, t); ok {
			t.bound = t.w * sat
		} else {
			t.bound, unknown[i] = t.w, true
		}
		pq.inBlock[i] = t.bound
		pq.byBound = append(pq.byBound, i)
	}
	slices.SortStableFunc(pq.byBound, func(a, b int) int { return cmp.Compare(pq.terms[a].bound, pq.terms[b].bound) })
	pq.lazy, pq.lazyMax = 0, groupBounds{}
	pq.widenLazy()
	return unknown
}

// groupBounds accumulates, per group, what a set of a document's terms can
// add at most: the sum of their weights and of their occurrences.
type groupBounds struct {
	w     [maxGroups]float64
	times [maxGroups]uint32
	has   [maxGroups]bool
}

// add counts term t, which adds at most w.
func (b *groupBounds) add(t *qterm, w float64) {
	b.w[t.group] += w
	b.times[t.group] += t.add
	b.has[t.group] = true
}

// bound is the highest score (without the query norm) a document can get
// whose terms are those of known (with their scores) and any of rest (with
// their bounds). It follows docScore's cases: the ranked branch alone
// scores half its sum; both branches, only without body bigrams, score
// their sums; the attachments' disjunction adds to that, and the sum is
// halved.
func (pq *prunedQuestion) bound(known, rest *groupBounds) float64 {
	var g [maxGroups]float64
	var may [maxGroups]bool
	for i := range maxGroups {
		if pq.sizes[i] > 0 {
			g[i] = (known.w[i] + rest.w[i]) * float64(known.times[i]+rest.times[i]) / float64(pq.sizes[i])
		}
		may[i] = known.has[i] || rest.has[i]
	}
	best := (g[0] + g[1] + g[2] + g[3] + g[4]) / 2
	if !known.has[0] && may[1] && (may[2] || may[3] || may[4]) {
		best = max(best, g[1]+2*(g[2]+g[3]+g[4]))
	}
	if pq.tree.attachments {
		best = (best + g[5] + g[6]) / 2
	}
	return best
}

// theta is the score × norm a document must reach to be kept.
func (pq *prunedQuestion) theta() float64 {
	if len(pq.top) < pq.keep {
		return math.Inf(-1)
	}
	return pq.top[0]
}

// below says whether bound × norm is surely below theta (a margin for the
// rounding of sums taken in another order).
func (pq *prunedQuestion) below(bound float64) bool {
	return bound*pq.norm*(1+1e-9) < pq.theta()
}

// offer records the score (without the norm) of document doc of segment s,
// numbered from offset on, demoted when the document is outdated.
func (pq *prunedQuestion) offer(s int, doc, offset uint64, score float64) {
	if pq.outdated != nil && pq.outdated[s].Contains(uint32(doc)) {
		score *= pq.demote
	}
	doc += offset
	v := score * pq.norm
	switch {
	case len(pq.top) < pq.keep:
		heap.Push(&pq.top, v)
	case v < pq.top[0]:
		return
	case v > pq.top[0]:
		pq.top[0] = v
		heap.Fix(&pq.top, 0)
	}
	pq.kept = append(pq.kept, scored{doc: doc, score: score})
	pq.widenLazy()
}

// widenLazy moves the terms of least weight out of enumeration while
// together they cannot bring a document up to theta.
func (pq *prunedQuestion) widenLazy() {
	for pq.lazy < len(pq.byBound) {
		rest := pq.lazyMax
		i := pq.byBound[pq.lazy]
		rest.add(pq.terms[i], pq.inBlock[i])
		if !pq.below(pq.bound(&groupBounds{}, &rest)) {
			return
		}
		pq.lazy, pq.lazyMax = pq.lazy+1, rest
	}
}

// page returns the kept documents that reach theta, in document order.
func (pq *prunedQuestion) page() []scored {
	if len(pq.top) < pq.keep {
		return pq.kept
	}
	return slices.DeleteFunc(pq.kept, func(m scored) bool { return m.score*pq.norm < pq.top[0] })
}

// cursor walks one term's postings in one segment. With sk set (over it)
// it moves the iterator by sk's Advance only, so that a far target jumps
// to its freq/norm chunk; without, by the iterator's Next and Advance.
type cursor struct {
	it      segment.PostingsIterator
	sk      seeker // over it, or zero
	started bool
	doc     uint64 // math.MaxUint64 at the end
	freq    uint64
	norm    float64
}

func (c *cursor) set(p segment.Posting, err error) error {
	c.started = true
	if err != nil {
		return err
	}
	if p == nil {
		c.doc = math.MaxUint64
		return nil
	}
	c.doc, c.freq, c.norm = p.Number(), p.Frequency(), p.Norm()
	return nil
}

// next moves c to its next posting.
func (c *cursor) next() error {
	if c.sk.it == nil {
		return c.set(c.it.Next())
	}
	if !c.started {
		return c.set(c.sk.advance(0))
	}
	return c.set(c.sk.advance(c.doc + 1))
}

// seek moves c to its first posting at or after doc.
func (c *cursor) seek(doc uint64) error {
	if c.started && c.doc >= doc {
		return nil
	}
	if c.sk.it == nil {
		return c.set(c.it.Advance(doc))
	}
	return c.set(c.sk.advance(doc))
}

// iteratorBitmap is the bitmap of the documents it iterates, when it has one
// (zap's iterators over a list of more than one posting).
func iteratorBitmap(it segment.PostingsIterator) *roaring.Bitmap {
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		return o.ActualBitmap()
	}
	return nil
}

// scoreSegment scores the documents of segment s (numbered from offset on)
// that can reach the page, and returns the documents holding any of the
// terms there (the question's matches in s, from the postings bitmaps of
// the iterators it scores with).
func (pq *prunedQuestion) scoreSegment(ctx context.Context, s int, seg *scorch.SegmentSnapshot, offset uint64) (*roaring.Bitmap, error) {
	deleted := deletedIn(seg) // once per segment view: a bitmap's cardinality
	pq.reserve()
	shift := pq.bounds.shift()
	nb := blockCount(uint64(seg.FullSize()), shift)
	blocked := nb >= blocksLeast
	if blocked {
		if err := pq.readBlocks(ctx, s, seg, deleted, nb); err != nil {
			return nil, err
		}
	}
	unknown := pq.startSegment(s, seg.Segment(), deleted, blocked)
	matches, err := pq.openCursors(s, seg)
	if err != nil {
		return nil, err
	}
	if pq.filter != nil {
		matches = roaring.And(matches, pq.filter[s])
	}
	if blocked {
		err = pq.scoreBlocks(ctx, s, offset, nb, shift)
	} else {
		err = pq.scoreWhole(ctx, s, offset)
	}
	if err != nil {
		return nil, err
	}
	if !blocked { // the terms still enumerated were read whole
		for _, i := range pq.byBound[pq.lazy:] {
			if unknown[i] {
				pq.bounds.record(seg.Segment(), deleted, pq.terms[i], pq.most[i])
			}
		}
	}
	return matches, nil
}

// reserve sizes the per-term arrays for pq.terms; they are reused from
// segment to segment.
func (pq *prunedQuestion) reserve() {
	n := len(pq.terms)
	if len(pq.cur) == n {
		return
	}
	pq.cur = make([]cursor, n)
	pq.most = make([]float64, n)
	pq.contrib = make([]float64, n)
	pq.has = make([]bool, n)
	pq.bms = make([]*roaring.Bitmap, n)
	pq.blocks = make([][]uint8, n)
	pq.sats = make([]float64, n)
	pq.inBlock = make([]float64, n)
}

// openCursors sets a cursor on each term's postings in segment s (the
// previous segment's iterators reused) and returns the union of the terms'
// documents there.
func (pq *prunedQuestion) openCursors(s int, seg *scorch.SegmentSnapshot) (*roaring.Bitmap, error) {
	for i, t := range pq.terms {
		it := t.pls[s].Iterator(true, true, false, pq.cur[i].it)
		pq.cur[i] = cursor{it: it, sk: newSeeker(it, seg.Segment())}
		if pq.bms[i] = iteratorBitmap(it); pq.bms[i] == nil {
			var err error
			if pq.bms[i], err = postingsBitmap(t.pls[s]); err != nil {
				return nil, err
			}
		}
	}
	return pq.union(uint64(seg.FullSize())), nil
}

// scoreWhole scores segment s with each term bounded by its bound in the
// whole segment (startSegment): the terms outside the lazy set are
// enumerated, and each document they bring is scored by scoreDoc, which
// keeps each term's greatest saturation in pq.most for scoreSegment to
// record.
func (pq *prunedQuestion) scoreWhole(ctx context.Context, s int, offset uint64) error {
	clear(pq.most)
	for _, i := range pq.byBound[pq.lazy:] {
		if err := pq.cur[i].next(); err != nil {
			return err
		}
	}
	for n, doc := 0, pq.first(); doc != math.MaxUint64; n, doc = n+1, pq.first() {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := pq.scoreDoc(s, doc, offset); err != nil {
			return err
		}
	}
	return nil
}

// scoreBlocks scores segment s a block at a time (blockmax.go). A block in
// which every term at its block maximum cannot reach the page is passed
// over; in the others the terms are split by their bounds in the block, as
// scoreWhole splits them by their bounds in the segment (Block-Max MaxScore:
// a common term that is enumerated in one block may be only looked up in
// the next, where its postings add less).
func (pq *prunedQuestion) scoreBlocks(ctx context.Context, s int, offset uint64, nb int, shift uint) error {
	for b := range uint64(nb) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !pq.startBlock(b) {
			continue
		}
		for _, i := range pq.byBound[pq.lazy:] {
			if err := pq.cur[i].seek(b << shift); err != nil {
				return err
			}
		}
		for doc := pq.first(); doc < (b+1)<<shift; doc = pq.first() {
			if err := pq.scoreDoc(s, doc, offset); err != nil {
				return err
			}
		}
	}
	return nil
}

// startBlock bounds each term by its maximum in block b and says whether a
// document of the block can reach theta (every term it may hold at its
// block maximum; terms absent from it left out, which also drops their
// coordination share). If so, it orders the terms holding postings there
// by their bound and takes as many as theta allows into the lazy set.
func (pq *prunedQuestion) startBlock(b uint64) bool {
	var all groupBounds
	pq.byBound = pq.byBound[:0]
	for i, t := range pq.terms {
		pq.inBlock[i] = 0
		if m := pq.blocks[i]; m != nil && m[b] > 0 {
			pq.inBlock[i] = inBlock(t.w, t.bound, m[b])
			all.add(t, pq.inBlock[i])
			pq.byBound = append(pq.byBound, i)
		}
	}
	if pq.below(pq.bound(&groupBounds{}, &all)) {
		return false
	}
	slices.SortStableFunc(pq.byBound, func(a, b int) int { return cmp.Compare(pq.inBlock[a], pq.inBlock[b]) })
	pq.lazy, pq.lazyMax = 0, groupBounds{}
	pq.widenLazy()
	return true
}

// first is the first document of the terms enumerated, math.MaxUint64 when
// none is left.
func (pq *prunedQuestion) first() uint64 {
	doc := uint64(math.MaxUint64)
	for _, i := range pq.byBound[pq.lazy:] {
		doc = min(doc, pq.cur[i].doc)
	}
	return doc
}

// scoreDoc scores document doc of segment s (numbered from offset on),
// which an enumerated term holds, and offers it when it can reach the page.
// The enumerated terms standing on doc give their contributions and move
// on; then the lazy terms, greatest bound first, are looked up while what
// the document holds and what the terms not yet looked up can add together
// can still reach theta.
func (pq *prunedQuestion) scoreDoc(s int, doc, offset uint64) error {
	clear(pq.has)
	var known groupBounds
	for _, i := range pq.byBound[pq.lazy:] {
		c, t := &pq.cur[i], pq.terms[i]
		if c.doc != doc {
			continue
		}
		sat := t.saturation(c.freq, c.norm)
		pq.most[i] = max(pq.most[i], sat)
		pq.contrib[i], pq.has[i] = t.w*sat, true
		known.add(t, pq.contrib[i])
		if err := c.next(); err != nil {
			return err
		}
	}
	if pq.filter != nil && !pq.filter[s].Contains(uint32(doc)) {
		return nil // its enumerated terms were read: the bounds they learn see every posting
	}
	rest := pq.lazyMax
	for j := pq.lazy - 1; j >= 0; j-- {
		if pq.below(pq.bound(&known, &rest)) {
			return nil
		}
		i := pq.byBound[j]
		t, c := pq.terms[i], &pq.cur[i]
		rest.w[t.group] -= pq.inBlock[i]
		rest.times[t.group] -= t.add
		if err := c.seek(doc); err != nil {
			return err
		}
		if c.doc == doc {
			pq.contrib[i], pq.has[i] = t.contribution(c.freq, c.norm), true
			known.add(t, pq.contrib[i])
		}
	}
	if score, matched := pq.score(pq.contrib, pq.has); matched {
		pq.offer(s, doc, offset, score)
	}
	return nil
}

// score applies the question's query tree to one document's term
// contributions, summed in the full scorer's order.
func (pq *prunedQuestion) score(contrib []float64, has []bool) (float64, bool) {
	var sums [maxGroups]float64
	var counts [maxGroups]uint32
	for i, t := range pq.terms {
		if has[i] {
			sums[t.group] += contrib[i]
			counts[t.group] += t.add
		}
	}
	return docScore(&sums, &counts, &pq.sizes, pq.tree)
}

// filterSegments returns, per segment of snap, the documents filter
// matches, which must not be modified: a term's from its postings bitmaps,
// a conjunction's as the intersection of its parts', any other's read with
// Bleve's unscored searcher (searchedSegments).
func filterSegments(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, filter query.Query) ([]*roaring.Bitmap, error) {
	switch f := filter.(type) {
	case *query.TermQuery:
		pls, err := newTermLookup(snap, nil).postings(f.FieldVal, f.Term)
		if err != nil {
			return nil, fmt.Errorf("filter: %w", err)
		}
		bms := make([]*roaring.Bitmap, len(pls))
		for s, pl := range pls {
			if bms[s], err = postingsBitmap(pl); err != nil {
				return nil, fmt.Errorf("filter %s:%s: %w", f.FieldVal, f.Term, err)
			}
		}
		return bms, nil
	case *query.ConjunctionQuery:
		var all []*roaring.Bitmap
		for _, c := range f.Conjuncts {
			bms, err := filterSegments(ctx, snap, m, c)
			if err != nil {
				return nil, err
			}
			if all == nil {
				all = bms
				continue
			}
			for s := range all {
				all[s] = roaring.And(all[s], bms[s]) // a new bitmap
			}
		}
		if all != nil {
			return all, nil
		}
	}
	return searchedSegments(ctx, snap, m, filter)
}

// searchedSegments returns, per segment of snap, the documents filter
// matches, read with Bleve's unscored searcher.
func searchedSegments(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, filter query.Query) ([]*roaring.Bitmap, error) {
	segs := snap.Segments()
	starts, bms := make([]uint64, len(segs)+1), make([]*roaring.Bitmap, len(segs)) // segment s numbers from starts[s]
	for i, seg := range segs {
		starts[i+1], bms[i] = starts[i]+uint64(seg.FullSize()), roaring.New()
	}
	sr, err := filter.Searcher(ctx, snap, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("filter: %w", err)
	}
	defer sr.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0), IndexReader: snap}
	for s, n := 0, 0; ; n++ {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := sr.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("filter: %w", err)
		}
		if dm == nil {
			return bms, nil
		}
		doc, err := internalDoc(dm.IndexInternalID)
		if err != nil {
			return nil, fmt.Errorf("filter: %w", err)
		}
		for s+1 < len(segs) && doc >= starts[s+1] {
			s++
		}
		bms[s].Add(uint32(doc - starts[s]))
		sctx.DocumentMatchPool.Put(dm)
	}
}

// outdatedSegments returns, per segment of snap, its outdated documents
// (validity.go), read from the validity postings.
func outdatedSegments(snap *scorch.IndexSnapshot) ([]*roaring.Bitmap, error) {
	segs := snap.Segments()
	out := make([]*roaring.Bitmap, len(segs))
	for s, seg := range segs {
		d, err := seg.Segment().Dictionary(fValidity)
		if err != nil {
			return nil, fmt.Errorf("read outdated documents: %w", err)
		}
		bms := make([]*roaring.Bitmap, len(outdatedValues))
		for i, v := range outdatedValues {
			pl, err := d.PostingsList([]byte(v), seg.Deleted(), nil)
			if err != nil {
				return nil, fmt.Errorf("read %s documents: %w", v, err)
			}
			if bms[i], err = postingsBitmap(pl); err != nil {
				return nil, fmt.Errorf("read %s documents: %w", v, err)
			}
		}
		out[s] = roaring.FastOr(bms...)
	}
	return out, nil
}

// union returns the union of pq.bms, bitmaps of a segment of docs document
// numbers. It ORs them into a dense bitmap and makes that a roaring bitmap:
// on the 10× copy this cost half of roaring's FastOr, which merges array
// containers pairwise and allocates each step. A bitmap with fewer
// documents than the span of words it covers is added document by
// document; a larger one is written whole into zeroed words and ORed in
// word by word (its dense containers copied, not iterated: on the 100×
// copy in one segment a question's bitmaps hold 1.3 million documents).
func (pq *prunedQuestion) union(docs uint64) *roaring.Bitmap {
	n := int((docs + 63) / 64)
	pq.words = zeroed(pq.words, uint64(n))
	words := pq.words
	if pq.buf == nil {
		pq.buf = make([]uint32, 256)
	}
	var it roaring.ManyIntIterator
	for _, bm := range pq.bms {
		if bm.IsEmpty() {
			continue
		}
		lo, hi := int(bm.Minimum()>>6), int(bm.Maximum()>>6)+1
		if bm.GetCardinality() >= uint64(hi-lo) {
			pq.dense = zeroed(pq.dense, uint64(n))
			bm.WriteDenseTo(pq.dense) // into zeroed words: exact, whatever its containers
			for k, w := range pq.dense[lo:hi] {
				words[lo+k] |= w
			}
			continue
		}
		it.Initialize(bm)
		for k := it.NextMany(pq.buf); k > 0; k = it.NextMany(pq.buf) {
			for _, d := range pq.buf[:k] {
				words[d>>6] |= 1 << (d & 63)
			}
		}
	}
	return roaring.FromDense(words, true)
}

// Facets of a question that matches more than facetsExact documents are
// counted on facetsSample of them, evenly spaced in document order, and
// scaled: counting a match costs ≈ 5 ns, skipping one ≈ 1 ns.
const (
	facetsExact  = 20000
	facetsSample = 10000
)

// countMatches returns the number of documents in matches (a bitmap per
// segment of snap) and, when facets is set, their facet counts (on a
// sample beyond facetsExact, see unionDocs).
func countMatches(snap *scorch.IndexSnapshot, matches []*roaring.Bitmap, facets *facetColumns) (*questionMatches, error) {
	m := &questionMatches{}
	for _, bm := range matches {
		m.total += bm.GetCardinality()
	}
	if facets == nil {
		return m, nil
	}
	segs := snap.Segments()
	sizes := make([]uint64, len(segs))
	for i, seg := range segs {
		sizes[i] = uint64(seg.FullSize())
	}
	docs, sampled := unionDocs(matches, sizes, m.total)
	counts, err := facets.countDocs(snap, docs, m.total)
	if err != nil {
		return nil, err
	}
	m.facets, m.facetsEstimated = counts, sampled
	return m, nil
}

// unionDocs yields the document numbers of per-segment bitmaps (sizes:
// the segments' document numbers) holding total documents: all of them, or
// every step-th when there are more than facetsExact (sampled true).
func unionDocs(bms []*roaring.Bitmap, sizes []uint64, total uint64) (docs iter.Seq[uint64], sampled bool) {
	if total > facetsExact {
		return sampleDocs(bms, sizes, total/facetsSample), true
	}
	return func(yield func(uint64) bool) {
		var offset uint64
		buf := make([]uint32, 256)
		for s, bm := range bms {
			it := bm.ManyIterator()
			for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
				for _, d := range buf[:n] {
					if !yield(offset + uint64(d)) {
						return
					}
				}
			}
			offset += sizes[s]
		}
	}, false
}

// sampleDocs yields every step-th document of unionDocs' bitmaps, the
// first included. It counts the documents a word of 64 at a time over a
// dense copy of each bitmap instead of visiting each (on the 100× copy a
// question matches 400,000 documents and 10,000 are counted).
func sampleDocs(bms []*roaring.Bitmap, sizes []uint64, step uint64) iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		var offset, i uint64 // i: the documents before the word
		var words []uint64
		for s, bm := range bms {
			words = zeroed(words, (sizes[s]+63)/64)
			bm.WriteDenseTo(words)
			for k, w := range words {
				c := uint64(bits.OnesCount64(w))
				for next := (i + step - 1) / step * step; next < i+c; next += step {
					v := w
					for range next - i { // drop the set bits before the one to yield
						v &= v - 1
					}
					if !yield(offset + uint64(k)*64 + uint64(bits.TrailingZeros64(v))) {
						return
					}
				}
				i += c
			}
			offset += sizes[s]
		}
	}
}
