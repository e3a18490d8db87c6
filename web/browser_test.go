package web

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserLog collects what the page reports as wrong and every URL requested.
type browserLog struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (b *browserLog) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *cdpruntime.EventExceptionThrown:
		b.problems = append(b.problems, "exception: "+e.ExceptionDetails.Text)
	case *cdpruntime.EventConsoleAPICalled:
		if e.Type == cdpruntime.ConsoleAPICalledTypeError || e.Type == cdpruntime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			b.problems = append(b.problems, "console "+string(e.Type)+": "+strings.Join(args, " "))
		}
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
			b.problems = append(b.problems, "log "+string(e.Entry.Level)+": "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	}
}

// TestBrowser drives headless Chromium through the pages of the fixture:
// no console error or CSP violation, no request leaving the server, the
// highlighted results, a facet, a document, the login and a drawn chart.
// It is skipped when Chromium is not installed or with -short.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("no Chromium installed (the Makefile installs Debian's chromium for the end-to-end tests)")
	}
	if !hasECharts() {
		t.Skip("web/static/vendor/echarts.min.js is missing: run make to fetch it, then rebuild")
	}
	f := newFixture(t, nil)
	ln, err := f.s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	base := "http://" + ln.Addr().String()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome),
		chromedp.NoSandbox, chromedp.WindowSize(390, 844))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	var bl browserLog
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(bl.listen))
	defer bcancel()
	bctx, tcancel := context.WithTimeout(bctx, 60*time.Second)
	defer tcancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v (browser problems so far: %v)", what, err, bl.problems)
		}
	}
	text := func(sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	count := func(sel chromedp.CSS) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int]("document.querySelectorAll("+strconv.Quote(string(sel))+").length"))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}

	// GONGKAI_SCREENSHOTS=dir saves a full-page PNG of each page visited.
	shot := func(name string) {
		t.Helper()
		dir := os.Getenv("GONGKAI_SCREENSHOTS")
		if dir == "" {
			return
		}
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}

	step("search",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "低保"),
		chromedp.Submit(chromedp.ID("search-form")),
		chromedp.WaitVisible(chromedp.ID("results")))
	marks := text("#results .snippet mark")
	shot("search")
	step("facet",
		chromedp.Click(chromedp.CSS(`#facets a[href*="category="]`)),
		chromedp.WaitVisible(chromedp.ID("results")))
	step("document",
		chromedp.Click(chromedp.CSS("#results .hit-title a")),
		chromedp.WaitVisible(chromedp.ID("doc-title")))
	docTitle := text("#doc-title")
	shot("document")
	step("login",
		chromedp.Navigate(base+"/staff"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("user"), testUser),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login-button")),
		chromedp.WaitVisible(chromedp.ID("targets")),
		chromedp.WaitVisible(chromedp.CSS("figure.chart canvas")))
	canvases := count("figure.chart canvas")
	shot("dashboard")
	step("trends",
		chromedp.Navigate(base+"/trends?year=2015"),
		chromedp.WaitVisible(chromedp.CSS("#chart-categories canvas")))
	chartCanvases := count("figure.chart canvas")
	shot("trends")
	if marks == "" {
		t.Error("no highlighted term in the results")
	}
	if docTitle == "" {
		t.Error("the document page has no title")
	}
	if canvases == 0 || chartCanvases < 3 {
		t.Errorf("charts drawn: dashboard %d canvases, trends %d", canvases, chartCanvases)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	for _, p := range bl.problems {
		t.Errorf("browser reported: %s", p)
	}
	for _, r := range bl.requests {
		u, err := url.Parse(r)
		if err == nil && u.Scheme != "data" && u.Hostname() != "127.0.0.1" {
			t.Errorf("request left the server: %s", r)
		}
	}
	if os.Getenv("GONGKAI_BROWSER_VERBOSE") != "" {
		t.Logf("requests: %v", bl.requests)
	}
}
