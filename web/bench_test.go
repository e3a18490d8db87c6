package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

// BenchmarkAPISearch measures /api/search end to end through the handler
// stack (middleware, parameter parsing, the real index, JSON encoding).
func BenchmarkAPISearch(b *testing.B) {
	f := newFixture(b, func(c *config.Config) { c.Server.SearchRate = 1e9 })
	target := "/api/search?q=" + url.QueryEscape("低保") + "&limit=10"
	for b.Loop() {
		resp := f.get(target)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkSearchPage measures the public results page.
func BenchmarkSearchPage(b *testing.B) {
	f := newFixture(b, func(c *config.Config) { c.Server.SearchRate = 1e9 })
	target := "/search?q=" + url.QueryEscape("低保")
	for b.Loop() {
		resp := f.get(target)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
