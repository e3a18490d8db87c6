package analytics

import (
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

func TestJudgeProgress(t *testing.T) {
	from, to := bj(2015, 1, 1, 0, 0), bj(2016, 1, 1, 0, 0)
	cutoff := bj(2015, 7, 2, 0, 0) // as of 07-01: 182 of 365 days elapsed
	p := judge("portal", 40, 100, from, to, cutoff)
	if p.Status != StatusBehind || p.Projection != 80 || p.Remaining != 60 || p.DaysLeft != 183 ||
		p.Expected != 49.86 || p.PerWeek != 2.3 || p.Progress != 0.4 {
		t.Errorf("behind: %+v", p)
	}
	if p := judge("portal", 49, 100, from, to, cutoff); p.Status != StatusOnTrack {
		t.Errorf("49 of 49.86 expected should be on track: %+v", p)
	}
	if p := judge("portal", 100, 100, from, to, cutoff); p.Status != StatusMet || p.Remaining != 0 || p.PerWeek != 0 {
		t.Errorf("met: %+v", p)
	}
	if p := judge("portal", 99, 100, from, to, bj(2016, 3, 1, 0, 0)); p.Status != StatusBehind || p.DaysLeft != 0 || p.Projection != 99 {
		t.Errorf("period over short of target: %+v", p)
	}
	if p := judge("board", 3, 0, from, to, cutoff); p.Status != StatusNoTarget || p.Projection != 6 {
		t.Errorf("no target: %+v", p)
	}
	if p := judge("portal", 0, 10, from, to, from); p.Status != StatusOnTrack || p.Projection != 0 {
		t.Errorf("before the period: %+v", p)
	}
}

// The demo's figures: 2015 closes 12-15 with 56 portal and 20 WeChat items.
func TestTargetsOfTheTownship(t *testing.T) {
	st := openStore(t)
	put(t, st, series("portal", "portal", "要闻", "工作动态", bj(2015, 1, 5, 9, 0), 56)...)
	put(t, st, series("wechat", "wechat", "镇政府发布", "工作动态", bj(2015, 6, 1, 9, 0), 20)...)
	put(t, st, doc("late", "portal", "要闻", "工作动态", "十二月下旬的消息", bj(2015, 12, 20, 9, 0)))
	cfg := defaultConfig()
	cfg.Targets[2015] = config.YearTarget{PeriodEnd: "12-15",
		Channels:   map[string]int{"portal": 56, "wechat": 20, "board": 31},
		Categories: map[string]int{"工作动态": 70, "村务公开": 5},
		Months:     map[string]map[string]int{"01": {"portal": 20, TotalKey: 30}, "06": {"wechat": 10}, "12": {"wechat": 2}},
	}
	s := compute(t, st, cfg, 2015, bj(2015, 12, 31, 0, 0))
	if p := s.Channel("portal"); p.Count != 56 || p.Target != 56 || p.Status != StatusMet {
		t.Errorf("portal %+v", p)
	}
	if p := s.Channel("wechat"); p.Count != 20 || p.Status != StatusMet {
		t.Errorf("wechat %+v", p)
	}
	if p := s.Channel("board"); p.Count != 0 || p.Status != StatusBehind || p.Remaining != 31 {
		t.Errorf("board %+v", p)
	}
	if p := s.Category("工作动态"); p.Count != 76 || p.Status != StatusMet {
		t.Errorf("category 工作动态 %+v", p)
	}
	if p := s.Category("村务公开"); p.Count != 0 || p.Status != StatusBehind {
		t.Errorf("category 村务公开 %+v", p)
	}
	if len(s.Channels) != 3 || s.Channels[0].Name != "portal" || s.Channels[2].Name != "board" {
		t.Errorf("channel rows %+v", s.Channels)
	}
	want := map[string]string{"2015-01/portal": StatusMet, "2015-01/total": StatusBehind, "2015-06/wechat": StatusMet, "2015-12/wechat": StatusBehind}
	if len(s.MonthTargets) != len(want) {
		t.Fatalf("month rows %+v", s.MonthTargets)
	}
	for _, m := range s.MonthTargets {
		if want[m.Name] != m.Status {
			t.Errorf("month %s: %s (count %d target %d), want %s", m.Name, m.Status, m.Count, m.Target, want[m.Name])
		}
	}

	// as of 02-28 the portal is ahead of its pace, WeChat (no post yet) behind
	mid := compute(t, st, cfg, 2015, bj(2015, 2, 28, 0, 0))
	if p := mid.Channel("portal"); p.Count != 55 || p.Status != StatusOnTrack || p.Projection <= 56 {
		t.Errorf("portal as of 02-28: %+v", p)
	}
	if p := mid.Channel("wechat"); p.Count != 0 || p.Status != StatusBehind || p.Expected != 3.38 {
		t.Errorf("wechat as of 02-28: %+v", p)
	}
	cfg.Targets[2015].Months["13"] = map[string]int{"portal": 1}
	if _, err := computeYear(nil, newInterner(0), cfg, s.Period, s.AsOf); err == nil {
		t.Error("month 13 accepted")
	}
}
