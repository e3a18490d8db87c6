package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/crawler/encoding"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// realPortalPages are the government article pages of ../shared/fixtures and
// the CMS each was published with, read by hand from the page source (the
// TRS_Editor / TRS_UEDITOR / Custom_UnionStyle containers and tYYYYMMDD_id
// links of TRS, the /col/colN/ columns of Hanweb).
var realPortalPages = map[string]string{
	"cwced_500b350d": CMSTRS,    // 巴彦淖尔市政府网
	"cwced_d232c5df": CMSTRS,    // 内蒙古自治区政府门户网站
	"cwced_e8847578": CMSTRS,    // 吉林省政府信息公开专栏
	"gne_shanxi_1":   CMSTRS,    // 山西省人民政府门户网站
	"gne_gzggw_1":    CMSHanweb, // 浙江省发改委 (德清)
}

// fixtureKey is the part of a ../shared/fixtures answer key a probe checks.
type fixtureKey struct {
	Title, Published string
}

func readFixture(t *testing.T, dir, name string) ([]byte, fixtureKey) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	kb, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var key fixtureKey
	if err := json.Unmarshal(kb, &key); err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
	return raw, key
}

// TestRecognizeRealPages names the CMS of the real government pages.
func TestRecognizeRealPages(t *testing.T) {
	dir := shareddata.Path(t, "fixtures/pages")
	for name, want := range realPortalPages {
		raw, _ := readFixture(t, dir, name)
		text, _, err := encoding.Decode(raw, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := Recognize(text); got.CMS != want {
			t.Errorf("%s: cms %q (evidence %v), want %q", name, got.CMS, got.Evidence, want)
		}
	}
}

// TestProbeRealArticles probes a list page whose links lead to the real
// government pages of ../shared/fixtures, served byte for byte on loopback:
// every sample must carry the answer key's title (whitespace aside, as the
// keys' README says) and date.
func TestProbeRealArticles(t *testing.T) {
	dir := shareddata.Path(t, "fixtures/pages")
	pages := map[string][]byte{}
	keys := map[string]fixtureKey{}
	var list strings.Builder
	list.WriteString(`<html><head><meta charset="utf-8"><title>政务动态</title></head><body><ul class="list">`)
	for name := range realPortalPages {
		raw, key := readFixture(t, dir, name)
		path := "/col/dt/202201/t20220101_" + fmt.Sprint(len(pages)+1) + ".html"
		pages[path], keys[path] = raw, key
		fmt.Fprintf(&list, `<li><a href="%s">%s</a></li>`, path, key.Title)
	}
	list.WriteString(`</ul></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/col/dt/index.html" {
			fmt.Fprint(w, list.String())
			return
		}
		raw, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html") // the charset is the page's own to declare
		w.Write(raw)
	}))
	defer srv.Close()
	f := fetch.New(fetch.Options{Rate: -1, Backoff: time.Millisecond, Allow: fetch.Allow{Private: true}})
	defer f.Close()
	r, err := Probe(context.Background(), f, srv.URL+"/col/dt/index.html", Options{Samples: len(pages)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Articles) != len(pages) || len(r.Problems) != 0 || r.CMS != CMSTRS {
		t.Fatalf("%d samples, problems %+v, cms %s %v", len(r.Articles), r.Problems, r.CMS, r.CMSEvidence)
	}
	for _, a := range r.Articles {
		key := keys[strings.TrimPrefix(a.URL, srv.URL)]
		if noSpace(a.Title) != noSpace(key.Title) || a.Published != key.Published || a.BodyChars == 0 {
			t.Errorf("%s: %q %s %d chars; want %q %s", a.URL, a.Title, a.Published, a.BodyChars, key.Title, key.Published)
		}
	}
}

func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }
