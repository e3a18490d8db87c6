package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// validityFixture adds a 2014 低保标准 notice, the 2015 one that repeals it
// and an expired notice to the sample documents, applies the repeal step and
// indexes them.
func validityFixture(t *testing.T) *fixture {
	f := newFixture(t, nil)
	ctx := context.Background()
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, store.Beijing) }
	docs := []*store.Document{
		{ID: "biaozhun-2014", Channel: "portal", Title: "关于公布2014年农村低保标准的通知", DocNumber: "康镇政〔2014〕5号",
			Body: "2014年全镇农村低保标准为每人每年2400元。", Published: at(2014, 1, 6), Validity: "有效"},
		{ID: "biaozhun-2015", Channel: "portal", Title: "关于公布2015年农村低保标准的通知", DocNumber: "康镇政〔2015〕2号",
			Body:      "2015年全镇农村低保标准为每人每年2600元。本通知自2015年1月1日起执行，《关于公布2014年农村低保标准的通知》（康镇政〔2014〕5号）同时废止。",
			Published: at(2015, 1, 5), Validity: "有效"},
		{ID: "jiuzai-2014", Channel: "portal", Title: "2014年冬春救灾物资发放办法", Body: "救灾物资发放办法，有效期至2014年底。",
			Published: at(2014, 11, 1), Validity: "已失效"},
	}
	if _, err := f.st.UpsertBatch(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ApplyRepeals(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ix.Sync(ctx, f.st, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAPIValidity(t *testing.T) {
	f := validityFixture(t)
	var res struct {
		Total uint64
		Hits  []struct{ ID, Validity string }
	}
	decodeJSON(t, wantStatus(t, f.get("/api/search?q="+url.QueryEscape("低保标准")), http.StatusOK), &res)
	got := map[string]string{}
	for _, h := range res.Hits {
		got[h.ID] = h.Validity
	}
	if got["biaozhun-2014"] != "已废止" || got["biaozhun-2015"] != "现行有效" {
		t.Errorf("低保标准 hits: %+v", res.Hits)
	}
	decodeJSON(t, wantStatus(t, f.get("/api/search?validity="+url.QueryEscape("已废止")), http.StatusOK), &res)
	if res.Total != 1 || res.Hits[0].ID != "biaozhun-2014" {
		t.Errorf("validity=已废止: %+v", res)
	}
	// 现行有效 leaves out the expired 救灾 notice that 救灾 finds, and keeps
	// the current 低保标准 notice (the check of each hit's validity alone
	// passed on no hits at all: 救灾 finds nothing current).
	ids := func(q, validity string) map[string]string {
		t.Helper()
		target := "/api/search?q=" + url.QueryEscape(q)
		if validity != "" {
			target += "&validity=" + url.QueryEscape(validity)
		}
		decodeJSON(t, wantStatus(t, f.get(target), http.StatusOK), &res)
		out := map[string]string{}
		for _, h := range res.Hits {
			out[h.ID] = h.Validity
		}
		return out
	}
	if got := ids("救灾", ""); got["jiuzai-2014"] != "已失效" {
		t.Fatalf("救灾 without a filter: %v, want the expired jiuzai-2014", got)
	}
	if got := ids("救灾", "现行有效"); len(got) != 0 {
		t.Errorf("救灾 with validity=现行有效: %v, want none", got)
	}
	current := ids("低保标准", "现行有效")
	if len(current) == 0 || current["biaozhun-2015"] != "现行有效" {
		t.Errorf("低保标准 with validity=现行有效: %v, want biaozhun-2015", current)
	}
	for id, v := range current {
		if v != "现行有效" {
			t.Errorf("validity=现行有效 returned %s (%s)", id, v)
		}
	}
	body := wantJSONError(t, f.get("/api/search?validity="+url.QueryEscape("有效")), http.StatusBadRequest)
	if !strings.Contains(body, "现行有效") {
		t.Errorf("bad validity: %s, want the values named", body)
	}
	var d map[string]any
	decodeJSON(t, wantStatus(t, f.get("/api/documents/biaozhun-2014"), http.StatusOK), &d)
	if d["validity"] != "已废止" || d["repealed_by"] != "biaozhun-2015" {
		t.Errorf("document: validity %v, repealed_by %v", d["validity"], d["repealed_by"])
	}
}

func TestPagesShowValidity(t *testing.T) {
	f := validityFixture(t)
	page := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保标准")), http.StatusOK)
	for _, want := range []string{`<span class="validity v-repealed">已废止</span>`, `<span class="validity v-current">现行有效</span>`, "有效性"} {
		if !strings.Contains(page, want) {
			t.Errorf("results page lacks %s", want)
		}
	}
	page = wantStatus(t, f.get("/search?q="+url.QueryEscape("低保标准")+"&validity="+url.QueryEscape("已废止")), http.StatusOK)
	if !strings.Contains(page, "关于公布2014年农村低保标准的通知") || strings.Contains(page, "关于公布2015年农村低保标准的通知") {
		t.Errorf("validity filter on the page: %s", page)
	}
	page = wantStatus(t, f.get("/doc/biaozhun-2014"), http.StatusOK)
	for _, want := range []string{`id="doc-validity">已废止</span>`, `id="repealed-by"`, `href="/doc/biaozhun-2015"`, "<th scope=\"row\">有效性</th><td>已废止</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("document page lacks %s", want)
		}
	}
	page = wantStatus(t, f.get("/doc/jiuzai-2014"), http.StatusOK)
	if !strings.Contains(page, `<span class="validity v-expired" id="doc-validity">已失效</span>`) || strings.Contains(page, `id="repealed-by"`) {
		t.Errorf("expired document page")
	}
	page = wantStatus(t, f.get("/doc/yibao-2015"), http.StatusOK)
	if strings.Contains(page, `id="doc-validity"`) {
		t.Errorf("a document that states no validity shows a badge")
	}
}
