package analytics

import (
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func TestYearPeriod(t *testing.T) {
	cfg := defaultConfig()
	cases := []struct {
		name     string
		analytic string
		targets  map[int]string
		year     int
		from, to string
	}{
		{"default 12-31", "", nil, 2015, "2015-01-01", "2015-12-31"},
		{"analytics 12-15 both years", "12-15", nil, 2015, "2014-12-16", "2015-12-15"},
		{"only 2015 target closes 12-15", "12-31", map[int]string{2015: "12-15"}, 2015, "2015-01-01", "2015-12-15"},
		{"year after a 12-15 close", "12-31", map[int]string{2015: "12-15"}, 2016, "2015-12-16", "2016-12-31"},
		{"02-29 in a common year", "02-29", nil, 2015, "2014-03-01", "2015-02-28"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg.Analytics.PeriodEnd = c.analytic
			cfg.Targets = map[int]config.YearTarget{}
			for y, e := range c.targets {
				cfg.Targets[y] = config.YearTarget{PeriodEnd: e}
			}
			p, err := YearPeriod(cfg, c.year)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.From.Format(DateLayout); got != c.from {
				t.Errorf("from = %s, want %s", got, c.from)
			}
			if got := p.Last().Format(DateLayout); got != c.to {
				t.Errorf("to = %s, want %s", got, c.to)
			}
		})
	}
	cfg.Analytics.PeriodEnd = "13-01"
	if _, err := YearPeriod(cfg, 2015); err == nil {
		t.Error("period end 13-01 accepted")
	}
}

// An item published 2015-12-31T16:30Z is 2016-01-01 00:30 in Beijing: it
// belongs to 2016, whatever the period end; one at 15:59Z belongs to 2015.
func TestPeriodBoundariesInBeijingTime(t *testing.T) {
	st := openStore(t)
	put(t, st,
		doc("late-utc", "portal", "要闻", "工作动态", "元旦前夜发布的消息", time.Date(2015, 12, 31, 16, 30, 0, 0, time.UTC)),
		doc("in-2015", "portal", "要闻", "工作动态", "年末最后一天的消息", time.Date(2015, 12, 31, 15, 59, 0, 0, time.UTC)),
		doc("dec-15", "portal", "要闻", "工作动态", "十二月十五日的消息", bj(2015, 12, 15, 23, 59)),
		doc("dec-16", "portal", "要闻", "工作动态", "十二月十六日的消息", bj(2015, 12, 16, 0, 0)),
		doc("dec-16-2014", "wechat", "镇政府发布", "工作动态", "上年十二月十六日", bj(2014, 12, 16, 8, 0)),
	)
	asOf := bj(2017, 1, 1, 0, 0)
	cfg := defaultConfig()
	s := compute(t, st, cfg, 2015, asOf)
	if s.Counts.Total != 3 || s.Counts.Days["2016-01-01"] != 0 {
		t.Errorf("12-31 period: total %d (want 3: 12-15, 12-16, 12-31 15:59Z), days %v", s.Counts.Total, s.Counts.Days)
	}
	if got := compute(t, st, cfg, 2016, asOf).Counts.Days["2016-01-01"]; got != 1 {
		t.Errorf("2016-01-01 count = %d, want 1 (the item of 2015-12-31T16:30Z)", got)
	}

	cfg.Analytics.PeriodEnd = "12-15"
	s = compute(t, st, cfg, 2015, asOf)
	if s.Counts.Total != 2 || s.Counts.Channels["wechat"] != 1 {
		t.Errorf("12-15 period: total %d channels %v, want 2 (2014-12-16 and 2015-12-15)", s.Counts.Total, s.Counts.Channels)
	}
	if s.Period.From.Format(DateLayout) != "2014-12-16" || s.Period.Last().Format(DateLayout) != "2015-12-15" {
		t.Errorf("period %v", s.Period)
	}
	if got := compute(t, st, cfg, 2016, asOf).Counts.Total; got != 3 {
		t.Errorf("2016 with 12-15 closes: total %d, want 3 (12-16, both 12-31 items)", got)
	}
}

func TestAsOfCutsCounts(t *testing.T) {
	st := openStore(t)
	put(t, st, series("p", "portal", "要闻", "工作动态", bj(2015, 3, 1, 9, 0), 10)...)
	s := compute(t, st, defaultConfig(), 2015, bj(2015, 3, 5, 0, 0))
	if s.Counts.Total != 5 {
		t.Errorf("as of 03-05: total %d, want 5 (03-01..03-05)", s.Counts.Total)
	}
	if s.AsOf.Format(DateLayout) != "2015-03-05" {
		t.Errorf("as of %v", s.AsOf)
	}
	cfg := defaultConfig()
	cfg.Analytics.AsOf = "2015-03-02"
	if got := compute(t, st, cfg, 2015, time.Time{}).Counts.Total; got != 2 {
		t.Errorf("configured as_of 03-02: total %d, want 2", got)
	}
}

func TestCalendarWorkdays(t *testing.T) {
	// 2015-10-01..07 national day holiday, 2015-10-10 (Saturday) worked.
	cal, err := NewCalendar(
		[]string{"2015-10-01", "2015-10-02", "2015-10-05", "2015-10-06", "2015-10-07", "2015-10-03"},
		[]string{"2015-10-10", "2015-10-12"})
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) time.Time { t, _ := store.ParseDay(s); return t }
	cases := []struct {
		from, to string
		want     int
	}{
		{"2015-09-28", "2015-09-28", 0},
		{"2015-09-25", "2015-09-28", 1},               // Fri -> Mon
		{"2015-09-30", "2015-10-09", 2},               // holiday week: only 10-08, 10-09
		{"2015-09-30", "2015-10-11", 3},               // plus the worked Saturday 10-10
		{"2015-10-11", "2015-09-30", -3},              // reversed
		{"2015-01-01", "2015-12-31", 261 - 1 - 5 + 1}, // 261 weekdays, 01-01 itself excluded
	}
	for _, c := range cases {
		if got := cal.WorkdaysBetween(d(c.from), d(c.to)); got != c.want {
			t.Errorf("workdays %s..%s = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	if cal.IsWorkday(d("2015-10-01")) || !cal.IsWorkday(d("2015-10-10")) || cal.IsWorkday(d("2015-10-11")) {
		t.Error("IsWorkday wrong around the national day")
	}
	if _, err := NewCalendar([]string{"2015/10/01"}, nil); err == nil {
		t.Error("bad holiday date accepted")
	}
}

func TestDefaultYear(t *testing.T) {
	cfg := defaultConfig()
	cases := []struct {
		end, today string
		want       int
	}{
		{"12-31", "2027-01-05", 2026}, // report season: the year just closed
		{"12-31", "2027-03-31", 2026},
		{"12-31", "2027-04-01", 2027},
		{"12-31", "2026-12-20", 2026},
		{"12-15", "2026-12-20", 2026}, // 2027's period has begun, 2026 just closed
		{"12-15", "2026-12-15", 2026},
		{"12-15", "2027-02-01", 2026},
		{"12-15", "2027-06-01", 2027},
	}
	for _, c := range cases {
		cfg.Analytics.PeriodEnd = c.end
		today, err := store.ParseDay(c.today)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DefaultYear(cfg, today.Add(15*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("period end %s, today %s: default year %d, want %d", c.end, c.today, got, c.want)
		}
	}
}

func TestYearOf(t *testing.T) {
	cfg := defaultConfig()
	cfg.Analytics.PeriodEnd = "12-15"
	for day, want := range map[string]int{"2026-12-15": 2026, "2026-12-16": 2027, "2026-01-01": 2026, "2025-12-16": 2026} {
		d, _ := store.ParseDay(day)
		if got, err := YearOf(cfg, d); err != nil || got != want {
			t.Errorf("YearOf(%s) = %d, %v; want %d", day, got, err, want)
		}
	}
}
