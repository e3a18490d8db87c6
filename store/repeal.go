package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// RepealStats says what ApplyRepeals found and changed.
type RepealStats struct {
	Notices int // live documents that repeal at least one stored document
	Marked  int // documents newly marked as repealed (or by another notice)
	Cleared int // documents whose repealing notice is gone or no longer names them
}

// nameRow is what matching needs of a live document.
type nameRow struct {
	id, title, docNumber string
	published            int64 // Unix seconds, 0 when unknown
}

// ApplyRepeals marks every live document that a live notice repeals
// (RepealedNames, matched by title, a title it quotes, or document number)
// with the notice's id, and clears marks whose notice no longer repeals the
// document. A notice repeals only documents published no later than itself;
// when several do, the earliest is kept. Changed documents get a new sequence
// number, so the index picks them up. It reads the whole archive (the text
// of documents that mention 废止 only) and is meant to run after each crawl
// and ingest.
func (s *Store) ApplyRepeals(ctx context.Context) (RepealStats, error) {
	var st RepealStats
	docs, err := s.nameRows(ctx)
	if err != nil {
		return st, fmt.Errorf("apply repeals: %w", err)
	}
	byKey := map[string][]int{}
	for i, d := range docs {
		for _, k := range docKeys(d) {
			byKey[k] = append(byKey[k], i)
		}
	}
	want := map[string]nameRow{} // document id -> the notice repealing it
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, body, COALESCE(published, 0) FROM documents
		WHERE status = 'live' AND (title LIKE '%废止%' OR body LIKE '%废止%') ORDER BY id`)
	if err != nil {
		return st, fmt.Errorf("apply repeals: read notices: %w", err)
	}
	for rows.Next() {
		var n nameRow
		var body string
		if err := rows.Scan(&n.id, &n.title, &body, &n.published); err != nil {
			rows.Close()
			return st, fmt.Errorf("apply repeals: %w", err)
		}
		found := false
		for _, name := range RepealedNames(n.title, body) {
			for _, i := range byKey[nameKey(name)] {
				t := docs[i]
				if t.id == n.id || (t.published > 0 && n.published > 0 && t.published > n.published) {
					continue
				}
				found = true
				if cur, ok := want[t.id]; !ok || n.published < cur.published || (n.published == cur.published && n.id < cur.id) {
					want[t.id] = n
				}
			}
		}
		if found {
			st.Notices++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("apply repeals: read notices: %w", err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error { return s.markRepeals(ctx, tx, want, &st) })
	if err != nil {
		return st, fmt.Errorf("apply repeals: %w", err)
	}
	return st, nil
}

// Repeals returns, by document id, the notice that repeals each document
// ApplyRepeals marked.
func (s *Store) Repeals(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	rows, err := s.db.QueryContext(ctx, "SELECT id, repealed_by FROM documents WHERE repealed_by != ''")
	if err != nil {
		return nil, fmt.Errorf("read repeals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, by string
		if err := rows.Scan(&id, &by); err != nil {
			return nil, fmt.Errorf("read repeals: %w", err)
		}
		out[id] = by
	}
	return out, rows.Err()
}

// markRepeals writes the wanted repealed_by values where they differ.
func (s *Store) markRepeals(ctx context.Context, tx *sql.Tx, want map[string]nameRow, st *RepealStats) error {
	have := map[string]string{}
	rows, err := tx.QueryContext(ctx, "SELECT id, repealed_by FROM documents WHERE repealed_by != ''")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, by string
		if err := rows.Scan(&id, &by); err != nil {
			rows.Close()
			return err
		}
		have[id] = by
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	set := map[string]string{}
	for id, n := range want {
		if have[id] != n.id {
			set[id] = n.id
			st.Marked++
		}
	}
	for id := range have {
		if _, ok := want[id]; !ok {
			set[id] = ""
			st.Cleared++
		}
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM documents").Scan(&seq); err != nil {
		return err
	}
	for _, id := range ids {
		seq++
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET repealed_by = ?, seq = ? WHERE id = ?", set[id], seq, id); err != nil {
			return fmt.Errorf("mark %q repealed by %q: %w", id, set[id], err)
		}
	}
	return nil
}

// nameRows reads the id, title, document number and date of every live
// document (from the covering index, without the text).
func (s *Store) nameRows(ctx context.Context) ([]nameRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, doc_number, COALESCE(published, 0)
		FROM documents INDEXED BY documents_items WHERE status = 'live'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nameRow
	for rows.Next() {
		var d nameRow
		if err := rows.Scan(&d.id, &d.title, &d.docNumber, &d.published); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// issuing matches a title that issues the document it quotes
// (关于印发《X》的通知), unlike one that repeals or explains it.
var issuing = regexp.MustCompile(`(印发|发布|颁布|转发|公布)《`)

// docKeys are the names a document is known by: its title, the title it
// issues (关于印发《X》的通知 is the document X) and its number.
func docKeys(d nameRow) []string {
	keys := []string{nameKey(d.title)}
	if issuing.MatchString(d.title) && !strings.Contains(d.title, repealVerb) {
		for _, m := range quotedName.FindAllStringSubmatch(d.title, -1) {
			keys = append(keys, nameKey(m[1]))
		}
	}
	if d.docNumber != "" && docNumberName.MatchString(d.docNumber) {
		keys = append(keys, nameKey(d.docNumber))
	}
	return keys
}
