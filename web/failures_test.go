package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
)

func TestDescribeFailure(t *testing.T) {
	cases := []struct{ in, label, detail string }{
		{"http 404", "网页不存在（404）", ""},
		{"http 503: GET http://x/a.html: HTTP 503", "网站服务器出错（503）", "GET http://x/a.html: HTTP 503"},
		{"http 418", "网站返回错误（418）", ""},
		{"robots", "robots.txt 禁止抓取", ""},
		{"waf: " + fetch.WAFMessage, "网站防火墙拦截", fetch.WAFMessage},
		{"timeout", "超时", ""},
		{"unavailable: 该内容已被发布者删除", "页面已删除或过期", "该内容已被发布者删除"},
		{"unavailable: 链接已过期", "页面已删除或过期", "链接已过期"},
		{"unavailable: 某种新提示", "页面没有正文", "某种新提示"},
		{"list timeout", "栏目列表页：超时", ""},
		{"archive http 404", "公众号文章列表：网页不存在（404）", ""},
		{"list of things", "list of things", ""},
		{"open /data/x.html: no such file", "open /data/x.html: no such file", ""},
	}
	for _, c := range cases {
		if got := describeFailure(c.in); got != (failureView{c.label, c.detail}) {
			t.Errorf("describeFailure(%q) = %+v, want {%s %s}", c.in, got, c.label, c.detail)
		}
	}
}

// TestEveryCrawlerReasonHasALabel covers the reasons crawler/fetch and
// crawler/extract can give.
func TestEveryCrawlerReasonHasALabel(t *testing.T) {
	kinds := []fetch.Kind{fetch.KindRobots, fetch.KindWAF, fetch.KindTooLarge, fetch.KindTimeout,
		fetch.KindStatus, fetch.KindRedirectLoop, fetch.KindTooManyRedirects, fetch.KindNetwork,
		fetch.KindTLS, fetch.KindBadURL}
	var reasons []string
	for _, k := range kinds {
		reasons = append(reasons, (&fetch.Error{Kind: k, Status: 500}).Reason())
	}
	reasons = append(reasons, fetch.Reason(context.Canceled), fetch.Reason(http.ErrAbortHandler), "extract", "file")
	for _, r := range []string{extract.ReasonExpired, extract.ReasonDeleted, extract.ReasonViolation,
		extract.ReasonVerify, extract.ReasonNotArticle, extract.ReasonChallenge} {
		reasons = append(reasons, "unavailable: "+r)
	}
	for _, r := range reasons {
		f := describeFailure(r)
		if f.Label == r || f.Label == "页面没有正文" || !hasHan(f.Label) {
			t.Errorf("reason %q has no Chinese label: %+v", r, f)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestDashboardFailureLabels(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	run, err := f.st.StartRun(ctx, "portal")
	if err != nil {
		t.Fatal(err)
	}
	run.Failed = 4
	run.Failures = map[string]int{"unavailable: 该内容已被发布者删除": 1, "http 404": 2, "list timeout": 1, "奇怪的新原因": 1}
	if err := f.st.FinishRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	for _, cs := range []store.CrawlState{
		{URL: "http://127.0.0.1/art/gone.html", Failure: "http 404: GET http://127.0.0.1/art/gone.html: HTTP 404", HTTPStatus: 404},
		{URL: "http://127.0.0.1/art/robots.html", Failure: "robots: GET http://127.0.0.1/art/robots.html: robots.txt disallows this URL"},
	} {
		cs.Source, cs.LastFetch = "portal", testAsOf
		if err := f.st.SaveCrawlState(ctx, &cs); err != nil {
			t.Fatal(err)
		}
	}
	sess, _ := f.login()
	page := wantStatus(t, f.get("/staff", sess), http.StatusOK)
	crawls := page[strings.Index(page, `id="crawls"`):strings.Index(page, `id="manual"`)]
	for _, want := range []string{"页面已删除或过期（该内容已被发布者删除） ×1", "网页不存在（404） ×2",
		"栏目列表页：超时 ×1", "奇怪的新原因 ×1", "<strong>robots.txt 禁止抓取</strong>",
		`<small class="detail">GET http://127.0.0.1/art/gone.html: HTTP 404</small>`} {
		if !strings.Contains(crawls, want) {
			t.Errorf("crawls section lacks %q:\n%s", want, crawls)
		}
	}
	for _, raw := range []string{">http 404", "unavailable:", "list timeout"} {
		if strings.Contains(crawls, raw) {
			t.Errorf("crawls section shows the raw reason %q", raw)
		}
	}
}
