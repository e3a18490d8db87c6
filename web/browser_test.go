package web

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// web/e2e drives the demo through every page in Chromium. This test adds what
// only the fixture can give: the hostile documents and staff data of
// addHostileData, rendered by a real browser (whose HTML parser is the one
// that matters), must run no script, break no CSP rule and load nothing from
// outside 127.0.0.1.

// trapJS runs before every page's own scripts: it records dialogs that a
// hostile script would open and every CSP violation the page reports.
const trapJS = `window.__gk = {dialogs: [], violations: []};
for (const k of ["alert", "confirm", "prompt", "print"]) { window[k] = m => window.__gk.dialogs.push(k + ": " + m); }
document.addEventListener("securitypolicyviolation", e =>
	window.__gk.violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || "")));`

// browserLog collects exceptions, console and log errors and every URL requested.
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
		if e.Type == cdpruntime.ConsoleAPICalledTypeError {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			b.problems = append(b.problems, "console error: "+strings.Join(args, " "))
		}
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			b.problems = append(b.problems, "log error: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	}
}

// TestHostileInputInBrowser is skipped when Chromium is not installed or with -short.
func TestHostileInputInBrowser(t *testing.T) {
	var bl browserLog
	f := newFixture(t, nil)
	addHostileData(t, f)
	base, bctx := openBrowser(t, f, chromedp.WithListener(bl.listen))
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	for _, err := range []error{
		call(bctx, network.Enable, network.EnableParams{}),
		call(bctx, log.Enable, cdp.Empty{}),
		call(bctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: trapJS}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v (browser problems so far: %v)", what, err, bl.problems)
		}
	}
	step("log in", browserLogin(base)...)
	for _, path := range hostilePages {
		if strings.HasPrefix(path, "/staff/report") {
			continue // a download, not a page
		}
		step("open "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("footer")))
		trapped, err := chromedp.Run(bctx, chromedp.Evaluate[map[string][]string]("window.__gk"))
		if err != nil {
			t.Fatalf("%s: read the trap: %v", path, err)
		}
		if _, ok := trapped["dialogs"]; !ok {
			t.Fatalf("%s: the trap script did not run", path)
		}
		for kind, list := range trapped {
			for _, v := range list {
				t.Errorf("%s: %s: %s", path, kind, v)
			}
		}
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	for _, p := range bl.problems {
		t.Errorf("browser reported: %s", p)
	}
	if len(bl.requests) < len(hostilePages)-1 {
		t.Errorf("%d requests recorded for %d pages: the listener did not see the traffic it checks", len(bl.requests), len(hostilePages)-1)
	}
	for _, r := range bl.requests {
		if u, err := url.Parse(r); err != nil || u.Scheme != "data" && u.Hostname() != "127.0.0.1" {
			t.Errorf("request left the server: %s", r)
		}
	}
}

// browserLogin logs the test user in on the site at base and waits for
// the dashboard.
func browserLogin(base string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/staff/login"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("user"), testUser),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		loads(chromedp.Click(chromedp.ID("login-button"))),
		chromedp.WaitVisible(chromedp.ID("targets")),
	}
}

// loads runs actions of which one starts a navigation (a click on a link, a
// form's submit) and returns once the new page has loaded, so the actions
// after it never query nodes of the page being replaced (Chromium then
// answers "No node with given id found").
func loads(actions ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.RunResponse(ctx, actions...)
		return chromedp.Void{}, err
	}
}

// openBrowser serves f on a loopback port and starts Chromium on it for the
// test (both stop when it ends), returning the server's address and the
// browser's context (90 s). It skips with -short or without Chromium.
func openBrowser(t *testing.T, f *fixture, opts ...chromedp.ContextOption) (string, context.Context) {
	t.Helper()
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
	addr := serveFixture(t, f)
	aopts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome),
		chromedp.NoSandbox, chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), aopts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx, opts...)
	t.Cleanup(bcancel)
	bctx, tcancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(tcancel)
	return "http://" + addr, bctx
}

// call sends one DevTools command and keeps only its error.
func call[P, R any](ctx context.Context, cmd cdp.Command[P, R], params P) error {
	_, err := chromedp.Call(ctx, cmd, params)
	return err
}
