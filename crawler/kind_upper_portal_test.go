package crawler

import (
	"context"
	"testing"

	"gongkai/config"
	"gongkai/store"
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
