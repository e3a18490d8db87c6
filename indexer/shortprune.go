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
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A short query (all words required) matches thousands of documents on a
// large archive, and Bleve's conjunction searcher, which scores every one,
// was most of its cost (RANKING.md, "Short queries pruned to their page").
// Its matches, total and facets are instead read from the postings bitmaps
// of its clauses (a conjunction of units, each a disjunction of a title
// phrase, the body bigrams and a gse word), and Bleve scores only the
// documents that can reach the page: those of the classes (which units a
// document holds in its title) whose score bound reaches the score of the
// page's last hit. The page is Bleve's own, ties included.

// shortClause is one leaf of a short query's unit: a term, a conjunction
// of terms (a match query with the AND operator) or a phrase.
type shortClause struct {
	field  string
	terms  []string // analysed, duplicates kept as Bleve's match query keeps them
	boost  float64
	k1     float64
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
		c = shortClause{field: x.field, terms: []string{x.term}, boost: x.boost, k1: x.bm25.k1}
	case *matchQuery:
		if x.Operator != query.MatchQueryOperatorAnd {
			return c, false
		}
		c, text = shortClause{field: x.FieldVal, boost: x.BoostVal.Value(), k1: x.bm25.k1}, x.Match
	case *phraseQuery:
		c, text = shortClause{field: x.FieldVal, boost: x.BoostVal.Value(), k1: x.bm25.k1, phrase: true}, x.MatchPhrase
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
	sure    []*roaring.Bitmap   // per segment: documents that match
	unsure  []*roaring.Bitmap   // per segment: documents that match if their phrases hold
	titles  [][]*roaring.Bitmap // per unit and segment: documents with a title clause of the unit
	all     [shortUnits + 1]float64
	notitle [shortUnits + 1]float64
	demote  float64
}

// pruneShort computes the matches of a short query (units, as shortShape
// gives them) in snap with their total and facets, and has inner (the same
// query, as Bleve runs it) score only those that can be among the keep
// best. It returns errNotPrunable when the query cannot be pruned.
func (q *bestQuery) pruneShort(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, opts search.SearcherOptions, units [][]shortClause) ([]scored, error) {
	if len(units) > shortUnits {
		return nil, errNotPrunable
	}
	ps := &prunedShort{segs: snap.Segments(), demote: 1}
	if d, ok := q.inner.(*demoteQuery); ok {
		ps.demote = max(1, d.weight)
	}
	var offset uint64
	for _, seg := range ps.segs {
		ps.offsets = append(ps.offsets, offset)
		offset += uint64(seg.FullSize())
	}
	if err := ps.read(ctx, snap, units); err != nil {
		return nil, err
	}
	// classes: which units a document holds in its title, the best bound first
	type class struct {
		mask  int
		bound float64
		docs  []*roaring.Bitmap
		n     uint64
	}
	var classes []class
	bounds := make([]float64, 1<<len(units)) // per class
	for mask := range 1 << len(units) {
		c := class{mask: mask}
		for u := range units {
			if mask&(1<<u) != 0 {
				c.bound += ps.all[u]
			} else {
				c.bound += ps.notitle[u]
			}
		}
		c.bound *= ps.demote
		for s := range ps.segs {
			bm := roaring.Or(ps.sure[s], ps.unsure[s])
			for u := range units {
				if mask&(1<<u) != 0 {
					bm.And(ps.titles[u][s])
				} else {
					bm.AndNot(ps.titles[u][s])
				}
			}
			c.docs = append(c.docs, bm)
			c.n += bm.GetCardinality()
		}
		bounds[mask] = c.bound
		if c.n > 0 {
			classes = append(classes, c)
		}
	}
	slices.SortStableFunc(classes, func(a, b class) int { return cmp.Compare(b.bound, a.bound) })
	var out []scored
	theta := math.Inf(-1) // the keep-th best score so far
	done := make([]*roaring.Bitmap, len(ps.segs))
	for s := range ps.segs {
		done[s] = roaring.New()
	}
	for i, first := 0, true; i < len(classes) || first; first = false {
		// a batch: the unsure documents once (their phrases are checked by
		// Bleve), then the classes that can reach theta, or, while there is
		// none, enough of them for keep documents
		batch := make([]*roaring.Bitmap, len(ps.segs))
		var n uint64
		for s := range ps.segs {
			batch[s] = roaring.New()
			if first {
				batch[s].Or(ps.unsure[s])
				n += batch[s].GetCardinality()
			}
		}
		for i < len(classes) {
			c := classes[i]
			if c.bound*(1+1e-9) < theta {
				i = len(classes) // the rest are below theta too
				break
			}
			for s := range ps.segs {
				batch[s].Or(c.docs[s])
			}
			n += c.n
			i++
			if math.IsInf(theta, -1) && uint64(len(out))+n >= uint64(q.keep) {
				break
			}
		}
		for s := range ps.segs {
			batch[s].AndNot(done[s])
			done[s].Or(batch[s])
		}
		ms, err := ps.score(ctx, snap, m, opts, q.inner, batch)
		if err != nil {
			return nil, err
		}
		for _, sc := range ms {
			if sc.score > bounds[ps.classOf(sc.doc)]*(1+1e-9) {
				return nil, errNotPrunable
			}
		}
		out = append(out, ms...)
		if len(out) >= q.keep {
			theta = kthBest(out, q.keep)
		}
	}
	slices.SortFunc(out, func(a, b scored) int { return cmp.Compare(a.doc, b.doc) })
	// the matches: the sure ones and the unsure ones Bleve found
	matches := ps.sure
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

// kthBest returns the k-th best score of ms (len(ms) ≥ k).
func kthBest(ms []scored, k int) float64 {
	s := make([]float64, len(ms))
	for i, m := range ms {
		s[i] = m.score
	}
	slices.SortFunc(s, func(a, b float64) int { return cmp.Compare(b, a) })
	return s[k-1]
}

// read reads the clauses' postings bitmaps and their score bounds.
func (ps *prunedShort) read(ctx context.Context, snap *scorch.IndexSnapshot, units [][]shortClause) error {
	nseg := len(ps.segs)
	type stat struct {
		n   float64
		avg float64
	}
	stats := map[string]stat{}
	var weights float64    // Σ (boost × idf)² over the query's terms: the query norm's
	var bounds [][]float64 // per unit and clause: Σ boost × idf² × k1, without the norm
	dicts := map[string][]segment.TermDictionary{}
	ps.titles = make([][]*roaring.Bitmap, len(units))
	sure := make([][]*roaring.Bitmap, len(units))
	maybe := make([][]*roaring.Bitmap, len(units))
	for u, clauses := range units {
		bounds = append(bounds, make([]float64, len(clauses)))
		sure[u], maybe[u], ps.titles[u] = make([]*roaring.Bitmap, nseg), make([]*roaring.Bitmap, nseg), make([]*roaring.Bitmap, nseg)
		for s := range nseg {
			sure[u][s], maybe[u][s], ps.titles[u][s] = roaring.New(), roaring.New(), roaring.New()
		}
		for ci, c := range clauses {
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
			bms := make([]*roaring.Bitmap, nseg)
			for _, term := range c.terms {
				var df uint64
				for s, seg := range ps.segs {
					pl, err := ds[s].PostingsList([]byte(term), seg.Deleted(), nil)
					if err != nil {
						return fmt.Errorf("postings of %q in %s: %w", term, c.field, err)
					}
					df += pl.Count()
					bm, err := postingsBitmap(pl)
					if err != nil {
						return fmt.Errorf("postings of %q in %s: %w", term, c.field, err)
					}
					if bms[s] == nil {
						bms[s] = bm.Clone()
					} else {
						bms[s].And(bm)
					}
				}
				idf := math.Log(1 + (st.n-float64(df)+0.5)/(float64(df)+0.5))
				weights += (c.boost * idf) * (c.boost * idf)
				bounds[u][ci] += c.boost * idf * idf * c.k1
			}
			for s := range nseg {
				if c.phrase {
					maybe[u][s].Or(bms[s])
				} else {
					sure[u][s].Or(bms[s])
				}
				if c.title {
					ps.titles[u][s].Or(bms[s])
				}
			}
		}
	}
	if weights <= 0 {
		return errNotPrunable
	}
	norm := 1 / math.Sqrt(weights)
	for u, clauses := range units {
		var all, rest float64
		titles := 0
		for ci, c := range clauses {
			all += bounds[u][ci]
			if c.title {
				titles++
			} else {
				rest += bounds[u][ci]
			}
		}
		n := float64(len(clauses))
		ps.all[u] = all * norm
		ps.notitle[u] = rest * norm * (n - float64(titles)) / n
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

// classOf returns the class (which units the document holds in its
// title) of document doc.
func (ps *prunedShort) classOf(doc uint64) int {
	s, local := ps.segmentOf(doc)
	mask := 0
	for u, t := range ps.titles {
		if t[s].Contains(uint32(local)) {
			mask |= 1 << u
		}
	}
	return mask
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
