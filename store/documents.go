package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Result says what an upsert did.
type Result int

// Upsert results.
const (
	New Result = iota
	Updated
	Unchanged
	Withheld // purged by staff (Purge): nothing written until the purge is lifted
)

func (r Result) String() string {
	return [...]string{"new", "updated", "unchanged", "withheld"}[r]
}

const docColumns = `id, seq, url, source, channel, column_name, title, body, html, published, written,
	publisher, doc_number, index_number, subject, category, genre, attachments, meta, content_hash,
	fetched_at, status, validity, repealed_by, unit`

// Upsert stores d by id. A document whose content hash equals the stored one
// is not written and reports Unchanged. It fills d.ContentHash and d.Status.
func (s *Store) Upsert(ctx context.Context, d *Document) (Result, error) {
	rs, err := s.UpsertBatch(ctx, []*Document{d})
	if err != nil {
		return 0, err
	}
	return rs[0], nil
}

// UpsertBatch stores docs in one transaction: all of them or none. The
// files of attachment records a document no longer has are deleted when no
// other record names them.
func (s *Store) UpsertBatch(ctx context.Context, docs []*Document) ([]Result, error) {
	results := make([]Result, len(docs))
	var was []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM documents").Scan(&seq); err != nil {
			return err
		}
		for i, d := range docs {
			r, files, err := upsertOne(ctx, tx, d, seq+1, s.homeUnit())
			if err != nil {
				return fmt.Errorf("store document %q: %w", d.ID, err)
			}
			if r != Unchanged {
				seq++
			}
			results[i] = r
			was = append(was, files...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("write to %s: %w", s.path, err)
	}
	s.removeUnused(ctx, was)
	return results, nil
}

// upsertOne stores d. A document without a unit keeps the unit stored
// before, else takes home. It returns the SHA-256 of the files of the
// attachment records it dropped or replaced.
func upsertOne(ctx context.Context, tx *sql.Tx, d *Document, seq int64, home string) (Result, []string, error) {
	if d.ID == "" {
		return 0, nil, errors.New("empty id")
	}
	if d.Status == "" {
		d.Status = StatusLive
	}
	if gone, err := tombstoned(ctx, tx, d.ID, d.URL); err != nil || gone {
		return Withheld, nil, err
	}
	normalizeValidity(d)
	var old, repealedBy, unit string
	err := tx.QueryRowContext(ctx, "SELECT content_hash, repealed_by, unit FROM documents WHERE id = ?", d.ID).Scan(&old, &repealedBy, &unit)
	if d.RepealedBy == "" {
		d.RepealedBy = repealedBy // a repeal holds until ApplyRepeals finds it gone
	}
	if d.Unit == "" {
		d.Unit = cmp.Or(unit, home)
	}
	d.ContentHash = d.ComputeHash()
	var r Result
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err = New, writeDoc(ctx, tx, d, seq, "INSERT INTO")
	case err != nil:
		return 0, nil, err
	case old == d.ContentHash:
		r, err = Unchanged, nil
	default:
		r, err = Updated, writeDoc(ctx, tx, d, seq, "REPLACE INTO")
	}
	if err != nil {
		return 0, nil, err
	}
	changed, was, err := syncAttachments(ctx, tx, d)
	if err != nil || !changed || r != Unchanged {
		return r, was, err
	}
	// the same page with other attachment records: indexed again
	_, err = tx.ExecContext(ctx, "UPDATE documents SET seq = ? WHERE id = ?", seq, d.ID)
	return Updated, was, err
}

func writeDoc(ctx context.Context, tx *sql.Tx, d *Document, seq int64, verb string) error {
	att, err := json.Marshal(links(d.Attachments))
	if err != nil {
		return err
	}
	meta, err := json.Marshal(nonNilMap(d.Meta))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, verb+` documents (`+docColumns+`, text_hash)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		d.ID, seq, d.URL, d.Source, d.Channel, d.Column, d.Title, d.Body, d.HTML,
		unix(d.Published), unix(d.Written), d.Publisher, d.DocNumber, d.IndexNumber, d.Subject,
		d.Category, d.Genre, string(att), string(meta), d.ContentHash, unix(d.FetchedAt), d.Status,
		d.Validity, d.RepealedBy, d.Unit, d.TextHash())
	return err
}

// Get returns the document with the given id, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (*Document, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+docColumns+" FROM documents WHERE id = ?", id)
	d, _, err := scanDoc(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	if err == nil {
		err = fillAttachments(ctx, s.db, []*Document{d})
	}
	if err != nil {
		return nil, fmt.Errorf("get document %q: %w", id, err)
	}
	return d, nil
}

// MarkRemoved records that a document was removed at its source. The
// document stays in the archive with status "removed" and a new sequence
// number, so the index drops it on its next sync.
func (s *Store) MarkRemoved(ctx context.Context, id string) error {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if d.Status == StatusRemoved {
		return nil
	}
	d.Status = StatusRemoved
	_, err = s.Upsert(ctx, d)
	return err
}

// Count is the number of documents in the archive, removed ones included.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents").Scan(&n)
	return n, err
}

// MaxSeq is the highest sequence number in the archive (0 when empty).
func (s *Store) MaxSeq(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM documents").Scan(&n)
	return n, err
}

// A page of Changes or Each holds at most pageSize documents and stops
// after the one that brings its text (title, body, HTML) to pageBytes, so
// that reading the archive takes the same memory whatever its size.
const (
	pageSize  = 500
	pageBytes = 8 << 20
)

// Changes calls fn, in sequence order, for every document written after
// afterSeq (removed documents included, with Status "removed").
func (s *Store) Changes(ctx context.Context, afterSeq int64, fn func(seq int64, d *Document) error) error {
	for {
		docs, seqs, more, err := s.page(ctx, "WHERE seq > ? ORDER BY seq", afterSeq)
		if err != nil {
			return fmt.Errorf("read changes after %d: %w", afterSeq, err)
		}
		for i, d := range docs {
			if err := fn(seqs[i], d); err != nil {
				return err
			}
			afterSeq = seqs[i]
		}
		if !more {
			return nil
		}
	}
}

// Each calls fn for every document, in id order.
func (s *Store) Each(ctx context.Context, fn func(*Document) error) error {
	after := ""
	for {
		docs, _, more, err := s.page(ctx, "WHERE id > ? ORDER BY id", after)
		if err != nil {
			return fmt.Errorf("read documents after %q: %w", after, err)
		}
		for _, d := range docs {
			if err := fn(d); err != nil {
				return err
			}
			after = d.ID
		}
		if !more {
			return nil
		}
	}
}

// page reads the next page of documents in the order of where; more says
// whether documents may follow it.
func (s *Store) page(ctx context.Context, where string, arg any) (docs []*Document, seqs []int64, more bool, err error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+docColumns+" FROM documents "+where+" LIMIT ?", arg, pageSize)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	size := 0
	for size < pageBytes && rows.Next() {
		d, seq, err := scanDoc(rows)
		if err != nil {
			return nil, nil, false, err
		}
		docs = append(docs, d)
		seqs = append(seqs, seq)
		size += len(d.Title) + len(d.Body) + len(d.HTML)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, err
	}
	rows.Close()
	return docs, seqs, size >= pageBytes || len(docs) == pageSize, fillAttachments(ctx, s.db, docs)
}

type scanner interface{ Scan(...any) error }

func scanDoc(r scanner) (*Document, int64, error) {
	var d Document
	var seq int64
	var published, written, fetched sql.NullInt64
	var att, meta string
	err := r.Scan(&d.ID, &seq, &d.URL, &d.Source, &d.Channel, &d.Column, &d.Title, &d.Body, &d.HTML,
		&published, &written, &d.Publisher, &d.DocNumber, &d.IndexNumber, &d.Subject, &d.Category,
		&d.Genre, &att, &meta, &d.ContentHash, &fetched, &d.Status, &d.Validity, &d.RepealedBy, &d.Unit)
	if err != nil {
		return nil, 0, err
	}
	d.Published, d.Written, d.FetchedAt = fromUnix(published), fromUnix(written), fromUnix(fetched)
	if err := json.Unmarshal([]byte(att), &d.Attachments); err != nil {
		return nil, 0, fmt.Errorf("document %q attachments: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(meta), &d.Meta); err != nil {
		return nil, 0, fmt.Errorf("document %q meta: %w", d.ID, err)
	}
	if len(d.Attachments) == 0 {
		d.Attachments = nil
	}
	if len(d.Meta) == 0 {
		d.Meta = nil
	}
	return &d, seq, nil
}

func unix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func fromUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).In(Beijing)
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
