package demo

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/temoto/robotstxt"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/gongkai-project/gongkai/store"
)

func serveDemo(t *testing.T, o Options) (*Township, *Sites) {
	t.Helper()
	tw := Generate(o)
	s, err := tw.Serve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tw, s
}

func get(t *testing.T, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// pageText decodes a page by its declared charset.
func pageText(t *testing.T, resp *http.Response, body []byte) string {
	t.Helper()
	if strings.Contains(resp.Header.Get("Content-Type"), "gb2312") {
		b, err := simplifiedchinese.GBK.NewDecoder().Bytes(body)
		if err != nil {
			t.Fatalf("decode %s as GBK: %v", resp.Request.URL, err)
		}
		return string(b)
	}
	return string(body)
}

func TestEveryItemIsServed(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	for _, it := range tw.Items {
		resp, body := get(t, it.URL)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", it.URL, resp.StatusCode)
		}
		text := pageText(t, resp, body)
		if !strings.Contains(text, esc(it.Title)) || !strings.Contains(text, esc(strings.SplitN(it.Body, "\n", 2)[0])) {
			t.Fatalf("%s: page lacks the title or the first paragraph", it.URL)
		}
		if it.Channel == store.ChannelPortal {
			for _, m := range []string{"SiteName", "ColumnName", "ArticleTitle", "PubDate", "ContentSource"} {
				if !strings.Contains(text, `<meta name="`+m+`"`) {
					t.Fatalf("%s: no %s meta tag", it.URL, m)
				}
			}
		}
		for _, a := range it.Attachments {
			resp, body := get(t, a.URL)
			if resp.StatusCode != http.StatusOK || len(body) < 100 {
				t.Fatalf("attachment %s: status %d, %d bytes", a.URL, resp.StatusCode, len(body))
			}
		}
	}
	if !strings.HasPrefix(tw.Disallowed[0], s.PortalURL) || !strings.HasPrefix(tw.Unavailable[0], s.WeChatURL) {
		t.Errorf("URLs not filled: %v %v", tw.Disallowed, tw.Unavailable)
	}
}

func TestTRSPages(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	col := columnOf(tw.columns, "通知公告")
	resp, body := get(t, s.PortalURL+col.listPath())
	text := pageText(t, resp, body)
	pages := pageCount(len(col.items), trsPerPage)
	if !strings.Contains(text, fmt.Sprintf(`createPageHTML(%d, 0, "index", "html");`, pages)) || pages < 2 {
		t.Fatalf("list page lacks createPageHTML(%d, 0, ...)", pages)
	}
	resp, body = get(t, fmt.Sprintf("%s/col/%s/index_%d.html", s.PortalURL, col.Slug, pages-1))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), esc(col.items[len(col.items)-1].Title)) {
		t.Fatalf("last list page: status %d or lacks the oldest item", resp.StatusCode)
	}
	it := col.items[0]
	_, body = get(t, it.URL)
	for _, want := range []string{"索 引 号：</th><td>" + it.IndexNumber, "发布机构：</th><td>" + it.Publisher,
		"有 效 性：</th><td>" + it.Validity, `<div class="TRS_Editor">`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("%s lacks %q", it.URL, want)
		}
	}
}

func TestGBKPages(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	var checked, rare int
	for _, it := range tw.Items {
		if !it.GBK {
			continue
		}
		resp, body := get(t, it.URL)
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=gb2312" {
			t.Fatalf("%s: Content-Type %q", it.URL, ct)
		}
		if utf8.Valid(body) {
			t.Fatalf("%s: body is UTF-8, not GBK", it.URL)
		}
		text := pageText(t, resp, body)
		if !strings.Contains(text, `<meta charset="gb2312">`) || !strings.Contains(text, "<title>"+esc(it.Title)) {
			t.Fatalf("%s: decoded page lacks its charset meta or title %q", it.URL, it.Title)
		}
		if strings.Contains(it.Title, "垚") {
			rare++
		}
		checked++
	}
	if checked < 50 || rare == 0 {
		t.Errorf("%d GBK pages, %d naming 垚山村 (a GBK character outside GB2312)", checked, rare)
	}
	resp, _ := get(t, s.PortalURL+"/")
	if resp.Header.Get("Content-Type") != ctypeHTML {
		t.Errorf("homepage Content-Type %q", resp.Header.Get("Content-Type"))
	}
}

var recordRE = regexp.MustCompile(`<record><!\[CDATA\[\s*<li><a href="([^"]+)"`)

func TestHanwebDataproxy(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	col := columnOf(tw.columns, "工作动态")
	_, body := get(t, s.PortalURL+col.listPath())
	inline := recordRE.FindAllStringSubmatch(string(body), -1)
	if len(inline) != hanwebPerPage*hanwebGroup || len(col.items) <= len(inline) {
		t.Fatalf("%d records inline of %d", len(inline), len(col.items))
	}
	got := []string{}
	for _, m := range inline {
		got = append(got, m[1])
	}
	form := url.Values{"columnid": {fmt.Sprint(col.ColumnID)}, "unitid": {fmt.Sprint(col.UnitID)}, "webid": {"1"}}
	for start := len(inline) + 1; start <= len(col.items); start += hanwebPerPage * hanwebGroup {
		u := fmt.Sprintf("%s%s?startrecord=%d&endrecord=%d&perpage=%d", s.PortalURL, dataproxyPath, start, start+hanwebPerPage*hanwebGroup-1, hanwebPerPage)
		resp, err := http.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Contains(b, fmt.Appendf(nil, "<totalrecord>%d</totalrecord>", len(col.items))) {
			t.Fatalf("POST %s: status %d: %s", u, resp.StatusCode, b)
		}
		for _, m := range recordRE.FindAllStringSubmatch(string(b), -1) {
			got = append(got, m[1])
		}
	}
	if len(got) != len(col.items) {
		t.Fatalf("inline and dataproxy give %d records, want %d", len(got), len(col.items))
	}
	for i, it := range col.items {
		if got[i] != it.Path {
			t.Fatalf("record %d is %s, want %s", i+1, got[i], it.Path)
		}
	}
	u := s.PortalURL + dataproxyPath + "?startrecord=1&endrecord=15&perpage=15"
	if resp, _ := get(t, u); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET dataproxy: status %d, want 405", resp.StatusCode)
	}
	form.Set("columnid", "9999")
	if resp, err := http.PostForm(u, form); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST for an unknown column: %v %v", resp.Status, err)
	}
	it := col.items[0]
	_, body = get(t, it.URL)
	for _, want := range []string{`<div id="zoom">`, "<!--<$[信息来源]>begin-->" + it.Publisher + "<!--<$[信息来源]>end-->"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("%s lacks %q", it.URL, want)
		}
	}
}

func TestConditionalRequests(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	for _, u := range []string{tw.Items[3].URL, s.PortalURL + "/", s.FeedURL, tw.Items[len(tw.Items)-1].URL} {
		resp, _ := get(t, u)
		etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if resp.StatusCode != http.StatusOK || etag == "" || lm == "" {
			t.Fatalf("%s: status %d, ETag %q, Last-Modified %q", u, resp.StatusCode, etag, lm)
		}
		if r, _ := get(t, u, "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-None-Match: %d", u, r.StatusCode)
		}
		if r, _ := get(t, u, "If-Modified-Since", lm); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-Modified-Since: %d", u, r.StatusCode)
		}
		if r, _ := get(t, u, "If-None-Match", `"stale"`); r.StatusCode != http.StatusOK {
			t.Errorf("%s with a stale ETag: %d", u, r.StatusCode)
		}
		if n := s.Requests(u); n != 4 {
			t.Errorf("%s requested %d times, want 4", u, n)
		}
	}
}

func TestRobots(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	resp, body := get(t, s.PortalURL+"/robots.txt")
	if string(body) != "User-agent: *\nDisallow: /internal/\n" || resp.Header.Get("Content-Type") != ctypeText {
		t.Fatalf("robots.txt: %q (%s)", body, resp.Header.Get("Content-Type"))
	}
	robots, err := robotstxt.FromBytes(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range tw.Disallowed {
		p := strings.TrimPrefix(u, s.PortalURL)
		if robots.TestAgent(p, "gongkai") || s.Requests(u) != 0 {
			t.Errorf("%s allowed or already requested", u)
		}
		if r, _ := get(t, u); r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", u, r.StatusCode)
		}
		if s.Requests(u) != 1 {
			t.Errorf("%s: %d requests counted, want 1", u, s.Requests(u))
		}
	}
	for _, it := range tw.Items {
		if it.Channel == store.ChannelPortal && !robots.TestAgent(it.Path, "gongkai") {
			t.Errorf("%s disallowed", it.Path)
		}
	}
	_, home := get(t, s.PortalURL+"/")
	_, list := get(t, s.PortalURL+columnOf(tw.columns, "通知公告").listPath())
	if !strings.Contains(string(home), `href="/internal/index.html"`) || !strings.Contains(string(list), `href="/internal/draft.html"`) {
		t.Error("homepage or 通知公告 list does not link the internal pages")
	}
}

func TestWeChatArchive(t *testing.T) {
	tw, s := serveDemo(t, Options{})
	_, body := get(t, s.FeedURL)
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatal(err)
	}
	posts := map[string]*Item{}
	for i := range tw.Items {
		if it := &tw.Items[i]; it.Channel == store.ChannelWeChat {
			posts[it.URL] = it
		}
	}
	if len(feed.Items) != len(posts)+len(tw.Unavailable) {
		t.Fatalf("feed lists %d entries, want %d posts and %d unavailable", len(feed.Items), len(posts), len(tw.Unavailable))
	}
	for _, e := range feed.Items {
		resp, body := get(t, e.Link)
		page := string(body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", e.Link, resp.StatusCode)
		}
		it := posts[e.Link]
		if it == nil {
			if !strings.Contains(page, msgDeleted) && !strings.Contains(page, msgExpired) {
				t.Errorf("%s is neither a document nor a deleted or expired page", e.Link)
			}
			continue
		}
		for _, want := range []string{
			`id="activity-name"`, `id="js_name">` + AccountName, `id="js_content" style="visibility: hidden;"`,
			fmt.Sprintf(`var ct = "%d";`, it.Published.Unix()), fmt.Sprintf(`var mid = "%d"`, it.wx.Mid),
			`<meta property="og:url" content="` + esc(it.URL) + `">`, `var nickname = "` + AccountName + `";`,
		} {
			if !strings.Contains(page, want) {
				t.Fatalf("%s lacks %q", e.Link, want)
			}
		}
		if !e.PublishedParsed.Equal(it.Published) || e.Title != it.Title {
			t.Errorf("feed entry %q at %v, item %q at %v", e.Title, e.PublishedParsed, it.Title, it.Published)
		}
	}
	second := 0
	for _, it := range posts {
		if it.wx.Idx > 1 {
			second++
		}
	}
	if second == 0 {
		t.Error("no push holds a second article")
	}
	var u *url.URL
	for _, it := range posts {
		u, _ = url.Parse(it.URL)
		break
	}
	q := u.Query()
	q.Set("sn", "0000")
	if resp, _ := get(t, s.WeChatURL+"/s?"+q.Encode()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a wrong sn: status %d, want 404", resp.StatusCode)
	}
}

func TestAttachmentFiles(t *testing.T) {
	tw, _ := serveDemo(t, Options{})
	kinds := map[string]int{}
	for _, it := range tw.Items {
		for _, a := range it.Attachments {
			resp, body := get(t, a.URL)
			ext := a.URL[strings.LastIndex(a.URL, ".")+1:]
			kinds[ext]++
			if resp.Header.Get("Content-Type") != fileTypes[ext] {
				t.Fatalf("%s: Content-Type %q", a.URL, resp.Header.Get("Content-Type"))
			}
			switch ext {
			case "pdf":
				if !bytes.HasPrefix(body, []byte("%PDF-1.4")) || !bytes.HasSuffix(body, []byte("%%EOF\n")) {
					t.Fatalf("%s is not a PDF", a.URL)
				}
			case "xlsx":
				f, err := excelize.OpenReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: %v", a.URL, err)
				}
				v, err := f.GetCellValue("Sheet1", "A1")
				if err != nil || v+".xlsx" != a.Name {
					t.Fatalf("%s: A1 = %q (%v), want %q", a.URL, v, err, a.Name)
				}
				f.Close()
			case "docx":
				if !bytes.HasPrefix(body, []byte("PK")) {
					t.Fatalf("%s is not a zip", a.URL)
				}
			}
		}
	}
	if kinds["pdf"] == 0 || kinds["xlsx"] == 0 || kinds["docx"] == 0 {
		t.Errorf("attachments by type: %v", kinds)
	}
}
