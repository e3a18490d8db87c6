package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/gongkai-project/gongkai/store"
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
	base, bctx := openBrowser(t, newFixture(t, nil))
	if err := chromedp.Do(bctx, browserLogin(base)...); err != nil {
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

// In Chromium: the year chosen on the dashboard carries to the report, table
// 三 entered on its form shows in the report page, and a column that does not
// add up is refused with its name. Skipped without Chromium.
func TestYearAndTable3InBrowser(t *testing.T) {
	f := newFixture(t, nil)
	// February 2023, report season: the staff pages open on 2022.
	f.s.asOf = func() time.Time { return time.Date(2023, 2, 10, 9, 0, 0, 0, store.Beijing) }
	base, bctx := openBrowser(t, f)
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	step("log in", browserLogin(base)...)
	if got := text("h1"); !strings.Contains(got, "2022 年") {
		t.Errorf("in February 2023 the dashboard opens on %q, want 2022", got)
	}
	step("choose 2015, then 2022 again",
		chromedp.SetValue(chromedp.CSS("#year-form select"), "2015"),
		loads(chromedp.Submit(chromedp.CSS("#year-form select"))),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/staff/report?year=2015"]`)),
		chromedp.SetValue(chromedp.CSS("#year-form select"), "2022"),
		loads(chromedp.Submit(chromedp.CSS("#year-form select"))),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/staff/report?year=2022"]`)),
		loads(chromedp.Click(chromedp.CSS(`a[href="/staff/report?year=2022"]`))),
		chromedp.WaitVisible(chromedp.ID("edit-tables")),
		loads(chromedp.Click(chromedp.ID("edit-tables"))),
		chromedp.WaitVisible(chromedp.ID("table3-form")))
	step("enter an unbalanced table 三",
		chromedp.SendKeys(chromedp.CSS(`#table3-form input[name="c.new.0"]`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#table3-form input[name="c.public.0"]`), "1"),
		loads(chromedp.Submit(chromedp.CSS(`#table3-form input[name="c.new.0"]`))),
		chromedp.WaitVisible(chromedp.ID("form-errors")))
	if got := text("#form-errors"); !strings.Contains(got, "“自然人”列") {
		t.Errorf("refusal does not name the column: %q", got)
	}
	step("balance it and save",
		chromedp.SetValue(chromedp.CSS(`#table3-form input[name="c.carry_forward.0"]`), "1"),
		loads(chromedp.Submit(chromedp.CSS(`#table3-form input[name="c.new.0"]`))),
		chromedp.WaitVisible(chromedp.ID("notice")),
		chromedp.Navigate(base+"/staff/report?year=2022"),
		chromedp.WaitVisible(chromedp.ID("table3")))
	if got := text("#table3 tbody tr:first-child"); !strings.Contains(strings.Join(strings.Fields(got), " "), "本年新收政府信息公开申请数量 2 0 0 0 0 0 2") {
		t.Errorf("report's table 三 first row = %q, want 2 … 2", got)
	}
}
