package analytics

import (
	"context"
	"testing"
	"time"

	"gongkai/store"
)

// TestWatchLooksBackAYear checks that late disclosures are watched over the
// year up to the day, whatever the statistics period: with a period closing
// on 12-15, an item published on 12-10 is still watched on 12-31, and one
// published more than a year before is not.
func TestWatchLooksBackAYear(t *testing.T) {
	st := openStore(t)
	late := func(id string, written, published time.Time) *store.Document {
		d := doc(id, store.ChannelPortal, "通知公告", "通知公告", "关于"+id+"的通知", published)
		d.Written = written
		return d
	}
	put(t, st,
		late("recent", bj(2016, 10, 1, 9, 0), bj(2016, 12, 10, 9, 0)),
		late("old", bj(2015, 9, 1, 9, 0), bj(2015, 12, 1, 9, 0)),
		late("ontime", bj(2016, 12, 1, 9, 0), bj(2016, 12, 5, 9, 0)),
	)
	cfg := defaultConfig()
	cfg.Analytics.PeriodEnd = "12-15"
	w, err := WatchStore(context.Background(), st, cfg, bj(2016, 12, 31, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if w.Disclosure.Late != 1 || len(w.Disclosure.Items) != 1 || w.Disclosure.Items[0].ID != "recent" || w.Disclosure.Checked != 2 {
		t.Fatalf("watched disclosures %+v", w.Disclosure)
	}
	if len(w.Stale) == 0 || w.Stale[0].Kind != ScopeHomepage {
		t.Errorf("staleness rows %+v", w.Stale)
	}
}
