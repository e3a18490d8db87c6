package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Line windows around the body in which bylines are looked for.
const (
	headerLines    = 12 // lines above the body when no headline was found
	bodySlack      = 3  // lines into the body that may still be the byline
	footerLines    = 8  // lines below the body (blog footers: "发表于 …")
	maxBylineLines = 8  // short lines at the top of the body that may be the byline
)

// extractPortal fills a from a portal or news page whose body is p.body.
// It returns the nodes inside the body that are metadata or byline rather
// than article text.
func extractPortal(p *page, a *Article, sel config.Selectors, learned Template) map[*html.Node]bool {
	for k, v := range p.meta {
		a.Meta[k] = v
	}
	head := findHeadline(p)
	if sel.Title != "" {
		if n := p.doc.Find(sel.Title).Get(0); n != nil {
			head = &headline{node: n, line: p.start[n], text: textOf(n)}
		}
	}
	skip := map[*html.Node]bool{}
	labels, tail := collectLabels(p, head, skip)
	for k, v := range labels {
		if a.Meta[k] == "" {
			a.Meta[k] = v
		}
	}
	a.Title, a.TitleFrom = chooseTitle(p, head, labels)
	if head != nil && head.node != nil && head.node != p.body && isInside(head.node, p.body) {
		skip[head.node] = true
	}
	pub, from := choosePublished(p, head, labels, sel, learned.DateLabel)
	a.Published, a.PublishedHasTime, a.PublishedFrom = pub.t, pub.hasTime, from
	if strings.HasPrefix(from, "label:") || strings.HasPrefix(from, "meta:") {
		a.dateLabel = pub.label
	}
	a.Written, _, _ = parseDate(labels[LabelWritten])
	a.Publisher = firstNonEmpty(labels[LabelPublisher], p.meta["ContentSource"], labels[LabelSource],
		bylineSource(p, head), tail[LabelSource])
	a.Author = firstNonEmpty(labels[LabelAuthor], tail[LabelAuthor], p.meta["Author"])
	for k, v := range tail {
		if a.Meta[k] == "" {
			a.Meta[k] = v
		}
	}
	a.Column = p.meta["ColumnName"]
	a.DocNumber = labels[LabelDocNumber]
	a.IndexNumber = labels[LabelIndex]
	a.Subject = labels[LabelSubject]
	a.Genre = labels[LabelGenre]
	return skip
}

// headerFrom is the first line of the zone above the body where the
// byline is looked for.
func headerFrom(p *page, head *headline) int {
	if head != nil {
		return head.line
	}
	return max(0, p.start[p.body]-headerLines)
}

// collectLabels reads the labelled values of the page: metadata-table labels
// anywhere outside the body (or in a block of them inside it), byline labels
// around the headline, and source and author credits at the end of the body
// (returned apart in tail, as they are weaker). The first non-empty value of
// a label wins. Metadata and byline blocks inside the body go into skip.
func collectLabels(p *page, head *headline, skip map[*html.Node]bool) (labels, tail map[string]string) {
	bodyStart, bodyEnd := p.start[p.body], p.end[p.body]
	from := headerFrom(p, head)
	parsed := make([][]labelled, len(p.lines))
	formalIn := map[*html.Node]int{}
	for i, l := range p.lines {
		parsed[i] = parseLabels(l.text)
		for _, lb := range parsed[i] {
			if lb.formal {
				formalIn[labelGroup(l.block)]++
			}
		}
	}
	labels, tail = map[string]string{}, map[string]string{}
	for i, ls := range parsed {
		inBody := i >= bodyStart && i < bodyEnd
		group := labelGroup(p.lines[i].block)
		inHeader := i >= from && i < headerEnd(p)
		inFooter := i >= bodyEnd-bodySlack && i < bodyEnd+footerLines
		took := false
		for _, lb := range ls {
			credit := !lb.formal && !inHeader && inFooter && (lb.label == LabelSource || lb.label == LabelAuthor)
			ok := (lb.formal && (!inBody || formalIn[group] >= 2)) || (!lb.formal && inHeader) || credit
			if !ok || lb.value == "" || !validLabelValue(lb) {
				continue
			}
			took = true
			into := labels
			if credit {
				into = tail
			}
			if into[lb.label] == "" {
				into[lb.label] = lb.value
			}
		}
		if took && inBody {
			markSkip(p, i, group, formalIn[group], skip)
		}
	}
	return labels, tail
}

// markSkip leaves a metadata block or byline line inside the body out of
// the body text.
func markSkip(p *page, i int, group *html.Node, formal int, skip map[*html.Node]bool) {
	switch {
	case formal >= 2 && group != p.body && isInside(group, p.body):
		skip[group] = true
	case p.lines[i].block != p.body && runeLen(p.lines[i].text) < 150:
		skip[p.lines[i].block] = true
	}
}

// validLabelValue rejects date labels whose value holds no date.
func validLabelValue(lb labelled) bool {
	if lb.label == LabelPublished || lb.label == LabelWritten {
		_, _, ok := parseDate(lb.value)
		return ok
	}
	return true
}

// labelGroup is the table or list a labelled line belongs to, or the line's
// own block.
func labelGroup(n *html.Node) *html.Node {
	for a := n; a != nil; a = a.Parent {
		switch a.DataAtom {
		case atom.Table, atom.Ul, atom.Ol, atom.Dl:
			return a
		case atom.Body:
			return n
		}
	}
	return n
}

// choosePublished finds the publication date and says where it came
// from: the site's date selector; the date under the label the site's
// other pages were dated by (learned); the publication metas of the common
// CMSs; the best-ranked date around the headline and below the body (by
// label, nearness and plausibility); the 信息公开 table's 发布日期; the date
// in the URL; and last a modification meta. A page with no date gets the
// zero time and "none": the fetch time is never taken for it.
func choosePublished(p *page, head *headline, labels map[string]string, sel config.Selectors, learned string) (dateCand, string) {
	now := nowBeijing()
	if sel.Date != "" {
		if t, hasTime, ok := parseDate(p.doc.Find(sel.Date).First().Text()); ok {
			return dateCand{t: t, hasTime: hasTime}, "selector"
		}
	}
	if name, ok := strings.CutPrefix(learned, "meta:"); ok {
		if c, ok := metaDate(p, []string{name}, now); ok {
			return c, c.label
		}
	}
	text := textDates(p, head, now)
	if learned != "" {
		for _, c := range text {
			if c.label == learned {
				return c, "label:" + c.label
			}
		}
	}
	if c, ok := metaDate(p, dateMetas, now); ok {
		return c, c.label
	}
	if c, ok := jsonLDDate(p.doc, now); ok {
		return c, c.label
	}
	best, ok := bestDate(text)
	if ok && best.score >= 4 {
		return best, dateSource(best)
	}
	if t, hasTime, found := parseDate(labels[LabelPublished]); found && plausible(t, now) {
		return dateCand{t: t, hasTime: hasTime, label: LabelPublished}, "label:" + LabelPublished
	}
	if ok && best.score > 0 {
		return best, dateSource(best)
	}
	if p.base != nil {
		if t, found := urlDate(p.base.Path); found && plausible(t, now) {
			return dateCand{t: t}, "url"
		}
	}
	if c, ok := metaDate(p, modifiedMetas, now); ok {
		return c, c.label
	}
	return dateCand{}, "none"
}

// dateSource names where a date printed on the page came from.
func dateSource(c dateCand) string {
	if c.label != "" {
		return "label:" + c.label
	}
	return "byline"
}

// headerEnd is the end of the byline zone: the first few lines of the body,
// extended over the short lines (subtitle, reporters, date) above its prose.
func headerEnd(p *page) int {
	i := p.start[p.body]
	for limit := i + maxBylineLines; i < limit && i < len(p.lines) && runeLen(p.lines[i].text) < 50; i++ {
	}
	return max(i+1, p.start[p.body]+bodySlack)
}

var (
	urlDateRe   = regexp.MustCompile(`(?:^|[/_t-])((?:19|20)\d{2})[-_/]?(0[1-9]|1[0-2])[-_/]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|\d{2,}|$)`)
	hanwebURLRe = regexp.MustCompile(`/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/`)
)

// urlDate reads the date from article paths such as /202101/t20210119_1.html
// or Hanweb's /art/2021/1/19/art_1_2.html.
func urlDate(path string) (time.Time, bool) {
	m := hanwebURLRe.FindStringSubmatch(path)
	if m == nil {
		m = urlDateRe.FindStringSubmatch(path)
	}
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, store.Beijing)
	if t.Day() != d || t.Month() != time.Month(mo) {
		return time.Time{}, false
	}
	return t, true
}

// bylineSource reads an unlabelled source from the byline: the short name
// after the date, as in "2005年03月21日 11:21 《理财周刊》".
func bylineSource(p *page, head *headline) string {
	for i := headerFrom(p, head); i < headerEnd(p) && i < len(p.lines); i++ {
		text := p.lines[i].text
		ds := findDates(text)
		if len(ds) == 0 {
			continue
		}
		rest := text[ds[0].at:]
		if m := dateRe.FindStringIndex(rest); m != nil && m[0] == 0 {
			rest = rest[m[1]:]
		}
		rest = strings.Trim(rest, " \t　《》[]【】()（）")
		if l := runeLen(rest); l >= 2 && l <= 20 && !strings.ContainsAny(rest, ":：|") && hasHan(rest) {
			return rest
		}
		return ""
	}
	return ""
}

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
