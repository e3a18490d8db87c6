package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// screenshotDir is where the test saves its screenshots, from the package
// dir, when GONGKAI_SCREENSHOTS is set (`make screenshots`); otherwise they go
// to a temporary folder, so that a test run leaves the work tree as it was.
const screenshotDir = "../../docs/screenshots"

// findChromium returns the path of Debian's chromium (or another Chrome on
// PATH), or "" when there is none.
func findChromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// watcher records what the page reports as wrong and every URL it requests.
// Its listen method runs on chromedp's event goroutine.
type watcher struct {
	mu       sync.Mutex
	problems []string // console errors, exceptions, CSP violations, failed loads
	warnings []string // console and log warnings, reported but not failures
	requests []string
	urls     map[network.RequestID]string // for naming failed loads
}

func (w *watcher) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch e := ev.(type) {
	case *cdpruntime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		w.problems = append(w.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *cdpruntime.EventConsoleAPICalled:
		if e.Type != cdpruntime.ConsoleAPICalledTypeError && e.Type != cdpruntime.ConsoleAPICalledTypeWarning {
			return
		}
		var args []string
		for _, a := range e.Args {
			args = append(args, strings.TrimSpace(string(a.Value)+" "+a.Description))
		}
		line := "console." + string(e.Type) + ": " + strings.Join(args, " ")
		if e.Type == cdpruntime.ConsoleAPICalledTypeError {
			w.problems = append(w.problems, line)
		} else {
			w.warnings = append(w.warnings, line)
		}
	case *cdplog.EventEntryAdded:
		// CSP violations and failed resource loads arrive here.
		line := fmt.Sprintf("log %s/%s: %s %s", e.Entry.Source, e.Entry.Level, e.Entry.Text, e.Entry.URL)
		switch e.Entry.Level {
		case cdplog.EntryLevelError:
			w.problems = append(w.problems, line)
		case cdplog.EntryLevelWarning:
			w.warnings = append(w.warnings, line)
		}
	case *network.EventRequestWillBeSent:
		w.requests = append(w.requests, e.Request.URL)
		w.urls[e.RequestID] = e.Request.URL
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 {
			w.problems = append(w.problems, fmt.Sprintf("HTTP %d for %s", e.Response.Status, e.Response.URL))
		}
	case *network.EventLoadingFailed:
		if !e.Canceled {
			w.problems = append(w.problems, "loading "+w.urls[e.RequestID]+" failed: "+e.ErrorText)
		}
	}
}

// report fails the test for every problem and every request that left
// loopback, and logs the warnings.
func (w *watcher) report(t *testing.T) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.problems {
		t.Errorf("browser reported: %s", p)
	}
	for _, s := range w.warnings {
		t.Logf("browser warning: %s", s)
	}
	for _, r := range w.requests {
		if !onLoopback(r) {
			t.Errorf("request left 127.0.0.1: %s", r)
		}
	}
	if len(w.requests) == 0 {
		t.Error("no request seen: the network listener is not working")
	}
}

// onLoopback says whether a requested URL stays on this machine: a loopback
// host, or a data:/blob: URL that needs no network.
func onLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob":
		return true
	case "http", "https", "ws":
		h := u.Hostname()
		return h == "127.0.0.1" || h == "localhost" || h == "::1"
	}
	return false
}

// browser is one headless Chromium tab watched by a watcher.
type browser struct {
	t   *testing.T
	ctx context.Context
	w   *watcher
}

// startBrowser starts headless Chromium at path with a fresh profile; it
// stops when ctx ends or the test ends.
func startBrowser(ctx context.Context, t *testing.T, path string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	w := &watcher{urls: map[network.RequestID]string{}}
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(w.listen))
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	if _, err := chromedp.Call(bctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable log events: %v", err)
	}
	return &browser{t: t, ctx: bctx, w: w}
}

// do runs actions or fails the test, naming the step.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fail(step, err)
	}
}

// navigate runs actions that load a new page, checks that it answered 200
// and returns the response.
func (b *browser) navigate(step string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, actions...)
	if err != nil {
		b.fail(step, err)
	}
	if resp == nil {
		b.fail(step, fmt.Errorf("no response"))
	}
	if resp.Status != 200 {
		b.fail(step, fmt.Errorf("page answered HTTP %d", resp.Status))
	}
	return resp
}

func (b *browser) fail(step string, err error) {
	b.t.Helper()
	b.w.mu.Lock()
	problems := strings.Join(b.w.problems, "; ")
	b.w.mu.Unlock()
	b.t.Fatalf("%s: %v (browser problems so far: [%s])", step, err, problems)
}

// eval evaluates a JavaScript expression and returns its value as T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fail("evaluate "+expr, err)
	}
	return v
}

// texts returns the trimmed text of every element matching the CSS selector.
func (b *browser) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, "Array.from(document.querySelectorAll("+strconv.Quote(sel)+
		"), e => e.textContent.trim())")
}

// viewport emulates a screen of w×h CSS pixels; mobile also sets the mobile
// meta viewport handling and touch.
func (b *browser) viewport(w, h int64, mobile bool) {
	b.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.do(fmt.Sprintf("viewport %d×%d", w, h), chromedp.EmulateViewport(w, h, opts...))
}

// screenshot saves the top of the page, at most maxHeight CSS pixels, as
// docs/screenshots/<name>.png.
func (b *browser) screenshot(name string, maxHeight float64) {
	b.t.Helper()
	size := eval[[]float64](b, "[document.documentElement.clientWidth, document.documentElement.scrollHeight]")
	clip := page.Viewport{Width: size[0], Height: min(size[1], maxHeight), Scale: 1}
	beyond := true
	shot, err := chromedp.Call(b.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng, Clip: &clip, CaptureBeyondViewport: &beyond,
	})
	if err != nil {
		b.fail("screenshot "+name, err)
	}
	dir := screenshotDir
	if os.Getenv("GONGKAI_SCREENSHOTS") == "" {
		dir = b.t.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatalf("screenshot dir: %v", err)
	}
	if err := os.WriteFile(path, shot.Data, 0o644); err != nil {
		b.t.Fatalf("save screenshot %s: %v", path, err)
	}
	b.t.Logf("screenshot %s: %.0f×%.0f, %d KB", path, clip.Width, clip.Height, len(shot.Data)>>10)
}
