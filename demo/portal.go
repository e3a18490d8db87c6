package demo

import (
	"fmt"
	"strings"
	"time"
)

// robotsTxt keeps crawlers out of the internal pages.
const robotsTxt = "User-agent: *\nDisallow: /internal/\n"

// portalPages renders every page and file of the portal, keyed by path. The
// pages do not depend on the listener's address.
func (t *Township) portalPages() (map[string]*page, error) {
	pages := map[string]*page{}
	for _, c := range t.columns {
		var err error
		if c.Style == styleTRS {
			err = t.trsPages(c, pages)
		} else {
			err = t.hanwebPages(c, pages)
		}
		if err != nil {
			return nil, err
		}
	}
	home := newPage([]byte(t.homepage()), ctypeHTML, t.newestPortal())
	pages["/"], pages["/index.html"] = home, home
	since := date(t.Options.FromYear, 1, 1)
	pages["/robots.txt"] = newPage([]byte(robotsTxt), ctypeText, since)
	for _, p := range internalPaths {
		pages[p] = newPage([]byte(t.internalPage(p)), ctypeHTML, since)
	}
	return pages, nil
}

// newestPortal is the publication time of the newest portal item.
func (t *Township) newestPortal() time.Time {
	newest := date(t.Options.FromYear, 1, 1)
	for i := range t.Items {
		if it := &t.Items[i]; it.col != nil {
			newest = later(newest, it.Published)
		}
	}
	return newest
}

// homepage links every column and lists the newest items of some.
func (t *Township) homepage() string {
	var b strings.Builder
	t.portalHeader(&b, SiteName, false, func(b *strings.Builder) {
		fmt.Fprintf(b, "<meta name=\"SiteName\" content=\"%s\">\n<meta name=\"SiteIDCode\" content=\"1399000017\">\n", SiteName)
	})
	for _, c := range t.columns {
		if c.Name != "工作动态" && c.Name != "通知公告" && c.Name != "村务公开" {
			continue
		}
		fmt.Fprintf(&b, "<div class=\"block\"><h2><a href=\"%s\">%s</a></h2>\n<ul>\n", c.listPath(), c.Name)
		for _, it := range c.items[:min(8, len(c.items))] {
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a><span>%s</span></li>\n", it.Path, esc(it.Title), it.Published.Format("2006-01-02"))
		}
		b.WriteString("</ul></div>\n")
	}
	b.WriteString("<div class=\"block\"><h2>政府信息公开</h2><ul>\n")
	for _, c := range t.columns {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", c.listPath(), c.Name)
	}
	fmt.Fprintf(&b, "</ul></div>\n<div class=\"links\">政务微信：%s　<a href=\"/internal/index.html\">内部办公</a></div>\n", AccountName)
	portalFooter(&b)
	return b.String()
}

// internalPage is a page robots.txt forbids.
func (t *Township) internalPage(path string) string {
	var b strings.Builder
	t.portalHeader(&b, "内部办公系统_"+SiteName, false, nil)
	b.WriteString("<div class=\"internal\"><h1>内部办公系统</h1>\n<p>本页面仅供镇机关内部使用，请勿转载。</p>\n")
	if path == internalPaths[0] {
		b.WriteString("<p><a href=\"/internal/draft.html\">内部审核稿</a></p>\n")
	}
	b.WriteString("</div>\n")
	portalFooter(&b)
	return b.String()
}
