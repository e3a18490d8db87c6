package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Audit actions.
const (
	AuditPurge = "purge" // a document removed for good
	AuditLift  = "lift"  // a purge lifted: the document may be stored again
)

// Purged says what Purge removed.
type Purged struct {
	ID, URL, Title string
	Attachments    int      // attachment records removed
	Files          []string // SHA-256 of the files removed: no other document used them
}

// Purge removes a document for good, by id or URL: its text, metadata and
// attachment records are erased (the files too, unless another document
// uses them), it leaves the index at the next Sync (its row stays only as
// an empty "removed" row with a new sequence, which is how the index learns
// of it), a tombstone keeps crawls and ingests from storing it again until
// Lift, and the audit log records who purged what, when and why.
func (s *Store) Purge(ctx context.Context, idOrURL, who, reason string) (*Purged, error) {
	var p Purged
	var shas []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, url, title FROM documents WHERE id = ?
			UNION ALL SELECT id, url, title FROM documents WHERE url = ? LIMIT 1`, idOrURL, idOrURL).Scan(&p.ID, &p.URL, &p.Title)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("purge %q: %w", idOrURL, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, shas, err = syncAttachments(ctx, tx, &Document{ID: p.ID}); err != nil { // a list of no links: every row goes
			return err
		}
		p.Attachments = len(shas)
		var seq int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM documents").Scan(&seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET seq = ?, status = ?, title = '', body = '', html = '',
			publisher = '', doc_number = '', index_number = '', subject = '', genre = '', column_name = '',
			attachments = '[]', meta = '{}', content_hash = 'purged', text_hash = '', repealed_by = ''
			WHERE id = ?`, seq, StatusRemoved, p.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET repealed_by = '' WHERE repealed_by = ?`, p.ID); err != nil {
			return err
		}
		now := time.Now().Unix()
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO tombstones (id, url, purged_at, purged_by, reason)
			VALUES (?, ?, ?, ?, ?)`, p.ID, p.URL, now, who, reason); err != nil {
			return err
		}
		return audit(ctx, tx, now, who, AuditPurge, p.ID, p.URL, p.Title, reason)
	})
	if err != nil {
		return nil, err
	}
	p.Files = s.removeUnused(ctx, shas)
	return &p, nil
}

// removeUnused deletes the files of shas that no attachment record names
// and returns the SHA-256 of those it deleted. It runs after the commit
// that dropped the records: a crash before leaves an unused file, never a
// missing one.
func (s *Store) removeUnused(ctx context.Context, shas []string) []string {
	var gone []string
	for _, sha := range shas {
		used, err := s.fileUsed(ctx, sha)
		if err != nil || used {
			continue
		}
		if err := os.Remove(s.FilePath(sha)); err == nil {
			gone = append(gone, sha)
		}
	}
	return gone
}

// fileUsed reports whether an attachment record still names the file.
func (s *Store) fileUsed(ctx context.Context, sha string) (bool, error) {
	if sha == "" {
		return true, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM attachments WHERE sha256 = ?", sha).Scan(&n)
	return n > 0, err
}

// Lift removes the tombstone of a purged document, so that the next crawl
// or ingest may store it again; the audit log records it.
func (s *Store) Lift(ctx context.Context, idOrURL, who string) (id string, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var url string
		err := tx.QueryRowContext(ctx, "SELECT id, url FROM tombstones WHERE id = ? OR url = ? LIMIT 1", idOrURL, idOrURL).Scan(&id, &url)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("lift %q: no purged document with this id or URL: %w", idOrURL, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tombstones WHERE id = ?", id); err != nil {
			return err
		}
		return audit(ctx, tx, time.Now().Unix(), who, AuditLift, id, url, "", "")
	})
	return id, err
}

// tombstoned reports whether a document with this id or URL was purged.
func tombstoned(ctx context.Context, tx *sql.Tx, id, url string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tombstones WHERE id = ? OR (url != '' AND url = ?)", id, url).Scan(&n)
	return n > 0, err
}

func audit(ctx context.Context, tx *sql.Tx, at int64, who, action, id, url, title, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, who, action, doc_id, url, title, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, at, who, action, id, url, title, detail)
	return err
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At                             time.Time
	Who, Action, DocID, URL, Title string
	Detail                         string // the reason given
}

// AuditLog returns the latest limit entries with one of actions, newest first.
func (s *Store) AuditLog(ctx context.Context, limit int, actions ...string) ([]AuditEntry, error) {
	if len(actions) == 0 {
		return nil, fmt.Errorf("read audit log: no action asked for")
	}
	args := make([]any, 0, len(actions)+1)
	for _, a := range actions {
		args = append(args, a)
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT at, who, action, doc_id, url, title, detail FROM audit_log
		WHERE action IN (?`+strings.Repeat(",?", len(actions)-1)+`) ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Who, &e.Action, &e.DocID, &e.URL, &e.Title, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0).In(Beijing)
		out = append(out, e)
	}
	return out, rows.Err()
}
