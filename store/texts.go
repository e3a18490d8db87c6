package store

import (
	"context"
	"fmt"
	"strings"
)

// Text is the title and body of a document, as stored, and the
// attachments whose text was extracted (name, URL and text only).
type Text struct {
	Title, Body string
	Attachments []Attachment
}

// textsChunk bounds the ids of one SELECT (SQLite's parameter limit is far higher).
const textsChunk = 500

// Texts returns the title and body of the documents with the given ids, by
// id; ids the store does not hold are absent from the map. The search index
// keeps no text of its own and reads it from here.
func (s *Store) Texts(ctx context.Context, ids []string) (map[string]Text, error) {
	return s.TextHeads(ctx, ids, 0)
}

// TextHeads is Texts with each attachment's text cut to its first
// attachmentBytes bytes (at a character boundary; 0: all of it): only that
// much is inflated, so a search showing snippets of a few megabytes of
// recipient list pays for what it scans, not for the whole list.
func (s *Store) TextHeads(ctx context.Context, ids []string, attachmentBytes int) (map[string]Text, error) {
	out := make(map[string]Text, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), textsChunk)
		if err := s.texts(ctx, ids[:n], attachmentBytes, out); err != nil {
			return nil, fmt.Errorf("read texts of %d documents (%s…): %w", len(ids), ids[0], err)
		}
		ids = ids[n:]
	}
	return out, nil
}

func (s *Store) texts(ctx context.Context, ids []string, attachmentBytes int, out map[string]Text) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := s.db.QueryContext(ctx, "SELECT id, title, body FROM documents WHERE id IN ("+marks+")", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var t Text
		if err := rows.Scan(&id, &t.Title, &t.Body); err != nil {
			return err
		}
		out[id] = t
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	arows, err := s.db.QueryContext(ctx, "SELECT doc_id, name, url, text_z FROM attachments WHERE length(text_z) > 0 AND doc_id IN ("+marks+") ORDER BY doc_id, rowid", args...)
	if err != nil {
		return err
	}
	defer arows.Close()
	for arows.Next() {
		var id string
		var a Attachment
		if err := arows.Scan(&id, &a.Name, &a.URL, packedHead{s: &a.Text, limit: attachmentBytes}); err != nil {
			return err
		}
		if t, ok := out[id]; ok {
			t.Attachments = append(t.Attachments, a)
			out[id] = t
		}
	}
	return arows.Err()
}
