package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gongkai/indexer"
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
