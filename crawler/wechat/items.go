// Package wechat reads the archives of WeChat official accounts: a file of
// article URLs, a folder of saved article pages and the JSON archive
// exporters write (feeds are read by package crawler/feed). None of them
// uses the official-account backend's listing routes; the articles
// themselves are fetched and extracted by the crawl loop.
package wechat

import (
	"bytes"
	"html"
	"net/url"
	"strings"
	"time"
)

// Item is one article an archive lists.
type Item struct {
	URL       string    // article page to fetch; empty for saved pages
	File      string    // saved page (folder sources)
	Title     string    // as the archive gives it, used where the page tells none
	Published time.Time // as the archive gives it
	Author    string
	Digest    string
	Cover     string
}

// IDFromURL returns "wx:<biz>:<mid>:<idx>" for a long-form article URL
// (…/s?__biz=…&mid=…&idx=…), or "" when the URL does not carry them.
func IDFromURL(raw string) string {
	u, err := url.Parse(html.UnescapeString(strings.TrimSpace(raw)))
	if err != nil {
		return ""
	}
	q := u.Query()
	biz, mid, idx := q.Get("__biz"), firstOf(q.Get("mid"), q.Get("appmsgid")), firstOf(q.Get("idx"), q.Get("itemidx"))
	if biz == "" || mid == "" {
		return ""
	}
	return "wx:" + biz + ":" + mid + ":" + firstOf(idx, "1")
}

// URLList reads one URL per line; blank lines and # comments are skipped.
func URLList(data []byte) []Item {
	var out []Item
	for line := range strings.Lines(string(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, Item{URL: html.UnescapeString(line)})
	}
	return out
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
