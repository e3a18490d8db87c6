package list

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/publicsuffix"
)

// articlePathRe matches the URL shapes of articles on Chinese government CMSs:
// TRS t20150301_123.html, Hanweb art_12_345.html, /content/..., dated
// folders, numeric file names and detail pages with an id parameter.
var articlePathRe = regexp.MustCompile(`(?i)(` +
	`/t\d{8}_\d+\.s?html?$` +
	`|/art_\d+_\d+\.s?html?$` +
	`|/content[/_]` +
	`|/\d{4}[-/]?\d{2}([-/]?\d{2})?/[^/]+\.(s?html?|jsp|aspx?|php)$` +
	`|/[^/]*\d{4,}\.(s?html?|jsp|aspx?|php)$` +
	`|/(art|article|articles|detail|details|show|view|info|news|content)[^/]*\.(s?html?|jsp|aspx?|php|do)\?.*\b(id|infoid|articleid|contentid|aid|artid|docid)=\w+` +
	`)`)

// notArticleRe matches list pages, scripts and attachments.
var notArticleRe = regexp.MustCompile(`(?i)(/index(_\d+)?\.s?html?$|/list[^/]*$|\.(pdf|docx?|xlsx?|wps|zip|rar|7z|jpe?g|png|gif|mp4|txt|xml|css|js)$)`)

// boilerRe matches the class or id of page furniture that lists links but not the column's items.
var boilerRe = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|header|footer|foot|side|sidebar|aside|crumb|breadcrumb|friend|friendlink|yqlj|copyright)($|[\s_-])`)

// matcher decides which links are articles of a source.
type matcher struct {
	patterns []*regexp.Regexp // from config; when set they alone decide
}

// article reports whether u is an article link seen from page base.
func (m matcher) article(u, base *url.URL) bool {
	if len(m.patterns) > 0 {
		for _, re := range m.patterns {
			if re.MatchString(u.String()) {
				return true
			}
		}
		return false
	}
	return sameSite(u, base) && !notArticleRe.MatchString(u.Path) &&
		articlePathRe.MatchString(u.EscapedPath()+queryPart(u))
}

func queryPart(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

// sameSite reports whether two URLs belong to one site: the same host, or
// the same registrable domain (www.x.gov.cn and xxgk.x.gov.cn).
func sameSite(a, b *url.URL) bool {
	if a.Host == b.Host {
		return true
	}
	da, errA := publicsuffix.EffectiveTLDPlusOne(a.Hostname())
	db, errB := publicsuffix.EffectiveTLDPlusOne(b.Hostname())
	return errA == nil && errB == nil && da == db
}

// resolve makes href absolute against base; it returns nil for links that
// are not http(s) pages (javascript:, mailto:, fragments).
func resolve(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return nil
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	u.Fragment = ""
	return u
}

// articleLinks returns the article links of an HTML list page, in page order.
// With a list-item selector, the links inside the selected elements count;
// otherwise the article-looking links of the main list area do: of the link
// containers (ul, ol, table, dl, else the parent block) outside page
// furniture, the one holding most of them.
func articleLinks(p *listPage, m matcher, itemSel string) []string {
	if itemSel != "" {
		var out []string
		p.doc.Find(itemSel).Each(func(_ int, s *goquery.Selection) {
			s.Find("a[href]").AddSelection(s.Filter("a[href]")).Each(func(_ int, a *goquery.Selection) {
				if u := resolve(p.url, a.AttrOr("href", "")); u != nil && (len(m.patterns) == 0 || m.article(u, p.url)) {
					out = append(out, u.String())
				}
			})
		})
		return dedupe(out)
	}
	groups := map[*html.Node][]string{}
	var order []*html.Node
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		u := resolve(p.url, a.AttrOr("href", ""))
		if u == nil || !m.article(u, p.url) || inFurniture(a) {
			return
		}
		c := container(a)
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], u.String())
	})
	var best *html.Node
	for _, c := range order {
		if best == nil || len(groups[c]) > len(groups[best]) {
			best = c
		}
	}
	return dedupe(groups[best])
}

// container is the nearest list-like ancestor of a link.
func container(a *goquery.Selection) *html.Node {
	if c := a.Closest("ul, ol, table, dl"); c.Length() > 0 {
		return c.Get(0)
	}
	if c := a.Closest("div, section, td, p"); c.Length() > 0 {
		return c.Get(0)
	}
	return nil
}

// inFurniture reports links inside navigation, headers, footers and sidebars.
func inFurniture(a *goquery.Selection) bool {
	if a.Closest("nav, header, footer, aside").Length() > 0 {
		return true
	}
	for n := a.Get(0).Parent; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		for _, at := range n.Attr {
			if (at.Key == "class" || at.Key == "id") && boilerRe.MatchString(at.Val) {
				return true
			}
		}
	}
	return false
}

func dedupe(links []string) []string {
	seen := make(map[string]bool, len(links))
	out := links[:0:0]
	for _, l := range links {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
