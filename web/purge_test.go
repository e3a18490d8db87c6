package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/indexer"
)

// TestPurgedAndRemovedAreGone: a purged document and one removed at its
// source answer 410 on the page and the API and leave search; the purge
// shows on the staff audit page.
func TestPurgedAndRemovedAreGone(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if !f.finds("低保评议", "dibao-2015") || !f.finds("养老保险待遇认证", "wx-yanglao") {
		t.Fatal("before: the documents are not found")
	}
	wantStatus(t, f.get("/doc/dibao-2015"), http.StatusOK)

	if _, err := f.st.Purge(ctx, "http://127.0.0.1/art/dibao.html", "staff", "公示名单含身份证号"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.MarkRemoved(ctx, "wx-yanglao"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ix.Sync(ctx, f.st, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"dibao-2015", "wx-yanglao"} {
		if page := wantStatus(t, f.get("/doc/"+id), http.StatusGone); !strings.Contains(page, "该信息已撤下") {
			t.Errorf("/doc/%s: 410 without 该信息已撤下", id)
		}
		if body := wantStatus(t, f.get("/api/documents/"+id), http.StatusGone); !strings.Contains(body, "该信息已撤下") {
			t.Errorf("/api/documents/%s: %s", id, body)
		}
	}
	if page := readBody(t, f.get("/doc/dibao-2015")); strings.Contains(page, "低保评议结果") {
		t.Error("the purged title is still shown")
	}
	if f.finds("低保评议", "dibao-2015") {
		t.Error("after the purge, search finds it")
	}
	if f.finds("养老保险待遇认证", "wx-yanglao") {
		t.Error("after removal at the source, search finds it")
	}

	cookie, _ := f.login()
	page := wantStatus(t, f.get("/staff/audit", cookie), http.StatusOK)
	for _, want := range []string{"永久撤下", "公示名单含身份证号", "dibao-2015", "康大营镇2015年第三季度农村低保评议结果公示"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if resp := f.get("/staff/audit"); resp.StatusCode == http.StatusOK {
		t.Error("the audit page is public")
	}
}

// finds reports whether searching q finds the document id.
func (f *fixture) finds(q, id string) bool {
	f.t.Helper()
	res, err := f.ix.Search(context.Background(), indexer.Query{Text: q, Limit: 50})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

// TestPurgeForm: staff purge from the audit page with the session's CSRF
// token; without it, or without a reason, nothing is purged.
func TestPurgeForm(t *testing.T) {
	f := newFixture(t, nil)
	cookie, csrf := f.login()
	form := func(csrf, target, reason string) *http.Response {
		return f.postForm("/staff/purge", url.Values{"csrf": {csrf}, "target": {target}, "reason": {reason}}, cookie)
	}
	wantStatus(t, form("", "dibao-2015", "身份证号"), http.StatusForbidden)
	wantStatus(t, form(csrf, "dibao-2015", ""), http.StatusBadRequest)
	if page := wantStatus(t, form(csrf, "nope", "x"), http.StatusBadRequest); !strings.Contains(page, "没有编号或网址") {
		t.Error("purge of an unknown id: no message")
	}
	resp := f.postForm("/staff/purge", url.Values{"csrf": {csrf}, "target": {"dibao-2015"}, "reason": {"x"}}) // no session
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/staff/login") {
		t.Errorf("purge without a session: to %q, want the login page", loc)
	}
	wantStatus(t, f.get("/doc/dibao-2015"), http.StatusOK)

	resp = form(csrf, "http://127.0.0.1/art/dibao.html", "公示名单含身份证号")
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/staff/audit?purged=dibao-2015" {
		t.Errorf("redirect to %q", loc)
	}
	wantStatus(t, f.get("/doc/dibao-2015"), http.StatusGone)
	page := wantStatus(t, f.get("/staff/audit?purged=dibao-2015", cookie), http.StatusOK)
	for _, want := range []string{"已永久撤下 dibao-2015", "公示名单含身份证号", testUser, `id="purge-form"`} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}
