package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// pinnedHits asks /api/search and returns the hit ids and which are pinned.
func (c *staffClient) pinnedHits(query string) (ids []string, pinned map[string]bool) {
	c.t.Helper()
	code, body, _ := c.do("/api/search?"+query, nil)
	if code != http.StatusOK {
		c.t.Fatalf("search %s: status %d: %s", query, code, body)
	}
	var res struct{ Hits []map[string]any }
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		c.t.Fatal(err)
	}
	pinned = map[string]bool{}
	for _, h := range res.Hits {
		id, _ := h["id"].(string)
		ids = append(ids, id)
		if p, ok := h["pinned"]; ok {
			pinned[id] = p == true
		}
	}
	return ids, pinned
}

// TestBestBetsStaffPage pins documents to queries and edits the 大家常问
// topics through the staff page of a running server, and checks what
// residents then see: the pin first and marked, under the search's folding,
// not on filtered searches, gone once unpinned or removed at its source.
func TestBestBetsStaffPage(t *testing.T) {
	f := newFixture(t, nil)
	c := newStaffClient(t, f)
	if code, _, h := c.do("/staff/bestbets", nil); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/staff/login") {
		t.Fatalf("/staff/bestbets without login: %d to %q, want the login page", code, h.Get("Location"))
	}
	_, login, _ := c.do("/staff/login", nil)
	if code, body, _ := c.do("/staff/login", url.Values{"csrf": {csrfOf(t, login)}, "user": {testUser},
		"password": {testPassword}, "next": {"/staff/bestbets"}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", code, body)
	}
	code, page, _ := c.do("/staff/bestbets", nil)
	if code != http.StatusOK || !strings.Contains(page, `<td class="query">危房改造</td><td>内置</td>`) {
		t.Fatalf("staff page (%d) does not list the topics the installation starts with:\n%.1500s", code, page)
	}
	if _, dash, _ := c.do("/staff", nil); !strings.Contains(dash, `href="/staff/bestbets"`) {
		t.Error("the staff pages do not link to the best bets")
	}
	csrf := csrfOf(t, page)
	edit := func(form url.Values) (int, string) {
		form.Set("csrf", csrf)
		code, body, _ := c.do("/staff/bestbets/edit", form)
		return code, body
	}

	if ids, pinned := c.pinnedHits("q=" + url.QueryEscape("低保")); len(ids) == 0 || ids[0] == "wx-yanglao" || len(pinned) != 0 {
		t.Fatalf("低保 before any pin: %v, pinned %v", ids, pinned)
	}
	if code, body, _ := c.do("/staff/bestbets/edit", url.Values{"action": {"pin"}, "query": {"低保"}, "doc": {"wx-yanglao"}}); code != http.StatusForbidden {
		t.Fatalf("a pin without the CSRF token: %d %.300s", code, body)
	}
	// full-width spaces and letters around the query, and the page address instead of the id
	if code, body := edit(url.Values{"action": {"pin"}, "query": {"　低保 "}, "doc": {"http://gov.example/doc/wx-yanglao"}}); code != http.StatusSeeOther {
		t.Fatalf("pin: %d %.600s", code, body)
	}
	ids, pinned := c.pinnedHits("q=" + url.QueryEscape("低保"))
	if len(ids) < 2 || ids[0] != "wx-yanglao" || !pinned["wx-yanglao"] || len(pinned) != 1 {
		t.Fatalf("低保 after the pin: %v, pinned %v; want wx-yanglao first and the only one pinned", ids, pinned)
	}
	if _, body, _ := c.do("/search?q="+url.QueryEscape("低保"), nil); !strings.Contains(body, `<li class="hit pinned">`) ||
		!strings.Contains(body, `<span class="pin-mark">置顶</span> <a href="/doc/wx-yanglao">`) {
		t.Errorf("the search page does not show the pin first with its mark:\n%.2000s", body)
	}
	if ids, _ := c.pinnedHits("q=" + url.QueryEscape("低保") + "&offset=10"); len(ids) != 0 {
		t.Errorf("a later page repeats the pin: %v", ids)
	}
	if ids, pinned := c.pinnedHits("q=" + url.QueryEscape("低保") + "&category=" + url.QueryEscape("村务公开")); len(pinned) != 0 || len(ids) == 0 {
		t.Errorf("a filtered search shows pins that may not match its filter: %v, pinned %v", ids, pinned)
	}
	// traditional characters fold as the search folds them
	if code, body := edit(url.Values{"action": {"pin"}, "query": {"養老"}, "doc": {"dibao-2015"}}); code != http.StatusSeeOther {
		t.Fatalf("pin 養老: %d %.600s", code, body)
	}
	if ids, pinned := c.pinnedHits("q=" + url.QueryEscape("养老")); len(ids) == 0 || ids[0] != "dibao-2015" || !pinned["dibao-2015"] {
		t.Errorf("养老 after pinning to 養老: %v, pinned %v", ids, pinned)
	}

	// refused edits say why and keep the page
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"action": {"pin"}, "query": {"低保"}, "doc": {"no-such-doc"}}, "没有这条信息"},
		{url.Values{"action": {"pin"}, "query": {"低保"}, "doc": {"wx-yanglao"}}, "已经置顶"},
		{url.Values{"action": {"pin"}, "query": {" "}, "doc": {"wx-yanglao"}}, "请填写搜索词"},
		{url.Values{"action": {"unpin"}, "query": {"医保"}, "doc": {"wx-yanglao"}}, "没有置顶这条信息"},
		{url.Values{"action": {"topic_add"}, "topic": {"低保"}}, "已经在常问里"},
		{url.Values{"action": {"bogus"}}, "未知操作"},
	} {
		if code, body := edit(tc.form); code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%v: %d, want 400 with %q", tc.form, code, tc.want)
		}
	}

	// hostile query text and a hostile title are escaped on every page
	const evil = `<script>alert("q")</script>`
	if code, body := edit(url.Values{"action": {"pin"}, "query": {evil}, "doc": {"hostile"}}); code != http.StatusSeeOther {
		t.Fatalf("pin the hostile query: %d %.600s", code, body)
	}
	if code, body := edit(url.Values{"action": {"topic_add"}, "topic": {evil}}); code != http.StatusSeeOther {
		t.Fatalf("add the hostile topic: %d %.600s", code, body)
	}
	for _, path := range []string{"/staff/bestbets", "/search?q=" + url.QueryEscape(evil), "/"} {
		code, body, _ := c.do(path, nil)
		// The hostile text must be on the page, escaped: an error page or
		// one without it would pass the check for the raw text trivially.
		if code != http.StatusOK || !strings.Contains(body, `&lt;script&gt;alert(`) {
			t.Errorf("%s: status %d, the hostile text is not shown escaped", path, code)
		}
		if strings.Contains(body, `<script>alert(`) {
			t.Errorf("%s lets hostile text through unescaped", path)
		}
	}
	if ids, pinned := c.pinnedHits("q=" + url.QueryEscape(evil)); len(ids) == 0 || ids[0] != "hostile" || !pinned["hostile"] {
		t.Errorf("the hostile query's pin: %v, pinned %v", ids, pinned)
	}

	// topics: added and removed ones show on the home page at once
	if code, body := edit(url.Values{"action": {"topic_add"}, "topic": {"高龄补贴"}}); code != http.StatusSeeOther {
		t.Fatalf("add topic: %d %.600s", code, body)
	}
	if code, body := edit(url.Values{"action": {"topic_remove"}, "topic": {"救灾"}}); code != http.StatusSeeOther {
		t.Fatalf("remove topic: %d %.600s", code, body)
	}
	_, home, _ := c.do("/", nil)
	topics := home[strings.Index(home, `id="topics"`):]
	topics = topics[:strings.Index(topics, "</section>")]
	if !strings.Contains(topics, "高龄补贴") || strings.Contains(topics, "救灾") || !strings.Contains(topics, "低保") {
		t.Errorf("home page topics after the edits:\n%s", topics)
	}

	// unpin, and a pinned document removed at its source
	if code, body := edit(url.Values{"action": {"unpin"}, "query": {"低保"}, "doc": {"wx-yanglao"}}); code != http.StatusSeeOther {
		t.Fatalf("unpin: %d %.600s", code, body)
	}
	if ids, pinned := c.pinnedHits("q=" + url.QueryEscape("低保")); len(pinned) != 0 || (len(ids) > 0 && ids[0] == "wx-yanglao") {
		t.Errorf("低保 after the unpin: %v, pinned %v", ids, pinned)
	}
	if err := f.st.MarkRemoved(context.Background(), "dibao-2015"); err != nil {
		t.Fatal(err)
	}
	if _, pinned := c.pinnedHits("q=" + url.QueryEscape("养老")); len(pinned) != 0 {
		t.Errorf("a document removed at its source is still pinned: %v", pinned)
	}
	_, page, _ = c.do("/staff/bestbets", nil)
	if !strings.Contains(page, "已撤下，不再显示") {
		t.Error("the staff page does not say the removed document's pin no longer shows")
	}
	// every edit is logged with who made it
	for _, want := range []string{"置顶", "取消置顶", "添加常问", "删除常问", "<td>" + testUser + "</td>"} {
		if !strings.Contains(page[strings.Index(page, `id="bestbets-log"`):], want) {
			t.Errorf("the edit log lacks %q", want)
		}
	}
}

// A leader can neither see the editing page nor change the pins.
func TestBestBetsLeaderRefused(t *testing.T) {
	f := newFixture(t, withLeader(t))
	lead, csrf := f.loginAs(leaderUser)
	if resp := f.get("/staff/bestbets", lead); resp.StatusCode != http.StatusForbidden {
		t.Errorf("leader GET /staff/bestbets: %d, want 403", resp.StatusCode)
	}
	resp := f.postForm("/staff/bestbets/edit", url.Values{"csrf": {csrf}, "action": {"pin"}, "query": {"低保"}, "doc": {"wx-yanglao"}}, lead)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("leader pin: %d, want 403", resp.StatusCode)
	}
	pins, err := f.st.BestBets(context.Background())
	if err != nil || len(pins) != 0 {
		t.Errorf("after the leader's attempt: pins %v, %v", pins, err)
	}
}
