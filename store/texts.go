package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
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

// textStmts keeps the statements texts prepared, by number of ids: a
// search reads the texts of its page (ten ids) every time, and preparing
// its two statements again was 5 % of a short query's CPU on
// ../shared/eval. The numbers are powers of two (stmtClass), so at most
// ten pairs are kept.
type textStmts struct {
	mu   sync.Mutex
	byN  map[int][2]*sql.Stmt // documents, attachments
	done bool                 // closed: prepare no more
}

// get returns the statements for n ids, prepared on db the first time.
func (t *textStmts) get(ctx context.Context, db *sql.DB, n int) ([2]*sql.Stmt, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st, ok := t.byN[n]; ok {
		return st, nil
	}
	if t.done {
		return [2]*sql.Stmt{}, errors.New("read texts: the store is closed")
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", n), ",")
	var st [2]*sql.Stmt
	for i, q := range []string{
		"SELECT id, title, body FROM documents WHERE id IN (" + marks + ")",
		"SELECT doc_id, name, url, text_z FROM attachments WHERE length(text_z) > 0 AND doc_id IN (" + marks + ") ORDER BY doc_id, rowid",
	} {
		var err error
		if st[i], err = db.PrepareContext(ctx, q); err != nil {
			if i > 0 {
				st[0].Close()
			}
			return st, fmt.Errorf("prepare the texts query for %d ids: %w", n, err)
		}
	}
	if t.byN == nil {
		t.byN = map[int][2]*sql.Stmt{}
	}
	t.byN[n] = st
	return st, nil
}

// stmtClass is the number of ids a texts query for n ids asks for: the
// power of two at or above n, the rest of the ids empty.
func stmtClass(n int) int {
	c := 1
	for c < n {
		c *= 2
	}
	return c
}

// close closes the prepared statements.
func (t *textStmts) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, st := range t.byN {
		st[0].Close()
		st[1].Close()
	}
	t.byN, t.done = nil, true
}

func (s *Store) texts(ctx context.Context, ids []string, attachmentBytes int, out map[string]Text) error {
	args := make([]any, stmtClass(len(ids)))
	for i := range args {
		args[i] = "" // no document has the empty id
	}
	for i, id := range ids {
		args[i] = id
	}
	st, err := s.textStmts.get(ctx, s.db, len(args))
	if err != nil {
		return err
	}
	rows, err := st[0].QueryContext(ctx, args...)
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
	arows, err := st[1].QueryContext(ctx, args...)
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
