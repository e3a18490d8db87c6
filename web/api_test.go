package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

func decodeJSON(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("bad JSON %v:\n%.500s", err, body)
	}
}

func wantJSONError(t *testing.T, resp *http.Response, status int) string {
	t.Helper()
	body := wantStatus(t, resp, status)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: content type %q, want JSON", resp.Request.URL, ct)
	}
	var e struct{ Error string }
	decodeJSON(t, body, &e)
	if e.Error == "" {
		t.Errorf("%s: no error message in %s", resp.Request.URL, body)
	}
	return e.Error
}

func TestAPISearch(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/api/search?q="+url.QueryEscape("低保")+"&limit=2"), http.StatusOK)
	var res struct {
		Total  uint64
		Hits   []map[string]any
		Facets map[string][]struct {
			Term  string
			Count int
		}
	}
	decodeJSON(t, body, &res)
	if res.Total < 2 || len(res.Hits) != 2 {
		t.Fatalf("total %d, %d hits; want >= 2 and 2 (limit):\n%s", res.Total, len(res.Hits), body)
	}
	for _, key := range []string{"id", "title", "url", "published", "category", "channel", "publisher", "snippet", "score"} {
		if _, ok := res.Hits[0][key]; !ok {
			t.Errorf("hit lacks %q: %v", key, res.Hits[0])
		}
	}
	if len(res.Facets["category"]) == 0 || len(res.Facets["channel"]) == 0 {
		t.Errorf("facets: %v", res.Facets)
	}
	// Filters: channel and date range.
	body = wantStatus(t, f.get("/api/search?q="+url.QueryEscape("养老")+"&channel=wechat&from=2015-11-05&to=2015-11-05"), http.StatusOK)
	decodeJSON(t, body, &res)
	if res.Total != 1 || res.Hits[0]["id"] != "wx-yanglao" {
		t.Errorf("channel+day filter: %s", body)
	}
	body = wantStatus(t, f.get("/api/search?q="+url.QueryEscape("火星基地")), http.StatusOK)
	if !strings.Contains(body, `"hits":[]`) {
		t.Errorf("no hits must be an empty list: %s", body)
	}
	body = wantStatus(t, f.get("/api/search?q="+url.QueryEscape("养老")+"&to=2015-11-04"), http.StatusOK)
	decodeJSON(t, body, &res)
	if res.Total != 0 {
		t.Errorf("to=2015-11-04 must exclude an item of 11-05: %s", body)
	}
}

func TestAPISearchAfter(t *testing.T) {
	f := newFixture(t, nil)
	type page struct {
		Total uint64
		Hits  []struct {
			ID   string
			Sort []string
		}
	}
	var first, second page
	base := "/api/search?q=" + url.QueryEscape("低保") + "&limit=1&sort=date"
	decodeJSON(t, wantStatus(t, f.get(base), http.StatusOK), &first)
	if len(first.Hits) != 1 || len(first.Hits[0].Sort) == 0 {
		t.Fatalf("first page: %+v", first)
	}
	next := base
	for _, v := range first.Hits[0].Sort {
		next += "&after=" + url.QueryEscape(v)
	}
	decodeJSON(t, wantStatus(t, f.get(next), http.StatusOK), &second)
	if len(second.Hits) != 1 || second.Hits[0].ID == first.Hits[0].ID {
		t.Errorf("after the first hit: %+v, first %+v", second, first)
	}
}

func TestAPISearchBadParams(t *testing.T) {
	f := newFixture(t, nil)
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "offset=-1", "offset=10001", "from=2015-13-01",
		"to=yesterday", "from=2015-05-02&to=2015-05-01", "sort=title", "q=" + strings.Repeat("长", 101)} {
		wantJSONError(t, f.get("/api/search?"+q), http.StatusBadRequest)
	}
}

func TestAPISuggest(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/api/suggest?q="+url.QueryEscape("低")), http.StatusOK)
	var s suggestions
	decodeJSON(t, body, &s)
	if s.Query != "低" || s.Suggestions == nil {
		t.Errorf("suggest: %s", body)
	}
	if len(s.Suggestions) == 0 {
		t.Errorf("no suggestion for 低 over documents about 低保: %s", body)
	}
	body = wantStatus(t, f.get("/api/suggest?q="), http.StatusOK)
	if !strings.Contains(body, `"suggestions":[]`) {
		t.Errorf("empty query: %s", body)
	}
	wantJSONError(t, f.get("/api/suggest?q="+strings.Repeat("长", 101)), http.StatusBadRequest)
}

func TestAPIDocument(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/api/documents/dibao-2015"), http.StatusOK)
	var d map[string]any
	decodeJSON(t, body, &d)
	if d["id"] != "dibao-2015" || d["doc_number"] != "康政〔2015〕12号" {
		t.Errorf("document: %s", body)
	}
	wantJSONError(t, f.get("/api/documents/nope"), http.StatusNotFound)
}

func TestAPIStats(t *testing.T) {
	f := newFixture(t, nil)
	wantJSONError(t, f.get("/api/stats?year=2015"), http.StatusUnauthorized) // staff only by default
	sess, _ := f.login()
	body := wantStatus(t, f.get("/api/stats?year=2015", sess), http.StatusOK)
	var st struct {
		Year     int
		Total    int
		Channels map[string]struct{ Count, Target int }
	}
	decodeJSON(t, body, &st)
	if st.Year != 2015 || st.Total != 4 || st.Channels["portal"].Count != 3 || st.Channels["portal"].Target != 56 {
		t.Errorf("stats: %s", body)
	}
	wantJSONError(t, f.get("/api/stats?year=abc", sess), http.StatusBadRequest)
	// server.public_stats opens it to everyone.
	open := newFixture(t, func(c *config.Config) { c.Server.PublicStats = true })
	wantStatus(t, open.get("/api/stats?year=2015"), http.StatusOK)
}

func TestAPIErrors(t *testing.T) {
	f := newFixture(t, nil)
	wantJSONError(t, f.get("/api/nothing"), http.StatusNotFound)
	resp := f.do(http.MethodPost, "/api/search?q=x", nil, nil)
	wantJSONError(t, resp, http.StatusMethodNotAllowed)
	if resp.Header.Get("Allow") != "GET" {
		t.Errorf("Allow = %q", resp.Header.Get("Allow"))
	}
	wantJSONError(t, f.get("/api/manual"), http.StatusUnauthorized)
	big := strings.NewReader(strings.Repeat("x", 3<<20))
	wantJSONError(t, f.do(http.MethodPost, "/api/search", big, nil), http.StatusRequestEntityTooLarge)
}

func TestAPIRateLimit(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Server.SearchRate, c.Server.SearchBurst = 0.001, 2 })
	for range 2 {
		wantStatus(t, f.get("/api/search?q=x"), http.StatusOK)
	}
	resp := f.get("/api/search?q=x")
	if msg := wantJSONError(t, resp, http.StatusTooManyRequests); msg != msgTooMany {
		t.Errorf("429 message %q", msg)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	page := wantStatus(t, f.get("/search?q=x"), http.StatusTooManyRequests)
	if !strings.Contains(page, msgTooMany) {
		t.Error("the search page's 429 should say why in Chinese")
	}
	// Other clients are not affected.
	req := httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil)
	req.RemoteAddr = "198.51.100.7:5555"
	rec := httptest.NewRecorder()
	f.s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("another client got %d", rec.Code)
	}
}

// TestRelaxedSearch: when no document holds every word of a short query, the
// API and the page say which words the hits lack.
func TestRelaxedSearch(t *testing.T) {
	f := newFixture(t, nil)
	q := url.QueryEscape("低保 火星")
	body := wantStatus(t, f.get("/api/search?q="+q), http.StatusOK)
	var res struct {
		Total   uint64
		Relaxed bool
		Dropped []string
		Hits    []map[string]any
	}
	decodeJSON(t, body, &res)
	if !res.Relaxed || len(res.Dropped) != 1 || res.Dropped[0] != "火星" || res.Total == 0 || len(res.Hits) == 0 {
		t.Errorf("低保 火星: want relaxed, 火星 dropped and the 低保 documents: %s", body)
	}
	page := wantStatus(t, f.get("/search?q="+q), http.StatusOK)
	if !strings.Contains(page, `id="relaxed"`) || !strings.Contains(page, "没有找到同时包含全部关键词的信息，下面是包含部分关键词的结果") ||
		!strings.Contains(page, "未包含：火星") {
		t.Errorf("the page should say that 火星 was left out:\n%.3000s", page)
	}
	body = wantStatus(t, f.get("/api/search?q="+url.QueryEscape("低保")), http.StatusOK)
	if strings.Contains(body, `"relaxed"`) {
		t.Errorf("a query found with all its words is not relaxed: %.300s", body)
	}
}
