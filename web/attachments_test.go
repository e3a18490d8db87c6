package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestAttachmentSearchAndPage: a name only in an attachment's text finds its
// document, through the API (matched_in, attachment) and on the page (the
// attachment's name and snippet); the document page and API list each
// attachment with its type, size, pages, state and text.
func TestAttachmentSearchAndPage(t *testing.T) {
	f := newFixture(t, nil)
	var res struct {
		Hits []struct {
			ID         string   `json:"id"`
			MatchedIn  []string `json:"matched_in"`
			Attachment *struct {
				Name, URL, Snippet string
			} `json:"attachment"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(wantStatus(t, f.get("/api/search?q=刘桂芝"), http.StatusOK)), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "dibao-2015" || !slices.Equal(res.Hits[0].MatchedIn, []string{"attachment"}) ||
		res.Hits[0].Attachment == nil || res.Hits[0].Attachment.Name != "低保名单.xls" || !strings.Contains(res.Hits[0].Attachment.Snippet, "<mark>刘桂芝</mark>") {
		t.Fatalf("API hits %+v", res.Hits)
	}
	page := wantStatus(t, f.get("/search?q=刘桂芝"), http.StatusOK)
	for _, want := range []string{"在附件中找到", "低保名单.xls", "<mark>刘桂芝</mark>"} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	// a hit found in its own text shows its own snippet
	if page := wantStatus(t, f.get("/search?q=低保金"), http.StatusOK); strings.Contains(page, "在附件中找到") {
		t.Error("a body match shown as an attachment match")
	}

	if err := json.Unmarshal([]byte(wantStatus(t, f.get("/api/search?attachment=xls"), http.StatusOK)), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "dibao-2015" {
		t.Errorf("attachment=xls: %+v", res.Hits)
	}
	if body := wantStatus(t, f.get("/api/search?q=低保&attachment=exe"), http.StatusBadRequest); !strings.Contains(body, "attachment") {
		t.Errorf("bad type: %s", body)
	}

	var doc struct {
		Attachments []map[string]any `json:"attachments"`
	}
	if err := json.Unmarshal([]byte(wantStatus(t, f.get("/api/documents/dibao-2015"), http.StatusOK)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Attachments) != 2 {
		t.Fatalf("attachments %v", doc.Attachments)
	}
	a, b := doc.Attachments[0], doc.Attachments[1]
	if a["type"] != "xls" || a["bytes"] != 23552.0 || a["state"] != "extracted" || !strings.Contains(a["text"].(string), "刘桂芝") ||
		b["state"] != "image_only" || b["pages"] != 3.0 || b["text"] != "" {
		t.Errorf("API attachments %v", doc.Attachments)
	}

	page = wantStatus(t, f.get("/doc/dibao-2015"), http.StatusOK)
	for _, want := range []string{"XLS", "23.0 KB", "已提取文字", "<details", "查看附件文字", "刘桂芝", "PDF", "3 页", "图片版，无文字"} {
		if !strings.Contains(page, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	sess, _ := f.login()
	dash := wantStatus(t, f.get("/staff?year=2015", sess), http.StatusOK)
	for _, want := range []string{`id="attachment-counts"`, "<th scope=\"col\">XLS</th>", "<th scope=\"row\">2015</th>"} {
		if !strings.Contains(dash, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	var stats struct {
		Attachments map[string]map[string]int `json:"attachments"`
		Total       int                       `json:"total"`
	}
	if err := json.Unmarshal([]byte(wantStatus(t, f.get("/api/stats?year=2015", sess), http.StatusOK)), &stats); err != nil {
		t.Fatal(err)
	}
	if y := stats.Attachments["2015"]; y["xls"] != 1 || y["pdf"] != 2 {
		t.Errorf("attachments of 2015: %v", stats.Attachments)
	}

	page = wantStatus(t, f.get("/doc/hostile"), http.StatusOK)
	if strings.Contains(page, "<script>alert('attText')") || !strings.Contains(page, "&lt;script&gt;alert(&#39;attText&#39;)") {
		t.Error("an attachment's text is not escaped")
	}
}

// TestAttachmentTypeFacet: /api/search counts the results' attachment types
// (each count the total of the same query with attachment=TYPE), and the
// search page lists them under 附件类型 with links that apply the filter.
func TestAttachmentTypeFacet(t *testing.T) {
	f := newFixture(t, nil)
	type result struct {
		Total  int `json:"total"`
		Facets map[string][]struct {
			Term  string `json:"term"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	var res result
	if err := json.Unmarshal([]byte(wantStatus(t, f.get("/api/search?q=低保"), http.StatusOK)), &res); err != nil {
		t.Fatal(err)
	}
	types := res.Facets["attachment_type"]
	if len(types) != 2 {
		t.Fatalf("attachment_type facet %+v, want pdf and xls", types)
	}
	for _, c := range types {
		var filtered result
		if err := json.Unmarshal([]byte(wantStatus(t, f.get("/api/search?q=低保&attachment="+c.Term), http.StatusOK)), &filtered); err != nil {
			t.Fatal(err)
		}
		if c.Count != filtered.Total || c.Count == 0 {
			t.Errorf("facet %s = %d, attachment=%s finds %d", c.Term, c.Count, c.Term, filtered.Total)
		}
	}
	page := wantStatus(t, f.get("/search?q=低保"), http.StatusOK)
	for _, want := range []string{"附件类型", "/search?attachment=pdf&amp;q=%E4%BD%8E%E4%BF%9D\">PDF（2）", "/search?attachment=xls&amp;q=%E4%BD%8E%E4%BF%9D\">XLS（1）"} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
}
