package probe

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/crawler/fetch"
)

// savedPage is the part of an answer key in ../list/testdata and
// ../extract/testdata/real that says where a saved page was served from.
type savedPage struct {
	File      string   `json:"file"`
	URL       string   `json:"url"`
	CMS       string   `json:"cms"`
	Driver    string   `json:"driver"`
	Links     []string `json:"links"`
	Title     string   `json:"title"`
	Published string   `json:"published"`
}

// savedPages reads the answer keys of dir that name the address their page
// was saved from.
func savedPages(t *testing.T, dir string) map[string]savedPage {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no answer keys in %s: %v", dir, err)
	}
	out := map[string]savedPage{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var k savedPage
		if err := json.Unmarshal(b, &k); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if k.URL != "" {
			k.File = filepath.Join(dir, k.File)
			out[k.URL] = k
		}
	}
	return out
}

// TestProbeRealListPages probes every saved real list page of
// ../list/testdata, served byte for byte on loopback under the address it
// was saved from, with the saved real article pages of
// ../extract/testdata/real beside it (other addresses answer 404): the
// report must name the key's driver and CMS, list exactly the key's article
// links, give a config block that loads, and read every saved sample with
// its key's title and date.
func TestProbeRealListPages(t *testing.T) {
	lists := savedPages(t, filepath.Join("..", "list", "testdata"))
	articles := savedPages(t, filepath.Join("..", "extract", "testdata", "real"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := "http://" + r.Host + r.URL.RequestURI()
		k, ok := lists[u]
		if !ok {
			k, ok = articles[u]
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		raw, err := os.ReadFile(k.File)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html") // the charset is the page's own to declare
		w.Write(raw)
	}))
	defer srv.Close()
	toLoopback := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	f := fetch.New(fetch.Options{Rate: -1, Retries: -1, Backoff: time.Millisecond, DialContext: toLoopback})
	defer f.Close()
	sampled := 0
	for u, k := range lists {
		r, err := Probe(context.Background(), f, u, Options{Samples: len(k.Links)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Driver != k.Driver || r.CMS != k.CMS || !slices.Equal(r.Links, k.Links) {
			t.Errorf("%s: driver %q cms %q (%v), %d links; want %q %q, %d links", k.File, r.Driver, r.CMS, r.CMSEvidence, len(r.Links), k.Driver, k.CMS, len(k.Links))
			continue
		}
		if len(k.Links) > 0 {
			checkConfigBlock(t, r, u)
		}
		for _, a := range r.Articles {
			want, saved := articles[a.URL]
			if !saved {
				continue
			}
			sampled++
			if noSpace(a.Title) != noSpace(want.Title) || a.Published != want.Published || a.BodyChars == 0 {
				t.Errorf("%s: sample %s: %q %s %d chars; want %q %s", k.File, a.URL, a.Title, a.Published, a.BodyChars, want.Title, want.Published)
			}
		}
	}
	if sampled == 0 {
		t.Error("no list links to a saved article page: the test checks no sample")
	}
	t.Logf("%d real list pages probed, %d saved articles sampled through them", len(lists), sampled)
}
