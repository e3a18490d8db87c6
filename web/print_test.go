package web

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// printCheck is run in each page under print media: what a printout would
// show that it should not (navigation, forms, buttons, the search box), the
// tables that may split across pages, and the tallest chart in millimetres.
const printCheck = `(() => {
	const shown = el => getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
	const out = {visible: [], splittable: [], chartMM: 0, tables: 0};
	for (const sel of ["header nav", "form", "button", "input", "select", "#q"]) {
		for (const el of document.querySelectorAll(sel)) if (shown(el)) out.visible.push(sel + (el.id ? "#" + el.id : ""));
	}
	for (const el of document.querySelectorAll("main table, main tr, figure.chart")) {
		if (el.tagName === "TABLE") out.tables++;
		if (getComputedStyle(el).breakInside !== "avoid") out.splittable.push(el.tagName + (el.id ? "#" + el.id : ""));
	}
	for (const el of document.querySelectorAll("figure.chart canvas, figure.chart .chart-canvas")) {
		out.chartMM = Math.max(out.chartMM, el.getBoundingClientRect().height * 25.4 / 96);
	}
	return out;
})()`

type printResult struct {
	Visible    []string `json:"visible"`
	Splittable []string `json:"splittable"`
	ChartMM    float64  `json:"chartMM"`
	Tables     int      `json:"tables"`
}

// Every staff page and the document page, printed (print media emulated in
// Chromium), shows no navigation or form, keeps tables, rows and charts
// whole, and sizes charts to fit the page. Skipped without Chromium.
func TestPrintStylesheet(t *testing.T) {
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
		chromedp.NoSandbox, chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	bctx, tcancel := context.WithTimeout(bctx, 90*time.Second)
	defer tcancel()
	if err := chromedp.Do(bctx,
		chromedp.Navigate(base+"/staff/login"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("user"), testUser),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login-button")),
		chromedp.WaitVisible(chromedp.ID("targets"))); err != nil {
		t.Fatalf("log in: %v", err)
	}
	if err := call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/staff?year=2015", "/trends?year=2015", "/staff/report?year=2022",
		"/staff/report/tables?year=2022", "/staff/thesaurus", "/doc/dibao-2015"} {
		if err := chromedp.Do(bctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		got, err := chromedp.Run(bctx, chromedp.Evaluate[printResult](printCheck))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(got.Visible) > 0 {
			t.Errorf("%s printed shows %v", path, got.Visible)
		}
		if len(got.Splittable) > 0 {
			t.Errorf("%s printed may split %v across pages", path, got.Splittable)
		}
		if got.Tables == 0 {
			t.Errorf("%s has no table to print", path)
		}
		if got.ChartMM > 90 {
			t.Errorf("%s printed has a chart %.0f mm tall, want at most 85", path, got.ChartMM)
		}
	}
}
