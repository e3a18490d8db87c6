package e2e

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mmcdole/gofeed"

	"github.com/gongkai-project/gongkai/demo"
)

// TestBrowserEndToEnd runs the demo through the real crawler and index and
// drives the web interface in headless Chromium: a search for 低保 at phone
// width with highlighted snippets, a category facet, a document page with its
// metadata table, 长辈版 switched on and off at phone width, the staff login,
// the dashboard and the trends charts drawn by ECharts, table 三 entered for
// the annual report, and a result pinned on the staff page. No page may log a
// console error, throw, break its CSP or load anything from outside
// 127.0.0.1. It saves its screenshots under docs/screenshots. It skips with -short or when Chromium is missing.
func TestBrowserEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test skipped with -short")
	}
	chrome := findChromium()
	if chrome == "" {
		t.Skip("no Chromium found (/usr/bin/chromium or chromium on PATH): `make browser` installs Debian's chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	start := time.Now()
	d := serveDemo(ctx, t)
	requireECharts(t, d.base)
	t.Logf("demo crawled and indexed: %d documents in %s", d.docs, time.Since(start).Round(time.Millisecond))
	if d.docs != d.items {
		t.Fatalf("the demo crawl indexed %d documents; the demo township published %d", d.docs, d.items)
	}

	b := startBrowser(ctx, t, chrome)
	browseStart := time.Now()
	b.viewport(390, 844, true)
	searchAtPhoneWidth(t, b, d.base)
	followFeedLink(t, b)
	switchElderMode(t, b)
	applyCategoryFacet(t, b, facetCategory)
	openDocument(t, b, facetCategory)
	b.viewport(1280, 900, false)
	loginAsStaff(t, b, d.base)
	checkDashboard(t, b)
	checkTrends(t, b, d.base)
	enterTable3(t, b, d.base)
	pinResult(t, b, d.base, "低保")
	b.w.report(t)
	t.Logf("browser steps took %s", time.Since(browseStart).Round(time.Millisecond))
}

// requireECharts skips the test when the binary was built without the
// git-ignored ECharts script, which no chart can draw without.
func requireECharts(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Get(base + "/static/vendor/echarts.min.js")
	if err != nil {
		t.Fatalf("fetch echarts.min.js: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		t.Skip("web/static/vendor/echarts.min.js was not embedded: run `make` (it fetches ECharts) before this test")
	}
}

// facetCount matches a facet link's label such as 社会保障（12）.
var facetCount = regexp.MustCompile(`^(.+)（(\d+)）$`)

// searchAtPhoneWidth types 低保 into the home page's search box, submits it
// and checks the highlighted results.
func searchAtPhoneWidth(t *testing.T, b *browser, base string) {
	t.Helper()
	resp := b.navigate("open the home page", chromedp.Navigate(base+"/"))
	// Without a strict policy, "no CSP violation" would prove nothing.
	csp, _ := resp.Headers["Content-Security-Policy"].(string)
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self' 'nonce-") {
		t.Errorf("home page Content-Security-Policy %q lacks default-src 'self' and a nonce-only script-src", csp)
	}
	if lang := eval[string](b, "document.documentElement.lang"); lang != "zh-CN" {
		t.Errorf("page language is %q, want zh-CN", lang)
	}
	if n := len(b.texts("#topics a")); n == 0 {
		t.Error("the home page shows no topic links (#topics a)")
	}
	b.do("type 低保", chromedp.WaitVisible(chromedp.ID("q")), chromedp.SendKeys(chromedp.ID("q"), "低保"))
	// suggest.js fills the datalist from /api/suggest while the user types.
	b.do("wait for suggestions", chromedp.Poll[chromedp.Void](`document.querySelectorAll("#q-suggest option").length > 0`,
		chromedp.WithPollingTimeout(5*time.Second)))
	sugg := eval[[]string](b, `Array.from(document.querySelectorAll("#q-suggest option"), o => o.value)`)
	if len(sugg) == 0 || sugg[0] == "" {
		t.Errorf("suggestions while typing 低保: %q", sugg)
	}
	t.Logf("suggestions for 低保: %q", sugg)
	// and shows them in its own list, which WeChat's browser has no <datalist> for
	if shown := b.texts("#q-list li"); len(shown) != len(sugg) || !eval[bool](b, `!document.getElementById("q-list").hidden`) {
		t.Errorf("the suggestion list under the box shows %q, want %q", shown, sugg)
	}
	b.do("arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if sel := eval[string](b, `(document.querySelector("#q-list li[aria-selected=true]") || {}).textContent || ""`); sel != sugg[0] {
		t.Errorf("ArrowDown selects %q, want %q", sel, sugg[0])
	}
	b.do("escape", chromedp.KeyEvent(kb.Escape))
	if !eval[bool](b, `document.getElementById("q-list").hidden`) || eval[string](b, `document.getElementById("q").value`) != "低保" {
		t.Error("Escape does not close the suggestion list, or clears the box")
	}
	b.navigate("search 低保", chromedp.Click(chromedp.ID("search-button")))
	b.do("wait for results", chromedp.WaitVisible(chromedp.ID("results")))

	count := strings.Join(b.texts("#result-count"), "")
	if !strings.Contains(count, "低保") {
		t.Errorf("result count %q does not name the query 低保", count)
	}
	hits := b.texts("#results > li.hit")
	marks := b.texts("#results .snippet mark")
	if len(hits) == 0 || len(marks) == 0 {
		t.Fatalf("search 低保: %d hits, %d highlighted terms", len(hits), len(marks))
	}
	whole := 0
	for _, m := range marks {
		switch {
		case strings.Contains(m, "低保") || m == "最低生活保障":
			whole++
		case !strings.Contains("最低生活保障", m):
			t.Errorf("highlighted %q, which is no part of 低保 or its synonym 最低生活保障", m)
		}
	}
	if whole == 0 {
		t.Errorf("no snippet highlights 低保 or 最低生活保障 as a whole; marks: %q", marks)
	}
	if w := eval[float64](b, "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("the results page is %.0f px wide at a 390 px phone width: it scrolls sideways", w)
	}
	b.screenshot("search-phone", 1600)

}

// facetCategory is the category facet the test applies to the 低保 results:
// the township's finance reports on 低保 funds, portal (TRS) pages whose
// metadata table is complete.
const facetCategory = "财政信息"

// applyCategoryFacet clicks the category facet name and checks that the
// results narrowed to exactly that category and the facet's count.
func applyCategoryFacet(t *testing.T, b *browser, name string) {
	t.Helper()
	sel := `#facets section.facet a[href*="category=` + url.QueryEscape(name) + `"]`
	labels := b.texts(sel)
	if len(labels) != 1 {
		t.Fatalf("want one facet link %s, found %v among %v", sel, labels, b.texts("#facets a"))
	}
	m := facetCount.FindStringSubmatch(labels[0])
	if m == nil || m[1] != name {
		t.Fatalf("facet link %q is not %s（数量）", labels[0], name)
	}
	want := m[2]
	// At phone width the facets follow the results: the 筛选 link near the
	// count leads there, and a long list keeps the rest under 更多.
	b.do("tap 筛选", chromedp.WaitVisible(chromedp.ID("to-facets")), chromedp.Click(chromedp.ID("to-facets")))
	if eval[bool](b, `(() => { const d = document.querySelector(`+strconv.Quote(sel)+`).closest("details:not([open])");
		if (d) d.querySelector("summary").click(); return !!d })()`) {
		t.Logf("opened 更多 to reach the facet %s", name)
	}
	b.navigate("click facet "+labels[0], chromedp.Click(chromedp.CSS(sel)))
	b.do("wait for filtered results", chromedp.WaitVisible(chromedp.ID("results")))

	total := b.texts("#result-count strong")
	if len(total) == 0 || total[0] != want {
		t.Errorf("after the facet %s the result count is %v, want %s", labels[0], total, want)
	}
	active := b.texts(`#facets strong[aria-current="true"]`)
	if !containsPrefix(active, name+"（") {
		t.Errorf("the facet %s is not shown as active; active facets: %v", name, active)
	}
	cats := b.texts("#results .hit .category")
	if len(cats) == 0 {
		t.Error("the filtered hits show no category")
	}
	for _, c := range cats {
		if c != name {
			t.Errorf("a hit of category %q among results filtered to %q", c, name)
		}
	}
	if q := eval[string](b, "new URLSearchParams(location.search).get('q')"); q != "低保" {
		t.Errorf("the facet link dropped the query: q=%q", q)
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// openDocument opens the first filtered hit and checks its metadata table.
func openDocument(t *testing.T, b *browser, category string) {
	t.Helper()
	titles := b.texts("#results .hit-title a")
	if len(titles) == 0 {
		t.Fatal("no result title link to open")
	}
	b.navigate("open the first hit", chromedp.Click(chromedp.CSS("#results .hit-title a")))
	b.do("wait for the document", chromedp.WaitVisible(chromedp.ID("doc-title")))
	if got := strings.Join(b.texts("#doc-title"), ""); got != titles[0] {
		t.Errorf("document title %q, want the hit's title %q", got, titles[0])
	}
	labels := b.texts("#doc-meta th")
	values := b.texts("#doc-meta td")
	if len(labels) != len(values) {
		t.Fatalf("metadata table has %d labels and %d values", len(labels), len(values))
	}
	meta := map[string]string{}
	for i, l := range labels {
		meta[l] = values[i]
	}
	for _, l := range []string{"索引号", "发布机构", "文号", "成文日期", "发布日期", "主题分类", "渠道"} {
		if _, ok := meta[l]; !ok {
			t.Errorf("metadata table lacks %s; it has %v", l, labels)
		}
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(meta["发布日期"]) {
		t.Errorf("发布日期 is %q, want YYYY-MM-DD", meta["发布日期"])
	}
	if meta["发布机构"] == "" || meta["发布机构"] == "—" {
		t.Errorf("发布机构 is empty (%q)", meta["发布机构"])
	}
	if meta["本站分类"] != category {
		t.Errorf("本站分类 is %q, want the facet's %q", meta["本站分类"], category)
	}
	if ix := meta["索引号"]; ix == "" || ix == "—" {
		t.Errorf("索引号 is empty (%q) on a portal page that carries one", ix)
	}
	if body := strings.Join(b.texts("#doc-body"), ""); len([]rune(body)) < 20 {
		t.Errorf("document body is almost empty: %q", body)
	}
	if len(b.texts("#related a")) == 0 {
		t.Error("no related documents (#related a)")
	}
	if len(b.texts("#original-link")) == 0 {
		t.Error("no link to the original (#original-link)")
	}
	b.screenshot("document", 1600)
}

// loginAsStaff checks that the trends page asks for a login, then logs in as
// the demo's staff user and lands on the page it asked for.
func loginAsStaff(t *testing.T, b *browser, base string) {
	t.Helper()
	b.navigate("open the dashboard logged out", chromedp.Navigate(base+"/staff"))
	b.do("wait for the login form", chromedp.WaitVisible(chromedp.ID("login-form")))
	if path := eval[string](b, "location.pathname"); path != "/staff/login" {
		t.Errorf("logged out, /staff led to %s, want /staff/login", path)
	}
	b.do("fill in the login form",
		chromedp.SendKeys(chromedp.ID("user"), "staff"),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password))
	b.navigate("log in", chromedp.Click(chromedp.ID("login-button")))
	b.do("wait for the dashboard", chromedp.WaitVisible(chromedp.ID("targets")))
	if path := eval[string](b, "location.pathname"); path != "/staff" {
		t.Errorf("after the login the browser is at %s, want /staff", path)
	}
}

// paintedJS counts the figure.chart elements and those whose canvas has at
// least one non-transparent pixel (sampled), as [charts, painted].
const paintedJS = `(() => {
	const figs = Array.from(document.querySelectorAll("figure.chart"));
	let painted = 0;
	for (const f of figs) {
		const c = f.querySelector("canvas");
		if (!c || c.width === 0 || c.height === 0) continue;
		// Read a copy, so that polling does not slow the chart's own canvas.
		const copy = document.createElement("canvas");
		copy.width = c.width; copy.height = c.height;
		const cx = copy.getContext("2d", {willReadFrequently: true});
		cx.drawImage(c, 0, 0);
		const px = cx.getImageData(0, 0, c.width, c.height).data;
		for (let i = 3; i < px.length; i += 4 * 7) { if (px[i] !== 0) { painted++; break; } }
	}
	return [figs.length, painted];
})()`

// chartsDrawn waits up to 10 s for every figure.chart to hold a canvas with
// painted pixels (ECharts animates its first draw) and returns how many
// charts there are and how many are drawn.
func chartsDrawn(t *testing.T, b *browser) (charts, painted int) {
	t.Helper()
	wait := chromedp.Poll[chromedp.Void]("(([n, p]) => n > 0 && n === p)("+paintedJS+")",
		chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))
	if err := chromedp.Do(b.ctx, wait); err != nil {
		t.Logf("charts not all drawn after 10 s: %v", err)
	}
	counts := eval[[]int](b, paintedJS)
	waitChartsStill(t, b)
	return counts[0], counts[1]
}

// canvasSumsJS is a checksum of every chart canvas's pixels.
const canvasSumsJS = `Array.from(document.querySelectorAll("figure.chart canvas"), c => {
	const d = c.toDataURL();
	let h = 0;
	for (let i = 0; i < d.length; i++) h = (h * 31 + d.charCodeAt(i)) | 0;
	return h;
}).join(",")`

// waitChartsStill waits up to 5 s until the charts stop changing (ECharts
// animates its first draw), so that the screenshots show the final charts
// and are the same from run to run.
func waitChartsStill(t *testing.T, b *browser) {
	t.Helper()
	last := ""
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		sums := eval[string](b, canvasSumsJS)
		if sums == last {
			return
		}
		last = sums
	}
	t.Log("charts still changing after 5 s")
}

// checkDashboard checks the dashboard's targets table and its drawn chart.
func checkDashboard(t *testing.T, b *browser) {
	t.Helper()
	if rows := b.texts("#targets tbody tr"); len(rows) < 2 {
		t.Errorf("targets table has %d rows, want the channels and categories", len(rows))
	}
	for _, id := range []string{"#alerts", "#crawls", "#manual-form", "#import-form", "#downloads"} {
		if len(b.texts(id)) == 0 {
			t.Errorf("dashboard lacks %s", id)
		}
	}
	if w := eval[float64](b, `document.getElementById("m-title").getBoundingClientRect().width`); w > 600 {
		t.Errorf("the manual-entry title box is %.0f px wide at 1280 px; want a bounded width", w)
	}
	charts, painted := chartsDrawn(t, b)
	if charts == 0 || painted != charts {
		t.Errorf("dashboard: %d charts, %d drawn on a canvas", charts, painted)
	}
	b.screenshot("dashboard", 1800)
}

// checkTrends opens the trends page, switches the year with the selector and
// checks that every chart is drawn.
func checkTrends(t *testing.T, b *browser, base string) {
	t.Helper()
	b.navigate("open trends", chromedp.Navigate(base+"/trends"))
	b.do("wait for the year form", chromedp.WaitVisible(chromedp.ID("year-form")))
	// At 1280 px the year selector is no page-wide bar with 查看 below it.
	if box := eval[[]float64](b, `[document.getElementById("year"), document.querySelector("#year-form button")]
		.flatMap(e => { const r = e.getBoundingClientRect(); return [r.top, r.width]; })`); box[1] > 400 || box[2] > box[0]+10 {
		t.Errorf("year selector %.0f px wide at top %.0f, 查看 at top %.0f: want them side by side", box[1], box[0], box[2])
	}
	b.do("choose 2015", chromedp.SetValue(chromedp.ID("year"), "2015"))
	b.navigate("submit the year", chromedp.Click(chromedp.CSS("#year-form button")))
	if y := eval[string](b, "new URLSearchParams(location.search).get('year')"); y != "2015" {
		t.Errorf("the year selector led to year=%q, want 2015", y)
	}
	if h := strings.Join(b.texts("h1"), ""); !strings.Contains(h, "2015") {
		t.Errorf("trends heading %q does not name 2015", h)
	}
	charts, painted := chartsDrawn(t, b)
	if charts < 4 || painted != charts {
		t.Errorf("trends: %d charts, %d drawn on a canvas (want at least 4, all drawn)", charts, painted)
	}
	// The 2015 statistics period counts 56 portal and 20 WeChat items (demo facts).
	total := b.texts(".period strong")
	if len(total) == 0 || total[0] != strconv.Itoa(56+20) {
		t.Errorf("trends 2015 total is %v, want 76 (56 portal + 20 WeChat)", total)
	}
	b.screenshot("trends", 1800)
}

// followFeedLink reads the Atom link the results page offers (visible and
// in <link rel="alternate">) and fetches it as a feed reader would: it must
// parse as Atom and carry the newest matching documents, newest first.
func followFeedLink(t *testing.T, b *browser) {
	t.Helper()
	href := eval[string](b, `(document.querySelector('#subscribe a[type="application/atom+xml"]') || {}).href || ""`)
	alt := eval[string](b, `(document.querySelector('link[rel="alternate"][type="application/atom+xml"]') || {}).href || ""`)
	if href == "" || href != alt {
		t.Fatalf("the results page offers Atom %q, and in its head %q", href, alt)
	}
	resp, err := http.Get(href)
	if err != nil {
		t.Fatalf("fetch the feed %s: %v", href, err)
	}
	defer resp.Body.Close()
	feed, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil || feed.FeedType != "atom" || len(feed.Items) == 0 {
		t.Fatalf("feed %s: %v (type %q)", href, err, feed.FeedType)
	}
	for i, it := range feed.Items {
		if i > 0 && it.PublishedParsed != nil && feed.Items[i-1].PublishedParsed != nil && it.PublishedParsed.After(*feed.Items[i-1].PublishedParsed) {
			t.Errorf("feed not newest first at item %d", i)
		}
	}
	t.Logf("Atom feed of the search: %d items, newest %q", len(feed.Items), feed.Items[0].Title)
}

// enterTable3 fills table 三 of 2022 (a national-format year) on its form
// and finds the figures in the report page's table 三.
func enterTable3(t *testing.T, b *browser, base string) {
	t.Helper()
	b.navigate("open the report tables", chromedp.Navigate(base+"/staff/report/tables?year=2022"))
	for name, v := range map[string]string{"c.new.0": "3", "c.new.1": "1", "c.carried_over.0": "1",
		"c.public.0": "2", "c.partial.0": "1", "c.public.1": "1", "c.carry_forward.0": "1"} {
		b.do("type "+name, chromedp.SetValue(chromedp.CSS(`#table3-form input[name="`+name+`"]`), v))
	}
	b.navigate("save table 三", chromedp.Click(chromedp.CSS("#table3-form button")))
	if n := b.texts("#notice"); len(n) == 0 || !strings.Contains(n[0], "已保存表三") {
		t.Fatalf("saving table 三 says %v", n)
	}
	b.screenshot("report-tables", 1400)
	b.navigate("open the 2022 report", chromedp.Navigate(base+"/staff/report?year=2022"))
	row := strings.Join(b.texts("#table3 tbody tr:first-child td"), " ")
	if !strings.Contains(row, "本年新收政府信息公开申请数量 3 1 0 0 0 0 4") {
		t.Errorf("the report's table 三 starts %q, want 3 1 0 0 0 0 4", row)
	}
	b.screenshot("report", 1400)
}

// snippetSizeJS is the computed font size, in CSS pixels, of the first
// result's snippet: the body text a resident reads.
const snippetSizeJS = `parseFloat(getComputedStyle(document.querySelector("#results .snippet")).fontSize)`

// elderCookie returns the value of the 长辈版 cookie in the browser, or ""
// when it is not set; the cookie is HttpOnly, so it is read over CDP.
func elderCookie(b *browser) string {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.fail("read the cookies", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "gk_elder" {
			return c.Value
		}
	}
	return ""
}

// switchElderMode taps the 长辈版 link on the results page at phone width:
// the cookie is set, the snippets' type grows and the choice survives a
// reload; 标准版 switches back to the first size.
func switchElderMode(t *testing.T, b *browser) {
	t.Helper()
	before := eval[float64](b, snippetSizeJS)
	page := eval[string](b, "location.pathname + location.search")
	if got := strings.Join(b.texts("#elder-switch"), ""); got != "长辈版" {
		t.Fatalf("the header's switch reads %q, want 长辈版", got)
	}
	b.navigate("tap 长辈版", chromedp.Click(chromedp.ID("elder-switch")))
	b.do("wait for the results", chromedp.WaitVisible(chromedp.ID("results")))
	if back := eval[string](b, "location.pathname + location.search"); back != page {
		t.Errorf("长辈版 led to %s, want back to %s", back, page)
	}
	if c := elderCookie(b); c != "1" {
		t.Errorf("after 长辈版 the cookie gk_elder is %q, want 1", c)
	}
	elder := eval[float64](b, snippetSizeJS)
	if elder < before*1.15 {
		t.Errorf("长辈版 snippet type is %.1f px, standard %.1f px: want it clearly larger", elder, before)
	}
	if w := eval[float64](b, "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("长辈版 results page is %.0f px wide at a 390 px phone width: it scrolls sideways", w)
	}
	b.navigate("reload in 长辈版", chromedp.Reload())
	b.do("wait for the results", chromedp.WaitVisible(chromedp.ID("results")))
	if again := eval[float64](b, snippetSizeJS); again != elder || !eval[bool](b, `document.body.classList.contains("elder")`) {
		t.Errorf("after a reload the snippet type is %.1f px (长辈版 %.1f px): the choice did not last", again, elder)
	}
	b.screenshot("elder-phone", 1600)
	if got := strings.Join(b.texts("#elder-switch"), ""); got != "标准版" {
		t.Errorf("in 长辈版 the switch reads %q, want 标准版", got)
	}
	b.navigate("tap 标准版", chromedp.Click(chromedp.ID("elder-switch")))
	b.do("wait for the results", chromedp.WaitVisible(chromedp.ID("results")))
	if c, size := elderCookie(b), eval[float64](b, snippetSizeJS); c != "" || size != before {
		t.Errorf("after 标准版 the cookie is %q and the snippet type %.1f px, want none and %.1f px", c, size, before)
	}
	t.Logf("长辈版 snippet type %.1f px, standard %.1f px", elder, before)
}

// pinResult pins the last result of query on the first page to it through
// the staff page's form, then searches as a resident: the pinned document
// comes first, marked 置顶, and only once.
func pinResult(t *testing.T, b *browser, base, query string) {
	t.Helper()
	search := base + "/search?q=" + url.QueryEscape(query)
	b.navigate("search "+query, chromedp.Navigate(search))
	links := eval[[]string](b, `Array.from(document.querySelectorAll("#results .hit-title a"), a => a.getAttribute("href"))`)
	if len(links) < 2 {
		t.Fatalf("search %s: %d hits, want at least 2 to pin one that is not first", query, len(links))
	}
	doc := links[len(links)-1]
	b.navigate("open 常问与置顶", chromedp.Navigate(base+"/staff/bestbets"))
	b.do("fill in the pin form", chromedp.WaitVisible(chromedp.ID("pin-form")),
		chromedp.SendKeys(chromedp.ID("pin-query"), query), chromedp.SendKeys(chromedp.ID("pin-doc"), doc))
	b.navigate("置顶", chromedp.Click(chromedp.ID("pin-save")))
	if n := b.texts("#notice"); len(n) == 0 || !strings.Contains(n[0], "已置顶") {
		t.Fatalf("pinning %s to %s says %v (errors %v)", doc, query, n, b.texts("#form-errors li"))
	}
	if rows := b.texts("#pin-list .pin-row .query"); len(rows) != 1 || rows[0] != query {
		t.Errorf("the pin list shows queries %q, want [%s]", rows, query)
	}
	b.screenshot("bestbets", 1200)

	b.navigate("search "+query+" after the pin", chromedp.Navigate(search))
	got := eval[[]string](b, `Array.from(document.querySelectorAll("#results .hit-title a"), a => a.getAttribute("href"))`)
	if len(got) == 0 || got[0] != doc {
		t.Fatalf("after the pin the results of %s start %q, want %s", query, got, doc)
	}
	if marks := b.texts("#results li.hit.pinned .pin-mark"); len(marks) != 1 || marks[0] != "置顶" {
		t.Errorf("置顶 marks on the results: %q, want one", marks)
	}
	if first := eval[bool](b, `document.querySelector("#results > li.hit").classList.contains("pinned")`); !first {
		t.Error("the first result is not the pinned one")
	}
	for _, h := range got[1:] {
		if h == doc {
			t.Errorf("the pinned document %s appears again among the hits", doc)
		}
	}
}
