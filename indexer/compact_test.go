package indexer

import (
	"context"
	"fmt"
	"testing"

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
