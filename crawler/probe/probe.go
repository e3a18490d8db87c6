// Package probe tries a portal's list page the way a crawl would read it,
// for staff setting up a source: it fetches the page politely, recognises
// the CMS and the list driver, reads the article links and the pagination,
// extracts a few sample articles and says what will not work, as codes.
package probe

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler"
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/crawler/list"
	"github.com/gongkai-project/gongkai/store"
)

// DefaultSamples is how many articles a probe extracts.
const DefaultSamples = 3

// Options tune a probe. Zero values mean the documented defaults.
type Options struct {
	Config  *config.Config // category rules, and the source whose start URL is probed; default config.Default()
	Samples int            // sample articles to extract; default DefaultSamples
}

// Report is what a probe found. Problems lists what will not work; the
// other fields say what the crawl would do.
type Report struct {
	URL         string          `json:"url"`
	Source      string          `json:"source,omitempty"` // the configured source that starts at URL, if any
	Driver      string          `json:"driver"`           // the list driver a crawl would use ("" when the page could not be read)
	CMS         string          `json:"cms"`
	CMSEvidence []string        `json:"cms_evidence,omitempty"`
	Links       []string        `json:"links"`      // article links on the page, in page order
	Pagination  list.Pagination `json:"pagination"` // what the page announces, and the second page the driver requests
	Pages       []PageRead      `json:"pages"`      // the list pages read: the first and, when there is one, the second
	Articles    []Article       `json:"articles"`
	Problems    []Problem       `json:"problems"`
	Config      string          `json:"config"` // a sources: block for gongkai.yaml; "" when a crawl would find nothing
}

// PageRead is one list page the probe read through the driver.
type PageRead struct {
	URL   string `json:"url"`
	Links int    `json:"links"` // article links not seen on an earlier page
}

// Article is one sample article as the crawl would store it.
type Article struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published"` // YYYY-MM-DD, "" when the page shows no date
	Category  string `json:"category"`
	BodyChars int    `json:"body_chars"`
	Problem   Code   `json:"problem,omitempty"` // why the sample could not be read
}

// Probe reads the list page at rawURL through f and reports on it. The error
// is for a cancelled ctx only: everything that goes wrong with the site is
// a Problem in the report.
func Probe(ctx context.Context, f *fetch.Fetcher, rawURL string, opts Options) (*Report, error) {
	if opts.Config == nil {
		opts.Config = config.Default()
	}
	if opts.Samples <= 0 {
		opts.Samples = DefaultSamples
	}
	src := sourceFor(opts.Config, rawURL)
	if nets, err := fetch.ParseNets(src.AllowNetworks); err == nil { // a configured source's allowance applies
		ctx = fetch.WithAllow(ctx, fetch.Allow{Private: src.AllowPrivate, Nets: nets})
	}
	r := &Report{URL: rawURL, Source: src.Name, CMS: CMSUnknown, Links: []string{}, Pages: []PageRead{}, Articles: []Article{}, Problems: []Problem{}}
	resp, err := f.Get(ctx, rawURL, fetch.Conditional{})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		r.add(fetchProblem(err, rawURL))
		return r, nil
	}
	if !isHTML(resp) {
		r.add(Problem{Code: NotHTML, URL: rawURL, Detail: resp.ContentType()})
		return r, nil
	}
	text, _, err := resp.Text()
	if err != nil {
		r.add(Problem{Code: NotHTML, URL: rawURL, Detail: err.Error()})
		return r, nil
	}
	if err := r.readList(ctx, f, resp, src); err != nil {
		return nil, err
	}
	pages := []string{text}
	if r.Driver != "" && len(r.Links) == 0 {
		r.add(noLinks(text, rawURL))
	}
	pages = append(pages, r.sample(ctx, f, src, opts)...)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rec := Recognize(append(pages, strings.Join(r.Links, "\n"))...)
	r.CMS, r.CMSEvidence = rec.CMS, rec.Evidence
	if r.Usable() {
		if src.Name == "" {
			src.Name = sourceName(text, rawURL)
		}
		src.Driver = r.Driver
		r.Config, err = sourcesBlock(src)
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

// readList inspects the fetched list page and walks to its second page.
func (r *Report) readList(ctx context.Context, f *fetch.Fetcher, resp *fetch.Response, src config.Source) error {
	sv, err := list.Inspect(resp, src)
	if err != nil {
		r.add(Problem{Code: ListUnreadable, URL: r.URL, Detail: err.Error()})
		return nil
	}
	r.Driver, r.Links, r.Pagination = sv.Driver, sv.Links, sv.Pagination
	src.MaxPages = 2
	w := &list.Walker{Fetcher: f, Source: src}
	err = w.WalkFrom(ctx, resp, func(p list.Page) error {
		r.Pages = append(r.Pages, PageRead{URL: p.URL, Links: len(p.Links)})
		return nil
	})
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		r.add(Problem{Code: PaginationFailed, URL: r.Pagination.Next, Status: fetch.StatusOf(err), Detail: fetch.Reason(err)})
	case r.Pagination.Next != "" && len(r.Pages) == 2 && r.Pages[1].Links == 0 && len(r.Links) > 0:
		r.add(Problem{Code: PaginationEmpty, URL: r.Pages[1].URL})
	}
	return nil
}

// sample extracts the first articles of the list and returns their texts.
func (r *Report) sample(ctx context.Context, f *fetch.Fetcher, src config.Source, opts Options) []string {
	var texts []string
	undated := 0
	for _, link := range r.Links[:min(opts.Samples, len(r.Links))] {
		a, text := sampleArticle(ctx, f, link, src, opts.Config.Categories)
		if ctx.Err() != nil {
			return nil
		}
		r.Articles = append(r.Articles, a)
		if text != "" {
			texts = append(texts, text)
		}
		if a.Problem == "" && a.Published == "" {
			undated++
		}
	}
	for _, a := range r.Articles {
		if a.Problem != "" {
			r.add(Problem{Code: a.Problem, URL: a.URL})
		}
	}
	if undated > 0 {
		r.add(Problem{Code: NoDates, Count: undated})
	}
	return texts
}

// sampleArticle fetches, extracts and categorises one article; it returns
// the page text for CMS recognition.
func sampleArticle(ctx context.Context, f *fetch.Fetcher, link string, src config.Source, cats config.Categories) (Article, string) {
	a := Article{URL: link}
	resp, err := f.Get(ctx, link, fetch.Conditional{})
	if err != nil {
		a.Problem = fetchProblem(err, link).Code
		return a, ""
	}
	art, err := extract.Extract(resp.FinalURL, resp.Body, resp.ContentType(), src.Selectors)
	if err != nil {
		a.Problem = ArticleUnreadable
		return a, ""
	}
	text, _, _ := resp.Text()
	if art.Kind == extract.KindError {
		a.Problem = NotArticle
		return a, text
	}
	d := art.Document()
	a.Title, a.BodyChars = d.Title, len([]rune(d.Body))
	a.Category = crawler.Categorize(cats, d)
	if !d.Published.IsZero() {
		a.Published = d.Published.In(store.Beijing).Format("2006-01-02")
	}
	return a, text
}

// Usable reports whether a crawl of the list would find articles: the page
// was read and holds article links.
func (r *Report) Usable() bool { return r.Driver != "" && len(r.Links) > 0 }

func (r *Report) add(p Problem) { r.Problems = append(r.Problems, p) }

// fetchProblem classifies a failed fetch of u.
func fetchProblem(err error, u string) Problem {
	switch fetch.KindOf(err) {
	case fetch.KindRobots:
		return Problem{Code: RobotsDisallowed, URL: u}
	case fetch.KindWAF:
		return Problem{Code: WAFChallenge, URL: u, Status: fetch.StatusOf(err)}
	}
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.URL != "" {
		u = fe.URL
	}
	return Problem{Code: FetchFailed, URL: u, Status: fetch.StatusOf(err), Detail: fetch.Reason(err)}
}

// isHTML reports an HTML answer: by its Content-Type, else by its bytes.
func isHTML(resp *fetch.Response) bool {
	ct := resp.ContentType()
	if ct == "" {
		ct = http.DetectContentType(resp.Body)
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// scriptListRe matches scripts that fetch data or render a page in the
// browser: a list built there shows no links to a crawler.
var scriptListRe = regexp.MustCompile(`\$\.(ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|axios|XMLHttpRequest|new Vue\s*\(|createApp\s*\(|ReactDOM|\.jsonp?\b`)

// challengeRe matches the script challenges of firewalls that answer 200:
// a cookie set by script before the page reloads itself (加速乐, 瑞数).
var challengeRe = regexp.MustCompile(`__jsl_clearance|\$_ts\s*=\s*window\[|document\.cookie\s*=[^;]*;[^<]*location\.(reload|href|replace)`)

// noLinks says why a list page shows no article links.
func noLinks(text, u string) Problem {
	if challengeRe.MatchString(text) {
		return Problem{Code: WAFChallenge, URL: u, Status: http.StatusOK}
	}
	if scriptListRe.MatchString(text) {
		return Problem{Code: ScriptList, URL: u}
	}
	return Problem{Code: NoLinks, URL: u}
}

// sourceFor returns the configured portal source that starts at u, or a
// new source with the defaults.
func sourceFor(cfg *config.Config, u string) config.Source {
	for _, s := range cfg.Sources {
		if (s.Kind == "" || s.Kind == config.KindPortal) && containsURL(s.Start, u) {
			s.Start = []string{u}
			return s
		}
	}
	return config.Source{Kind: config.KindPortal, Start: []string{u}, Driver: config.DriverAuto, MaxPages: list.DefaultMaxPages, Rate: 1}
}

func containsURL(urls []string, u string) bool {
	for _, s := range urls {
		if extract.CanonicalURL(s) == extract.CanonicalURL(u) {
			return true
		}
	}
	return false
}
