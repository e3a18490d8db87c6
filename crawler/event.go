package crawler

import (
	"context"
	"log/slog"
	"sync"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// EventKind says what a progress Event reports.
type EventKind string

// Event kinds, in the order a source produces them.
const (
	EventSourceStart EventKind = "source_start" // a source's crawl begins
	EventListPage    EventKind = "list_page"    // a list page or archive was read; Found grew
	EventArticle     EventKind = "article"      // an article was handled; see Outcome
	EventSourceDone  EventKind = "source_done"  // a source is finished; Run holds its summary
)

// Outcomes of one article.
const (
	OutcomeNew         = "new"          // stored for the first time
	OutcomeUpdated     = "updated"      // its content changed
	OutcomeUnchanged   = "unchanged"    // fetched again, same content
	OutcomeNotModified = "not_modified" // the server answered 304 (or the saved file is unchanged)
	OutcomeDuplicate   = "duplicate"    // the same document (same id) was already handled in this crawl or belongs to another source
	OutcomeSkipped     = "skipped"      // not fetched again: a stored WeChat article without validators, or a page known to be unavailable
	OutcomeFailed      = "failed"       // see Reason; recorded in the crawl state
	OutcomeOther       = "other"        // not the township's (an upper portal's item from elsewhere); recorded, not stored
)

// Event is one step of a crawl, for progress display.
type Event struct {
	Kind    EventKind
	Source  string
	URL     string          // the list page or article
	Outcome string          // EventArticle: one of the Outcome constants
	Reason  string          // OutcomeFailed: a code of store/failure ("http 404", "waf", "unavailable: 链接已过期", ...)
	Done    int             // articles of the source handled so far
	Found   int             // articles of the source found so far (grows while lists are read)
	Run     *store.CrawlRun // EventSourceDone: the stored summary
}

// LogProgress returns a Progress function writing plain log lines: source
// start and summary at Info, failed articles at Warn, the rest at Debug.
func LogProgress(log *slog.Logger) func(Event) {
	return func(e Event) {
		switch {
		case e.Kind == EventSourceStart:
			log.Info("crawl source", "source", e.Source)
		case e.Kind == EventSourceDone && e.Run != nil:
			r := e.Run
			log.Info("crawled source", "source", e.Source, "fetched", r.Fetched, "new", r.New, "changed", r.Changed,
				"unchanged", r.Unchanged, "failed", r.Failed, "site_template", r.Templated, "failures", r.Failures, "note", r.Note)
		case e.Outcome == OutcomeFailed:
			log.Warn("article failed", "source", e.Source, "url", e.URL, "reason", e.Reason)
		default:
			log.Debug("crawl", "event", e.Kind, "source", e.Source, "url", e.URL, "outcome", e.Outcome,
				"done", e.Done, "found", e.Found)
		}
	}
}

// runState counts one source's crawl into its CrawlRun.
type runState struct {
	mu     sync.Mutex
	run    *store.CrawlRun
	src    config.Source
	s      Source
	found  int
	done   int
	others int             // documents the source did not admit
	ids    map[string]bool // documents handled in this run
	// ctx is the crawl's context: the requests that follow a stored page
	// (its attachments) stop with the crawl, while the page's own store
	// writes run without cancellation.
	ctx context.Context
}

// fetched counts one page read (list page, article, saved file).
func (r *runState) fetched() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.run.Fetched++
}

// templated counts one article read with its site's template.
func (r *runState) templated() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.run.Templated++
}

// listed adds n articles found on a list.
func (r *runState) listed(n int) (done, found int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.found += n
	return r.done, r.found
}

// outcome counts one handled article and returns the progress counts.
func (r *runState) outcome(o, reason string) (done, found int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	switch o {
	case OutcomeNew:
		r.run.New++
	case OutcomeUpdated:
		r.run.Changed++
	case OutcomeFailed:
		r.run.Failed++
		r.run.Failures[reason]++
	case OutcomeOther:
		r.others++
	default:
		r.run.Unchanged++
	}
	return r.done, r.found
}

// claim reports whether document id is handled for the first time in this run.
func (r *runState) claim(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids == nil {
		r.ids = map[string]bool{}
	}
	if r.ids[id] {
		return false
	}
	r.ids[id] = true
	return true
}

// note appends a remark to the run summary.
func (r *runState) note(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.run.Note != "" {
		r.run.Note += "; "
	}
	r.run.Note += s
}

// sourceFailure records a failure that concerns the source rather than one
// article (an unreachable list page or archive).
func (r *runState) sourceFailure(reason string, err error) {
	r.mu.Lock()
	r.run.Failures[reason]++
	r.mu.Unlock()
	r.note(err.Error())
}
