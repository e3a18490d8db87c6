package analytics

import (
	"context"
	"strings"
	"testing"

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
