package extract

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Template is what extraction learned of one site's article pages: the
// container that held the body and the label the publication date stood
// under (empty when the date had none). Pages of a site share a template, so the crawler keeps one per
// host and hands it back for the site's next pages.
type Template struct {
	Body      string `json:"body,omitempty"`       // CSS selector of the body container
	DateLabel string `json:"date_label,omitempty"` // the label before the date, or "meta:NAME"
}

// IsZero reports whether t holds nothing.
func (t Template) IsZero() bool { return t.Body == "" && t.DateLabel == "" }

// minLearnRunes is the least body text of a page a template is learned from.
const minLearnRunes = 200

// cssIdentRe matches ids and classes usable in a selector; generated ones
// full of digits are left out, as they differ from page to page.
var cssIdentRe = regexp.MustCompile(`^[A-Za-z][A-Za-z_-]*[0-9]{0,2}[A-Za-z_-]*$`)

// learn returns the template a cleanly extracted page supports: the body
// container as a selector that finds it again, and the date label. It
// returns nil when the page has no title, no date or too little body, or
// its body container cannot be named.
func learn(doc *goquery.Document, body *html.Node, bodyFrom string, site Template, a *Article) *Template {
	if a.Kind == KindError || a.Title == "" || a.Published.IsZero() || runeLen(squeeze(a.Body)) < minLearnRunes {
		return nil
	}
	sel := ""
	switch {
	case strings.HasPrefix(bodyFrom, "container:"):
		sel = strings.TrimPrefix(bodyFrom, "container:")
	case bodyFrom == "template":
		sel = site.Body
	case bodyFrom == "density":
		sel = selectorFor(body)
	}
	if sel == "" || largest(doc.Find(sel)) != body {
		return nil
	}
	return &Template{Body: sel, DateLabel: a.dateLabel}
}

// selectorFor names n by its id or first class, or returns "".
func selectorFor(n *html.Node) string {
	if n == nil || n.Type != html.ElementNode {
		return ""
	}
	if id := attr(n, "id"); cssIdentRe.MatchString(id) {
		return n.Data + "#" + id
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if cssIdentRe.MatchString(c) {
			return n.Data + "." + c
		}
	}
	return ""
}

// templateBody returns the element the site template names as the body,
// or nil when it does not match or holds too little prose to be the body.
func templateBody(doc *goquery.Document, t Template) *html.Node {
	if t.Body == "" {
		return nil
	}
	n := largest(doc.Find(t.Body))
	if n == nil || runeLen(squeeze(textOf(n))) < minBodyRunes || proseWeight(squeeze(textOf(n))) < looseParaWeight {
		return nil
	}
	return n
}
