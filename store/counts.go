package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// CountRow is the number of live documents published in one Beijing month
// on one channel in one category.
type CountRow struct {
	Year, Month       int
	Channel, Category string
	N                 int
}

// Counts groups the live documents published in [from, to) by Beijing year,
// month, channel and category.
func (s *Store) Counts(ctx context.Context, from, to time.Time) ([]CountRow, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT CAST(strftime('%Y', published + 28800, 'unixepoch') AS INTEGER) AS y,
		       CAST(strftime('%m', published + 28800, 'unixepoch') AS INTEGER) AS m,
		       channel, category, COUNT(*)
		FROM documents
		WHERE status = 'live' AND published >= ? AND published < ?
		GROUP BY y, m, channel, category ORDER BY y, m, channel, category`, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	defer rows.Close()
	var out []CountRow
	for rows.Next() {
		var r CountRow
		if err := rows.Scan(&r.Year, &r.Month, &r.Channel, &r.Category, &r.N); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Item is the light form of a document that analytics needs: no text.
type Item struct {
	ID, Channel, Source, Column, Category, Publisher, Title, DocNumber, Genre, TextHash string
	Unit                                                                                string
	Validity                                                                            string // 有效性 as stated, one of Validities
	Published, Written                                                                  time.Time
}

// Items returns the live documents published in [from, to), by date. It
// reads only the covering index documents_items.
func (s *Store) Items(ctx context.Context, from, to time.Time) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, channel, source, column_name, category, publisher, title, doc_number, genre,
		       text_hash, validity, published, written, unit
		FROM documents INDEXED BY documents_items
		WHERE status = 'live' AND published >= ? AND published < ?
		ORDER BY published`, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("list items %s..%s: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), err)
	}
	defer rows.Close()
	var out []Item
	in := interner{}
	var raw [8]sql.RawBytes
	for rows.Next() {
		var it Item
		var pub, wr sql.NullInt64
		if err := rows.Scan(&it.ID, &raw[0], &raw[1], &raw[2], &raw[3], &raw[4],
			&it.Title, &it.DocNumber, &raw[5], &it.TextHash, &raw[6], &pub, &wr, &raw[7]); err != nil {
			return nil, err
		}
		it.Channel, it.Source, it.Column, it.Category = in.get(raw[0]), in.get(raw[1]), in.get(raw[2]), in.get(raw[3])
		it.Publisher, it.Genre, it.Validity = in.get(raw[4]), in.get(raw[5]), in.get(raw[6])
		it.Unit = in.get(raw[7])
		it.Published, it.Written = fromUnix(pub), fromUnix(wr)
		out = append(out, it)
	}
	return out, rows.Err()
}

// interner shares one string per distinct value of a repetitive column.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}
