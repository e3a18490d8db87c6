package indexer

import "testing"

// TestSegmentBoundsKeyedBySaturation checks that a greatest saturation kept
// for a segment is used only with the constants it was read with: BM25's
// saturation tf / (tf + k1·(1 − b) + k1·b·length/avg) moves with k0 =
// k1·(1 − b) as with kLen = k1·b/avg, and parameters k1 3, b 0.5 and k1 2,
// b 0.75 share kLen; and only by views of the segment with as many deleted
// documents or more.
func TestSegmentBoundsKeyedBySaturation(t *testing.T) {
	e := newEnv(t, testDocs)
	seg := snapshotOf(t, e.ix).Segments()[0].Segment()
	term := func(p bm25) *qterm {
		const avg = 40
		return &qterm{field: fBody, term: "补助", k0: p.k1 * (1 - p.b), kLen: p.k1 * p.b / avg}
	}
	read, other := term(bm25{k1: 3, b: 0.5}), term(bm25{k1: 2, b: 0.75})
	if read.kLen != other.kLen || read.k0 == other.k0 {
		t.Fatalf("constants %+v and %+v: want the same kLen and another k0", read, other)
	}
	var b segmentBounds
	b.record(seg, 2, read, 0.4)
	if sat, ok := b.saturation(seg, 2, read); !ok || sat != 0.4 {
		t.Errorf("same constants and view: %g, %v; want 0.4, true", sat, ok)
	}
	if sat, ok := b.saturation(seg, 5, read); !ok || sat != 0.4 {
		t.Errorf("a later view (more deleted): %g, %v; want 0.4, true", sat, ok)
	}
	if _, ok := b.saturation(seg, 1, read); ok {
		t.Error("an older view (fewer deleted) used the bound")
	}
	if _, ok := b.saturation(seg, 2, other); ok {
		t.Error("a bound read with k0 = 1.5 was used with k0 = 0.5")
	}
}
