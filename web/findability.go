package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// docsPerSitemap is how many documents one sitemap lists (the protocol
// allows 50,000 URLs; the first also lists the home and category pages).
const docsPerSitemap = 45000

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// handleSitemap serves /sitemap.xml: the home page, every category and
// every live document with its last change, or, past docsPerSitemap
// documents, an index of /sitemap/N.xml pages.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	n, err := s.st.CountLive(r.Context())
	if err != nil {
		s.serverError(w, r, "sitemap", err)
		return
	}
	base := s.publicBase(r)
	if n <= s.sitemapDocs {
		s.sitemapPage(w, r, 1)
		return
	}
	idx := sitemapIndex{}
	for p := 1; p <= pages(n, s.sitemapDocs); p++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: fmt.Sprintf("%s/sitemap/%d.xml", base, p)})
	}
	writeXML(w, "application/xml; charset=utf-8", idx)
}

// handleSitemapPart serves /sitemap/{N}.xml, a page of the sitemap index.
func (s *Server) handleSitemapPart(w http.ResponseWriter, r *http.Request) {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	p, err := strconv.Atoi(num)
	if !ok || err != nil || p < 1 {
		s.errorPage(w, r, http.StatusNotFound, "页面不存在")
		return
	}
	n, err := s.st.CountLive(r.Context())
	if err != nil {
		s.serverError(w, r, "sitemap", err)
		return
	}
	if p > pages(n, s.sitemapDocs) {
		s.errorPage(w, r, http.StatusNotFound, "页面不存在")
		return
	}
	s.sitemapPage(w, r, p)
}

// sitemapPage writes page p (from 1) of the documents; the first also has
// the home and category pages.
func (s *Server) sitemapPage(w http.ResponseWriter, r *http.Request, p int) {
	base := s.publicBase(r)
	set := urlSet{}
	if p == 1 {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + "/"})
		for _, c := range s.cfg.Categories.List {
			set.URLs = append(set.URLs, sitemapURL{Loc: base + "/category/" + url.PathEscape(c)})
		}
	}
	docs, err := s.st.ListLive(r.Context(), (p-1)*s.sitemapDocs, s.sitemapDocs)
	if err != nil {
		s.serverError(w, r, "sitemap", err)
		return
	}
	for _, d := range docs {
		u := sitemapURL{Loc: base + "/doc/" + url.PathEscape(d.ID)}
		if !d.Modified.IsZero() {
			u.LastMod = d.Modified.Format("2006-01-02")
		}
		set.URLs = append(set.URLs, u)
	}
	writeXML(w, "application/xml; charset=utf-8", set)
}

func pages(n, per int) int { return max(1, (n+per-1)/per) }

// handleRobots serves /robots.txt: public pages open; the staff pages, the
// API and the search results (endless, and logged as residents' searches)
// closed; the sitemap named.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nAllow: /\nDisallow: /staff\nDisallow: /trends\nDisallow: /api/\nDisallow: /search\n\nSitemap: %s/sitemap.xml\n",
		s.publicBase(r))
}

type openSearch struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Language      string          `xml:"Language"`
	Image         openSearchImage `xml:"Image"`
	URLs          []openSearchURL `xml:"Url"`
}

type openSearchImage struct {
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	Type   string `xml:"type,attr"`
	Src    string `xml:",chardata"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// handleOpenSearch serves /opensearch.xml, so a browser can search the
// site from its address bar.
func (s *Server) handleOpenSearch(w http.ResponseWriter, r *http.Request) {
	base := s.publicBase(r)
	writeXML(w, "application/opensearchdescription+xml; charset=utf-8", openSearch{
		ShortName: s.cfg.Site.Name, Description: "搜索本地政务公开信息：政策文件、通知公告、村务公开", InputEncoding: "UTF-8", Language: "zh-CN",
		Image: openSearchImage{Width: 16, Height: 16, Type: "image/svg+xml", Src: base + "/static/favicon.svg"},
		URLs: []openSearchURL{
			{Type: "text/html", Method: "get", Template: base + "/search?q={searchTerms}"},
			{Type: "application/rss+xml", Template: base + "/feed.xml?q={searchTerms}"},
			{Type: "application/atom+xml", Template: base + "/feed.atom?q={searchTerms}"},
		},
	})
}
