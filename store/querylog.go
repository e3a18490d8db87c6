package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// QueryCount is how often a query was searched.
type QueryCount struct {
	Query string
	N     int
}

// LogQuery records a public search and how many hits it had.
func (s *Store) LogQuery(ctx context.Context, q string, hits int, at time.Time) error {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO query_log (query, hits, at) VALUES (?,?,?)", q, hits, at.Unix()); err != nil {
		return fmt.Errorf("log query %q: %w", q, err)
	}
	return nil
}

// HotQueries returns the n queries searched most often since the given
// time, among those that found something.
func (s *Store) HotQueries(ctx context.Context, since time.Time, n int) ([]QueryCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT query, COUNT(*) AS c FROM query_log
		WHERE at >= ? AND hits > 0 GROUP BY query ORDER BY c DESC, query LIMIT ?`, since.Unix(), n)
	if err != nil {
		return nil, fmt.Errorf("hot queries: %w", err)
	}
	defer rows.Close()
	var out []QueryCount
	for rows.Next() {
		var qc QueryCount
		if err := rows.Scan(&qc.Query, &qc.N); err != nil {
			return nil, err
		}
		out = append(out, qc)
	}
	return out, rows.Err()
}
