// Package fetch downloads web pages politely: it obeys robots.txt, limits the
// request rate per host, retries transient failures with backoff, sends
// conditional requests and caps the size and duration of every response.
package fetch

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gongkai-project/gongkai/crawler/encoding"
)

// DefaultUserAgent names gongkai to the sites it reads.
const DefaultUserAgent = "gongkai/0.1 (+zhengwu gongkai search; polite crawler)"

// agentToken is the name matched against robots.txt User-agent lines.
const agentToken = "gongkai"

// Options configure a Fetcher. Zero values mean the documented defaults.
type Options struct {
	UserAgent      string        // default DefaultUserAgent
	Contact        string        // appended to the User-Agent as "; contact: ..." (an e-mail or URL)
	Rate           float64       // requests per second per host; default 1; negative means unlimited
	MaxRedirects   int           // default 5
	MaxBytes       int64         // response body limit; default 20 MiB
	ConnectTimeout time.Duration // default 10s
	Timeout        time.Duration // whole request including the body; default 60s
	Retries        int           // attempts after the first on timeouts, 429 and 5xx; default 3; negative means none
	Backoff        time.Duration // delay before the first retry, doubled each time, with jitter; default 1s
	MaxRetryAfter  time.Duration // longest Retry-After honoured; default 2m
	Logger         *slog.Logger  // default slog.Default()
	// Allow is what every fetch may reach beyond public addresses (see
	// Allow; a context from WithAllow adds to it). Default: public only.
	Allow Allow
	// DialContext opens connections; default a net.Dialer with ConnectTimeout
	// behind the address guard. Tests set it to serve saved pages under the
	// host names they came from; the guard then does not apply.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Contact != "" {
		o.UserAgent = strings.TrimSuffix(o.UserAgent, ")") + "; contact: " + o.Contact + ")"
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 20 << 20
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	def(&o.ConnectTimeout, 10*time.Second)
	def(&o.Timeout, 60*time.Second)
	def(&o.Backoff, time.Second)
	def(&o.MaxRetryAfter, 2*time.Minute)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Fetcher is a polite HTTP client, safe for concurrent use. Requests to
// different hosts run concurrently; each host gets at most its rate.
type Fetcher struct {
	opt     Options
	cmu     sync.Mutex
	clients map[string]*http.Client // by Allow.key: allowances never share a connection
	hosts   hosts
	robots  robotsCache
}

// Conditional holds the validators of an earlier response, sent as
// If-None-Match and If-Modified-Since.
type Conditional struct {
	ETag         string
	LastModified string
}

// Response is a complete, size-limited HTTP response.
type Response struct {
	URL          string // as requested
	FinalURL     string // after redirects
	Status       int
	Header       http.Header
	Body         []byte
	NotModified  bool // the server answered 304 to a conditional request
	ETag         string
	LastModified string
}

// ContentType returns the Content-Type header.
func (r *Response) ContentType() string { return r.Header.Get("Content-Type") }

// Text decodes the body to UTF-8 and names the charset it was decoded from.
func (r *Response) Text() (text, charset string, err error) {
	return encoding.Decode(r.Body, r.ContentType())
}

// New returns a Fetcher with opts.
func New(opts Options) *Fetcher {
	o := opts.withDefaults()
	return &Fetcher{
		opt:     o,
		clients: map[string]*http.Client{},
		hosts:   hosts{def: limitOf(o.Rate, 1), m: map[string]*host{}},
		robots:  robotsCache{m: map[string]*robotsEntry{}},
	}
}

// SetRate sets the request rate of one host ("example.gov.cn" or "host:port"):
// requests per second, 0 for the Fetcher's default, negative for unlimited.
func (f *Fetcher) SetRate(hostname string, rps float64) {
	f.hosts.get(hostname).lim.SetLimit(limitOf(rps, f.hosts.def))
}

// Close releases idle connections.
func (f *Fetcher) Close() {
	f.cmu.Lock()
	defer f.cmu.Unlock()
	for _, c := range f.clients {
		c.CloseIdleConnections()
	}
}

// client returns the HTTP client for what ctx's fetches may reach.
func (f *Fetcher) client(ctx context.Context) *http.Client {
	a := f.opt.Allow
	if extra, ok := ctx.Value(allowKey{}).(Allow); ok {
		a = a.union(extra)
	}
	f.cmu.Lock()
	defer f.cmu.Unlock()
	c, ok := f.clients[a.key()]
	if !ok {
		c = &http.Client{
			Transport:     guardedTransport(f.opt, a),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		f.clients[a.key()] = c
	}
	return c
}

// Get fetches rawURL, sending cond's validators when set. A 304 answer is a
// Response with NotModified set. Failures are *Error values (see Reason).
func (f *Fetcher) Get(ctx context.Context, rawURL string, cond Conditional) (*Response, error) {
	return f.do(ctx, request{method: http.MethodGet, url: rawURL, cond: cond})
}

// GetFile fetches a file like Get, with its own size limit (maxBytes > 0)
// instead of Options.MaxBytes: attachments may be larger than pages.
func (f *Fetcher) GetFile(ctx context.Context, rawURL string, cond Conditional, maxBytes int64) (*Response, error) {
	return f.do(ctx, request{method: http.MethodGet, url: rawURL, cond: cond, maxBytes: maxBytes})
}

// Post submits form to rawURL as application/x-www-form-urlencoded.
func (f *Fetcher) Post(ctx context.Context, rawURL string, form url.Values) (*Response, error) {
	return f.do(ctx, request{method: http.MethodPost, url: rawURL, body: []byte(form.Encode())})
}

// request is one logical request, possibly followed through redirects.
type request struct {
	method     string
	url        string
	body       []byte
	cond       Conditional
	skipRobots bool
	maxBytes   int64 // response body limit; 0 means Options.MaxBytes
}

// do follows rq through redirects, checking robots.txt at every hop.
func (f *Fetcher) do(ctx context.Context, rq request) (*Response, error) {
	u, err := parseURL(rq.url)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Method: rq.method, URL: rq.url, Err: err}
	}
	seen := map[string]bool{u.String(): true}
	for hops := 0; ; hops++ {
		if !rq.skipRobots {
			if err := f.allowed(ctx, u); err != nil {
				return nil, err
			}
		}
		if status := f.hosts.get(u.Host).challenged(); status != 0 {
			return nil, &Error{Kind: KindWAF, Method: rq.method, URL: u.String(), Status: status,
				Err: errorf("not requested: the firewall challenged %d requests in a row to %s", wafLimit, u.Host)}
		}
		r, err := f.withRetries(ctx, rq, u)
		if err != nil {
			return nil, err
		}
		next := redirectTarget(u, r)
		if next == nil {
			return f.finish(rq, u, r)
		}
		if err := f.checkHop(rq, u, next, hops, seen); err != nil {
			return nil, err
		}
		if r.status != http.StatusTemporaryRedirect && r.status != http.StatusPermanentRedirect {
			rq.method, rq.body = http.MethodGet, nil
		}
		u = next
	}
}

// checkHop refuses a redirect to next when it loops or exceeds the limit.
func (f *Fetcher) checkHop(rq request, from, next *url.URL, hops int, seen map[string]bool) error {
	switch {
	case seen[next.String()]:
		return &Error{Kind: KindRedirectLoop, Method: rq.method, URL: rq.url,
			Err: errorf("%s redirects back to %s", from, next)}
	case hops >= f.opt.MaxRedirects:
		return &Error{Kind: KindTooManyRedirects, Method: rq.method, URL: rq.url,
			Err: errorf("more than %d redirects, last to %s", f.opt.MaxRedirects, next)}
	}
	seen[next.String()] = true
	return nil
}

// finish turns the final raw answer into a Response or a classified error.
func (f *Fetcher) finish(rq request, u *url.URL, r *raw) (*Response, error) {
	resp := &Response{
		URL: rq.url, FinalURL: u.String(), Status: r.status, Header: r.header, Body: r.body,
		ETag: r.header.Get("ETag"), LastModified: r.header.Get("Last-Modified"),
	}
	switch {
	case r.status == http.StatusNotModified:
		resp.NotModified = true
		resp.ETag = firstOf(resp.ETag, rq.cond.ETag)
		resp.LastModified = firstOf(resp.LastModified, rq.cond.LastModified)
		return resp, nil
	case r.status >= 200 && r.status < 300:
		return resp, nil
	case isWAF(r.status, r.body):
		f.hosts.get(u.Host).answered(r.status)
		return nil, &Error{Kind: KindWAF, Method: rq.method, URL: u.String(), Status: r.status}
	}
	f.hosts.get(u.Host).answered(0)
	return nil, &Error{Kind: KindStatus, Method: rq.method, URL: u.String(), Status: r.status}
}

// redirectTarget returns the Location of a redirect answer, resolved against u.
func redirectTarget(u *url.URL, r *raw) *url.URL {
	switch r.status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := r.header.Get("Location")
	if loc == "" {
		return nil
	}
	next, err := u.Parse(loc)
	if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
		return nil
	}
	next.Fragment = ""
	return next
}

// parseURL accepts absolute http and https URLs only.
func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errorf("not an absolute http(s) URL")
	}
	u.Fragment = ""
	return u, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
