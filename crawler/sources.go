package crawler

import (
	"context"
	"errors"
	"net/url"
	"sync"

	"github.com/gongkai-project/gongkai/config"
)

// crawlItems reads the source's lists and handles their items as the
// lists come in. After a complete run, an incremental crawl lends the
// source the URLs known so far, and keeps the lists' validators when it
// completes without failures.
func (c *Crawler) crawlItems(ctx context.Context, rs *runState) error {
	src := rs.src
	c.setRates(src, append([]string{src.URL}, src.Start...)...)
	env := &Env{Fetcher: c.f, Logger: c.opt.Logger, MaxPageBytes: c.opt.MaxPageBytes, st: c.st, source: src.Name}
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
			env.Known = func(u string) bool { return set[u] }
		}
	}
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	p := newPool(c.opt.Workers)
	listErr := rs.s.List(wctx, env, func(l List) error {
		if l.Fetched {
			rs.fetched()
		}
		hosts := make([]string, len(l.Items))
		for i, it := range l.Items {
			hosts[i] = it.URL
		}
		c.setRates(src, hosts...)
		done, found := rs.listed(len(l.Items))
		c.emit(Event{Kind: EventListPage, Source: src.Name, URL: l.URL, Done: done, Found: found})
		for _, it := range l.Items {
			p.run(wctx, func() error { return c.handle(wctx, rs, it) }, cancel)
		}
		return wctx.Err()
	})
	p.wait()
	if err := sourceResult(ctx, wctx, listErr); err != nil {
		return err
	}
	if rs.run.Failed > 0 { // the failed items are listed again next time
		return nil
	}
	for _, cs := range env.lists {
		if err := c.write(func() error { return c.st.SaveCrawlState(ctx, cs) }); err != nil {
			return storeFailure(ctx, err)
		}
	}
	return nil
}

// handle fetches, reads or keeps one item.
func (c *Crawler) handle(ctx context.Context, rs *runState, it Item) error {
	switch {
	case it.File != "":
		return c.savedPage(ctx, rs, it)
	case it.Article != nil:
		return c.carried(ctx, rs, it)
	}
	return c.fetchArticle(ctx, rs, it)
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
