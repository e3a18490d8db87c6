package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
)

// setup opens a fresh store and a configuration for the township's column,
// its feed and a folder of saved WeChat pages.
// openStore opens a new store in a temporary folder, closed when t ends.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func setup(t testing.TB, s *township) (*store.Store, *config.Config) {
	t.Helper()
	dir := t.TempDir()
	st := openStore(t)
	saved := filepath.Join(dir, "saved")
	os.MkdirAll(saved, 0o755)
	for name, page := range map[string]string{
		"dibao.html":  wechatPage(101, "康大营镇低保评议结果公示"), // also in the feed
		"jiuzai.html": wechatPage(104, "救灾救济款物发放情况"),
	} {
		if err := os.WriteFile(filepath.Join(saved, name), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	cfg.Sources = []config.Source{
		{Name: "portal", Kind: config.KindPortal, Start: []string{s.URL + "/tzgg/index.html"}, Rate: -1},
		{Name: "feed", Kind: config.KindWeChatFeed, URL: s.URL + "/wx/feed.xml", Rate: -1, Account: "康大营镇发布"},
		{Name: "saved", Kind: config.KindWeChatFolder, Path: saved, Account: "康大营镇发布"},
	}
	cfg.Categories.Rules = []config.Rule{
		{Category: "财政信息", Title: []string{"预算", "决算"}},
		{Category: "社会保障", Title: []string{"低保"}},
		{Category: "救灾救济", Title: []string{"救灾"}},
		{Category: "通知公告", Column: []string{"通知公告"}},
	}
	return st, cfg
}

func newCrawler(st *store.Store, cfg *config.Config, progress func(Event)) *Crawler {
	return New(st, cfg, Options{
		Fetch:    fetch.Options{Rate: -1, Backoff: time.Millisecond, Retries: 1, Allow: fetch.Allow{Private: true}}, // the test sites are on loopback
		Progress: progress,
		Parallel: 1, // sources in order, so the feed owns the article it shares with the folder
	})
}

func runAll(t *testing.T, c *Crawler, names ...string) map[string]*store.CrawlRun {
	t.Helper()
	runs, err := c.Run(context.Background(), names...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*store.CrawlRun{}
	for _, r := range runs {
		out[r.Source] = r
	}
	return out
}

func TestCrawlTownship(t *testing.T) {
	s := newTownship(t, 12, 5)
	st, cfg := setup(t, s)
	ctx := context.Background()

	runs := runAll(t, newCrawler(st, cfg, nil))
	p := runs["portal"]
	if p.New != 12 || p.Failed != 3 || p.Failures["robots"] != 1 || p.Failures["http 404"] != 1 || p.Failures["waf"] != 1 {
		t.Fatalf("portal run: %+v", p)
	}
	if p.Fetched != 3+12 { // 3 list pages and 12 articles; failed requests are not pages
		t.Errorf("portal fetched %d pages, want 15", p.Fetched)
	}
	f := runs["feed"]
	if f.New != 1 || f.Failures["unavailable: 链接已过期"] != 1 || f.Failures["unavailable: 该内容已被发布者删除"] != 1 {
		t.Fatalf("feed run: %+v", f)
	}
	if sv := runs["saved"]; sv.New != 1 || sv.Unchanged != 1 || sv.Fetched != 2 {
		t.Fatalf("saved run (one new, one already from the feed): %+v", sv)
	}
	for _, rq := range s.log() {
		if strings.HasPrefix(rq.path, "/private/") {
			t.Errorf("robots-disallowed %s was requested", rq.path)
		}
	}
	if n, _ := st.Count(ctx); n != 14 {
		t.Fatalf("%d documents stored, want 12 + 2 WeChat", n)
	}
	checkDocuments(t, st, s)
	checkFailures(t, st)
}

func checkDocuments(t *testing.T, st *store.Store, s *township) {
	t.Helper()
	ctx := context.Background()
	byTitle := map[string]*store.Document{}
	st.Each(ctx, func(d *store.Document) error { byTitle[d.Title] = d; return nil })
	budget := byTitle["康大营镇2015年财政预算公开"]
	if budget == nil {
		t.Fatalf("GBK article missing; titles: %v", keys(byTitle))
	}
	want := time.Date(2015, 3, 2, 9, 30, 0, 0, store.Beijing)
	if budget.Category != "财政信息" || budget.Channel != store.ChannelPortal || !budget.Published.Equal(want) ||
		budget.Source != "portal" || budget.Publisher != "康大营镇党政办" || !strings.Contains(budget.Body, "政务公开工作") {
		t.Errorf("GBK article: %+v", budget)
	}
	if d := byTitle["关于t20150313_12号文件的通知"]; d == nil || d.Category != "通知公告" || d.Column != "通知公告" {
		t.Errorf("column rule: %+v", d)
	}
	wx := byTitle["康大营镇低保评议结果公示"]
	if wx == nil || wx.ID != "wx:"+wxBiz+":101:1" || wx.Channel != store.ChannelWeChat || wx.Category != "社会保障" ||
		wx.Source != "feed" || !wx.Published.Equal(time.Date(2015, 12, 15, 10, 0, 0, 0, store.Beijing)) || wx.Column != "康大营镇发布" {
		t.Errorf("WeChat article: %+v", wx)
	}
	if d := byTitle["救灾救济款物发放情况"]; d == nil || d.Source != "saved" || d.Category != "救灾救济" || d.Channel != store.ChannelWeChat {
		t.Errorf("saved page: %+v", d)
	}
}

func checkFailures(t *testing.T, st *store.Store) {
	t.Helper()
	fails, err := st.Failures(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range fails {
		got[f.Failure[:strings.IndexAny(f.Failure+":", ":")]] = true
		if strings.HasPrefix(f.Failure, "waf") && !strings.Contains(f.Failure, fetch.WAFMessage) {
			t.Errorf("WAF failure lacks the staff message: %s", f.Failure)
		}
	}
	for _, want := range []string{"robots", "http 404", "waf", "unavailable"} {
		if !got[want] {
			t.Errorf("no %s failure in the crawl state: %+v", want, fails)
		}
	}
}

func keys(m map[string]*store.Document) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRecrawlFetchesOnlyChanges(t *testing.T) {
	s := newTownship(t, 12, 5)
	st, cfg := setup(t, s)
	ctx := context.Background()
	runAll(t, newCrawler(st, cfg, nil))
	seq, _ := st.MaxSeq(ctx)

	s.resetLog()
	runs := runAll(t, newCrawler(st, cfg, nil))
	p := runs["portal"]
	if p.New != 0 || p.Changed != 0 || p.Unchanged != 5 {
		t.Fatalf("second portal run: %+v", p)
	}
	for _, name := range []string{"feed", "saved"} {
		if r := runs[name]; r.New != 0 || r.Changed != 0 {
			t.Errorf("second %s run: %+v", name, r)
		}
	}
	if after, _ := st.MaxSeq(ctx); after != seq {
		t.Errorf("the second crawl wrote documents: seq %d → %d", seq, after)
	}
	for _, rq := range s.log() {
		article := strings.HasPrefix(rq.path, "/tzgg/201503/t")
		known := !strings.Contains(rq.path, "_404") && !strings.Contains(rq.path, "_999")
		if article && known && !rq.conditional {
			t.Errorf("unconditional request for a stored article: %s %s", rq.method, rq.path)
		}
		if rq.path == "/s" {
			t.Errorf("WeChat article fetched again (stored, or known unavailable): %s", rq.path)
		}
		if rq.path == "/tzgg/index_1.html" {
			t.Error("paging went past a list page of known articles")
		}
	}

	s.edit("t20150313_12")
	s.addArticle("t20150320_13")
	runs = runAll(t, newCrawler(st, cfg, nil), "portal")
	// Page 0 holds a new item, so page 1 is read too; it is all known, so paging stops there.
	if p := runs["portal"]; p.New != 1 || p.Changed != 1 || p.Unchanged != 3+5 {
		t.Fatalf("third run after one edit and one new article: %+v", p)
	}
}

func TestResumeAfterInterruption(t *testing.T) {
	s := newTownship(t, 20, 5)
	st, cfg := setup(t, s)
	cfg.Sources = cfg.Sources[:1]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	handled := 0
	c := newCrawler(st, cfg, func(e Event) {
		if e.Kind == EventArticle {
			if handled++; handled == 6 {
				cancel()
			}
		}
	})
	runs, err := c.Run(ctx)
	if !errors.Is(err, context.Canceled) || len(runs) != 1 || runs[0].Note != "interrupted" {
		t.Fatalf("interrupted run: %v %+v", err, runs)
	}
	stored, _ := st.Count(context.Background())
	if stored == 0 || stored >= 20 {
		t.Fatalf("%d documents after the interruption", stored)
	}
	// The previous run was interrupted, so the re-crawl pages through everything.
	again := runAll(t, newCrawler(st, cfg, nil))
	if n, _ := st.Count(context.Background()); n != 20 {
		t.Fatalf("%d documents after resuming, want 20", n)
	}
	if p := again["portal"]; p.New != 20-stored || p.Changed != 0 {
		t.Fatalf("resumed run stored %d new, %d changed; %d were stored before", p.New, p.Changed, stored)
	}
}

func TestUnknownSource(t *testing.T) {
	s := newTownship(t, 1, 5)
	st, cfg := setup(t, s)
	if _, err := newCrawler(st, cfg, nil).Run(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("want an unknown-source error, got %v", err)
	}
}

func TestUnreachableList(t *testing.T) {
	s := newTownship(t, 1, 5)
	st, cfg := setup(t, s)
	cfg.Sources = []config.Source{{Name: "gone", Kind: config.KindPortal, Start: []string{s.URL + "/nothing/index.html"}, Rate: -1}}
	runs := runAll(t, newCrawler(st, cfg, nil))
	if r := runs["gone"]; r.Failures["list http 404"] != 1 || !strings.Contains(r.Note, "/nothing/index.html") {
		t.Fatalf("unreachable list: %+v", r)
	}
}

// TestAddressGuard: sources on loopback are refused unless the source
// allows the address, and the failure is recorded with its code.
func TestAddressGuard(t *testing.T) {
	s := newTownship(t, 2, 5)
	st, cfg := setup(t, s)
	cfg.Sources = cfg.Sources[:2] // the portal and the feed: the saved folder fetches nothing
	guarded := func() *Crawler {
		return New(st, cfg, Options{Fetch: fetch.Options{Rate: -1, Retries: -1}, Progress: func(Event) {}, Parallel: 1})
	}
	runs := runAll(t, guarded())
	if r := runs["portal"]; r.New != 0 || r.Failures["list non_public_address"] != 1 {
		t.Errorf("portal on loopback, not allowed: %+v", r)
	}
	if r := runs["feed"]; r.New != 0 || r.Failures["list non_public_address"] != 1 {
		t.Errorf("feed on loopback, not allowed: %+v", r)
	}
	cfg.Sources[0].AllowNetworks = []string{"127.0.0.0/8"}
	cfg.Sources[1].AllowPrivate = true
	runs = runAll(t, guarded())
	if r := runs["portal"]; r.New != 2 {
		t.Errorf("portal allowed by allow_networks: %+v", r)
	}
	if r := runs["feed"]; r.New == 0 {
		t.Errorf("feed allowed by allow_private: %+v", r)
	}
}

// TestPurgedStaysPurged: a document purged by staff is not stored again by
// a later crawl, even a full one that fetches its page again.
func TestPurgedStaysPurged(t *testing.T) {
	s := newTownship(t, 3, 5)
	st, cfg := setup(t, s)
	cfg.Sources = cfg.Sources[:1]
	ctx := context.Background()
	runAll(t, newCrawler(st, cfg, nil))
	var victim *store.Document
	st.Each(ctx, func(d *store.Document) error {
		if victim == nil && d.Status == store.StatusLive {
			victim = d
		}
		return nil
	})
	if victim == nil {
		t.Fatal("nothing crawled")
	}
	if _, err := st.Purge(ctx, victim.ID, "staff", "test"); err != nil {
		t.Fatal(err)
	}
	// The page is fetched whole again, as when it changed (no validators to send).
	if err := st.SaveCrawlState(ctx, &store.CrawlState{URL: victim.URL, Source: "portal", DocID: victim.ID}); err != nil {
		t.Fatal(err)
	}
	outcome := ""
	c := newCrawler(st, cfg, func(e Event) {
		if e.Kind == EventArticle && e.URL == victim.URL {
			outcome = e.Outcome
		}
	})
	runAll(t, c)
	if outcome != OutcomeSkipped {
		t.Errorf("the purged page's outcome: %q, want %q", outcome, OutcomeSkipped)
	}
	d, err := st.Get(ctx, victim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != store.StatusRemoved || d.Title != "" || d.Body != "" {
		t.Errorf("a re-crawl brought the purged document back: %+v", d)
	}
}

// TestPageLimit: an article page over crawl.max_page_bytes is not parsed
// and is recorded as too_large with the limit named; the others are stored.
func TestPageLimit(t *testing.T) {
	article := func(title string, paras int) string {
		return `<html><head><meta charset="utf-8"><title>` + title + `</title></head><body><h1>` + title +
			`</h1><div class="info">发布日期：2015-03-02</div><div class="TRS_Editor">` +
			strings.Repeat("<p>各村要抓住农时，做好种子、化肥和农机的准备，确保春耕生产顺利进行。</p>", paras) + `</div></body></html>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/tzgg/index.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><ul class="list"><li><a href="/tzgg/201503/t20150302_1.html">关于做好春耕备耕工作的通知</a></li>`+
			`<li><a href="/tzgg/201503/t20150302_2.html">全镇农村低保发放花名册</a></li></ul></body></html>`)
	})
	mux.HandleFunc("/tzgg/201503/t20150302_1.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, article("关于做好春耕备耕工作的通知", 10))
	})
	mux.HandleFunc("/tzgg/201503/t20150302_2.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, article("全镇农村低保发放花名册", 3000)) // about 300 KB
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := openStore(t)
	cfg := config.Default()
	cfg.Crawl.MaxPageBytes = 100 << 10
	cfg.Sources = []config.Source{{Name: "portal", Kind: config.KindPortal, Start: []string{srv.URL + "/tzgg/index.html"},
		Driver: config.DriverStatic, Rate: -1, AllowPrivate: true, MaxPages: 1}}
	r := runAll(t, newCrawler(st, cfg, nil))["portal"]
	if r.New != 1 || r.Failed != 1 || r.Failures["too_large"] != 1 {
		t.Fatalf("run: %+v", r)
	}
	fails, err := st.Failures(context.Background(), "portal")
	if err != nil || len(fails) != 1 || !strings.Contains(fails[0].Failure, "crawl.max_page_bytes") || !strings.HasSuffix(fails[0].URL, "_2.html") {
		t.Fatalf("recorded failure: %+v %v", fails, err)
	}
}
