package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// page is one rendered response.
type page struct {
	body  []byte
	ctype string
	mod   time.Time // Last-Modified
	etag  string
}

// Content types of the served pages and files.
const (
	ctypeHTML = "text/html; charset=utf-8"
	ctypeGBK  = "text/html; charset=gb2312"
	ctypeText = "text/plain; charset=utf-8"
	ctypeXML  = "text/xml; charset=utf-8"
	ctypeRSS  = "application/rss+xml; charset=utf-8"
)

var fileTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

func newPage(body []byte, ctype string, mod time.Time) *page {
	sum := sha256.Sum256(body)
	return &page{body: body, ctype: ctype, mod: mod, etag: `"` + hex.EncodeToString(sum[:10]) + `"`}
}

// htmlPage makes a page of s, encoded in GBK when gbk is set.
func htmlPage(s string, gbk bool, mod time.Time) (*page, error) {
	if !gbk {
		return newPage([]byte(s), ctypeHTML, mod), nil
	}
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("encode page in GBK: %w", err)
	}
	return newPage(b, ctypeGBK, mod), nil
}

var esc = html.EscapeString

// charsetMeta is the charset declaration of a page.
func charsetMeta(gbk bool) string {
	if gbk {
		return `<meta charset="gb2312">`
	}
	return `<meta charset="utf-8">`
}

// standardMeta writes the standard meta tags of an article page.
func standardMeta(b *strings.Builder, it *Item) {
	for _, kv := range [][2]string{
		{"SiteName", SiteName}, {"SiteIDCode", "1399000017"}, {"ColumnName", it.Column},
		{"ColumnType", it.Category}, {"ArticleTitle", it.Title},
		{"PubDate", it.Published.Format("2006-01-02 15:04")}, {"ContentSource", it.Publisher},
		{"Keywords", it.Category},
	} {
		fmt.Fprintf(b, "<meta name=\"%s\" content=\"%s\">\n", kv[0], esc(kv[1]))
	}
}

// paragraphs writes the body paragraphs.
func paragraphs(b *strings.Builder, paras []string) {
	for _, p := range paras {
		fmt.Fprintf(b, "<p style=\"text-indent:2em;\">%s</p>\n", esc(p))
	}
}

// attachmentLinks writes the attachment list with hrefs made by href.
func attachmentLinks(b *strings.Builder, it *Item, href func(attachment) string) {
	if len(it.attFiles) == 0 {
		return
	}
	b.WriteString("<div class=\"attachments\">附件：<ul>\n")
	for _, a := range it.attFiles {
		fmt.Fprintf(b, "<li><a href=\"%s\">%s</a></li>\n", esc(href(a)), esc(a.Name))
	}
	b.WriteString("</ul></div>\n")
}

// portalHeader opens a portal page: head, site header and column navigation.
func (t *Township) portalHeader(b *strings.Builder, title string, gbk bool, head func(*strings.Builder)) {
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n")
	b.WriteString(charsetMeta(gbk) + "\n")
	if head != nil {
		head(b)
	}
	fmt.Fprintf(b, "<title>%s</title>\n</head>\n<body>\n", esc(title))
	fmt.Fprintf(b, "<div class=\"header\"><a href=\"/\">%s</a></div>\n<div class=\"nav\"><a href=\"/\">首页</a>", SiteName)
	for _, c := range t.columns {
		fmt.Fprintf(b, " | <a href=\"%s\">%s</a>", c.listPath(), c.Name)
	}
	b.WriteString("</div>\n")
}

func portalFooter(b *strings.Builder) {
	fmt.Fprintf(b, "<div class=\"footer\">主办：%s　网站标识码：1399000017　地址：%s%s人民路1号　电话：0319-5862017</div>\n</body>\n</html>\n",
		SiteName, CountyName, TownName)
}
