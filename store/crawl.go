package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CrawlState is what the crawler remembers of one URL between runs.
type CrawlState struct {
	URL, Source, DocID, ETag, LastModified, ContentHash string
	LastFetch                                           time.Time
	HTTPStatus                                          int
	Failure                                             string // why the last fetch failed; "" when it worked
}

// CrawlState returns the state of url, or nil and no error when it was never fetched.
func (s *Store) CrawlState(ctx context.Context, url string) (*CrawlState, error) {
	row := s.db.QueryRowContext(ctx, `SELECT url, source, doc_id, etag, last_modified, content_hash,
		last_fetch, http_status, failure FROM crawl_state WHERE url = ?`, url)
	cs, err := scanState(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("crawl state of %s: %w", url, err)
	}
	return cs, nil
}

func scanState(r scanner) (*CrawlState, error) {
	var cs CrawlState
	var last sql.NullInt64
	err := r.Scan(&cs.URL, &cs.Source, &cs.DocID, &cs.ETag, &cs.LastModified, &cs.ContentHash,
		&last, &cs.HTTPStatus, &cs.Failure)
	if err != nil {
		return nil, err
	}
	cs.LastFetch = fromUnix(last)
	return &cs, nil
}

// SaveCrawlState records the state of one URL.
func (s *Store) SaveCrawlState(ctx context.Context, cs *CrawlState) error {
	_, err := s.db.ExecContext(ctx, `REPLACE INTO crawl_state (url, source, doc_id, etag, last_modified,
		content_hash, last_fetch, http_status, failure) VALUES (?,?,?,?,?,?,?,?,?)`,
		cs.URL, cs.Source, cs.DocID, cs.ETag, cs.LastModified, cs.ContentHash, unix(cs.LastFetch),
		cs.HTTPStatus, cs.Failure)
	if err != nil {
		return fmt.Errorf("save crawl state of %s: %w", cs.URL, err)
	}
	return nil
}

// KnownURLs returns the URLs of source fetched before, failed or not.
func (s *Store) KnownURLs(ctx context.Context, source string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT url FROM crawl_state WHERE source = ?", source)
	if err != nil {
		return nil, fmt.Errorf("known urls of %s: %w", source, err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		known[u] = true
	}
	return known, rows.Err()
}

// Failures returns the URLs of source (all sources when "") whose last fetch failed.
func (s *Store) Failures(ctx context.Context, source string) ([]CrawlState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, source, doc_id, etag, last_modified, content_hash,
		last_fetch, http_status, failure FROM crawl_state
		WHERE failure != '' AND (? = '' OR source = ?) ORDER BY last_fetch DESC, url`, source, source)
	if err != nil {
		return nil, fmt.Errorf("crawl failures of %q: %w", source, err)
	}
	defer rows.Close()
	var out []CrawlState
	for rows.Next() {
		cs, err := scanState(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *cs)
	}
	return out, rows.Err()
}

// CrawlRun is the summary of crawling one source once.
type CrawlRun struct {
	ID                                       int64
	Source                                   string
	Started, Ended                           time.Time
	Fetched, New, Changed, Unchanged, Failed int
	Templated                                int            // articles read with the site template learned before
	Failures                                 map[string]int // failed pages by reason
	Note                                     string
}

// StartRun records the start of a crawl of source.
func (s *Store) StartRun(ctx context.Context, source string) (*CrawlRun, error) {
	r := &CrawlRun{Source: source, Started: time.Now().In(Beijing), Failures: map[string]int{}}
	res, err := s.db.ExecContext(ctx, "INSERT INTO crawl_runs (source, started) VALUES (?, ?)", source, r.Started.Unix())
	if err != nil {
		return nil, fmt.Errorf("start crawl run of %s: %w", source, err)
	}
	r.ID, err = res.LastInsertId()
	return r, err
}

// FinishRun records the end and the counts of a crawl run.
func (s *Store) FinishRun(ctx context.Context, r *CrawlRun) error {
	if r.Ended.IsZero() {
		r.Ended = time.Now().In(Beijing)
	}
	fails, err := json.Marshal(r.Failures)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE crawl_runs SET ended = ?, fetched = ?, new = ?, changed = ?,
		unchanged = ?, failed = ?, failures = ?, note = ?, templated = ? WHERE id = ?`,
		r.Ended.Unix(), r.Fetched, r.New, r.Changed, r.Unchanged, r.Failed, string(fails), r.Note, r.Templated, r.ID)
	if err != nil {
		return fmt.Errorf("finish crawl run %d of %s: %w", r.ID, r.Source, err)
	}
	return nil
}

// RecentRuns returns the last n crawl runs, newest first. A run without an
// end was interrupted.
func (s *Store) RecentRuns(ctx context.Context, n int) ([]CrawlRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, started, ended, fetched, new, changed,
		unchanged, failed, failures, note, templated FROM crawl_runs ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("recent crawl runs: %w", err)
	}
	defer rows.Close()
	var out []CrawlRun
	for rows.Next() {
		var r CrawlRun
		var started, ended sql.NullInt64
		var fails string
		if err := rows.Scan(&r.ID, &r.Source, &started, &ended, &r.Fetched, &r.New, &r.Changed,
			&r.Unchanged, &r.Failed, &fails, &r.Note, &r.Templated); err != nil {
			return nil, err
		}
		r.Started, r.Ended = fromUnix(started), fromUnix(ended)
		if err := json.Unmarshal([]byte(fails), &r.Failures); err != nil {
			return nil, fmt.Errorf("crawl run %d failures: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SiteTemplate is a layout the crawler learned of one host's article
// pages: the selector of the body container and the label of the
// publication date, and how many cleanly extracted pages showed it.
type SiteTemplate struct {
	Host, Body, DateLabel string
	Pages                 int
	Updated               time.Time
}

// SiteTemplates returns the layouts learned for host.
func (s *Store) SiteTemplates(ctx context.Context, host string) ([]SiteTemplate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT host, body, date_label, pages, updated FROM site_templates
		WHERE host = ?`, host)
	if err != nil {
		return nil, fmt.Errorf("site templates of %s: %w", host, err)
	}
	defer rows.Close()
	var out []SiteTemplate
	for rows.Next() {
		var t SiteTemplate
		var updated sql.NullInt64
		if err := rows.Scan(&t.Host, &t.Body, &t.DateLabel, &t.Pages, &updated); err != nil {
			return nil, fmt.Errorf("site templates of %s: %w", host, err)
		}
		t.Updated = fromUnix(updated)
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveSiteTemplate records a layout of t.Host (replacing the record of the
// same body and date label).
func (s *Store) SaveSiteTemplate(ctx context.Context, t *SiteTemplate) error {
	_, err := s.db.ExecContext(ctx, `REPLACE INTO site_templates (host, body, date_label, pages, updated)
		VALUES (?,?,?,?,?)`, t.Host, t.Body, t.DateLabel, t.Pages, unix(t.Updated))
	if err != nil {
		return fmt.Errorf("save site template of %s: %w", t.Host, err)
	}
	return nil
}
