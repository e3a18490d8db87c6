package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Audit actions of the topics and best bets (see AuditLog).
const (
	AuditPin         = "pin"
	AuditUnpin       = "unpin"
	AuditTopicAdd    = "topic_add"
	AuditTopicRemove = "topic_remove"
)

// Topic is one 大家常问 topic of the search page; AddedBy is empty for the
// topics the installation started with.
type Topic struct {
	Query   string
	AddedBy string
	AddedAt time.Time
}

// BestBet is a document staff pinned to a query (in its folded form).
type BestBet struct {
	Query, DocID string
	PinnedBy     string
	PinnedAt     time.Time
}

// Topics returns the topics in the order staff added them.
func (s *Store) Topics(ctx context.Context) ([]Topic, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT query, added_by, added_at FROM topics ORDER BY pos, query`)
	if err != nil {
		return nil, fmt.Errorf("read topics: %w", err)
	}
	defer rows.Close()
	var out []Topic
	for rows.Next() {
		var t Topic
		var at int64
		if err := rows.Scan(&t.Query, &t.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("read topics: %w", err)
		}
		if at > 0 {
			t.AddedAt = time.Unix(at, 0).In(Beijing)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddTopic appends query to the topics and logs it; it reports false when
// the topic was already there.
func (s *Store) AddTopic(ctx context.Context, user, query string, now time.Time) (bool, error) {
	if user == "" || query == "" {
		return false, fmt.Errorf("add topic %q by %q: topic and user are required", query, user)
	}
	added := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO topics (query, pos, added_by, added_at)
			SELECT ?, COALESCE(MAX(pos), 0) + 1, ?, ? FROM topics WHERE true
			ON CONFLICT(query) DO NOTHING`, query, user, now.Unix())
		if err != nil {
			return fmt.Errorf("add topic %q: %w", query, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		return audit(ctx, tx, now.Unix(), user, AuditTopicAdd, "", "", "", query)
	})
	return added, err
}

// RemoveTopic removes query from the topics and logs it; it reports false
// when there was no such topic.
func (s *Store) RemoveTopic(ctx context.Context, user, query string, now time.Time) (bool, error) {
	removed := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM topics WHERE query = ?`, query)
		if err != nil {
			return fmt.Errorf("remove topic %q: %w", query, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		removed = true
		return audit(ctx, tx, now.Unix(), user, AuditTopicRemove, "", "", "", query)
	})
	return removed, err
}

// BestBets returns every pin, by query, newest pin of a query first.
func (s *Store) BestBets(ctx context.Context) ([]BestBet, error) {
	return s.bestBets(ctx, `SELECT query, doc_id, pinned_by, pinned_at FROM best_bets ORDER BY query, pinned_at DESC, doc_id`)
}

// PinnedFor returns the pins of a folded query, first pinned first.
func (s *Store) PinnedFor(ctx context.Context, query string) ([]BestBet, error) {
	return s.bestBets(ctx, `SELECT query, doc_id, pinned_by, pinned_at FROM best_bets WHERE query = ?
		ORDER BY pinned_at, rowid`, query)
}

func (s *Store) bestBets(ctx context.Context, q string, args ...any) ([]BestBet, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read best bets: %w", err)
	}
	defer rows.Close()
	var out []BestBet
	for rows.Next() {
		var b BestBet
		var at int64
		if err := rows.Scan(&b.Query, &b.DocID, &b.PinnedBy, &at); err != nil {
			return nil, fmt.Errorf("read best bets: %w", err)
		}
		b.PinnedAt = time.Unix(at, 0).In(Beijing)
		out = append(out, b)
	}
	return out, rows.Err()
}

// Pin pins the live document id to the folded query and logs it. It
// refuses a document that is not stored, removed at its source or purged,
// and reports false when the pin was already there.
func (s *Store) Pin(ctx context.Context, user, query, id string, now time.Time) (bool, error) {
	if user == "" || query == "" || id == "" {
		return false, fmt.Errorf("pin %q to %q by %q: document, query and user are required", id, query, user)
	}
	pinned := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var title, url, status string
		err := tx.QueryRowContext(ctx, `SELECT title, url, status FROM documents WHERE id = ?`, id).Scan(&title, &url, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("pin %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("pin %q: %w", id, err)
		}
		if status != StatusLive {
			return fmt.Errorf("pin %q: the document is %s: %w", id, status, ErrNotFound)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO best_bets (query, doc_id, pinned_by, pinned_at) VALUES (?,?,?,?)
			ON CONFLICT DO NOTHING`, query, id, user, now.Unix())
		if err != nil {
			return fmt.Errorf("pin %q to %q: %w", id, query, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		pinned = true
		return audit(ctx, tx, now.Unix(), user, AuditPin, id, url, title, query)
	})
	return pinned, err
}

// Unpin removes the pin of id from the folded query and logs it; it
// reports false when there was no such pin.
func (s *Store) Unpin(ctx context.Context, user, query, id string, now time.Time) (bool, error) {
	unpinned := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM best_bets WHERE query = ? AND doc_id = ?`, query, id)
		if err != nil {
			return fmt.Errorf("unpin %q from %q: %w", id, query, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		unpinned = true
		var title, url string
		err = tx.QueryRowContext(ctx, `SELECT title, url FROM documents WHERE id = ?`, id).Scan(&title, &url)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unpin %q: %w", id, err)
		}
		return audit(ctx, tx, now.Unix(), user, AuditUnpin, id, url, title, query)
	})
	return unpinned, err
}
