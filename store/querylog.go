package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// QueryCount is how often a query was searched: by how many clients on how
// many days (a client counts once a day).
type QueryCount struct {
	Query   string
	N       int // client-days
	Clients int // distinct clients
	Hidden  bool
}

// LoggedQuery is one public search for the query log. Client is a keyed
// hash of the client's address, never the address itself.
type LoggedQuery struct {
	Query  string
	Hits   int
	Client string
	At     time.Time
}

// LogQueries records public searches in one transaction; empty queries are
// skipped.
func (s *Store) LogQueries(ctx context.Context, qs []LoggedQuery) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, "INSERT INTO query_log (query, hits, client, at) VALUES (?,?,?,?)")
		if err != nil {
			return fmt.Errorf("log queries: %w", err)
		}
		defer stmt.Close()
		for _, q := range qs {
			text := strings.TrimSpace(q.Query)
			if text == "" {
				continue
			}
			if _, err := stmt.ExecContext(ctx, text, q.Hits, q.Client, q.At.Unix()); err != nil {
				return fmt.Errorf("log query %q: %w", text, err)
			}
		}
		return nil
	})
}

// dayExpr is the Beijing day of a query_log row.
const dayExpr = "((at + 28800) / 86400)"

// HotQueries returns the n queries that found something since the given
// time and were searched by at least minClients distinct clients, most
// client-days first, leaving out the queries staff hid.
func (s *Store) HotQueries(ctx context.Context, since time.Time, minClients, n int) ([]QueryCount, error) {
	return s.queryCounts(ctx, `SELECT query, COUNT(DISTINCT client || '/' || `+dayExpr+`) AS c, COUNT(DISTINCT client)
		FROM query_log WHERE at >= ? AND hits > 0 AND query NOT IN (SELECT query FROM hot_hidden)
		GROUP BY query HAVING COUNT(DISTINCT client) >= ? ORDER BY c DESC, query LIMIT ?`, since.Unix(), minClients, n)
}

// QueryCounts returns the n most searched queries since the given time,
// whatever their number of clients, hidden ones included and marked, for
// staff moderation.
func (s *Store) QueryCounts(ctx context.Context, since time.Time, n int) ([]QueryCount, error) {
	return s.queryCounts(ctx, `SELECT query, COUNT(DISTINCT client || '/' || `+dayExpr+`) AS c, COUNT(DISTINCT client),
		query IN (SELECT query FROM hot_hidden)
		FROM query_log WHERE at >= ? AND hits > 0 GROUP BY query ORDER BY c DESC, query LIMIT ?`, since.Unix(), n)
}

func (s *Store) queryCounts(ctx context.Context, q string, args ...any) ([]QueryCount, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("hot queries: %w", err)
	}
	defer rows.Close()
	var out []QueryCount
	for rows.Next() {
		var qc QueryCount
		dest := []any{&qc.Query, &qc.N, &qc.Clients}
		if cols, _ := rows.Columns(); len(cols) == 4 {
			dest = append(dest, &qc.Hidden)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("hot queries: %w", err)
		}
		out = append(out, qc)
	}
	return out, rows.Err()
}

// PruneQueryLog deletes the searches logged before the given time and
// returns how many it deleted.
func (s *Store) PruneQueryLog(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM query_log WHERE at < ?", before.Unix())
	if err != nil {
		return 0, fmt.Errorf("prune query log before %s: %w", before.Format(time.DateOnly), err)
	}
	return res.RowsAffected()
}

// HiddenQuery is a query staff took off the hot searches.
type HiddenQuery struct {
	Query, By string
	At        time.Time
}

// HideQuery takes query off the hot searches, recording who did it.
func (s *Store) HideQuery(ctx context.Context, query, by string, at time.Time) error {
	query = strings.TrimSpace(query)
	if query == "" {
		return errors.New("hide query: empty query")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO hot_hidden (query, hidden_by, at) VALUES (?,?,?)
		ON CONFLICT (query) DO UPDATE SET hidden_by = excluded.hidden_by, at = excluded.at`, query, by, at.Unix())
	if err != nil {
		return fmt.Errorf("hide query %q: %w", query, err)
	}
	return nil
}

// UnhideQuery lets query show among the hot searches again.
func (s *Store) UnhideQuery(ctx context.Context, query string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM hot_hidden WHERE query = ?", query); err != nil {
		return fmt.Errorf("unhide query %q: %w", query, err)
	}
	return nil
}

// HiddenQueries lists the hidden queries, latest first.
func (s *Store) HiddenQueries(ctx context.Context) ([]HiddenQuery, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT query, hidden_by, at FROM hot_hidden ORDER BY at DESC, query")
	if err != nil {
		return nil, fmt.Errorf("hidden queries: %w", err)
	}
	defer rows.Close()
	var out []HiddenQuery
	for rows.Next() {
		var h HiddenQuery
		var at int64
		if err := rows.Scan(&h.Query, &h.By, &at); err != nil {
			return nil, fmt.Errorf("hidden queries: %w", err)
		}
		h.At = time.Unix(at, 0).In(Beijing)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Secret returns the installation's secret of the given name, n random
// bytes made on first use and kept in the store.
func (s *Store) Secret(ctx context.Context, name string, n int) ([]byte, error) {
	fresh := make([]byte, n)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	var v []byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO secrets (name, value) VALUES (?,?)", name, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT value FROM secrets WHERE name = ?", name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return v, nil
}
