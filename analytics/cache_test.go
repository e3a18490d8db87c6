package analytics

import (
	"context"
	"fmt"
	"testing"

	"github.com/gongkai-project/gongkai/store"
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

func TestCacheConcurrentUse(t *testing.T) {
	st := openStore(t)
	put(t, st, series("p", "portal", "要闻", "工作动态", bj(2015, 3, 1, 9, 0), 20)...)
	addManual(t, st, store.ManualEntry{Date: bj(2015, 5, 1, 0, 0), Channel: "board", Title: "公开栏新内容", Count: 1})
	cache := NewCache(st)
	errs := make(chan error, 8)
	for i := range 8 {
		if i == 4 {
			put(t, st, doc("extra", "wechat", "号", "工作动态", "并发写入的一篇", bj(2015, 4, 1, 9, 0)))
		}
		go func() {
			s, err := cache.Compute(context.Background(), defaultConfig(), 2015, bj(2015, 12, 31, 0, 0))
			if err == nil && (s.Counts.Total < 21 || s.Counts.Total > 22) {
				err = fmt.Errorf("total %d", s.Counts.Total)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
