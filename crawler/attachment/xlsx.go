package attachment

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxText writes each sheet as its name on a line, then its rows, one
// line per row with cells separated by tabs (trailing empty cells and
// empty rows left out). Cells are the formatted values a reader sees.
func xlsxText(ctx context.Context, data []byte, lim Limits, out *textBuf) error {
	if _, err := openZip(data, lim); err != nil {
		return err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    lim.MaxBytes * 4,
		UnzipXMLSizeLimit: lim.MaxBytes,
	})
	if err != nil {
		return fmt.Errorf("打开 xlsx 失败：%w", err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		if err := sheetText(ctx, f, sheet, out); err != nil {
			return err
		}
		if out.full() {
			break
		}
	}
	return nil
}

// sheetText streams one sheet's rows into out.
func sheetText(ctx context.Context, f *excelize.File, sheet string, out *textBuf) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("读取工作表 %s 失败：%w", sheet, err)
	}
	defer rows.Close()
	out.line()
	out.WriteString(sheet + "\n")
	for n := 0; rows.Next() && !out.full(); n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("读取工作表 %s 第 %d 行失败：%w", sheet, n+1, err)
		}
		writeRow(cells, out)
	}
	return rows.Error()
}

// writeRow writes cells tab-separated on one line, without trailing empty
// cells; an empty row writes nothing.
func writeRow(cells []string, out *textBuf) {
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return
	}
	for i, c := range cells {
		if i > 0 {
			out.WriteString("\t")
		}
		out.WriteString(strings.Join(strings.Fields(c), " "))
	}
	out.WriteString("\n")
}
