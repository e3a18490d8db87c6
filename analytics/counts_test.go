package analytics

import (
	"context"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

func TestCrossChannelDedupe(t *testing.T) {
	st := openStore(t)
	same := doc("wx-1", "wechat", "镇政府发布", "财政信息", "关于2015年财政预算的公告", bj(2015, 3, 3, 10, 0))
	same.Body = "正文 portal-1" // identical text to portal-1: same text hash
	put(t, st,
		doc("portal-1", "portal", "通知公告", "财政信息", "关于2015年财政预算的公告", bj(2015, 3, 1, 9, 0)),
		same,
		// same title, different text, other channel, within 7 days: the same item
		doc("wx-2", "wechat", "镇政府发布", "工作动态", "【转载】关于 开展春季植树活动 的通知", bj(2015, 4, 6, 9, 0)),
		doc("portal-2", "portal", "要闻", "工作动态", "关于开展春季植树活动的通知", bj(2015, 4, 1, 9, 0)),
		// same title, other channel, 30 days apart: two items
		doc("wx-3", "wechat", "镇政府发布", "工作动态", "村民代表大会召开情况", bj(2015, 6, 30, 9, 0)),
		doc("portal-3", "portal", "要闻", "工作动态", "村民代表大会召开情况", bj(2015, 5, 31, 9, 0)),
		// same title, same channel, same day: two items (a column can repeat a title)
		doc("portal-4", "portal", "村务公开", "村务公开", "村务财务收支公开表", bj(2015, 7, 1, 9, 0)),
		doc("portal-5", "portal", "村务公开", "村务公开", "村务财务收支公开表", bj(2015, 7, 1, 10, 0)),
		// short generic titles never match by title
		doc("portal-6", "portal", "通知公告", "通知公告", "通知", bj(2015, 8, 1, 9, 0)),
		doc("wx-6", "wechat", "镇政府发布", "通知公告", "通知", bj(2015, 8, 1, 9, 0)),
	)
	addManual(t, st, store.ManualEntry{Date: bj(2015, 3, 2, 0, 0), Channel: "board", Category: "财政信息",
		Title: "关于2015年财政预算的公告", Count: 1})
	addManual(t, st, store.ManualEntry{Date: bj(2015, 6, 1, 0, 0), Channel: "board", Category: "村务公开",
		Title: "各村公开栏更新", Count: 31})
	addManual(t, st, store.ManualEntry{Date: bj(2015, 6, 1, 0, 0), Channel: "report", Category: "工作动态",
		Title: "信息报送", Count: 36})

	s := compute(t, st, defaultConfig(), 2015, bj(2015, 12, 31, 0, 0))
	c := s.Counts
	if c.Total != 10+1+31+36 {
		t.Errorf("total %d, want %d", c.Total, 10+1+31+36)
	}
	// groups: {portal-1, wx-1, board}, {portal-2, wx-2}, wx-3, portal-3, portal-4, portal-5, portal-6, wx-6, 31, 36
	if want := 8 + 31 + 36; c.Unique != want {
		t.Errorf("unique %d, want %d", c.Unique, want)
	}
	if c.Channels["portal"] != 6 || c.Channels["wechat"] != 4 || c.Channels["board"] != 32 || c.Channels["report"] != 36 {
		t.Errorf("channels %v", c.Channels)
	}
	if c.Categories["财政信息"] != 3 || c.Categories["村务公开"] != 33 {
		t.Errorf("categories %v", c.Categories)
	}
	if c.Sources[ManualSource] != 68 || c.Sources["portal-src"] != 6 || c.Publishers[UnknownPublisher] != 78 {
		t.Errorf("sources %v publishers %v", c.Sources, c.Publishers)
	}
	if c.Months["2015-06"]["board"] != 31 || c.Months["2015-07"]["portal"] != 2 || c.Years[2015]["wechat"] != 4 {
		t.Errorf("months %v years %v", c.Months, c.Years)
	}
	if c.Columns["portal"]["村务公开"] != 2 || c.Columns["board"][ManualSource] != 32 {
		t.Errorf("columns %v", c.Columns)
	}

	// the dedupe window is configurable: 31 days joins wx-3 and portal-3
	cfg := defaultConfig()
	cfg.Analytics.DedupeDays = 31
	if got := compute(t, st, cfg, 2015, bj(2015, 12, 31, 0, 0)).Counts.Unique; got != 7+31+36 {
		t.Errorf("unique with 31-day window %d, want %d", got, 7+31+36)
	}
}

func TestCountPeriod(t *testing.T) {
	st := openStore(t)
	put(t, st, series("p", "portal", "要闻", "工作动态", bj(2015, 1, 30, 9, 0), 5)...)
	c, err := CountPeriod(context.Background(), st, defaultConfig(), bj(2015, 2, 1, 0, 0), bj(2015, 2, 3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 2 || c.Days["2015-02-01"] != 1 || c.Days["2015-02-02"] != 1 {
		t.Errorf("count 02-01..02-02: %d %v", c.Total, c.Days)
	}
}

func TestNormalizeTitle(t *testing.T) {
	if a, b := NormalizeTitle("关于 开展ＡＢＣ活动的 通知！"), NormalizeTitle("【转发】【通知】关于开展abc活动的通知"); a != b {
		t.Errorf("leading tags should go: %q %q", a, b)
	}
	if got := NormalizeTitle(" 关于开展ＡＢＣ活动的“通知”！"); got != "关于开展abc活动的通知" {
		t.Errorf("normalised %q", got)
	}
}
