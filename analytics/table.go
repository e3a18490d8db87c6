package analytics

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/gongkai-project/gongkai/internal/csvsafe"
)

// Table is one exportable table; cells are string, int or float64.
type Table struct {
	Name   string // short ASCII name: file and API name (channels, months, ...)
	Title  string // Chinese title: sheet name and caption
	Header []string
	Rows   [][]any
}

// CellText formats a cell for text, CSV and the web.
func CellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// WriteTablesCSV writes tables one after another, each as a title row, a
// header row and its rows, separated by an empty row. Text cells are
// neutralised against formulas (csvsafe.Text); int and float64 cells stay
// numbers, negative ones included.
func WriteTablesCSV(w io.Writer, tables []Table) error {
	cw := csvsafe.NewWriter(w)
	for i, t := range tables {
		if i > 0 {
			cw.Write()
		}
		cw.Write(t.Title)
		if err := writeCSVRows(cw, t); err != nil {
			return err
		}
	}
	return cw.Flush()
}

func writeCSVRows(cw *csvsafe.Writer, t Table) error {
	if err := cw.Write(t.Header...); err != nil {
		return fmt.Errorf("write csv %s: %w", t.Name, err)
	}
	rec := make([]string, 0, len(t.Header))
	for _, row := range t.Rows {
		rec = rec[:0]
		for _, v := range row {
			if s, text := v.(string); text {
				rec = append(rec, csvsafe.Text(s))
			} else {
				rec = append(rec, CellText(v))
			}
		}
		if err := cw.WriteRaw(rec); err != nil {
			return fmt.Errorf("write csv %s: %w", t.Name, err)
		}
	}
	return nil
}

// WriteTablesXLSX writes an XLSX workbook with one sheet per table, named by
// its title, numbers as numbers.
func WriteTablesXLSX(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t, i)
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = sheetName(Table{Title: fmt.Sprintf("%.25s(%d)", t.Title, n)}, i)
		}
		used[strings.ToLower(name)] = true
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
		if err := fillSheet(f, name, t, bold); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// sheetName is the table's title cut to Excel's 31 characters without the
// characters Excel forbids.
func sheetName(t Table, i int) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, t.Title)
	if name == "" {
		name = fmt.Sprintf("表%d", i+1)
	}
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	return name
}

func fillSheet(f *excelize.File, sheet string, t Table, bold int) error {
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	for r, row := range t.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	if len(t.Header) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(t.Header), 1)
		if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
			return err
		}
	}
	for c := range t.Header {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, col, col, float64(min(max(columnWidth(t, c), 6), 60))+2); err != nil {
			return err
		}
	}
	return nil
}

// columnWidth is the widest cell of column c in display columns.
func columnWidth(t Table, c int) int {
	w := displayWidth(t.Header[c])
	for _, row := range t.Rows {
		if c < len(row) {
			w = max(w, displayWidth(CellText(row[c])))
		}
	}
	return w
}

// displayWidth counts East Asian wide characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// WriteTablesText writes tables as aligned plain text for a terminal.
func WriteTablesText(w io.Writer, tables []Table) error {
	var b strings.Builder
	for i, t := range tables {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s\n", t.Title)
		widths := make([]int, len(t.Header))
		for c := range t.Header {
			widths[c] = columnWidth(t, c)
		}
		writeTextRow(&b, widths, t.Header)
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for c, v := range row {
				cells[c] = CellText(v)
			}
			writeTextRow(&b, widths, cells)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTextRow(b *strings.Builder, widths []int, cells []string) {
	for c, s := range cells {
		if c > 0 {
			b.WriteString("  ")
		}
		b.WriteString(s)
		if c < len(cells)-1 && c < len(widths) {
			b.WriteString(strings.Repeat(" ", widths[c]-displayWidth(s)))
		}
	}
	b.WriteByte('\n')
}
