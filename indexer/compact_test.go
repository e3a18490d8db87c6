package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/gongkai-project/gongkai/store"
)

func TestBulkLoadEndsInOneSegment(t *testing.T) {
	e := newEnv(t, testDocs)
	var docs []*store.Document
	for i := range 2 * batchDocs { // several batches, so several segments before the merge
		docs = append(docs, &store.Document{ID: fmt.Sprintf("bulk-%d", i), Title: "危房改造补助标准", Body: "农村危房改造补助标准公告如下"})
	}
	ix, err := Create(t.TempDir(), e.ix.cfg, e.st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.IndexDocuments(context.Background(), docs, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		ix   *Index
	}{{"IndexDocuments into an empty index", ix}, {"Rebuild", e.ix}} {
		if c.name == "Rebuild" {
			if _, err := e.ix.Rebuild(context.Background(), e.st, nil); err != nil {
				t.Fatal(err)
			}
		}
		adv, err := c.ix.idx.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		if n := rootSegments(adv.(*scorch.Scorch)); n != 1 {
			t.Errorf("%s: %d segments, want 1", c.name, n)
		}
	}
	if n, _ := ix.DocCount(); n != uint64(len(docs)) {
		t.Errorf("bulk load indexed %d documents, want %d", n, len(docs))
	}
}

// TestFinalMergeWithinBound checks that the merge ending a bulk load keeps
// to the plan's final bound: three batches' segments with a bound of 2¼
// batches merge into fewer segments, none holding more documents than the
// bound (a merge into one would hold all three), and no document is lost.
func TestFinalMergeWithinBound(t *testing.T) {
	e := newEnv(t, testDocs)
	var docs []*store.Document
	for i := range 3 * batchDocs { // three batches, so three segments before the merge
		docs = append(docs, &store.Document{ID: fmt.Sprintf("bulk-%d", i), Title: fmt.Sprintf("危房改造补助第%d批", i), Body: "农村危房改造补助标准公告如下"})
	}
	ix, err := Create(t.TempDir(), e.ix.cfg, e.st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	bound := int64(batchDocs * 9 / 4)
	ix.mem.maxSegmentDocs, ix.mem.finalSegmentDocs = batchDocs/2, bound
	res, err := ix.IndexDocuments(context.Background(), docs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.SegmentsBefore < 3 {
		t.Fatalf("the load made %d segment(s) of %d documents, want one a batch", res.SegmentsBefore, len(docs))
	}
	counts := segmentDocCounts(t, ix)
	total := uint64(0)
	for _, n := range counts {
		total += n
		if int64(n) > bound {
			t.Errorf("a segment of %d documents after the final merge, bound %d (segments %v)", n, bound, counts)
		}
	}
	if total != uint64(len(docs)) {
		t.Errorf("segments hold %d documents (%v), want %d", total, counts, len(docs))
	}
	if len(counts) != res.Segments || res.Segments >= res.SegmentsBefore {
		t.Errorf("final merge: %d segments into %d (%d read from the index: %v), want fewer after", res.SegmentsBefore, res.Segments, len(counts), counts)
	}
}

// segmentDocCounts returns the live documents of each segment of ix.
func segmentDocCounts(t *testing.T, ix *Index) []uint64 {
	t.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.(*scorch.Scorch).Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var counts []uint64
	for _, s := range r.(*scorch.IndexSnapshot).Segments() {
		counts = append(counts, s.Count())
	}
	return counts
}

// TestMergeAfterASmallerFinalMerge checks that Merge merges an index whose
// build ended with segments bounded below its size (as one built with a
// smaller budget, or grown by incremental indexing) into one, and that
// every document is still found.
func TestMergeAfterASmallerFinalMerge(t *testing.T) {
	e := newEnv(t, testDocs)
	ctx := context.Background()
	var docs []*store.Document
	for i := range 2 * batchDocs { // two batches of batchDocs documents
		docs = append(docs, &store.Document{ID: fmt.Sprintf("bulk-%d", i), Title: fmt.Sprintf("危房改造补助第%d批", i), Body: "农村危房改造补助标准公告如下"})
	}
	ix, err := Create(t.TempDir(), e.ix.cfg, e.st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.mem.maxSegmentDocs, ix.mem.finalSegmentDocs = batchDocs/2, batchDocs/2
	res, err := ix.IndexDocuments(ctx, docs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Segments < 2 {
		t.Fatalf("a build bounded to %d documents a segment made %d segment(s) of %d documents", batchDocs/2, res.Segments, len(docs))
	}
	ix.mem.finalSegmentDocs = planFor(0).finalSegmentDocs
	m, err := ix.Merge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.SegmentsBefore != res.Segments || m.Segments != 1 {
		t.Fatalf("merge: %d segments into %d, want %d into 1", m.SegmentsBefore, m.Segments, res.Segments)
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	if n := rootSegments(adv.(*scorch.Scorch)); n != 1 {
		t.Errorf("%d segments after the merge, want 1", n)
	}
	if n, _ := ix.DocCount(); n != uint64(len(docs)) || m.Docs != n {
		t.Errorf("after the merge %d documents (reported %d), want %d", n, m.Docs, len(docs))
	}
	r, err := ix.Search(ctx, Query{Text: "危房改造补助第777批", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || r.Hits[0].ID != "bulk-777" {
		t.Errorf("after the merge 危房改造补助第777批 finds %+v, want bulk-777 first", r.Hits)
	}
}

// TestMergeThatFailsReturns checks that a merge scorch cannot write (here:
// the files it would create are taken by directories, as a full disk would
// refuse them) returns an error within seconds and leaves the index as it
// was, instead of scorch retrying it without end.
func TestMergeThatFailsReturns(t *testing.T) {
	e := newEnv(t, testDocs)
	var docs []*store.Document
	for i := range 2 * batchDocs {
		docs = append(docs, &store.Document{ID: fmt.Sprintf("bulk-%d", i), Title: fmt.Sprintf("危房改造补助第%d批", i), Body: "农村危房改造补助标准公告如下"})
	}
	dir := t.TempDir()
	ix, err := Create(dir, e.ix.cfg, e.st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.mem.maxSegmentDocs, ix.mem.finalSegmentDocs = batchDocs/2, batchDocs/2
	res, err := ix.IndexDocuments(context.Background(), docs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Segments < 2 {
		t.Fatalf("%d segment(s), want several to merge", res.Segments)
	}
	blockNextSegments(t, dir, 1000)
	ix.mem.finalSegmentDocs = planFor(0).finalSegmentDocs
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	m, err := ix.Merge(ctx)
	if !errors.Is(err, errMergeFailed) {
		t.Fatalf("a merge that cannot write its segment returned %v after %s, want errMergeFailed", err, time.Since(start))
	}
	if n, _ := ix.DocCount(); n != uint64(len(docs)) {
		t.Errorf("after the failed merge %d documents, want %d", n, len(docs))
	}
	if m.Segments != res.Segments {
		t.Errorf("after the failed merge %d segments, want the %d there were", m.Segments, res.Segments)
	}
	r, err := ix.Search(context.Background(), Query{Text: "危房改造补助第777批", Limit: 5})
	if err != nil || len(r.Hits) == 0 || r.Hits[0].ID != "bulk-777" {
		t.Errorf("after the failed merge 危房改造补助第777批 finds %+v (%v), want bulk-777 first", r.Hits, err)
	}
}

// blockNextSegments makes directories where scorch would write the next n
// segment files of the index under dir (its ids follow the largest there),
// each holding a file (and moved into place whole): scorch's clean-up
// removes the files it does not know, and an empty directory with them.
func blockNextSegments(t *testing.T, dir string, n uint64) {
	t.Helper()
	var last uint64
	var store string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		var id uint64
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".zap" {
			if _, serr := fmt.Sscanf(d.Name(), "%x.zap", &id); serr == nil {
				last, store = max(last, id), filepath.Dir(p)
			}
		}
		return err
	})
	if err != nil || store == "" {
		t.Fatalf("no segment files under %s (%v)", dir, err)
	}
	for id := last + 1; id <= last+n; id++ {
		tmp := filepath.Join(store, "taken")
		if err := os.Mkdir(tmp, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, "taken"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(store, fmt.Sprintf("%012x.zap", id))); err != nil {
			t.Fatal(err)
		}
	}
}
