package extract

import (
	"net/url"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// policy is the sanitising policy of article HTML: bluemonday's UGC policy
// (no scripts, styles, iframes, event handlers or javascript: URLs). It is
// built once and only read afterwards.
var policy = bluemonday.UGCPolicy()

// lazySrc are the attributes lazy-loading pages keep the real image URL in.
var lazySrc = []string{"data-src", "data-original", "data-url", "original"}

// sanitizedHTML returns the sanitised HTML of n. It detaches the nodes in
// drop, moves lazy-loaded image URLs into src and makes links and image
// URLs absolute against base before sanitising. It changes the tree under n.
func sanitizedHTML(n *html.Node, drop map[*html.Node]bool, base *url.URL) string {
	for d := range drop {
		if d.Parent != nil && isInside(d, n) && d != n {
			d.Parent.RemoveChild(d)
		}
	}
	rewriteURLs(n, base)
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			break // only write errors, and strings.Builder has none
		}
	}
	return strings.TrimSpace(policy.Sanitize(b.String()))
}

// rewriteURLs makes href and src attributes under n absolute and gives
// lazy-loaded images a src.
func rewriteURLs(n *html.Node, base *url.URL) {
	if n.Type == html.ElementNode {
		if n.DataAtom == atom.Img {
			for _, k := range lazySrc {
				if v := attr(n, k); v != "" {
					setAttr(n, "src", v)
					break
				}
			}
		}
		for i, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" {
				if u := resolve(base, a.Val); u != nil {
					n.Attr[i].Val = u.String()
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		rewriteURLs(c, base)
	}
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}
