package crawler

import (
	"context"
	"net/url"
	"strings"

	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/store"
)

// Site templates: pages of one site share a layout, so the crawler
// remembers per host the body containers and date labels that worked on
// cleanly extracted pages, and hands the one most pages showed to the
// extractor first on the host's next pages; the extractor falls back to
// its general method where it does not fit (a column with another layout).
const (
	minTemplatePages = 2  // clean pages that must show a layout before it is used
	maxTemplatePages = 10 // the most counted (no store write after that), so after a redesign the new layout (more recent) wins within a few pages
)

// hostOf is the lower-cased host of a page URL, or "" for saved files.
func hostOf(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// siteTemplate returns the layout to try first on a page of host: the one
// most clean pages showed (the most recent among equals), or none until
// minTemplatePages pages showed one.
func (c *Crawler) siteTemplate(ctx context.Context, host string) (extract.Template, error) {
	if host == "" {
		return extract.Template{}, nil
	}
	c.tmu.Lock()
	defer c.tmu.Unlock()
	ts, err := c.layouts(ctx, host)
	if err != nil {
		return extract.Template{}, err
	}
	var best *store.SiteTemplate
	for i := range ts {
		t := &ts[i]
		if best == nil || t.Pages > best.Pages || (t.Pages == best.Pages && t.Updated.After(best.Updated)) {
			best = t
		}
	}
	if best == nil || best.Pages < minTemplatePages {
		return extract.Template{}, nil
	}
	return extract.Template{Body: best.Body, DateLabel: best.DateLabel}, nil
}

// layouts returns the cached layouts of host, reading them from the store
// the first time; c.tmu must be held.
func (c *Crawler) layouts(ctx context.Context, host string) ([]store.SiteTemplate, error) {
	if ts, ok := c.sites[host]; ok {
		return ts, nil
	}
	ts, err := c.st.SiteTemplates(ctx, host)
	if err != nil {
		return nil, err
	}
	c.sites[host] = ts
	return ts, nil
}

// learnTemplate counts the layout a cleanly extracted page showed and saves
// it with the crawl state, so it survives restarts.
func (c *Crawler) learnTemplate(ctx context.Context, host string, art *extract.Article) error {
	if host == "" || art.Learned == nil {
		return nil
	}
	l := art.Learned
	c.tmu.Lock() // held over the write too, so counts are saved in the order they were made
	defer c.tmu.Unlock()
	ts, err := c.layouts(ctx, host)
	if err != nil {
		return err
	}
	next := store.SiteTemplate{Host: host, Body: l.Body, DateLabel: l.DateLabel, Pages: 1, Updated: now()}
	found := false
	for i := range ts {
		if ts[i].Body == l.Body && ts[i].DateLabel == l.DateLabel {
			if ts[i].Pages >= maxTemplatePages {
				return nil // counted out: no write for every further page
			}
			next.Pages = ts[i].Pages + 1
			ts[i], found = next, true
		}
	}
	if !found {
		ts = append(ts, next)
	}
	c.sites[host] = ts
	return c.write(func() error { return c.st.SaveSiteTemplate(ctx, &next) })
}
