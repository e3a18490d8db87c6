package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Names of the staff tables in the store.
const (
	TableApplications = "table3" // 表三: 收到和处理政府信息公开申请情况
	TableAppeals      = "table4" // 表四: 政府信息公开行政复议、行政诉讼情况
)

// CheckTable3 checks 表三 as staff gave it (rows by key, see Table3Rows):
// widths, totals, no negative figure, and 一 + 二 = （七） + 四 in every column.
func CheckTable3(cells map[string][]int) []Problem {
	var p []Problem
	checkTable3(cells, &p)
	return p
}

// CheckTable4 checks 表四 as staff gave it (rows by key, see Table4Rows).
func CheckTable4(cells map[string][]int) []Problem {
	var p []Problem
	grid("表四", cells, Table4Rows, Table4Columns, &p)
	return p
}

// SaveStaffTables checks 表三 and 表四 (either may be nil: left as stored)
// and stores them as the tables of year, each changed cell logged with user,
// via ("web", "import FILE") and now. When a check fails nothing is stored
// and the error is a *CheckError. It returns how many cells changed.
func SaveStaffTables(ctx context.Context, st *store.Store, year int, table3, table4 map[string][]int, user, via string, now time.Time) (int, error) {
	var problems []Problem
	var g3, g4 staffGrid
	if table3 != nil {
		g3 = checkTable3(table3, &problems)
	}
	if table4 != nil {
		g4 = grid("表四", table4, Table4Rows, Table4Columns, &problems)
	}
	if len(problems) > 0 {
		return 0, &CheckError{Problems: problems}
	}
	changed := 0
	for _, t := range []struct {
		name string
		g    staffGrid
		rows []RowDef
	}{{TableApplications, g3, Table3Rows}, {TableAppeals, g4, Table4Rows}} {
		if t.g == nil {
			continue
		}
		n, err := st.SaveReportTable(ctx, year, t.name, enteredCells(t.g, t.rows), user, via, now)
		if err != nil {
			return changed, err
		}
		changed += n
	}
	return changed, nil
}

// enteredCells are the cells staff enter: every row but the computed （七）总计,
// every column but the computed 总计.
func enteredCells(g staffGrid, rows []RowDef) store.ReportCells {
	out := store.ReportCells{}
	for _, r := range rows {
		if r.Key == "total" {
			continue
		}
		v := g[r.Key]
		out[r.Key] = append([]int(nil), v[:len(v)-1]...)
	}
	return out
}

// StaffTables returns the stored 表三 and 表四 of year, nil where nothing
// was entered.
func StaffTables(ctx context.Context, st *store.Store, year int) (table3, table4 map[string][]int, err error) {
	t3, err := st.ReportTable(ctx, year, TableApplications)
	if err != nil {
		return nil, nil, err
	}
	t4, err := st.ReportTable(ctx, year, TableAppeals)
	if err != nil {
		return nil, nil, err
	}
	return widen(t3, len(Table3Columns)-1), widen(t4, len(Table4Columns)-1), nil
}

// widen pads every stored row to n columns (a cell never entered is 0).
func widen(c store.ReportCells, n int) map[string][]int {
	if c == nil {
		return nil
	}
	out := make(map[string][]int, len(c))
	for k, v := range c {
		if len(v) > n {
			v = v[:n]
		}
		out[k] = append(v, make([]int, n-len(v))...)
	}
	return out
}

// fillStaffTables takes 表三 and 表四 of year from the store where in has none.
func fillStaffTables(ctx context.Context, st *store.Store, year int, in *StaffInput) error {
	if in.Table3 != nil && in.Table4 != nil {
		return nil
	}
	t3, t4, err := StaffTables(ctx, st, year)
	if err != nil {
		return fmt.Errorf("staff tables of %d: %w", year, err)
	}
	if in.Table3 == nil {
		in.Table3 = t3
	}
	if in.Table4 == nil {
		in.Table4 = t4
	}
	return nil
}
