package extract

import (
	"net/url"
	"path"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/gongkai-project/gongkai/store"
)

// attachmentExt are the file types linked from disclosure items as
// attachments.
var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".wps": true,
	".zip": true, ".rar": true, ".et": true, ".ofd": true, ".7z": true, ".ppt": true, ".pptx": true,
}

// findAttachments returns the attachment links of the page, absolute and
// without duplicates, in page order. The name is the link text, or the file
// name when the link has no text.
func findAttachments(doc *goquery.Document, base *url.URL) []store.Attachment {
	var out []store.Attachment
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u := resolve(base, href)
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		ext := strings.ToLower(path.Ext(u.Path))
		if !attachmentExt[ext] || seen[u.String()] {
			return
		}
		seen[u.String()] = true
		name := strings.TrimSpace(textOf(s.Get(0)))
		if name == "" {
			name, _ = s.Attr("title")
		}
		if name == "" {
			name = path.Base(u.Path)
		}
		out = append(out, store.Attachment{Name: name, URL: u.String()})
	})
	return out
}

// resolve makes href absolute against base; it returns nil for links that
// cannot be parsed or are not web links.
func resolve(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return nil
	}
	u, err := url.Parse(href)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u
}
