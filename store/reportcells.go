package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ReportCells are the cells of one staff table of a year's annual report:
// rows by key, each the values of its columns in order.
type ReportCells map[string][]int

// CellChange is one change of a report cell: Before is nil for a cell that
// was not entered. Via says how: "web" or "import FILE".
type CellChange struct {
	At         time.Time
	User, Via  string
	Year       int
	Table, Row string
	Col        int
	Before     *int
	After      int
}

// ReportTable returns the stored cells of table in year (nil when nothing
// was entered).
func (s *Store) ReportTable(ctx context.Context, year int, table string) (ReportCells, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT row, col, value FROM report_cells WHERE year = ? AND tbl = ?`, year, table)
	if err != nil {
		return nil, fmt.Errorf("report table %s of %d: %w", table, year, err)
	}
	defer rows.Close()
	var out ReportCells
	for rows.Next() {
		var row string
		var col, v int
		if err := rows.Scan(&row, &col, &v); err != nil {
			return nil, fmt.Errorf("report table %s of %d: %w", table, year, err)
		}
		if out == nil {
			out = ReportCells{}
		}
		for len(out[row]) <= col {
			out[row] = append(out[row], 0)
		}
		out[row][col] = v
	}
	return out, rows.Err()
}

// SaveReportTable stores cells as table of year, in one transaction, and logs
// every cell whose value changed with user, via and now (a cell never entered
// counts as 0). It returns how many cells changed. Values must not be negative.
func (s *Store) SaveReportTable(ctx context.Context, year int, table string, cells ReportCells, user, via string, now time.Time) (int, error) {
	if user == "" || via == "" || table == "" {
		return 0, fmt.Errorf("save report table %q of %d: table, user and via are required", table, year)
	}
	changed := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for row, values := range cells {
			for col, v := range values {
				if v < 0 {
					return fmt.Errorf("save report table %s of %d: %s column %d is negative (%d)", table, year, row, col, v)
				}
				var before sql.NullInt64
				err := tx.QueryRowContext(ctx, `SELECT value FROM report_cells WHERE year = ? AND tbl = ? AND row = ? AND col = ?`,
					year, table, row, col).Scan(&before)
				if err != nil && err != sql.ErrNoRows {
					return fmt.Errorf("save report table %s of %d: %w", table, year, err)
				}
				if before.Valid && before.Int64 == int64(v) {
					continue
				}
				// A cell never entered reads as 0: entering 0 changes nothing
				// worth logging, but the cell is stored as entered.
				quiet := !before.Valid && v == 0
				if _, err := tx.ExecContext(ctx, `INSERT INTO report_cells (year, tbl, row, col, value, updated_by, updated_at)
					VALUES (?,?,?,?,?,?,?) ON CONFLICT(year, tbl, row, col) DO UPDATE SET value = excluded.value,
					updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
					year, table, row, col, v, user, now.Unix()); err != nil {
					return fmt.Errorf("save report table %s of %d: %w", table, year, err)
				}
				if quiet {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO report_cells_log (at, user, via, year, tbl, row, col, before, after)
					VALUES (?,?,?,?,?,?,?,?,?)`, now.Unix(), user, via, year, table, row, col, before, v); err != nil {
					return fmt.Errorf("log report table %s of %d: %w", table, year, err)
				}
				changed++
			}
		}
		return nil
	})
	return changed, err
}

// ReportCellLog returns the latest changes of the report cells of year,
// newest first, at most limit.
func (s *Store) ReportCellLog(ctx context.Context, year, limit int) ([]CellChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, user, via, year, tbl, row, col, before, after FROM report_cells_log
		WHERE year = ? ORDER BY id DESC LIMIT ?`, year, limit)
	if err != nil {
		return nil, fmt.Errorf("report cell log of %d: %w", year, err)
	}
	defer rows.Close()
	var out []CellChange
	for rows.Next() {
		var c CellChange
		var at int64
		var before sql.NullInt64
		if err := rows.Scan(&at, &c.User, &c.Via, &c.Year, &c.Table, &c.Row, &c.Col, &before, &c.After); err != nil {
			return nil, fmt.Errorf("report cell log of %d: %w", year, err)
		}
		c.At = time.Unix(at, 0).In(Beijing)
		if before.Valid {
			b := int(before.Int64)
			c.Before = &b
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
