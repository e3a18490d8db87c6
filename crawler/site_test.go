package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// township is a loopback township portal with a WeChat archive: a TRS
// column of articles (one GBK), links to a robots-disallowed page, a
// missing page and a firewall-protected page, and an RSS feed of WeChat
// articles of which one expired and one was deleted.
type township struct {
	*httptest.Server
	perPage int

	mu       sync.Mutex
	articles []string       // article ids, newest first
	version  map[string]int // article id → content version
	requests []request
}

type request struct {
	method, path string
	conditional  bool
}

const (
	prose = "为进一步做好政务公开工作，镇党委、镇政府高度重视，成立了以镇长为组长的领导小组，明确党政办具体负责，" +
		"各村委会配合落实。全年通过政府网站、政务微信、公开栏和显示屏等渠道主动公开各类信息，接受群众监督。"
	wxBiz = "MzA5MTIzNDU2Nw=="
)

func newTownship(t testing.TB, n, perPage int) *township {
	t.Helper()
	s := &township{perPage: perPage, version: map[string]int{}}
	for i := n; i >= 1; i-- {
		s.articles = append(s.articles, fmt.Sprintf("t201503%02d_%d", i%28+1, i))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// addArticle puts a new article at the top of the column.
func (s *township) addArticle(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.articles = append([]string{id}, s.articles...)
}

// edit changes an article's content.
func (s *township) edit(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version[id]++
}

func (s *township) log() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]request(nil), s.requests...)
}

func (s *township) resetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func (s *township) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, request{r.Method, r.URL.Path, r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != ""})
	s.mu.Unlock()
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	case strings.HasPrefix(p, "/tzgg/index"):
		s.list(w, r)
	case p == "/tzgg/201503/t20150331_999.html":
		w.WriteHeader(http.StatusPreconditionFailed)
		fmt.Fprint(w, `<html><head><script>var x="challenge";document.cookie=x;location.reload()</script></head><body></body></html>`)
	case strings.HasPrefix(p, "/tzgg/201503/"):
		s.article(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/tzgg/201503/"), ".html"))
	case p == "/wx/feed.xml":
		s.feed(w)
	case p == "/s":
		s.wechat(w, r)
	default:
		http.NotFound(w, r)
	}
}

// list serves page k of the column: index.html, index_1.html, ...
func (s *township) list(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ids := append([]string(nil), s.articles...)
	s.mu.Unlock()
	k := 0
	fmt.Sscanf(r.URL.Path, "/tzgg/index_%d.html", &k)
	pages := (len(ids) + s.perPage - 1) / s.perPage
	if k >= pages {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><title>通知公告</title></head><body><div class="nav"><a href="/">首页</a></div><ul class="list">`)
	for _, id := range ids[k*s.perPage : min(len(ids), (k+1)*s.perPage)] {
		fmt.Fprintf(&b, `<li><a href="./201503/%s.html">%s</a></li>`, id, id)
	}
	if k == 0 {
		b.WriteString(`<li><a href="/private/201503/t20150301_7.html">内部</a></li><li><a href="./201503/t20150330_404.html">已删除</a></li><li><a href="./201503/t20150331_999.html">防火墙</a></li>`)
	}
	fmt.Fprintf(&b, `</ul><script>createPageHTML(%d, %d, "index", "html");</script></body></html>`, pages, k)
	fmt.Fprint(w, b.String())
}

func (s *township) article(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	v := s.version[id]
	known := slices.Contains(s.articles, id)
	oldest := s.articles[len(s.articles)-1]
	s.mu.Unlock()
	if !known {
		http.NotFound(w, r)
		return
	}
	day := id[7:9]
	title := fmt.Sprintf("关于%s号文件的通知", id)
	if id == oldest {
		title = "康大营镇2015年财政预算公开"
	}
	body := fmt.Sprintf(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=%%s">
<meta name="ArticleTitle" content="%s"><meta name="PubDate" content="2015-03-%s 09:30"><meta name="ContentSource" content="康大营镇党政办">
<meta name="ColumnName" content="通知公告"><title>%s</title></head><body><div class="nav"><a href="/">首页</a></div>
<h1>%s</h1><div class="TRS_Editor"><p>%s</p><p>%s</p><p>版本%d。</p></div></body></html>`, title, day, title, title, prose, prose, v)
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	if strings.HasSuffix(id, "_1") { // the oldest article is a GBK page
		gbk, _ := simplifiedchinese.GBK.NewEncoder().String(fmt.Sprintf(body, "gb2312"))
		w.Header().Set("Content-Type", "text/html") // no charset: the page's meta tells it
		fmt.Fprint(w, gbk)
		return
	}
	fmt.Fprintf(w, body, "utf-8")
}

// wxURL is the long-form URL of WeChat message mid, article idx.
func (s *township) wxURL(mid, idx int) string {
	return fmt.Sprintf("%s/s?__biz=%s&mid=%d&idx=%d&sn=sn%d", s.URL, wxBiz, mid, idx, mid)
}

func (s *township) feed(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>康大营镇发布</title>`)
	for _, it := range []struct {
		title string
		mid   int
	}{{"康大营镇低保评议结果公示", 101}, {"已过期的文章", 102}, {"已删除的文章", 103}} {
		fmt.Fprintf(w, `<item><title>%s</title><link>%s</link><pubDate>Tue, 15 Dec 2015 02:00:00 GMT</pubDate><description>%s</description></item>`,
			it.title, strings.ReplaceAll(s.wxURL(it.mid, 1), "&", "&amp;"), prose)
	}
	fmt.Fprint(w, `</channel></rss>`)
}

func (s *township) wechat(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("mid") {
	case "102":
		fmt.Fprint(w, `<html><body><div class="weui-msg"><h2 class="weui-msg__title">链接已过期</h2></div></body></html>`)
	case "103":
		fmt.Fprint(w, `<html><body><div class="weui-msg"><h2 class="weui-msg__title">该内容已被发布者删除</h2></div></body></html>`)
	case "101":
		fmt.Fprint(w, wechatPage(101, "康大营镇低保评议结果公示"))
	default:
		http.NotFound(w, r)
	}
}

// wechatPage is a WeChat article page as the browser saves it.
func wechatPage(mid int, title string) string {
	return fmt.Sprintf(`<html><head><meta property="og:title" content="%[2]s">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=%[3]s&amp;mid=%[1]d&amp;idx=1&amp;sn=sn%[1]d"></head><body>
<div id="js_article"><h1 class="rich_media_title" id="activity-name">%[2]s</h1><a id="js_name">康大营镇发布</a>
<em id="publish_time"></em><div class="rich_media_content" id="js_content" style="visibility: hidden;"><p>%[4]s</p><p>%[4]s</p></div></div>
<script>var biz = "%[3]s"; var mid = "%[1]d"; var idx = "1"; var sn = "sn%[1]d"; var ct = "1450144800"; var nickname = "康大营镇发布"; var msg_title = '%[2]s';</script>
</body></html>`, mid, title, wxBiz, prose)
}
