// Package crawler brings documents from configured sources into the store:
// portal list pages and WeChat archives are read, every article is fetched
// politely (conditionally when seen before), extracted, categorised and
// upserted, and the state of every URL is kept so that a crawl resumes
// after any interruption and a re-crawl fetches only what changed.
package crawler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
	"github.com/gongkai-project/gongkai/store/failure"
)

// Options tune a Crawler. Zero values mean the documented defaults.
type Options struct {
	Fetch    fetch.Options // fetcher settings; each source's rate applies to its hosts
	Workers  int           // articles of one source fetched at once; default 4 (the per-host rate is the real brake)
	Parallel int           // sources crawled at once; default 2
	Full     bool          // read every list page up to max_pages, even on a re-crawl
	// MaxPageBytes bounds the HTML pages parsed; default the config's
	// crawl.max_page_bytes. The config's crawl limits also fill Fetch's
	// MaxBytes, Timeout and ConnectTimeout when they are zero.
	MaxPageBytes int64
	Progress     func(Event)  // called for every event, one call at a time; default LogProgress(Logger)
	Logger       *slog.Logger // default slog.Default()
}

// Crawler crawls the sources of a configuration into a store.
type Crawler struct {
	st   *store.Store
	cfg  *config.Config
	opt  Options
	f    *fetch.Fetcher
	mu   sync.Mutex // serialises Progress calls
	wmu  sync.Mutex // serialises store writes: SQLite takes one writer, and waiting on its busy handler is slow
	emit func(Event)

	tmu   sync.Mutex                      // guards sites
	sites map[string][]store.SiteTemplate // layouts per host, as read or learned

	attBytes atomic.Int64 // bytes of attachments fetched by the current Run
}

// New returns a Crawler writing to st; cfg should be filled with defaults
// (config.Load or config.Default).
func New(st *store.Store, cfg *config.Config, opts Options) *Crawler {
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 2
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	cr := cfg.Crawl
	opts.MaxPageBytes = cmp.Or(opts.MaxPageBytes, cr.MaxPageBytes, config.DefaultMaxPageBytes)
	opts.Fetch.MaxBytes = cmp.Or(opts.Fetch.MaxBytes, cr.MaxFileBytes)
	opts.Fetch.Timeout = cmp.Or(opts.Fetch.Timeout, cr.Timeout)
	opts.Fetch.ConnectTimeout = cmp.Or(opts.Fetch.ConnectTimeout, cr.ConnectTimeout)
	if opts.Fetch.Logger == nil {
		opts.Fetch.Logger = opts.Logger
	}
	if opts.Progress == nil {
		opts.Progress = LogProgress(opts.Logger)
	}
	c := &Crawler{st: st, cfg: cfg, opt: opts, f: fetch.New(opts.Fetch), sites: map[string][]store.SiteTemplate{}}
	c.emit = func(e Event) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.opt.Progress(e)
	}
	return c
}

// Run crawls the named sources (all when none are named) and returns one
// run summary per source, as stored. Problems of a source (unreachable
// list, failed pages) are in its summary; the error reports unknown source
// names, store failures and cancellation, after which the runs so far are
// saved with the note "interrupted". A finished crawl then applies the
// repeal notices of the whole archive (store.ApplyRepeals). A crawl of all
// sources first reads the units' lists of reports sent (config.Unit.Reports);
// a list with a problem is reported in the error and the crawl goes on.
func (c *Crawler) Run(ctx context.Context, sourceNames ...string) ([]*store.CrawlRun, error) {
	srcs, err := c.selectSources(sourceNames)
	if err != nil {
		return nil, err
	}
	var listErr error
	if len(sourceNames) == 0 {
		listErr = c.readReportLists(ctx)
	}
	defer c.f.Close()
	c.attBytes.Store(0)
	runs := make([]*store.CrawlRun, len(srcs))
	errs := make([]error, len(srcs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(c.opt.Parallel, len(srcs)) {
		wg.Go(func() {
			for i := range next {
				runs[i], errs[i] = c.crawlSource(ctx, srcs[i])
			}
		})
	}
	for i := range srcs { // sources start in configuration order
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	var done []*store.CrawlRun
	for _, r := range runs {
		if r != nil {
			done = append(done, r)
		}
	}
	if ctx.Err() != nil {
		return done, ctx.Err()
	}
	if _, err := c.st.ApplyRepeals(ctx); err != nil { // notices may repeal documents of any source
		errs = append(errs, err)
	}
	return done, errors.Join(append(errs, listErr)...)
}

// write runs one store write at a time.
func (c *Crawler) write(fn func() error) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return fn()
}

// selectSources returns the configured sources with the given names, in
// configuration order, or all of them.
func (c *Crawler) selectSources(names []string) ([]config.Source, error) {
	if len(names) == 0 {
		return c.cfg.Sources, nil
	}
	byName := map[string]config.Source{}
	for _, s := range c.cfg.Sources {
		byName[s.Name] = s
	}
	var out []config.Source
	for _, n := range names {
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown source %q (configured: %s)", n, strings.Join(namesOf(c.cfg.Sources), ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

func namesOf(srcs []config.Source) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = s.Name
	}
	return out
}

// crawlSource crawls one source between StartRun and FinishRun.
func (c *Crawler) crawlSource(ctx context.Context, src config.Source) (*store.CrawlRun, error) {
	nets, err := fetch.ParseNets(src.AllowNetworks)
	if err != nil {
		return nil, fmt.Errorf("source %s: allow_networks: %w", src.Name, err)
	}
	ctx = fetch.WithAllow(ctx, fetch.Allow{Private: src.AllowPrivate, Nets: nets})
	var run *store.CrawlRun
	err = c.write(func() (err error) { run, err = c.st.StartRun(ctx, src.Name); return err })
	if err != nil {
		return nil, err
	}
	rs := &runState{run: run, src: src, ctx: ctx}
	c.emit(Event{Kind: EventSourceStart, Source: src.Name})
	if rs.s, err = open(src); err == nil {
		err = c.crawlItems(ctx, rs)
	}
	var fatal error
	switch {
	case ctx.Err() != nil:
		rs.note("interrupted")
		fatal = ctx.Err()
	case errors.As(err, new(*storeError)):
		rs.note(err.Error())
		fatal = err
	case err != nil:
		rs.sourceFailure(sourceStage(src)+" "+fetch.Reason(err), err)
	}
	if rs.others > 0 {
		rs.note(fmt.Sprintf("%d not admitted by the match rule", rs.others))
	}
	if ferr := c.write(func() error { return c.st.FinishRun(context.WithoutCancel(ctx), run) }); ferr != nil {
		return run, errors.Join(fatal, ferr)
	}
	c.emit(Event{Kind: EventSourceDone, Source: src.Name, Done: rs.done, Found: rs.found, Run: run})
	return run, fatal
}

// sourceStage names what failed when a source's list cannot be read: the
// list of a WeChat account is its archive, any other a list.
func sourceStage(src config.Source) string {
	if src.Channel == store.ChannelWeChat {
		return failure.StageArchive
	}
	return failure.StageList
}

// lastRunComplete reports whether the source's previous run (before the
// run with ID current) ended without interruption, which makes it safe to
// stop paging at known items.
func (c *Crawler) lastRunComplete(ctx context.Context, source string, current int64) (bool, error) {
	runs, err := c.st.RecentRuns(ctx, 200)
	if err != nil {
		return false, &storeError{err}
	}
	for _, r := range runs {
		if r.Source == source && r.ID != current {
			return !r.Ended.IsZero() && !strings.HasPrefix(r.Note, "interrupted"), nil
		}
	}
	return false, nil
}

// storeError marks a failure of the store, which stops the crawl.
type storeError struct{ err error }

func (e *storeError) Error() string { return "store: " + e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }
