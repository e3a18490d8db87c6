package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ThesaurusEntry is a word of the thesaurus as staff set it: the official
// words searched with it (none: the word is switched off), who set it and when.
type ThesaurusEntry struct {
	Word      string
	Official  []string
	UpdatedBy string
	UpdatedAt time.Time
}

// ThesaurusChange is one staff edit of the thesaurus. Before is nil for a
// new word and After nil for a removed one.
type ThesaurusChange struct {
	At            time.Time
	User, Word    string
	Before, After *[]string
}

// ThesaurusEntries returns the staff entries, by word.
func (s *Store) ThesaurusEntries(ctx context.Context) ([]ThesaurusEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT word, official, updated_by, updated_at FROM thesaurus ORDER BY word`)
	if err != nil {
		return nil, fmt.Errorf("thesaurus entries: %w", err)
	}
	defer rows.Close()
	var out []ThesaurusEntry
	for rows.Next() {
		var e ThesaurusEntry
		var official string
		var at int64
		if err := rows.Scan(&e.Word, &official, &e.UpdatedBy, &at); err != nil {
			return nil, fmt.Errorf("thesaurus entries: %w", err)
		}
		if err := json.Unmarshal([]byte(official), &e.Official); err != nil {
			return nil, fmt.Errorf("thesaurus entry %q: %w", e.Word, err)
		}
		e.UpdatedAt = time.Unix(at, 0).In(Beijing)
		out = append(out, e)
	}
	return out, rows.Err()
}

// PutThesaurusEntry sets the official words of word (none switches it off)
// and logs the change by user, in one transaction.
func (s *Store) PutThesaurusEntry(ctx context.Context, user, word string, official []string, now time.Time) error {
	if word == "" || user == "" {
		return fmt.Errorf("put thesaurus entry %q by %q: word and user are required", word, user)
	}
	if official == nil {
		official = []string{}
	}
	after, err := json.Marshal(official)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := thesaurusOfficial(ctx, tx, word)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO thesaurus (word, official, updated_by, updated_at) VALUES (?,?,?,?)
			ON CONFLICT(word) DO UPDATE SET official = excluded.official, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, word, string(after), user, now.Unix()); err != nil {
			return fmt.Errorf("put thesaurus entry %q: %w", word, err)
		}
		return logThesaurus(ctx, tx, now, user, word, before, sql.NullString{String: string(after), Valid: true})
	})
}

// DeleteThesaurusEntry removes the staff entry of word (the built-in or
// config entry, if any, applies again) and logs it. It reports whether
// there was one.
func (s *Store) DeleteThesaurusEntry(ctx context.Context, user, word string, now time.Time) (bool, error) {
	found := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := thesaurusOfficial(ctx, tx, word)
		if err != nil || !before.Valid {
			return err
		}
		found = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM thesaurus WHERE word = ?`, word); err != nil {
			return fmt.Errorf("delete thesaurus entry %q: %w", word, err)
		}
		return logThesaurus(ctx, tx, now, user, word, before, sql.NullString{})
	})
	return found, err
}

// ThesaurusLog returns the latest limit changes, newest first.
func (s *Store) ThesaurusLog(ctx context.Context, limit int) ([]ThesaurusChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, user, word, before, after FROM thesaurus_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("thesaurus log: %w", err)
	}
	defer rows.Close()
	var out []ThesaurusChange
	for rows.Next() {
		var c ThesaurusChange
		var at int64
		var before, after sql.NullString
		if err := rows.Scan(&at, &c.User, &c.Word, &before, &after); err != nil {
			return nil, fmt.Errorf("thesaurus log: %w", err)
		}
		c.At = time.Unix(at, 0).In(Beijing)
		if c.Before, err = officialOf(before); err != nil {
			return nil, err
		}
		if c.After, err = officialOf(after); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func thesaurusOfficial(ctx context.Context, tx *sql.Tx, word string) (sql.NullString, error) {
	var v sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT official FROM thesaurus WHERE word = ?`, word).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.NullString{}, nil
	}
	if err != nil {
		return v, fmt.Errorf("read thesaurus entry %q: %w", word, err)
	}
	return v, nil
}

func logThesaurus(ctx context.Context, tx *sql.Tx, now time.Time, user, word string, before, after sql.NullString) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO thesaurus_log (at, user, word, before, after) VALUES (?,?,?,?,?)`,
		now.Unix(), user, word, before, after)
	if err != nil {
		return fmt.Errorf("log thesaurus change of %q: %w", word, err)
	}
	return nil
}

func officialOf(v sql.NullString) (*[]string, error) {
	if !v.Valid {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v.String), &out); err != nil {
		return nil, fmt.Errorf("thesaurus log: %w", err)
	}
	return &out, nil
}
