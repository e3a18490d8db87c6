package indexer

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// tiedDocs score alike for the suggestion 名单公示 (titles of the same length)
// and r1-r4 alike for documents related to r0 (same text); only their dates
// and ids tell them apart.
var tiedDocs = []*store.Document{
	{ID: "t1", Title: "甲村低保名单公示", Body: "甲村低保名单。", Published: day(2020, 1, 1)},
	{ID: "t2", Title: "乙村低保名单公示", Body: "乙村低保名单。", Published: day(2021, 1, 1)},
	{ID: "t3", Title: "丙村低保名单公示", Body: "丙村低保名单。", Published: day(2021, 1, 1)},
	{ID: "t4", Title: "丁村低保名单公示", Body: "丁村低保名单。", Published: day(2019, 1, 1)},
	{ID: "r0", Title: "危房改造补助发放", Body: "危房改造补助已经发放。", Published: day(2018, 1, 1)},
	{ID: "r1", Title: "危房改造补助发放", Body: "危房改造补助已经发放。", Published: day(2017, 1, 1)},
	{ID: "r2", Title: "危房改造补助发放", Body: "危房改造补助已经发放。", Published: day(2018, 1, 1)},
	{ID: "r3", Title: "危房改造补助发放", Body: "危房改造补助已经发放。", Published: day(2018, 1, 1)},
	{ID: "r4", Title: "危房改造补助发放", Body: "危房改造补助已经发放。", Published: day(2016, 1, 1)},
}

// indexInOrder indexes docs one batch each, in the given order, so the internal
// document numbers follow that order.
func indexInOrder(t *testing.T, docs []*store.Document) *Index {
	t.Helper()
	dir := t.TempDir()
	ix, err := Create(filepath.Join(dir, "index"), config.Default(), storeWith(t, dir, docs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, d := range docs {
		if _, err := ix.IndexDocuments(context.Background(), []*store.Document{d}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

func TestSuggestRelatedStableOrder(t *testing.T) {
	ctx := context.Background()
	reversed := slices.Clone(tiedDocs)
	slices.Reverse(reversed)
	wantTitles := []string{"乙村低保名单公示", "丙村低保名单公示", "甲村低保名单公示", "丁村低保名单公示"}
	wantRelated := []string{"r2", "r3", "r1"}
	for _, order := range [][]*store.Document{tiedDocs, reversed} {
		ix := indexInOrder(t, order)
		got, err := ix.Suggest(ctx, "名单公示", 4)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, wantTitles) {
			t.Errorf("indexed from %s: Suggest = %v, want %v", order[0].ID, got, wantTitles)
		}
		rel, err := ix.Related(ctx, "r0", 3)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range rel {
			ids = append(ids, h.ID)
		}
		if !slices.Equal(ids, wantRelated) {
			t.Errorf("indexed from %s: Related(r0) = %v, want %v", order[0].ID, ids, wantRelated)
		}
	}
}
