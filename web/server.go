// Package web is gongkai's HTTP server: the public search and document pages,
// the staff dashboard, the leader trends page, the JSON API, metrics and the
// embedded static assets. It reaches the search engine only through Searcher.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/crypto/bcrypt"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/chinese"
	"github.com/gongkai-project/gongkai/store"
)

// Searcher is the search engine the web layer consumes; *indexer.Index
// implements it. Nothing in web may reach into Bleve directly.
type Searcher interface {
	Search(ctx context.Context, q indexer.Query) (*indexer.Result, error)
	DocCount() (uint64, error)  // documents in the index, for /metrics
	SizeOnDisk() (int64, error) // bytes of the index, for /metrics
}

// Warmer is a Searcher that loads part of itself after the server starts
// listening; /healthz says "warming" while it does.
type Warmer interface {
	Warming() bool
}

// Suggester completes queries while they are typed. A Searcher that also
// implements it gets suggestions on the search page and at /api/suggest.
type Suggester interface {
	Suggest(ctx context.Context, prefix string, n int) ([]string, error)
}

// Relater finds documents like a given one. A Searcher that also implements
// it gets a related-documents list on the document page.
type Relater interface {
	Related(ctx context.Context, id string, n int) ([]indexer.Hit, error)
}

// Options are what a Server needs. Store, Index and Config are required.
type Options struct {
	Store  *store.Store
	Index  Searcher
	Config *config.Config
	Logger *slog.Logger // default slog.Default()
	// Recrawl, when set, is run every Config.Server.RecrawlEvery by
	// ListenAndServe; it should crawl and then bring the index up to date.
	Recrawl func(ctx context.Context) error
	// AsOf is "today" for the dashboard and statistics; default time.Now.
	AsOf func() time.Time
	// Stats is the statistics cache, when the caller shares one (with the
	// alerts); default a new one.
	Stats *analytics.Cache
}

// Server serves gongkai's web interface. It is an http.Handler.
type Server struct {
	st      *store.Store
	idx     Searcher
	sug     Suggester          // nil when the engine has no suggestions
	rel     Relater            // nil when the engine has no related documents
	thes    ThesaurusEditor    // nil when the engine's thesaurus cannot be edited
	thesMu  sync.Mutex         // one thesaurus edit at a time
	t2s     *chinese.T2SFilter // folds queries to look up their pins
	bets    bestBetsCache      // topics and pinned queries, so searches without pins skip the store
	cfg     *config.Config
	log     *slog.Logger
	recrawl func(ctx context.Context) error
	asOf    func() time.Time

	stats   *analytics.Cache // statistics, recomputed only when the store changed
	handler http.Handler
	// routeList is every pattern routes registered, in order.
	routeList []route
	pages     map[string]*template.Template
	body      *bluemonday.Policy
	sessions  *sessions
	// dummyHash makes a login with an unknown user as slow as one with a known
	// user; made at the first login (bcrypt costs some 80 ms of CPU, which a
	// starting server spends loading gse's dictionary instead).
	dummyHash   func() []byte
	searchLimit *keyedLimiter
	guard       *loginGuard
	proxies     trustedProxies
	metrics     *metrics
	queries     *queryLogger
	hot         atomic.Pointer[[]store.QueryCount] // the home page's hot searches (refreshHot)
	hotMu       sync.Mutex
	// sitemapDocs is how many documents one sitemap lists (docsPerSitemap).
	sitemapDocs int
}

// New checks opts and builds a Server with its routes, templates and metrics.
func New(opts Options) (*Server, error) {
	if opts.Store == nil || opts.Index == nil || opts.Config == nil {
		return nil, errors.New("web: Options.Store, Index and Config are required")
	}
	s := &Server{
		st: opts.Store, idx: opts.Index, cfg: opts.Config, log: opts.Logger,
		recrawl: opts.Recrawl, asOf: opts.AsOf,
		body: bluemonday.UGCPolicy(), stats: opts.Stats, sitemapDocs: docsPerSitemap,
	}
	if s.stats == nil {
		s.stats = analytics.NewCache(opts.Store)
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.sug, _ = opts.Index.(Suggester)
	s.rel, _ = opts.Index.(Relater)
	s.thes, _ = opts.Index.(ThesaurusEditor)
	t2s, err := chinese.NewT2SFilter()
	if err != nil {
		return nil, fmt.Errorf("web: traditional to simplified converter: %w", err)
	}
	s.t2s = t2s
	if err := s.applyThesaurus(context.Background()); err != nil {
		return nil, fmt.Errorf("web: load the staff thesaurus: %w", err)
	}
	if err := s.reloadBestBets(context.Background()); err != nil {
		return nil, fmt.Errorf("web: load the topics and best bets: %w", err)
	}
	if s.sug == nil || s.rel == nil {
		s.log.Warn("search engine lacks suggestions or related documents; those parts of the pages stay empty",
			"suggest", s.sug != nil, "related", s.rel != nil)
	}
	if s.asOf == nil {
		s.asOf = time.Now
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.sessions = newSessions(opts.Store, s.log, opts.Config.Server.SessionTTL)
	cost := hashCost(opts.Config)
	s.dummyHash = sync.OnceValue(func() []byte {
		h, err := bcrypt.GenerateFromPassword([]byte(randomToken(16)), cost)
		if err != nil { // only a cost out of range fails, and hashCost reads a valid one
			panic(fmt.Sprintf("web: dummy password hash of cost %d: %v", cost, err))
		}
		return h
	})
	s.searchLimit, s.guard = newSearchLimit(opts.Config.Server), newLoginGuard()
	if s.proxies, err = parseProxies(opts.Config.Server.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.metrics, err = newMetrics(s); err != nil {
		return nil, err
	}
	key, err := opts.Store.Secret(context.Background(), "query-log-client", 32)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	// The query log's retention runs on the clock, not on analytics.as_of.
	keep := func() time.Time { return time.Now().AddDate(0, 0, -opts.Config.Search.QueryLogDays) }
	changed := func() { s.refreshHot(context.Background()) }
	s.queries = newQueryLogger(opts.Store, s.log, key, keep, s.metrics.dropped.Inc, changed)
	// Pruned before the server answers, so nothing logged after New is
	// pruned at start, and the first hot searches come from the pruned log.
	s.queries.prune()
	s.refreshHot(context.Background())
	go s.queries.run()
	s.handler = s.middleware(s.routes())
	return s, nil
}

// Close writes the searches still waiting for the query log and stops its
// writer. Serve calls it when it stops; a Server used only as a handler
// should be closed before its store.
func (s *Server) Close() error {
	s.queries.close()
	return nil
}

// hashCost is the bcrypt cost of the first staff account, so that a login
// with an unknown name costs as much as one with a known name.
func hashCost(cfg *config.Config) int {
	for _, u := range cfg.Server.Users {
		if c, err := bcrypt.Cost([]byte(u.PasswordHash)); err == nil {
			return c
		}
	}
	return bcrypt.DefaultCost
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// suggest returns up to n completions of prefix, or none when the engine
// has no suggestions.
func (s *Server) suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	if s.sug == nil {
		return nil, nil
	}
	return s.sug.Suggest(ctx, prefix, n)
}

// related returns up to n documents like id, or none when the engine cannot
// tell.
func (s *Server) related(ctx context.Context, id string, n int) ([]indexer.Hit, error) {
	if s.rel == nil {
		return nil, nil
	}
	return s.rel.Related(ctx, id, n)
}

// now is the server's "today" in Beijing time.
func (s *Server) now() time.Time { return s.asOf().In(store.Beijing) }
