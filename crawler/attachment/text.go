package attachment

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"

	"github.com/gongkai-project/gongkai/crawler/encoding"
)

// plainText decodes data (UTF-8, UTF-16 with a byte order mark, or
// GB18030) as crawler/encoding does for pages.
func plainText(data []byte, out *textBuf) error {
	text, _, err := encoding.Decode(data, "text/plain")
	if err != nil {
		return fmt.Errorf("解码文本失败：%w", err)
	}
	out.WriteString(strings.ReplaceAll(text, "\r\n", "\n"))
	return nil
}

// skipped are the elements whose content is not text a reader sees.
var skipped = map[string]bool{"script": true, "style": true, "noscript": true, "template": true}

// blocks are the elements that start a new line.
var blocks = map[string]bool{
	"p": true, "div": true, "br": true, "tr": true, "li": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "table": true, "section": true, "article": true, "title": true,
	"ul": true, "ol": true, "dt": true, "dd": true, "pre": true, "blockquote": true, "hr": true,
}

// htmlText decodes data by its charset declaration and writes its visible
// text: blocks and table rows on their own lines, cells separated by tabs.
func htmlText(data []byte, out *textBuf) error {
	text, _, err := encoding.Decode(data, "text/html")
	if err != nil {
		return fmt.Errorf("解码 HTML 失败：%w", err)
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return fmt.Errorf("解析 HTML 失败：%w", err)
	}
	var line bytes.Buffer
	flush := func() {
		cells := strings.Split(line.String(), "\t")
		for i, c := range cells {
			cells[i] = strings.Join(strings.Fields(c), " ")
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) > 0 {
			out.WriteString(strings.Join(cells, "\t") + "\n")
		}
		line.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && skipped[n.Data] {
			return
		}
		if n.Type == html.TextNode {
			line.WriteString(n.Data)
		}
		block := n.Type == html.ElementNode && blocks[n.Data]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil && !out.full(); c = c.NextSibling {
			walk(c)
			if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
				line.WriteString("\t")
			}
		}
		if block {
			flush()
		}
	}
	walk(doc)
	flush()
	return nil
}
