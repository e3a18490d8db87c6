package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// AttachmentFetch is what the crawler keeps of an attachment's last fetch:
// the validators of its next conditional request.
type AttachmentFetch struct {
	ETag, LastModified string
	FetchedAt          time.Time
}

const attColumns = `name, sha256, type, bytes, pages, state, reason, text_z`

// Attachment returns the record of the attachment at url of document docID,
// or ErrNotFound when it was never fetched.
func (s *Store) Attachment(ctx context.Context, docID, url string) (*Attachment, AttachmentFetch, error) {
	a := &Attachment{URL: url}
	var v AttachmentFetch
	var fetched sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT "+attColumns+", etag, last_modified, fetched_at FROM attachments WHERE doc_id = ? AND url = ?",
		docID, url).Scan(&a.Name, &a.SHA256, &a.Type, &a.Bytes, &a.Pages, &a.State, &a.Reason, packedText{&a.Text}, &v.ETag, &v.LastModified, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, v, fmt.Errorf("attachment %s of %q: %w", url, docID, ErrNotFound)
	}
	if err != nil {
		return nil, v, fmt.Errorf("read attachment %s of %q: %w", url, docID, err)
	}
	v.FetchedAt = fromUnix(fetched)
	return a, v, nil
}

// AttachmentBySHA returns a record of a file with these bytes whose text
// was read (extracted or found to be images only), or ErrNotFound: the same
// file linked from several documents is extracted once.
func (s *Store) AttachmentBySHA(ctx context.Context, sha string) (*Attachment, error) {
	a := &Attachment{}
	err := s.db.QueryRowContext(ctx, "SELECT "+attColumns+", url FROM attachments WHERE sha256 = ? AND state IN (?, ?) LIMIT 1",
		sha, AttachmentExtracted, AttachmentImageOnly).Scan(&a.Name, &a.SHA256, &a.Type, &a.Bytes, &a.Pages, &a.State, &a.Reason, packedText{&a.Text}, &a.URL)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attachment with sha256 %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment with sha256 %s: %w", sha, err)
	}
	return a, nil
}

// SaveAttachment records what the crawler found at attachment a.URL of
// document docID. When the file's content or state changed, the document
// gets a new sequence number, so that the index reads it again; changed
// says so. The file of a record replaced by other bytes is deleted when no
// other record names it.
func (s *Store) SaveAttachment(ctx context.Context, docID string, a *Attachment, v AttachmentFetch) (changed bool, err error) {
	var was string
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE id = ?", docID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("document %q: %w", docID, ErrNotFound)
		}
		changed, was, err = saveAttachment(ctx, tx, docID, a, &v)
		if err != nil || !changed {
			return err
		}
		return bumpSeq(ctx, tx, docID)
	})
	if err != nil {
		return false, fmt.Errorf("save attachment %s of %q: %w", a.URL, docID, err)
	}
	s.removeUnused(ctx, []string{was})
	return changed, nil
}

// saveAttachment writes one attachment row, keeping the stored validators
// when v is nil, and reports whether its content differs from the row's
// and the SHA-256 of the file the row named before, when that is another.
func saveAttachment(ctx context.Context, tx *sql.Tx, docID string, a *Attachment, v *AttachmentFetch) (changed bool, was string, err error) {
	var old Attachment
	var etag, lastMod string
	var fetched sql.NullInt64
	err = tx.QueryRowContext(ctx, "SELECT "+attColumns+", etag, last_modified, fetched_at FROM attachments WHERE doc_id = ? AND url = ?",
		docID, a.URL).Scan(&old.Name, &old.SHA256, &old.Type, &old.Bytes, &old.Pages, &old.State, &old.Reason, packedText{&old.Text}, &etag, &lastMod, &fetched)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, "", err
	}
	old.URL = a.URL
	changed = !found || old != *a
	if old.SHA256 != a.SHA256 {
		was = old.SHA256
	}
	fetchedAt := any(fetched)
	if v != nil {
		etag, lastMod, fetchedAt = v.ETag, v.LastModified, unix(v.FetchedAt)
	} else if !changed {
		return false, "", nil
	}
	_, err = tx.ExecContext(ctx, `REPLACE INTO attachments (doc_id, url, `+attColumns+`, etag, last_modified, fetched_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`, docID, a.URL, a.Name, a.SHA256, a.Type, a.Bytes, a.Pages, a.State,
		a.Reason, packedText{&a.Text}, etag, lastMod, fetchedAt)
	return changed, was, err
}

// bumpSeq gives a stored document the next sequence number.
func bumpSeq(ctx context.Context, tx *sql.Tx, docID string) error {
	_, err := tx.ExecContext(ctx, "UPDATE documents SET seq = (SELECT MAX(seq) FROM documents) + 1 WHERE id = ?", docID)
	return err
}

// syncAttachments keeps the attachment rows of a document being written in
// step with its list: rows of links it no longer has go, and records it
// carries (an import with type and state) are written. It reports whether a
// record changed and the SHA-256 of the files the rows it dropped or
// replaced named (see removeUnused).
func syncAttachments(ctx context.Context, tx *sql.Tx, d *Document) (changed bool, was []string, err error) {
	urls := make([]any, 0, len(d.Attachments)+1)
	urls = append(urls, d.ID)
	for i := range d.Attachments {
		a := &d.Attachments[i]
		urls = append(urls, a.URL)
		if a.State == "" {
			continue
		}
		c, sha, err := saveAttachment(ctx, tx, d.ID, a, nil)
		if err != nil {
			return false, nil, err
		}
		changed = changed || c
		was = append(was, sha)
	}
	where := " FROM attachments WHERE doc_id = ?"
	if len(urls) > 1 {
		where += " AND url NOT IN (" + strings.TrimSuffix(strings.Repeat("?,", len(urls)-1), ",") + ")"
	}
	rows, err := tx.QueryContext(ctx, "SELECT sha256"+where, urls...)
	if err != nil {
		return false, nil, err
	}
	n := 0
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			rows.Close()
			return false, nil, err
		}
		was = append(was, sha)
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, nil, err
	}
	if n > 0 {
		if _, err := tx.ExecContext(ctx, "DELETE"+where, urls...); err != nil {
			return false, nil, err
		}
	}
	return changed || n > 0, was, nil
}

// fillAttachments adds to docs' attachments what the attachments table
// holds of them.
func fillAttachments(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, docs []*Document) error {
	byID := map[string]*Document{}
	var args []any
	for _, d := range docs {
		if len(d.Attachments) > 0 {
			byID[d.ID] = d
			args = append(args, d.ID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, "SELECT doc_id, url, "+attColumns+" FROM attachments WHERE doc_id IN ("+
		strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+")", args...)
	if err != nil {
		return fmt.Errorf("read attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a Attachment
		if err := rows.Scan(&id, &a.URL, &a.Name, &a.SHA256, &a.Type, &a.Bytes, &a.Pages, &a.State, &a.Reason, packedText{&a.Text}); err != nil {
			return fmt.Errorf("read attachments: %w", err)
		}
		d := byID[id]
		for i := range d.Attachments {
			if d.Attachments[i].URL == a.URL {
				a.Name = d.Attachments[i].Name // the page's link text, as the document lists it
				d.Attachments[i] = a
			}
		}
	}
	return rows.Err()
}

// links are the attachments as the documents table keeps them: name and
// URL only (the rest is in the attachments table).
func links(as []Attachment) []Attachment {
	out := make([]Attachment, len(as))
	for i, a := range as {
		out[i] = Attachment{Name: a.Name, URL: a.URL}
	}
	return out
}

// AttachmentDir is the folder of the attachment files, beside the database.
func (s *Store) AttachmentDir() string { return filepath.Join(filepath.Dir(s.path), "attachments") }

// PutFile stores data content-addressed under AttachmentDir (ab/cdef…, by
// SHA-256, 0600 in folders 0700), written to a temporary file and renamed,
// once: bytes already stored are not written again. It returns the hex
// SHA-256.
func (s *Store) PutFile(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	path := s.FilePath(sha)
	if _, err := os.Stat(path); err == nil {
		return sha, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("store file %s: %w", sha, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*") // CreateTemp makes it 0600
	if err != nil {
		return "", fmt.Errorf("store file %s: %w", sha, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("store file %s: %w", sha, err)
	}
	return sha, nil
}

// FilePath is where PutFile keeps the file with this SHA-256.
func (s *Store) FilePath(sha string) string {
	if len(sha) < 3 {
		return filepath.Join(s.AttachmentDir(), sha)
	}
	return filepath.Join(s.AttachmentDir(), sha[:2], sha[2:])
}

// AttachmentCount is the number of attachments of one type among the live
// documents published in one year.
type AttachmentCount struct {
	Year  int    `json:"year"`
	Type  string `json:"type"` // "" for files not fetched or of a type not recognised
	Count int    `json:"count"`
}

// AttachmentCounts counts the attachments the crawler recorded (or an
// import carried) of live documents, by year of publication and type;
// documents without a date are left out; unit "" counts every unit's. An attachment belongs to its
// document: it is never counted as one. The documents are read through
// their covering index, never their rows (whose bodies are long).
func (s *Store) AttachmentCounts(ctx context.Context, unit string) ([]AttachmentCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT CAST(strftime('%Y', d.published + 8*3600, 'unixepoch') AS INTEGER) AS y, a.type, COUNT(*)
		FROM documents d INDEXED BY documents_items JOIN attachments a ON a.doc_id = d.id
		WHERE d.status = ? AND d.published IS NOT NULL AND (? = '' OR d.unit = ?)
		GROUP BY y, a.type ORDER BY y, a.type`, StatusLive, unit, unit)
	if err != nil {
		return nil, fmt.Errorf("count attachments: %w", err)
	}
	defer rows.Close()
	var out []AttachmentCount
	for rows.Next() {
		var c AttachmentCount
		if err := rows.Scan(&c.Year, &c.Type, &c.Count); err != nil {
			return nil, fmt.Errorf("count attachments: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
