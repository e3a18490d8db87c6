package web

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Images in crawled bodies live on the publishing site. The pages do not load
// them (the CSP allows images from gongkai only): loading them would tell the
// outside site who reads what, and an office network without internet access
// would show broken images. offsiteImages therefore turns every <img> whose
// src is not gongkai's own (a path) or a data: URI into a link
// "图片（原网站）" to the original, named by its alt text; an image inside a
// link becomes that text alone, since links cannot nest. The API keeps the
// <img> elements: its clients decide what to load.

// offsiteImages rewrites the remote images of an HTML fragment as described
// above; it returns the fragment unchanged when it cannot be parsed.
func offsiteImages(fragment string) string {
	if !strings.Contains(strings.ToLower(fragment), "<img") {
		return fragment
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctx)
	if err != nil {
		return fragment
	}
	for _, n := range nodes {
		ctx.AppendChild(n)
	}
	replaceImages(ctx, false)
	var b strings.Builder
	for n := ctx.FirstChild; n != nil; n = n.NextSibling {
		if err := html.Render(&b, n); err != nil {
			return fragment
		}
	}
	return b.String()
}

// replaceImages replaces the remote images under n; inLink is whether n is
// inside an <a>.
func replaceImages(n *html.Node, inLink bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && c.DataAtom == atom.Img {
			if r := imageStandIn(c, inLink); r != nil {
				n.InsertBefore(r, c)
				n.RemoveChild(c)
			}
		} else {
			replaceImages(c, inLink || c.DataAtom == atom.A)
		}
		c = next
	}
}

// imageStandIn returns what replaces img, or nil when img may stay.
func imageStandIn(img *html.Node, inLink bool) *html.Node {
	var src, alt string
	for _, a := range img.Attr {
		switch a.Key {
		case "src":
			src = strings.TrimSpace(a.Val)
		case "alt":
			alt = strings.TrimSpace(a.Val)
		}
	}
	if ownImage(src) {
		return nil
	}
	text := "图片（原网站）"
	if alt != "" {
		text = "图片：" + alt + "（原网站）"
	}
	label := &html.Node{Type: html.TextNode, Data: "［" + text + "］"}
	u, err := url.Parse(src)
	if inLink || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return label
	}
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{
		{Key: "href", Val: u.String()}, {Key: "rel", Val: "noopener noreferrer"}}}
	a.AppendChild(label)
	return a
}

// ownImage reports whether src is served by gongkai itself (a path on this
// host) or inline (data:image/...), which the CSP allows.
func ownImage(src string) bool {
	lower := strings.ToLower(src)
	return strings.HasPrefix(lower, "data:image/") ||
		strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "//") && !strings.HasPrefix(src, `/\`)
}
