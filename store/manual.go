package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ManualChannels are the offline channels staff enter by hand, with their Chinese names.
var ManualChannels = map[string]string{
	ChannelBoard:  channelLabels[ChannelBoard],
	ChannelScreen: channelLabels[ChannelScreen],
	ChannelReport: channelLabels[ChannelReport],
}

// ManualEntry is an item published on an offline channel, entered by staff.
// Count is how many items the entry stands for (e.g. 31 village boards).
type ManualEntry struct {
	ID                       int64
	Date                     time.Time
	Channel, Category, Title string
	Count                    int
	Note                     string
	Unit                     string // the township or bureau; "" for the home unit (AssignUnits)
	// Origin is the list of reports sent the entry was read from; "" for
	// an entry staff made (ReplaceListed replaces a list's entries).
	Origin string
}

// Validate says what is wrong with e, in words staff understand.
func (e *ManualEntry) Validate() error {
	if _, ok := ManualChannels[e.Channel]; !ok {
		return fmt.Errorf("渠道 %q 无效，应为 board（公开栏）、screen（显示屏）或 report（信息报送）", e.Channel)
	}
	if e.Date.IsZero() {
		return fmt.Errorf("缺少日期")
	}
	if strings.TrimSpace(e.Title) == "" {
		return fmt.Errorf("缺少标题")
	}
	if e.Count < 1 {
		return fmt.Errorf("数量 %d 无效，应为正整数", e.Count)
	}
	return nil
}

// AddManual validates and stores e, filling e.ID.
func (s *Store) AddManual(ctx context.Context, e *ManualEntry) error {
	return s.AddManualBatch(ctx, []*ManualEntry{e})
}

// AddManualBatch validates every entry, then stores all of them in one
// transaction, or none.
func (s *Store) AddManualBatch(ctx context.Context, entries []*ManualEntry) error {
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, e := range entries {
			if e.Unit == "" {
				e.Unit = s.homeUnit()
			}
			if err := insertManual(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertManual(ctx context.Context, tx *sql.Tx, e *ManualEntry) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO manual_entries (date, channel, category, title, count, note, unit, origin)
		VALUES (?,?,?,?,?,?,?,?)`, e.Date.Unix(), e.Channel, e.Category, e.Title, e.Count, e.Note, e.Unit, e.Origin)
	if err != nil {
		return fmt.Errorf("add manual entry %q: %w", e.Title, err)
	}
	e.ID, err = res.LastInsertId()
	return err
}

// ReplaceListed replaces the entries read from the list origin (a file of
// reports sent) with entries, in one transaction. It returns how many
// entries the list had before.
func (s *Store) ReplaceListed(ctx context.Context, origin string, entries []*ManualEntry) (int, error) {
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return 0, fmt.Errorf("%s: entry %d: %w", origin, i+1, err)
		}
	}
	var before int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM manual_entries WHERE origin = ?", origin)
		if err != nil {
			return fmt.Errorf("replace the entries of %s: %w", origin, err)
		}
		n, _ := res.RowsAffected()
		before = int(n)
		for _, e := range entries {
			e.Origin = origin
			if err := insertManual(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return before, err
}

// ManualEntries returns the entries dated in [from, to), by date.
func (s *Store) ManualEntries(ctx context.Context, from, to time.Time) ([]ManualEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, date, channel, category, title, count, note, unit, origin
		FROM manual_entries WHERE date >= ? AND date < ? ORDER BY date, id`, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("manual entries: %w", err)
	}
	defer rows.Close()
	var out []ManualEntry
	for rows.Next() {
		var e ManualEntry
		var date sql.NullInt64
		if err := rows.Scan(&e.ID, &date, &e.Channel, &e.Category, &e.Title, &e.Count, &e.Note, &e.Unit, &e.Origin); err != nil {
			return nil, err
		}
		e.Date = fromUnix(date)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ErrListed is returned for an entry that a list of reports sent holds:
// it is changed in the list, not deleted.
var ErrListed = errors.New("entry of a list of reports sent (change the list instead)")

// DeleteManual deletes one entry staff made, or returns ErrNotFound or ErrListed.
func (s *Store) DeleteManual(ctx context.Context, id int64) error {
	var origin string
	err := s.db.QueryRowContext(ctx, "SELECT origin FROM manual_entries WHERE id = ?", id).Scan(&origin)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("manual entry %d: %w", id, ErrNotFound)
	case err != nil:
		return fmt.Errorf("delete manual entry %d: %w", id, err)
	case origin != "":
		return fmt.Errorf("manual entry %d comes from the list %s: %w", id, origin, ErrListed)
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM manual_entries WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete manual entry %d: %w", id, err)
	}
	return nil
}
