package indexer

import (
	"math"
	"sync"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A term's postings in one segment add at most its weight times the
// greatest BM25 saturation among them, which is often half the weight or
// less: the bound a pruned question (prune.go) starts from. A segment never
// changes once written (its deletions only grow), so the greatest
// saturation of a term in it is read once, from all its postings, and kept
// until the segment leaves the index.

// segmentBounds caches the greatest saturation of question terms per
// segment; it is safe for concurrent use.
type segmentBounds struct {
	mu   sync.Mutex
	segs map[segment.Segment]map[boundKey]boundEntry
}

// boundKey names a term in a field.
type boundKey struct{ field, term string }

// boundEntry is the greatest saturation of a term, read with the length
// normalisation kLen (it changes with the mean field length).
type boundEntry struct{ kLen, sat float64 }

// Limits of the cache: entries per segment (≈ 100 bytes each), and
// segments kept beyond those of the current snapshot before the others go.
const (
	boundsPerSegment = 1 << 15
	boundsSpareSegs  = 8
)

// saturation returns the greatest saturation of t's postings pl in seg,
// reading them when the cache does not hold it.
func (b *segmentBounds) saturation(seg segment.Segment, t *qterm, pl segment.PostingsList) (float64, error) {
	if pl == nil || pl.Count() == 0 {
		return 0, nil
	}
	key := boundKey{t.field, t.term}
	b.mu.Lock()
	e, ok := b.segs[seg][key]
	b.mu.Unlock()
	if ok && e.kLen == t.kLen {
		return e.sat, nil
	}
	sat, err := greatestSaturation(t, pl)
	if err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.segs == nil {
		b.segs = map[segment.Segment]map[boundKey]boundEntry{}
	}
	m := b.segs[seg]
	if m == nil || len(m) >= boundsPerSegment {
		m = map[boundKey]boundEntry{}
		b.segs[seg] = m
	}
	m[key] = boundEntry{kLen: t.kLen, sat: sat}
	return sat, nil
}

// greatestSaturation reads every posting of pl.
func greatestSaturation(t *qterm, pl segment.PostingsList) (float64, error) {
	it := pl.Iterator(true, true, false, nil)
	var best float64
	for {
		p, err := it.Next()
		if err != nil {
			return 0, err
		}
		if p == nil {
			break
		}
		best = max(best, t.saturation(p.Frequency(), p.Norm()))
	}
	return math.Min(best, 1), nil
}

// forget drops the segments not in live once more than boundsSpareSegs
// others are held (they left the index when scorch merged them).
func (b *segmentBounds) forget(live []segment.Segment) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.segs) <= len(live)+boundsSpareSegs {
		return
	}
	keep := map[segment.Segment]bool{}
	for _, s := range live {
		keep[s] = true
	}
	for s := range b.segs {
		if !keep[s] {
			delete(b.segs, s)
		}
	}
}
