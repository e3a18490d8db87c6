package analytics

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gongkai-project/gongkai/store"
)

// Tables returns every table of the statistics: summary, the units side by
// side (county view only), channels,
// categories, months, month targets, publishers, sources, columns,
// staleness and late disclosures.
func (s *YearStats) Tables() []Table {
	units := []Table{}
	if len(s.Units) > 0 {
		units = append(units, s.unitsTable())
	}
	return append(append([]Table{s.summaryTable()}, units...),
		progressTable("channels", "渠道", "渠道", s.Channels, store.ChannelLabel),
		progressTable("categories", "类别", "类别", s.Categories, nil),
		s.monthsTable(),
		s.monthTargetTable(),
		countTable("publishers", "发布机构", "发布机构", s.Counts.Publishers),
		countTable("sources", "来源", "来源", s.Counts.Sources),
		s.columnsTable(),
		staleTable(s.Stale),
		inspectionTable(s.Inspection),
		s.disclosureTable(),
	)
}

// Table returns the table named name (see Tables), or false.
func (s *YearStats) Table(name string) (Table, bool) {
	for _, t := range s.Tables() {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

func (s *YearStats) summaryTable() Table {
	return Table{Name: "summary", Title: "概况", Header: []string{"项目", "值"}, Rows: [][]any{
		{"单位", orDefault(s.Unit, "全部单位（合计）")},
		{"年度", s.Year},
		{"统计期间", s.Period.From.Format(DateLayout) + " 至 " + s.Period.Last().Format(DateLayout)},
		{"截至", s.AsOf.Format(DateLayout)},
		{"公开信息总数", s.Counts.Total},
		{"去重后总数", s.Counts.Unique},
		{"公开时限核查条数（有成文日期）", s.Disclosure.Checked},
		{"超过" + s.Disclosure.LimitText() + "公开", s.Disclosure.Late},
	}}
}

var progressHeader = []string{"数量", "目标", "完成率", "按进度应有", "预计期末", "尚需", "剩余天数", "每周需发布", "状态"}

func progressCells(p Progress) []any {
	return []any{p.Count, p.Target, p.Progress, p.Expected, p.Projection, p.Remaining, p.DaysLeft, p.PerWeek, StatusLabel(p.Status)}
}

// progressTable lists progress rows; with a label function the rows show the
// label first and the code after it.
func progressTable(name, title, first string, rows []Progress, label func(string) string) Table {
	t := Table{Name: name, Title: title, Header: append([]string{first}, progressHeader...)}
	if label != nil {
		t.Header = append([]string{first, "代码"}, progressHeader...)
	}
	for _, p := range rows {
		head := []any{p.Name}
		if label != nil {
			head = []any{label(p.Name), p.Name}
		}
		t.Rows = append(t.Rows, append(head, progressCells(p)...))
	}
	return t
}

// channelsOf lists the channels with items, in ChannelOrder first.
func (s *YearStats) channelsOf() []string {
	return orderedNames(s.Counts.Channels, nil, ChannelOrder)
}

func (s *YearStats) monthsTable() Table {
	chans := s.channelsOf()
	t := Table{Name: "months", Title: "月份", Header: []string{"月份"}}
	for _, c := range chans {
		t.Header = append(t.Header, store.ChannelLabel(c))
	}
	t.Header = append(t.Header, "合计")
	for _, m := range s.Period.Months() {
		row, sum := []any{m}, 0
		for _, c := range chans {
			n := s.Counts.Months[m][c]
			row = append(row, n)
			sum += n
		}
		t.Rows = append(t.Rows, append(row, sum))
	}
	return t
}

func (s *YearStats) monthTargetTable() Table {
	t := Table{Name: "month_targets", Title: "月度目标", Header: append([]string{"月份", "渠道"}, progressHeader...)}
	for _, m := range s.MonthTargets {
		label := store.ChannelLabel(m.Channel)
		if m.Channel == TotalKey {
			label = "合计"
		}
		t.Rows = append(t.Rows, append([]any{m.Month, label}, progressCells(m.Progress)...))
	}
	return t
}

// countTable lists a breakdown by count, largest first.
func countTable(name, title, first string, m map[string]int) Table {
	t := Table{Name: name, Title: title, Header: []string{first, "数量"}}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(a, b int) bool { return m[keys[a]] > m[keys[b]] })
	for _, k := range keys {
		t.Rows = append(t.Rows, []any{k, m[k]})
	}
	return t
}

func (s *YearStats) columnsTable() Table {
	t := Table{Name: "columns", Title: "栏目", Header: []string{"渠道", "栏目或账号", "数量"}}
	for _, ch := range orderedNames(s.Counts.Channels, nil, ChannelOrder) {
		for _, r := range countTable("", "", "", s.Counts.Columns[ch]).Rows {
			t.Rows = append(t.Rows, append([]any{store.ChannelLabel(ch)}, r...))
		}
	}
	return t
}

func staleTable(rows []StaleRow) Table {
	t := Table{Name: "stale", Title: "更新时效", Header: []string{"范围", "最后更新", "距今天数", "时限（天）", "状态"}}
	for _, r := range rows {
		last, days := "无", any("")
		if !r.Last.IsZero() {
			last, days = r.Last.Format(DateLayout), r.Days
		}
		t.Rows = append(t.Rows, []any{r.Scope, last, days, r.LimitDays, StateLabel(r.State)})
	}
	return t
}

func inspectionTable(v []Verdict) Table {
	t := Table{Name: "inspection", Title: "网站与新媒体检查单项否决项", Header: []string{"检查项", "数量", "否决线", "结果", "范围"}}
	for _, x := range v {
		result := "通过"
		if x.Failed {
			result = "不合格"
		}
		t.Rows = append(t.Rows, []any{x.Rule, x.Count, x.FailAt, result, strings.Join(x.Scopes, "、")})
	}
	return t
}

func (s *YearStats) disclosureTable() Table {
	t := Table{Name: "late", Title: "超过" + s.Disclosure.LimitText() + "公开",
		Header: []string{"标题", "渠道", "成文日期", "发布日期", "工作日数", "时限（工作日）", "编号"}}
	if len(s.Disclosure.UnitLimits) > 0 {
		t.Header = append([]string{"单位"}, t.Header...)
	}
	for _, it := range s.Disclosure.Items {
		row := []any{it.Title, store.ChannelLabel(it.Channel), it.Written.Format(DateLayout),
			it.Published.Format(DateLayout), it.Workdays, it.LimitWorkdays, it.ID}
		if len(s.Disclosure.UnitLimits) > 0 {
			row = append([]any{it.Unit}, row...)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// WriteCSV writes every table as CSV (see WriteTablesCSV); UTF-8 without BOM.
func (s *YearStats) WriteCSV(w io.Writer) error { return WriteTablesCSV(w, s.Tables()) }

// WriteXLSX writes every table as a sheet of one XLSX workbook.
func (s *YearStats) WriteXLSX(w io.Writer) error { return WriteTablesXLSX(w, s.Tables()) }

// WriteText writes every table as aligned text (the default output of `gongkai stats`).
func (s *YearStats) WriteText(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%d年 政务公开统计（%s 至 %s，截至 %s）\n\n", s.Year,
		s.Period.From.Format(DateLayout), s.Period.Last().Format(DateLayout), s.AsOf.Format(DateLayout)); err != nil {
		return err
	}
	var tables []Table
	for _, t := range s.Tables() {
		if len(t.Rows) > 0 {
			tables = append(tables, t)
		}
	}
	return WriteTablesText(w, tables)
}

// unitsTable sets the units of the county view side by side: counts, each
// channel's count against its target with the status, reports sent and
// adopted, overdue scopes and failed inspection checks.
func (s *YearStats) unitsTable() Table {
	chans := orderedNames(s.Counts.Channels, nil, ChannelOrder)
	t := Table{Name: "units", Title: "各单位", Header: []string{"单位", "公开信息总数", "去重后总数"}}
	for _, c := range chans {
		t.Header = append(t.Header, store.ChannelLabel(c))
	}
	t.Header = append(t.Header, "报送", "采用", "超期", "单项否决未通过")
	for _, u := range s.Units {
		row := []any{u.Unit, u.Total, u.TotalUnique}
		for _, c := range chans {
			row = append(row, progressCell(u.Channels[c]))
		}
		t.Rows = append(t.Rows, append(row, u.Sent, u.Adopted, u.Overdue, u.InspectionFailed))
	}
	return t
}

// progressCell is a count against its target with the status (12/20 落后),
// or the count alone when there is no target.
func progressCell(p Progress) string {
	if p.Target == 0 {
		return fmt.Sprint(p.Count)
	}
	return fmt.Sprintf("%d/%d %s", p.Count, p.Target, StatusLabel(p.Status))
}
