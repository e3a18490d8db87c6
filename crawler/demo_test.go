package crawler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/store"
)

// TestCrawlDemo crawls the demo township twice: the first crawl must store
// every generated item with its title, date, category and channel, record
// the deleted and expired WeChat posts as unavailable and leave the
// robots-disallowed pages alone; the second must store nothing. It runs with
// the demo's configuration and again with only start URLs (driver auto, no
// article patterns) to check the list defaults.
func TestCrawlDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the whole demo township")
	}
	t.Run("configured", func(t *testing.T) { crawlDemo(t, false) })
	t.Run("defaults", func(t *testing.T) { crawlDemo(t, true) })
}

func crawlDemo(t *testing.T, defaults bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	town := demo.Generate(demo.Options{})
	sites, err := town.Serve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := town.Config(sites)
	for i := range cfg.Sources {
		cfg.Sources[i].Rate = -1
		if defaults {
			cfg.Sources[i].Driver, cfg.Sources[i].ArticlePattern = config.DriverAuto, nil
		}
	}
	st := openStore(t)
	newC := func() *Crawler {
		return New(st, cfg, Options{Fetch: fetch.Options{Rate: -1, Backoff: time.Millisecond}, Progress: func(Event) {}})
	}
	runs, err := newC().Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		t.Logf("first crawl %s: fetched %d, new %d, failed %d %v %s", r.Source, r.Fetched, r.New, r.Failed, r.Failures, r.Note)
	}
	checkDemoItems(t, st, town)
	checkDemoFailures(t, st, town, sites)
	checkDemoValidity(t, st, town)
	if defaults {
		return // the second crawl does not depend on how links were found
	}
	checkDemoAdoption(t, st, town, cfg)
	checkDemoAttachments(t, st, cfg)

	seq, _ := st.MaxSeq(ctx)
	runs, err = newC().Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.New != 0 || r.Changed != 0 {
			t.Errorf("second crawl of %s stored %d new and %d changed", r.Source, r.New, r.Changed)
		}
	}
	if after, _ := st.MaxSeq(ctx); after != seq {
		t.Errorf("second crawl wrote: seq %d → %d", seq, after)
	}
}

func checkDemoItems(t *testing.T, st *store.Store, town *demo.Township) {
	t.Helper()
	byURL := map[string]*store.Document{}
	st.Each(context.Background(), func(d *store.Document) error { byURL[d.URL] = d; return nil })
	bad := 0
	for _, it := range town.Items {
		d := byURL[extract.CanonicalURL(it.URL)]
		var problem string
		switch {
		case d == nil:
			problem = "missing"
		case d.Title != it.Title:
			problem = "title " + d.Title
		case !d.Published.Equal(it.Published):
			problem = "published " + d.Published.String() + " want " + it.Published.String()
		case d.Category != it.Category:
			problem = "category " + d.Category + " want " + it.Category
		case d.Channel != it.Channel:
			problem = "channel " + d.Channel
		}
		if problem != "" {
			if bad++; bad <= 10 {
				t.Errorf("%s %s (%s): %s", it.ID, it.URL, it.Title, problem)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d demo items wrong", bad, len(town.Items))
	}
}

func checkDemoFailures(t *testing.T, st *store.Store, town *demo.Township, sites *demo.Sites) {
	t.Helper()
	fails, _ := st.Failures(context.Background(), "")
	failure := map[string]string{}
	for _, f := range fails {
		failure[f.URL] = f.Failure
	}
	for _, u := range town.Unavailable {
		if !strings.HasPrefix(failure[u], "unavailable: ") {
			t.Errorf("%s: failure %q, want unavailable", u, failure[u])
		}
	}
	adopted := town.Adopted(time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, store.Beijing)) // the township's items on the city portal
	if n, _ := st.Count(context.Background()); n != len(town.Items)+adopted {
		t.Errorf("%d documents stored for %d demo items and %d adopted on the city portal", n, len(town.Items), adopted)
	}
	for _, u := range town.Disallowed {
		if n := sites.Requests(u); n != 0 {
			t.Errorf("robots-disallowed %s requested %d times", u, n)
		}
	}
	if len(town.Unavailable) == 0 || len(town.Disallowed) == 0 {
		t.Errorf("demo without unavailable (%d) or disallowed (%d) pages", len(town.Unavailable), len(town.Disallowed))
	}
}

// checkDemoAdoption enters the township's reports as the demo command does
// and checks the 2015 figures of its report: 36 sent, 53 adopted.
func checkDemoAdoption(t *testing.T, st *store.Store, town *demo.Township, cfg *config.Config) {
	t.Helper()
	ctx := context.Background()
	if err := st.AddManualBatch(ctx, town.Reports()); err != nil {
		t.Fatal(err)
	}
	s, err := analytics.Compute(ctx, st, cfg, 2015, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Adoption; a.Sent != 36 || a.Adopted != 53 || a.Adopted != town.Adopted(s.Period.From, s.Period.To) {
		t.Errorf("2015 adoption: sent %d, adopted %d; want 36 and 53", a.Sent, a.Adopted)
	}
	if p := s.Channel(store.ChannelPortal); p.Count != 56 {
		t.Errorf("portal count %d: the city's items must not count as the township's", p.Count)
	}
}
