package charts

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// echartsFile finds the ECharts script the Makefile fetches
// (web/static/vendor/echarts.min.js under the module root), or $ECHARTS_JS.
func echartsFile(t *testing.T) string {
	if p := os.Getenv("ECHARTS_JS"); p != "" {
		return p
	}
	p := filepath.Join(shareddata.ModuleRoot(t), "web", "static", "vendor", "echarts.min.js")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	t.Skip("echarts.min.js not fetched (make build fetches it; or set ECHARTS_JS)")
	return ""
}

// TestChartsRenderInBrowser loads every snippet into headless Chromium under a
// nonce-only CSP, checks each chart drew a canvas without script errors, and
// clicks the March bar of the portal series to follow its link.
func TestChartsRenderInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	js := echartsFile(t)
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("no Chromium installed (make browser installs it)")
	}
	s15, s14 := township(t)
	const nonce = "n0nce42"
	var parts []string
	for _, build := range []func() (template.HTML, error){
		func() (template.HTML, error) { return MonthlyVolume(s15, nonce) },
		func() (template.HTML, error) { return Cumulative(s15, nonce) },
		func() (template.HTML, error) { return CategoryBreakdown(s15, nonce) },
		func() (template.HTML, error) { return CalendarHeatmap(s15, nonce) },
		func() (template.HTML, error) { return YearOverYear([]*analytics.YearStats{s14, s15}, nonce) },
	} {
		h, err := build()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, string(h))
	}
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="` + EChartsPath + `" nonce="` + nonce + `"></script></head><body style="width:900px">` +
		strings.Join(parts, "\n") + `</body></html>`
	mux := http.NewServeMux()
	mux.HandleFunc("/charts", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"'; style-src 'self' 'unsafe-inline'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	mux.HandleFunc(EChartsPath, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, js) })
	mux.HandleFunc(SearchPath, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "search page") })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Headless)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/charts"), chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.gk-chart')).filter(e => e.querySelector('canvas') && echarts.getInstanceByDom(e)).map(e => e.id)`))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	if len(drawn) != 5 {
		t.Fatalf("charts drawn: %v, want all 5", drawn)
	}
	pos, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){var el=document.getElementById('gk-monthly-2015');var c=echarts.getInstanceByDom(el);var r=el.getBoundingClientRect();var p=c.convertToPixel({seriesIndex:0},['2015-03',1]);return [r.left+p[0], r.top+p[1]-2];})()`))
	if err != nil {
		t.Fatalf("bar position: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(pos[0], pos[1]), chromedp.Sleep(800*time.Millisecond)); err != nil {
		t.Fatalf("click: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/search?channel=portal&from=2015-03-01&to=2015-03-31") {
		t.Errorf("clicking the March portal bar went to %s", loc)
	}
}
