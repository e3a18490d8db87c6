// Package feed reads RSS, Atom and JSON Feed documents (gofeed parses all
// three) into entries, and tells the entries that carry a document's full
// text from those that carry only a summary.
package feed

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"github.com/gongkai-project/gongkai/store"
)

// Entry is one item of a feed.
type Entry struct {
	Link       string
	Title      string
	Published  time.Time // in Beijing time; zero when the feed tells none
	Author     string
	Summary    string // the description, as HTML
	Content    string // the full content (content:encoded, Atom content, content_html), as HTML
	Categories []string
}

// Parse reads a feed. Entries without a link are left out: there is
// nothing to identify them by.
func Parse(data []byte) (title string, entries []Entry, err error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return "", nil, fmt.Errorf("parse feed: %w", err)
	}
	for _, fi := range f.Items {
		link := strings.TrimSpace(html.UnescapeString(fi.Link))
		if link == "" && len(fi.Links) > 0 {
			link = strings.TrimSpace(fi.Links[0])
		}
		if link == "" {
			continue
		}
		e := Entry{Link: link, Title: strings.TrimSpace(fi.Title), Summary: strings.TrimSpace(fi.Description),
			Content: strings.TrimSpace(fi.Content), Categories: fi.Categories}
		switch {
		case fi.PublishedParsed != nil:
			e.Published = beijing(fi.Published, *fi.PublishedParsed)
		case fi.UpdatedParsed != nil:
			e.Published = beijing(fi.Updated, *fi.UpdatedParsed)
		}
		if len(fi.Authors) > 0 && fi.Authors[0] != nil {
			e.Author = strings.TrimSpace(fi.Authors[0].Name)
		}
		entries = append(entries, e)
	}
	return strings.TrimSpace(f.Title), entries, nil
}

// zoned matches a date that ends in a zone: Z, +08:00, +0800, GMT, CST.
var zoned = regexp.MustCompile(`(?:Z|[+-]\d\d:?\d\d|\b[A-Z]{2,5})\s*$`)

// beijing returns the parsed date in Beijing time. A date written without
// a zone (2015-11-20 16:30:00, as Chinese CMS feeds write them) is
// Beijing time, where gofeed reads it as UTC.
func beijing(raw string, t time.Time) time.Time {
	if !zoned.MatchString(strings.TrimSpace(raw)) {
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), store.Beijing)
	}
	return t.In(store.Beijing)
}

// MinFullText is the length in characters (of text, markup aside) from
// which a plain-text entry counts as the document rather than a summary.
// Summaries that CMS feeds write are a sentence or two of plain text.
const MinFullText = 200

// block matches the markup of a document's body: paragraphs, breaks,
// images, tables.
var block = regexp.MustCompile(`(?i)<(p|div|br|img|table|section|h[1-6])[\s/>]`)

// FullText returns the entry's full document as HTML, or "" when the feed
// carries only a summary. The content (or, as RSSHub and many CMS feeds
// write it, the description) counts when it does not end in an ellipsis
// and is either marked-up text or at least MinFullText characters long.
func (e Entry) FullText() string {
	for _, h := range []string{e.Content, e.Summary} {
		text := Text(h)
		if text == "" || truncated(text) {
			continue
		}
		if block.MatchString(h) || utf8.RuneCountInString(text) >= MinFullText {
			return h
		}
	}
	return ""
}

// truncated reports text cut off with an ellipsis or a "read more" link.
func truncated(text string) bool {
	for _, end := range []string{"...", "…", "阅读全文", "查看全文", "阅读原文"} {
		if strings.HasSuffix(text, end) {
			return true
		}
	}
	return false
}

// Text is the text of an HTML fragment, with runs of space collapsed.
func Text(fragment string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(fragment))
	if err != nil { // reading from a string does not fail
		return ""
	}
	doc.Find("script, style").Remove()
	return strings.Join(strings.Fields(doc.Text()), " ")
}

// Page wraps an entry's full text in an HTML page for the extractor, with
// the title and date as a portal page gives them in its meta tags.
func (e Entry) Page(body string) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>")
	b.WriteString(html.EscapeString(e.Title))
	b.WriteString("</title>\n<meta name=\"ArticleTitle\" content=\"")
	b.WriteString(html.EscapeString(e.Title))
	b.WriteString("\">\n")
	if !e.Published.IsZero() {
		b.WriteString("<meta name=\"PubDate\" content=\"" + e.Published.Format("2006-01-02 15:04") + "\">\n")
	}
	if e.Author != "" {
		b.WriteString("<meta name=\"author\" content=\"" + html.EscapeString(e.Author) + "\">\n")
	}
	b.WriteString("</head><body><h1>")
	b.WriteString(html.EscapeString(e.Title))
	b.WriteString("</h1>\n<div class=\"article-content\">\n")
	b.WriteString(body)
	b.WriteString("\n</div></body></html>\n")
	return []byte(b.String())
}
