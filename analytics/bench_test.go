package analytics

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// fillYear stores n documents spread over 2015: 60% portal in 30 columns, 40%
// WeChat on 3 accounts, every tenth WeChat post repeating a portal title,
// half of them with a written date.
func fillYear(b *testing.B, st *store.Store, n int) {
	cats := config.DefaultCategories
	start := bj(2015, 1, 1, 0, 0)
	batch := make([]*store.Document, 0, 5000)
	for i := range n {
		ch, col := "portal", fmt.Sprintf("栏目%02d", i%30)
		title := fmt.Sprintf("关于第%d项工作的公告", i)
		if i%5 >= 3 {
			ch, col = "wechat", fmt.Sprintf("公众号%d", i%3)
			if i%10 == 3 {
				title = fmt.Sprintf("关于第%d项工作的公告", i-1)
			}
		}
		d := doc(fmt.Sprintf("d%06d", i), ch, col, cats[i%len(cats)], title, start.Add(time.Duration(i)*(365*24*time.Hour/time.Duration(n))))
		d.Publisher = fmt.Sprintf("机构%d", i%20)
		if i%2 == 0 {
			d.Written = d.Published.AddDate(0, 0, -(i % 40))
		}
		batch = append(batch, d)
		if len(batch) == cap(batch) || i == n-1 {
			put(b, st, batch...)
			batch = batch[:0]
		}
	}
}

// BenchmarkComputeYear100k measures Compute over one year of 100,000
// documents (target: under 200 ms).
func BenchmarkComputeYear100k(b *testing.B) {
	st := openStore(b)
	fillYear(b, st, 100000)
	cfg := defaultConfig()
	cfg.Targets[2015] = config.YearTarget{Channels: map[string]int{"portal": 60000, "wechat": 40000}}
	cfg.Staleness.Villages = []string{"东村", "西村"}
	ctx := context.Background()
	asOf := bj(2015, 12, 31, 0, 0)
	for b.Loop() {
		s, err := Compute(ctx, st, cfg, 2015, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if s.Counts.Total != 100000 {
			b.Fatalf("total %d", s.Counts.Total)
		}
	}
}

// BenchmarkItems100k measures the store query alone, for comparison.
func BenchmarkItems100k(b *testing.B) {
	st := openStore(b)
	fillYear(b, st, 100000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.Items(ctx, historyStart, bj(2016, 1, 1, 0, 0)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedCompute100k measures Compute through a warm Cache, the way
// the web's dashboards call it.
func BenchmarkCachedCompute100k(b *testing.B) {
	st := openStore(b)
	fillYear(b, st, 100000)
	cfg := defaultConfig()
	cfg.Targets[2015] = config.YearTarget{Channels: map[string]int{"portal": 60000, "wechat": 40000}}
	cache := NewCache(st)
	ctx := context.Background()
	if _, err := cache.Compute(ctx, cfg, 2015, bj(2015, 12, 31, 0, 0)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := cache.Compute(ctx, cfg, 2015, bj(2015, 12, 31, 0, 0))
		if err != nil || s.Counts.Total != 100000 {
			b.Fatalf("%v %v", err, s)
		}
	}
}
