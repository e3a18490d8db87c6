package indexer

import (
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// zap's PostingsIterator.Advance, on a postings list without deleted
// documents, steps its bitmap iterator one document at a time up to the
// target (it counts the postings it passes in the target's freq/norm chunk,
// to skip their entries there): seeking a few candidates in a long list
// walked the whole list, a third of a short query's CPU on the 100× copy.
// The entries of a chunk are counted from its first posting, so the bitmap
// iterator (the iterator's exported Actual) may jump to the first document
// of the target's chunk, when that chunk is after the one the iterator stands
// in, without changing what Advance returns; on a list with deleted
// documents zap advances that iterator itself and the jump changes nothing.

// seeker advances a postings iterator, jumping zap v17's bitmap iterator
// ahead to the target's freq/norm chunk.
type seeker struct {
	it    segment.PostingsIterator
	zit   *zap.PostingsIterator // it, when it is zap v17's and its chunks are known
	chunk uint64                // the list's chunk size in documents (with zit)
	at    uint64                // the chunk of the last posting returned (with zit)
}

// newSeeker returns a seeker over it, an iterator of a postings list of seg
// created with freq/norm; Advance and nothing else must move it from then on.
func newSeeker(it segment.PostingsIterator, seg segment.Segment) seeker {
	s := seeker{it: it}
	zit, ok := it.(*zap.PostingsIterator)
	zseg, ok2 := seg.(*zap.Segment)
	if !ok || !ok2 || zit.Actual == nil || zit.ActualBM == nil {
		return s
	}
	if size, ok := zapChunkSize(zseg.ChunkMode(), zit.ActualBM.GetCardinality(), zseg.Count()); ok {
		s.zit, s.chunk = zit, size
	}
	return s
}

// advance returns the first posting at or after doc (nil at the end), as
// the iterator's Advance does.
func (s *seeker) advance(doc uint64) (segment.Posting, error) {
	if s.zit != nil {
		if c := doc / s.chunk; c > s.at {
			s.zit.Actual.AdvanceIfNeeded(uint32(c * s.chunk))
		}
	}
	p, err := s.it.Advance(doc)
	if s.zit != nil && p != nil {
		s.at = p.Number() / s.chunk
	}
	return p, err
}

// zapChunkSize is the freq/norm chunk size, in documents, that zap v17
// gives a postings list of card documents in a segment of maxDocs
// documents written with chunkMode (zap's getChunkSize), or false for a
// mode it does not know.
func zapChunkSize(chunkMode uint32, card, maxDocs uint64) (uint64, bool) {
	var size uint64
	switch {
	case chunkMode == 0:
	case chunkMode <= 1024:
		size = uint64(chunkMode)
	case chunkMode == 1025 && card <= 1024:
		size = maxDocs
	case chunkMode == 1025:
		size = 1024
	case chunkMode == 1026:
		size = maxDocs / (card/1024 + 1)
	}
	return size, size > 0
}
