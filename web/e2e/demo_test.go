// Package e2e holds gongkai's end-to-end test: the demo township served on
// loopback, crawled by the real crawler, indexed, and driven through the web
// interface in headless Chromium. It has no code outside its tests.
package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/crawler"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
	"github.com/gongkai-project/gongkai/web"
)

// servedDemo is the demo pipeline up to a running web server.
type servedDemo struct {
	base  string // http://127.0.0.1:port of the web server
	docs  int    // documents in the index after the crawl
	items int    // documents the demo township published
}

// serveDemo generates the demo township, serves its sites, crawls them with
// the real crawler, indexes the store and serves the web interface on
// loopback. Everything stops when the test ends.
func serveDemo(ctx context.Context, t *testing.T) servedDemo {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	town := demo.Generate(demo.Options{})
	sites, err := town.Serve(ctx)
	if err != nil {
		t.Fatalf("serve the demo sites: %v", err)
	}
	cfg := town.Config(sites)
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := crawler.New(st, cfg, crawler.Options{Logger: quiet}).Run(ctx); err != nil {
		t.Fatalf("crawl the demo sites: %v", err)
	}
	ix, err := indexer.OpenOrCreate(filepath.Join(dir, "index"), cfg, st)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatalf("index the store: %v", err)
	}
	n, err := ix.DocCount()
	if err != nil {
		t.Fatalf("count indexed documents: %v", err)
	}
	srv, err := web.New(web.Options{Store: st, Index: ix, Config: cfg, Logger: quiet,
		AsOf: func() time.Time { return town.AsOf }})
	if err != nil {
		t.Fatalf("build web server: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	adopted := town.Adopted(time.Time{}, town.AsOf.AddDate(1, 0, 0)) // the township's items on the city portal
	return servedDemo{base: ts.URL, docs: int(n), items: len(town.Items) + adopted}
}
