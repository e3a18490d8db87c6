package charts

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func bj(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, store.Beijing) }

// township stores a year of items: 56 portal (2014-12-20 onward, every 6
// days), 20 WeChat; statistics close on 12-15 like the township's report.
func township(t *testing.T) (*analytics.YearStats, *analytics.YearStats) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var docs []*store.Document
	add := func(id, ch, cat, title string, at time.Time) {
		docs = append(docs, &store.Document{ID: id, Channel: ch, Category: cat, Title: title, Body: id, Published: at, Status: store.StatusLive})
	}
	for i := range 56 {
		add(fmt.Sprintf("p%d", i), "portal", []string{"工作动态", "财政信息", "村务公开"}[i%3], fmt.Sprintf("网站文章%d", i), bj(2014, 12, 20).AddDate(0, 0, 6*i))
	}
	for i := range 20 {
		add(fmt.Sprintf("w%d", i), "wechat", "工作动态", fmt.Sprintf("微信文章%d", i), bj(2015, 3, 1).AddDate(0, 0, 9*i))
	}
	add("old", "portal", "工作动态", "上一年的文章", bj(2014, 6, 1))
	if _, err := st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Analytics.PeriodEnd = "12-15"
	cfg.Targets[2015] = config.YearTarget{Channels: map[string]int{"portal": 56, "wechat": 20},
		Months: map[string]map[string]int{"03": {analytics.TotalKey: 9}}}
	s15, err := analytics.Compute(context.Background(), st, cfg, 2015, bj(2015, 10, 31))
	if err != nil {
		t.Fatal(err)
	}
	s14, err := analytics.Compute(context.Background(), st, cfg, 2014, bj(2015, 10, 31))
	if err != nil {
		t.Fatal(err)
	}
	return s15, s14
}

var (
	optionRe = regexp.MustCompile(`c\.setOption\((.*?)\);var L=(.*?);c\.on\("click"`)
	nonceRe  = regexp.MustCompile(`<script nonce="([^"]*)">`)
)

type parsed struct {
	Option struct {
		XAxis  []struct{ Data []string } `json:"xAxis"`
		Series []struct {
			Name  string
			Type  string
			Stack string
			Data  []json.RawMessage
		}
		Calendar []struct {
			Range     []string
			YearLabel struct{ Show *bool } `json:"yearLabel"`
		}
		Legend    struct{ Show *bool }
		VisualMap []struct {
			Type   string
			Pieces []map[string]any
		} `json:"visualMap"`
	}
	Links [][]string
}

func parse(t *testing.T, h string) parsed {
	t.Helper()
	m := optionRe.FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("no init script in\n%s", h)
	}
	var p parsed
	if err := json.Unmarshal([]byte(m[1]), &p.Option); err != nil {
		t.Fatalf("options: %v\n%s", err, m[1])
	}
	if err := json.Unmarshal([]byte(m[2]), &p.Links); err != nil {
		t.Fatalf("links: %v\n%s", err, m[2])
	}
	if strings.Contains(h, "<script src") || strings.Contains(h, "http") {
		t.Errorf("snippet loads or links something external:\n%s", h)
	}
	return p
}

func TestMonthlyVolume(t *testing.T) {
	s, _ := township(t)
	h, err := MonthlyVolume(s, "abc123")
	if err != nil {
		t.Fatal(err)
	}
	if m := nonceRe.FindStringSubmatch(string(h)); m == nil || m[1] != "abc123" {
		t.Errorf("nonce missing:\n%s", h)
	}
	if !strings.Contains(string(h), `<div id="gk-monthly-2015"`) {
		t.Errorf("no chart div:\n%s", h)
	}
	p := parse(t, string(h))
	if len(p.Option.XAxis) == 0 || p.Option.XAxis[0].Data[0] != "2014-12" || len(p.Option.XAxis[0].Data) != 13 {
		t.Errorf("x axis %+v", p.Option.XAxis)
	}
	if len(p.Option.Series) != 3 || p.Option.Series[0].Name != "政府网站" || p.Option.Series[0].Stack != "volume" ||
		p.Option.Series[2].Type != "line" || p.Option.Series[2].Name != "目标进度" {
		t.Fatalf("series %+v", p.Option.Series)
	}
	if string(p.Option.Series[0].Data[0]) != `{"value":2}` { // 12-20 and 12-26 of 2014
		t.Errorf("portal 2014-12: %s", p.Option.Series[0].Data[0])
	}
	if got := string(p.Option.Series[2].Data[3]); got != `{"value":9}` { // 2015-03: the monthly total target
		t.Errorf("pace of March %s", got)
	}
	want := map[string]string{
		p.Links[0][0]:  "/search?channel=portal&from=2014-12-16&to=2014-12-31",
		p.Links[1][2]:  "/search?channel=wechat&from=2015-02-01&to=2015-02-28",
		p.Links[0][12]: "/search?channel=portal&from=2015-12-01&to=2015-12-15",
	}
	for got, w := range want {
		if got != w {
			t.Errorf("link %s, want %s", got, w)
		}
	}
	h, _ = MonthlyVolume(s, "")
	if strings.Contains(string(h), "nonce") {
		t.Error("empty nonce written")
	}
}

func TestCumulativeCategoriesCalendarYoY(t *testing.T) {
	s, s14 := township(t)
	h, err := Cumulative(s, "")
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, string(h))
	if len(p.Option.Series) != 2 || string(p.Option.Series[0].Data[12]) != `{"value":"-"}` {
		t.Errorf("cumulative after the as-of day must be empty: %+v", p.Option.Series)
	}
	if p.Links[0][1] != "/search?from=2014-12-16&to=2015-01-31" {
		t.Errorf("cumulative link %s", p.Links[0][1])
	}

	h, err = CategoryBreakdown(s, "")
	if err != nil {
		t.Fatal(err)
	}
	p = parse(t, string(h))
	if len(p.Option.Series) != 1 || len(p.Option.Series[0].Data) != 3 || !strings.HasPrefix(p.Links[0][0], "/search?category=") {
		t.Errorf("categories %+v %v", p.Option.Series, p.Links)
	}

	h, err = CalendarHeatmap(s, "")
	if err != nil {
		t.Fatal(err)
	}
	p = parse(t, string(h))
	if len(p.Option.Calendar) != 1 || p.Option.Calendar[0].Range[0] != "2014-12-16" || p.Option.Calendar[0].Range[1] != "2015-12-15" {
		t.Errorf("calendar %+v", p.Option.Calendar)
	}
	if c := p.Option.Calendar[0]; c.YearLabel.Show == nil || *c.YearLabel.Show {
		t.Error("the calendar's rotated year label is cut off at the left: it must be hidden (the title names the year)")
	}
	if p.Option.Legend.Show == nil || *p.Option.Legend.Show {
		t.Errorf("the calendar's series legend matches no cell and must be hidden: %+v", p.Option.Legend)
	}
	if len(p.Option.VisualMap) != 1 || p.Option.VisualMap[0].Type != "piecewise" || len(p.Option.VisualMap[0].Pieces) == 0 {
		t.Fatalf("calendar visualMap %+v", p.Option.VisualMap)
	}
	for _, piece := range p.Option.VisualMap[0].Pieces {
		for k, v := range piece {
			if f, ok := v.(float64); ok && f != float64(int(f)) {
				t.Errorf("calendar colour piece %v has a fractional %s", piece, k)
			}
		}
	}
	if first := string(p.Option.Series[0].Data[0]); first != `{"value":["2014-12-20",1]}` || p.Links[0][0] != "/search?from=2014-12-20&to=2014-12-20" {
		t.Errorf("first day %s %s", first, p.Links[0][0])
	}

	h, err = YearOverYear([]*analytics.YearStats{s14, s}, "n")
	if err != nil {
		t.Fatal(err)
	}
	p = parse(t, string(h))
	if len(p.Option.Series) != 2 || p.Option.Series[1].Name != "2015年" || string(p.Option.Series[0].Data[5]) != `{"value":1}` {
		t.Errorf("yoy %+v", p.Option.Series)
	}
	if p.Links[1][11] != "/search?from=2015-12-01&to=2015-12-15" {
		t.Errorf("yoy December link %s", p.Links[1][11])
	}
}

// Crawled names end up in the chart options: they must not end the script.
func TestSnippetEscapesNames(t *testing.T) {
	s, _ := township(t)
	s.Categories = append(s.Categories, analytics.Progress{Name: `</script><script>alert(1)</script>`, Count: 1})
	h, err := CategoryBreakdown(s, `"><x`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(h), "</script>") != 1 || strings.Contains(string(h), `"><x`) {
		t.Errorf("unescaped:\n%s", h)
	}
}

func TestDayPieces(t *testing.T) {
	cases := map[int]string{
		1:  "[1,1]",
		3:  "[1,1] [2,2] [3,3]",
		4:  "[1,1] [2,2] [3,3] [≥4]",
		17: "[1,1] [2,2] [3,3] [≥4]",
	}
	for peak, want := range cases {
		var got []string
		for _, p := range dayPieces(peak) {
			if p.Gte != 0 {
				got = append(got, fmt.Sprintf("[≥%g]", p.Gte))
			} else {
				got = append(got, fmt.Sprintf("[%g,%g]", p.Min, p.Max))
			}
			if p.Color == "" {
				t.Errorf("peak %d: piece %+v has no colour", peak, p)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("dayPieces(%d) = %v, want %s", peak, got, want)
		}
	}
}
