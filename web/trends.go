package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/analytics/charts"
	"github.com/gongkai-project/gongkai/store"
)

// chartView is one chart of a page: the analytics snippet (a div and an
// init script carrying the page's CSP nonce; every value in it is escaped
// for the script context by analytics/charts).
type chartView struct {
	ID, Title string
	HTML      template.HTML
}

// trendsView is the leader trends page.
type trendsView struct {
	Year      int
	Choice    yearChoice
	Units     unitChoice
	Stats     *analytics.YearStats
	Charts    []chartView
	ECharts   bool // the ECharts script is in the binary
	ChartErrs []string
}

// maxCompareYears is how many years the year-over-year chart compares.
const maxCompareYears = 5

// handleTrends shows the analytics charts of ?year= with a year selector.
func (s *Server) handleTrends(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	year, err := s.year(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	v := trendsView{Year: year, ECharts: hasECharts()}
	if v.Choice, err = s.yearChoice(r.Context(), "/trends", year); err != nil {
		s.serverError(w, r, "years with data", err)
		return
	}
	years := v.Choice.Years
	unit, err := s.unit(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	v.Units, v.Choice.Unit = s.unitChoice("/trends", year, unit), unit
	if v.Stats, err = s.stats.ComputeUnit(r.Context(), s.cfg, year, now, unit); err != nil {
		s.serverError(w, r, "trends statistics", err)
		return
	}
	nonce := nonceOf(r)
	for _, c := range []struct {
		id, title string
		build     func(*analytics.YearStats, string) (template.HTML, error)
	}{
		{"chart-monthly", "每月公开数量（按渠道）", charts.MonthlyVolume},
		{"chart-cumulative", "累计公开数量与年度目标", charts.Cumulative},
		{"chart-categories", "各分类公开数量", charts.CategoryBreakdown},
		{"chart-calendar", "发布日历", charts.CalendarHeatmap},
	} {
		v.addChart(s, c.id, c.title, func() (template.HTML, error) { return c.build(v.Stats, nonce) })
	}
	compare, err := s.compareYears(r.Context(), years, year, now, unit)
	if err != nil {
		s.serverError(w, r, "year-over-year statistics", err)
		return
	}
	if len(compare) > 1 {
		v.addChart(s, "chart-years", "逐年对比", func() (template.HTML, error) { return charts.YearOverYear(compare, nonce) })
	}
	s.render(w, r, http.StatusOK, "trends.html", "趋势", v)
}

// addChart builds one chart; a chart that fails is reported on the page
// and in the log, and the others are still shown.
func (v *trendsView) addChart(s *Server, id, title string, build func() (template.HTML, error)) {
	h, err := build()
	if err != nil {
		s.log.Error("build chart", "chart", id, "year", v.Year, "err", err)
		v.ChartErrs = append(v.ChartErrs, title+"：无法生成")
		return
	}
	v.Charts = append(v.Charts, chartView{ID: id, Title: title, HTML: h})
}

// compareYears computes the statistics of unit ("" all) for up to
// maxCompareYears years with data, ending with year.
func (s *Server) compareYears(ctx context.Context, years []int, year int, now time.Time, unit string) ([]*analytics.YearStats, error) {
	var out []*analytics.YearStats
	for _, y := range years {
		if y > year || y <= year-maxCompareYears {
			continue
		}
		st, err := s.stats.ComputeUnit(ctx, s.cfg, y, now, unit)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// yearsWithData lists the years in which live documents were published, up
// to the current one.
func (s *Server) yearsWithData(ctx context.Context, now time.Time) ([]int, error) {
	rows, err := s.st.Counts(ctx, time.Date(1990, 1, 1, 0, 0, 0, 0, store.Beijing), now.AddDate(1, 0, 0))
	if err != nil {
		return nil, err
	}
	var years []int
	for _, r := range rows {
		if !slices.Contains(years, r.Year) {
			years = append(years, r.Year)
		}
	}
	slices.Sort(years)
	return years, nil
}

// dashboardCharts is the chart of the dashboard: this year's monthly volume.
func (s *Server) dashboardCharts(r *http.Request, st *analytics.YearStats) []chartView {
	h, err := charts.MonthlyVolume(st, nonceOf(r))
	if err != nil {
		s.log.Error("build dashboard chart", "err", err)
		return nil
	}
	return []chartView{{ID: "chart-monthly", Title: "每月公开数量（按渠道）", HTML: h}}
}
