package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

func TestOffsiteImages(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<p>图示<img src="http://site.example/a.png" alt="申请流程图"></p>`,
			`<p>图示<a href="http://site.example/a.png" rel="noopener noreferrer">［图片：申请流程图（原网站）］</a></p>`},
		{`<img src="https://site.example/b.jpg">`,
			`<a href="https://site.example/b.jpg" rel="noopener noreferrer">［图片（原网站）］</a>`},
		{`<a href="http://site.example/"><img src="http://site.example/logo.png" alt="标志"></a>`,
			`<a href="http://site.example/">［图片：标志（原网站）］</a>`},
		{`<img src="//site.example/c.png">`, `［图片（原网站）］`},
		{`<img src="javascript:alert(1)">`, `［图片（原网站）］`},
		{`<img src="/static/favicon.svg" alt="本站">`, `<img src="/static/favicon.svg" alt="本站"/>`},
		{`<img src="data:image/png;base64,iVBORw0KGgo=">`, `<img src="data:image/png;base64,iVBORw0KGgo="/>`},
		{`<p>没有图片</p>`, `<p>没有图片</p>`},
	}
	for _, c := range cases {
		if got := offsiteImages(c.in); got != c.want {
			t.Errorf("offsiteImages(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestDocumentPageLoadsNoRemoteImage(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	d := &store.Document{ID: "with-images", URL: "http://127.0.0.1/art/img.html", Source: "portal", Channel: "portal",
		Title: "危房改造流程图", Body: "危房改造流程如下。", Published: day2015(8, 1), Status: "live",
		HTML: `<p>危房改造流程如下。</p><p><img src="http://www.example.gov.cn/pic/flow.png" alt="流程图"></p>` +
			`<p><a href="http://www.example.gov.cn/big.png"><img src="http://www.example.gov.cn/small.png"></a></p>`}
	if _, err := f.st.UpsertBatch(ctx, []*store.Document{d}); err != nil {
		t.Fatal(err)
	}
	resp := f.get("/doc/with-images")
	page := wantStatus(t, resp, http.StatusOK)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") || strings.Contains(csp, "http:") {
		t.Errorf("CSP %q should allow images from gongkai only", csp)
	}
	if strings.Contains(page, "<img") {
		t.Errorf("the document page still holds an <img> of the original site:\n%s", page)
	}
	for _, want := range []string{`href="http://www.example.gov.cn/pic/flow.png"`, "［图片：流程图（原网站）］",
		`href="http://www.example.gov.cn/big.png"`, "［图片（原网站）］"} {
		if !strings.Contains(page, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	checkInert(t, "document with images", page)
}
