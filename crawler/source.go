package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/crawler/wechat"
	"github.com/gongkai-project/gongkai/store"
)

// A Source lists what one configured source holds. Each kind of source
// implements it in its own file and registers itself with Register in init.
type Source interface {
	// Channel is the channel the source's documents belong to; "" leaves
	// each document the channel its page shows (wechat for WeChat articles).
	Channel() string
	// List reads the source's lists (list pages, an archive, a feed) and
	// calls found with each, in order; an error from found stops it.
	List(ctx context.Context, env *Env, found func(List) error) error
}

// An Admitter is a Source that keeps only some of the documents it lists
// (an upper portal keeps the township's). Documents it does not admit are
// recorded in the crawl state with the outcome OutcomeOther, never stored.
type Admitter interface {
	Admit(d *store.Document) bool
}

// A NearMisser is an Admitter that says why a document it did not admit
// names its unit all the same (in the title, in a body the rule does not
// read, in another field), with the origin the page states; "" when the
// document does not name it. Staff see these (store.MatchRejects).
type NearMisser interface {
	NearMiss(d *store.Document) (reason, origin string)
}

// List is one list a source read.
type List struct {
	URL     string // the list page, feed or archive (for progress)
	Fetched bool   // it was fetched over the network (counted in the run)
	Items   []Item
}

// Item is one document a list names: a page to fetch, a saved page, or a
// document the list carries whole.
type Item struct {
	URL     string           // the page to fetch; the crawl-state key
	File    string           // a saved page; URL is empty then
	Article *extract.Article // the document itself, when the list carries it complete; not fetched
	// Stable says the page never changes once published (a WeChat article):
	// stored without validators, it is not fetched again by an incremental crawl.
	Stable bool
	// What the list says about the document, used where the page tells none.
	Title     string
	Published time.Time
	Author    string
	Column    string // the column or account name; also the publisher where the page names none
}

// Env is what the crawler lends a source while it lists.
type Env struct {
	Fetcher *fetch.Fetcher
	// Known, when set, reports URLs crawled before by a complete run: a list
	// may stop paging where everything is known (an incremental re-crawl).
	Known        func(url string) bool
	Logger       *slog.Logger
	MaxPageBytes int64 // HTML list pages larger are not parsed (crawl.max_page_bytes)
	st           *store.Store
	source       string
	lists        []*store.CrawlState // validators to keep once the run completes
}

// GetList fetches a list (a feed, an archive) conditionally on the
// validators of the last complete crawl; a response with NotModified set
// means nothing changed since. The new validators are kept only when the
// whole run completes, so that an interrupted crawl reads the list again.
func (e *Env) GetList(ctx context.Context, url string) (*fetch.Response, error) {
	var cond fetch.Conditional
	if e.st != nil {
		prev, err := e.st.CrawlState(ctx, url)
		if err != nil {
			return nil, &storeError{err}
		}
		if prev != nil && prev.Failure == "" && prev.DocID == "" {
			cond = fetch.Conditional{ETag: prev.ETag, LastModified: prev.LastModified}
		}
	}
	resp, err := e.Fetcher.Get(ctx, url, cond)
	if err != nil {
		return nil, err
	}
	if !resp.NotModified && (resp.ETag != "" || resp.LastModified != "") {
		e.lists = append(e.lists, &store.CrawlState{URL: url, Source: e.source, ETag: resp.ETag,
			LastModified: resp.LastModified, HTTPStatus: resp.Status, LastFetch: now()})
	}
	return resp, nil
}

// Kind is a kind of source: its configuration schema, defaults and checks,
// and how to open a configured source of the kind.
type Kind struct {
	config.Kind
	Open func(config.Source) (Source, error)
}

// kinds is written only by Register, from init functions.
var kinds = map[string]Kind{}

// Register makes a kind of source known to the configuration and the
// crawler. It is meant for init functions and panics on a taken name.
func Register(k Kind) {
	config.RegisterKind(k.Kind)
	kinds[k.Name] = k
}

// open returns the Source of a configured source.
func open(src config.Source) (Source, error) {
	kind := firstOf(src.Kind, config.KindPortal)
	k, ok := kinds[kind]
	if !ok {
		return nil, fmt.Errorf("source %s: unknown kind %q (want %s)", src.Name, kind, strings.Join(config.KindNames(), ", "))
	}
	s, err := k.Open(src)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	return s, nil
}

// fill completes a document extracted from an item's page with what the
// list knows and the page did not tell: title, date, column, author.
func fill(d *store.Document, it Item) {
	if strings.TrimSpace(d.Title) == "" {
		d.Title = it.Title
	}
	if d.Published.IsZero() {
		d.Published = it.Published
	}
	if it.Column != "" && d.Column == "" {
		d.Column = it.Column
	}
	if it.Column != "" && d.Publisher == "" {
		d.Publisher = d.Column
	}
	if it.Author != "" && d.Meta[extract.LabelAuthor] == "" {
		if d.Meta == nil {
			d.Meta = map[string]string{}
		}
		d.Meta[extract.LabelAuthor] = it.Author
	}
}

// orFound returns err, or when it is nil reports l.
func orFound(err error, found func(List) error, l List) error {
	if err != nil {
		return err
	}
	return found(l)
}

// dedupe drops the items that name a document an earlier item names (the
// same WeChat article under two URLs, the same page twice), in place.
func dedupe(items []Item) []Item {
	seen := map[string]bool{}
	out := items[:0]
	for _, it := range items {
		k := firstOf(wechat.IDFromURL(it.URL), it.URL, "file:"+it.File)
		if !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
	}
	return out
}
