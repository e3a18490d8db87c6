// Package list walks the list pages of a government portal (static
// index_N.html pagination, TRS createPageHTML, Hanweb jpage, "下一页" links)
// and reports the article links each page holds.
package list

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
)

// DefaultMaxPages is the page limit per start URL when the source sets none.
const DefaultMaxPages = 50

// Page is one list page and the article links found on it, in page order.
type Page struct {
	Start  string   // the start URL this page was reached from
	URL    string   // the page (for Hanweb, the dataproxy request)
	Number int      // 0 for the start page
	Driver string   // the config.Driver* that produced it
	Links  []string // absolute article URLs; links already reported in this walk are left out
}

// Walker walks the list pages of one portal source.
type Walker struct {
	Fetcher *fetch.Fetcher
	Source  config.Source
	// Known, when set, reports URLs crawled before: paging stops after a page
	// whose links are all known (an incremental re-crawl).
	Known  func(url string) bool
	Logger *slog.Logger // default slog.Default()
	// MaxPageBytes bounds the list pages parsed (0: only the fetcher's limit);
	// a larger one fails with fetch.KindTooLarge.
	MaxPageBytes int64
}

// Walk calls fn with every list page of every start URL, in order. A start
// URL whose first page cannot be fetched, or whose paging fails midway, is
// reported in the returned error after the other start URLs are walked; an
// error from fn or ctx stops the walk at once.
func (w *Walker) Walk(ctx context.Context, fn func(Page) error) error {
	var errs []error
	for _, start := range w.Source.Start {
		k := &walk{w: w, start: start, seen: map[string]bool{}, fn: fn}
		err := k.run(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var fe fnError
		if errors.As(err, &fe) {
			return fe.err
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// fnError carries an error of the caller's callback through the drivers.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// walk is the state of walking one start URL.
type walk struct {
	w     *Walker
	start string
	seen  map[string]bool
	match matcher
	pages int
	fn    func(Page) error
}

func (k *walk) logger() *slog.Logger {
	if k.w.Logger != nil {
		return k.w.Logger
	}
	return slog.Default()
}

func (k *walk) maxPages() int {
	if k.w.Source.MaxPages > 0 {
		return k.w.Source.MaxPages
	}
	return DefaultMaxPages
}

// run fetches the start page and pages through the list.
func (k *walk) run(ctx context.Context) error {
	first, err := k.w.load(ctx, k.start)
	if err != nil {
		return fmt.Errorf("list %s: %w", k.start, err)
	}
	return k.drive(ctx, first)
}

// drive picks the driver of the fetched first page and pages through the list.
func (k *walk) drive(ctx context.Context, first *listPage) error {
	m, err := newMatcher(k.w.Source.ArticlePattern)
	if err != nil {
		return fmt.Errorf("source %s: %w", k.w.Source.Name, err)
	}
	k.match = m
	driver := driverOf(k.w.Source, first)
	k.logger().Debug("list driver", "source", k.w.Source.Name, "start", k.start, "driver", driver)
	switch driver {
	case config.DriverTRS:
		return k.trs(ctx, first)
	case config.DriverHanweb:
		return k.hanweb(ctx, first)
	case config.DriverNextLink:
		return k.nextLink(ctx, first)
	case config.DriverStatic:
		return k.static(ctx, first)
	}
	return fmt.Errorf("list %s: unknown driver %q", k.start, driver)
}

// WalkFrom walks one list as Walk walks a start URL, from its first page
// already fetched as resp (by a caller that needed the page itself).
func (w *Walker) WalkFrom(ctx context.Context, resp *fetch.Response, fn func(Page) error) error {
	first, err := parsePage(resp)
	if err != nil {
		return fmt.Errorf("list %s: %w", resp.URL, err)
	}
	k := &walk{w: w, start: resp.URL, seen: map[string]bool{}, fn: fn}
	err = k.drive(ctx, first)
	var fe fnError
	if errors.As(err, &fe) {
		return fe.err
	}
	return err
}

// driverOf is the source's driver, or the one detected from the first page
// when the source leaves it to auto.
func driverOf(src config.Source, first *listPage) string {
	if src.Driver == "" || src.Driver == config.DriverAuto {
		return detect(first)
	}
	return src.Driver
}

// emit reports a page and says whether paging goes on: not after the page
// limit, an empty page, a page of links already seen in this walk (a paging
// loop) or, when re-crawling, a page of links all known before.
func (k *walk) emit(pageURL, driver string, links []string) (bool, error) {
	fresh := make([]string, 0, len(links))
	allKnown := k.w.Known != nil
	for _, l := range links {
		if allKnown && !k.w.Known(l) {
			allKnown = false
		}
		if !k.seen[l] {
			k.seen[l] = true
			fresh = append(fresh, l)
		}
	}
	page := Page{Start: k.start, URL: pageURL, Number: k.pages, Driver: driver, Links: fresh}
	k.pages++
	if err := k.fn(page); err != nil {
		return false, fnError{err}
	}
	switch {
	case k.pages >= k.maxPages(), len(fresh) == 0:
		return false, nil
	case allKnown:
		k.logger().Debug("list page holds only known links; stop paging", "page", pageURL)
		return false, nil
	}
	return true, nil
}

// listPage is a fetched and parsed HTML list page.
type listPage struct {
	url  *url.URL // final URL, or <base href>
	text string   // decoded HTML
	doc  *goquery.Document
}

// load fetches and parses one HTML list page.
func (w *Walker) load(ctx context.Context, pageURL string) (*listPage, error) {
	resp, err := w.Fetcher.Get(ctx, pageURL, fetch.Conditional{})
	if err != nil {
		return nil, err
	}
	if err := fetch.CheckPageSize(resp, w.MaxPageBytes); err != nil {
		return nil, err
	}
	return parsePage(resp)
}

func parsePage(resp *fetch.Response) (*listPage, error) {
	text, _, err := resp.Text()
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", resp.FinalURL, err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", resp.FinalURL, err)
	}
	base, err := url.Parse(resp.FinalURL)
	if err != nil {
		return nil, fmt.Errorf("parse URL %s: %w", resp.FinalURL, err)
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	return &listPage{url: base, text: text, doc: doc}, nil
}

// detect picks the driver of a list page: Hanweb when it carries XML
// records, TRS when it calls createPageHTML, a next link when it has one
// (or, on the last page, a previous or last-page link), else static index_N
// pagination.
func detect(p *listPage) string {
	switch {
	case hanwebRecordRe.MatchString(p.text) || strings.Contains(p.text, "dataproxy.jsp"):
		return config.DriverHanweb
	case trsPagerRe.MatchString(p.text):
		return config.DriverTRS
	case nextHref(p, "") != "" || backPager(p):
		return config.DriverNextLink
	}
	return config.DriverStatic
}
