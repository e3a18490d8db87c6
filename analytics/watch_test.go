package analytics

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
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

// TestWatchUnits checks that with several units the watched staleness is the
// county view's: each unit's scopes under its own rules and name. Over the
// units together, 康大营镇's recent items would hide 城关镇's stale homepage.
func TestWatchUnits(t *testing.T) {
	st := openStore(t)
	cfg := twoUnitConfig()
	cfg.Units[1].Staleness = &config.Staleness{HomepageDays: 10}
	kdy := doc("kdy", store.ChannelPortal, "工作动态", "工作动态", "康大营镇工作动态", bj(2016, 12, 28, 9, 0))
	kdy.Unit = "康大营镇"
	cgz := doc("cgz", store.ChannelPortal, "通知公告", "通知公告", "城关镇通知", bj(2016, 12, 1, 9, 0))
	cgz.Unit = "城关镇"
	put(t, st, kdy, cgz)
	asOf := bj(2016, 12, 31, 0, 0)
	w, err := WatchStore(context.Background(), st, cfg, asOf)
	if err != nil {
		t.Fatal(err)
	}
	county, err := ComputeUnit(context.Background(), st, cfg, 2016, asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]StaleRow{}
	for _, r := range w.Stale {
		rows[r.Scope] = r
	}
	if h := rows["城关镇·首页"]; h.Unit != "城关镇" || h.LimitDays != 10 || h.State != StateOverdue {
		t.Errorf("城关镇's homepage %+v, want overdue under its own 10-day limit (rows %+v)", h, w.Stale)
	}
	if h := rows["康大营镇·首页"]; h.LimitDays != 14 || h.State != StateOK {
		t.Errorf("康大营镇's homepage %+v, want ok under the top-level 14 days", h)
	}
	if len(w.Stale) != len(county.Stale) {
		t.Errorf("watched %d staleness rows, the county view shows %d", len(w.Stale), len(county.Stale))
	}
	for i := range county.Stale {
		if i < len(w.Stale) && w.Stale[i].Scope != county.Stale[i].Scope {
			t.Errorf("row %d: watched %q, county view %q", i, w.Stale[i].Scope, county.Stale[i].Scope)
		}
	}
}

// TestWatchListsEveryLateItem checks that alerts see every late item of the
// year, where the statistics list the latest MaxLateItems.
func TestWatchListsEveryLateItem(t *testing.T) {
	r, err := rulesOf(defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	n := MaxLateItems + 20
	recs := make([]record, n)
	for i := range recs {
		pub := bj(2016, 12, 20, 9, 0).Add(-time.Duration(i) * 10 * time.Minute)
		recs[i] = record{id: fmt.Sprint("late", i), title: "通知", published: pub, written: pub.AddDate(0, -3, 0)}
	}
	from, to := bj(2016, 1, 1, 0, 0), bj(2017, 1, 1, 0, 0)
	if d := disclosureCheck(recs, from, to, r, 0); d.Late != n || len(d.Items) != n {
		t.Errorf("watched: %d late, %d listed; want %d of each", d.Late, len(d.Items), n)
	}
	if d := disclosureCheck(recs, from, to, r, MaxLateItems); d.Late != n || len(d.Items) != MaxLateItems {
		t.Errorf("statistics: %d late, %d listed; want %d late, %d listed", d.Late, len(d.Items), n, MaxLateItems)
	}
}
