package analytics

import (
	"context"
	"strings"
	"testing"
	"time"

	"gongkai/config"
	"gongkai/store"
)

// twoUnitConfig has 康大营镇 (the top-level targets) and 城关镇 (its own).
func twoUnitConfig() *config.Config {
	cfg := config.Default()
	cfg.Targets = map[int]config.YearTarget{2015: {Channels: map[string]int{store.ChannelPortal: 3, store.ChannelWeChat: 1}}}
	cfg.Units = []config.Unit{{Name: "康大营镇"}, {Name: "城关镇",
		Targets: map[int]config.YearTarget{2015: {Channels: map[string]int{store.ChannelPortal: 10}}}}}
	return cfg
}

func TestCountyViewSumsUnits(t *testing.T) {
	st := openStore(t)
	cfg := twoUnitConfig()
	kdy := series("kdy", store.ChannelPortal, "工作动态", "工作动态", bj(2015, 3, 1, 9, 0), 4)
	wx := doc("kdy-wx", store.ChannelWeChat, "康大营镇发布", "工作动态", kdy[0].Title, bj(2015, 3, 2, 9, 0))
	wx.Body = kdy[0].Body // the same item on the unit's WeChat account: counts once for the unit
	cgz := series("cgz", store.ChannelPortal, "通知公告", "通知公告", bj(2015, 5, 1, 9, 0), 2)
	same := doc("cgz-same", store.ChannelPortal, "通知公告", "通知公告", kdy[1].Title, bj(2015, 3, 2, 9, 0))
	same.Body = kdy[1].Body // the same item published by the other unit: counts for each
	for _, d := range append(append(kdy, wx), cgz...) {
		d.Unit = "康大营镇"
		if strings.HasPrefix(d.ID, "cgz") {
			d.Unit = "城关镇"
		}
	}
	same.Unit = "城关镇"
	orphan := doc("orphan", store.ChannelPortal, "工作动态", "工作动态", "未注明单位的一条信息", bj(2015, 6, 1, 9, 0))
	orphan.Unit = "不存在的镇" // filed under the home unit
	put(t, st, append(append(kdy, wx, same, orphan), cgz...)...)
	addManual(t, st, store.ManualEntry{Date: bj(2015, 4, 1, 0, 0), Channel: store.ChannelReport, Title: "报送一", Count: 1, Unit: "城关镇"})
	addManual(t, st, store.ManualEntry{Date: bj(2015, 4, 1, 0, 0), Channel: store.ChannelBoard, Title: "公开栏", Count: 5, Unit: "康大营镇"})

	ctx, asOf := context.Background(), bj(2015, 12, 31, 0, 0)
	county, err := ComputeUnit(ctx, st, cfg, 2015, asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]*YearStats{}
	for _, name := range cfg.UnitNames() {
		if units[name], err = ComputeUnit(ctx, st, cfg, 2015, asOf, name); err != nil {
			t.Fatal(err)
		}
	}
	k, c := units["康大营镇"], units["城关镇"]
	if k.Counts.Total != 11 || k.Counts.Unique != 10 || c.Counts.Total != 4 || c.Counts.Unique != 4 {
		t.Fatalf("康大营镇 %d/%d (want 11 items, 10 unique), 城关镇 %d/%d (want 4/4)",
			k.Counts.Total, k.Counts.Unique, c.Counts.Total, c.Counts.Unique)
	}
	if county.Unit != "" || county.Counts.Total != k.Counts.Total+c.Counts.Total ||
		county.Counts.Unique != k.Counts.Unique+c.Counts.Unique {
		t.Fatalf("county %d/%d, want the sums %d/%d", county.Counts.Total, county.Counts.Unique,
			k.Counts.Total+c.Counts.Total, k.Counts.Unique+c.Counts.Unique)
	}
	for ch, n := range county.Counts.Channels {
		if n != k.Counts.Channels[ch]+c.Counts.Channels[ch] {
			t.Errorf("channel %s: county %d, units %d + %d", ch, n, k.Counts.Channels[ch], c.Counts.Channels[ch])
		}
	}
	if p := k.Channel(store.ChannelPortal); p.Target != 3 || p.Status != StatusMet {
		t.Errorf("康大营镇 portal %+v, want the top-level target 3, met", p)
	}
	if p := c.Channel(store.ChannelPortal); p.Target != 10 || p.Status == StatusMet {
		t.Errorf("城关镇 portal %+v, want its own target 10, not met", p)
	}
	if p := county.Channel(store.ChannelPortal); p.Target != 13 || p.Count != 8 {
		t.Errorf("county portal %+v, want target 3+10, count 5+3", p)
	}
	if c.Adoption.Sent != 1 || k.Adoption.Sent != 0 || county.Adoption.Sent != 1 {
		t.Errorf("reports sent: 城关镇 %d, 康大营镇 %d, county %d", c.Adoption.Sent, k.Adoption.Sent, county.Adoption.Sent)
	}
	if len(county.Units) != 2 || county.Units[0].Unit != "康大营镇" || county.Units[1].TotalUnique != 4 ||
		county.Units[1].Channels[store.ChannelPortal].Target != 10 {
		t.Errorf("units side by side: %+v", county.Units)
	}
	if len(county.Stale) != len(k.Stale)+len(c.Stale) || len(county.Inspection) != len(k.Inspection)+len(c.Inspection) {
		t.Errorf("county staleness %d rows, inspection %d checks; units %d+%d, %d+%d", len(county.Stale), len(county.Inspection),
			len(k.Stale), len(c.Stale), len(k.Inspection), len(c.Inspection))
	}
	for _, r := range county.Stale {
		if r.Unit == "" || !strings.HasPrefix(r.Scope, r.Unit+"·") {
			t.Errorf("county staleness row without its unit: %+v", r)
		}
	}
	if _, err := ComputeUnit(ctx, st, cfg, 2015, asOf, "柳河镇"); err == nil || !strings.Contains(err.Error(), `unknown unit "柳河镇"`) {
		t.Errorf("unknown unit: %v", err)
	}
}

// TestOneUnitIsItsOwnCounty checks that an installation with one unit
// computes as before: the whole store, the top-level targets.
func TestOneUnitIsItsOwnCounty(t *testing.T) {
	st := openStore(t)
	put(t, st, series("a", store.ChannelPortal, "工作动态", "工作动态", bj(2015, 3, 1, 9, 0), 3)...) // no unit: the home unit's
	cfg := config.Default()
	s := compute(t, st, cfg, 2015, bj(2015, 12, 31, 0, 0))
	if s.Unit != config.DefaultUnit || s.Counts.Total != 3 || s.Units != nil {
		t.Fatalf("unit %q, total %d, units %v", s.Unit, s.Counts.Total, s.Units)
	}
}

// TestUnitDisclosureRules checks that with several units each unit's items
// are judged by its own disclosure limit and holidays, in the county view
// and in what alerts watch, so that the county's late count is the sum of
// the units'. 城关镇 allows 10 working days and takes 2016-04-04 off;
// 康大营镇 keeps the top-level 20 days.
func TestUnitDisclosureRules(t *testing.T) {
	st := openStore(t)
	cfg := twoUnitConfig()
	cfg.Units[1].Staleness = &config.Staleness{DisclosureWorkdays: 10, Holidays: []string{"2016-04-04"}}
	item := func(id, unit string, written, published time.Time) *store.Document {
		d := doc(id, store.ChannelPortal, "通知公告", "通知公告", "关于"+id+"的通知", published)
		d.Written, d.Unit = written, unit
		return d
	}
	put(t, st,
		item("cgz-15", "城关镇", bj(2016, 3, 1, 9, 0), bj(2016, 3, 22, 9, 0)),      // 15 working days: late under 10
		item("cgz-holiday", "城关镇", bj(2016, 4, 1, 9, 0), bj(2016, 4, 18, 9, 0)), // 11 weekdays, 10 with 04-04 off
		item("kdy-15", "康大营镇", bj(2016, 3, 1, 9, 0), bj(2016, 3, 22, 9, 0)),     // 15: within 20
		item("kdy-30", "康大营镇", bj(2016, 3, 1, 9, 0), bj(2016, 4, 12, 9, 0)),     // 30: late
	)
	ctx, asOf := context.Background(), bj(2016, 12, 31, 0, 0)
	late := func(d Disclosure) map[string]LateItem {
		out := map[string]LateItem{}
		for _, it := range d.Items {
			out[it.ID] = it
		}
		return out
	}
	k, err := ComputeUnit(ctx, st, cfg, 2016, asOf, "康大营镇")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ComputeUnit(ctx, st, cfg, 2016, asOf, "城关镇")
	if err != nil {
		t.Fatal(err)
	}
	if c.Disclosure.Late != 1 || c.Disclosure.LimitWorkdays != 10 || late(c.Disclosure)["cgz-15"].ID == "" {
		t.Errorf("城关镇 %+v, want cgz-15 late under its 10 days (cgz-holiday on time with its holiday)", c.Disclosure)
	}
	if k.Disclosure.Late != 1 || late(k.Disclosure)["kdy-30"].ID == "" {
		t.Errorf("康大营镇 %+v, want kdy-30 late under 20 days", k.Disclosure)
	}
	county, err := ComputeUnit(ctx, st, cfg, 2016, asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	d := county.Disclosure
	if d.Late != k.Disclosure.Late+c.Disclosure.Late || d.Checked != k.Disclosure.Checked+c.Disclosure.Checked || d.Checked != 4 {
		t.Errorf("county %d late of %d checked, units %d+%d of %d+%d", d.Late, d.Checked,
			k.Disclosure.Late, c.Disclosure.Late, k.Disclosure.Checked, c.Disclosure.Checked)
	}
	if it := late(d)["cgz-15"]; it.Unit != "城关镇" || it.LimitWorkdays != 10 {
		t.Errorf("county lists cgz-15 as %+v, want 城关镇's, limit 10", it)
	}
	if d.LimitWorkdays != 0 || d.UnitLimits["城关镇"] != 10 || d.UnitLimits["康大营镇"] != 20 ||
		d.LimitText() != "各单位规定的时限（城关镇10个、康大营镇20个工作日）" {
		t.Errorf("county limit %d, units %v, text %q", d.LimitWorkdays, d.UnitLimits, d.LimitText())
	}
	w, err := WatchStore(ctx, st, cfg, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if w.Disclosure.Late != d.Late || len(w.Disclosure.Items) != 2 || late(w.Disclosure)["cgz-15"].LimitWorkdays != 10 {
		t.Errorf("watched %+v, want the county view's two late items", w.Disclosure)
	}
	r, err := NewCache(st).Report(ctx, cfg, 2016, asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	if facts := strings.Join(factsOfProblems(r.Stats), ""); !strings.Contains(facts, "有成文日期的4条信息中，2条超过各单位规定的时限") {
		t.Errorf("report's problems: %s", facts)
	}
}
