package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// In a large segment a term's greatest saturation over the whole segment
// bounds it loosely: most of its postings lie in stretches of documents
// where it saturates far less. A pruned question (prune.go) therefore
// bounds each term per block of blockDocs document numbers, and passes over
// the blocks where no document can reach the page's last hit without
// reading their postings: in a 100× copy of ../shared/eval in one segment a
// common term spans some 400 of zap's freq/norm chunks, and stepping past
// a posting costs less than decoding and bounding it. A term's block
// maxima are read once per view of a segment, the first time a question
// scores it there (all its postings), and kept in the segmentBounds cache
// beside its greatest saturation, under a cap of blocksBytes counted by
// entryBytes.

// Block maxima: a block holds 1<<blockShift document numbers; segments of
// fewer than blocksLeast blocks are bounded per term only; the cache holds
// at most blocksBytes, each term counted by entryBytes.
//
// blockEntryOverhead is what a cached term costs beyond its maxima and the
// bytes of its field and term: its map slot (key strings' headers, the
// blockEntry and its slice header, the map's spare slots) and the rounding
// of its allocations. Measured as HeapAlloc growth after runtime.GC over
// 20,000 terms of 16 blocks and 14 key bytes with Go 1.26: some 172 bytes
// a term, 140-160 beyond the maxima and key (TestBlockCacheCountsWhatItHolds
// checks the count still tracks the heap).
const (
	blockShift         = 10
	blocksLeast        = 16
	blocksBytes        = 16 << 20
	blockEntryOverhead = 160
)

// entryBytes is what the cache counts for term k holding maxima of blocks
// blocks: the maxima, the key's bytes and blockEntryOverhead.
func entryBytes(k boundKey, blocks int) int {
	return blocks + len(k.field) + len(k.term) + blockEntryOverhead
}

// blockEntry is a term's greatest saturation in each block of a segment,
// each rounded up to a step of 1/255 (0: the block holds none of its
// postings), and over the whole segment exactly, read with the constants
// and deleted documents of boundEntry.
type blockEntry struct {
	boundEntry
	max []uint8
}

// inBlock returns the bound of a term of weight w in a block of maximum
// q: w × q/255, at most bound (its bound in the segment).
func inBlock(w, bound float64, q uint8) float64 {
	return min(bound, w*float64(q)/255)
}

// blockCount is the number of blocks of a segment of docs document numbers.
func blockCount(docs uint64, shift uint) int {
	return int((docs + 1<<shift - 1) >> shift)
}

// cachedBlocks returns t's block maxima and greatest saturation in seg
// (blocks blocks, deleted documents deleted) when the cache holds them.
func (b *segmentBounds) cachedBlocks(seg segment.Segment, deleted uint64, t *qterm, blocks int) ([]uint8, float64, bool) {
	b.mu.Lock()
	e, ok := b.blocks[seg][boundKey{t.field, t.term}]
	b.mu.Unlock()
	if !ok || e.k0 != t.k0 || e.kLen != t.kLen || e.deleted > deleted || len(e.max) != blocks {
		return nil, 0, false
	}
	return e.max, e.sat, true
}

// readBlocks reads t's block maxima and greatest saturation in seg
// (blocks blocks, deleted documents deleted) from all its postings, which
// it iterates (a fresh iterator), and caches them; it stops with ctx's
// error, checked every 1,024 postings, when ctx ends.
func (b *segmentBounds) readBlocks(ctx context.Context, seg segment.Segment, deleted uint64, t *qterm, blocks int, it segment.PostingsIterator) ([]uint8, float64, error) {
	e := blockEntry{boundEntry{k0: t.k0, kLen: t.kLen, deleted: deleted}, make([]uint8, blocks)}
	shift := b.shift()
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		p, err := it.Next()
		if err != nil {
			return nil, 0, fmt.Errorf("block maxima of %q in %s: %w", t.term, t.field, err)
		}
		if p == nil {
			break
		}
		sat := t.saturation(p.Frequency(), p.Norm())
		e.sat = max(e.sat, sat)
		blk := p.Number() >> shift
		e.max[blk] = max(e.max[blk], uint8(min(sat*255, 254))+1) // above sat, at most 255 (no wrap to 0 at sat 1)
	}
	key := boundKey{t.field, t.term}
	size := entryBytes(key, blocks)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.blocks == nil || b.blockBytes+size > blocksBytes {
		b.blocks, b.blockBytes = map[segment.Segment]map[boundKey]blockEntry{}, 0
	}
	m := b.blocks[seg]
	if m == nil {
		m = map[boundKey]blockEntry{}
		b.blocks[seg] = m
	}
	if old, ok := m[key]; ok {
		b.blockBytes -= entryBytes(key, len(old.max))
	}
	b.blockBytes += size
	m[key] = e
	return e.max, e.sat, nil
}

// shift is log2 of the document numbers of a block.
func (b *segmentBounds) shift() uint {
	if b.blockShift > 0 {
		return b.blockShift
	}
	return blockShift
}

// readBlocks sets each term's block maxima and greatest saturation in
// segment s of blocks blocks (nil and 0 where it has no postings), from the
// cache or read from its postings until ctx ends.
func (pq *prunedQuestion) readBlocks(ctx context.Context, s int, seg *scorch.SegmentSnapshot, deleted uint64, blocks int) error {
	for i, t := range pq.terms {
		pq.blocks[i], pq.sats[i] = nil, 0
		if t.pls[s] == nil || t.pls[s].Count() == 0 {
			continue
		}
		var ok bool
		if pq.blocks[i], pq.sats[i], ok = pq.bounds.cachedBlocks(seg.Segment(), deleted, t, blocks); ok {
			continue
		}
		it := t.pls[s].Iterator(true, true, false, nil) // fresh: pq.cur[i] is set up for the segment after this
		var err error
		if pq.blocks[i], pq.sats[i], err = pq.bounds.readBlocks(ctx, seg.Segment(), deleted, t, blocks, it); err != nil {
			return err
		}
	}
	return nil
}
