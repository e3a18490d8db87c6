package crawler

import (
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func TestCategorize(t *testing.T) {
	cats := config.Categories{
		Default: "其他",
		Rules: []config.Rule{
			{Category: "财政信息", Column: []string{"财政", "预决算"}, Title: []string{"预算", "决算", "三公"}},
			{Category: "村务公开", Subject: []string{"村务"}, URL: []string{`/cwgk/`}},
			{Category: "法规政策", Subject: []string{"综合政务\\政策"}, URL: []string{`(`}},
			{Category: "救灾救济", Title: []string{"救灾", "救济"}},
		},
	}
	for _, tc := range []struct {
		doc  store.Document
		want string
	}{
		{store.Document{Column: "财政预决算", Title: "关于村务的通知"}, "财政信息"},
		{store.Document{Title: "2015年部门预算公开"}, "财政信息"},
		{store.Document{Subject: "民政、扶贫、救灾\\村务"}, "村务公开"},
		{store.Document{URL: "http://kdy.gov.cn/cwgk/201503/t20150301_1.html"}, "村务公开"},
		{store.Document{Subject: "综合政务\\政策", URL: "http://x/("}, "法规政策"},
		{store.Document{Title: "救灾救济款物发放公示"}, "救灾救济"},
		{store.Document{Title: "召开安全生产会议"}, "其他"},
	} {
		if got := Categorize(cats, &tc.doc); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.doc, got, tc.want)
		}
	}
	if got := Categorize(config.Default().Categories, &store.Document{Title: "x"}); got != config.DefaultCategory {
		t.Errorf("built-in default: %s", got)
	}
}
