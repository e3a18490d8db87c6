package analytics

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
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

// TestUnitReport checks that a unit's annual report states that unit's
// figures (as its statistics), titled with its name and without the
// installation's tables 三/四, and that the county's report figures are
// the sums of the units' where the report adds up: counts, table 二's
// documents, late disclosures, reports sent.
func TestUnitReport(t *testing.T) {
	st := openStore(t)
	cfg := twoUnitConfig()
	put(t, st, series("kdy", store.ChannelPortal, "乡镇要闻", "工作动态", bj(2022, 1, 5, 9, 0), 6)...) // no unit: the home unit's
	normativeDocs(t, st, 2022)                                                                 // 康大营镇's too
	cgz := series("cgz", store.ChannelPortal, "通知公告", "通知公告", bj(2022, 3, 1, 9, 0), 4)
	norm := doc("cgz-norm", store.ChannelPortal, "政策文件", "法规政策", "关于城关镇集贸市场管理的规定", bj(2022, 4, 10, 9, 0))
	norm.DocNumber, norm.Written = "城政规〔2022〕1号", bj(2022, 2, 1, 0, 0) // late: over 20 working days
	for _, d := range append(cgz, norm) {
		d.Unit = "城关镇"
	}
	put(t, st, append(cgz, norm)...)
	addManual(t, st, store.ManualEntry{Date: bj(2022, 4, 1, 0, 0), Channel: store.ChannelReport, Title: "报送一", Count: 2, Unit: "城关镇"})
	in, err := LoadStaff(filepath.Join("testdata", "staff.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, asOf := context.Background(), bj(2023, 1, 20, 0, 0)
	if _, err := SaveStaffTables(ctx, st, 2022, in.Table3, in.Table4, "test", "web", asOf); err != nil {
		t.Fatal(err)
	}
	cache := NewCache(st)
	reports, stats := map[string]*AnnualReport{}, map[string]*YearStats{}
	for _, unit := range append(cfg.UnitNames(), "") {
		if reports[unit], err = cache.ReportUnit(ctx, cfg, 2022, asOf, unit, ""); err != nil {
			t.Fatal(err)
		}
		if stats[unit], err = cache.ComputeUnit(ctx, cfg, 2022, asOf, unit); err != nil {
			t.Fatal(err)
		}
	}
	var sum struct{ total, unique, late, sent int }
	docs := map[string]DocCounts{}
	for _, unit := range cfg.UnitNames() {
		r, s := reports[unit], stats[unit]
		if r.Stats.Unit != unit || r.Stats.Counts.Total != s.Counts.Total || r.Stats.Counts.Unique != s.Counts.Unique ||
			r.Stats.Disclosure.Late != s.Disclosure.Late || r.Stats.Adoption.Sent != s.Adoption.Sent {
			t.Errorf("%s's report counts %+v, its statistics %+v", unit, r.Stats.Counts, s.Counts)
		}
		md, _, _ := render(t, r)
		if !strings.HasPrefix(md, "# "+unit+"2022年政府信息公开工作年度报告") || !strings.Contains(md, totalSentence(s)) {
			t.Errorf("%s's report does not state its own figures (%s):\n%s", unit, totalSentence(s), md)
		}
		if strings.Contains(md, "本年度新收政府信息公开申请8件") {
			t.Errorf("%s's report took the installation's table 三:\n%s", unit, md)
		}
		sum.total += s.Counts.Total
		sum.unique += s.Counts.Unique
		sum.late += s.Disclosure.Late
		sum.sent += s.Adoption.Sent
		for kind, d := range r.Docs {
			c := docs[kind]
			c.Issued, c.Repealed, c.Valid, c.Total = c.Issued+d.Issued, c.Repealed+d.Repealed, c.Valid+d.Valid, c.Total+d.Total
			docs[kind] = c
		}
	}
	if n := reports["城关镇"].Docs[KindNormative]; n.Issued != 1 || n.Valid != 1 || reports["城关镇"].Stats.Disclosure.Late != 1 {
		t.Errorf("城关镇's 规范性文件 %+v, late %d; want its one document, issued, valid and late", n, reports["城关镇"].Stats.Disclosure.Late)
	}
	county := reports[""]
	if c := county.Stats; c.Counts.Total != sum.total || c.Counts.Unique != sum.unique || c.Disclosure.Late != sum.late ||
		c.Adoption.Sent != sum.sent || sum.sent != 2 {
		t.Errorf("county report total %d unique %d late %d sent %d; units' sums %+v", c.Counts.Total, c.Counts.Unique,
			c.Disclosure.Late, c.Adoption.Sent, sum)
	}
	for kind, want := range docs {
		got := county.Docs[kind]
		if got.Issued != want.Issued || got.Repealed != want.Repealed || got.Valid != want.Valid || got.Total != want.Total {
			t.Errorf("county %s %+v, units' sums %+v", kind, got, want)
		}
	}
	if md, _, _ := render(t, county); !strings.Contains(md, "本年度新收政府信息公开申请8件") || !strings.Contains(md, totalSentence(stats[""])) {
		t.Errorf("county report lacks the stored table 三 or its totals:\n%s", md)
	}
	if _, err := cache.ReportUnit(ctx, cfg, 2022, asOf, "柳河镇", ""); err == nil {
		t.Error("a report of an unknown unit was written")
	}
}
