package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/gongkai-project/gongkai/store"
)

func TestStaffPagesNeedLogin(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/staff", "/trends?year=2015", "/staff/export/documents.csv",
		"/staff/report?year=2015&format=md"} {
		resp := f.get(path)
		wantStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "/staff/login?next=") || !strings.Contains(loc, url.QueryEscape(strings.Split(path, "?")[0])) {
			t.Errorf("%s: redirect to %q", path, loc)
		}
	}
	for _, path := range []string{"/staff/manual", "/staff/import", "/staff/manual/1/delete", "/staff/logout"} {
		resp := f.postForm(path, url.Values{"title": {"x"}})
		wantStatus(t, resp, http.StatusSeeOther)
	}
	// A made-up session token is no session.
	wantStatus(t, f.get("/staff", &http.Cookie{Name: sessionCookie, Value: "forged"}), http.StatusSeeOther)
	wantJSONError(t, f.get("/api/manual"), http.StatusUnauthorized)
}

func TestLogin(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.get("/staff/login?next=/trends")
	page := wantStatus(t, resp, http.StatusOK)
	pre := cookieOf(resp, csrfCookie)
	if pre == nil || !pre.HttpOnly || pre.SameSite != http.SameSiteStrictMode {
		t.Fatalf("pre-login CSRF cookie %+v", pre)
	}
	token := csrfOf(t, page)
	form := url.Values{"csrf": {token}, "user": {testUser}, "password": {"wrong"}, "next": {"/trends"}}
	page = wantStatus(t, f.postForm("/staff/login", form, pre), http.StatusUnauthorized)
	if !strings.Contains(page, "用户名或密码错误") {
		t.Error("a failed login should say so")
	}
	form.Set("password", testPassword)
	resp = f.postForm("/staff/login", form, pre)
	wantStatus(t, resp, http.StatusSeeOther)
	if resp.Header.Get("Location") != "/trends" {
		t.Errorf("after login: redirect to %q, want /trends", resp.Header.Get("Location"))
	}
	sess := cookieOf(resp, sessionCookie)
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || len(sess.Value) < 40 {
		t.Fatalf("session cookie %+v", sess)
	}
	dash := wantStatus(t, f.get("/staff", sess), http.StatusOK)
	for _, want := range []string{`id="targets"`, "政府网站", "56", `id="alerts"`, `id="crawls"`, `id="adoption"`, "上级门户采用",
		`id="manual-form"`, `id="import-form"`, `id="downloads"`, `class="chart"`, "退出（staff）"} {
		if !strings.Contains(dash, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	checkInert(t, "dashboard", dash)
	// Logout ends the session.
	wantStatus(t, f.postForm("/staff/logout", url.Values{"csrf": {csrfOf(t, dash)}}, sess), http.StatusSeeOther)
	wantStatus(t, f.get("/staff", sess), http.StatusSeeOther)
}

func TestLoginOpenRedirect(t *testing.T) {
	bad := []string{"https://evil.example/", "//evil.example/", `/\evil.example`, `\\evil.example`,
		"javascript:alert(1)", "http:/evil.example", "HTTPS://evil.example", "evil.example", "",
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n//evil.example", "/\x00/evil.example",
		"/%09/evil.example", "/%0a/evil.example", "/%0D%0A/evil.example", "/%2Fevil.example", "/%2fevil.example",
		"/%5Cevil.example", "/%5cevil.example", "%2F%2Fevil.example", "/%252F%252Fevil.example",
		"/%25252F/evil.example", "/\x7f/evil.example", "/\u0085/evil.example", "/\u2028/evil.example",
		"/%zz", " //evil.example", "\t//evil.example", "///evil.example", "/\\/evil.example",
		"//user@evil.example", "/staff\\..\\..\\evil"}
	for _, next := range bad {
		if got := safeNext(next); got != "/staff" {
			t.Errorf("safeNext(%q) = %q, want /staff", next, got)
		}
	}
	for _, good := range []string{"/trends?year=2015", "/staff", "/doc/abc", "/search?q=%E4%BD%8E%E4%BF%9D",
		"/staff/export/documents.csv?year=2015", "/?q=a%20b"} {
		if got := safeNext(good); got != good {
			t.Errorf("safeNext(%q) = %q: a local path must be kept", good, got)
		}
	}
	// Through the server, as the issue found it: already logged in, the GET
	// redirects at once, and a login POST redirects after the password.
	f := newFixture(t, nil)
	sess, _ := f.login()
	for _, raw := range []string{"%2F%09%2Fevil.example", "%2F%5Cevil.example", "%2F%2Fevil.example",
		"https%3A%2F%2Fevil.example", "%2F%250a%2Fevil.example"} {
		resp := f.get("/staff/login?next="+raw, sess)
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/staff" {
			t.Errorf("logged in, next=%s: Location %q, want /staff", raw, loc)
		}
		resp = f.get("/staff/login")
		page := wantStatus(t, resp, http.StatusOK)
		next, _ := url.QueryUnescape(raw)
		resp = f.postForm("/staff/login", url.Values{"csrf": {csrfOf(t, page)}, "user": {testUser},
			"password": {testPassword}, "next": {next}}, cookieOf(resp, csrfCookie))
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/staff" {
			t.Errorf("login with next=%q: Location %q, want /staff", next, loc)
		}
	}
}

func TestLoginCSRF(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.get("/staff/login")
	page := wantStatus(t, resp, http.StatusOK)
	pre := cookieOf(resp, csrfCookie)
	good := url.Values{"csrf": {csrfOf(t, page)}, "user": {testUser}, "password": {testPassword}}
	noToken := url.Values{"user": {testUser}, "password": {testPassword}}
	wantStatus(t, f.postForm("/staff/login", noToken, pre), http.StatusForbidden)
	wantStatus(t, f.postForm("/staff/login", good), http.StatusForbidden) // no cookie
	tok := csrfOf(t, page)
	flip := map[bool]string{true: "y", false: "x"}[tok[0] == 'x'] // a token that differs from the good one
	bad := url.Values{"csrf": {flip + tok[1:]}, "user": {testUser}, "password": {testPassword}}
	wantStatus(t, f.postForm("/staff/login", bad, pre), http.StatusForbidden)
	wantStatus(t, f.postForm("/staff/login", good, pre), http.StatusSeeOther)
}

// TestLoginGuard: wrong passwords from one client slow that client down
// more and more, but never lock the account: the right password logs in at
// once from another client, and from the same client once its wait is over.
func TestLoginGuard(t *testing.T) {
	f := newFixture(t, nil)
	f.s.guard.base, f.s.guard.max = 40*time.Millisecond, 320*time.Millisecond
	attacker, staff := "198.51.100.7:5000", "203.0.113.9:6000"
	loginFrom := func(peer, password string) (int, time.Duration) {
		f.peer = peer
		resp := f.get("/staff/login")
		page := wantStatus(t, resp, http.StatusOK)
		start := time.Now()
		resp = f.postForm("/staff/login", url.Values{"csrf": {csrfOf(t, page)}, "user": {testUser},
			"password": {password}, "next": {"/staff"}}, cookieOf(resp, csrfCookie))
		return resp.StatusCode, time.Since(start)
	}
	var slowest time.Duration
	for i := range 12 {
		code, took := loginFrom(attacker, "guess"+strconv.Itoa(i))
		if code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d, want 401 (delayed, not refused)", i+1, code)
		}
		slowest = max(slowest, took)
	}
	// After 3 free failures the waits are 40, 80, 160 ms, then 320 ms each.
	if want := f.s.guard.max; slowest < want {
		t.Errorf("12 wrong passwords: slowest answer %v, want a wait of at least %v", slowest, want)
	}
	if code, _ := loginFrom(staff, testPassword); code != http.StatusSeeOther {
		t.Fatalf("right password from another client: status %d, want 303", code)
	}
	code, took := loginFrom(attacker, testPassword)
	if code != http.StatusSeeOther {
		t.Fatalf("right password from the guessing client: status %d, want 303 after the wait", code)
	}
	if took < f.s.guard.max/2 {
		t.Errorf("right password from the guessing client answered in %v: its wait was skipped", took)
	}
	// A correct login forgets the failures: the next attempt does not wait.
	if wait, ok := f.s.guard.reserve(testUser, "198.51.100.7", time.Now()); !ok || wait != 0 {
		t.Errorf("after a correct login the next attempt waits %v (ok %v), want no wait", wait, ok)
	}
}

// TestLoginGuardSpraying: many user names from one client slow that client.
func TestLoginGuardSpraying(t *testing.T) {
	f := newFixture(t, nil)
	f.s.guard.base, f.s.guard.max = 20*time.Millisecond, 40*time.Millisecond
	resp := f.get("/staff/login")
	page := wantStatus(t, resp, http.StatusOK)
	pre := cookieOf(resp, csrfCookie)
	for i := range 12 { // a different user each time: only the client's count grows
		form := url.Values{"csrf": {csrfOf(t, page)}, "user": {"user" + string(rune('a'+i))}, "password": {"x"}}
		wantStatus(t, f.postForm("/staff/login", form, pre), http.StatusUnauthorized)
	}
	if wait, ok := f.s.guard.reserve("someone-else", "192.0.2.1", time.Now()); !ok || wait <= 0 {
		t.Errorf("after 12 failures over 12 names the client's next attempt waits %v (ok %v), want a wait", wait, ok)
	}
	if wait, _ := f.s.guard.reserve("someone-else", "192.0.2.2", time.Now()); wait != 0 {
		t.Errorf("another client waits %v, want 0", wait)
	}
}

// TestLoginGuardOverlap: overlapping guesses from one client are queued a
// delay apart, so sending them in parallel gains nothing.
func TestLoginGuardOverlap(t *testing.T) {
	g := newLoginGuard()
	now := time.Now()
	for range 5 {
		g.failed("staff", "x", now)
	}
	var last time.Duration
	for i := range 4 {
		wait, ok := g.reserve("staff", "x", now)
		if !ok || (i > 0 && wait <= last) {
			t.Fatalf("attempt %d at the same instant: wait %v (ok %v) after %v, want a longer one", i, wait, ok, last)
		}
		last = wait
	}
}

func TestManualEntry(t *testing.T) {
	f := newFixture(t, nil)
	sess, token := f.login()
	form := url.Values{"csrf": {token}, "date": {"2015-06-01"}, "channel": {"board"}, "category": {"村务公开"},
		"title": {"各村公开栏更新财务收支"}, "count": {"31"}, "note": {"31 个村"}}
	wrong := url.Values{}
	for k, v := range form {
		wrong[k] = v
	}
	wrong.Set("csrf", "forged-token-forged-token-forged-token")
	wantStatus(t, f.postForm("/staff/manual", wrong, sess), http.StatusForbidden)
	wrong.Del("csrf")
	wantStatus(t, f.postForm("/staff/manual", wrong, sess), http.StatusForbidden)

	resp := f.postForm("/staff/manual", form, sess)
	wantStatus(t, resp, http.StatusSeeOther)
	entries := f.manual(t)
	if len(entries) != 1 || entries[0].Count != 31 || entries[0].Channel != "board" {
		t.Fatalf("entries after add: %+v", entries)
	}
	dash := wantStatus(t, f.get("/staff?added=1", sess), http.StatusOK)
	if !strings.Contains(dash, "各村公开栏更新财务收支") || !strings.Contains(dash, "已添加") {
		t.Error("the dashboard should list the new entry")
	}

	form.Set("channel", "radio")
	page := wantStatus(t, f.postForm("/staff/manual", form, sess), http.StatusBadRequest)
	if !strings.Contains(page, "渠道") || !strings.Contains(page, `value="各村公开栏更新财务收支"`) {
		t.Error("a refused entry should say why and keep what was typed")
	}

	del := "/staff/manual/" + strconv.FormatInt(entries[0].ID, 10) + "/delete"
	wantStatus(t, f.postForm(del, url.Values{"csrf": {"bad"}}, sess), http.StatusForbidden)
	wantStatus(t, f.postForm(del, url.Values{"csrf": {token}}, sess), http.StatusSeeOther)
	if n := len(f.manual(t)); n != 0 {
		t.Errorf("%d entries after delete", n)
	}
	wantStatus(t, f.postForm(del, url.Values{"csrf": {token}}, sess), http.StatusNotFound)
}

func (f *fixture) manual(t *testing.T) []store.ManualEntry {
	t.Helper()
	from := time.Date(2015, 1, 1, 0, 0, 0, 0, store.Beijing)
	entries, err := f.st.ManualEntries(context.Background(), from, from.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// upload posts a CSV file to /staff/import.
func (f *fixture) upload(t *testing.T, sess *http.Cookie, token string, data []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", token)
	fw, err := mw.CreateFormFile("file", "entries.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return f.do(http.MethodPost, "/staff/import", &buf, map[string]string{"Content-Type": mw.FormDataContentType()}, sess)
}

func TestImportCSV(t *testing.T) {
	f := newFixture(t, nil)
	sess, token := f.login()
	bad := "日期,渠道,分类,标题,数量,备注\n" +
		"2015-03-01,公开栏,村务公开,一月财务收支,31,\n" +
		"2015-13-01,board,村务公开,日期错误,1,\n" +
		"2015-04-01,radio,,渠道错误,1,\n" +
		"2015-05-01,report,,,2,\n"
	page := wantStatus(t, f.upload(t, sess, token, []byte(bad)), http.StatusBadRequest)
	for _, want := range []string{"没有导入任何记录", "第 3 行", "第 4 行", "第 5 行"} {
		if !strings.Contains(page, want) {
			t.Errorf("import errors lack %q", want)
		}
	}
	if strings.Contains(page, "第 2 行") {
		t.Error("line 2 is fine and must not be listed")
	}
	if n := len(f.manual(t)); n != 0 {
		t.Fatalf("%d entries imported from a file with errors, want none", n)
	}

	good := "\xef\xbb\xbf日期,渠道,分类,标题,数量,备注\n" +
		"2015-03-01,公开栏,村务公开,一月财务收支,31,\n" +
		"2015/4/2,显示屏,惠农政策,种粮直补标准,1,LED\n" +
		"\n" +
		"2015年5月3日,report,,上报信息,3,\n"
	resp := f.upload(t, sess, token, []byte(good))
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "imported=3") {
		t.Errorf("redirect %q", loc)
	}
	if n := len(f.manual(t)); n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}

	gbk, err := simplifiedchinese.GB18030.NewEncoder().String("日期,渠道,标题\n2015-06-01,公开栏,六月低保公示\n")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.upload(t, sess, token, []byte(gbk)), http.StatusSeeOther)
	if n := len(f.manual(t)); n != 4 {
		t.Errorf("GB18030 file: %d entries, want 4", n)
	}
	wantStatus(t, f.upload(t, sess, "bad-token", []byte(good)), http.StatusForbidden)
	page = wantStatus(t, f.upload(t, sess, token, []byte("标题\n只有标题\n")), http.StatusBadRequest)
	if !strings.Contains(page, "第 1 行") {
		t.Error("a header without the required columns should be reported on line 1")
	}
}

func TestExports(t *testing.T) {
	f := newFixture(t, nil)
	sess, _ := f.login()
	resp := f.get("/staff/export/documents.csv?year=2015", sess)
	body := wantStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(body, "\xef\xbb\xbf编号,") || !strings.Contains(body, "康大营镇2015年第三季度农村低保评议结果公示") {
		t.Errorf("documents.csv:\n%.500s", body)
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Error("exports are downloads")
	}
	if strings.Contains(body, "\n=") || strings.Contains(body, ",=") {
		t.Error("formula cells must be neutralised")
	}
	for name, ctype := range map[string]string{"stats.csv": "text/csv", "stats.json": "application/json", "stats.xlsx": xlsxType} {
		resp := f.get("/staff/export/"+name+"?year=2015", sess)
		body := wantStatus(t, resp, http.StatusOK)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || len(body) < 20 {
			t.Errorf("%s: type %q, %d bytes", name, resp.Header.Get("Content-Type"), len(body))
		}
	}
	if body := wantStatus(t, f.get("/staff/export/stats.xlsx?year=2015", sess), http.StatusOK); !strings.HasPrefix(body, "PK") {
		t.Error("stats.xlsx is not a zip file")
	}
	wantStatus(t, f.get("/staff/export/secrets.txt", sess), http.StatusNotFound)
	wantStatus(t, f.get("/staff/export/documents.csv?year=x", sess), http.StatusBadRequest)
}

// TestExportsNeutraliseFormulas: crawled text that a spreadsheet would run
// as a formula comes out of every CSV export as text, while the counts stay
// numbers.
func TestExportsNeutraliseFormulas(t *testing.T) {
	f := newFixture(t, nil)
	evil := []string{"=1+2", `=HYPERLINK("http://evil.example","点我")`, "-2+3", "@SUM(A1:A9)", "+1", "\t=1", "\r=1"}
	var docs []*store.Document
	for i, e := range evil {
		docs = append(docs, &store.Document{ID: "evil-" + strconv.Itoa(i), URL: "http://127.0.0.1/evil/" + strconv.Itoa(i),
			Source: "portal", Channel: "portal", Column: e, Title: e, Body: "正文" + e, Publisher: e,
			Published: day2015(6, 1+i), Category: "通知公告", DocNumber: e, Status: "live"})
	}
	if _, err := f.st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	sess, _ := f.login()
	for _, name := range []string{"documents.csv", "stats.csv"} {
		body := wantStatus(t, f.get("/staff/export/"+name+"?year=2015", sess), http.StatusOK)
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\xef\xbb\xbf")))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		found, numbers := 0, 0
		for _, rec := range recs {
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s: cell %q would run as a formula", name, cell)
				}
				if slices.Contains(evil, strings.TrimPrefix(cell, "'")) {
					found++
				}
				if _, err := strconv.Atoi(cell); err == nil {
					numbers++
				}
			}
		}
		if found == 0 {
			t.Errorf("%s: none of the crawled cells came out at all", name)
		}
		if name == "stats.csv" && numbers == 0 {
			t.Errorf("stats.csv: no count is a plain number")
		}
	}
}

func TestReport(t *testing.T) {
	f := newFixture(t, nil)
	sess, _ := f.login()
	for _, format := range []string{"md", "html", "xlsx", "docx"} {
		resp := f.get("/staff/report?year=2015&format="+format, sess)
		body := wantStatus(t, resp, http.StatusOK)
		if len(body) < 100 || !strings.Contains(resp.Header.Get("Content-Disposition"), "report-2015."+format) {
			t.Errorf("%s report: %d bytes, %v", format, len(body), resp.Header)
		}
	}
	wantStatus(t, f.get("/staff/report?year=2015&format=pdf", sess), http.StatusBadRequest)
}

func TestTrends(t *testing.T) {
	f := newFixture(t, nil)
	sess, _ := f.login()
	resp := f.get("/trends?year=2015", sess)
	page := wantStatus(t, resp, http.StatusOK)
	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
	if nonce == nil || !strings.Contains(page, `<script nonce="`+nonce[1]+`">`) {
		t.Error("the chart scripts must carry the nonce of the page's CSP")
	}
	for _, want := range []string{`id="year-form"`, `<option value="2015" selected>`, `id="chart-monthly"`,
		`id="chart-categories"`, "nonce=", "/search?"} {
		if !strings.Contains(page, want) {
			t.Errorf("trends page lacks %q", want)
		}
	}
	checkInert(t, "trends", page)
	wantStatus(t, f.get("/trends?year=abc", sess), http.StatusBadRequest)
}
