package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
)

func TestNewRequiresParts(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New without store, index and config must fail")
	}
}

// TestHealthz: the server answers "warming" while the index builds its
// pinyin lexicon in the background, then "ok".
func TestHealthz(t *testing.T) {
	f := newFixture(t, nil)
	for giveUp := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		body := wantStatus(t, f.get("/healthz"), http.StatusOK)
		if strings.Contains(body, `"ok"`) {
			return
		}
		if !strings.Contains(body, `"warming"`) || time.Now().After(giveUp) {
			t.Fatalf("healthz: %s", body)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/", "/api/search?q=x", "/doc/dibao-2015", "/nope"} {
		resp := f.get(path)
		readBody(t, resp)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self' 'nonce-", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") && !strings.Contains(csp, "style-src-attr 'unsafe-inline'") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	a, b := f.get("/"), f.get("/")
	if a.Header.Get("Content-Security-Policy") == b.Header.Get("Content-Security-Policy") {
		t.Error("the CSP nonce must change with every request")
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	f := newFixture(t, nil)
	page := wantStatus(t, f.get("/no/such/page"), http.StatusNotFound)
	if !strings.Contains(page, "页面不存在") {
		t.Error("404 page should say so in Chinese")
	}
	resp := f.do(http.MethodDelete, "/search?q=x", nil, nil)
	wantStatus(t, resp, http.StatusMethodNotAllowed)
	if resp.Header.Get("Allow") != "GET" {
		t.Errorf("Allow = %q", resp.Header.Get("Allow"))
	}
	wantStatus(t, f.do(http.MethodHead, "/healthz", nil, nil), http.StatusOK)
}

func TestOversizedRequest(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Server.MaxRequestBody = 1024 })
	big := strings.Repeat("x", 4096)
	// Declared length over the limit: refused before reading.
	resp := f.do(http.MethodPost, "/staff/login", strings.NewReader("user="+big),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	wantStatus(t, resp, http.StatusRequestEntityTooLarge)
	// Unknown length (chunked): refused while reading the form.
	sess, token := f.login()
	req := strings.NewReader("csrf=" + token + "&title=" + big)
	resp = f.do(http.MethodPost, "/staff/manual", io.MultiReader(req), // hides the length
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, sess)
	wantStatus(t, resp, http.StatusRequestEntityTooLarge)
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, nil)
	f.peer = "127.0.0.1:5555" // a local scraper (see TestMetricsAccess)
	wantStatus(t, f.get("/healthz"), http.StatusOK)
	wantStatus(t, f.get("/doc/dibao-2015"), http.StatusOK)
	body := wantStatus(t, f.get("/metrics"), http.StatusOK)
	for _, want := range []string{
		`gongkai_http_requests_total{code="200",route="/healthz"} 1`,
		`gongkai_http_requests_total{code="200",route="/doc/{id}"} 1`,
		`gongkai_http_request_duration_seconds_bucket{route="/doc/{id}"`,
		"gongkai_documents 4", "gongkai_index_documents 4", "gongkai_index_size_bytes",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestCrawlMetrics(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	run, err := f.st.StartRun(ctx, "township")
	if err != nil {
		t.Fatal(err)
	}
	run.Fetched, run.New, run.Failed = 10, 7, 2
	if err := f.st.FinishRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	f.peer = "127.0.0.1:5555"
	body := wantStatus(t, f.get("/metrics"), http.StatusOK)
	for _, want := range []string{`gongkai_crawl_last_run_pages{result="new",source="township"} 7`,
		`gongkai_crawl_last_run_pages{result="failed",source="township"} 2`,
		`gongkai_crawl_last_run_end_timestamp_seconds{source="township"}`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestServeAndRecrawl(t *testing.T) {
	var runs atomic.Int32
	f := newFixture(t, func(c *config.Config) { c.Server.RecrawlEvery = 20 * time.Millisecond })
	f.s.recrawl = func(ctx context.Context) error {
		if runs.Add(1) == 2 {
			return errors.New("source down")
		}
		return nil
	}
	f.s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	ln, err := f.s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, resp, http.StatusOK)
	deadline := time.Now().Add(5 * time.Second)
	for runs.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if runs.Load() < 3 {
		t.Fatalf("recrawl ran %d times in 5 s, every 20 ms expected", runs.Load())
	}
	f.peer = "127.0.0.1:5555"
	metrics := wantStatus(t, f.get("/metrics"), http.StatusOK)
	if !strings.Contains(metrics, `gongkai_recrawls_total{result="error"} 1`) {
		t.Error("a failed re-crawl must be counted")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestListenDefaultsToLoopback(t *testing.T) {
	if !strings.HasPrefix(config.Default().Server.Addr, "127.0.0.1:") {
		t.Errorf("the default address must be loopback: %s", config.Default().Server.Addr)
	}
}
