package list_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gongkai/config"
	"gongkai/crawler/fetch"
	"gongkai/crawler/list"
	"gongkai/crawler/probe"
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
