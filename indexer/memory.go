package indexer

import (
	"runtime/debug"

	"github.com/gongkai-project/gongkai/config"
)

// memoryPlan sizes indexing to the process's memory budget
// (search.memory_mb). What an index build holds grows with the text of the
// batches being analysed and with the segments being merged, not with the
// corpus, so both are bounded by the budget:
//   - batches hold at most batchBytes of title and body text, and a fresh
//     build applies inFlight of them at once;
//   - while documents are being added, no merge makes a segment of more
//     than maxSegmentDocs documents, so that the merges that run beside
//     the batches stay small;
//   - the merge that ends a full build, and `gongkai index --merge`, make
//     segments of up to finalSegmentDocs documents: what a merge holds on
//     the heap (the term dictionary of the field being merged, a few
//     numbers per document) is bounded by mergeBytesPerDoc; the input
//     segments are read through memory maps, clean pages the kernel
//     reclaims, which are not part of the budget.
type memoryPlan struct {
	budget           int64 // bytes
	batchBytes       int
	inFlight         int
	maxSegmentDocs   int64
	finalSegmentDocs int64
}

// Bounds of the plan. A batch of text is analysed into token tables,
// term dictionaries and an in-memory segment about 50 times its size (a
// 15 KB document has some 4,500 distinct bigrams and words, each a map
// entry, before Bleve builds its segment); gse's dictionary takes about
// 200 MB of the budget;
// segmentBytesPerDoc is the index bytes of a typical government document
// (../shared/eval: 57.6 MB for 4,068 documents of 14.9 KB of text), so that
// a segment of maxSegmentDocs takes about a quarter of the budget.
// mergeBytesPerDoc is the heap a final merge holds per document of the
// segment it writes, measured on the 100× copy of ../shared/eval (see
// docs/DESIGN-NOTES.md); a final merge may use a quarter of the budget.
const (
	minBatchBytes      = 1 << 20
	maxBatchBytes      = 8 << 20
	batchShare         = 256 // a batch's text is at most budget/batchShare
	segmentShare       = 4   // a segment is at most budget/segmentShare on disk
	segmentBytesPerDoc = 14 << 10
	batchDocs          = 400 // documents per batch, whatever their size
	mergeBytesPerDoc   = 256
	mergeShare         = 4 // a final merge holds at most budget/mergeShare
)

// planFor returns the plan for a budget of mb megabytes.
func planFor(mb int) memoryPlan {
	if mb <= 0 {
		mb = config.DefaultMemoryMB
	}
	b := int64(mb) << 20
	p := memoryPlan{budget: b, inFlight: 1}
	p.batchBytes = int(min(max(b/batchShare, minBatchBytes), maxBatchBytes))
	if b >= 1<<30 { // analysis of the next batch overlaps the segment build of this one
		p.inFlight = 2
	}
	p.maxSegmentDocs = max(b/segmentShare/segmentBytesPerDoc, 1000)
	p.finalSegmentDocs = max(b/mergeShare/mergeBytesPerDoc, p.maxSegmentDocs)
	return p
}

// mergeOptions are scorch's merge-plan options for an index in service:
// Bleve's defaults with segments bounded by the plan.
func (p memoryPlan) mergeOptions() map[string]interface{} {
	return map[string]interface{}{"scorchMergePlanOptions": map[string]interface{}{
		"MaxSegmentSize": p.maxSegmentDocs}}
}

// bulkOptions open a new generation for a bulk load: scorch merges segments
// only when a tier holds 100 of them (its defaults keep about three for an
// index of this size, merging after nearly every batch); compact merges them
// at the end. On ../shared/eval: loading 42.7 -> 31.5 CPU-s, the final
// merge 1.9 -> 3.4 CPU-s. Segments stay bounded by the plan.
func (p memoryPlan) bulkOptions() map[string]interface{} {
	return map[string]interface{}{"scorchMergePlanOptions": map[string]interface{}{
		"FloorSegmentSize": 1, "FloorSegmentFileSize": 0, "MaxSegmentsPerTier": 100, "SegmentsPerMergeTask": 10,
		"MaxSegmentSize": p.maxSegmentDocs}}
}

// SetMemoryLimit sets Go's soft memory limit to a budget of mb megabytes
// (search.memory_mb), unless the GOMEMLIMIT environment variable set one, and
// returns the function that puts the previous limit back. The commands that
// build the index (index, ingest, crawl) hold it for the build only: the
// limit is process-wide, and a server or benchmark under it collects without
// pause. Memory maps of the index files and SQLite's page cache are outside
// Go's heap: the limit is four fifths of the budget. The batches and segments
// of the plan keep the live heap below it, so that the collector does not run
// without pause.
func SetMemoryLimit(mb int, environ func(string) string) (restore func()) {
	if environ("GOMEMLIMIT") != "" {
		return func() {}
	}
	b := int64(mb) << 20
	prev := debug.SetMemoryLimit(b - b/5)
	return func() { debug.SetMemoryLimit(prev) }
}
