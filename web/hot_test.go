package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// hotSection is the home page's 热门搜索 list, or "" when there is none.
func hotSection(t *testing.T, f *fixture) string {
	t.Helper()
	f.s.queries.sync()
	body := wantStatus(t, f.get("/"), http.StatusOK)
	i := strings.Index(body, `id="hot"`)
	if i < 0 {
		return ""
	}
	end := strings.Index(body[i:], "</section>")
	return body[i : i+end]
}

// TestHotSearchPoisoning is the case: twelve identical searches from
// one client never reach the home page. A query shows only once
// search.hot_min_clients different clients searched it, staff can hide it
// (and show it again) on a CSRF-protected page, and the log keeps no
// address.
func TestHotSearchPoisoning(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Server.TrustedProxies = []string{"10.0.0.1"} })
	spam := "低保 办证请加微信 fake12345"
	target := "/search?q=" + url.QueryEscape(spam)
	f.peer = "198.51.100.7:4000"
	for range 12 {
		wantStatus(t, f.get(target), http.StatusOK)
	}
	if hot := hotSection(t, f); strings.Contains(hot, "fake12345") {
		t.Fatalf("12 searches from one client reached the home page:\n%s", hot)
	}
	// Forged X-Forwarded-For from an untrusted peer makes no new clients.
	for _, xff := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		wantStatus(t, f.do(http.MethodGet, target, nil, map[string]string{"X-Forwarded-For": xff}), http.StatusOK)
	}
	if hot := hotSection(t, f); strings.Contains(hot, "fake12345") {
		t.Fatal("forged X-Forwarded-For headers counted as different clients")
	}
	// Three real clients (behind the trusted proxy) make it hot.
	f.peer = "10.0.0.1:80"
	for _, xff := range []string{"203.0.113.1", "203.0.113.2"} {
		wantStatus(t, f.do(http.MethodGet, target, nil, map[string]string{"X-Forwarded-For": xff}), http.StatusOK)
	}
	if hot := hotSection(t, f); !strings.Contains(hot, "fake12345") {
		t.Fatalf("three different clients: the query should show\n%s", hot)
	}

	// Staff hide it; the page is staff-only and its form needs the CSRF token.
	f.peer = ""
	sess, token := f.login()
	page := wantStatus(t, f.get("/staff/hot", sess), http.StatusOK)
	if !strings.Contains(page, spam) || !strings.Contains(page, `name="action" value="hide"`) {
		t.Fatalf("/staff/hot does not list the query with a hide button:\n%.2000s", page)
	}
	hide := url.Values{"query": {spam}, "action": {"hide"}}
	wantStatus(t, f.postForm("/staff/hot/edit", hide, sess), http.StatusForbidden) // no token
	wantStatus(t, f.postForm("/staff/hot/edit", hide), http.StatusSeeOther)        // no login: to the login page
	hide.Set("csrf", token)
	wantStatus(t, f.postForm("/staff/hot/edit", hide, sess), http.StatusSeeOther)
	if hot := hotSection(t, f); strings.Contains(hot, "fake12345") {
		t.Fatal("a hidden query still shows")
	}
	page = wantStatus(t, f.get("/staff/hot?hidden=x", sess), http.StatusOK)
	hidden := page[strings.Index(page, `id="hot-hidden"`):]
	if !strings.Contains(hidden, spam) || !strings.Contains(hidden, testUser) {
		t.Fatalf("the hidden list lacks the query and who hid it:\n%.1500s", hidden)
	}
	show := url.Values{"query": {spam}, "action": {"show"}, "csrf": {token}}
	wantStatus(t, f.postForm("/staff/hot/edit", show, sess), http.StatusSeeOther)
	if hot := hotSection(t, f); !strings.Contains(hot, "fake12345") {
		t.Fatal("a query shown again does not show")
	}
	wantStatus(t, f.get("/staff/hot"), http.StatusSeeOther) // staff only

	// The log holds hashes, never the addresses.
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gongkai.db", "gongkai.db-wal"} {
		data, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, ip := range []string{"198.51.100.7", "203.0.113.1", "203.0.113.2"} {
			if bytes.Contains(data, []byte(ip)) {
				t.Errorf("%s holds the client address %s", name, ip)
			}
		}
	}
}

// TestQueryLogRetention: searches older than search.query_log_days are
// deleted when the server starts.
func TestQueryLogRetention(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Search.QueryLogDays = 30 })
	// Retention runs on the clock, whatever the statistics' "today" (testAsOf, in 2015).
	f.logQuery("旧的搜索", 1, time.Now().AddDate(0, 0, -31), "192.0.2.10")
	f.logQuery("新的搜索", 1, time.Now().AddDate(0, 0, -29), "192.0.2.10")
	s, err := New(Options{Store: f.st, Index: f.ix, Config: f.cfg, AsOf: func() time.Time { return testAsOf },
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // after the start's pruning
	left, err := f.st.QueryCounts(context.Background(), testAsOf.AddDate(-1, 0, 0), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Query != "新的搜索" {
		t.Errorf("after start with 30 days' retention: %+v, want only 新的搜索", left)
	}
}

// TestQueryLogShutdown: a clean shutdown writes every queued search.
func TestQueryLogShutdown(t *testing.T) {
	f := newFixture(t, nil)
	for i := range 40 {
		f.peer = "192.0.2." + strconv.Itoa(i+1) + ":1000"
		wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")), http.StatusOK)
	}
	f.s.Close()
	got, err := f.st.QueryCounts(context.Background(), testAsOf.AddDate(0, 0, -1), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (store.QueryCount{Query: "低保", N: 40, Clients: 40}) {
		t.Errorf("after shutdown: %+v, want 低保 by 40 clients", got)
	}
}
