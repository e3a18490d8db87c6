package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

func TestSiteIdentity(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Site = config.Site{Name: "康大营镇政务公开", Sponsor: "康大营镇人民政府", SiteCode: "1311820001",
			ICP: "冀ICP备00000000号-1", PSB: "冀公网安备 13118202000001号", Contact: "0318-0000000，康大营镇政府党政办"}
	})
	for _, path := range []string{"/", "/search?q=" + url.QueryEscape("低保"), "/doc/dibao-2015"} {
		page := wantStatus(t, f.get(path), http.StatusOK)
		for _, want := range []string{"<title>", "- 康大营镇政务公开</title>", `class="brand" href="/">康大营镇政务公开<small class="sponsor">康大营镇人民政府</small>`,
			"主办单位：康大营镇人民政府", "网站标识码：1311820001", `<a href="https://beian.miit.gov.cn/" rel="noopener">冀ICP备00000000号-1</a>`,
			`code=13118202000001"`, "联系我们：0318-0000000，康大营镇政府党政办"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		checkInert(t, path, page)
	}
	rss, _ := f.fetchFeed("/feed.xml?q="+url.QueryEscape("低保"), "rss")
	if !strings.HasPrefix(rss.Title, "康大营镇政务公开：") {
		t.Errorf("feed title %q does not name the site", rss.Title)
	}
	if os := wantStatus(t, f.get("/opensearch.xml"), http.StatusOK); !strings.Contains(os, "<ShortName>康大营镇政务公开</ShortName>") {
		t.Error("the OpenSearch description does not name the site")
	}

	plain := newFixture(t, nil)
	page := wantStatus(t, plain.get("/"), http.StatusOK)
	if !strings.Contains(page, "- 政务公开查询</title>") || strings.Contains(page, "主办单位") {
		t.Error("without site settings the default name and no identity line should show")
	}
}

func TestSiteConfigChecked(t *testing.T) {
	_, err := config.Parse("site.yaml", []byte("site:\n  site_code: \"12345\"\n  icp: 备案中\n  psb: 公网安备\n"))
	for _, want := range []string{"site.site_code", "site.icp", "site.psb"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("config error %v does not name %s", err, want)
		}
	}
}

func TestElderSwitch(t *testing.T) {
	f := newFixture(t, nil)
	page := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")), http.StatusOK)
	if strings.Contains(page, `class="elder"`) || !strings.Contains(page, `id="elder-switch" href="/elder?next=%2fsearch%3fq%3d%25E4%25BD%258E%25E4%25BF%259D">长辈版</a>`) {
		t.Fatalf("standard page's switch:\n%s", page[strings.Index(page, "<header"):strings.Index(page, "</header>")])
	}
	resp := f.get("/elder?next=" + url.QueryEscape("/search?q=低保"))
	wantStatus(t, resp, http.StatusSeeOther)
	c := cookieOf(resp, elderCookie)
	if !strings.EqualFold(resp.Header.Get("Location"), "/search?q="+url.QueryEscape("低保")) || c == nil || c.Value != "1" || c.MaxAge < 86400*300 || !c.HttpOnly {
		t.Fatalf("switching on: Location %q, cookie %+v", resp.Header.Get("Location"), c)
	}
	page = wantStatus(t, f.get("/search?q="+url.QueryEscape("低保"), c), http.StatusOK)
	if !strings.Contains(page, `<body class="size-m elder">`) || !strings.Contains(page, `href="/elder?off=1&amp;next=`) || !strings.Contains(page, ">标准版</a>") {
		t.Error("with the cookie the page is not 长辈版 or offers no way back")
	}
	resp = f.get("/elder?off=1&next=/", c)
	if off := cookieOf(resp, elderCookie); off == nil || off.MaxAge >= 0 {
		t.Errorf("switching off: cookie %+v", off)
	}
	for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`} {
		if loc := f.get("/elder?next=" + url.QueryEscape(next)).Header.Get("Location"); loc != "/" {
			t.Errorf("next=%s redirects to %q", next, loc)
		}
	}
}

func TestDocumentTextSizeAndPrint(t *testing.T) {
	f := newFixture(t, nil)
	page := wantStatus(t, f.get("/doc/dibao-2015"), http.StatusOK)
	for _, want := range []string{`id="doc-tools"`, `href="/textsize?size=l&amp;next=%2fdoc%2fdibao-2015">大</a>`,
		`size=m&amp;next=%2fdoc%2fdibao-2015" aria-current="true">中</a>`, `id="print-button" hidden>打印</button>`,
		`<script src="/static/print.js" defer></script>`, `<body class="size-m">`} {
		if !strings.Contains(page, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	if js := wantStatus(t, f.get("/static/print.js"), http.StatusOK); !strings.Contains(js, "window.print()") {
		t.Error("print.js is not served")
	}
	resp := f.get("/textsize?size=l&next=/doc/dibao-2015")
	wantStatus(t, resp, http.StatusSeeOther)
	c := cookieOf(resp, sizeCookie)
	if c == nil || c.Value != "l" || resp.Header.Get("Location") != "/doc/dibao-2015" {
		t.Fatalf("size l: cookie %+v, Location %q", c, resp.Header.Get("Location"))
	}
	page = wantStatus(t, f.get("/doc/dibao-2015", c), http.StatusOK)
	if !strings.Contains(page, `<body class="size-l">`) || !strings.Contains(page, `aria-current="true">大</a>`) {
		t.Error("the chosen size is not applied")
	}
	if off := cookieOf(f.get("/textsize?size=m&next=/", c), sizeCookie); off == nil || off.MaxAge >= 0 {
		t.Errorf("size m should clear the cookie: %+v", off)
	}
	wantStatus(t, f.get("/textsize?size=xl"), http.StatusBadRequest)
	checkInert(t, "document", page)
}
