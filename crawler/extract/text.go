package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// invisible are elements whose content is never part of the visible text.
var invisible = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Head: true,
	atom.Title: true, atom.Select: true, atom.Textarea: true, atom.Svg: true,
	atom.Math: true, atom.Button: true, atom.Canvas: true, atom.Audio: true, atom.Video: true,
}

// blocks are elements that start a new line of text.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Center: true, atom.Dd: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tr: true, atom.Ul: true,
	atom.Caption: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.Body: true, atom.Html: true,
}

// line is one line of visible text and the block element it belongs to.
type line struct {
	text  string
	block *html.Node
}

// renderer turns a DOM subtree into lines of visible text. Table cells are
// separated by a tab within their row's line.
type renderer struct {
	lines []line
	cur   strings.Builder
	block *html.Node
	skip  map[*html.Node]bool
	// start and end hold, for every element visited, the index of the
	// first line it contributes to and the index after its last line.
	start, end map[*html.Node]int
}

func newRenderer(skip map[*html.Node]bool, positions bool) *renderer {
	r := &renderer{skip: skip}
	if positions {
		r.start, r.end = map[*html.Node]int{}, map[*html.Node]int{}
	}
	return r
}

// render walks n and returns the lines of its visible text.
func (r *renderer) render(n *html.Node) []line {
	r.walk(n, true)
	r.flush()
	return r.lines
}

func (r *renderer) walk(n *html.Node, root bool) {
	switch n.Type {
	case html.TextNode:
		r.cur.WriteString(n.Data)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	if n.Type == html.ElementNode && (invisible[n.DataAtom] || r.skip[n] || (!root && hidden(n))) {
		return
	}
	isBlock := blocks[n.DataAtom]
	if isBlock {
		r.flush()
		r.block = n
	}
	if r.start != nil {
		r.start[n] = len(r.lines)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c, false)
	}
	switch {
	case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
		r.cur.WriteByte('\t')
	case isBlock:
		r.flush()
	}
	if r.end != nil {
		r.end[n] = len(r.lines) + boolInt(r.cur.Len() > 0)
	}
}

// flush ends the current line.
func (r *renderer) flush() {
	t := cleanLine(r.cur.String())
	r.cur.Reset()
	if t != "" {
		r.lines = append(r.lines, line{text: t, block: r.block})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cleanLine collapses runs of whitespace (keeping tabs as cell separators)
// and trims the line.
func cleanLine(s string) string {
	var b strings.Builder
	space, tab := false, false
	for _, r := range s {
		switch {
		case r == '\t':
			tab = true
		case unicode.IsSpace(r) || isZeroWidth(r):
			space = true
		default:
			if tab && b.Len() > 0 {
				b.WriteByte('\t')
			} else if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space, tab = false, false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
}

// hiddenClasses are the class names CSS frameworks and CMS templates hide
// blocks with (dialogs, tab panes and templates a script shows later).
var hiddenClasses = map[string]bool{"hidden": true, "hide": true, "d-none": true, "is-hidden": true,
	"display-none": true, "invisible": true}

// hidden reports whether an element is hidden: by an inline display:none
// or visibility:hidden, the hidden attribute, or a hiding class.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "hidden" {
			return true
		}
		if a.Key == "class" {
			for _, c := range strings.Fields(strings.ToLower(a.Val)) {
				if hiddenClasses[c] {
					return true
				}
			}
		}
	}
	st := strings.ToLower(attr(n, "style"))
	if st == "" {
		return false
	}
	st = strings.ReplaceAll(st, " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// attr returns the value of attribute key of n, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf returns the visible text of n on one line, whitespace collapsed.
func textOf(n *html.Node) string {
	lines := newRenderer(nil, false).render(n)
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = strings.ReplaceAll(l.text, "\t", " ")
	}
	return strings.Join(parts, " ")
}

// squeeze removes every whitespace and zero-width character from s.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isZeroWidth(r) {
			return -1
		}
		return r
	}, s)
}

// runeLen is the number of characters in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
