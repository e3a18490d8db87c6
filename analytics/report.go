package analytics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Report formats by year (docs/annual-report.md).
const (
	FormatFree     = "free"     // before 2019: free prose with the figures
	FormatTrial    = "trial"    // 2019–2020 trial format
	FormatNational = "national" // 2021 on: 国办公开办函〔2021〕30号
)

// Placeholder marks prose staff still have to write.
const Placeholder = "【请补充】"

// AnnualReport is the 政府信息公开工作年度报告 of one year: headed sections
// with the figures gongkai can count in place and the staff tables checked.
type AnnualReport struct {
	Year     int
	Format   string
	Title    string
	Stats    *YearStats
	Docs     map[string]*DocCounts // KindRule, KindNormative
	Sections []Section
	Problems []Problem // failed checks of the staff input
}

// Section is one headed part of the report.
type Section struct {
	Heading    string
	Paragraphs []string
	Tables     []Table
}

// FormatOf is the report format of year.
func FormatOf(year int) string {
	switch {
	case year < 2019:
		return FormatFree
	case year < 2021:
		return FormatTrial
	}
	return FormatNational
}

// Err returns a *CheckError when the staff input failed a check, else nil.
func (r *AnnualReport) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return &CheckError{Problems: r.Problems}
}

// Report builds the annual report of year as of asOf (zero: configured or
// today) from the store and, when staffInput names a file, the staff YAML (see
// StaffInput). Failed checks of the staff tables are in Problems (and Err),
// and shown at the top of every rendering; they are not an error here.
func Report(ctx context.Context, st *store.Store, cfg *config.Config, year int, asOf time.Time, staffInput string) (*AnnualReport, error) {
	return NewCache(st).Report(ctx, cfg, year, asOf, staffInput)
}

// ReportUnit is Report of one unit ("" the whole installation; see Cache.ReportUnit).
func ReportUnit(ctx context.Context, st *store.Store, cfg *config.Config, year int, asOf time.Time, unit, staffInput string) (*AnnualReport, error) {
	return NewCache(st).ReportUnit(ctx, cfg, year, asOf, unit, staffInput)
}

// buildReport lays out the report in the format of its year.
func buildReport(s *YearStats, docs map[string]*DocCounts, staff *StaffInput) *AnnualReport {
	r := &AnnualReport{Year: s.Year, Format: FormatOf(s.Year), Stats: s, Docs: docs}
	r.Title = strings.TrimSpace(fmt.Sprintf("%s%d年政府信息公开工作年度报告", staff.Organ, s.Year))
	if r.Format == FormatFree {
		r.Sections = freeSections(s, staff, &r.Problems)
		return r
	}
	r.Sections = formalSections(r, staff)
	return r
}

// channelSentence lists the count of every channel: 政府网站56条、政务微信公众号20条.
func channelSentence(s *YearStats) string {
	var parts []string
	for _, p := range s.Channels {
		if p.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s%d条", store.ChannelLabel(p.Name), p.Count))
		}
	}
	return strings.Join(parts, "、")
}

// categorySentence lists the count of every category with items.
func categorySentence(s *YearStats) string {
	var parts []string
	for _, p := range s.Categories {
		if p.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s%d条", p.Name, p.Count))
		}
	}
	return strings.Join(parts, "、")
}

// channelsUsed names the channels that carried items: 政府网站、政务微信公众号、公开栏.
func channelsUsed(s *YearStats) string {
	var names []string
	for _, p := range s.Channels {
		if p.Count > 0 {
			names = append(names, store.ChannelLabel(p.Name))
		}
	}
	return strings.Join(names, "、")
}

// totalSentence states the period and the totals.
func totalSentence(s *YearStats) string {
	return fmt.Sprintf("%s至%s，共主动公开政府信息%d条（不同渠道公开相同信息计1条，计%d条）",
		chineseDate(s.Period.From), chineseDate(s.Period.Last()), s.Counts.Total, s.Counts.Unique)
}

func chineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// figureTables are the channel and category counts of the year.
func figureTables(s *YearStats) []Table {
	ch := Table{Name: "report_channels", Title: "分渠道公开情况", Header: []string{"公开渠道", "数量（条）", "目标", "状态"}}
	for _, p := range s.Channels {
		ch.Rows = append(ch.Rows, []any{store.ChannelLabel(p.Name), p.Count, p.Target, StatusLabel(p.Status)})
	}
	cat := Table{Name: "report_categories", Title: "分类别公开情况", Header: []string{"类别", "数量（条）"}}
	for _, p := range s.Categories {
		if p.Count > 0 {
			cat.Rows = append(cat.Rows, []any{p.Name, p.Count})
		}
	}
	return []Table{ch, cat}
}

// factsOfProblems are the shortcomings gongkai can see: overdue scopes and
// late disclosures.
func factsOfProblems(s *YearStats) []string {
	var overdue []string
	for _, r := range s.Stale {
		if r.State == StateOverdue {
			overdue = append(overdue, r.Scope)
		}
	}
	var out []string
	if len(overdue) > 0 {
		out = append(out, fmt.Sprintf("截至%s，%d处超过更新时限：%s。", chineseDate(s.AsOf), len(overdue), strings.Join(overdue, "、")))
	}
	for _, v := range s.Inspection {
		if v.Failed {
			out = append(out, fmt.Sprintf("按网站与政务新媒体检查标准，“%s”%d处，达到单项否决线（%d处）。", v.Rule, v.Count, v.FailAt))
		}
	}
	if s.Disclosure.Late > 0 {
		out = append(out, fmt.Sprintf("有成文日期的%d条信息中，%d条超过%s公开。", s.Disclosure.Checked, s.Disclosure.Late, s.Disclosure.LimitText()))
	}
	return out
}

func orPlaceholder(s string) string {
	if strings.TrimSpace(s) == "" {
		return Placeholder
	}
	return strings.TrimSpace(s)
}
