package store

import (
	"context"
	"database/sql"
	"fmt"
)

// homeUnit is the unit of documents and entries stored without one; "" until
// AssignUnits names it.
func (s *Store) homeUnit() string {
	if h := s.home.Load(); h != nil {
		return *h
	}
	return ""
}

// AssignUnits gives every document and manual entry that has no unit one,
// and makes home the unit of those stored later without one:
// a document its source's unit (bySource), else home, the unit of
// everything else (rows stored before units existed, JSONL lines and staff
// entries that name none). Documents get a new sequence number, so the
// index takes their unit. It returns how many documents it changed.
func (s *Store) AssignUnits(ctx context.Context, bySource map[string]string, home string) (int, error) {
	if home == "" {
		return 0, fmt.Errorf("assign units: no home unit")
	}
	s.home.Store(&home)
	n := 0
	for {
		docs, _, _, err := s.page(ctx, "WHERE unit = '' AND id > ? ORDER BY id", "")
		if err != nil {
			return n, fmt.Errorf("assign units: %w", err)
		}
		if len(docs) == 0 {
			break
		}
		for _, d := range docs {
			d.Unit = home
			if u := bySource[d.Source]; u != "" {
				d.Unit = u
			}
		}
		if _, err := s.UpsertBatch(ctx, docs); err != nil {
			return n, fmt.Errorf("assign units: %w", err)
		}
		n += len(docs)
	}
	var unassigned bool // a cheap read (index manual_entries_unassigned) spares a write on every open
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM manual_entries WHERE unit = '')").Scan(&unassigned)
	if err == nil && unassigned {
		err = s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE manual_entries SET unit = ? WHERE unit = ''", home)
			return err
		})
	}
	if err != nil {
		return n, fmt.Errorf("assign units to manual entries: %w", err)
	}
	return n, nil
}
