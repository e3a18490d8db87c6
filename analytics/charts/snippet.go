// Package charts draws the analytics charts with go-echarts and returns them
// as HTML snippets for the web pages: a div and an inline init script that
// uses the echarts.min.js the page loads from /static/echarts.min.js (no CDN).
//
// go-echarts builds the chart options; the init script is written here rather
// than by go-echarts' template so that it can carry the page's CSP nonce and
// so that every string in the options (category and column names come from
// crawled pages) is escaped for a script context. Clicking a chart element
// opens the search page filtered to the matching documents.
package charts

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"strings"
)

// SearchPath is the web's search page; links add q, category, channel, from, to.
const SearchPath = "/search"

// EChartsPath is where gongkai serves the ECharts script the snippets need.
const EChartsPath = "/static/echarts.min.js"

// validator is a go-echarts chart whose options can be read as JSON.
type validator interface {
	Validate()
	JSON() map[string]any
}

// snippet renders the chart as a div plus an init script. links[series][item]
// is the URL a click on that element opens ("" for none); nonce, when set, is
// put on the script element for the page's Content-Security-Policy.
func snippet(id, label, height string, c validator, links [][]string, nonce string) (template.HTML, error) {
	c.Validate()
	// json.Marshal escapes <, >, & and U+2028/9, so no value can end the script.
	opt, err := json.Marshal(c.JSON())
	if err != nil {
		return "", fmt.Errorf("chart %s options: %w", id, err)
	}
	if links == nil {
		links = [][]string{}
	}
	lk, err := json.Marshal(links)
	if err != nil {
		return "", fmt.Errorf("chart %s links: %w", id, err)
	}
	idJS, _ := json.Marshal(id)
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" class="gk-chart" role="img" aria-label="%s" style="width:100%%;height:%s"></div>`,
		html.EscapeString(id), html.EscapeString(label), html.EscapeString(height))
	b.WriteString("\n<script")
	if nonce != "" {
		fmt.Fprintf(&b, ` nonce="%s"`, html.EscapeString(nonce))
	}
	fmt.Fprintf(&b, `>(function(){var el=document.getElementById(%s);if(!el){return;}`+
		`if(!window.echarts){el.textContent="图表脚本未加载（%s）";return;}`+
		`var c=echarts.init(el);c.setOption(%s);var L=%s;`+
		`c.on("click",function(p){var u=(L[p.seriesIndex]||[])[p.dataIndex];if(u){window.location.href=u;}});`+
		`window.addEventListener("resize",function(){c.resize();});})();</script>`,
		idJS, EChartsPath, opt, lk)
	return template.HTML(b.String()), nil
}
