package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// TestSiteTemplate crawls real pages of one site (two 网易娱乐 articles of
// the shared fixtures) served from one host, with a page of another site
// (新华网) under the same host: the first crawl learns the host's template
// from the clean pages and keeps it in the store; a second crawler on the
// same store (a restart) reads both 网易 pages with it and falls back to
// the general method on the other page.
func TestSiteTemplate(t *testing.T) {
	pages := shareddata.Path(t, "fixtures/pages")
	files := map[string]string{
		"/tzgg/201503/t20150301_1.html": filepath.Join(pages, "cwced_c2d9f85c.html"),
		"/tzgg/201503/t20150302_2.html": filepath.Join(pages, "cwced_d519ec93.html"),
		"/tzgg/201503/t20150303_3.html": filepath.Join("extract", "testdata", "real", "xinhuanet.html"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/tzgg/index.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>通知公告</title></head><body><div class="nav"><a href="/">首页</a></div><ul class="list">`)
			for _, id := range []string{"t20150301_1", "t20150302_2", "t20150303_3"} {
				fmt.Fprintf(w, `<li><a href="./201503/%s.html">%s</a></li>`, id, id)
			}
			fmt.Fprint(w, `</ul></body></html>`)
			return
		}
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write(raw)
	}))
	defer srv.Close()
	st := openStore(t)
	cfg := config.Default()
	cfg.Sources = []config.Source{{Name: "portal", Kind: config.KindPortal, Start: []string{srv.URL + "/tzgg/index.html"}, Rate: -1}}
	ctx := context.Background()
	host := strings.Split(strings.TrimPrefix(srv.URL, "http://"), ":")[0]

	first := runAll(t, newCrawler(st, cfg, nil))["portal"]
	if first.New != 3 || first.Templated != 0 {
		t.Fatalf("first crawl: %+v (nothing learned yet, so no page read by template)", first)
	}
	layouts, err := st.SiteTemplates(ctx, host)
	if err != nil || len(layouts) != 2 {
		t.Fatalf("layouts of %s after the first crawl: %+v, %v (want the 网易 one and the 新华网 one)", host, layouts, err)
	}
	if l := layouts[0]; l.Pages < minTemplatePages && layouts[1].Pages < minTemplatePages {
		t.Fatalf("no layout of %s shown by two pages: %+v", host, layouts)
	}

	c := newCrawler(st, cfg, nil)
	c.opt.Full = true
	c.opt.Workers = 1 // in list order: the 新华网 page last, so it cannot tie the 网易 layout first
	second := runAll(t, c)["portal"]
	if second.Templated != 2 {
		t.Errorf("second crawl read %d pages by the site template, want the two 网易 pages: %+v", second.Templated, second)
	}
	if second.Unchanged != 3 || second.Failed != 0 {
		t.Errorf("second crawl changed what the first stored: %+v", second)
	}
	runs, err := st.RecentRuns(ctx, 1)
	if err != nil || len(runs) != 1 || runs[0].Templated != 2 {
		t.Errorf("stored run: %+v, %v", runs, err)
	}
}
