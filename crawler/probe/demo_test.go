package probe

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	_ "github.com/gongkai-project/gongkai/crawler" // registers the source kinds the demo configures
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/demo"
)

// TestProbeDemo probes one column of each style of the demo portal (TRS and
// Hanweb, served on loopback by the demo package) with the demo's category
// rules: the driver and CMS must be recognised, the samples must carry the
// demo item's title, date and category, and the sources: block must load.
func TestProbeDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	town := demo.Generate(demo.Options{})
	sites, err := town.Serve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := town.Config(sites)
	items := map[string]demo.Item{}
	for _, it := range town.Items {
		items[extract.CanonicalURL(it.URL)] = it
	}
	// Probe as a new user would: the configuration knows the categories, not the sources.
	rules := config.Default()
	rules.Categories = cfg.Categories
	for _, src := range cfg.Sources[:2] {
		t.Run(src.Driver, func(t *testing.T) {
			paged := 0
			for _, start := range src.Start {
				paged += probeDemoColumn(t, start, src.Driver, rules, items)
				if testing.Short() && paged > 0 {
					break // -short: up to the first column with a second page
				}
			}
			if paged == 0 {
				t.Errorf("no %s column with a second page", src.Driver)
			}
		})
	}
	t.Run("configured", func(t *testing.T) {
		// A configured start URL is probed with its source's driver and patterns.
		f := fetch.New(fetch.Options{Rate: -1, Backoff: time.Millisecond, Allow: fetch.Allow{Private: true}})
		defer f.Close()
		src := cfg.Sources[1]
		r, err := Probe(ctx, f, src.Start[0], Options{Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		if r.Source != src.Name || r.Driver != src.Driver || !strings.Contains(r.Config, "name: "+src.Name) ||
			!strings.Contains(r.Config, "article_pattern:") {
			t.Errorf("probe of configured %s: source %q driver %q config\n%s", src.Start[0], r.Source, r.Driver, r.Config)
		}
		checkConfigBlock(t, r, src.Start[0])
	})
	t.Run("robots", func(t *testing.T) {
		f := fetch.New(fetch.Options{Rate: -1, Backoff: time.Millisecond, Allow: fetch.Allow{Private: true}})
		defer f.Close()
		u := town.Disallowed[0]
		r, err := Probe(ctx, f, u, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Problems) != 1 || r.Problems[0].Code != RobotsDisallowed || r.Usable() || r.Config != "" {
			t.Errorf("probe of disallowed %s: %+v", u, r)
		}
		if n := sites.Requests(u); n != 0 {
			t.Errorf("disallowed %s requested %d times", u, n)
		}
	})
}

// probeDemoColumn probes one demo column and checks the report; it returns
// 1 when the column has a second page (and the probe read it).
func probeDemoColumn(t *testing.T, start, driver string, rules *config.Config, items map[string]demo.Item) int {
	t.Helper()
	f := fetch.New(fetch.Options{Rate: -1, Backoff: time.Millisecond, Allow: fetch.Allow{Private: true}})
	defer f.Close()
	r, err := Probe(context.Background(), f, start, Options{Config: rules})
	if err != nil {
		t.Fatal(err)
	}
	if r.Driver != driver || r.CMS != driver {
		t.Errorf("%s: driver %q, cms %q (evidence %v); want %q", start, r.Driver, r.CMS, r.CMSEvidence, driver)
	}
	if len(r.Problems) != 0 {
		t.Errorf("%s: problems on a working demo column: %+v", start, r.Problems)
	}
	paged := r.Pagination.Next != ""
	if len(r.Links) == 0 || paged != (len(r.Pages) == 2) || (paged && r.Pages[1].Links == 0) {
		t.Errorf("%s: links %d, pages read %+v, pagination %+v", start, len(r.Links), r.Pages, r.Pagination)
	}
	if len(r.Articles) != min(DefaultSamples, len(r.Links)) {
		t.Errorf("%s: %d sample articles", start, len(r.Articles))
	}
	for _, a := range r.Articles {
		it, ok := items[extract.CanonicalURL(a.URL)]
		switch {
		case !ok:
			t.Errorf("sample %s is no demo item", a.URL)
		case a.Title != it.Title || a.Published != it.Published.Format("2006-01-02") || a.Category != it.Category || a.BodyChars == 0:
			t.Errorf("sample %+v; want %q %s %s", a, it.Title, it.Published.Format("2006-01-02"), it.Category)
		}
	}
	checkConfigBlock(t, r, start)
	if paged {
		return 1
	}
	return 0
}

// checkConfigBlock checks that the report's sources: block is a valid
// configuration (what `gongkai config check` runs) naming the start URL and
// the driver.
func checkConfigBlock(t *testing.T, r *Report, start string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gongkai.yaml")
	if err := os.WriteFile(path, []byte(r.Config), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("config block does not load: %v\n%s", err, r.Config)
	}
	if len(cfg.Sources) != 1 || len(cfg.Sources[0].Start) != 1 || cfg.Sources[0].Start[0] != start ||
		cfg.Sources[0].Driver != r.Driver || cfg.Sources[0].Name == "" {
		t.Errorf("config block gives sources %+v\n%s", cfg.Sources, r.Config)
	}
}
