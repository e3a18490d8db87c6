package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// Selectors the browser tests (web/e2e, browser_test.go) rely on:
//   search box        #q (label[for=q]), form #search-form, button #search-button
//   suggestions       datalist #q-suggest (filled by /static/suggest.js)
//   result count      #result-count; results list #results > li.hit; title link .hit-title a;
//                     highlighted terms .snippet mark; pager #pager; sort links #sort
//   did you mean      #did-you-mean a; nearby terms #nearby; no results #no-results
//   facets            #facets section.facet a (category, channel, publisher, year; months once a
//                     year is chosen; long lists fold under details.more); #to-facets next to the
//                     count jumps there, #filters names the chosen ones
//   home page         #topics, #hot, #browse
//   document page     #doc-title, #doc-meta, #doc-body, #attachments, #original-link, #related
//   login             #login-form, #user, #password, #login-button, #login-error
//   dashboard         #targets, #alerts, #crawls, #manual-form, #import-form, #downloads,
//                     charts figure.chart (canvas inside once ECharts ran)
//   trends            #year-form (select #year), figure.chart with id chart-*
//   year selector     #year-form (select #year) on the dashboard, trends and report pages
//   unit selector     #unit-form (select #unit) on the dashboard, trends and report pages with several units
//   report page       #report-downloads, #report (tables by name: #table3, #table4), #report-problems;
//                     #unit-tables on one unit's report (its tables 三/四 are not the installation's)
//   report tables     #table3-form, #table4-form (inputs c.ROW.COL), #form-errors, #notice, #tables-log;
//                     #edit-tables on the report page links there

const (
	testUser     = "staff"
	testPassword = "correct horse battery staple"
	hostileTitle = `<script>alert("t")</script>低保<img src=x onerror=alert(1)>`
)

// testAsOf is "today" in the tests: inside the year of the sample documents.
var testAsOf = time.Date(2015, 12, 10, 12, 0, 0, 0, store.Beijing)

// fixture is a server over a real store and a real index in a temp dir.
type fixture struct {
	t   testing.TB
	s   *Server
	st  *store.Store
	ix  *indexer.Index
	cfg *config.Config
	dir string // holds gongkai.db and the index
	// peer is the TCP peer of the requests do sends; default 192.0.2.1:1234.
	peer string
}

func testConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg := config.Default()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.Users = []config.User{{Name: testUser, PasswordHash: string(hash)}}
	cfg.Targets[2015] = config.YearTarget{Channels: map[string]int{"portal": 56, "wechat": 20}}
	return cfg
}

// newFixture builds the fixture; edit may change the config first.
func newFixture(t testing.TB, edit func(*config.Config)) *fixture {
	t.Helper()
	cfg := testConfig(t)
	if edit != nil {
		edit(cfg)
	}
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if _, err := st.UpsertBatch(ctx, sampleDocs()); err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Create(filepath.Join(dir, "index"), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Store: st, Index: ix, Config: cfg, AsOf: func() time.Time { return testAsOf },
		Logger: slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() }) // before the store closes
	return &fixture{t: t, s: s, st: st, ix: ix, cfg: cfg, dir: dir}
}

// logQuery puts a search with hits in the query log as made by each of
// clients (hashed as the server does), at the given time, and recomputes
// the hot searches as the query logger does after a write.
func (f *fixture) logQuery(q string, hits int, at time.Time, clients ...string) {
	f.t.Helper()
	var qs []store.LoggedQuery
	for _, c := range clients {
		qs = append(qs, store.LoggedQuery{Query: q, Hits: hits, Client: f.s.queries.clientHash(c), At: at})
	}
	if err := f.st.LogQueries(context.Background(), qs); err != nil {
		f.t.Fatal(err)
	}
	f.s.refreshHot(context.Background())
}

// tWriter sends the server's warnings and errors to the test log.
type tWriter struct{ t testing.TB }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func day2015(m time.Month, d int) time.Time { return time.Date(2015, m, d, 9, 0, 0, 0, store.Beijing) }

func sampleDocs() []*store.Document {
	return []*store.Document{
		{ID: "dibao-2015", URL: "http://127.0.0.1/art/dibao.html", Source: "portal", Channel: "portal",
			Column: "通知公告", Title: "康大营镇2015年第三季度农村低保评议结果公示",
			Body:      "经村民代表评议，以下家庭纳入农村最低生活保障（低保）范围。\n低保金按月发放。",
			HTML:      "<p>经村民代表评议，以下家庭纳入农村最低生活保障（低保）范围。</p><p>低保金按月发放。</p>",
			Published: day2015(9, 20), Written: day2015(9, 18), Publisher: "康大营镇人民政府",
			DocNumber: "康政〔2015〕12号", IndexNumber: "000014349/2015-00110", Subject: "民政、扶贫、救灾",
			Category: "村务公开", Status: "live",
			Attachments: []store.Attachment{
				{Name: "低保名单.xls", URL: "http://127.0.0.1/files/dibao.xls", Type: "xls", Bytes: 23552, State: store.AttachmentExtracted,
					Text: "序号\t村名\t户主姓名\t保障人数\t月保障金额\n1\t东王庄村\t刘桂芝\t2\t460"},
				{Name: "评议记录.pdf", URL: "http://127.0.0.1/files/pingyi.pdf", Type: "pdf", Bytes: 512000, Pages: 3, State: store.AttachmentImageOnly,
					Reason: "no text layer"}}},
		{ID: "yibao-2015", URL: "http://127.0.0.1/art/yibao.html", Source: "portal", Channel: "portal",
			Column: "政策文件", Title: "关于做好2015年城乡居民医保参保缴费工作的通知",
			Body:      "城乡居民基本医疗保险（医保）参保缴费即日起开始，低保对象个人缴费由财政补助。",
			Published: day2015(3, 2), Publisher: "康大营镇人民政府", Category: "社会保障", Status: "live"},
		{ID: "wx-yanglao", URL: "https://mp.weixin.qq.com/s/abc", Source: "wechat", Channel: "wechat",
			Column: "康大营发布", Title: "养老保险待遇认证提醒",
			Body: "请领取养老保险待遇的老人在年底前完成认证。", Published: day2015(11, 5),
			Publisher: "康大营镇社会保障所", Category: "社会保障", Status: "live"},
		{ID: "hostile", URL: "javascript:alert('url')", Source: "portal", Channel: "portal",
			Column: "通知公告", Title: hostileTitle,
			Body: "低保 hostile body </script><script>alert('body')</script>",
			HTML: `<p>低保正文</p><script>alert('s')</script><style>body{display:none}</style>` +
				`<iframe src="http://evil.example/"></iframe><a href="javascript:alert('a')">点我</a>` +
				`<img src="x" onerror="alert('img')"><p onclick="alert('p')">段落</p>`,
			Published: day2015(10, 1), Publisher: `"><script>alert('pub')</script>`, Category: "村务公开",
			DocNumber: `<b onmouseover=alert(1)>号</b>`, Status: "live",
			Attachments: []store.Attachment{{Name: `<svg onload=alert(1)>`, URL: "javascript:alert('att')", Type: "pdf",
				State: store.AttachmentExtracted, Text: `</pre></details><script>alert('attText')</script>`}}},
	}
}

// do sends a request to the fixture's server and returns the response.
func (f *fixture) do(method, target string, body io.Reader, headers map[string]string, cookies ...*http.Cookie) *http.Response {
	f.t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = "192.0.2.1:1234"
	if f.peer != "" {
		req.RemoteAddr = f.peer
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	f.s.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp
}

func (f *fixture) get(target string, cookies ...*http.Cookie) *http.Response {
	return f.do(http.MethodGet, target, nil, nil, cookies...)
}

// postForm posts form values as application/x-www-form-urlencoded.
func (f *fixture) postForm(target string, form url.Values, cookies ...*http.Cookie) *http.Response {
	return f.do(http.MethodPost, target, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, cookies...)
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantStatus(t testing.TB, resp *http.Response, want int) string {
	t.Helper()
	body := readBody(t, resp)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body:\n%.600s", resp.Request.Method, resp.Request.URL, resp.StatusCode, want, body)
	}
	return body
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf returns the first CSRF token of a page.
func csrfOf(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in page:\n%.400s", page)
	}
	return m[1]
}

func cookieOf(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// login logs the test user in and returns the session cookie and its CSRF token.
func (f *fixture) login() (*http.Cookie, string) {
	f.t.Helper()
	resp := f.get("/staff/login")
	page := wantStatus(f.t, resp, http.StatusOK)
	pre := cookieOf(resp, csrfCookie)
	resp = f.postForm("/staff/login", url.Values{"csrf": {csrfOf(f.t, page)}, "user": {testUser},
		"password": {testPassword}, "next": {"/staff"}}, pre)
	wantStatus(f.t, resp, http.StatusSeeOther)
	sess := cookieOf(resp, sessionCookie)
	if sess == nil {
		f.t.Fatal("login set no session cookie")
	}
	dash := wantStatus(f.t, f.get("/staff", sess), http.StatusOK)
	return sess, csrfOf(f.t, dash)
}
