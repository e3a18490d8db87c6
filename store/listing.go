package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Listed is a live document as a sitemap lists it.
type Listed struct {
	ID       string
	Modified time.Time // when gongkai last stored it, else its publication; zero when neither is known
}

// CountLive is the number of live documents.
func (s *Store) CountLive(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE status = ?", StatusLive).Scan(&n); err != nil {
		return 0, fmt.Errorf("count live documents: %w", err)
	}
	return n, nil
}

// ListLive returns up to limit live documents from the offset-th, in the
// order they were first stored (a stable order for paged sitemaps).
func (s *Store) ListLive(ctx context.Context, offset, limit int) ([]Listed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, fetched_at, published FROM documents
		WHERE status = ? ORDER BY rowid LIMIT ? OFFSET ?`, StatusLive, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list live documents from %d: %w", offset, err)
	}
	defer rows.Close()
	var out []Listed
	for rows.Next() {
		var l Listed
		var fetched, published sql.NullInt64
		if err := rows.Scan(&l.ID, &fetched, &published); err != nil {
			return nil, fmt.Errorf("list live documents from %d: %w", offset, err)
		}
		l.Modified = fromUnix(fetched)
		if l.Modified.IsZero() {
			l.Modified = fromUnix(published)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
