package wechat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// exported is one article as archive exporters write it.
type exported struct {
	Title      string          `json:"title"`
	Link       string          `json:"link"`
	URL        string          `json:"url"`         // some exporters
	ContentURL string          `json:"content_url"` // the backend's field name
	CreateTime json.RawMessage `json:"create_time"` // Unix seconds, as a number or a string, or a date
	Digest     string          `json:"digest"`
	AuthorName string          `json:"author_name"`
	Cover      string          `json:"cover"`
}

// ExporterJSON reads exporter JSON: an array of articles or one per line (JSONL).
func ExporterJSON(data []byte) ([]Item, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
	var recs []exported
	if bytes.HasPrefix(data, []byte("[")) {
		if err := json.Unmarshal(data, &recs); err != nil {
			return nil, fmt.Errorf("parse exporter JSON: %w", err)
		}
	} else {
		for i, line := range bytes.Split(data, []byte("\n")) {
			if line = bytes.TrimSpace(line); len(line) == 0 {
				continue
			}
			var r exported
			if err := json.Unmarshal(line, &r); err != nil {
				return nil, fmt.Errorf("parse exporter JSONL line %d: %w", i+1, err)
			}
			recs = append(recs, r)
		}
	}
	var out []Item
	for _, r := range recs {
		link := strings.TrimSpace(firstOf(r.Link, r.URL, r.ContentURL))
		if link == "" {
			continue
		}
		out = append(out, Item{URL: link, Title: strings.TrimSpace(r.Title), Published: createTime(r.CreateTime),
			Author: r.AuthorName, Digest: r.Digest, Cover: r.Cover})
	}
	return out, nil
}

// createTime reads Unix seconds (number or string) or a Beijing date-time.
func createTime(raw json.RawMessage) time.Time {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return time.Unix(n, 0).In(store.Beijing)
	}
	t, _ := store.ParseDate(s) // the zero time when unreadable
	return t
}
