package indexer

import (
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A term's postings in one segment add at most its weight times the
// greatest BM25 saturation among them, which is often a third of the weight
// or less: the bound a pruned question (prune.go) prefers. A pruned question
// that enumerated all of a term's postings in a segment has seen that
// greatest saturation, and keeps it here for the questions after it; a term
// not seen yet is bounded by its weight. A segment never changes once
// written, and its deleted documents only grow: a saturation read with d
// documents deleted bounds the term in every later view of the segment (d or
// more deleted), and is not used by an older one.

// segmentBounds holds the greatest saturation of question and short-query
// terms per segment, and of question terms per block of a large segment
// (blockmax.go); it is safe for concurrent use.
type segmentBounds struct {
	mu         sync.Mutex
	segs       map[segment.Segment]map[boundKey]boundEntry
	blocks     map[segment.Segment]map[boundKey]blockEntry
	blockBytes int  // the bytes blocks holds, counted by entryBytes
	blockShift uint // log2 of a block's document numbers (0: blockShift)
}

// boundKey names a term in a field.
type boundKey struct{ field, term string }

// boundEntry is the greatest saturation of a term, read with the
// saturation's constants k0 = k1·(1 − b) and kLen = k1·b/avg (the length
// normalisation, which moves with the mean field length) while deleted
// documents of the segment were deleted.
type boundEntry struct {
	k0, kLen, sat float64
	deleted       uint64
}

// Limits of the cache: entries per segment (≈ 100 bytes each), and
// segments kept beyond those of the current snapshot before the others go.
const (
	boundsPerSegment = 1 << 15
	boundsSpareSegs  = 8
)

// deletedIn is the number of deleted documents of seg.
func deletedIn(seg *scorch.SegmentSnapshot) uint64 {
	if d := seg.Deleted(); d != nil {
		return d.GetCardinality()
	}
	return 0
}

// saturation returns the greatest saturation of t in seg, when known for
// this view of it (deleted documents deleted, deletedIn(seg), counted once
// per view by the caller) and t's saturation constants.
func (b *segmentBounds) saturation(seg segment.Segment, deleted uint64, t *qterm) (float64, bool) {
	b.mu.Lock()
	e, ok := b.segs[seg][boundKey{t.field, t.term}]
	b.mu.Unlock()
	if !ok || e.k0 != t.k0 || e.kLen != t.kLen || e.deleted > deleted {
		return 0, false
	}
	return e.sat, true
}

// record keeps sat, the greatest saturation of all of t's postings in seg
// read with deleted documents deleted.
func (b *segmentBounds) record(seg segment.Segment, deleted uint64, t *qterm, sat float64) {
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
	m[boundKey{t.field, t.term}] = boundEntry{k0: t.k0, kLen: t.kLen, sat: sat, deleted: deleted}
}

// forget drops the segments not in live once more than boundsSpareSegs
// others are held (they left the index when scorch merged them).
func (b *segmentBounds) forget(live []segment.Segment) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if max(len(b.segs), len(b.blocks)) <= len(live)+boundsSpareSegs {
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
	for s, m := range b.blocks {
		if !keep[s] {
			for k, e := range m {
				b.blockBytes -= entryBytes(k, len(e.max))
			}
			delete(b.blocks, s)
		}
	}
}
