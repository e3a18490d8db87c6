package list

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/gongkai-project/gongkai/config"
)

// Hanweb (大汉) jpage lists carry their first records as XML inside the page
// and serve later ones from a dataproxy POST.
var (
	hanwebRecordRe = regexp.MustCompile(`(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	hanwebTotalRe  = regexp.MustCompile(`(?i)(?:<totalrecord>\s*|totalrecord\s*['"]?\s*[:=]\s*['"]?)(\d+)`)
	hanwebParamRe  = regexp.MustCompile(`(?i)\b(columnid|unitid|webid|perpage|groupsize)\b\s*['"]?\s*[:=]\s*['"]?(\d+)`)
	hanwebObjRe    = regexp.MustCompile(`(?is)\b(?:ajaxParam|param)\s*:\s*\{(.*?)\}`)
	hanwebPairRe   = regexp.MustCompile(`(\w+)\s*:\s*['"]?([^,'"}\s]*)['"]?`)
	hanwebProxyRe  = regexp.MustCompile(`(?i)proxyUrl\s*:\s*['"]([^'"]+)['"]`)
)

// defaultDataProxy is where Hanweb sites answer jpage requests.
const defaultDataProxy = "/module/web/jpage/dataproxy.jsp"

// jpage is what a Hanweb list page tells about its paging.
type jpage struct {
	proxy   string     // dataproxy URL, absolute
	form    url.Values // columnid, unitid, webid and the other jpage params
	perPage int
	group   int // pages per dataproxy request
	total   int // records in the column; 0 when unknown
	first   int // the first record the dataproxy is asked for: the one after the page's own
}

// hanweb emits the page's own records, then asks the dataproxy for the
// following records, one group of pages per request.
func (k *walk) hanweb(ctx context.Context, first *listPage) error {
	more, err := k.emit(first.url.String(), config.DriverHanweb, recordLinks(first, k.match, first.text))
	if err != nil || !more {
		return err
	}
	jp, err := readJPage(first)
	if err != nil {
		return fmt.Errorf("list %s: %w", k.start, err)
	}
	start := jp.first
	for jp.total == 0 || start <= jp.total {
		proxyURL, end := jp.request(start)
		resp, err := k.w.Fetcher.Post(ctx, proxyURL, jp.form)
		if err != nil {
			return fmt.Errorf("list %s dataproxy %s: %w", k.start, proxyURL, err)
		}
		text := string(resp.Body)
		if t, _, err := resp.Text(); err == nil {
			text = t
		}
		if n := hanwebTotal(text); n > 0 {
			jp.total = n
		}
		more, err := k.emit(proxyURL, config.DriverHanweb, recordLinks(first, k.match, text))
		if err != nil || !more {
			return err
		}
		start = end + 1
	}
	return nil
}

// request is the dataproxy URL asking for the group of records from start,
// and the last record it asks for.
func (jp *jpage) request(start int) (string, int) {
	end := start + jp.perPage*jp.group - 1
	q := url.Values{"startrecord": {strconv.Itoa(start)}, "endrecord": {strconv.Itoa(end)}, "perpage": {strconv.Itoa(jp.perPage)}}
	return jp.proxy + "?" + q.Encode(), end
}

// recordLinks returns the article links of the XML records in text: per
// record, the links that pass the source's patterns (or look like articles),
// else its first same-site link.
func recordLinks(p *listPage, m matcher, text string) []string {
	var out []string
	for _, rec := range hanwebRecordRe.FindAllStringSubmatch(text, -1) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec[1]))
		if err != nil {
			continue
		}
		var all, articles []string
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			u := resolve(p.url, html.UnescapeString(a.AttrOr("href", "")))
			if u == nil {
				return
			}
			if m.article(u, p.url) {
				articles = append(articles, u.String())
			} else if len(m.patterns) == 0 && sameSite(u, p.url) {
				all = append(all, u.String())
			}
		})
		switch {
		case len(articles) > 0:
			out = append(out, articles...)
		case len(all) > 0:
			out = append(out, all[0])
		}
	}
	return dedupe(out)
}

// readJPage reads the dataproxy parameters from a Hanweb list page: the
// jpage param object, any columnid/unitid/webid/perpage values in scripts
// or links, and the proxy URL.
func readJPage(p *listPage) (*jpage, error) {
	form := url.Values{}
	if m := hanwebObjRe.FindStringSubmatch(p.text); m != nil {
		for _, kv := range hanwebPairRe.FindAllStringSubmatch(m[1], -1) {
			form.Set(kv[1], kv[2])
		}
	}
	jp := &jpage{perPage: 15, group: 3, total: hanwebTotal(p.text), first: len(hanwebRecordRe.FindAllString(p.text, -1)) + 1}
	for _, m := range hanwebParamRe.FindAllStringSubmatch(p.text, -1) {
		name := strings.ToLower(m[1])
		n, _ := strconv.Atoi(m[2])
		switch {
		case name == "perpage" && n > 0:
			jp.perPage = n
		case name == "groupsize" && n > 0:
			jp.group = n
		case name != "perpage" && name != "groupsize" && form.Get(name) == "":
			form.Set(name, m[2])
		}
	}
	for _, key := range []string{"columnid", "unitid", "webid"} {
		if form.Get(key) == "" {
			return nil, fmt.Errorf("hanweb list page %s: no %s for the dataproxy request", p.url, key)
		}
	}
	proxy := defaultDataProxy
	if m := hanwebProxyRe.FindStringSubmatch(p.text); m != nil {
		proxy = m[1]
	}
	u, err := p.url.Parse(proxy)
	if err != nil {
		return nil, fmt.Errorf("hanweb proxy URL %q: %w", proxy, err)
	}
	u.RawQuery = ""
	jp.proxy, jp.form = u.String(), form
	return jp, nil
}

func hanwebTotal(text string) int {
	if m := hanwebTotalRe.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}
