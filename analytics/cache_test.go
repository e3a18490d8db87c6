package analytics

import (
	"context"
	"testing"

	"gongkai/store"
)

func TestCacheSeesStoreChanges(t *testing.T) {
	st := openStore(t)
	put(t, st, series("p", "portal", "要闻", "工作动态", bj(2015, 3, 1, 9, 0), 3)...)
	cache := NewCache(st)
	ctx := context.Background()
	total := func() int {
		s, err := cache.Compute(ctx, defaultConfig(), 2015, bj(2015, 12, 31, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		return s.Counts.Total
	}
	if n := total(); n != 3 {
		t.Fatalf("total %d", n)
	}
	put(t, st, doc("new", "wechat", "号", "工作动态", "新的一篇", bj(2015, 4, 1, 9, 0)))
	if n := total(); n != 4 {
		t.Errorf("after an insert: %d, want 4", n)
	}
	if err := st.MarkRemoved(ctx, "p-0"); err != nil {
		t.Fatal(err)
	}
	if n := total(); n != 3 {
		t.Errorf("after a removal: %d, want 3", n)
	}
	addManual(t, st, store.ManualEntry{Date: bj(2015, 5, 1, 0, 0), Channel: "board", Title: "公开栏", Count: 5})
	if n := total(); n != 8 {
		t.Errorf("after a manual entry: %d, want 8", n)
	}
}
