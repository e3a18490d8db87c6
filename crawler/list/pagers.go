package list

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"

	"github.com/PuerkitoBio/goquery"
)

// trsPagerRe matches createPageHTML(pages, current, "index", "html"); the
// first two arguments may be numbers or the names of script variables.
var trsPagerRe = regexp.MustCompile(`createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']`)

// pageLinks returns the article links of an HTML list page for this source.
func (k *walk) pageLinks(p *listPage) []string {
	return articleLinks(p, k.match, k.w.Source.Selectors.ListItem)
}

// static pages through name_1.ext, name_2.ext, ... next to the start page
// until a page is missing (404) or another stop condition holds.
func (k *walk) static(ctx context.Context, first *listPage) error {
	return k.numbered(ctx, first, config.DriverStatic, 0, func(i int) string { return staticPageURL(first, i) })
}

// staticPageURL names page i of a static list: index.html → index_i.html,
// a folder URL → folder/index_i.html.
func staticPageURL(first *listPage, i int) string {
	u := *first.url
	u.RawQuery = ""
	dir, file := path.Split(u.Path)
	ext := path.Ext(file)
	name := strings.TrimSuffix(file, ext)
	if file == "" {
		name, ext = "index", ".html"
	}
	u.Path = dir + name + "_" + strconv.Itoa(i) + ext
	return u.String()
}

// trs pages through the count that createPageHTML announces.
func (k *walk) trs(ctx context.Context, first *listPage) error {
	total, name, ext, ok := trsPager(first.text)
	if !ok {
		k.logger().Warn("no createPageHTML on TRS list page; reading one page", "url", first.url.String())
		total = 1
	}
	return k.numbered(ctx, first, config.DriverTRS, total, func(i int) string {
		u, _ := first.url.Parse(name + "_" + strconv.Itoa(i) + "." + ext)
		return u.String()
	})
}

// trsPager reads the page count, file name and extension from createPageHTML.
func trsPager(text string) (total int, name, ext string, ok bool) {
	m := trsPagerRe.FindStringSubmatch(text)
	if m == nil {
		return 0, "", "", false
	}
	total, err := strconv.Atoi(m[1])
	if err != nil {
		vm := regexp.MustCompile(`\b` + regexp.QuoteMeta(m[1]) + `\s*=\s*(\d+)`).FindStringSubmatch(text)
		if vm == nil {
			return 0, "", "", false
		}
		total, _ = strconv.Atoi(vm[1])
	}
	return total, m[3], m[4], true
}

// numbered emits the first page and then pages 1, 2, ... named by pageURL;
// total > 0 bounds the count, otherwise a missing page (404) ends the list.
func (k *walk) numbered(ctx context.Context, first *listPage, driver string, total int, pageURL func(int) string) error {
	p := first
	for i := 0; ; i++ {
		more, err := k.emit(p.url.String(), driver, k.pageLinks(p))
		if err != nil || !more || (total > 0 && i+1 >= total) {
			return err
		}
		next := pageURL(i + 1)
		p, err = k.w.load(ctx, next)
		if total == 0 && fetch.StatusOf(err) == http.StatusNotFound {
			return nil
		}
		if err != nil {
			return fmt.Errorf("list %s page %d: %w", k.start, i+1, err)
		}
	}
}

// nextLink follows the page's "下一页" link until there is none.
func (k *walk) nextLink(ctx context.Context, first *listPage) error {
	visited := map[string]bool{first.url.String(): true}
	p := first
	for {
		more, err := k.emit(p.url.String(), config.DriverNextLink, k.pageLinks(p))
		if err != nil || !more {
			return err
		}
		next := nextHref(p, k.w.Source.Selectors.Next)
		if next == "" || visited[next] {
			return nil
		}
		visited[next] = true
		if p, err = k.w.load(ctx, next); err != nil {
			return fmt.Errorf("list %s next page %s: %w", k.start, next, err)
		}
	}
}

// nextLabels are the texts of next-page links, spaces and arrows removed, lower case.
var nextLabels = map[string]bool{"下一页": true, "下页": true, "后一页": true, "next": true, "nextpage": true}

// backLabels are the texts of the links a "下一页" pager keeps on its last
// page, where the next link is gone. 尾页/last are not among them: most
// pagers show them on every page, so they say nothing about the last one.
var backLabels = map[string]bool{"上一页": true, "上页": true, "前一页": true,
	"previous": true, "prev": true, "previouspage": true}

// linkLabel is a link's text with spaces and arrows removed, lower case.
func linkLabel(a *goquery.Selection) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\r\n\u00a0\u3000>»›<«‹", r) {
			return -1
		}
		return r
	}, a.Text()))
}

// pagerArrow says whether a link is a pager arrow: its text a single rune
// of arrows (the » and « of a Bootstrap pager), or its aria-label one of labels.
func pagerArrow(a *goquery.Selection, arrows string, labels map[string]bool) bool {
	if labels[strings.ToLower(strings.ReplaceAll(a.AttrOr("aria-label", ""), " ", ""))] {
		return true
	}
	text := []rune(strings.TrimSpace(strings.Trim(a.Text(), "\u00a0\u3000")))
	return len(text) == 1 && strings.ContainsRune(arrows, text[0])
}

// backPager says whether the page links a previous or last page with a
// pager label: the last page of a list paged by "下一页" links.
func backPager(p *listPage) bool {
	found := false
	p.doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		found = (backLabels[linkLabel(a)] || pagerArrow(a, "«‹<←", backLabels)) && resolve(p.url, a.AttrOr("href", "")) != nil
		return !found
	})
	return found
}

// nextHref returns the absolute URL of the page's next-page link: the
// selector's element when set, else a[rel=next] or a link labelled 下一页/next.
func nextHref(p *listPage, sel string) string {
	var href string
	if sel == "" {
		sel = "a[href]"
	}
	p.doc.Find(sel).EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if !a.Is("a") {
			a = a.Find("a[href]").First()
		}
		label := linkLabel(a)
		if sel != "a[href]" || a.AttrOr("rel", "") == "next" || nextLabels[label] || pagerArrow(a, "»›>→", nextLabels) {
			if u := resolve(p.url, a.AttrOr("href", "")); u != nil && u.String() != p.url.String() {
				href = u.String()
				return false
			}
		}
		return true
	})
	return href
}

// newMatcher compiles a source's article URL patterns.
func newMatcher(patterns []string) (matcher, error) {
	var m matcher
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return m, fmt.Errorf("article_pattern %q: %w", p, err)
		}
		m.patterns = append(m.patterns, re)
	}
	return m, nil
}
