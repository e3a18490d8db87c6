package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// knownContainers are the body containers of the CMSs government sites run
// on (TRS, Hanweb, UCAP, WeChat) and of a few large news sites, most
// specific first.
var knownContainers = []string{
	".TRS_Editor", ".TRS_UEDITOR", ".Custom_UnionStyle", "#UCAP-CONTENT", "ucapcontent",
	"#js_content", ".rich_media_content", "#zoom", "#ozoom", ".article-content",
	".article_content", "#artibody", "#endText", "#contentText", "#Cnt-Main-Article-QQ",
}

// minBodyRunes is the least text a known container must hold to be taken as
// the body.
const minBodyRunes = 30

// findBody returns the element holding the article text and says how it
// was found: the site's configured selector, the container the site
// template names or a known CMS container when it agrees with the text
// density, or the densest prose block. Templates and containers are hints,
// not rules: one is taken when it holds the densest block, or a third of
// its prose or of its text; a link list, or a block that holds less (a
// sidebar or a template block reusing the class), gives way to the density.
func findBody(doc *goquery.Document, selector string, site Template) (*html.Node, string) {
	if selector != "" {
		if n := largest(doc.Find(selector)); n != nil {
			return n, "selector"
		}
	}
	root := doc.Find("body").Get(0)
	if root == nil {
		root = doc.Get(0)
	}
	w := weights(root)
	dense := densest(root, w)
	denseLen := -1 // computed when first needed
	agrees := func(n *html.Node) bool {
		if n == nil {
			return false
		}
		l := runeLen(squeeze(textOf(n)))
		if l < minBodyRunes || linkShare(n) > 0.5 {
			return false
		}
		if isInside(dense, n) || w[n] >= 0.3*w[dense] {
			return true
		}
		if denseLen < 0 {
			denseLen = runeLen(squeeze(textOf(dense)))
		}
		return l >= denseLen/3
	}
	if n := templateBody(doc, site); agrees(n) {
		return n, "template"
	}
	for _, s := range knownContainers {
		if n := largest(doc.Find(s)); agrees(n) {
			return n, "container:" + s
		}
	}
	return dense, "density"
}

// largest returns the matched element with the most text.
func largest(sel *goquery.Selection) *html.Node {
	var best *html.Node
	bestLen := -1
	for _, n := range sel.Nodes {
		if l := len(squeeze(textOf(n))); l > bestLen {
			best, bestLen = n, l
		}
	}
	return best
}

// proseWeight scores text by how much it reads like prose: each sentence
// punctuation mark counts one, and length counts a little, but only in text
// with punctuation, so lists of names and dates weigh nothing.
func proseWeight(s string) float64 {
	w := 0.0
	n := 0
	for _, r := range s {
		n++
		if strings.ContainsRune("，。！？；、：“”,.!?;", r) {
			w++
		}
	}
	if w == 0 {
		return 0
	}
	return w + float64(n)/40
}

// weights computes the prose weight of every element under root; text
// inside links does not count.
func weights(root *html.Node) map[*html.Node]float64 {
	w := map[*html.Node]float64{}
	var walk func(n *html.Node, inLink bool) float64
	walk = func(n *html.Node, inLink bool) float64 {
		switch n.Type {
		case html.TextNode:
			if inLink {
				return 0
			}
			return proseWeight(squeeze(n.Data))
		case html.ElementNode, html.DocumentNode:
		default:
			return 0
		}
		if invisible[n.DataAtom] || (n.Type == html.ElementNode && hidden(n) && n != root) {
			return 0
		}
		link := inLink || n.DataAtom == atom.A
		sum := 0.0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			sum += walk(c, link)
		}
		w[n] = sum
		return sum
	}
	walk(root, false)
	return w
}

// densest descends from root into the child holding most of the prose,
// stopping where the prose is spread over several paragraphs: a single
// paragraph must hold 80% of its parent's prose to be taken alone.
func densest(root *html.Node, w map[*html.Node]float64) *html.Node {
	n := root
	for {
		best, bestW := bestChild(n, w)
		if best == nil || bestW < 0.6*w[n] || (bestW < 0.8*w[n] && isLeafBlock(best) && proseChildren(n, w) >= 2) ||
			hasLoosePara(n, best, w) || hasSignature(n, best) {
			return n
		}
		n = best
	}
}

// looseParaWeight is the prose weight of a paragraph that is surely part
// of the article (a sentence or two).
const looseParaWeight = 8

// hasLoosePara reports whether n holds, beside best, a paragraph of prose of
// its own: bare text or a single-paragraph element, such as a lead
// paragraph set apart from the body.
func hasLoosePara(n, best *html.Node, w map[*html.Node]float64) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c == best:
		case c.Type == html.TextNode && proseWeight(squeeze(c.Data)) >= looseParaWeight:
			return true
		case c.Type == html.ElementNode && w[c] >= looseParaWeight && isLeafBlock(c) && c.DataAtom != atom.Li:
			return true
		}
	}
	return false
}

// maxSignatureRunes is the longest closing block of a notice (the issuer
// and the date it was signed).
const maxSignatureRunes = 80

// hasSignature reports whether n holds, after best, the closing block of a
// notice: a short block of plain text with a date in it ("某某领导组
// 2018年7月9日"), which belongs to the article although it weighs little.
func hasSignature(n, best *html.Node) bool {
	after := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c == best {
			after = true
			continue
		}
		if !after || c.Type != html.ElementNode || invisible[c.DataAtom] || hidden(c) {
			continue
		}
		text := textOf(c)
		if l := runeLen(squeeze(text)); l > 0 && l <= maxSignatureRunes && linkShare(c) == 0 && len(findDates(text)) > 0 &&
			!bylineRe.MatchString(text) {
			return true
		}
	}
	return false
}

// bestChild returns the child element of n with the highest weight.
func bestChild(n *html.Node, w map[*html.Node]float64) (*html.Node, float64) {
	var best *html.Node
	bestW := 0.0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && w[c] > bestW {
			best, bestW = c, w[c]
		}
	}
	return best, bestW
}

// proseChildren counts the children of n (elements or bare text) that
// contain sentence punctuation.
func proseChildren(n *html.Node, w map[*html.Node]float64) int {
	count := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		var cw float64
		switch c.Type {
		case html.TextNode:
			cw = proseWeight(squeeze(c.Data))
		case html.ElementNode:
			cw = w[c]
		}
		if cw >= 1.5 {
			count++
		}
	}
	return count
}

// isLeafBlock reports whether n holds text but no block-level children
// with text: a single paragraph.
func isLeafBlock(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blocks[c.DataAtom] && c.DataAtom != atom.Br && strings.TrimSpace(textOf(c)) != "" {
			return false
		}
	}
	return true
}
