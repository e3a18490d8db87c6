package web

import (
	"encoding/xml"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// feedItems is how many of the newest documents a feed carries.
const feedItems = 30

// feedLink is the subscription of a search or category page.
type feedLink struct{ Title, RSS, Atom string }

// FeedLink is the feed of the page's search (nil on the home page): a
// category of its own when only the category is chosen.
func (v searchView) FeedLink() *feedLink {
	f := v.Form
	if v.Result == nil {
		return nil
	}
	only := f.Q == "" && f.Channel == "" && f.Publisher == "" && f.Validity == ""
	if f.Category != "" && only {
		base := "/category/" + url.PathEscape(f.Category) + "/feed"
		return &feedLink{Title: "订阅分类：" + f.Category, RSS: base + ".xml", Atom: base + ".atom"}
	}
	q := url.Values{}
	for _, kv := range [][2]string{{"q", f.Q}, {"category", f.Category}, {"channel", f.Channel},
		{"publisher", f.Publisher}, {"validity", f.Validity}} {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	title := "订阅搜索：" + f.Q
	if f.Q == "" {
		title = "订阅此筛选"
	}
	return &feedLink{Title: title, RSS: "/feed.xml?" + q.Encode(), Atom: "/feed.atom?" + q.Encode()}
}

// handleFeed serves /feed.xml and /feed.atom: the newest documents matching
// the search parameters (q, category, channel, publisher, validity, from, to).
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	s.feed(w, r, r.URL.Query())
}

// handleCategoryFeed serves /category/{name}/feed.xml (and .atom).
func (s *Server) handleCategoryFeed(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	v.Set("category", r.PathValue("name"))
	s.feed(w, r, v)
}

// handleCategory opens the category's page: the search page browsing it,
// newest first.
func (s *Server) handleCategory(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, searchForm{Category: r.PathValue("name")}.URL(), http.StatusFound)
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request, v url.Values) {
	atom := strings.HasSuffix(r.URL.Path, ".atom")
	switch v.Get("format") {
	case "", "rss":
	case "atom":
		atom = true
	default:
		s.errorPage(w, r, http.StatusBadRequest, "format 参数应为 rss 或 atom")
		return
	}
	q, err := parseFilters(v)
	if err == nil {
		q.From, q.To, err = dateRange(v)
	}
	if _, bad := errors.AsType[*badParam](err); bad {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	q.Sort, q.Limit = "date", feedItems
	res, err := s.idx.Search(r.Context(), q)
	if err != nil {
		s.serverError(w, r, "feed "+q.Text, err)
		return
	}
	base := s.publicBase(r)
	page := searchForm{Q: q.Text, Category: q.Category, Channel: q.Channel, Publisher: q.Publisher, Validity: q.Validity, Sort: "date"}
	f := feedData{site: s.cfg.Site.Name, title: feedTitle(s.cfg.Site.Name, q), link: base + page.URL(), self: base + r.URL.RequestURI(), base: base, hits: res.Hits, now: s.now()}
	var doc any
	ctype := "application/rss+xml; charset=utf-8"
	if atom {
		doc, ctype = f.atom(), "application/atom+xml; charset=utf-8"
	} else {
		doc = f.rss()
	}
	writeXML(w, ctype, doc)
}

// feedTitle names a feed by its search and filters.
func feedTitle(site string, q indexer.Query) string {
	var parts []string
	if q.Text != "" {
		parts = append(parts, "搜索“"+q.Text+"”")
	}
	for _, kv := range [][2]string{{"分类", q.Category}, {"渠道", store.ChannelLabel(q.Channel)}, {"发布机构", q.Publisher}, {"有效性", q.Validity}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"“"+kv[1]+"”")
		}
	}
	if len(parts) == 0 {
		return site + "：最新信息"
	}
	return site + "：" + strings.Join(parts, "，")
}

// feedData is what both feed formats are written from.
type feedData struct {
	site, title, link, self, base string
	hits                          []indexer.Hit
	now                           time.Time
}

func (f feedData) docURL(id string) string { return f.base + "/doc/" + url.PathEscape(id) }

// updated is the newest publication date of the hits, else now.
func (f feedData) updated() time.Time {
	var t time.Time
	for _, h := range f.hits {
		if h.Published.After(t) {
			t = h.Published
		}
	}
	if t.IsZero() {
		return f.now
	}
	return t
}

// plainSnippet turns a hit's snippet (escaped text with <mark>) into text.
func plainSnippet(s string) string {
	s = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	return html.UnescapeString(s)
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	BuildDate   string    `xml:"lastBuildDate"`
	Self        atomLink  `xml:"atom:link"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate,omitempty"`
	Category    string  `xml:"category,omitempty"`
	Description string  `xml:"description"`
}

type rssGUID struct {
	Permalink bool   `xml:"isPermaLink,attr"`
	Value     string `xml:",chardata"`
}

func (f feedData) rss() rssDoc {
	ch := rssChannel{Title: f.title, Link: f.link, Description: f.title + "（最新 " + strconv.Itoa(feedItems) + " 条，按发布日期）",
		Language: "zh-cn", BuildDate: f.updated().Format(time.RFC1123Z),
		Self: atomLink{Href: f.self, Rel: "self", Type: "application/rss+xml"}, Items: []rssItem{}}
	for _, h := range f.hits {
		it := rssItem{Title: h.Title, Link: f.docURL(h.ID), GUID: rssGUID{true, f.docURL(h.ID)},
			Category: h.Category, Description: plainSnippet(h.Snippet)}
		if !h.Published.IsZero() {
			it.PubDate = h.Published.Format(time.RFC1123Z)
		}
		ch.Items = append(ch.Items, it)
	}
	return rssDoc{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", Channel: ch}
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string        `xml:"title"`
	ID        string        `xml:"id"`
	Link      atomLink      `xml:"link"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published,omitempty"`
	Author    *atomAuthor   `xml:"author,omitempty"`
	Category  *atomCategory `xml:"category,omitempty"`
	Summary   string        `xml:"summary"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func (f feedData) atom() atomFeed {
	updated := f.updated().Format(time.RFC3339)
	feed := atomFeed{Lang: "zh-CN", Title: f.title, ID: f.self, Updated: updated, Author: atomAuthor{f.site},
		Links:   []atomLink{{Href: f.self, Rel: "self", Type: "application/atom+xml"}, {Href: f.link, Rel: "alternate", Type: "text/html"}},
		Entries: []atomEntry{}}
	for _, h := range f.hits {
		e := atomEntry{Title: h.Title, ID: f.docURL(h.ID), Link: atomLink{Href: f.docURL(h.ID), Rel: "alternate", Type: "text/html"},
			Updated: updated, Summary: plainSnippet(h.Snippet)}
		if !h.Published.IsZero() {
			e.Updated = h.Published.Format(time.RFC3339)
			e.Published = e.Updated
		}
		if h.Publisher != "" {
			e.Author = &atomAuthor{h.Publisher}
		}
		if h.Category != "" {
			e.Category = &atomCategory{h.Category}
		}
		feed.Entries = append(feed.Entries, e)
	}
	return feed
}

// writeXML writes v as an XML document.
func writeXML(w http.ResponseWriter, ctype string, v any) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	w.Write(out)
}

// publicBase is the site's absolute address without a trailing slash:
// server.public_url, else the host of the request, https when it came over
// TLS or server.behind_tls says the proxy in front serves HTTPS.
func (s *Server) publicBase(r *http.Request) string {
	if u := s.cfg.Server.PublicURL; u != "" {
		return strings.TrimRight(u, "/")
	}
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
