package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/time/rate"
)

// site is a loopback test site that counts the requests of every path.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
	log  []string // "METHOD path" in arrival order
	at   []time.Time
}

func newSite(t *testing.T, routes map[string]http.HandlerFunc) *site {
	t.Helper()
	s := &site{hits: map[string]int{}}
	mux := http.NewServeMux()
	for p, h := range routes {
		mux.HandleFunc(p, h)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.log = append(s.log, r.Method+" "+r.URL.Path)
		s.at = append(s.at, time.Now())
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func fastOpts() Options {
	// The test servers listen on loopback, which the address guard refuses unless allowed.
	return Options{Rate: -1, Backoff: 5 * time.Millisecond, Timeout: 5 * time.Second, Allow: Allow{Private: true}}
}

func robotsRoute(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }
}

func TestGetConditional(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Mon, 02 Jan 2006 15:04:05 GMT"
	s := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robotsRoute("User-agent: *\nDisallow:\n"),
		"/a.html": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lastMod)
			fmt.Fprint(w, "<html><title>一</title></html>")
		},
	})
	f := New(fastOpts())
	ctx := context.Background()
	r, err := f.Get(ctx, s.URL+"/a.html", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if r.NotModified || r.ETag != etag || r.LastModified != lastMod || !strings.Contains(string(r.Body), "一") {
		t.Fatalf("first answer: %+v", r)
	}
	for _, c := range []Conditional{{ETag: etag}, {LastModified: lastMod}} {
		r2, err := f.Get(ctx, s.URL+"/a.html", c)
		if err != nil {
			t.Fatal(err)
		}
		if !r2.NotModified || r2.Status != 304 || (c.ETag != "" && r2.ETag != etag) {
			t.Fatalf("conditional %+v: got %+v", c, r2)
		}
	}
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", n)
	}
}

func TestGBKPage(t *testing.T) {
	page := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>关于做好2015年政务公开工作的通知 镕</body></html>"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, map[string]http.HandlerFunc{
		"/gbk.html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, gbk)
		},
	})
	r, err := New(fastOpts()).Get(context.Background(), s.URL+"/gbk.html", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	text, cs, err := r.Text()
	if err != nil {
		t.Fatal(err)
	}
	if cs != "gb18030" || !strings.Contains(text, "关于做好2015年政务公开工作的通知 镕") {
		t.Fatalf("decoded as %s: %q", cs, text)
	}
}

func TestRedirects(t *testing.T) {
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	routes := map[string]http.HandlerFunc{
		"/old.html":   redirect("/mid.html"),
		"/mid.html":   redirect("new.html"),
		"/new.html":   func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "new") },
		"/loop/a":     redirect("/loop/b"),
		"/loop/b":     redirect("/loop/a"),
		"/post-redir": redirect("/new.html"),
	}
	for i := range 8 {
		routes[fmt.Sprintf("/chain/%d", i)] = redirect(fmt.Sprintf("/chain/%d", i+1))
	}
	s := newSite(t, routes)
	f := New(fastOpts())
	ctx := context.Background()

	r, err := f.Get(ctx, s.URL+"/old.html", Conditional{})
	if err != nil || r.FinalURL != s.URL+"/new.html" || string(r.Body) != "new" {
		t.Fatalf("redirect chain: %v %+v", err, r)
	}
	if _, err := f.Get(ctx, s.URL+"/loop/a", Conditional{}); KindOf(err) != KindRedirectLoop {
		t.Fatalf("loop: want redirect_loop, got %v", err)
	}
	if _, err := f.Get(ctx, s.URL+"/chain/0", Conditional{}); KindOf(err) != KindTooManyRedirects {
		t.Fatalf("chain: want too_many_redirects, got %v", err)
	}
	if n := s.count("/chain/6"); n != 0 {
		t.Errorf("followed past the limit: /chain/6 hit %d times", n)
	}
	r, err = f.Post(ctx, s.URL+"/post-redir", url.Values{"a": {"1"}})
	if err != nil || string(r.Body) != "new" {
		t.Fatalf("POST redirect: %v", err)
	}
}

func TestRetryAfter429(t *testing.T) {
	var n atomic.Int32
	s := newSite(t, map[string]http.HandlerFunc{
		"/busy": func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			fmt.Fprint(w, "ok")
		},
	})
	start := time.Now()
	r, err := New(fastOpts()).Get(context.Background(), s.URL+"/busy", Conditional{})
	if err != nil || string(r.Body) != "ok" {
		t.Fatalf("429 then ok: %v", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("retried after %v, Retry-After asked for 1s", d)
	}
}

func TestRetryAfterCapped(t *testing.T) {
	var n atomic.Int32
	s := newSite(t, map[string]http.HandlerFunc{
		"/busy": func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "ok")
		},
	})
	o := fastOpts()
	o.MaxRetryAfter = 50 * time.Millisecond
	if _, err := New(o).Get(context.Background(), s.URL+"/busy", Conditional{}); err != nil {
		t.Fatalf("503 with an HTTP-date Retry-After, capped: %v", err)
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	var n atomic.Int32
	s := newSite(t, map[string]http.HandlerFunc{
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				http.Error(w, "boom", http.StatusInternalServerError)
				return
			}
			fmt.Fprint(w, "ok")
		},
		"/down": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) },
	})
	f := New(fastOpts())
	r, err := f.Get(context.Background(), s.URL+"/flaky", Conditional{})
	if err != nil || string(r.Body) != "ok" || s.count("/flaky") != 3 {
		t.Fatalf("500, 500, ok: err %v, %d requests", err, s.count("/flaky"))
	}
	_, err = f.Get(context.Background(), s.URL+"/down", Conditional{})
	if Reason(err) != "http 502" || s.count("/down") != 4 {
		t.Fatalf("always 502: reason %q after %d requests, want http 502 after 4", Reason(err), s.count("/down"))
	}
}

func TestSlowResponseTimesOut(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			fmt.Fprint(w, "start")
			w.(http.Flusher).Flush()
			select { // headers sent, the body never ends in time
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		},
	})
	o := fastOpts()
	o.Timeout = 200 * time.Millisecond
	o.Retries = 1
	_, err := New(o).Get(context.Background(), s.URL+"/slow", Conditional{})
	if KindOf(err) != KindTimeout {
		t.Fatalf("want timeout, got %v", err)
	}
	if n := s.count("/slow"); n != 2 {
		t.Errorf("timeouts are retried once: %d requests, want 2", n)
	}
}

func TestOversizedResponse(t *testing.T) {
	big := strings.Repeat("政务公开", 100_000) // 1.2 MB
	s := newSite(t, map[string]http.HandlerFunc{
		"/big": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, big) },
		"/chunked": func(w http.ResponseWriter, r *http.Request) {
			for range 12 {
				fmt.Fprint(w, big[:100_000])
				w.(http.Flusher).Flush()
			}
		},
	})
	o := fastOpts()
	o.MaxBytes = 1 << 20
	f := New(o)
	for _, p := range []string{"/big", "/chunked"} {
		_, err := f.Get(context.Background(), s.URL+p, Conditional{})
		if KindOf(err) != KindTooLarge || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
			t.Errorf("%s: want too_large, got %v", p, err)
		}
	}
}

func TestRobots(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robotsRoute("User-agent: *\nDisallow: /private/\n\nUser-agent: gongkai\nDisallow: /nogongkai/\n"),
		"/":           func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") },
	})
	f := New(fastOpts())
	ctx := context.Background()
	if _, err := f.Get(ctx, s.URL+"/public/a.html", Conditional{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/nogongkai/a.html"} {
		if _, err := f.Get(ctx, s.URL+p, Conditional{}); KindOf(err) != KindRobots {
			t.Errorf("%s: want robots, got %v", p, err)
		}
		if s.count(p) != 0 {
			t.Errorf("%s was requested despite robots.txt", p)
		}
	}
	// The gongkai group replaces the * group, as the standard says.
	if _, err := f.Get(ctx, s.URL+"/private/a.html", Conditional{}); err != nil {
		t.Errorf("/private/ is only closed to other agents: %v", err)
	}
}

func TestRobotsDisallowAllAgents(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robotsRoute("User-agent: *\nDisallow: /private/\n"),
		"/":           func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") },
	})
	_, err := New(fastOpts()).Get(context.Background(), s.URL+"/private/x.html", Conditional{})
	if KindOf(err) != KindRobots || s.count("/private/x.html") != 0 {
		t.Fatalf("want robots refusal without a request, got %v", err)
	}
}

func TestRobotsStatus(t *testing.T) {
	for _, tc := range []struct {
		status int
		allow  bool
	}{{404, true}, {500, false}, {403, true}} {
		s := newSite(t, map[string]http.HandlerFunc{
			"/robots.txt": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tc.status) },
			"/":           func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") },
		})
		_, err := New(fastOpts()).Get(context.Background(), s.URL+"/a.html", Conditional{})
		if allowed := err == nil; allowed != tc.allow {
			t.Errorf("robots.txt %d: allowed=%v (err %v), want %v", tc.status, allowed, err, tc.allow)
		}
	}
}

func TestWAF(t *testing.T) {
	challenge := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		}
	}
	for name, h := range map[string]http.HandlerFunc{
		"412": challenge(http.StatusPreconditionFailed, `<!DOCTYPE html><html><head><meta charset="utf-8"><script type="text/javascript" r="m">var _0x1=["cookie"];document[_0x1[0]]="a=b";location.reload();</script></head><body></body></html>`),
		"521": challenge(521, `<script>document.cookie='__jsl_clearance=1';location.href=location.pathname</script>`),
	} {
		s := newSite(t, map[string]http.HandlerFunc{"/": h, "/robots.txt": http.NotFound})
		f := New(fastOpts())
		_, err := f.Get(context.Background(), s.URL+"/a.html", Conditional{})
		if KindOf(err) != KindWAF || !strings.Contains(err.Error(), WAFMessage) {
			t.Errorf("%s: want WAF with the staff message, got %v", name, err)
		}
		if n := s.count("/a.html"); n != 1 {
			t.Errorf("%s: a WAF challenge must not be retried, %d requests", name, n)
		}
		// After wafLimit challenges in a row the host is left alone.
		for i := 1; i < wafLimit; i++ {
			f.Get(context.Background(), s.URL+"/a.html", Conditional{})
		}
		if _, err := f.Get(context.Background(), s.URL+"/b.html", Conditional{}); KindOf(err) != KindWAF || s.count("/b.html") != 0 {
			t.Errorf("%s: request after %d challenges: %v, %d requests", name, wafLimit, err, s.count("/b.html"))
		}
	}
	// A challenged robots.txt means every page is challenged.
	s := newSite(t, map[string]http.HandlerFunc{"/": challenge(521, `<script>location.reload()</script>`)})
	if _, err := New(fastOpts()).Get(context.Background(), s.URL+"/a.html", Conditional{}); KindOf(err) != KindWAF || s.count("/a.html") != 0 {
		t.Errorf("challenged robots.txt: want WAF without requesting the page, got %v", err)
	}
	s = newSite(t, map[string]http.HandlerFunc{"/": challenge(http.StatusPreconditionFailed,
		"<html><body><p>Precondition failed: the If-Match header did not match the current version of this document.</p></body></html>")})
	if _, err := New(fastOpts()).Get(context.Background(), s.URL+"/a.html", Conditional{}); Reason(err) != "http 412" {
		t.Errorf("a 412 with text is an HTTP error, got %v", err)
	}
}

func TestRateLimitPerHost(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") },
	})
	o := fastOpts()
	o.Rate = 20 // one request per 50 ms
	f := New(o)
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			if _, err := f.Get(context.Background(), fmt.Sprintf("%s/%d.html", s.URL, i), Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.at) != 6 {
		t.Fatalf("%d requests, want robots.txt + 5", len(s.at))
	}
	// 6 requests at 20 req/s span at least 5 intervals of 50 ms; scheduling
	// may shift single arrivals, so the whole span is checked.
	if span := s.at[len(s.at)-1].Sub(s.at[0]); span < 200*time.Millisecond {
		t.Errorf("6 requests within %v at 20 req/s", span)
	}
}

func TestPostForm(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/module/web/jpage/dataproxy.jsp": func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				http.Error(w, "POST only", http.StatusMethodNotAllowed)
				return
			}
			fmt.Fprintf(w, "%s %s %s", r.URL.Query().Get("startrecord"), r.FormValue("columnid"), r.UserAgent())
		},
	})
	r, err := New(fastOpts()).Post(context.Background(), s.URL+"/module/web/jpage/dataproxy.jsp?startrecord=16", url.Values{"columnid": {"123"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(r.Body); got != "16 123 "+DefaultUserAgent {
		t.Fatalf("POST echoed %q", got)
	}
}

func TestCancel(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := New(fastOpts()).Get(ctx, s.URL+"/slow", Conditional{})
	if !errors.Is(err, context.DeadlineExceeded) || Reason(err) != "cancelled" {
		t.Fatalf("caller's deadline: got %v", err)
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2015, 12, 15, 8, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"120":                           2 * time.Minute,
		"Tue, 15 Dec 2015 08:00:30 GMT": 30 * time.Second,
		"Tue, 15 Dec 2015 07:00:00 GMT": 0,
	} {
		if got, ok := retryAfter(v, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	if _, ok := retryAfter("soon", now); ok {
		t.Error("retryAfter(soon) accepted")
	}
}

func TestBadURL(t *testing.T) {
	if _, err := New(fastOpts()).Get(context.Background(), "/relative.html", Conditional{}); KindOf(err) != KindBadURL {
		t.Fatalf("want bad_url, got %v", err)
	}
}

func TestBadCertificateIsNotRetried(t *testing.T) {
	var n atomic.Int32
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer s.Close()
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are expected
	_, err := New(fastOpts()).Get(context.Background(), s.URL+"/a.html", Conditional{})
	if KindOf(err) != KindTLS || n.Load() != 0 {
		t.Fatalf("self-signed certificate: want tls, got %v after %d requests", err, n.Load())
	}
}

func TestCrawlDelay(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robotsRoute("User-agent: *\nCrawl-delay: 2\nDisallow: /private/\n"),
		"/":           func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") },
	})
	f := New(fastOpts())
	if _, err := f.Get(context.Background(), s.URL+"/a.html", Conditional{}); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.URL)
	if got := f.hosts.get(u.Host).lim.Limit(); got != rate.Every(2*time.Second) {
		t.Fatalf("Crawl-delay 2 left the host at %v requests/s", got)
	}
}
