package list

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
)

// portal is a loopback site serving fixed pages and recording requests.
type portal struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]string // path → HTML
	posts []string          // query+form of dataproxy POSTs
	hits  map[string]int
}

func newPortal(t *testing.T, pages map[string]string) *portal {
	t.Helper()
	p := &portal{pages: pages, hits: map[string]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *portal) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits[r.URL.Path]++
	p.mu.Unlock()
	if r.URL.Path == defaultDataProxy {
		p.dataproxy(w, r)
		return
	}
	path := r.URL.Path
	if strings.HasSuffix(path, "/") {
		path += "index.html"
	}
	body, ok := p.pages[path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.Contains(body, "charset=gbk") {
		w.Header().Set("Content-Type", "text/html; charset=gbk")
		body, _ = simplifiedchinese.GBK.NewEncoder().String(body)
	}
	fmt.Fprint(w, body)
}

// dataproxy serves Hanweb records startrecord..endrecord of 10 for column 42.
func (p *portal) dataproxy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.FormValue("columnid") != "42" || r.FormValue("unitid") != "7" || r.FormValue("webid") != "3" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.posts = append(p.posts, r.URL.RawQuery)
	p.mu.Unlock()
	from, _ := strconv.Atoi(r.URL.Query().Get("startrecord"))
	to, _ := strconv.Atoi(r.URL.Query().Get("endrecord"))
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>10</totalrecord><totalpage>5</totalpage><recordset>`)
	for i := from; i <= min(to, 10); i++ {
		fmt.Fprint(w, hanwebRecord(i))
	}
	fmt.Fprint(w, `</recordset></datastore>`)
}

func hanwebRecord(i int) string {
	return fmt.Sprintf(`<record><![CDATA[<li><a href="/art/2015/3/%d/art_42_%d.html" title="通知%d">通知%d</a><span>2015-03-%02d</span></li>]]></record>`, i, 100+i, i, i, i)
}

func (p *portal) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[path]
}

// listHTML is a list page with a navigation bar, a sidebar of hot items, the
// column's items and a pager.
func listHTML(items []string, pager string) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/index.html">政务公开</a><a href="/zwgk/201501/t20150101_1.html">置顶</a></div>
<div class="main"><div class="hot"><ul><li><a href="/other/201412/t20141201_9.html">热点</a></li></ul></div>
<ul class="list">`)
	for _, it := range items {
		fmt.Fprintf(&b, `<li><a href="%s">标题</a><span>2015-03-01</span></li>`, it)
	}
	b.WriteString(`</ul>` + pager + `</div><div class="footer"><a href="/about/201001/t20100101_2.html">关于我们</a></div></body></html>`)
	return b.String()
}

func trsItems(page, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("./2015%02d/t2015%02d01_%d%d.html", page+1, page+1, page, i))
	}
	return out
}

func walkAll(t *testing.T, src config.Source, known func(string) bool) []Page {
	t.Helper()
	w := &Walker{Fetcher: fetch.New(fetch.Options{Rate: -1, Backoff: time.Millisecond, Allow: fetch.Allow{Private: true}}), Source: src, Known: known}
	var pages []Page
	if err := w.Walk(context.Background(), func(p Page) error { pages = append(pages, p); return nil }); err != nil {
		t.Fatalf("walk %s: %v", src.Name, err)
	}
	return pages
}

func allLinks(pages []Page) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.Links...)
	}
	return out
}

func TestStatic(t *testing.T) {
	p := newPortal(t, map[string]string{
		"/tzgg/index.html":   listHTML(trsItems(0, 3), ""),
		"/tzgg/index_1.html": listHTML(trsItems(1, 3), ""),
		"/tzgg/index_2.html": listHTML(trsItems(2, 2), ""),
	})
	pages := walkAll(t, config.Source{Name: "s", Start: []string{p.URL + "/tzgg/"}}, nil)
	links := allLinks(pages)
	if len(pages) != 3 || len(links) != 8 {
		t.Fatalf("%d pages, %d links: %v", len(pages), len(links), links)
	}
	if pages[0].Driver != config.DriverStatic || links[0] != p.URL+"/tzgg/201501/t20150101_00.html" {
		t.Errorf("first page: driver %s, link %s", pages[0].Driver, links[0])
	}
	for _, l := range links {
		if strings.Contains(l, "/other/") || strings.Contains(l, "t20150101_1.html") || strings.Contains(l, "/about/") {
			t.Errorf("furniture link reported as an article: %s", l)
		}
	}
	if p.count("/tzgg/index_3.html") != 1 {
		t.Errorf("static paging should stop at the first 404")
	}
}

func TestTRS(t *testing.T) {
	pager := func(cur int) string {
		return fmt.Sprintf(`<script>var countPage = 3;createPageHTML(countPage, %d, "index", "html");</script>`, cur)
	}
	p := newPortal(t, map[string]string{
		"/xxgk/tzgg/index.html":   listHTML(trsItems(0, 4), pager(0)),
		"/xxgk/tzgg/index_1.html": listHTML(trsItems(1, 4), pager(1)),
		"/xxgk/tzgg/index_2.html": listHTML(trsItems(2, 1), pager(2)),
		"/xxgk/tzgg/index_3.html": listHTML(trsItems(3, 4), pager(3)), // beyond the announced count
	})
	pages := walkAll(t, config.Source{Name: "trs", Start: []string{p.URL + "/xxgk/tzgg/index.html"}}, nil)
	if len(pages) != 3 || len(allLinks(pages)) != 9 || pages[1].Driver != config.DriverTRS {
		t.Fatalf("TRS: %d pages, %d links, driver %s", len(pages), len(allLinks(pages)), pages[0].Driver)
	}
	if p.count("/xxgk/tzgg/index_3.html") != 0 {
		t.Error("TRS paging went past createPageHTML's page count")
	}
	if total, name, ext, ok := trsPager(`createPageHTML(12, 0, "list", "shtml")`); !ok || total != 12 || name != "list" || ext != "shtml" {
		t.Errorf("literal createPageHTML: %d %s %s %v", total, name, ext, ok)
	}
}

func TestHanweb(t *testing.T) {
	var recs strings.Builder
	for i := 1; i <= 6; i++ {
		recs.WriteString(hanwebRecord(i))
	}
	page := `<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="/art/2014/1/1/art_1_1.html">导航</a></div>
<div id="7"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3&path=/&columnid=42&unitid=7&webname=%E5%BA%B7%E5%A4%A7%E8%90%A5&permissiontype=0"></a>]]></nextgroup><recordset>` +
		recs.String() + `</recordset></datastore></script></div>
<script>$(document).ready(function(){ $('#7').jpage({ dataStore: dataStore, perPage: 2, totalRecord: 10, groupSize: 3, proxyUrl: '/module/web/jpage/dataproxy.jsp' }); });</script></body></html>`
	p := newPortal(t, map[string]string{"/col/col42/index.html": page})
	pages := walkAll(t, config.Source{Name: "hw", Start: []string{p.URL + "/col/col42/index.html"}}, nil)
	links := allLinks(pages)
	if len(pages) != 2 || len(links) != 10 || pages[0].Driver != config.DriverHanweb {
		t.Fatalf("Hanweb: %d pages, links %v", len(pages), links)
	}
	if links[9] != p.URL+"/art/2015/3/10/art_42_110.html" {
		t.Errorf("last link %s", links[9])
	}
	if len(p.posts) != 1 || !strings.Contains(p.posts[0], "startrecord=7") || !strings.Contains(p.posts[0], "endrecord=12") || !strings.Contains(p.posts[0], "perpage=2") {
		t.Errorf("dataproxy requests: %v", p.posts)
	}
}

func TestNextLink(t *testing.T) {
	item := func(i int) []string {
		return []string{fmt.Sprintf("/news/content/%d.html", i), fmt.Sprintf("/news/content/%d.html", i+100)}
	}
	p := newPortal(t, map[string]string{
		"/news/list.jsp":  listHTML(item(1), `<div class="page"><a href="list2.jsp">下一页 &gt;</a></div>`),
		"/news/list2.jsp": listHTML(item(2), `<div class="page"><a href="list.jsp">上一页</a><a href="list3.jsp">下一页</a></div>`),
		"/news/list3.jsp": listHTML(item(3), `<div class="page"><a href="list2.jsp">上一页</a></div>`),
	})
	pages := walkAll(t, config.Source{Name: "n", Start: []string{p.URL + "/news/list.jsp"}}, nil)
	if len(pages) != 3 || len(allLinks(pages)) != 6 || pages[2].Driver != config.DriverNextLink {
		t.Fatalf("next links: %d pages, %v", len(pages), allLinks(pages))
	}
}

func TestGBKListAndSelectors(t *testing.T) {
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>
<table class="xxgk"><tr><th>索引号</th><th>名称</th></tr>
<tr><td>000014349/2015-00110</td><td><a href="/xxgk/show.aspx?id=11">关于镕基项目的公示</a></td></tr>
<tr><td>000014349/2015-00111</td><td><a href="/xxgk/show.aspx?id=12">预算公开</a></td></tr></table>
<div class="pages"><a href="/xxgk/p2.aspx">后页</a></div></body></html>`
	p := newPortal(t, map[string]string{"/xxgk/index.aspx": page})
	pages := walkAll(t, config.Source{Name: "g", Start: []string{p.URL + "/xxgk/index.aspx"}, Driver: config.DriverStatic}, nil)
	if got := allLinks(pages); len(got) != 2 || got[0] != p.URL+"/xxgk/show.aspx?id=11" {
		t.Fatalf("GBK 信息公开 table: %v", got)
	}
	src := config.Source{Name: "sel", Start: []string{p.URL + "/xxgk/index.aspx"}, Driver: config.DriverNextLink,
		Selectors: config.Selectors{ListItem: "table.xxgk td a", Next: ".pages a"}, MaxPages: 1}
	if got := allLinks(walkAll(t, src, nil)); len(got) != 2 {
		t.Fatalf("list_item selector: %v", got)
	}
	src.ArticlePattern = []string{`id=12$`}
	if got := allLinks(walkAll(t, src, nil)); !slices.Equal(got, []string{p.URL + "/xxgk/show.aspx?id=12"}) {
		t.Fatalf("article_pattern: %v", got)
	}
}

func TestIncrementalAndMaxPages(t *testing.T) {
	pager := func(cur int) string {
		return fmt.Sprintf(`<script>createPageHTML(4, %d, "index", "html");</script>`, cur)
	}
	pages := map[string]string{}
	for i := range 4 {
		name := "/tzgg/index.html"
		if i > 0 {
			name = fmt.Sprintf("/tzgg/index_%d.html", i)
		}
		pages[name] = listHTML(trsItems(i, 2), pager(i))
	}
	p := newPortal(t, pages)
	src := config.Source{Name: "inc", Start: []string{p.URL + "/tzgg/index.html"}}
	first := walkAll(t, src, nil)
	if len(first) != 4 {
		t.Fatalf("full walk: %d pages", len(first))
	}
	known := map[string]bool{}
	for _, l := range allLinks(first[1:]) {
		known[l] = true
	}
	// A new item on page 0: page 0 is not all known, page 1 is, so paging stops there.
	again := walkAll(t, src, func(u string) bool { return known[u] })
	if len(again) != 2 {
		t.Fatalf("re-crawl read %d pages, want 2", len(again))
	}
	src.MaxPages = 3
	if n := len(walkAll(t, src, nil)); n != 3 {
		t.Fatalf("max_pages 3: %d pages", n)
	}
}

func TestListErrors(t *testing.T) {
	p := newPortal(t, map[string]string{
		"/a/index.html": listHTML(trsItems(0, 1), `<script>createPageHTML(3, 0, "index", "html");</script>`),
	})
	w := &Walker{Fetcher: fetch.New(fetch.Options{Rate: -1, Retries: -1, Allow: fetch.Allow{Private: true}}),
		Source: config.Source{Name: "e", Start: []string{p.URL + "/missing/index.html", p.URL + "/a/index.html"}}}
	var n int
	err := w.Walk(context.Background(), func(p Page) error { n += len(p.Links); return nil })
	if err == nil || !strings.Contains(err.Error(), "/missing/index.html") || !strings.Contains(err.Error(), "index_1.html") {
		t.Fatalf("want errors naming the missing start page and the missing TRS page, got %v", err)
	}
	if n != 1 {
		t.Fatalf("the good start URL still yields its link: %d", n)
	}
}
