package analytics

import (
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func staleOf(rows []StaleRow, kind, name string) (StaleRow, bool) {
	for _, r := range rows {
		if r.Kind == kind && r.Name == name {
			return r, true
		}
	}
	return StaleRow{}, false
}

func TestStalenessRules(t *testing.T) {
	st := openStore(t)
	asOf := bj(2016, 6, 30, 0, 0)
	noColumn := doc("p-nocol", "portal", "", "工作动态", "没有栏目名的文章", bj(2016, 1, 1, 9, 0))
	noColumn.Source = "township-portal"
	put(t, st,
		doc("p-news", "portal", "乡镇要闻", "工作动态", "要闻一则", bj(2016, 6, 18, 9, 0)),          // 12 days: 即将超期 of 14
		doc("p-dyn", "portal", "工作动态", "工作动态", "动态一则", bj(2016, 6, 19, 9, 0)),           // 11 days: 正常
		doc("p-notice", "portal", "通知公告", "通知公告", "公告一则", bj(2015, 12, 29, 9, 0)),       // 184 days: 超期 of 183
		doc("p-plan", "portal", "规划信息", "规划信息", "规划一则", bj(2015, 7, 1, 9, 0)),           // 365 days: 即将超期 of 365
		doc("p-future", "portal", "乡镇要闻", "工作动态", "未来的文章", bj(2016, 7, 20, 9, 0)),       // after as-of: ignored
		doc("w-1", "wechat", "康大营镇发布", "工作动态", "微信一则", bj(2016, 6, 15, 9, 0)),           // 15 days: 超期
		doc("w-2", "wechat", "康大营镇团委", "工作动态", "微信二则", bj(2016, 6, 28, 21, 0)),          // 2 days: 正常
		doc("v-1", "portal", "村务公开", "村务公开", "东村2016年第一季度财务收支公开", bj(2016, 4, 1, 9, 0)), // 90 days of 92
		doc("v-2", "wechat", "康大营镇发布", "工作动态", "西村召开村民大会", bj(2016, 6, 1, 9, 0)),        // not 村务公开
		noColumn,
	)
	addManual(t, st, store.ManualEntry{Date: bj(2016, 5, 1, 0, 0), Channel: "board", Category: "村务公开",
		Title: "南庄村公开栏：低保评议结果", Count: 1})
	cfg := defaultConfig()
	cfg.Staleness.Villages = []string{"东村", "西村", "南庄村"}
	cfg.Sources = []config.Source{{Name: "wx", Kind: config.KindWeChatFolder, Channel: store.ChannelWeChat, Account: "康大营镇妇联"}}
	s := compute(t, st, cfg, 2016, asOf)

	want := []struct {
		kind, name  string
		days, limit int
		state       string
	}{
		{ScopeHomepage, "", 11, 14, StateOK},
		{ScopeColumn, "乡镇要闻", 12, 14, StateWarning},
		{ScopeColumn, "工作动态", 11, 14, StateOK},
		{ScopeColumn, "通知公告", 184, 183, StateOverdue},
		{ScopeColumn, "规划信息", 365, 365, StateWarning},
		{ScopeColumn, "township-portal", 181, 365, StateOK},
		{ScopeColumn, "村务公开", 90, 365, StateOK},
		{ScopeWeChat, "康大营镇发布", 15, 14, StateOverdue},
		{ScopeWeChat, "康大营镇团委", 2, 14, StateOK},
		{ScopeWeChat, "康大营镇妇联", -1, 14, StateOverdue},
		{ScopeVillage, "东村", 90, 92, StateWarning},
		{ScopeVillage, "西村", -1, 92, StateOverdue},
		{ScopeVillage, "南庄村", 60, 92, StateOK},
	}
	for _, w := range want {
		r, ok := staleOf(s.Stale, w.kind, w.name)
		if !ok {
			t.Errorf("no staleness row for %s %q in %+v", w.kind, w.name, s.Stale)
			continue
		}
		if r.Days != w.days || r.LimitDays != w.limit || r.State != w.state {
			t.Errorf("%s: days %d limit %d state %s, want %d %d %s", r.Scope, r.Days, r.LimitDays, r.State, w.days, w.limit, w.state)
		}
	}
	if len(s.Stale) != len(want) {
		t.Errorf("%d rows, want %d: %+v", len(s.Stale), len(want), s.Stale)
	}
	if s.Stale[0].Kind != ScopeHomepage || s.Stale[1].Name != "通知公告" {
		t.Errorf("order: homepage first, then the most overdue column: %+v", s.Stale[:2])
	}
	if r, _ := staleOf(s.Stale, ScopeWeChat, "康大营镇妇联"); r.Scope != "微信公众号：康大营镇妇联" {
		t.Errorf("scope label %q", r.Scope)
	}

	// local rules: stricter WeChat limit, own column limits, own warning share
	cfg.Staleness.WeChatDays = 10
	cfg.Staleness.Columns = []config.ColumnLimit{{Match: []string{"要闻"}, Days: 30}}
	cfg.Staleness.WarnShare = 0.5
	s = compute(t, st, cfg, 2016, asOf)
	if r, _ := staleOf(s.Stale, ScopeColumn, "乡镇要闻"); r.LimitDays != 30 || r.State != StateOK {
		t.Errorf("local 要闻 rule: %+v", r)
	}
	if r, _ := staleOf(s.Stale, ScopeColumn, "工作动态"); r.LimitDays != 365 {
		t.Errorf("工作动态 without a matching rule falls to column_days: %+v", r)
	}
	if r, _ := staleOf(s.Stale, ScopeWeChat, "康大营镇团委"); r.LimitDays != 10 || r.State != StateOK {
		t.Errorf("wechat_days 10: %+v", r)
	}
	if r, _ := staleOf(s.Stale, ScopeVillage, "南庄村"); r.State != StateWarning {
		t.Errorf("warn share 0.5 puts 60 of 92 days in warning: %+v", r)
	}
}

func TestHomepageNeverUpdated(t *testing.T) {
	cfg := defaultConfig()
	cfg.Sources = []config.Source{{Name: "portal", Kind: config.KindPortal, Channel: store.ChannelPortal}}
	s := compute(t, openStore(t), cfg, 2016, bj(2016, 6, 30, 0, 0))
	if len(s.Stale) != 1 || s.Stale[0].Kind != ScopeHomepage || s.Stale[0].State != StateOverdue || s.Stale[0].Days != -1 {
		t.Errorf("a portal without items is overdue: %+v", s.Stale)
	}
	if s := compute(t, openStore(t), defaultConfig(), 2016, bj(2016, 6, 30, 0, 0)); len(s.Stale) != 0 {
		t.Errorf("no portal configured, no items: no rows, got %+v", s.Stale)
	}
}

func TestDisclosureWorkdays(t *testing.T) {
	st := openStore(t)
	mk := func(id string, written, published [3]int) *store.Document {
		d := doc(id, "portal", "政策文件", "法规政策", "文件"+id, bj(published[0], timeMonth(published[1]), published[2], 9, 0))
		d.Written = bj(written[0], timeMonth(written[1]), written[2], 0, 0)
		return d
	}
	put(t, st,
		mk("on-time", [3]int{2015, 9, 1}, [3]int{2015, 9, 29}),   // 20 working days
		mk("late", [3]int{2015, 9, 1}, [3]int{2015, 9, 30}),      // 21
		mk("holiday", [3]int{2015, 9, 10}, [3]int{2015, 10, 13}), // 23 weekdays, 5 holidays, 1 worked Saturday: 19
		mk("backdated", [3]int{2015, 9, 10}, [3]int{2015, 9, 1}), // published before written: not judged
		doc("undated", "portal", "政策文件", "法规政策", "无成文日期", bj(2015, 9, 1, 9, 0)),
	)
	cfg := defaultConfig()
	cfg.Staleness.Holidays = []string{"2015-10-01", "2015-10-02", "2015-10-05", "2015-10-06", "2015-10-07"}
	cfg.Staleness.Workdays = []string{"2015-10-10"}
	d := compute(t, st, cfg, 2015, bj(2015, 12, 31, 0, 0)).Disclosure
	if d.Checked != 3 || d.Late != 1 || len(d.Items) != 1 || d.Items[0].ID != "late" || d.Items[0].Workdays != 21 {
		t.Errorf("disclosure %+v", d)
	}
	cfg.Staleness.Holidays = nil
	cfg.Staleness.Workdays = nil
	if d := compute(t, st, cfg, 2015, bj(2015, 12, 31, 0, 0)).Disclosure; d.Late != 2 {
		t.Errorf("without the holiday calendar the 10-13 item is late (23 working days): %+v", d)
	}
}

// TestInspectionPersonnelAndPlanningColumns checks that under the built-in
// defaults an overdue 人事 or 规划 column is long neglected (the general
// column limit, a year), not one of the 动态要闻/通知公告/政策文件 columns.
func TestInspectionPersonnelAndPlanningColumns(t *testing.T) {
	r, err := rulesOf(defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"人事信息", "规划信息"} {
		if days, matched := r.columnRule(name); matched || days != 365 {
			t.Errorf("%s: limit %d days, column rule %v; want the general 365 days", name, days, matched)
		}
	}
	v := inspect([]StaleRow{
		{Kind: ScopeColumn, Name: "人事信息", Scope: "网站栏目：人事信息", State: StateOverdue},
		{Kind: ScopeColumn, Name: "规划信息", Scope: "网站栏目：规划信息", State: StateOverdue},
	}, r)
	if v[1].Count != 0 || v[2].Count != 2 {
		t.Errorf("timed columns %d %v, long neglected %d %v; want 0 and 2", v[1].Count, v[1].Scopes, v[2].Count, v[2].Scopes)
	}
}

func TestInspectionVerdicts(t *testing.T) {
	r, err := rulesOf(defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var rows []StaleRow
	add := func(kind, name, state string, n int) {
		for i := range n {
			rows = append(rows, StaleRow{Kind: kind, Name: name + string(rune('A'+i)), Scope: name, State: state})
		}
	}
	add(ScopeHomepage, "", StateOK, 1)
	add(ScopeColumn, "乡镇动态", StateOverdue, 4)
	add(ScopeColumn, "通知公告", StateOverdue, 1)
	add(ScopeColumn, "其他栏目", StateOverdue, 9)
	add(ScopeColumn, "要闻", StateWarning, 3)
	add(ScopeWeChat, "公众号", StateOverdue, 1)
	v := inspect(rows, r)
	want := []struct {
		count  int
		failed bool
	}{{0, false}, {5, true}, {9, false}, {1, true}}
	for i, w := range want {
		if v[i].Count != w.count || v[i].Failed != w.failed {
			t.Errorf("%s: %d failed=%v, want %d %v", v[i].Rule, v[i].Count, v[i].Failed, w.count, w.failed)
		}
	}
	add(ScopeColumn, "其他栏目", StateOverdue, 1)
	add(ScopeHomepage, "", StateOverdue, 1)
	if v := inspect(rows, r); !v[2].Failed || !v[0].Failed {
		t.Errorf("10 long-neglected columns and an overdue homepage fail: %+v", v)
	}
}

// Staleness follows the channel: a feed source naming a WeChat account (its
// channel left to each document) watches that account; a feed counted as
// the portal's has the homepage watched; a portal source counted on another
// channel does not.
func TestStaleFollowsChannel(t *testing.T) {
	st := openStore(t)
	asOf := bj(2016, 6, 30, 0, 0)
	for _, tc := range []struct {
		src      config.Source
		account  bool
		homepage bool
	}{
		{config.Source{Name: "wx", Kind: config.KindFeed, Account: "康大营镇妇联"}, true, false},
		{config.Source{Name: "col", Kind: config.KindFeed, Channel: store.ChannelPortal}, false, true},
		{config.Source{Name: "city", Kind: config.KindUpperPortal, Channel: store.ChannelUpperPortal}, false, false},
	} {
		cfg := defaultConfig()
		cfg.Sources = []config.Source{tc.src}
		s := compute(t, st, cfg, 2016, asOf)
		var account, homepage bool
		for _, r := range s.Stale {
			account = account || (r.Kind == ScopeWeChat && r.Name == "康大营镇妇联")
			homepage = homepage || r.Kind == ScopeHomepage
		}
		if account != tc.account || homepage != tc.homepage {
			t.Errorf("%s: account row %v, homepage row %v; want %v, %v", tc.src.Name, account, homepage, tc.account, tc.homepage)
		}
	}
}
