package indexer

import (
	"context"
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A question with a quoted phrase matches only the documents that hold the
// phrase (a must clause beside it), usually a small share of those holding
// one of its terms. Its terms are then scored only in the documents that
// can hold the phrase: those holding, in one of the fields the phrase is
// looked for in, a token of each of its positions (the phrase and the
// exact check of the body text keep fewer). The question's scores of those
// documents are the full scorer's, so the page is the same. RANKING.md gives
// the measurements.

// withinPhrases are the quoted phrases that a questionQuery's documents
// must hold, with the fields each is looked for in (phraseQuery).
type withinPhrases struct {
	phrases []string
	fields  []string
}

// seekRatio is how many postings reading a term's postings one by one costs
// as much as seeking one candidate with zap's Advance. Advance steps past
// every posting before the target rather than jumping (zapseek.go's seeker
// jumps), so seeking saves decoding the postings passed, not stepping them.
const seekRatio = 6

// candidates returns, per segment of snap, the documents holding a token
// of each position of every phrase in one of the fields.
func (w *withinPhrases) candidates(snap *scorch.IndexSnapshot, m mapping.IndexMapping) ([]*roaring.Bitmap, error) {
	type positions [][]string // the tokens of each position of a phrase in one field
	analysed := make([][]positions, len(w.phrases))
	for i, ph := range w.phrases {
		for _, f := range w.fields {
			_, toks, err := analyse(m, f, ph)
			if err != nil {
				return nil, fmt.Errorf("phrase %q: %w", ph, err)
			}
			var ps positions
			for k, t := range toks {
				if k == 0 || t.pos != toks[k-1].pos {
					ps = append(ps, nil)
				}
				ps[len(ps)-1] = append(ps[len(ps)-1], t.term)
			}
			analysed[i] = append(analysed[i], ps)
		}
	}
	segs := snap.Segments()
	out := make([]*roaring.Bitmap, len(segs))
	for s, seg := range segs {
		docs, err := intersectUnions(len(analysed), func(i int) ([]*roaring.Bitmap, error) {
			holding := make([]*roaring.Bitmap, len(analysed[i]))
			for k, ps := range analysed[i] {
				var err error
				if holding[k], err = holdingAll(seg, w.fields[k], ps); err != nil {
					return nil, err
				}
			}
			return holding, nil
		})
		if err != nil {
			return nil, err
		}
		out[s] = docs
	}
	return out, nil
}

// holdingAll returns the live documents of seg whose field holds a token of
// each position (none when there are no positions).
func holdingAll(seg *scorch.SegmentSnapshot, field string, positions [][]string) (*roaring.Bitmap, error) {
	d, err := seg.Segment().Dictionary(field)
	if err != nil {
		return nil, fmt.Errorf("phrase terms in %s: %w", field, err)
	}
	return intersectUnions(len(positions), func(i int) ([]*roaring.Bitmap, error) {
		bms := make([]*roaring.Bitmap, len(positions[i]))
		for k, t := range positions[i] {
			pl, err := d.PostingsList([]byte(t), seg.Deleted(), nil)
			if err != nil {
				return nil, fmt.Errorf("postings of %q in %s: %w", t, field, err)
			}
			if bms[k], err = postingsBitmap(pl); err != nil {
				return nil, err
			}
		}
		return bms, nil
	})
}

// candidateDocs numbers the candidates of each segment across the
// snapshot: docs holds their document numbers in order, and segment s's
// are docs[starts[s]:starts[s+1]], its documents numbered from offsets[s].
type candidateDocs struct {
	docs            []uint64
	starts, offsets []int
}

func newCandidateDocs(snap *scorch.IndexSnapshot, cands []*roaring.Bitmap) *candidateDocs {
	segs := snap.Segments()
	c := &candidateDocs{starts: make([]int, len(segs)+1), offsets: make([]int, len(segs))}
	var offset int
	for s, seg := range segs {
		c.starts[s], c.offsets[s] = len(c.docs), offset
		for _, d := range cands[s].ToArray() {
			c.docs = append(c.docs, uint64(offset)+uint64(d))
		}
		offset += int(seg.FullSize())
	}
	c.starts[len(segs)] = len(c.docs)
	return c
}

// withinSearcher scores q's terms in the documents that can hold its
// phrases, as Searcher scores them in all documents.
func (q *questionQuery) withinSearcher(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, groups []termGroup) (search.Searcher, error) {
	bms, err := q.within.candidates(snap, m)
	if err != nil {
		return nil, fmt.Errorf("question %q: %w", q.bodyBi.text, err)
	}
	cands := newCandidateDocs(snap, bms)
	acc := q.scratch(groups, uint64(len(cands.docs)))
	s := q.searcherOver(acc)
	for i, g := range groups {
		if g.text == "" {
			continue
		}
		w, err := acc.addGroupWithin(ctx, snap, m, i, g, q.stats, q.bm25, cands, q.lists)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("question terms %q in %s: %w", g.text, g.field, err)
		}
		s.weight += w * groupWeight(i)
	}
	if s.weight > 0 {
		s.SetQueryNorm(1 / math.Sqrt(s.weight))
	}
	s.matches = acc.combine(q.tree())
	for i := range s.matches {
		s.matches[i].doc = cands.docs[s.matches[i].doc]
	}
	return s, nil
}

// addGroupWithin is addGroup over the candidates only: the scores of
// candidate cands.docs[j] are at index j.
func (a *questionScores) addGroupWithin(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, i int, g termGroup, stats *search.BM25Stats, p bm25, cands *candidateDocs, lists *termPostings) (float64, error) {
	order, times, size, n, avg, err := analyseGroup(m, g, stats)
	if err != nil {
		return 0, err
	}
	a.sizes[i] = size
	segs := snap.Segments()
	look := newTermLookup(snap, lists)
	var weight float64
	counts := make([]uint64, len(segs))
	for _, term := range order {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := search.RecordTermSearcher(ctx); err != nil { // Bleve's limit on the terms of a query
			return 0, err
		}
		pls, err := look.postings(g.field, term)
		if err != nil {
			return 0, fmt.Errorf("question terms: %w", err)
		}
		var df uint64
		for s, pl := range pls {
			counts[s] = pl.Count()
			df += counts[s]
		}
		tm := float64(times[term])
		idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
		k1, b := p.k1, p.b
		t := &qterm{w: g.boost * idf * idf * tm * k1, k0: k1 * (1 - b), kLen: k1 * b / avg, add: uint32(tm)}
		for s := range segs {
			if err := a.addPostingsWithin(i, t, pls[s], counts[s], cands, s); err != nil {
				return 0, fmt.Errorf("postings of %q: %w", term, err)
			}
		}
		weight += (g.boost * idf) * (g.boost * idf) * tm
	}
	return weight, nil
}

// addPostingsWithin adds term t's scores in the candidates of segment s
// (pl holds count postings), reading its postings one by one or seeking
// each candidate, whichever reads less.
func (a *questionScores) addPostingsWithin(i int, t *qterm, pl segment.PostingsList, count uint64, cands *candidateDocs, s int) error {
	j, end := cands.starts[s], cands.starts[s+1]
	if j == end || count == 0 {
		return nil
	}
	offset := uint64(cands.offsets[s])
	sums, counts := a.sums[i], a.counts[i]
	it := pl.Iterator(true, true, false, nil)
	seek := uint64(end-j)*seekRatio < count
	for j < end {
		var p segment.Posting
		var err error
		if seek {
			p, err = it.Advance(cands.docs[j] - offset)
		} else {
			p, err = it.Next()
		}
		if err != nil || p == nil {
			return err
		}
		doc := offset + p.Number()
		for j < end && cands.docs[j] < doc {
			j++
		}
		if j < end && cands.docs[j] == doc {
			tf, norm := sqrtFreq(p.Frequency()), p.Norm()
			sums[j] += t.w * tf / (tf + t.k0 + t.kLen/(norm*norm)) // as addTerm sums it
			counts[j] += t.add
			j++
		}
	}
	return nil
}

// analyseGroup returns the distinct tokens of g in order, how often each
// occurs, their number, and the document count and mean field length BM25
// uses for g's field.
func analyseGroup(m mapping.IndexMapping, g termGroup, stats *search.BM25Stats) (order []string, times map[string]int, size int, n, avg float64, err error) {
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(g.field))
	if an == nil {
		return nil, nil, 0, 0, 0, fmt.Errorf("no analyzer for field %s", g.field)
	}
	times = map[string]int{}
	for _, t := range an.Analyze([]byte(g.text)) {
		if times[string(t.Term)] == 0 {
			order = append(order, string(t.Term))
		}
		times[string(t.Term)]++
		size++
	}
	card, ok := stats.FieldCardinality[g.field]
	if !ok {
		return nil, nil, 0, 0, 0, fmt.Errorf("no BM25 statistics for field %s", g.field)
	}
	n = stats.DocCount
	return order, times, size, n, math.Ceil(float64(card) / max(n, 1)), nil
}
