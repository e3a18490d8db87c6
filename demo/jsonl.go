package demo

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/gongkai-project/gongkai/store"
)

// Document is the item as a store document: the fields a complete crawl of
// the sites should store (HTML, hashes and fetch times aside). Meta holds
// 有效性, and village, kind and author where set.
func (it *Item) Document() store.Document {
	d := store.Document{
		ID: it.ID, URL: it.URL, Channel: it.Channel, Column: it.Column, Title: it.Title, Body: it.Body,
		Published: it.Published, Written: it.Written, Publisher: it.Publisher, DocNumber: it.DocNumber,
		IndexNumber: it.IndexNumber, Subject: it.Subject, Category: it.Category, Genre: it.Genre,
		Attachments: it.Attachments, Status: store.StatusLive, Source: it.source(),
	}
	if d.URL == "" {
		d.URL = it.Path
	}
	for k, v := range map[string]string{"有效性": it.Validity, "village": it.Village, "kind": it.Kind, "author": it.Author} {
		if v != "" {
			if d.Meta == nil {
				d.Meta = map[string]string{}
			}
			d.Meta[k] = v
		}
	}
	return d
}

// source is the name of the demo config source the item comes from.
func (it *Item) source() string {
	switch {
	case it.wx != nil:
		return SourceWeChat
	case it.col != nil && it.col.Style == styleTRS:
		return SourceTRS
	}
	return SourceHanweb
}

// WriteJSONL writes every document as one gongkai JSONL line (the format
// `gongkai ingest` reads), oldest first. URLs are paths until Serve fills them.
func (t *Township) WriteJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range t.Items {
		if err := enc.Encode(t.Items[i].Document()); err != nil {
			return fmt.Errorf("write document %s: %w", t.Items[i].ID, err)
		}
	}
	return nil
}
