package wechat

import (
	"strings"

	"gongkai/crawler/extract"
	"gongkai/store"
)

// Fill completes a document extracted from an item's page with what the
// archive knows and the page did not tell: title, date, author and the
// account name (the source's account setting).
func Fill(d *store.Document, it Item, account string) {
	if strings.TrimSpace(d.Title) == "" {
		d.Title = it.Title
	}
	if d.Published.IsZero() {
		d.Published = it.Published
	}
	if d.Column == "" {
		d.Column = account
	}
	if d.Publisher == "" {
		d.Publisher = d.Column
	}
	if it.Author != "" && d.Meta[extract.LabelAuthor] == "" {
		if d.Meta == nil {
			d.Meta = map[string]string{}
		}
		d.Meta[extract.LabelAuthor] = it.Author
	}
}
