package extract

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

func TestCanonicalURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://WWW.Example.GOV.cn:80/a/B.html?x=1&y=2#frag": "http://www.example.gov.cn/a/B.html?x=1&y=2",
		"https://example.gov.cn:443":                         "https://example.gov.cn/",
		"https://example.gov.cn:8443/a":                      "https://example.gov.cn:8443/a",
		"not a url":                                          "not a url",
	} {
		if got := CanonicalURL(in); got != want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocID(t *testing.T) {
	a := DocID(CanonicalURL("http://EXAMPLE.gov.cn/a.html#x"))
	b := DocID("http://example.gov.cn/a.html")
	if a != b || len(a) != 18 || a[:2] != "u:" {
		t.Errorf("DocID = %q and %q", a, b)
	}
	if DocID("http://example.gov.cn/b.html") == b {
		t.Error("different URLs share an id")
	}
}

func TestDocument(t *testing.T) {
	a := &Article{Kind: KindArticle, URL: "http://example.gov.cn/a.html", Title: "标题", Body: "正文",
		Author: "张三", Meta: map[string]string{LabelIndex: "x/2021-00001"}, IndexNumber: "x/2021-00001"}
	d := a.Document()
	if d.ID != DocID("http://example.gov.cn/a.html") || d.Channel != store.ChannelPortal || d.Status != store.StatusLive {
		t.Errorf("Document = %+v", d)
	}
	if d.Meta[LabelAuthor] != "张三" || d.IndexNumber != "x/2021-00001" || d.ContentHash == "" {
		t.Errorf("Document = %+v", d)
	}
	if a.Meta[LabelAuthor] != "" {
		t.Error("Document changed the article's Meta")
	}
}

func TestArticleJSON(t *testing.T) {
	a := &Article{Kind: KindArticle, URL: "http://example.gov.cn/a.html", Title: "标题",
		Published: time.Date(2021, 1, 19, 9, 30, 0, 0, store.Beijing)}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"kind":"article"`, `"published":"2021-01-19T09:30:00+08:00"`, `"title":"标题"`,
		`"body":""`, `"html":""`, `"url":"http://example.gov.cn/a.html"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	if b, _ := json.Marshal(&Article{Kind: KindError, Reason: ReasonExpired}); strings.Contains(string(b), "published") ||
		!strings.Contains(string(b), `"reason":"链接已过期"`) {
		t.Errorf("error JSON = %s", b)
	}
}
