package crawler

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
)

// BenchmarkCrawl measures a first crawl of a 200-article loopback portal
// (20 articles per TRS list page) into a fresh store, with the rate limit
// off: fetching, charset decoding, extraction, categorisation and SQLite
// writes. It reports articles stored per second.
func BenchmarkCrawl(b *testing.B) {
	const articles = 200
	s := newTownship(b, articles, 20)
	cfg := config.Default()
	cfg.Sources = []config.Source{{Name: "portal", Kind: config.KindPortal, Start: []string{s.URL + "/tzgg/index.html"}, Rate: -1, MaxPages: 50}}
	var elapsed time.Duration
	var stored int
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "gongkai.db"))
		if err != nil {
			b.Fatal(err)
		}
		c := New(st, cfg, Options{Fetch: fetch.Options{Rate: -1, Allow: fetch.Allow{Private: true}}, Progress: func(Event) {}})
		b.StartTimer()
		start := time.Now()
		runs, err := c.Run(context.Background())
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil || runs[0].New != articles {
			b.Fatalf("crawl: %v %+v", err, runs)
		}
		stored += runs[0].New
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(stored)/elapsed.Seconds(), "pages/s")
}
