package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
	"github.com/gongkai-project/gongkai/store/failure"
)

// validators are what a later conditional request needs.
type validators struct {
	etag, lastModified string
	status             int
}

// fetchArticle fetches one article (conditionally when it was stored
// before), extracts and stores it. It returns only store failures; a
// cancelled fetch is left for the next crawl.
func (c *Crawler) fetchArticle(ctx context.Context, rs *runState, it Item) error {
	prev, err := c.st.CrawlState(ctx, it.URL)
	if err != nil {
		return storeFailure(ctx, err)
	}
	if c.settled(it, prev) {
		done, found := rs.outcome(OutcomeSkipped, "")
		c.emit(Event{Kind: EventArticle, Source: rs.src.Name, URL: it.URL, Outcome: OutcomeSkipped, Done: done, Found: found})
		return nil
	}
	var cond fetch.Conditional
	if prev != nil && prev.Failure == "" && prev.DocID != "" {
		cond = fetch.Conditional{ETag: prev.ETag, LastModified: prev.LastModified}
	}
	resp, err := c.f.Get(ctx, it.URL, cond)
	if ctx.Err() != nil {
		return nil
	}
	wctx := context.WithoutCancel(ctx) // a page that arrived is recorded even if the crawl is stopping
	if err != nil {
		return c.fail(wctx, rs, it.URL, prev, fetch.StatusOf(err), fetch.Reason(err), failureText(err))
	}
	rs.fetched()
	if resp.NotModified {
		cs := *prev
		cs.LastFetch, cs.HTTPStatus = now(), resp.Status
		cs.ETag, cs.LastModified = resp.ETag, resp.LastModified
		if err := c.record(wctx, rs, &cs, OutcomeNotModified, ""); err != nil {
			return err
		}
		return c.missingAttachments(ctx, rs, prev.DocID)
	}
	if err := fetch.CheckPageSize(resp, c.opt.MaxPageBytes); err != nil {
		return c.fail(wctx, rs, it.URL, prev, resp.Status, fetch.Reason(err), failureText(err))
	}
	host := hostOf(resp.FinalURL)
	site, err := c.siteTemplate(wctx, host)
	if err != nil {
		return storeFailure(wctx, err)
	}
	art, err := extract.ExtractWith(resp.FinalURL, resp.Body, resp.ContentType(), rs.src.Selectors, site)
	if err != nil {
		return c.fail(wctx, rs, it.URL, prev, resp.Status, failure.Extract, err.Error())
	}
	if err := c.keep(wctx, rs, it.URL, it, prev, art, validators{resp.ETag, resp.LastModified, resp.Status}); err != nil {
		return err
	}
	if art.Kind == extract.KindError {
		return nil
	}
	if art.UsedTemplate {
		rs.templated()
	}
	if err := c.learnTemplate(wctx, host, art); err != nil {
		return storeFailure(wctx, err)
	}
	return nil
}

// settled reports a URL that an incremental crawl need not fetch again: a
// page known to show no article (expired or deleted WeChat links stay so),
// or a stored stable page (a WeChat article) whose server gave no
// validators for a conditional request. Options.Full fetches them anyway.
func (c *Crawler) settled(it Item, prev *store.CrawlState) bool {
	switch {
	case c.opt.Full || prev == nil:
		return false
	case strings.HasPrefix(prev.Failure, failure.Unavailable):
		return true
	}
	return it.Stable && prev.Failure == "" && prev.DocID != "" && prev.ETag == "" && prev.LastModified == ""
}

// carried stores a document its list carried whole (a full-text feed); it
// is known by its URL and compared by content.
func (c *Crawler) carried(ctx context.Context, rs *runState, it Item) error {
	prev, err := c.st.CrawlState(ctx, it.URL)
	if err != nil {
		return storeFailure(ctx, err)
	}
	return c.keep(ctx, rs, it.URL, it, prev, it.Article, validators{})
}

// savedPage extracts and stores a saved article page, skipping files whose
// size and modification time are unchanged since the last crawl.
func (c *Crawler) savedPage(ctx context.Context, rs *runState, it Item) error {
	key := fileURL(it.File)
	prev, err := c.st.CrawlState(ctx, key)
	if err != nil {
		return storeFailure(ctx, err)
	}
	fi, err := os.Stat(it.File)
	if err != nil {
		return c.fail(ctx, rs, key, prev, 0, failure.File, err.Error())
	}
	stamp := fmt.Sprintf("%d:%d", fi.Size(), fi.ModTime().UnixNano())
	if prev != nil && prev.Failure == "" && prev.DocID != "" && prev.LastModified == stamp {
		cs := *prev
		cs.LastFetch = now()
		return c.record(ctx, rs, &cs, OutcomeNotModified, "")
	}
	if max := c.opt.MaxPageBytes; fi.Size() > max {
		return c.fail(ctx, rs, key, prev, 0, failure.TooLarge,
			fmt.Sprintf("%s: %s: %d bytes, over the page limit of %d (crawl.max_page_bytes)", failure.TooLarge, it.File, fi.Size(), max))
	}
	raw, err := os.ReadFile(it.File)
	if err != nil {
		return c.fail(ctx, rs, key, prev, 0, failure.File, err.Error())
	}
	rs.fetched()
	art, err := extract.Extract("", raw, "", rs.src.Selectors)
	if err != nil {
		return c.fail(ctx, rs, key, prev, 0, failure.Extract, err.Error())
	}
	if art.URL == "" {
		art.URL = key // a page that tells no identity is known by its file
	}
	return c.keep(ctx, rs, key, it, prev, art, validators{lastModified: stamp})
}

// keep stores an extracted article and records the crawl state of key, the
// URL or file it came from. Pages that show no article are recorded as
// failures and never stored; documents the source does not admit are
// recorded and not stored.
func (c *Crawler) keep(ctx context.Context, rs *runState, key string, it Item, prev *store.CrawlState, art *extract.Article, v validators) error {
	if art.Kind == extract.KindError {
		return c.fail(ctx, rs, key, prev, v.status, failure.UnavailableBecause(art.Reason), failure.UnavailableBecause(art.Reason))
	}
	doc := art.Document()
	c.complete(doc, rs, it)
	cs := &store.CrawlState{URL: key, Source: rs.src.Name, DocID: doc.ID, ETag: v.etag,
		LastModified: v.lastModified, LastFetch: now(), HTTPStatus: v.status}
	if a, ok := rs.s.(Admitter); ok {
		if !a.Admit(doc) {
			cs.DocID, cs.ContentHash = "", doc.ComputeHash()
			if err := c.nearMiss(ctx, rs, key, doc); err != nil {
				return err
			}
			return c.record(ctx, rs, cs, OutcomeOther, "")
		}
		if err := c.write(func() error { return c.st.ForgetMatchReject(ctx, key) }); err != nil {
			return storeFailure(ctx, err)
		}
	}
	owner, err := c.ownedElsewhere(ctx, doc.ID, rs.src.Name)
	if err != nil {
		return err
	}
	if owner || !rs.claim(doc.ID) {
		cs.ContentHash = doc.ComputeHash()
		return c.record(ctx, rs, cs, OutcomeDuplicate, "")
	}
	var res store.Result
	err = c.write(func() (err error) { res, err = c.st.Upsert(ctx, doc); return err })
	if err != nil {
		return storeFailure(ctx, err)
	}
	cs.ContentHash = doc.ContentHash
	if res == store.Withheld { // purged by staff: not published again, nor its attachments fetched
		return c.record(ctx, rs, cs, OutcomeSkipped, "")
	}
	if err := c.record(ctx, rs, cs, res.String(), ""); err != nil {
		return err
	}
	return c.fetchAttachments(rs.ctx, rs, doc, true)
}

// missingAttachments fetches the attachments of an unchanged stored page
// that have no record yet or were not fetched last time.
func (c *Crawler) missingAttachments(ctx context.Context, rs *runState, docID string) error {
	if c.cfg.Attachments.Off || docID == "" {
		return nil
	}
	doc, err := c.st.Get(ctx, docID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return storeFailure(ctx, err)
	}
	return c.fetchAttachments(ctx, rs, doc, false)
}

// ownedElsewhere reports whether a live document with this id was stored
// from another source (the same WeChat article in two archives): the first
// source keeps it, so the two do not overwrite each other on every crawl.
func (c *Crawler) ownedElsewhere(ctx context.Context, id, source string) (bool, error) {
	d, err := c.st.Get(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, storeFailure(ctx, err)
	}
	return d.Source != source && d.Status == store.StatusLive, nil
}

// complete sets what the crawl knows and the page does not: source,
// channel, fetch time, status, the list's hints and the local category
// (the source's own, else the category rules').
func (c *Crawler) complete(d *store.Document, rs *runState, it Item) {
	d.Source = rs.src.Name
	d.Unit = c.cfg.SourceUnit(rs.src)
	if ch := rs.s.Channel(); ch != "" {
		d.Channel = ch
	}
	d.FetchedAt = now()
	d.Status = store.StatusLive
	fill(d, it)
	d.Category = firstOf(rs.src.Category, Categorize(c.cfg.Categories, d))
}

// fail records a failed article. A document whose page is gone (404, 410)
// or shows no article any more is marked removed.
func (c *Crawler) fail(ctx context.Context, rs *runState, u string, prev *store.CrawlState, status int, reason, text string) error {
	cs := &store.CrawlState{URL: u, Source: rs.src.Name, LastFetch: now(), HTTPStatus: status, Failure: text}
	if prev != nil {
		cs.DocID = prev.DocID
	}
	gone := status == http.StatusNotFound || status == http.StatusGone || strings.HasPrefix(reason, failure.Unavailable)
	if gone && cs.DocID != "" {
		if err := c.write(func() error { return c.st.MarkRemoved(ctx, cs.DocID) }); err != nil && !errors.Is(err, store.ErrNotFound) {
			return storeFailure(ctx, err)
		}
	}
	return c.record(ctx, rs, cs, OutcomeFailed, reason)
}

// record saves the crawl state of one article, counts its outcome and reports it.
func (c *Crawler) record(ctx context.Context, rs *runState, cs *store.CrawlState, outcome, reason string) error {
	if err := c.write(func() error { return c.st.SaveCrawlState(ctx, cs) }); err != nil {
		return storeFailure(ctx, err)
	}
	done, found := rs.outcome(outcome, reason)
	c.emit(Event{Kind: EventArticle, Source: rs.src.Name, URL: cs.URL, Outcome: outcome, Reason: reason, Done: done, Found: found})
	return nil
}

// failureText is the crawl-state failure of a fetch error: its reason,
// with the message for staff when a firewall blocks gongkai.
func failureText(err error) string {
	if fetch.KindOf(err) == fetch.KindWAF {
		return "waf: " + fetch.WAFMessage
	}
	return fetch.Reason(err) + ": " + err.Error()
}

// storeFailure wraps a store error so that it stops the crawl; errors of a
// cancelled context are not store failures.
func storeFailure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return &storeError{err}
}

// fileURL is the file:// URL of a local path, the crawl-state key of saved pages.
func fileURL(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}

func now() time.Time { return time.Now().In(store.Beijing) }

// nearMiss records a document the source did not admit that names its unit
// all the same, with the reason, for staff.
func (c *Crawler) nearMiss(ctx context.Context, rs *runState, key string, doc *store.Document) error {
	nm, ok := rs.s.(NearMisser)
	if !ok {
		return nil
	}
	reason, origin := nm.NearMiss(doc)
	if reason == "" {
		return nil
	}
	r := &store.MatchReject{URL: key, Source: rs.src.Name, Title: doc.Title, Published: doc.Published,
		Origin: origin, Reason: reason, Seen: now()}
	if err := c.write(func() error { return c.st.SaveMatchReject(ctx, r) }); err != nil {
		return storeFailure(ctx, err)
	}
	return nil
}
