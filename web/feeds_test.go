package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/temoto/robotstxt"

	"github.com/gongkai-project/gongkai/config"
)

// fetchFeed gets a feed and parses it back with gofeed.
func (f *fixture) fetchFeed(path, wantType string) (*gofeed.Feed, string) {
	f.t.Helper()
	resp := f.get(path)
	body := wantStatus(f.t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/"+wantType+"+xml") {
		f.t.Fatalf("%s: Content-Type %q", path, ct)
	}
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		f.t.Fatalf("%s does not parse: %v\n%s", path, err, body)
	}
	if feed.FeedType != wantType {
		f.t.Fatalf("%s: feed type %q, want %q", path, feed.FeedType, wantType)
	}
	return feed, body
}

func TestSearchFeeds(t *testing.T) {
	f := newFixture(t, nil)
	rss, raw := f.fetchFeed("/feed.xml?q="+url.QueryEscape("低保"), "rss")
	atom, _ := f.fetchFeed("/feed.atom?q="+url.QueryEscape("低保"), "atom")
	atom2, _ := f.fetchFeed("/feed.xml?format=atom&q="+url.QueryEscape("低保"), "atom")
	for _, feed := range []*gofeed.Feed{rss, atom, atom2} {
		if !strings.Contains(feed.Title, "搜索“低保”") || len(feed.Items) != 3 {
			t.Fatalf("%s feed %q has %d items, want 3 (the 低保 documents)", feed.FeedType, feed.Title, len(feed.Items))
		}
		var ids []string
		for i, it := range feed.Items {
			if !strings.HasPrefix(it.Link, "http://example.com/doc/") || it.PublishedParsed == nil {
				t.Errorf("%s item %d: link %q published %v", feed.FeedType, i, it.Link, it.Published)
			}
			if i > 0 && it.PublishedParsed != nil && feed.Items[i-1].PublishedParsed != nil && it.PublishedParsed.After(*feed.Items[i-1].PublishedParsed) {
				t.Errorf("%s: not newest first at item %d", feed.FeedType, i)
			}
			ids = append(ids, strings.TrimPrefix(it.Link, "http://example.com/doc/"))
		}
		if want := []string{"hostile", "dibao-2015", "yibao-2015"}; !slices.Equal(ids, want) {
			t.Errorf("%s items %v, want %v (newest first)", feed.FeedType, ids, want)
		}
		if feed.Items[0].Title != hostileTitle {
			t.Errorf("%s: the crawled title came back as %q", feed.FeedType, feed.Items[0].Title)
		}
	}
	if strings.Contains(raw, "<script") || !strings.Contains(raw, "&lt;script&gt;") {
		t.Error("the feed does not escape a crawled title")
	}
	if rss.Items[1].Description == "" || strings.Contains(rss.Items[1].Description, "<mark>") {
		t.Errorf("item description %q", rss.Items[1].Description)
	}
	wantStatus(t, f.get("/feed.xml?q=x&format=json"), http.StatusBadRequest)
	wantStatus(t, f.get("/feed.xml?q=x&from=2015-13-01"), http.StatusBadRequest)
}

func TestCategoryFeedAndSubscribeLinks(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Server.PublicURL = "https://gk.example.gov.cn/" })
	path := "/category/" + url.PathEscape("社会保障") + "/feed.xml"
	rss, _ := f.fetchFeed(path, "rss")
	f.fetchFeed("/category/"+url.PathEscape("社会保障")+"/feed.atom", "atom")
	if len(rss.Items) != 2 || rss.Items[0].Link != "https://gk.example.gov.cn/doc/wx-yanglao" || rss.Items[1].Link != "https://gk.example.gov.cn/doc/yibao-2015" {
		t.Fatalf("category feed items %+v", rss.Items)
	}
	for _, it := range rss.Items {
		if !slices.Contains(it.Categories, "社会保障") {
			t.Errorf("item %s categories %v", it.Link, it.Categories)
		}
	}
	resp := f.get("/category/" + url.PathEscape("社会保障"))
	wantStatus(t, resp, http.StatusFound)
	loc := resp.Header.Get("Location")
	page := wantStatus(t, f.get(loc), http.StatusOK)
	for _, want := range []string{`<link rel="alternate" type="application/rss+xml"`, `href="` + path + `"`, `id="subscribe"`} {
		if !strings.Contains(page, want) {
			t.Errorf("category page %s lacks %q", loc, want)
		}
	}
	page = wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")), http.StatusOK)
	if !strings.Contains(page, `href="/feed.xml?q=%e4%bd%8e%e4%bf%9d"`) && !strings.Contains(page, `href="/feed.xml?q=%E4%BD%8E%E4%BF%9D"`) {
		t.Errorf("search page lacks its feed link:\n%s", regexp.MustCompile(`(?s)<head>.*</head>`).FindString(page))
	}
	if !strings.Contains(page, `rel="search" type="application/opensearchdescription+xml"`) {
		t.Error("pages do not link the OpenSearch description")
	}
	if home := wantStatus(t, f.get("/"), http.StatusOK); strings.Contains(home, `id="subscribe"`) {
		t.Error("the home page offers a feed of nothing")
	}
}

func TestSitemap(t *testing.T) {
	f := newFixture(t, nil)
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	body := wantStatus(t, f.get("/sitemap.xml"), http.StatusOK)
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	docs := map[string]bool{}
	for _, u := range set.URLs {
		if id, ok := strings.CutPrefix(u.Loc, "http://example.com/doc/"); ok {
			docs[id] = true
			if u.LastMod == "" {
				t.Errorf("%s has no lastmod", u.Loc)
			}
		}
	}
	if len(docs) != len(sampleDocs()) || set.URLs[0].Loc != "http://example.com/" || len(set.URLs) != 1+len(f.cfg.Categories.List)+len(docs) {
		t.Fatalf("sitemap lists %d URLs, documents %v", len(set.URLs), docs)
	}

	// Two documents a page: an index of two sitemaps that together list them all.
	f.s.sitemapDocs = 2
	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	body = wantStatus(t, f.get("/sitemap.xml"), http.StatusOK)
	if err := xml.Unmarshal([]byte(body), &idx); err != nil || !strings.Contains(body, "<sitemapindex") || len(idx.Sitemaps) != 2 {
		t.Fatalf("sitemap index %v:\n%s", err, body)
	}
	paged := map[string]bool{}
	for _, sm := range idx.Sitemaps {
		set.URLs = nil
		part := wantStatus(t, f.get(strings.TrimPrefix(sm.Loc, "http://example.com")), http.StatusOK)
		if err := xml.Unmarshal([]byte(part), &set); err != nil {
			t.Fatal(err)
		}
		for _, u := range set.URLs {
			if id, ok := strings.CutPrefix(u.Loc, "http://example.com/doc/"); ok {
				paged[id] = true
			}
		}
	}
	if len(paged) != len(docs) {
		t.Errorf("paged sitemaps list %v, want %v", paged, docs)
	}
	wantStatus(t, f.get("/sitemap/3.xml"), http.StatusNotFound)
	wantStatus(t, f.get("/sitemap/x.xml"), http.StatusNotFound)
}

func TestRobotsAndOpenSearch(t *testing.T) {
	f := newFixture(t, nil)
	body := wantStatus(t, f.get("/robots.txt"), http.StatusOK)
	robots, err := robotstxt.FromString(body)
	if err != nil {
		t.Fatal(err)
	}
	g := robots.FindGroup("Googlebot")
	for path, allowed := range map[string]bool{"/": true, "/doc/dibao-2015": true, "/category/社会保障": true, "/feed.xml": true,
		"/staff": false, "/staff/report": false, "/trends": false, "/api/search": false, "/search?q=x": false} {
		if g.Test(path) != allowed {
			t.Errorf("robots.txt: %s allowed = %v, want %v", path, !allowed, allowed)
		}
	}
	if !slices.Contains(robots.Sitemaps, "http://example.com/sitemap.xml") {
		t.Errorf("robots.txt names sitemaps %v", robots.Sitemaps)
	}
	resp := f.get("/opensearch.xml")
	body = wantStatus(t, resp, http.StatusOK)
	var os struct {
		ShortName string
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal([]byte(body), &os); err != nil || resp.Header.Get("Content-Type") != "application/opensearchdescription+xml; charset=utf-8" {
		t.Fatalf("opensearch: %v, %s", err, resp.Header.Get("Content-Type"))
	}
	if os.ShortName == "" || len(os.URLs) == 0 || os.URLs[0].Type != "text/html" || os.URLs[0].Template != "http://example.com/search?q={searchTerms}" {
		t.Errorf("opensearch description %+v", os)
	}
}
