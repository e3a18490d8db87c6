package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// feedSite serves the feeds of testdata/feeds (with ETags, answering 304 to
// a matching If-None-Match) and the article pages their summaries link to.
type feedSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits []request
}

func newFeedSite(t *testing.T) *feedSite {
	s := &feedSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *feedSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits = append(s.hits, request{r.Method, r.URL.Path, r.Header.Get("If-None-Match") != ""})
	s.mu.Unlock()
	if name, ok := strings.CutPrefix(r.URL.Path, "/feeds/"); ok {
		data, err := os.ReadFile(filepath.Join("testdata", "feeds", filepath.Base(name)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		data = []byte(strings.ReplaceAll(string(data), "{{BASE}}", s.URL))
		sum := sha256.Sum256(data)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write(data)
		return
	}
	pages := map[string]struct{ title, date, column string }{
		"/gzdt/201511/t20151120_2001.html": {"康大营镇召开2015年度村务公开工作推进会", "2015-11-20 16:30", "工作动态"},
		"/gzdt/201511/t20151105_2002.html": {"镇领导检查秋冬季农田水利建设", "", ""}, // the column is the feed's title
		"/zcwj/201510/t20151012_3001.html": {"康大营镇危房改造补助实施办法", "2015-10-12 09:00", "政策文件"},
	}
	pg, ok := pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, `<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="%[1]s"><meta name="PubDate" content="%[2]s">
<meta name="ColumnName" content="%[3]s"><title>%[1]s</title></head><body><h1>%[1]s</h1><div class="TRS_Editor"><p>%[4]s</p><p>%[4]s</p></div></body></html>`,
		pg.title, pg.date, pg.column, prose)
}

func (s *feedSite) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.hits
	s.hits = nil
	return out
}

func TestFeedSources(t *testing.T) {
	s := newFeedSite(t)
	st, cfg := setup(t, newTownship(t, 1, 5))
	cfg.Sources = []config.Source{
		{Name: "rsshub", Kind: KindFeed, URL: s.URL + "/feeds/rsshub.xml", Channel: store.ChannelPortal, Rate: -1},
		{Name: "cms", Kind: KindFeed, URL: s.URL + "/feeds/cms-summary.xml", Category: "工作动态", Rate: -1},
		{Name: "json", Kind: KindFeed, URL: s.URL + "/feeds/jsonfeed.json", Channel: store.ChannelFeed, Rate: -1},
	}
	ctx := context.Background()
	runs := runAll(t, newCrawler(st, cfg, nil))
	if r := runs["rsshub"]; r.New != 2 || r.Fetched != 1 || r.Failed != 0 {
		t.Errorf("rsshub run (full text in the feed: one request): %+v", r)
	}
	if r := runs["cms"]; r.New != 2 || r.Fetched != 3 {
		t.Errorf("cms run (summaries: feed and two pages): %+v", r)
	}
	if r := runs["json"]; r.New != 1 || r.Fetched != 2 {
		t.Errorf("json feed run: %+v", r)
	}
	for _, rq := range s.requests() {
		if strings.HasPrefix(rq.path, "/tzgg/") {
			t.Errorf("%s was fetched though the feed carries its full text", rq.path)
		}
	}
	byTitle := map[string]*store.Document{}
	st.Each(ctx, func(d *store.Document) error { byTitle[d.Title] = d; return nil })
	budget := byTitle["康大营镇2015年财政预算执行情况公告"]
	if budget == nil || budget.Channel != store.ChannelPortal || budget.Category != "财政信息" || budget.Source != "rsshub" ||
		!strings.Contains(budget.Body, "一般公共预算支出完成年度预算") || budget.Meta["作者"] != "康大营镇财政所" ||
		!budget.Published.Equal(time.Date(2015, 12, 15, 10, 0, 0, 0, store.Beijing)) || budget.URL != s.URL+"/tzgg/201512/t20151215_1001.html" {
		t.Errorf("full-text item: %+v", budget)
	}
	if strings.Contains(budget.HTML, "style=") || strings.Contains(budget.HTML, "<script") {
		t.Errorf("feed HTML kept unsafe markup: %s", budget.HTML)
	}
	water := byTitle["镇领导检查秋冬季农田水利建设"]
	if water == nil || water.Category != "工作动态" || water.Channel != store.ChannelPortal || water.Column != "康大营镇人民政府 工作动态" {
		t.Errorf("summary item: %+v", water)
	}
	if d := byTitle["康大营镇危房改造补助实施办法"]; d == nil || d.Channel != store.ChannelFeed || d.Column != "政策文件" {
		t.Errorf("JSON Feed item: %+v", d)
	}

	// A second crawl asks for each feed conditionally and reads nothing more.
	runs = runAll(t, newCrawler(st, cfg, nil))
	for name, r := range runs {
		if r.New+r.Changed+r.Failed != 0 || r.Fetched != 1 {
			t.Errorf("%s on the second crawl: %+v", name, r)
		}
	}
	for _, rq := range s.requests() {
		if rq.path != "/robots.txt" && (!strings.HasPrefix(rq.path, "/feeds/") || !rq.conditional) {
			t.Errorf("second crawl requested %s (conditional %v); want only conditional feed requests", rq.path, rq.conditional)
		}
	}
}

func TestFeedOfWeChatAccount(t *testing.T) {
	s := newTownship(t, 1, 5)
	st, cfg := setup(t, s)
	cfg.Sources = []config.Source{{Name: "wx", Kind: KindFeed, URL: s.URL + "/wx/feed.xml", Rate: -1}}
	runs := runAll(t, newCrawler(st, cfg, nil))
	if r := runs["wx"]; r.New != 1 || r.Failed != 2 {
		t.Fatalf("run: %+v", r)
	}
	d, err := st.Get(context.Background(), "wx:"+wxBiz+":101:1")
	if err != nil || d.Channel != store.ChannelWeChat || d.Column != "康大营镇发布" {
		t.Fatalf("a WeChat article from a feed: %v %+v", err, d)
	}
}

// A feed that cannot be read is a failure of the source, named by its
// channel's list: a WeChat account's archive, any other channel's list.
func TestFeedFailureFollowsChannel(t *testing.T) {
	s := newFeedSite(t)
	st, cfg := setup(t, newTownship(t, 1, 5))
	cfg.Sources = []config.Source{
		{Name: "wx", Kind: KindFeed, URL: s.URL + "/feeds/missing.xml", Channel: store.ChannelWeChat, Rate: -1},
		{Name: "col", Kind: KindFeed, URL: s.URL + "/feeds/missing.xml", Channel: store.ChannelPortal, Rate: -1},
	}
	runs := runAll(t, newCrawler(st, cfg, nil))
	if r := runs["wx"]; r.Failures["archive http 404"] != 1 {
		t.Errorf("wx: %+v", r)
	}
	if r := runs["col"]; r.Failures["list http 404"] != 1 {
		t.Errorf("col: %+v", r)
	}
}
