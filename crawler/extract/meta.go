package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// standardMeta maps lower-cased <meta name|property> keys to the names used
// in Article.Meta. The government standard tags come first; the others are
// common publishing tags that carry the same facts on news sites.
var standardMeta = map[string]string{
	"sitename": "SiteName", "sitedomain": "SiteDomain", "siteidcode": "SiteIDCode",
	"columnname": "ColumnName", "columntype": "ColumnType", "columndescription": "ColumnDescription",
	"columnkeywords": "ColumnKeywords", "articletitle": "ArticleTitle", "pubdate": "PubDate",
	"contentsource": "ContentSource", "keywords": "Keywords", "url": "Url", "description": "Description",
	"author": "Author", "firstimg": "FirstImg",
	"og:title": "og:title", "og:url": "og:url", "og:site_name": "og:site_name",
	"og:description": "og:description", "og:type": "og:type",
	"article:published_time": "article:published_time", "article:author": "article:author",
	"publishdate": "publishdate", "publish_date": "publishdate", "publishtime": "publishdate",
	"publish-date": "publishdate", "pubtime": "publishdate", "datepublished": "publishdate",
	"og:release_date": "publishdate", "dc.date": "publishdate", "dc.date.issued": "publishdate",
	"apub:time": "publishdate", "weibo: article:create_at": "publishdate",
	"source": "ContentSource", "mediaid": "ContentSource",
}

// readMeta collects the standard meta tags of the page. Names are matched
// case-insensitively; values lose any markup they contain. The first
// non-empty value of a name wins.
func readMeta(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		key, _ := s.Attr("name")
		if key == "" {
			key, _ = s.Attr("property")
		}
		if key == "" {
			key, _ = s.Attr("itemprop")
		}
		name, ok := standardMeta[strings.ToLower(strings.TrimSpace(key))]
		if !ok || out[name] != "" {
			return
		}
		content, _ := s.Attr("content")
		if v := stripMarkup(content); v != "" {
			out[name] = v
		}
	})
	return out
}

// readRawMeta maps every <meta> name, property or itemprop, lower-cased,
// to its first non-empty value.
func readRawMeta(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		key := firstNonEmpty(s.AttrOr("name", ""), s.AttrOr("property", ""), s.AttrOr("itemprop", ""))
		key = strings.ToLower(strings.TrimSpace(key))
		if content := strings.TrimSpace(s.AttrOr("content", "")); key != "" && content != "" && out[key] == "" {
			out[key] = content
		}
	})
	return out
}

// stripMarkup returns the text of an attribute value that may itself contain
// HTML (some CMSs put raw <div> markup in ArticleTitle), whitespace collapsed.
func stripMarkup(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return strings.Join(strings.Fields(s), " ")
	}
	var parts []string
	for _, n := range nodes {
		if t := textOf(n); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}
