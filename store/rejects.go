package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// MatchReject is an item of an upper portal that names a unit where its
// source's match rule does not look (the title, the body when the rule
// reads no body, another field), so it was not counted as adopted; staff
// see it with the reason and may widen the rule.
type MatchReject struct {
	URL, Source, Title string
	Published          time.Time
	Origin             string // the fields the rule read, as the page states them (来源：X；发布机构：Y)
	Reason             string // why it did not count, for staff
	Seen               time.Time
}

// SaveMatchReject records r (replacing what was recorded for its URL).
func (s *Store) SaveMatchReject(ctx context.Context, r *MatchReject) error {
	_, err := s.db.ExecContext(ctx, `REPLACE INTO match_rejects (url, source, title, published, origin, reason, seen)
		VALUES (?,?,?,?,?,?,?)`, r.URL, r.Source, r.Title, unix(r.Published), r.Origin, r.Reason, r.Seen.Unix())
	if err != nil {
		return fmt.Errorf("record the turned-away item %s: %w", r.URL, err)
	}
	return nil
}

// ForgetMatchReject drops what was recorded for url (its item now counts).
func (s *Store) ForgetMatchReject(ctx context.Context, url string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM match_rejects WHERE url = ?", url); err != nil {
		return fmt.Errorf("forget the turned-away item %s: %w", url, err)
	}
	return nil
}

// MatchRejects returns the recorded items of the given sources (all when
// none is given) published in [from, to), newest first, at most limit of
// them, and how many there are.
func (s *Store) MatchRejects(ctx context.Context, from, to time.Time, limit int, sources ...string) ([]MatchReject, int, error) {
	where, args := "published >= ? AND published < ?", []any{from.Unix(), to.Unix()}
	if len(sources) > 0 {
		where += " AND source IN (?" + strings.Repeat(",?", len(sources)-1) + ")"
		for _, src := range sources {
			args = append(args, src)
		}
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM match_rejects WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("turned-away items: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT url, source, title, published, origin, reason, seen FROM match_rejects
		WHERE `+where+` ORDER BY published DESC, url LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("turned-away items: %w", err)
	}
	defer rows.Close()
	var out []MatchReject
	for rows.Next() {
		var r MatchReject
		var pub, seen sql.NullInt64
		if err := rows.Scan(&r.URL, &r.Source, &r.Title, &pub, &r.Origin, &r.Reason, &seen); err != nil {
			return nil, 0, err
		}
		r.Published, r.Seen = fromUnix(pub), fromUnix(seen)
		out = append(out, r)
	}
	return out, total, rows.Err()
}
