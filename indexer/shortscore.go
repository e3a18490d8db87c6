package indexer

import (
	"context"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// segmentChunks is how many chunks of its candidates, in document order, a
// segment is scored in at most: a chunk holds max(n/segmentChunks,
// 4×keep, 64) of its n candidates, so often there are fewer. θ, the
// keep-th best score so far, rises after each, and the candidates of the
// next whose bound is below it are not scored.
const segmentChunks = 16

// segmentScorer scores the candidates of one segment of a pruned short
// query a chunk at a time, in document order, each term's postings read
// forward from chunk to chunk.
type segmentScorer struct {
	ps       *prunedShort
	s        int
	docs     []uint32        // the candidates (sure ∪ unsure) in document order
	unsure   *roaring.Bitmap // the candidates whose match depends on a phrase
	held     [][]int         // per clause: the indexes in docs of the candidates holding its terms
	from     []int           // per clause: the first entry of held not scored yet
	reads    [][]termRead    // per clause and term
	holds    [][]bool        // per clause and entry of held: a phrase stands there (a term or AND clause: true)
	score    []bool          // per candidate: scored, its bound reaching θ
	sum, cnt []float64       // per unit, branch (page, attachments) and candidate: the clauses' sums and counts
	outdated *roaring.Bitmap // nil: none demoted
	demote   float64
	matched  []uint32
}

// termRead is one term of a clause being read in a segment: each of its
// postings when its greatest saturation there is being learnt, else those
// of the candidates scored.
type termRead struct {
	t     *readTerm
	learn bool    // read in full, its greatest saturation recorded at the end
	bound float64 // what it adds at most: idf × k1 × w × its greatest saturation (1 when not known)
	most  float64 // with learn: the greatest saturation read so far
	cur   cursor  // with learn: its postings, one by one
	seek  seeker  // else: its postings, advanced to the candidates scored
	reads int     // postings read, to look at the context now and then
}

// newSegmentScorer prepares the scoring of segment s: its candidates, the
// clauses each holds and the terms' bounds; with learn, the terms whose
// greatest saturation in s is not known are read in full and learn it.
func (ps *prunedShort) newSegmentScorer(ctx context.Context, s int, learn bool, outdated []*roaring.Bitmap, demote float64) (*segmentScorer, error) {
	sc := ps.scratch
	candidates := roaring.Or(ps.sure[s], ps.unsure[s])
	n := int(candidates.GetCardinality())
	sc.docs = resized(sc.docs, n)
	for it, k := candidates.ManyIterator(), 0; k < n; {
		k += it.NextMany(sc.docs[k:])
	}
	sc.sum, sc.cnt = resized(sc.sum, 2*ps.units*n), resized(sc.cnt, 2*ps.units*n)
	sc.score = resized(sc.score, n)
	ss := &segmentScorer{ps: ps, s: s, docs: sc.docs, unsure: ps.unsure[s], sum: sc.sum, cnt: sc.cnt, score: sc.score,
		from: make([]int, len(ps.clauses)), reads: make([][]termRead, len(ps.clauses)), demote: demote, matched: sc.matched[:0]}
	if outdated != nil {
		ss.outdated = outdated[s]
	}
	for len(sc.held) < len(ps.clauses) {
		sc.held, sc.holds = append(sc.held, nil), append(sc.holds, nil)
	}
	ss.held, ss.holds = sc.held[:len(ps.clauses)], sc.holds[:len(ps.clauses)]
	seg, deleted := ps.segs[s].Segment(), deletedIn(ps.segs[s])
	nterms := 0
	for ci := range ps.clauses {
		c := &ps.clauses[ci]
		ss.held[ci] = heldBy(c.bms[s], candidates, ss.docs, ss.held[ci])
		ss.holds[ci] = resized(ss.holds[ci], len(ss.held[ci]))
		if !c.phrase {
			for k := range ss.holds[ci] {
				ss.holds[ci][k] = true
			}
		}
		ss.reads[ci] = make([]termRead, len(c.terms))
		for ti := range c.terms {
			if nterms == len(sc.vals) {
				sc.vals = append(sc.vals, nil)
			}
			sc.vals[nterms] = resized(sc.vals[nterms], len(ss.held[ci]))
			c.terms[ti].vals = sc.vals[nterms]
			nterms++
			if err := ss.openTerm(ctx, ci, ti, seg, deleted, learn); err != nil {
				return nil, err
			}
		}
	}
	return ss, nil
}

// openTerm sets up the reading of term ti of clause ci in the segment.
func (ss *segmentScorer) openTerm(ctx context.Context, ci, ti int, seg segment.Segment, deleted uint64, learn bool) error {
	c := &ss.ps.clauses[ci]
	t := &c.terms[ti]
	r := &ss.reads[ci][ti]
	r.t = t
	sat, known := ss.ps.bounds.saturation(seg, deleted, t.q)
	if !known {
		sat = 1
	}
	r.bound = t.idf * c.bm25.k1 * t.w * sat
	if len(ss.held[ci]) == 0 {
		return nil
	}
	pl := t.pls[ss.s]
	t.it = pl.Iterator(true, true, c.phrase, t.it)
	if r.learn = learn && !known && !c.phrase; r.learn {
		r.cur.it = t.it
		return r.step(ctx)
	}
	r.seek = newSeeker(t.it, seg)
	return nil
}

// heldBy returns the indexes in docs (the candidates, in order) of the
// candidates in bm, reusing idx's array.
func heldBy(bm, candidates *roaring.Bitmap, docs []uint32, idx []int) []int {
	h := roaring.And(bm, candidates)
	idx = idx[:0]
	if c := int(h.GetCardinality()); cap(idx) < c {
		idx = make([]int, 0, c)
	}
	it, j := h.Iterator(), 0
	for it.HasNext() {
		d := it.Next()
		for docs[j] != d {
			j++
		}
		idx = append(idx, j)
	}
	return idx
}

// scoreSegment records the matches of segment s and scores those whose
// bound reaches θ, a chunk of candidates at a time (θ rising after each);
// with learn, the terms whose greatest saturation in s is not known are
// read in full and it is recorded in the shared bounds.
func (ps *prunedShort) scoreSegment(ctx context.Context, s int, learn bool, outdated []*roaring.Bitmap, demote float64) error {
	ss, err := ps.newSegmentScorer(ctx, s, learn, outdated, demote)
	if err != nil {
		return err
	}
	start := len(ps.scratch.scored)
	n := len(ss.docs)
	size := max(n/segmentChunks, 4*ps.keep, 64)
	for lo := 0; lo < n; lo += size {
		if err := ss.scoreChunk(ctx, lo, min(lo+size, n)); err != nil {
			return err
		}
	}
	if err := ss.learnt(ctx); err != nil {
		return err
	}
	ps.scratch.matched = ss.matched
	ps.matches[s] = roaring.BitmapOf(ss.matched...)
	ps.scored[s] = ps.scratch.scored[start:len(ps.scratch.scored):len(ps.scratch.scored)]
	return nil
}

// theta is the keep-th best score so far, or −∞ while fewer are scored or
// the scores cannot be bounded.
func (ps *prunedShort) theta() float64 {
	if ps.bounded && ps.keep > 0 && len(ps.top) == ps.keep {
		return ps.top[0]
	}
	return math.Inf(-1)
}

// scoreChunk scores the candidates docs[lo:hi]: the learnt terms' postings
// are read first, then the candidates whose bound reaches θ are marked
// and the other terms read for those, the phrases for those and for the
// candidates whose match depends on them; the matches are recorded and the
// scores offered to the keep best.
func (ss *segmentScorer) scoreChunk(ctx context.Context, lo, hi int) error {
	ps := ss.ps
	ends := make([]int, len(ps.clauses)) // per clause: the end of the chunk's entries of held
	for ci := range ps.clauses {
		e := ss.from[ci]
		for e < len(ss.held[ci]) && ss.held[ci][e] < hi {
			e++
		}
		ends[ci] = e
	}
	for ci := range ps.clauses {
		for ti := range ss.reads[ci] {
			if r := &ss.reads[ci][ti]; r.learn {
				if err := r.readAll(ctx, &ps.clauses[ci], ss.docs, ss.held[ci][ss.from[ci]:ends[ci]], ss.from[ci]); err != nil {
					return err
				}
			}
		}
	}
	ss.mark(lo, hi, ends)
	for ci := range ps.clauses {
		if err := ss.readClause(ctx, ci, ends[ci]); err != nil {
			return err
		}
		ss.from[ci] = ends[ci]
	}
	ss.record(lo, hi)
	return nil
}

// mark sets score for the candidates docs[lo:hi]: all of them while there
// is no θ, else those whose bound reaches it. A candidate's bound is its
// score's sums with each clause it holds taken at its bound (the learnt
// terms at what they add, the others at their greatest saturation, the
// phrases as held), times the outdated weight when it is outdated.
func (ss *segmentScorer) mark(lo, hi int, ends []int) {
	ps := ss.ps
	theta := ps.theta()
	if math.IsInf(theta, -1) {
		for i := lo; i < hi; i++ {
			ss.score[i] = true
		}
		return
	}
	n := len(ss.docs)
	for ci, c := range ps.clauses {
		var known float64 // the terms not learnt
		var learnt [][]float64
		for ti := range ss.reads[ci] {
			if r := &ss.reads[ci][ti]; r.learn {
				learnt = append(learnt, r.t.vals)
			} else {
				known += r.bound
			}
		}
		branch := (2*c.unit + c.att) * n
		for k := ss.from[ci]; k < ends[ci]; k++ {
			b := known
			for _, vals := range learnt {
				b += vals[k]
			}
			i := ss.held[ci][k]
			ss.sum[branch+i] += b
			ss.cnt[branch+i]++
		}
	}
	for i := lo; i < hi; i++ {
		b, _ := ps.combine(ss.sum, ss.cnt, n, i)
		if ss.demoted(i) {
			b *= ss.demote
		}
		ss.score[i] = b*(1+1e-9) >= theta
	}
	for b := range 2 * ps.units {
		clear(ss.sum[b*n+lo : b*n+hi])
		clear(ss.cnt[b*n+lo : b*n+hi])
	}
}

// demoted says whether candidate i is outdated.
func (ss *segmentScorer) demoted(i int) bool {
	return ss.outdated != nil && ss.outdated.Contains(ss.docs[i])
}

// readClause reads clause ci's terms in the chunk's entries of its held,
// held[from[ci]:end], and adds the clause to the sums and counts of the
// candidates holding it: what it adds (its terms summed in c.order, as the
// conjunction that scores it sums them) to those scored.
func (ss *segmentScorer) readClause(ctx context.Context, ci, end int) error {
	c := &ss.ps.clauses[ci]
	from := ss.from[ci]
	if from == end {
		return nil
	}
	if c.phrase {
		if err := ss.readPhrase(ctx, ci, end); err != nil {
			return err
		}
	} else {
		for _, ti := range c.order {
			if r := &ss.reads[ci][ti]; !r.learn {
				if err := r.readScored(ctx, c, ss.docs, ss.held[ci], from, end, ss.score); err != nil {
					return err
				}
			}
		}
	}
	branch := (2*c.unit + c.att) * len(ss.docs)
	for k := from; k < end; k++ {
		if !ss.holds[ci][k] {
			continue
		}
		i := ss.held[ci][k]
		ss.cnt[branch+i]++
		if ss.score[i] {
			var v float64
			for _, ti := range c.order {
				v += c.terms[ti].vals[k]
			}
			ss.sum[branch+i] += v
		}
	}
	return nil
}

// record adds the matches among docs[lo:hi] and the scores of those scored.
func (ss *segmentScorer) record(lo, hi int) {
	ps := ss.ps
	for i := lo; i < hi; i++ {
		v, ok := ps.combine(ss.sum, ss.cnt, len(ss.docs), i)
		if !ok {
			continue
		}
		ss.matched = append(ss.matched, ss.docs[i])
		if !ss.score[i] {
			ps.skipped++
			continue
		}
		if ss.demoted(i) {
			v *= ss.demote
		}
		ps.scratch.scored = append(ps.scratch.scored, scored{doc: ps.offsets[ss.s] + uint64(ss.docs[i]), score: v})
		ps.offer(v)
	}
}

// learnt reads the rest of the learnt terms' postings and records their
// greatest saturation in the segment.
func (ss *segmentScorer) learnt(ctx context.Context) error {
	seg := ss.ps.segs[ss.s]
	for ci := range ss.reads {
		for ti := range ss.reads[ci] {
			r := &ss.reads[ci][ti]
			if !r.learn {
				continue
			}
			for r.cur.doc != math.MaxUint64 {
				if err := r.step(ctx); err != nil {
					return err
				}
			}
			ss.ps.bounds.record(seg.Segment(), deletedIn(seg), r.t.q, r.most)
		}
	}
	return nil
}

// step reads the next posting of a learnt term.
func (r *termRead) step(ctx context.Context) error {
	if r.reads++; r.reads%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if err := r.cur.next(); err != nil {
		return err
	}
	if r.cur.doc != math.MaxUint64 {
		r.most = max(r.most, r.t.q.saturation(r.cur.freq, r.cur.norm))
	}
	return nil
}

// readAll sets what a learnt term adds in the candidates held (their
// indexes in docs; the first is entry from of the clause's held), reading
// its postings one by one up to the last of them.
func (r *termRead) readAll(ctx context.Context, c *readClause, docs []uint32, held []int, from int) error {
	for j, i := range held {
		d := uint64(docs[i])
		for r.cur.doc < d {
			if err := r.step(ctx); err != nil {
				return err
			}
		}
		if r.cur.doc != d {
			return errNotPrunable // the bitmap and the postings disagree
		}
		r.t.vals[from+j] = r.t.score(c.bm25, r.cur.freq, r.cur.norm)
	}
	return nil
}

// readScored sets what the term adds in the scored candidates among
// held[from:end], seeking each.
func (r *termRead) readScored(ctx context.Context, c *readClause, docs []uint32, held []int, from, end int, score []bool) error {
	for k := from; k < end; k++ {
		i := held[k]
		if !score[i] {
			continue
		}
		p, err := r.advance(ctx, uint64(docs[i]))
		if err != nil {
			return err
		}
		r.t.vals[k] = r.t.score(c.bm25, p.Frequency(), p.Norm())
	}
	return nil
}

// advance returns the posting of doc, which the term's bitmap holds.
func (r *termRead) advance(ctx context.Context, doc uint64) (segment.Posting, error) {
	if r.reads++; r.reads%1024 == 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	p, err := r.seek.advance(doc)
	if err != nil {
		return nil, err
	}
	if p == nil || p.Number() != doc {
		return nil, errNotPrunable // the bitmap and the postings disagree
	}
	return p, nil
}

// readPhrase reads the terms of phrase clause ci, with their positions, in
// the chunk's entries of its held that are scored or whose match depends
// on the phrase, and sets holds where the terms stand at the phrase's
// positions (as Bleve's phrase searcher checks them).
func (ss *segmentScorer) readPhrase(ctx context.Context, ci, end int) error {
	c := &ss.ps.clauses[ci]
	sc := ss.ps.scratch
	read := sc.read[:0] // entries of held
	for k := ss.from[ci]; k < end; k++ {
		i := ss.held[ci][k]
		if ss.score[i] || ss.unsure.Contains(ss.docs[i]) {
			read = append(read, k)
		}
	}
	sc.read = read
	for len(sc.starts) < len(read) {
		sc.starts = append(sc.starts, nil)
	}
	starts := sc.starts[:len(read)]
	for j := range starts {
		starts[j] = starts[j][:0]
	}
	for ti := range c.terms {
		r := &ss.reads[ci][ti]
		for j, k := range read {
			p, err := r.advance(ctx, uint64(ss.docs[ss.held[ci][k]]))
			if err != nil {
				return err
			}
			r.t.vals[k] = r.t.score(c.bm25, p.Frequency(), p.Norm())
			if ti == 0 {
				for _, l := range p.Locations() {
					if len(l.ArrayPositions()) > 0 {
						return errNotPrunable
					}
					starts[j] = append(starts[j], l.Pos())
				}
				continue
			}
			kept := starts[j][:0]
			for _, st := range starts[j] {
				if slices.ContainsFunc(p.Locations(), func(l segment.Location) bool { return l.Pos() == st+c.rel[ti] }) {
					kept = append(kept, st)
				}
			}
			starts[j] = kept
		}
	}
	for j, k := range read {
		ss.holds[ci][k] = len(starts[j]) > 0
	}
	return nil
}
