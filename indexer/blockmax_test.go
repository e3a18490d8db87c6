package indexer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// blockSegment opens a scorch index of docs documents whose body is
// "common", and returns its first segment and the postings of "common".
func blockSegment(t *testing.T, docs int) (segment.Segment, segment.PostingsList) {
	t.Helper()
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = "standard"
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "idx"), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	b := idx.NewBatch()
	for i := range docs {
		if err := b.Index(fmt.Sprintf("d%05d", i), map[string]any{"body": "common"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	seg := bleveSnapshot(t, idx).Segments()[0].Segment()
	d, err := seg.Dictionary("body")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := d.PostingsList([]byte("common"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return seg, pl
}

// TestBlockCacheCountsWhatItHolds fills the block-maxima cache with many
// terms of few blocks and checks that the bytes it counts (which its cap
// limits) are at least half the heap they hold: counting the maxima alone
// (one byte a block) counts a tenth of it and fails. It also checks that
// replacing a term counts it once.
func TestBlockCacheCountsWhatItHolds(t *testing.T) {
	seg, pl := blockSegment(t, 1)
	const terms, blocks = 20000, 16
	qts := make([]*qterm, terms)
	for i := range qts {
		qts[i] = &qterm{field: "body", term: fmt.Sprintf("term%06d", i), k0: 0.3, kLen: 0.9}
	}
	var b segmentBounds
	read := func(qt *qterm) {
		if _, _, err := b.readBlocks(context.Background(), seg, 0, qt, blocks, pl.Iterator(true, true, false, nil)); err != nil {
			t.Fatal(err)
		}
	}
	read(qts[0]) // the segment's map
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, qt := range qts[1:] {
		read(qt)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	counted := int64(b.blockBytes) * (terms - 1) / terms
	t.Logf("%d terms of %d blocks: %d bytes counted, heap grew %d (%.0f a term)", terms, blocks, counted, grown, float64(grown)/terms)
	if counted < grown/2 {
		t.Errorf("counted %d bytes for %d terms of %d blocks, which hold %d bytes of heap", counted, terms, blocks, grown)
	}
	whole := b.blockBytes
	read(qts[7]) // replaced: counted once
	if b.blockBytes != whole {
		t.Errorf("replacing a term moved the count from %d to %d", whole, b.blockBytes)
	}
	runtime.KeepAlive(qts)
}

// TestBlockReadStopsWithItsContext reads a term's block maxima with an
// ended context: the context's error, and nothing cached.
func TestBlockReadStopsWithItsContext(t *testing.T) {
	seg, pl := blockSegment(t, 3000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b segmentBounds
	qt := &qterm{field: "body", term: "common", k0: 0.3, kLen: 0.9}
	_, _, err := b.readBlocks(ctx, seg, 0, qt, blockCount(3000, blockShift), pl.Iterator(true, true, false, nil))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("block maxima read with a cancelled context: error %v, want %v", err, context.Canceled)
	}
	if b.blockBytes != 0 || len(b.blocks) != 0 {
		t.Errorf("a cancelled read cached %d bytes", b.blockBytes)
	}
}

// TestBlockMaximumAtSaturationOne reads block maxima where every posting
// saturates fully (k1 = 0 makes the saturation 1): the maximum is 255, not
// wrapped to 0, which would mark the block as holding no postings.
func TestBlockMaximumAtSaturationOne(t *testing.T) {
	seg, pl := blockSegment(t, 3)
	var b segmentBounds
	qt := &qterm{field: "body", term: "common"}
	if s := qt.saturation(1, 1); s != 1 {
		t.Fatalf("saturation with k1 = 0: %g, want 1", s)
	}
	maxima, sat, err := b.readBlocks(context.Background(), seg, 0, qt, 1, pl.Iterator(true, true, false, nil))
	if err != nil {
		t.Fatal(err)
	}
	if maxima[0] != 255 || sat != 1 {
		t.Errorf("block maximum %d/255 and greatest saturation %g, want 255 and 1", maxima[0], sat)
	}
}
