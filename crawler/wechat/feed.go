package wechat

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/mmcdole/gofeed"

	"gongkai/store"
)

// feedItems reads the article links of an RSS, Atom or JSON feed. A feed
// only lists: items carrying full content are still fetched from their page.
func feedItems(data []byte) ([]Item, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	var out []Item
	for _, fi := range feed.Items {
		link := strings.TrimSpace(html.UnescapeString(fi.Link))
		if link == "" && len(fi.Links) > 0 {
			link = strings.TrimSpace(fi.Links[0])
		}
		if link == "" {
			continue
		}
		it := Item{URL: link, Title: strings.TrimSpace(fi.Title), Digest: strings.TrimSpace(fi.Description)}
		switch {
		case fi.PublishedParsed != nil:
			it.Published = fi.PublishedParsed.In(store.Beijing)
		case fi.UpdatedParsed != nil:
			it.Published = fi.UpdatedParsed.In(store.Beijing)
		}
		if len(fi.Authors) > 0 && fi.Authors[0] != nil {
			it.Author = fi.Authors[0].Name
		}
		if fi.Image != nil {
			it.Cover = fi.Image.URL
		}
		out = append(out, it)
	}
	return out, nil
}
