package crawler

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/gongkai-project/gongkai/store"
)

// reportColumns are the header names a list of reports sent may use for
// each field, Chinese or English.
var reportColumns = map[string][]string{
	"date": {"日期", "报送日期", "date"}, "title": {"标题", "信息标题", "title"},
	"count": {"数量", "条数", "count"}, "category": {"类别", "分类", "category"}, "note": {"备注", "note"},
}

// ReadReports reads a CSV list of the reports unit sent upward (报送): a
// header row naming the columns (日期 and 标题 required; 数量, 类别 and 备注
// optional; Chinese or English names), then one report per row. Every row
// is checked; any problem fails the whole list with the line it is on.
func ReadReports(path, unit string) ([]*store.ManualEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reports sent: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	col, err := reportHeader(header)
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", path, err)
	}
	var out []*store.ManualEntry
	var errs []error
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		e, err := reportEntry(rec, col, unit)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, line, err))
			continue
		}
		if e != nil {
			out = append(out, e)
		}
	}
	return out, errors.Join(errs...)
}

// reportHeader maps each field to its column (-1 when absent).
func reportHeader(header []string) (map[string]int, error) {
	col := map[string]int{}
	for field, names := range reportColumns {
		col[field] = -1
		for i, h := range header {
			h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
			for _, n := range names {
				if h == n {
					col[field] = i
				}
			}
		}
	}
	if col["date"] < 0 || col["title"] < 0 {
		return nil, fmt.Errorf("the header %q needs the columns 日期 and 标题 (date, title)", strings.Join(header, ","))
	}
	return col, nil
}

// reportEntry is one row as a manual entry of the report channel; nil for
// an empty row.
func reportEntry(rec []string, col map[string]int, unit string) (*store.ManualEntry, error) {
	get := func(field string) string {
		if i := col[field]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	if strings.TrimSpace(strings.Join(rec, "")) == "" {
		return nil, nil
	}
	day, err := store.ParseDate(get("date"))
	if err != nil || day.IsZero() {
		return nil, fmt.Errorf("日期 %q 无效（应为 2015-03-02 或 2015年3月2日）", get("date"))
	}
	e := &store.ManualEntry{Date: day, Channel: store.ChannelReport, Title: get("title"), Category: get("category"),
		Note: get("note"), Count: 1, Unit: unit}
	if c := get("count"); c != "" {
		if e.Count, err = strconv.Atoi(c); err != nil || e.Count < 1 {
			return nil, fmt.Errorf("数量 %q 无效，应为正整数", c)
		}
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// readReportLists replaces the entries of every unit's list of reports sent
// with the list as it is now. A list with a problem is left as it was
// stored and reported.
func (c *Crawler) readReportLists(ctx context.Context) error {
	var errs []error
	for _, u := range c.cfg.Units {
		if u.Reports == "" {
			continue
		}
		entries, err := ReadReports(u.Reports, u.Name)
		if err != nil {
			errs = append(errs, fmt.Errorf("unit %s: %w (its reports sent stay as last read)", u.Name, err))
			continue
		}
		if err := c.write(func() error { _, err := c.st.ReplaceListed(ctx, u.Reports, entries); return err }); err != nil {
			errs = append(errs, fmt.Errorf("unit %s: %w", u.Name, err))
			continue
		}
		c.opt.Logger.Info("reports sent read", "unit", u.Name, "list", u.Reports, "reports", len(entries))
	}
	return errors.Join(errs...)
}
