package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A short query (all words required) matches thousands of documents on a
// large archive, and Bleve's conjunction searcher, which scores every one,
// was most of its cost (RANKING.md, "Short queries pruned to their page").
// Its matches, total and facets are instead read from the postings bitmaps
// of its clauses (a conjunction of units, each a disjunction of a title
// phrase, the body bigrams and a gse word); each match's score is estimated
// from its postings (BM25 and coordination as Bleve computes them, a title
// phrase taken as held for the upper estimate and as missing for the
// lower), and Bleve scores only the documents whose upper estimate reaches
// the keep-th best lower one. The page is Bleve's own, ties included.

// shortClause is one leaf of a short query's unit: a term, a conjunction
// of terms (a match query with the AND operator) or a phrase.
type shortClause struct {
	field  string
	terms  []string // analysed, duplicates kept as Bleve's match query keeps them
	boost  float64
	k1, b  float64
	phrase bool // the terms' bitmap holds the phrase's documents and more
	title  bool
}

// shortShape returns the units of a short query as runBleve builds it
// (optionally demoted: a boolean query whose only clause is a must
// conjunction of disjunctions of term, AND-match and phrase clauses), with
// the analysed terms of each clause, or nil when q has another shape.
func shortShape(q query.Query, m mapping.IndexMapping) [][]shortClause {
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
	var units [][]shortClause
	for _, u := range conj.Conjuncts {
		dis, ok := u.(*query.DisjunctionQuery)
		if !ok || dis.Min > 1 || len(dis.Disjuncts) == 0 {
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
		units = append(units, clauses)
	}
	return units
}

// shortLeaf returns the clause of one leaf of a unit.
func shortLeaf(leaf query.Query, m mapping.IndexMapping) (shortClause, bool) {
	var c shortClause
	var text string
	switch x := leaf.(type) {
	case *termQuery:
		c = shortClause{field: x.field, terms: []string{x.term}, boost: x.boost, k1: x.bm25.k1, b: x.bm25.b}
	case *matchQuery:
		if x.Operator != query.MatchQueryOperatorAnd {
			return c, false
		}
		c, text = shortClause{field: x.FieldVal, boost: x.BoostVal.Value(), k1: x.bm25.k1, b: x.bm25.b}, x.Match
	case *phraseQuery:
		c, text = shortClause{field: x.FieldVal, boost: x.BoostVal.Value(), k1: x.bm25.k1, b: x.bm25.b, phrase: true}, x.MatchPhrase
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
		}
	}
	if c.field == "" {
		c.field = m.DefaultSearchField()
	}
	c.title = c.field == fTitleBi
	return c, c.k1 > 0 && len(c.terms) > 0
}

// errNotPrunable says a short query's bound was exceeded by a document's
// score: the query is scored in full instead.
var errNotPrunable = errors.New("short query: a score above its bound")

// prunedShort is the state of one pruned short query.
type prunedShort struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	sure    []*roaring.Bitmap // per segment: documents that match
	unsure  []*roaring.Bitmap // per segment: documents that match if their phrases hold
	clauses []readClause
	units   int
	sizes   [shortUnits]float64 // clauses per unit (coordination)
	demote  float64
	// per segment: the documents of sure ∪ unsure and their estimates
	docs      [][]uint32
	low, high [][]float64
	outdated  map[uint64]bool
}

// readClause is a clause with its terms' postings and bitmap.
type readClause struct {
	shortClause
	unit  int
	terms []readTerm
	bms   []*roaring.Bitmap // per segment: documents holding all terms
}

// readTerm is one term of a clause: its postings per segment and what a
// posting adds, idf × tf·k1 / (tf + k1·(1 − b + b·length/avg)) × w.
type readTerm struct {
	pls         []segment.PostingsList
	idf, w, avg float64
}

// slack bounds the difference between an estimate and Bleve's score,
// summed in another order.
const slack = 1e-9

// pruneShort computes the matches of a short query (units, as shortShape
// gives them) in snap with their total and facets, and has inner (the same
// query, as Bleve runs it) score only those that can be among the keep
// best. It returns errNotPrunable when the query cannot be pruned.
func (q *bestQuery) pruneShort(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, opts search.SearcherOptions, units [][]shortClause) ([]scored, error) {
	if len(units) > shortUnits {
		return nil, errNotPrunable
	}
	ps := &prunedShort{segs: snap.Segments(), demote: 1, units: len(units)}
	if d, ok := q.inner.(*demoteQuery); ok {
		ps.demote = d.weight
		var err error
		if ps.outdated, err = outdatedDocs(ctx, snap); err != nil {
			return nil, err
		}
	}
	var offset uint64
	for _, seg := range ps.segs {
		ps.offsets = append(ps.offsets, offset)
		offset += uint64(seg.FullSize())
	}
	if err := ps.read(ctx, snap, units); err != nil {
		return nil, err
	}
	if err := ps.estimate(ctx); err != nil {
		return nil, err
	}
	// theta: the keep-th best lower estimate, which the page's last hit reaches
	var lows []float64
	for s := range ps.segs {
		for _, l := range ps.low[s] {
			if !math.IsInf(l, -1) {
				lows = append(lows, l)
			}
		}
	}
	theta := math.Inf(-1)
	if len(lows) >= q.keep {
		slices.SortFunc(lows, func(a, b float64) int { return cmp.Compare(b, a) })
		theta = lows[q.keep-1] * (1 - slack)
	}
	batch := make([]*roaring.Bitmap, len(ps.segs))
	for s := range ps.segs {
		batch[s] = ps.unsure[s].Clone() // Bleve checks their phrases
		for i, d := range ps.docs[s] {
			if ps.high[s][i]*(1+slack) >= theta {
				batch[s].Add(d)
			}
		}
	}
	out, err := ps.score(ctx, snap, m, opts, q.inner, batch)
	if err != nil {
		return nil, err
	}
	for _, sc := range out { // the estimates hold, or the query is scored in full
		s, local := ps.segmentOf(sc.doc)
		i, ok := slices.BinarySearch(ps.docs[s], uint32(local))
		if !ok || sc.score > ps.high[s][i]*(1+slack) || sc.score < ps.low[s][i]*(1-slack) {
			return nil, errNotPrunable
		}
	}
	matches := ps.sure // and the unsure documents Bleve found
	for _, sc := range out {
		s, local := ps.segmentOf(sc.doc)
		matches[s].Add(uint32(local))
	}
	q.matched = &questionMatches{}
	for _, bm := range matches {
		q.matched.total += bm.GetCardinality()
	}
	if q.facets != nil {
		sizes := make([]uint64, len(ps.segs))
		for i, seg := range ps.segs {
			sizes[i] = uint64(seg.FullSize())
		}
		docs, sampled := unionDocs(matches, sizes, q.matched.total)
		facets, err := q.facets.countDocs(snap, docs, q.matched.total)
		if err != nil {
			return nil, err
		}
		q.matched.facets, q.matched.facetsEstimated = facets, sampled
	}
	return out, nil
}

// estimate computes, for each document of sure ∪ unsure, the lower and
// upper estimates of its score: each unit's clauses it holds, summed and
// times their share of the unit's clauses (Bleve's coordination), a
// phrase clause counted for the upper estimate only; −∞ as the lower one
// when a unit is held only by phrases.
func (ps *prunedShort) estimate(ctx context.Context) error {
	nseg := len(ps.segs)
	ps.docs, ps.low, ps.high = make([][]uint32, nseg), make([][]float64, nseg), make([][]float64, nseg)
	for s := range nseg {
		docs := roaring.Or(ps.sure[s], ps.unsure[s]).ToArray()
		n := len(docs)
		ps.docs[s] = docs
		// per unit and document: sure sum and count, phrase sum and count
		sum, cnt := make([]float64, ps.units*n), make([]float64, ps.units*n)
		psum, pcnt := make([]float64, ps.units*n), make([]float64, ps.units*n)
		clause := make([]float64, n)
		for _, c := range ps.clauses {
			held := roaring.And(c.bms[s], roaring.Or(ps.sure[s], ps.unsure[s]))
			if held.IsEmpty() {
				continue
			}
			idx := make([]int, 0, held.GetCardinality())
			it, j := held.Iterator(), 0
			for it.HasNext() {
				d := it.Next()
				for docs[j] != d {
					j++
				}
				idx = append(idx, j)
			}
			for _, i := range idx {
				clause[i] = 0
			}
			for _, t := range c.terms {
				cur := cursor{it: t.pls[s].Iterator(true, true, false, nil)}
				for k, i := range idx {
					if k%1024 == 1023 {
						if err := ctx.Err(); err != nil {
							return err
						}
					}
					if err := cur.seek(uint64(docs[i])); err != nil {
						return err
					}
					if cur.doc != uint64(docs[i]) {
						return errNotPrunable // the bitmap and the postings disagree
					}
					clause[i] += t.score(cur.freq, cur.norm, c.k1, c.b)
				}
			}
			for _, i := range idx {
				k := c.unit*n + i
				if c.phrase {
					psum[k] += clause[i]
					pcnt[k]++
				} else {
					sum[k] += clause[i]
					cnt[k]++
				}
			}
		}
		low, high := make([]float64, n), make([]float64, n)
		for i, d := range docs {
			for u := range ps.units {
				k := u*n + i
				if cnt[k] == 0 {
					low[i] = math.Inf(-1)
				} else {
					low[i] += sum[k] * cnt[k] / ps.sizes[u]
				}
				high[i] += (sum[k] + psum[k]) * (cnt[k] + pcnt[k]) / ps.sizes[u]
			}
			if ps.outdated[ps.offsets[s]+uint64(d)] {
				low[i], high[i] = low[i]*ps.demote, high[i]*ps.demote
			}
		}
		ps.low[s], ps.high[s] = low, high
	}
	return nil
}

// score is what a posting with freq and norm adds, computed as the term
// searcher computes it (termSearcher.match).
func (t *readTerm) score(freq uint64, norm, k1, b float64) float64 {
	var tf float64
	if freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[freq]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	length := 1 / (norm * norm)
	return t.idf * (tf * k1) / (tf + k1*(1-b+(b*length/t.avg))) * t.w
}

// read reads the clauses' postings, bitmaps and weights.
func (ps *prunedShort) read(ctx context.Context, snap *scorch.IndexSnapshot, units [][]shortClause) error {
	nseg := len(ps.segs)
	type stat struct{ n, avg float64 }
	stats := map[string]stat{}
	dicts := map[string][]segment.TermDictionary{}
	var weights float64 // Σ (boost × idf)² over the query's terms: the query norm's
	sure := make([][]*roaring.Bitmap, len(units))
	maybe := make([][]*roaring.Bitmap, len(units))
	for u, clauses := range units {
		ps.sizes[u] = float64(len(clauses))
		sure[u], maybe[u] = make([]*roaring.Bitmap, nseg), make([]*roaring.Bitmap, nseg)
		for s := range nseg {
			sure[u][s], maybe[u][s] = roaring.New(), roaring.New()
		}
		for _, c := range clauses {
			st, ok := stats[c.field]
			if !ok {
				n, avg, err := termStats(ctx, snap, c.field)
				if err != nil {
					return err
				}
				if avg == 0 {
					return errNotPrunable // scored by TF-IDF
				}
				st = stat{float64(n), avg}
				stats[c.field] = st
			}
			ds, ok := dicts[c.field]
			if !ok {
				for _, seg := range ps.segs {
					d, err := seg.Segment().Dictionary(c.field)
					if err != nil {
						return fmt.Errorf("short query terms in %s: %w", c.field, err)
					}
					ds = append(ds, d)
				}
				dicts[c.field] = ds
			}
			rc := readClause{shortClause: c, unit: u, bms: make([]*roaring.Bitmap, nseg)}
			for _, term := range c.terms {
				t := readTerm{pls: make([]segment.PostingsList, nseg), avg: st.avg}
				var df uint64
				for s, seg := range ps.segs {
					pl, err := ds[s].PostingsList([]byte(term), seg.Deleted(), nil)
					if err != nil {
						return fmt.Errorf("postings of %q in %s: %w", term, c.field, err)
					}
					t.pls[s] = pl
					df += pl.Count()
					bm, err := postingsBitmap(pl)
					if err != nil {
						return fmt.Errorf("postings of %q in %s: %w", term, c.field, err)
					}
					if rc.bms[s] == nil {
						rc.bms[s] = bm.Clone()
					} else {
						rc.bms[s].And(bm)
					}
				}
				t.idf = math.Log(1 + (st.n-float64(df)+0.5)/(float64(df)+0.5))
				weights += (c.boost * t.idf) * (c.boost * t.idf)
				rc.terms = append(rc.terms, t)
			}
			for s := range nseg {
				if c.phrase {
					maybe[u][s].Or(rc.bms[s])
				} else {
					sure[u][s].Or(rc.bms[s])
				}
			}
			ps.clauses = append(ps.clauses, rc)
		}
	}
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
	ps.sure, ps.unsure = make([]*roaring.Bitmap, nseg), make([]*roaring.Bitmap, nseg)
	for s := range nseg {
		var sureAll, anyAll *roaring.Bitmap
		for u := range units {
			anyU := roaring.Or(sure[u][s], maybe[u][s])
			if sureAll == nil {
				sureAll, anyAll = sure[u][s].Clone(), anyU
			} else {
				sureAll.And(sure[u][s])
				anyAll.And(anyU)
			}
		}
		ps.sure[s] = sureAll
		ps.unsure[s] = roaring.AndNot(anyAll, sureAll)
	}
	return nil
}

// segmentOf returns the segment of document number doc and its number there.
func (ps *prunedShort) segmentOf(doc uint64) (int, uint64) {
	s, _ := slices.BinarySearch(ps.offsets, doc+1)
	return s - 1, doc - ps.offsets[s-1]
}

// score has Bleve's searcher of inner score the documents of docs (per
// segment) that it matches, advancing from one to the next.
func (ps *prunedShort) score(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, opts search.SearcherOptions, inner query.Query, docs []*roaring.Bitmap) (out []scored, err error) {
	sr, err := inner.Searcher(ctx, snap, m, opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := sr.Close(); err == nil {
			err = cerr
		}
	}()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0), IndexReader: snap}
	var cur *search.DocumentMatch
	var curDoc uint64
	var id index.IndexInternalID
	n := 0
	for s, bm := range docs {
		it := bm.Iterator()
		for it.HasNext() {
			doc := ps.offsets[s] + uint64(it.Next())
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if cur != nil && curDoc > doc {
				continue
			}
			if cur == nil || curDoc < doc {
				if cur != nil {
					sctx.DocumentMatchPool.Put(cur)
				}
				id = index.NewIndexInternalID(id, doc)
				if cur, err = sr.Advance(sctx, id); err != nil {
					return nil, err
				}
				if cur == nil {
					return out, nil
				}
				if curDoc, err = internalDoc(cur.IndexInternalID); err != nil {
					return nil, err
				}
			}
			if curDoc == doc {
				out = append(out, scored{doc: doc, score: cur.Score})
				sctx.DocumentMatchPool.Put(cur)
				cur = nil
			}
		}
	}
	return out, nil
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
