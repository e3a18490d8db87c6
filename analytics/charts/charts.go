package charts

import (
	"fmt"
	"html/template"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/store"
)

const height = "360px"

func base(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28"}),
		charts.WithGridOpts(opts.Grid{Top: "70", Left: "50", Right: "30", Bottom: "40"}),
	}
}

// MonthlyVolume is a bar chart of the items of each month of the period,
// stacked by channel, with the target pace as a line; a bar opens the search
// for that channel and month (within the period), except bars of manual
// channels, whose entries are not searchable documents.
func MonthlyVolume(s *analytics.YearStats, nonce string) (template.HTML, error) {
	months := s.Period.Months()
	bar := charts.NewBar()
	bar.SetGlobalOptions(base(fmt.Sprintf("%d年 每月公开数量", s.Year))...)
	bar.SetXAxis(months)
	var links [][]string
	for _, ch := range channels(s) {
		data := make([]opts.BarData, len(months))
		row := make([]string, len(months))
		for i, m := range months {
			data[i] = opts.BarData{Value: s.Counts.Months[m][ch]}
			if from, last, ok := monthWindow(s.Period, m); ok && !manual(ch) {
				row[i] = searchURL(map[string]string{"channel": ch}, from, last)
			}
		}
		bar.AddSeries(store.ChannelLabel(ch), data, charts.WithBarChartOpts(opts.BarChart{Stack: "volume"}))
		links = append(links, row)
	}
	if pace := monthPace(s, months); pace != nil {
		line := charts.NewLine()
		line.SetXAxis(months)
		line.AddSeries("目标进度", lineData(pace))
		bar.Overlap(line)
	}
	return snippet(fmt.Sprintf("gk-monthly-%d", s.Year), "每月公开数量", height, bar, links, nonce)
}

// Cumulative is the running total of the period's items at the end of each
// month up to the as-of day, against the running target; a point opens the
// search from the period start to that month's end.
func Cumulative(s *analytics.YearStats, nonce string) (template.HTML, error) {
	months := s.Period.Months()
	line := charts.NewLine()
	line.SetGlobalOptions(base(fmt.Sprintf("%d年 累计公开数量与目标", s.Year))...)
	line.SetXAxis(months)
	counts := make([]opts.LineData, len(months))
	row := make([]string, len(months))
	sum := 0
	for i, m := range months {
		from, last, _ := monthWindow(s.Period, m)
		if from.After(s.AsOf) {
			counts[i] = opts.LineData{Value: "-"} // ECharts: no point
			continue
		}
		for _, n := range s.Counts.Months[m] {
			sum += n
		}
		counts[i] = opts.LineData{Value: sum}
		row[i] = searchURL(nil, s.Period.From, last)
	}
	line.AddSeries("累计公开", counts)
	links := [][]string{row}
	if pace := monthPace(s, months); pace != nil {
		run := 0.0
		for i := range pace {
			run += pace[i]
			pace[i] = run
		}
		line.AddSeries("累计目标", lineData(pace))
	}
	return snippet(fmt.Sprintf("gk-cumulative-%d", s.Year), "累计公开数量与目标", height, line, links, nonce)
}

// CategoryBreakdown is a pie of the period's items by category; a slice opens
// the search for that category over the period.
func CategoryBreakdown(s *analytics.YearStats, nonce string) (template.HTML, error) {
	pie := charts.NewPie()
	pie.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: fmt.Sprintf("%d年 分类公开数量", s.Year)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}：{c}（{d}%）"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	var data []opts.PieData
	var row []string
	for _, p := range s.Categories {
		if p.Count == 0 {
			continue
		}
		data = append(data, opts.PieData{Name: p.Name, Value: p.Count})
		row = append(row, searchURL(map[string]string{"category": p.Name}, s.Period.From, s.Period.Last()))
	}
	pie.AddSeries("类别", data, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"35%", "65%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b} {c}"}))
	return snippet(fmt.Sprintf("gk-categories-%d", s.Year), "分类公开数量", height, pie, [][]string{row}, nonce)
}

// CalendarHeatmap shades every day of the period by the number of items
// published on it, in whole-number steps (1, 2, 3, ≥4); a day opens the
// search for that day. The title names the year, so the calendar's own
// rotated year label (cut off at the left edge) is hidden, and so is the
// series legend, whose swatch matched no cell.
func CalendarHeatmap(s *analytics.YearStats, nonce string) (template.HTML, error) {
	hm := charts.NewHeatMap()
	peak := 1
	var data []opts.HeatMapData
	var row []string
	for d := s.Period.From; d.Before(s.Period.To); d = d.AddDate(0, 0, 1) {
		key := d.Format(analytics.DateLayout)
		n := s.Counts.Days[key]
		if n == 0 {
			continue
		}
		peak = max(peak, n)
		data = append(data, opts.HeatMapData{Value: []any{key, n}})
		row = append(row, searchURL(nil, d, d))
	}
	hm.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: fmt.Sprintf("%d年 发布日历", s.Year)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: "{c}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "piecewise", Pieces: dayPieces(peak),
			Orient: "horizontal", Left: "center", Top: "30", Calculable: opts.Bool(false)}),
	)
	hm.AddCalendar(&opts.Calendar{Orient: "horizontal", Top: "90", Left: "40", Right: "20", CellSize: "auto",
		YearLabel: &opts.CalendarLabel{Show: opts.Bool(false)},
		Range:     []string{s.Period.From.Format(analytics.DateLayout), s.Period.Last().Format(analytics.DateLayout)}})
	hm.AddSeries("发布数量", data, charts.WithCoordinateSystem("calendar"))
	return snippet(fmt.Sprintf("gk-calendar-%d", s.Year), "发布日历", "260px", hm, [][]string{row}, nonce)
}

// dayColors shade 1, 2, 3 and 4 or more items a day.
var dayColors = [...]string{"#fdcc8a", "#fc8d59", "#e34a33", "#b30000"}

// dayPieces are the calendar's colour steps up to the busiest day: one piece
// per count (ECharts labels a min = max piece with the count) and, from 4,
// one open piece (labelled "≥ 4").
func dayPieces(peak int) []opts.Piece {
	var out []opts.Piece
	for n := 1; n <= min(peak, len(dayColors)); n++ {
		p := opts.Piece{Min: float32(n), Max: float32(n), Color: dayColors[n-1]}
		if n == len(dayColors) {
			p = opts.Piece{Gte: float32(n), Color: dayColors[n-1]}
		}
		out = append(out, p)
	}
	return out
}

// YearOverYear draws one line per year of items by calendar month (a period
// that starts in the previous December adds that tail to December); a point
// opens the search for that month of that year.
func YearOverYear(years []*analytics.YearStats, nonce string) (template.HTML, error) {
	labels := make([]string, 12)
	for i := range labels {
		labels[i] = strconv.Itoa(i+1) + "月"
	}
	line := charts.NewLine()
	line.SetGlobalOptions(base("逐年对比（每月公开数量）")...)
	line.SetXAxis(labels)
	var links [][]string
	for _, s := range years {
		byMonth := make([]int, 12)
		for _, key := range s.Period.Months() {
			mm, _ := strconv.Atoi(key[5:])
			for _, n := range s.Counts.Months[key] {
				byMonth[mm-1] += n
			}
		}
		data := make([]opts.LineData, 12)
		row := make([]string, 12)
		for i, n := range byMonth {
			data[i] = opts.LineData{Value: n}
			if from, last, ok := monthWindow(s.Period, fmt.Sprintf("%04d-%02d", s.Year, i+1)); ok {
				row[i] = searchURL(nil, from, last)
			}
		}
		line.AddSeries(strconv.Itoa(s.Year)+"年", data)
		links = append(links, row)
	}
	return snippet("gk-yoy", "逐年对比", height, line, links, nonce)
}

// manual tells whether a channel is entered by staff: its items are not
// documents the search page can list.
func manual(ch string) bool {
	_, ok := store.ManualChannels[ch]
	return ok
}

// channels lists the channels with items or targets, in analytics.ChannelOrder first.
func channels(s *analytics.YearStats) []string {
	out := make([]string, 0, len(s.Channels))
	for _, p := range s.Channels {
		out = append(out, p.Name)
	}
	return out
}

// monthPace is the target of every month: the configured monthly target where
// there is one (a total replaces the channels' sum), else each channel's
// period target spread evenly over the days; nil without any target.
func monthPace(s *analytics.YearStats, months []string) []float64 {
	days := float64(s.Period.Days())
	pace := make([]float64, len(months))
	found := false
	for i, m := range months {
		from, last, ok := monthWindow(s.Period, m)
		if !ok {
			continue
		}
		share := float64(last.Sub(from).Hours()/24+1) / days
		monthly := map[string]int{}
		for _, t := range s.MonthTargets {
			if t.Month == m {
				monthly[t.Channel] = t.Target
			}
		}
		for _, p := range s.Channels {
			if _, ok := monthly[p.Name]; !ok {
				pace[i] += float64(p.Target) * share
			}
			found = found || p.Target > 0
		}
		for ch, n := range monthly {
			if ch != analytics.TotalKey {
				pace[i] += float64(n)
			}
		}
		if n, ok := monthly[analytics.TotalKey]; ok {
			pace[i] = float64(n)
		}
		found = found || len(monthly) > 0
		pace[i] = math.Round(pace[i]*10) / 10
	}
	if !found {
		return nil
	}
	return pace
}

func lineData(v []float64) []opts.LineData {
	out := make([]opts.LineData, len(v))
	for i, x := range v {
		out[i] = opts.LineData{Value: x}
	}
	return out
}
