package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// checkInert parses an HTML page and fails on anything crawled text could
// have made live: scripts without src or nonce, frames, styles, SVG, event
// handler attributes, javascript:/vbscript:/data: URLs in links (as a browser
// reads them: tabs and newlines dropped) and CSS that loads something.
func checkInert(t *testing.T, where, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: parse: %v", where, err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		attrs := map[string]string{}
		for _, a := range n.Attr {
			attrs[a.Key] = a.Val
			checkAttrInert(t, where, n.Data, a)
		}
		switch n.Data {
		case "script":
			if !strings.HasPrefix(attrs["src"], "/static/") && attrs["nonce"] == "" {
				t.Errorf("%s: inline script without nonce: %v", where, n.FirstChild)
			}
		case "iframe", "style", "svg", "object", "embed", "frame", "base", "meta", "link", "math", "form":
			if n.Data == "meta" && (attrs["charset"] != "" || attrs["name"] == "viewport") ||
				n.Data == "link" && strings.HasPrefix(attrs["href"], "/static/") ||
				n.Data == "link" && (attrs["rel"] == "search" || attrs["rel"] == "alternate") && sameSitePath(attrs["href"]) ||
				n.Data == "form" && strings.HasPrefix(attrs["action"], "/") {
				continue
			}
			t.Errorf("%s: <%s> element in the output", where, n.Data)
		}
	}
}

// sameSitePath reports whether href is a path on this site (not //host).
func sameSitePath(href string) bool {
	return strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") && !strings.HasPrefix(href, "/\\")
}

// urlAttrs are the attributes a browser loads or follows.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true,
	"xlink:href": true, "data": true, "poster": true, "background": true, "srcset": true}

func checkAttrInert(t *testing.T, where, elem string, a html.Attribute) {
	t.Helper()
	v := strings.ToLower(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, a.Val))
	v = strings.TrimLeftFunc(v, func(r rune) bool { return r <= ' ' }) // browsers skip leading controls
	switch {
	case strings.HasPrefix(a.Key, "on"), a.Key == "srcdoc":
		t.Errorf("%s: %s=%q on <%s>", where, a.Key, a.Val, elem)
	case urlAttrs[a.Key] && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") ||
		strings.HasPrefix(v, "data:") && !(elem == "img" && strings.HasPrefix(v, "data:image/"))):
		t.Errorf("%s: %s=%q on <%s>", where, a.Key, a.Val, elem)
	case a.Key == "style" && (strings.Contains(v, "url(") || strings.Contains(v, "expression(") || strings.Contains(v, "@import")):
		t.Errorf("%s: style=%q on <%s> loads something", where, a.Val, elem)
	}
}

// checkJSONInert fails when a JSON answer holds a raw <, which would let
// crawled markup through to a careless client.
func checkJSONInert(t *testing.T, where, body string) {
	t.Helper()
	if strings.ContainsAny(body, "<>") {
		i := strings.IndexAny(body, "<>")
		t.Errorf("%s: raw < or > in JSON: …%s…", where, body[max(0, i-60):min(len(body), i+60)])
	}
}

func TestHomePage(t *testing.T) {
	f := newFixture(t, nil)
	f.logQuery("危房改造补助", 3, testAsOf.Add(-time.Hour), "192.0.2.10", "192.0.2.11", "192.0.2.12")
	body := wantStatus(t, f.get("/"), http.StatusOK)
	for _, want := range []string{`<html lang="zh-CN">`, `<label for="q">`, `id="q"`, `id="topics"`,
		"低保", "医保", "养老", "危房改造", "惠农补贴", "救灾", "村务公开", // topics
		`id="hot"`, "危房改造补助", // hot searches from the query log
		`id="browse"`, `href="/search?category=%e6%9c%ba%e6%9e%84%e8%81%8c%e8%83%bd"`, // 机构职能
		"dibao", `/static/suggest.js`} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")), http.StatusOK)
	for _, want := range []string{`id="result-count"`, `id="results"`, `class="hit"`, "<mark>",
		`href="/doc/dibao-2015"`, "2015-09-20", "康大营镇人民政府", "政府网站", `id="facets"`, "分类", "渠道",
		"年份", "按日期"} {
		if !strings.Contains(body, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	checkInert(t, "search page", body)
	f.s.queries.sync()
	logged, err := f.st.QueryCounts(context.Background(), testAsOf.AddDate(0, 0, -1), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(logged) != 1 || logged[0].Query != "低保" || logged[0].Clients != 1 {
		t.Errorf("query log after one search = %+v, want 低保 by one client", logged)
	}
}

func TestSearchFacetFilter(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")+"&category="+url.QueryEscape("社会保障")), http.StatusOK)
	if !strings.Contains(body, `href="/doc/yibao-2015"`) || strings.Contains(body, `href="/doc/dibao-2015"`) {
		t.Errorf("category filter 社会保障 should keep the 医保 notice and drop the 低保 list:\n%s", body)
	}
	if !strings.Contains(body, "不限分类") {
		t.Error("an applied facet should offer to clear it")
	}
	byYear := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")+"&year=2014"), http.StatusOK)
	if !strings.Contains(byYear, `id="no-results"`) {
		t.Error("year 2014 has no documents: expected the no-results page")
	}
}

func TestBrowseCategory(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/search?category="+url.QueryEscape("社会保障")), http.StatusOK)
	if !strings.Contains(body, `href="/doc/wx-yanglao"`) || !strings.Contains(body, `href="/doc/yibao-2015"`) {
		t.Errorf("browsing 社会保障 should list both of its documents:\n%.2000s", body)
	}
	if strings.Index(body, "wx-yanglao") > strings.Index(body, "yibao-2015") {
		t.Error("browsing lists the newest first")
	}
}

func TestNoResults(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/search?q="+url.QueryEscape("火星基地建设")), http.StatusOK)
	for _, want := range []string{`id="no-results"`, "拼音", `id="topics"`, "危房改造"} {
		if !strings.Contains(body, want) {
			t.Errorf("no-results page lacks %q", want)
		}
	}
}

func TestSearchBadParams(t *testing.T) {
	f := newFixture(t, nil)
	for _, q := range []string{"page=0", "page=abc", "page=51", "sort=random", "year=20x5",
		"q=" + strings.Repeat("长", 101)} {
		body := wantStatus(t, f.get("/search?"+q), http.StatusBadRequest)
		if !strings.Contains(body, `lang="zh-CN"`) {
			t.Errorf("%s: the 400 answer should be a page", q)
		}
	}
}

func TestSearchPagination(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")+"&page=2"), http.StatusOK)
	if !strings.Contains(body, `id="result-count"`) {
		t.Errorf("page 2 should still show the count:\n%.1000s", body)
	}
	if strings.Contains(body, `class="hit"`) {
		t.Error("page 2 of a 3-hit search shows no hits")
	}
}

func TestDocumentPage(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/doc/dibao-2015"), http.StatusOK)
	for _, want := range []string{`id="doc-title"`, "索引号", "000014349/2015-00110", "发布机构", "文号",
		"康政〔2015〕12号", "成文日期", "2015-09-18", "发布日期", "2015-09-20", "主题分类", "民政、扶贫、救灾",
		"渠道", "政府网站", "<p>低保金按月发放。</p>", `id="attachments"`, "低保名单.xls",
		`href="http://127.0.0.1/art/dibao.html"`, `id="original-link"`} {
		if !strings.Contains(body, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	// The index gives related documents; the page lists them. (Guarded by
	// rel != nil, the check was skipped without saying so whenever the
	// index stopped being a Relater.)
	if f.s.rel == nil {
		t.Fatal("the index offers no related documents")
	}
	if !strings.Contains(body, `id="related"`) {
		t.Error("the document page should list related documents")
	}
	wantStatus(t, f.get("/doc/no-such-doc"), http.StatusNotFound)
}

func TestStatic(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.get("/static/site.css")
	body := wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "font-size") || resp.Header.Get("ETag") == "" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("site.css: headers %v", resp.Header)
	}
	etag := resp.Header.Get("ETag")
	wantStatus(t, f.do(http.MethodGet, "/static/site.css", nil, map[string]string{"If-None-Match": etag}), http.StatusNotModified)
	wantStatus(t, f.get("/static/suggest.js"), http.StatusOK)
	wantStatus(t, f.get("/static/"), http.StatusNotFound)
	wantStatus(t, f.get("/static/nope.css"), http.StatusNotFound)
	wantStatus(t, f.get("/static/vendor/.gitignore"), http.StatusNotFound)
	want := http.StatusNotFound
	if hasECharts() {
		want = http.StatusOK
	}
	wantStatus(t, f.get("/static/vendor/echarts.min.js"), want)
}

func TestPinyinAndDidYouMean(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/search?q=dibao"), http.StatusOK)
	if !strings.Contains(body, `href="/doc/dibao-2015"`) || !strings.Contains(body, `id="expanded"`) {
		t.Errorf("pinyin dibao should find the 低保 list and say what it searched:\n%.1500s", body)
	}
	body = wantStatus(t, f.get("/search?q="+url.QueryEscape("低宝")), http.StatusOK)
	if !strings.Contains(body, `id="did-you-mean"`) || !strings.Contains(body, `href="/search?q=%e4%bd%8e%e4%bf%9d"`) &&
		!strings.Contains(body, `href="/search?q=%E4%BD%8E%E4%BF%9D"`) {
		t.Errorf("the typo 低宝 should offer 低保:\n%.1500s", body)
	}
}
