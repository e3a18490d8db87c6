package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/store"
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
	for _, next := range []string{"https://evil.example/", "//evil.example/", `/\evil.example`, "javascript:alert(1)"} {
		if got := safeNext(next); got != "/staff" {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
	if safeNext("/trends?year=2015") != "/trends?year=2015" {
		t.Error("a local next must be kept")
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

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.get("/staff/login")
	page := wantStatus(t, resp, http.StatusOK)
	pre := cookieOf(resp, csrfCookie)
	form := url.Values{"csrf": {csrfOf(t, page)}, "user": {testUser}, "password": {"guess"}}
	for i := range 5 {
		if code := f.postForm("/staff/login", form, pre).StatusCode; code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, code)
		}
	}
	page = wantStatus(t, f.postForm("/staff/login", form, pre), http.StatusTooManyRequests)
	if !strings.Contains(page, "登录尝试过于频繁") {
		t.Error("429 page should say why")
	}
	// Even the right password waits now: the user is locked for a while.
	form.Set("password", testPassword)
	wantStatus(t, f.postForm("/staff/login", form, pre), http.StatusTooManyRequests)
}

func TestLoginRateLimitPerIP(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.get("/staff/login")
	page := wantStatus(t, resp, http.StatusOK)
	pre := cookieOf(resp, csrfCookie)
	limited := false
	for i := range 12 { // a different user each time: only the per-IP limit applies
		form := url.Values{"csrf": {csrfOf(t, page)}, "user": {"user" + string(rune('a'+i))}, "password": {"x"}}
		if f.postForm("/staff/login", form, pre).StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("12 quick attempts from one IP were not limited")
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

func TestCells(t *testing.T) {
	got := cells("=HYPERLINK(\"x\")", "+1", "-2", "@a", "普通", "")
	want := []string{"'=HYPERLINK(\"x\")", "'+1", "'-2", "'@a", "普通", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cells[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestReport(t *testing.T) {
	f := newFixture(t, nil)
	sess, _ := f.login()
	for _, format := range []string{"md", "html", "xlsx"} {
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
