package list_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/crawler/list"
	"github.com/gongkai-project/gongkai/crawler/probe"
)

// realListKey is the answer key of one saved real list page in testdata
// (see testdata/README.md).
type realListKey struct {
	File    string   `json:"file"`
	URL     string   `json:"url"` // the address the page was saved from
	CMS     string   `json:"cms"`
	Driver  string   `json:"driver"`
	Count   int      `json:"links_count"`
	Links   []string `json:"links"` // every article link of the list, in page order
	Next    string   `json:"next"`  // the second page's address as the page links it; "" on a last page
	Records int      `json:"records"`
	Pages   int      `json:"pages"` // the count createPageHTML announces (TRS pages)
}

func loadRealLists(t *testing.T) map[string]realListKey {
	t.Helper()
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no answer keys in testdata: %v", err)
	}
	keys := map[string]realListKey{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var k realListKey
		if err := json.Unmarshal(b, &k); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if k.Count != len(k.Links) {
			t.Fatalf("%s: links_count %d but %d links", f, k.Count, len(k.Links))
		}
		keys[f] = k
	}
	return keys
}

// savedResponse is the saved page as the fetcher would have returned it
// from the address it was saved from.
func savedResponse(t *testing.T, k realListKey) *fetch.Response {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", k.File))
	if err != nil {
		t.Fatal(err)
	}
	return &fetch.Response{URL: k.URL, FinalURL: k.URL, Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: body}
}

// TestRealListPages runs Inspect with driver auto on each saved real list
// page: it must pick the key's driver, find exactly the key's article links
// in page order (no navigation, sidebar or footer links) and announce the
// key's next page; probe.Recognize must name the key's CMS.
func TestRealListPages(t *testing.T) {
	for f, k := range loadRealLists(t) {
		t.Run(k.File, func(t *testing.T) {
			resp := savedResponse(t, k)
			s, err := list.Inspect(resp, config.Source{Name: "real", Driver: config.DriverAuto})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if s.Driver != k.Driver {
				t.Errorf("driver %q, want %q", s.Driver, k.Driver)
			}
			if !slices.Equal(s.Links, k.Links) {
				t.Errorf("links differ: missing %v, extra %v", minus(k.Links, s.Links), minus(s.Links, k.Links))
			}
			if s.Pagination.Next != k.Next {
				t.Errorf("next page %q, want %q", s.Pagination.Next, k.Next)
			}
			if k.Pages > 0 && s.Pagination.Pages != k.Pages {
				t.Errorf("pages %d, want %d", s.Pagination.Pages, k.Pages)
			}
			if rec := probe.Recognize(string(resp.Body)); rec.CMS != k.CMS {
				t.Errorf("cms %q (evidence %v), want %q", rec.CMS, rec.Evidence, k.CMS)
			}
		})
	}
}

// minus lists the elements of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// TestRealListWalk walks the first ten saved pages of one real column
// (公示公告, 23 pages in all) by their own "下一页" links, the pages served
// on loopback under the host they were saved from: each page must yield the
// key's links not reported before, and the walk must stop at max_pages
// without requesting page 11.
func TestRealListWalk(t *testing.T) {
	keys := loadRealLists(t)
	byPath := map[string]realListKey{}
	for _, k := range keys {
		if strings.HasPrefix(k.File, "zhecheng_xxgkml_gsgg") {
			u, err := url.Parse(k.URL)
			if err != nil {
				t.Fatal(err)
			}
			byPath[u.Path] = k
		}
	}
	var mu sync.Mutex
	var requested []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requested = append(requested, r.URL.Path)
		mu.Unlock()
		k, ok := byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join("testdata", k.File))
	}))
	defer srv.Close()
	toLoopback := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	start := "http://www.zhecheng.gov.cn/xxgk/xxgkml/gsgg/"
	w := &list.Walker{
		Fetcher: fetch.New(fetch.Options{Rate: -1, Retries: -1, DialContext: toLoopback}),
		Source:  config.Source{Name: "zhecheng", Start: []string{start}, Driver: config.DriverAuto, MaxPages: 10},
	}
	var pages []list.Page
	if err := w.Walk(context.Background(), func(p list.Page) error { pages = append(pages, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(pages) != 10 {
		t.Fatalf("walked %d pages, want 10", len(pages))
	}
	seen := map[string]bool{}
	for i, p := range pages {
		u, _ := url.Parse(p.URL)
		k, ok := byPath[u.Path]
		if !ok {
			t.Fatalf("page %d: %s has no key", i, p.URL)
		}
		var want []string
		for _, l := range k.Links {
			if !seen[l] {
				seen[l] = true
				want = append(want, l)
			}
		}
		if p.Driver != config.DriverNextLink || !slices.Equal(p.Links, want) {
			t.Errorf("page %d %s (%s): missing %v, extra %v", i, p.URL, p.Driver, minus(want, p.Links), minus(p.Links, want))
		}
	}
	if slices.Contains(requested, "/xxgk/xxgkml/gsgg/index_11.html") {
		t.Errorf("requested page 11 past max_pages: %v", requested)
	}
}
