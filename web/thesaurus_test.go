package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// staffClient is a browser-like client of a real HTTP server: it keeps
// cookies and does not follow redirects.
type staffClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newStaffClient(t *testing.T, f *fixture) *staffClient {
	srv := httptest.NewServer(f.s)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &staffClient{t: t, base: srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a GET (form nil) or a form POST and returns the status and body.
func (c *staffClient) do(path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	var resp *http.Response
	var err error
	if form == nil {
		resp, err = c.c.Get(c.base + path)
	} else {
		resp, err = c.c.PostForm(c.base+path, form)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// search asks /api/search and returns the hit ids and the expanded words.
func (c *staffClient) search(q string) (ids, expanded []string) {
	c.t.Helper()
	code, body, _ := c.do("/api/search?q="+url.QueryEscape(q), nil)
	if code != http.StatusOK {
		c.t.Fatalf("search %q: status %d: %s", q, code, body)
	}
	var res struct {
		Hits     []struct{ ID string }
		Expanded []string
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		c.t.Fatal(err)
	}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, res.Expanded
}

// TestThesaurusStaffPage edits the thesaurus through the staff page of a
// running server, after logging in, and checks that each edit changes the
// next search without a restart, and that a new server applies them at start.
func TestThesaurusStaffPage(t *testing.T) {
	f := newFixture(t, nil)
	c := newStaffClient(t, f)
	if code, _, h := c.do("/staff/thesaurus", nil); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/staff/login") {
		t.Fatalf("/staff/thesaurus without login: %d to %q, want the login page", code, h.Get("Location"))
	}
	_, login, _ := c.do("/staff/login", nil)
	if code, body, _ := c.do("/staff/login", url.Values{"csrf": {csrfOf(t, login)}, "user": {testUser},
		"password": {testPassword}, "next": {"/staff/thesaurus"}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", code, body)
	}
	if _, dash, _ := c.do("/staff", nil); !strings.Contains(dash, `href="/staff/thesaurus"`) {
		t.Error("the staff pages do not link to the thesaurus")
	}
	code, page, _ := c.do("/staff/thesaurus?q="+url.QueryEscape("看病贵"), nil)
	if code != http.StatusOK || !strings.Contains(page, "医疗救助") || !strings.Contains(page, "内置") {
		t.Fatalf("thesaurus page (%d) does not list the built-in 看病贵 → 医疗救助:\n%.800s", code, page)
	}
	csrf := csrfOf(t, page)
	edit := func(action, word, official string) (int, string) {
		code, body, _ := c.do("/staff/thesaurus/edit", url.Values{"csrf": {csrf}, "action": {action}, "word": {word}, "official": {official}})
		return code, body
	}

	if ids, _ := c.search("保命钱"); len(ids) != 0 {
		t.Fatalf("保命钱 before the edit found %v", ids)
	}
	if code, body, _ := c.do("/staff/thesaurus/edit", url.Values{"action": {"save"}, "word": {"保命钱"}, "official": {"最低生活保障"}}); code != http.StatusForbidden {
		t.Fatalf("an edit without the CSRF token: %d %.300s", code, body)
	}
	if code, body := edit("save", "保命钱", "最低生活保障、 低保评议"); code != http.StatusSeeOther {
		t.Fatalf("save: %d %.600s", code, body)
	}
	if ids, exp := c.search("保命钱"); !slices.Contains(ids, "dibao-2015") || !slices.Equal(exp[:2], []string{"最低生活保障", "低保评议"}) {
		t.Errorf("保命钱 after the edit: hits %v, expanded %v", ids, exp)
	}
	if _, body, _ := c.do("/search?q="+url.QueryEscape("保命钱"), nil); !strings.Contains(body, "同时搜索了：最低生活保障、低保评议") {
		t.Errorf("the search page does not say which official words were searched")
	}

	// refused edits keep the page and say why
	for _, tc := range []struct{ word, official, want string }{
		{"低保", "低保", "对应它自己"}, {"", "低保", "词语为空"}, {"看病难", " 、 ", "没有规范用语"}, {"钱", "低保金", "只有一个字"},
	} {
		if code, body := edit("save", tc.word, tc.official); code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("save %q → %q: %d, want 400 with %q", tc.word, tc.official, code, tc.want)
		}
	}

	// switching a built-in word off, then restoring it
	if _, exp := c.search("低保"); !slices.Contains(exp, "最低生活保障") {
		t.Fatalf("低保 is not expanded by the built-in list: %v", exp)
	}
	if code, body := edit("off", "低保", ""); code != http.StatusSeeOther {
		t.Fatalf("off: %d %.600s", code, body)
	}
	if _, exp := c.search("低保"); len(exp) != 0 {
		t.Errorf("低保 switched off, still expanded to %v", exp)
	}
	if code, body := edit("delete", "低保", ""); code != http.StatusSeeOther {
		t.Fatalf("delete: %d %.600s", code, body)
	}
	if _, exp := c.search("低保"); !slices.Contains(exp, "最低生活保障") {
		t.Errorf("低保 restored, expanded to %v", exp)
	}
	if code, _ := edit("delete", "低保", ""); code != http.StatusBadRequest {
		t.Errorf("deleting a word staff never set: %d, want 400", code)
	}

	// who changed what and when
	_, page, _ = c.do("/staff/thesaurus", nil)
	for _, want := range []string{"保命钱", "（停用）", "（删除）", testUser} {
		if !strings.Contains(page, want) {
			t.Errorf("thesaurus page lacks %q", want)
		}
	}
	log, err := f.st.ThesaurusLog(t.Context(), 10)
	if err != nil || len(log) != 3 || log[2].Word != "保命钱" || log[2].User != testUser {
		t.Errorf("log = %+v, %v; want save 保命钱, off 低保, delete 低保 by %s", log, err, testUser)
	}

	// a new server on the same store applies the stored entries at start
	f.ix.SetStaffThesaurus(nil)
	if _, err := New(Options{Store: f.st, Index: f.ix, Config: f.cfg}); err != nil {
		t.Fatal(err)
	}
	if _, exp := c.search("保命钱"); !slices.Contains(exp, "最低生活保障") {
		t.Errorf("after a restart 保命钱 is expanded to %v", exp)
	}
}
