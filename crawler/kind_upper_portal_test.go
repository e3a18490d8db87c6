package crawler

import (
	"context"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func TestUpperPortalKeepsTheTownshipsItems(t *testing.T) {
	s := newTownship(t, 4, 5) // its articles carry ContentSource 康大营镇党政办
	for _, tc := range []struct {
		names []string
		kept  int
	}{{[]string{"前营乡"}, 0}, {[]string{"康大营", "康大营镇人民政府"}, 4}} {
		st, cfg := setup(t, s)
		cfg.Sources = []config.Source{{Name: "city", Kind: KindUpperPortal, Channel: store.ChannelUpperPortal,
			Start: []string{s.URL + "/tzgg/index.html"}, Rate: -1, Match: config.Match{Names: tc.names}}}
		var other int
		runs := runAll(t, newCrawler(st, cfg, func(e Event) {
			if e.Outcome == OutcomeOther {
				other++
			}
		}))
		if r := runs["city"]; r.New != tc.kept || other != 4-tc.kept || r.Unchanged != 0 {
			t.Errorf("names %v: run %+v, %d others; want %d kept", tc.names, r, other, tc.kept)
		}
		st.Each(context.Background(), func(d *store.Document) error {
			if d.Channel != store.ChannelUpperPortal {
				t.Errorf("%s: channel %q", d.Title, d.Channel)
			}
			return nil
		})
	}
}

func TestUpperPortalNearMiss(t *testing.T) {
	src, err := openUpperPortal(config.Source{Name: "city", Kind: KindUpperPortal, Match: config.Match{Names: []string{"康大营镇", "康大营党政办"}}})
	if err != nil {
		t.Fatal(err)
	}
	u := src.(*upperPortal)
	cases := []struct {
		doc            store.Document
		admit          bool
		reason, origin string
	}{
		{store.Document{Title: "城关镇召开会议", Meta: map[string]string{"来源": "康大营党政办"}}, true, "", ""},
		{store.Document{Title: "康大营镇经验在全市推广", Meta: map[string]string{"来源": "市政府办公室"}}, false,
			"标题提及“康大营镇”，但来源、发布机构、作者均未写明本单位", "来源：市政府办公室"},
		{store.Document{Title: "城关镇学习村务公开", Body: "赴康大营镇学习", Publisher: "城关镇人民政府"}, false,
			"正文提及“康大营镇”，但规则不读正文（match.body 未开启），来源、发布机构、作者均未写明本单位", "发布机构：城关镇人民政府"},
		{store.Document{Title: "春耕", Meta: map[string]string{"关键词": "康大营镇"}}, false, "“关键词”字段提及“康大营镇”，但规则只读来源、发布机构、作者（match.fields）", "未注明"},
		{store.Document{Title: "南口镇开展培训", Meta: map[string]string{"来源": "南口镇人民政府"}}, false, "", ""},
	}
	for _, tc := range cases {
		if got := u.Admit(&tc.doc); got != tc.admit {
			t.Errorf("%s: admitted %v", tc.doc.Title, got)
			continue
		}
		if tc.admit {
			continue
		}
		reason, origin := u.NearMiss(&tc.doc)
		if reason != tc.reason || origin != tc.origin {
			t.Errorf("%s: reason %q, origin %q\nwant %q, %q", tc.doc.Title, reason, origin, tc.reason, tc.origin)
		}
	}
}
