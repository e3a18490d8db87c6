package crawler

import (
	"context"
	"errors"
	"net/url"
	"sync"

	"gongkai/config"
	"gongkai/crawler/list"
	"gongkai/crawler/wechat"
)

// crawlPortal walks a portal's list pages and handles their articles as the
// pages come in. On a re-crawl after a complete run, paging stops at a list
// page of known URLs.
func (c *Crawler) crawlPortal(ctx context.Context, rs *runState) error {
	src := rs.src
	c.setRates(src, src.Start...)
	var known func(string) bool
	if !c.opt.Full {
		complete, err := c.lastRunComplete(ctx, src.Name, rs.run.ID)
		if err != nil {
			return err
		}
		if complete {
			set, err := c.st.KnownURLs(ctx, src.Name)
			if err != nil {
				return storeFailure(ctx, err)
			}
			known = func(u string) bool { return set[u] }
		}
	}
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	p := newPool(c.opt.Workers)
	w := &list.Walker{Fetcher: c.f, Source: src, Known: known, Logger: c.opt.Logger}
	walkErr := w.Walk(wctx, func(pg list.Page) error {
		rs.fetched()
		done, found := rs.listed(len(pg.Links))
		c.emit(Event{Kind: EventListPage, Source: src.Name, URL: pg.URL, Done: done, Found: found})
		for _, link := range pg.Links {
			p.run(wctx, func() error { return c.fetchArticle(wctx, rs, target{url: link}) }, cancel)
		}
		return wctx.Err()
	})
	p.wait()
	return sourceResult(ctx, wctx, walkErr)
}

// crawlWeChat reads a WeChat archive and handles the articles it lists.
func (c *Crawler) crawlWeChat(ctx context.Context, rs *runState) error {
	src := rs.src
	c.setRates(src, src.URL)
	items, err := wechat.Items(ctx, c.f, src)
	if err != nil {
		return err
	}
	if src.URL != "" && src.Path == "" {
		rs.fetched()
	}
	var hosts []string
	for _, it := range items {
		hosts = append(hosts, it.URL)
	}
	c.setRates(src, hosts...)
	done, found := rs.listed(len(items))
	c.emit(Event{Kind: EventListPage, Source: src.Name, URL: firstOf(src.URL, src.Path), Done: done, Found: found})
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	p := newPool(c.opt.Workers)
	for _, it := range items {
		if it.File != "" {
			p.run(wctx, func() error { return c.savedPage(wctx, rs, it) }, cancel)
		} else {
			p.run(wctx, func() error { return c.fetchArticle(wctx, rs, target{url: it.URL, item: it}) }, cancel)
		}
	}
	p.wait()
	return sourceResult(ctx, wctx, nil)
}

// sourceResult picks what a source's crawl returns: a store failure that
// cancelled the work, the caller's cancellation, or the list error.
func sourceResult(ctx, work context.Context, listErr error) error {
	if cause := context.Cause(work); errors.As(cause, new(*storeError)) {
		return cause
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return listErr
}

// setRates applies the source's request rate to the hosts of the URLs.
func (c *Crawler) setRates(src config.Source, urls ...string) {
	seen := map[string]bool{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		c.f.SetRate(u.Host, src.Rate)
	}
}

// pool runs article jobs with bounded concurrency.
type pool struct {
	sem chan struct{}
	wg  sync.WaitGroup
}

func newPool(n int) *pool { return &pool{sem: make(chan struct{}, n)} }

// run starts job when a slot is free; a job's error cancels the work. It
// does nothing once ctx is done.
func (p *pool) run(ctx context.Context, job func() error, cancel context.CancelCauseFunc) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	p.wg.Go(func() {
		defer func() { <-p.sem }()
		if err := job(); err != nil {
			cancel(err)
		}
	})
}

func (p *pool) wait() { p.wg.Wait() }

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
