package extract

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	titleClassRe = regexp.MustCompile(`(?i)title|headline|biaoti|(^|[-_\s])(bt|tit|tt|h1)([-_\s]|$)|subject`)
	bylineRe     = regexp.MustCompile(`(来源|作者|发布|时间|日期|浏览|点击|编辑|记者)\s*[:：]`)
)

// headline is a candidate visible headline: an element, or (node nil) the
// first line of the body.
type headline struct {
	node  *html.Node
	line  int
	text  string
	score float64
}

// titleHints are strings the headline is expected to appear in: the
// <title>, og:title and the ArticleTitle meta.
func titleHints(p *page) []string {
	var hints []string
	for _, h := range []string{p.titleTag, p.meta["og:title"], p.meta["ArticleTitle"]} {
		if h = squeeze(h); h != "" {
			hints = append(hints, h)
		}
	}
	return hints
}

// findHeadline scores the short emphasised text blocks before the body and
// returns the most headline-like one, or nil.
func findHeadline(p *page) *headline {
	hints := titleHints(p)
	bodyStart := p.start[p.body]
	var best *headline
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type != html.ElementNode {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
			return
		}
		if invisible[n.DataAtom] || hidden(n) || (n.DataAtom == atom.A && !titleClass(n)) {
			return
		}
		if h := scoreHeadline(p, n, hints, bodyStart); h != nil && (best == nil || h.score >= best.score) {
			best = h
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(p.root)
	if h := firstBodyLine(p, hints); h != nil && (best == nil || h.score > best.score) {
		best = h
	}
	return best
}

// firstBodyLine rates the body's first line as the headline when it is a
// short line above the prose, as on blogs that repeat the title there.
func firstBodyLine(p *page, hints []string) *headline {
	i := p.start[p.body]
	if i+1 >= len(p.lines) {
		return nil
	}
	text := p.lines[i].text
	l := runeLen(squeeze(text))
	if l < 4 || l > 40 || runeLen(p.lines[i+1].text) < 2*l {
		return nil
	}
	h := &headline{line: i, text: trimTitle(text), score: 4}
	if l >= 8 {
		h.score++
	}
	if matchesHint(squeeze(text), hints) {
		h.score += 8
	}
	if bylineRe.MatchString(text) || len(findDates(text)) > 0 {
		h.score -= 6
	}
	return h
}

// scoreHeadline rates element n as the page headline; nil means it cannot be.
func scoreHeadline(p *page, n *html.Node, hints []string, bodyStart int) *headline {
	pos, ok := p.start[n]
	if !ok || pos > bodyStart+2 || pos < bodyStart-60 || p.end[n]-pos > 2 {
		return nil
	}
	text := textOf(n)
	sq := squeeze(text)
	l := runeLen(sq)
	if l < 4 || l > 120 || (linkShare(n) > 0.5 && n.DataAtom != atom.A && !titleClass(n)) {
		return nil
	}
	d := bodyStart - pos
	if d < 0 {
		d = 0
	}
	score := tagScore(n)
	if score == 0 && !matchesHint(sq, hints) && (d > 3 || !blocks[n.DataAtom]) {
		return nil
	}
	if l >= 8 && l <= 50 {
		score++
	}
	if matchesHint(sq, hints) {
		score += 8 + 4*float64(l)/float64(maxHintLen(hints))
	}
	if bylineRe.MatchString(text) || len(findDates(text)) > 0 {
		score -= 6
	}
	if l > 60 {
		score -= 2
	}
	score += 4 - float64(min(d, 20))/2
	if p.body != nil && isInside(n, p.body) && pos > bodyStart {
		score -= 2
	}
	return &headline{node: n, line: pos, text: trimTitle(text), score: score}
}

// tagScore rates how strongly an element's markup says "headline".
func tagScore(n *html.Node) float64 {
	s := 0.0
	switch n.DataAtom {
	case atom.H1:
		s = 6
	case atom.H2:
		s = 5
	case atom.H3:
		s = 4
	case atom.H4, atom.H5:
		s = 3
	case atom.B, atom.Strong, atom.Big:
		s = 2
	case atom.Font:
		if sz, err := strconv.Atoi(strings.TrimPrefix(attr(n, "size"), "+")); err == nil && sz >= 3 {
			s = 2
		}
	}
	if titleClass(n) {
		s += 4
	}
	if strings.EqualFold(attr(n, "align"), "center") || n.DataAtom == atom.Center {
		s += 0.5
	}
	return s
}

func matchesHint(sq string, hints []string) bool {
	for _, h := range hints {
		if strings.Contains(h, sq) {
			return true
		}
	}
	return false
}

func maxHintLen(hints []string) int {
	m := 1
	for _, h := range hints {
		m = max(m, runeLen(h))
	}
	return m
}

// linkShare is the share of n's text that sits inside links.
func linkShare(n *html.Node) float64 {
	total, linked := 0, 0
	var walk func(c *html.Node, in bool)
	walk = func(c *html.Node, in bool) {
		if c.Type == html.TextNode {
			l := len(squeeze(c.Data))
			total += l
			if in {
				linked += l
			}
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			walk(k, in || c.DataAtom == atom.A)
		}
	}
	walk(n, false)
	if total == 0 {
		return 0
	}
	return float64(linked) / float64(total)
}

// isInside reports whether n is anc or one of its descendants.
func isInside(n, anc *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// titleClass reports whether n's class or id names it a title.
func titleClass(n *html.Node) bool {
	return titleClassRe.MatchString(attr(n, "class")) || titleClassRe.MatchString(attr(n, "id"))
}

// trimTitle removes the separators some blogs hang on their headlines
// ("标题- -").
func trimTitle(t string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t), " -_|｜·»"))
}
