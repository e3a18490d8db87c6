package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/analytics/charts"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

const (
	perPage  = 10
	maxPages = 50
)

// searchForm is the state of the public search page, kept in its URL.
type searchForm struct {
	Q, Category, Channel, Publisher, Validity, Year, Sort string
	Attachment                                            string // an attachment type (pdf, xlsx, …)
	From, To                                              string // YYYY-MM-DD, both included; they override Year
	Page                                                  int
}

// URL returns the search URL of the form with some fields replaced
// (pairs of name, value). Changing anything but the page goes back to page 1.
func (f searchForm) URL(pairs ...string) string {
	g := f
	g.Page = 1
	for i := 0; i+1 < len(pairs); i += 2 {
		switch v := pairs[i+1]; pairs[i] {
		case "q":
			g.Q = v
		case "category":
			g.Category = v
		case "channel":
			g.Channel = v
		case "publisher":
			g.Publisher = v
		case "validity":
			g.Validity = v
		case "attachment":
			g.Attachment = v
		case "year":
			g.Year = v
		case "from":
			g.From = v
		case "to":
			g.To = v
		case "sort":
			g.Sort = v
		case "page":
			g.Page, _ = strconv.Atoi(v)
		}
	}
	u := url.Values{}
	for _, kv := range [][2]string{{"q", g.Q}, {"category", g.Category}, {"channel", g.Channel},
		{"publisher", g.Publisher}, {"validity", g.Validity}, {"attachment", g.Attachment}, {"year", g.Year}, {"from", g.From}, {"to", g.To}, {"sort", g.Sort}} {
		if kv[1] != "" {
			u.Set(kv[0], kv[1])
		}
	}
	if g.Page > 1 {
		u.Set("page", strconv.Itoa(g.Page))
	}
	return charts.SearchPath + "?" + u.Encode()
}

// Filtered says whether any filter is set.
func (f searchForm) Filtered() bool {
	return f.Category != "" || f.Channel != "" || f.Publisher != "" || f.Validity != "" || f.Attachment != "" || f.Year != "" || f.Dated()
}

// Dated says whether a date range is set.
func (f searchForm) Dated() bool { return f.From != "" || f.To != "" }

type searchView struct {
	Form       searchForm
	Result     *indexer.Result // nil on the home page
	Facets     []facetGroup
	Pager      pager
	Nearby     []string // suggestions when nothing was found
	Hot        []store.QueryCount
	Topics     []string
	Categories []string
}

// handleSearch serves the home page (no query, no filter) and the results.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	form, q, err := s.parseSearchForm(r.URL.Query())
	if err != nil {
		var bad *badParam
		if errors.As(err, &bad) {
			s.errorPage(w, r, http.StatusBadRequest, bad.msg)
			return
		}
		s.serverError(w, r, "parse search form", err)
		return
	}
	v := searchView{Form: form, Topics: s.topicList(), Categories: s.cfg.Categories.List}
	if form.Q == "" && !form.Filtered() {
		v.Hot = s.hotQueries()
		s.render(w, r, http.StatusOK, "search.html", "搜索", v)
		return
	}
	res, err := s.idx.Search(r.Context(), q)
	if err == nil {
		res, err = s.withPins(r.Context(), q, res)
	}
	if err != nil {
		s.serverError(w, r, "search "+q.Text, err)
		return
	}
	if form.Q != "" && form.Page == 1 {
		s.queries.add(form.Q, int(res.Total), s.clientIP(r), time.Now()) // real time: retention counts from it
	}
	v.Result, v.Facets = res, facetGroups(form, res)
	v.Pager = newPager(form, res.Total)
	if res.Total == 0 {
		v.Nearby = s.nearby(r, form.Q)
		v.Hot = s.hotQueries()
	}
	title := form.Q
	if title == "" {
		title = "分类浏览"
	}
	s.render(w, r, http.StatusOK, "search.html", title, v)
}

// parseSearchForm reads the page parameters into the form and the query.
func (s *Server) parseSearchForm(v url.Values) (searchForm, indexer.Query, error) {
	q, err := parseFilters(v)
	if err != nil {
		return searchForm{}, q, err
	}
	f := searchForm{Q: q.Text, Category: q.Category, Channel: q.Channel, Publisher: q.Publisher,
		Validity: q.Validity, Attachment: q.Attachment, Year: v.Get("year"), Sort: q.Sort}
	if f.Page, err = intParam(v, "page", 1, 1, maxPages); err != nil {
		return f, q, err
	}
	if err := f.dates(v, &q); err != nil {
		return f, q, err
	}
	if q.Text == "" {
		q.Sort = "date" // browsing: newest first
	}
	q.Limit, q.Offset = perPage, (f.Page-1)*perPage
	return f, q, nil
}

// dates sets the query's date range from from and to (days included), or
// else from year.
func (f *searchForm) dates(v url.Values, q *indexer.Query) error {
	var err error
	f.From, f.To = v.Get("from"), v.Get("to")
	if f.Dated() {
		q.From, q.To, err = dateRange(v)
		return err
	}
	if f.Year != "" {
		y, err := yearParam(v, 0)
		if err != nil {
			return err
		}
		q.From = time.Date(y, 1, 1, 0, 0, 0, 0, store.Beijing)
		q.To = q.From.AddDate(1, 0, 0)
	}
	return nil
}

// nearby returns completions of the query, then of its first characters,
// for the no-results page.
func (s *Server) nearby(r *http.Request, q string) []string {
	runes := []rune(q)
	for n := len(runes); n >= 1 && n >= len(runes)-3; n-- {
		sug, err := s.suggest(r.Context(), string(runes[:n]), 8)
		if err != nil {
			s.log.Warn("suggest", "prefix", string(runes[:n]), "err", err)
			return nil
		}
		if len(sug) > 0 {
			return sug
		}
	}
	return nil
}

// facetGroup is one facet of the results, with links that apply or clear it.
// Long lists show their first facetShown items; the rest go to More.
type facetGroup struct {
	Label       string
	Active      string // the applied value, or ""
	ActiveLabel string // how the applied value is shown
	ClearURL    string
	Items       []facetItem
	More        []facetItem
}

type facetItem struct {
	Label  string
	Count  int
	Approx bool // Count is an estimate (Result.FacetsEstimated)
	URL    string
	Active bool
}

// facetShown is how many items a facet lists before "更多"; a list only
// folds when that hides at least facetFoldMin items.
const (
	facetShown   = 10
	facetFoldMin = 3
)

// facetFields are the facets shown, in order: indexer facet name, form field, label.
var facetFields = [][3]string{
	{"category", "category", "分类"},
	{"channel", "channel", "渠道"},
	{"publisher", "publisher", "发布机构"},
	{"validity", "validity", "有效性"},
	{"attachment_type", "attachment", "附件类型"},
	{"year", "year", "年份"},
}

// facetGroups lists the facets of the results: counts first, except years
// (newest first) and, once a year is chosen, its months (newest first).
func facetGroups(f searchForm, res *indexer.Result) []facetGroup {
	active := map[string]string{"category": f.Category, "channel": f.Channel,
		"publisher": f.Publisher, "validity": f.Validity, "attachment": f.Attachment, "year": f.Year}
	var out []facetGroup
	for _, ff := range facetFields {
		g := facetGroup{Label: ff[2], Active: active[ff[1]], ClearURL: f.URL(ff[1], "")}
		g.ActiveLabel = facetLabel(ff[1], g.Active)
		counts := res.Facets[ff[0]]
		if ff[1] == "year" {
			counts = newestFirst(counts)
		}
		for _, c := range counts {
			label := facetLabel(ff[1], c.Term)
			u := f.URL(ff[1], c.Term)
			if ff[1] == "year" {
				u = f.URL("year", c.Term, "from", "", "to", "")
			}
			g.Items = append(g.Items, facetItem{Label: label, Count: c.Count, URL: u, Active: c.Term == g.Active})
		}
		if len(g.Items) > 0 || g.Active != "" {
			out = append(out, g.folded())
		}
	}
	if g, ok := monthFacet(f, res.Facets["month"]); ok {
		out = append(out, g)
	}
	for _, g := range out {
		for _, items := range [][]facetItem{g.Items, g.More} {
			for i := range items {
				items[i].Approx = res.FacetsEstimated
			}
		}
	}
	return out
}

// folded moves the items after the first facetShown to More.
func (g facetGroup) folded() facetGroup {
	if g.Active == "" && len(g.Items) >= facetShown+facetFoldMin {
		g.Items, g.More = g.Items[:facetShown], g.Items[facetShown:]
	}
	return g
}

// facetLabel is how the page names value of the facet of form field field:
// channels by their Chinese names, attachment types in capitals (PDF).
func facetLabel(field, value string) string {
	switch field {
	case "channel":
		return store.ChannelLabel(value)
	case "attachment":
		return strings.ToUpper(value)
	}
	return value
}

// monthFacet offers the months of the chosen year as date ranges.
func monthFacet(f searchForm, counts []indexer.FacetCount) (facetGroup, bool) {
	if f.Year == "" {
		return facetGroup{}, false
	}
	g := facetGroup{Label: "月份", ClearURL: f.URL("from", "", "to", "")}
	for _, c := range newestFirst(counts) {
		start, err := time.ParseInLocation("2006-01", c.Term, store.Beijing)
		if err != nil || strconv.Itoa(start.Year()) != f.Year {
			continue
		}
		from, to := day(start), day(start.AddDate(0, 1, -1))
		it := facetItem{Label: strconv.Itoa(int(start.Month())) + "月", Count: c.Count,
			URL: f.URL("from", from, "to", to), Active: f.From == from && f.To == to}
		if it.Active {
			g.Active, g.ActiveLabel = c.Term, f.Year+"年"+it.Label
		}
		g.Items = append(g.Items, it)
	}
	return g, len(g.Items) > 0
}

// newestFirst sorts year ("2016") or month ("2016-03") counts, latest first.
func newestFirst(counts []indexer.FacetCount) []indexer.FacetCount {
	out := slices.Clone(counts)
	slices.SortFunc(out, func(a, b indexer.FacetCount) int { return strings.Compare(b.Term, a.Term) })
	return out
}

// pager is the pagination of the results.
type pager struct {
	Page, Pages      int
	PrevURL, NextURL string
	Links            []pageLink
	First, Last      int // 1-based numbers of the first and last hit shown
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

func newPager(f searchForm, total uint64) pager {
	pages := int((total + perPage - 1) / perPage)
	pages = min(pages, maxPages)
	p := pager{Page: f.Page, Pages: pages}
	if total > 0 {
		p.First = (f.Page-1)*perPage + 1
		p.Last = min(f.Page*perPage, int(min(total, uint64(maxPages*perPage))))
	}
	if f.Page > 1 {
		p.PrevURL = f.URL("page", strconv.Itoa(f.Page-1))
	}
	if f.Page < pages {
		p.NextURL = f.URL("page", strconv.Itoa(f.Page+1))
	}
	for n := max(1, f.Page-3); n <= min(pages, f.Page+3); n++ {
		p.Links = append(p.Links, pageLink{N: n, URL: f.URL("page", strconv.Itoa(n)), Current: n == f.Page})
	}
	return p
}
