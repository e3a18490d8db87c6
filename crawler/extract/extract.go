package extract

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/encoding"
)

// page is a parsed page and what is known about its layout.
type page struct {
	doc        *goquery.Document
	root       *html.Node
	base       *url.URL
	meta       map[string]string
	rawMeta    map[string]string // every meta name, lower-cased, to its first value
	crumbs     map[string]bool   // steps of the page's breadcrumbs but the last, spaces removed; nil until needed
	titleTag   string
	lines      []line
	text       string // the visible text on one line (visibleText of lines)
	start, end map[*html.Node]int
	body       *html.Node
}

// Extract decodes raw (using the Content-Type header value, which may be
// empty) and extracts the article it shows. Pages that show no article
// (expired or deleted WeChat links, verification and error pages) come back
// as Kind "error" with a Reason and no body. The selectors override the
// defaults for one site. err is non-nil only when the page cannot be parsed.
func Extract(pageURL string, raw []byte, contentType string, sel config.Selectors) (*Article, error) {
	return ExtractWith(pageURL, raw, contentType, sel, Template{})
}

// ExtractWith is Extract with the template learned from other pages of the
// site: its body container and date label are tried first, and the
// general method takes over where they fail. The article says whether the
// template was used, and which template it supports (Learned).
func ExtractWith(pageURL string, raw []byte, contentType string, sel config.Selectors, site Template) (*Article, error) {
	text, cs, err := encoding.Decode(raw, contentType)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("extract %s: parse html: %w", pageURL, err)
	}
	p := newPage(pageURL, doc)
	a := &Article{Kind: KindArticle, URL: pageURL, Charset: cs, Meta: map[string]string{}}
	if base, err := url.Parse(pageURL); err == nil && pageURL != "" {
		a.URL = CanonicalURL(base.String())
	}
	if reason := failureReason(doc, p.text); reason != "" {
		return failed(a, reason), nil
	}
	if isWeChat(p.base, doc) {
		extractWeChat(p, a)
		p.body, a.BodyFrom = largest(doc.Find("#js_content, .rich_media_content")), "container:#js_content"
		if p.body == nil {
			return failed(a, ReasonNotArticle), nil
		}
		finish(p, a, nil)
		readValidity(p, a)
		return a, nil
	}
	p.body, a.BodyFrom = findBody(doc, sel.Body, site)
	skip := extractPortal(p, a, sel, site)
	finish(p, a, skip)
	if notArticle(doc, p.body, a.Body, len(a.Attachments)) {
		return failed(a, ReasonNotArticle), nil
	}
	readValidity(p, a)
	a.UsedTemplate = a.BodyFrom == "template" || (site.DateLabel != "" && a.dateLabel == site.DateLabel)
	a.Learned = learn(doc, p.body, a.BodyFrom, site, a)
	return a, nil
}

// failed turns a into an error record that carries no content.
func failed(a *Article, reason string) *Article {
	return &Article{Kind: KindError, Reason: reason, URL: a.URL, Charset: a.Charset}
}

// newPage parses the page's base URL, meta tags and visible text lines.
func newPage(pageURL string, doc *goquery.Document) *page {
	p := &page{doc: doc, root: doc.Get(0), meta: readMeta(doc), rawMeta: readRawMeta(doc)}
	p.base, _ = url.Parse(pageURL)
	if href, ok := doc.Find("base[href]").Attr("href"); ok {
		if b := resolve(p.base, href); b != nil {
			p.base = b
		}
	}
	p.titleTag = strings.TrimSpace(doc.Find("title").First().Text())
	r := newRenderer(nil, true)
	p.lines = r.render(p.root)
	p.text = visibleText(p.lines)
	p.start, p.end = r.start, r.end
	return p
}

// visibleText is the text of lines on one line.
func visibleText(lines []line) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.text
	}
	return strings.Join(parts, " ")
}

// finish fills the body text, sanitised HTML and attachments from p.body,
// leaving out the nodes in skip.
func finish(p *page, a *Article, skip map[*html.Node]bool) {
	lines := newRenderer(skip, false).render(p.body)
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = strings.ReplaceAll(l.text, "\t", " ")
	}
	a.Body = strings.Join(parts, "\n")
	a.Attachments = findAttachments(p.doc, p.base)
	a.HTML = sanitizedHTML(p.body, skip, p.base)
}
