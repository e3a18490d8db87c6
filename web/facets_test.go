package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gongkai-project/gongkai/indexer"
)

func TestFacetGroupsOrderAndFold(t *testing.T) {
	var publishers []indexer.FacetCount
	for i := range 16 {
		publishers = append(publishers, indexer.FacetCount{Term: fmt.Sprintf("机构%02d", i), Count: 30 - i})
	}
	res := &indexer.Result{Facets: map[string][]indexer.FacetCount{
		"publisher": publishers,
		"category":  {{Term: "社会保障", Count: 5}, {Term: "村务公开", Count: 2}},
		"year":      {{Term: "2015", Count: 9}, {Term: "2017", Count: 4}, {Term: "2016", Count: 1}},
		"month":     {{Term: "2016-03", Count: 1}, {Term: "2016-11", Count: 1}, {Term: "2015-12", Count: 3}},
	}}
	groups := map[string]facetGroup{}
	for _, g := range facetGroups(searchForm{Q: "低保", Year: "2016"}, res) {
		groups[g.Label] = g
	}
	pub := groups["发布机构"]
	if len(pub.Items) != facetShown || len(pub.More) != 16-facetShown || pub.Items[0].Label != "机构00" {
		t.Errorf("16 publishers: %d shown, %d under 更多, first %q", len(pub.Items), len(pub.More), pub.Items[0].Label)
	}
	if cat := groups["分类"]; len(cat.Items) != 2 || cat.More != nil {
		t.Errorf("2 categories should not fold: %+v", cat)
	}
	if got := labels(groups["年份"].Items); got != "2017 2016 2015" {
		t.Errorf("years %q, want newest first", got)
	}
	month := groups["月份"]
	if got := labels(month.Items); got != "11月 3月" {
		t.Errorf("months of 2016 %q, want 11月 3月", got)
	}
	if u := month.Items[0].URL; !strings.Contains(u, "from=2016-11-01") || !strings.Contains(u, "to=2016-11-30") || !strings.Contains(u, "year=2016") {
		t.Errorf("month link %q should select 2016-11-01 to 2016-11-30 within the year", u)
	}
	if _, ok := monthFacet(searchForm{Q: "低保"}, res.Facets["month"]); ok {
		t.Error("months are offered only once a year is chosen")
	}
	if pub.Items[0].Approx || month.Items[0].Approx {
		t.Error("exact counts marked as estimates")
	}
	res.FacetsEstimated = true
	for _, g := range facetGroups(searchForm{Q: "低保", Year: "2016"}, res) {
		for _, it := range append(g.Items, g.More...) {
			if !it.Approx {
				t.Errorf("%s %s: an estimated count not marked (约)", g.Label, it.Label)
			}
		}
	}
}

func labels(items []facetItem) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return strings.Join(out, " ")
}

// TestSearchFacetsOnPhone follows the page as a phone user would: the link
// near the count leads to the facets, which lead to the months of a year.
func TestSearchFacetsOnPhone(t *testing.T) {
	f := newFixture(t, nil)
	page := wantStatus(t, f.get("/search?q="+url.QueryEscape("低保")), http.StatusOK)
	count, jump := strings.Index(page, `id="result-count"`), strings.Index(page, `id="to-facets" href="#facets"`)
	if count < 0 || jump < count || jump > strings.Index(page, `id="results"`) {
		t.Fatalf("no link to #facets between the count and the results:\n%.3000s", page)
	}
	yearURL := hrefOf(t, page, "/search?q=%e4%bd%8e%e4%bf%9d&year=2015")
	byYear := wantStatus(t, f.get(yearURL), http.StatusOK)
	if !strings.Contains(byYear, `<span class="chosen">年份：2015`) || !strings.Contains(byYear, "<h3>月份</h3>") {
		t.Fatalf("after choosing 2015 the page should name the filter and offer months:\n%.4000s", byYear)
	}
	monthURL := hrefOf(t, byYear, "from=2015-09-01&q=%e4%bd%8e%e4%bf%9d&to=2015-09-30&year=2015")
	byMonth := wantStatus(t, f.get(monthURL), http.StatusOK)
	if !strings.Contains(byMonth, `href="/doc/dibao-2015"`) || strings.Contains(byMonth, `href="/doc/yibao-2015"`) {
		t.Errorf("September 2015 should hold the 低保 list and not the March 医保 notice:\n%.4000s", byMonth)
	}
	if !strings.Contains(byMonth, `<strong aria-current="true">9月（1）</strong>`) || !strings.Contains(byMonth, "月份：2015年9月") {
		t.Errorf("the chosen month is not shown as active")
	}
}

// hrefOf returns the href of the page's link whose URL ends with suffix
// (lower case: percent escapes compare in any case).
func hrefOf(t *testing.T, page, suffix string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "a" {
			continue
		}
		for _, a := range n.Attr {
			if a.Key == "href" && strings.HasSuffix(strings.ToLower(a.Val), suffix) {
				return a.Val
			}
		}
	}
	t.Fatalf("no link ending in %s", suffix)
	return ""
}
