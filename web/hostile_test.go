package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gongkai-project/gongkai/store"
)

// Hostile input (issue 7): crawled titles, bodies, publishers, categories,
// attachments, URLs and crawl errors carrying script, style, iframe,
// javascript: links, event handlers and broken markup must come out inert in
// every page and API answer. The fixture's "hostile" document is one such
// page; addHostileData adds a second with broken markup and hostile staff data.

// hostileQuery is a search a visitor could type or link to.
const hostileQuery = `低保"><script>alert('q')</script><img src=x onerror=alert('q')>`

// addHostileData stores a second hostile document (broken markup, encoded
// javascript: URLs, hostile category and metadata), a crawl run with hostile
// failures, a manual entry and a logged query, all of which staff or
// residents see; it re-syncs the index.
func addHostileData(t testing.TB, f *fixture) {
	t.Helper()
	ctx := context.Background()
	d := &store.Document{ID: "hostile-2", URL: "http://127.0.0.1/art/h2.html?a=\"><script>alert('u')</script>",
		Source: "portal", Channel: "portal", Column: `<iframe src="http://evil.example/">`,
		Title: `低保<style>*{display:none}</style><iframe src="http://evil.example/"></iframe><a href="javascript:alert(2)">链接`,
		Body:  `低保 <p><b>未闭合 <a href=javascript:alert(3)>x <img src=x onerror=alert(4)//`,
		HTML: `<p><b>未闭合<div><a href="jav&#x09;ascript:alert(5)">编码的链接</a><a href="  JaVaScRiPt:alert(6)">大写</a>` +
			`<img src=x onerror=alert(7)//<svg/onload=alert(8)><math><mtext><table><mglyph><style><img src=x onerror=alert(9)>` +
			`<form action="javascript:alert(10)"><button formaction="javascript:alert(11)">按钮</button></form>` +
			`<a href="data:text/html,<script>alert(12)</script>">数据</a><object data="http://evil.example/x.swf"></object>` +
			`<p style="background:url(http://evil.example/track.png)">带样式</p><base href="http://evil.example/"><!-- <script>alert(13)</script> -->`,
		Published: day2015(10, 2), Written: day2015(10, 1), Publisher: `<iframe src=javascript:alert('pub2')>民政办`,
		Category: `<script>alert('cat')</script>社会保障`, Subject: `<style>@import "http://evil.example/x.css"</style>`,
		IndexNumber: `"><svg onload=alert('ix')>`, DocNumber: `</td></tr></table><script>alert('no')</script>`, Status: "live",
		Attachments: []store.Attachment{
			{Name: `<style>@import "http://evil.example/a.css"</style>附件`, URL: "JaVaScRiPt:alert('att2')"},
			{Name: "数据附件", URL: "data:text/html,<script>alert('att3')</script>"},
			{Name: `<img src=x onerror=alert('att4')>`, URL: "http://127.0.0.1/files/a.doc\"onmouseover=\"alert('att5')"},
		}}
	if _, err := f.st.UpsertBatch(ctx, []*store.Document{d}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ix.Sync(ctx, f.st, nil); err != nil {
		t.Fatal(err)
	}
	run, err := f.st.StartRun(ctx, "portal")
	if err != nil {
		t.Fatal(err)
	}
	run.Failed = 2
	run.Failures = map[string]int{`unavailable: <script>alert('r')</script>`: 1, `list <img src=x onerror=alert('r2')>`: 1}
	run.Note = `GET http://127.0.0.1/"><script>alert('note')</script>: network`
	if err := f.st.FinishRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	cs := &store.CrawlState{URL: `http://127.0.0.1/x?"><script>alert('cs')</script>`, Source: "portal", LastFetch: testAsOf,
		Failure: `http 404: GET http://127.0.0.1/x?"><img src=x onerror=alert('cs2')>: HTTP 404`, HTTPStatus: 404}
	if err := f.st.SaveCrawlState(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddManual(ctx, &store.ManualEntry{Date: day2015(11, 1), Channel: store.ChannelBoard,
		Category: `<script>alert('mc')</script>`, Title: `<iframe src="javascript:alert('mt')">公开栏`, Count: 1,
		Note: `<a href="javascript:alert('mn')">备注</a>`}); err != nil {
		t.Fatal(err)
	}
	f.logQuery(`<script>alert('hot')</script>低保`, 1, testAsOf.Add(-1), "192.0.2.10", "192.0.2.11", "192.0.2.12")
}

// hostilePages are the pages that show hostile data: public ones, then the
// staff pages (login needed).
var hostilePages = []string{
	"/", "/search?q=" + url.QueryEscape("低保"), "/search?q=" + url.QueryEscape(hostileQuery),
	"/search?q=" + url.QueryEscape(hostileQuery+"火星基地"), // no results: nearby terms, the query echoed
	"/search?category=" + url.QueryEscape(`<script>alert('cat')</script>社会保障`),
	"/search?q=" + url.QueryEscape("低保") + "&year=2015&publisher=" + url.QueryEscape(`<iframe src=javascript:alert('pub2')>民政办`),
	"/doc/hostile", "/doc/hostile-2",
	"/staff", "/trends?year=2015", "/staff/report?year=2015&format=html",
}

// hostileAPI are the API answers that carry hostile data.
var hostileAPI = []string{
	"/api/search?q=" + url.QueryEscape("低保"), "/api/search?q=" + url.QueryEscape(hostileQuery),
	"/api/suggest?q=" + url.QueryEscape("低保"), "/api/documents/hostile", "/api/documents/hostile-2",
	"/api/stats?year=2015", "/api/manual?year=2015",
}

var cspNonce = regexp.MustCompile(`'nonce-([^']+)'`)

func TestHostileInputIsInert(t *testing.T) {
	f := newFixture(t, nil)
	addHostileData(t, f)
	sess, _ := f.login()
	for _, path := range hostilePages {
		resp := f.get(path, sess)
		page := wantStatus(t, resp, http.StatusOK)
		if strings.HasPrefix(path, "/staff/report") {
			// A download, opened from disk without our CSP: its head holds
			// its own <style>, which is not crawled text.
			head, body, _ := strings.Cut(page, "</head>")
			if strings.Count(head, "<style") != 1 {
				t.Errorf("report head:\n%s", head)
			}
			page = body
		}
		checkInert(t, path, page)
		m := cspNonce.FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
		if m == nil {
			t.Fatalf("%s: no CSP nonce", path)
		}
		checkScriptsOurs(t, path, page, m[1])
	}
	for _, path := range hostileAPI {
		body := wantStatus(t, f.get(path, sess), http.StatusOK)
		checkJSONInert(t, path, body)
		if strings.HasPrefix(path, "/api/documents/") {
			var d struct{ HTML string }
			if err := json.Unmarshal([]byte(body), &d); err != nil {
				t.Fatal(err)
			}
			checkInert(t, path+" html", d.HTML)
		}
	}
	// The harmless parts stay, escaped where they were markup.
	page := wantStatus(t, f.get("/doc/hostile"), http.StatusOK)
	for _, want := range []string{"&lt;script&gt;alert(", "<p>低保正文</p>", "点我", "段落"} {
		if !strings.Contains(page, want) {
			t.Errorf("hostile document page lacks %q (escaped text or the harmless part of the body)", want)
		}
	}
	page = wantStatus(t, f.get("/doc/hostile-2"), http.StatusOK)
	for _, want := range []string{"编码的链接", "大写", "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("hostile-2 document page lacks %q", want)
		}
	}
}

// checkScriptsOurs fails on any script element that is neither one of
// gongkai's static scripts nor carries the page's own nonce.
func checkScriptsOurs(t *testing.T, where, page, nonce string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: parse: %v", where, err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "script" {
			continue
		}
		var src, got string
		for _, a := range n.Attr {
			switch a.Key {
			case "src":
				src = a.Val
			case "nonce":
				got = a.Val
			}
		}
		if !(src == "" && got == nonce || strings.HasPrefix(src, "/static/")) {
			t.Errorf("%s: a script that is not ours (src %q, nonce %q)", where, src, got)
		}
	}
}
