// Package wechat reads the archives of WeChat official accounts: a file of
// article URLs, a folder of saved article pages, an RSS/Atom feed and the
// JSON archive exporters write. None of them uses the official-account
// backend's listing routes; the articles themselves are fetched and
// extracted by the crawl loop.
package wechat

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/url"
	"os"
	"strings"
	"time"

	"gongkai/config"
	"gongkai/crawler/fetch"
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

// Key identifies the article an item points at: "wx:<biz>:<mid>:<idx>"
// (the document ID extraction gives) when its URL carries them, else the
// URL or file. Items with the same key are one article.
func (it Item) Key() string {
	if it.URL == "" {
		return "file:" + it.File
	}
	if id := IDFromURL(it.URL); id != "" {
		return id
	}
	return it.URL
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

// Items returns the articles source src lists, in archive order, without
// duplicates (same biz, mid and idx).
func Items(ctx context.Context, f *fetch.Fetcher, src config.Source) ([]Item, error) {
	var items []Item
	var err error
	switch src.Kind {
	case config.KindWeChatFolder:
		items, err = folderItems(src.Path)
	case config.KindWeChatURLs, config.KindWeChatFeed, config.KindWeChatJSON:
		var data []byte
		if data, err = readSource(ctx, f, src); err != nil {
			return nil, err
		}
		items, err = parseList(src.Kind, data)
	default:
		return nil, fmt.Errorf("source %s: kind %q is not a WeChat archive", src.Name, src.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	return dedupe(items), nil
}

func parseList(kind string, data []byte) ([]Item, error) {
	switch kind {
	case config.KindWeChatURLs:
		return urlItems(data), nil
	case config.KindWeChatFeed:
		return feedItems(data)
	}
	return jsonItems(data)
}

// readSource reads a source's list from its local path or, failing that, its URL.
func readSource(ctx context.Context, f *fetch.Fetcher, src config.Source) ([]byte, error) {
	if src.Path != "" {
		data, err := os.ReadFile(src.Path)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src.Name, err)
		}
		return data, nil
	}
	if src.URL == "" {
		return nil, fmt.Errorf("source %s: neither path nor url is set", src.Name)
	}
	resp, err := f.Get(ctx, src.URL, fetch.Conditional{})
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	return resp.Body, nil
}

// urlItems reads one URL per line; blank lines and # comments are skipped.
func urlItems(data []byte) []Item {
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

func dedupe(items []Item) []Item {
	seen := map[string]bool{}
	out := items[:0]
	for _, it := range items {
		if k := it.Key(); !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
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
