package extract

import (
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/gongkai-project/gongkai/store"
)

// dateMetas are the <meta> names (lower-cased) that carry a page's
// publication date on the CMSs government and news sites run on, in order
// of trust: the government standard (TRS, UCAP), first-publication stamps
// of gov.cn-style templates, Hanweb's Maketime, and the news and
// WordPress-style tags.
var dateMetas = []string{
	"pubdate", "publishdate", "firstpublishedtime", "publishedtime", "maketime",
	"article:published_time", "publish_date", "publishtime", "publish-date", "pubtime",
	"datepublished", "releasedate", "og:release_date", "dc.date.issued", "dcterms.issued",
	"dc.date", "dcterms.created", "apub:time", "weibo: article:create_at", "createdate",
}

// modifiedMetas carry the last change of a page: used only when nothing
// else dates it.
var modifiedMetas = []string{"lastmodifiedtime", "article:modified_time", "og:updated_time",
	"dc.date.modified", "datemodified", "lastmodified"}

// ldDateRe finds datePublished in JSON-LD.
var ldDateRe = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]+)"`)

// dateLabelRe finds the label just before a date: a word ending in a date
// label word (…时间, …日期, 发表于, 发布…), then a colon, space or bracket.
// A word of prose ("休市时间为2021年…") is no label.
var dateLabelRe = regexp.MustCompile(`([\p{Han}]{0,4}(?:时间|日期|于|发布|发表|发文|成文|公开|更新|修改|打印|访问|抓取|浏览|录入|上传|发稿|刊发|签发))\s*[:：]?\s*[\[(（【]?\s*$`)

// maxBylineRunes is the longest line inside the body a byline date is
// read from; longer lines are prose.
const maxBylineRunes = 60

// Kinds of date labels, by what they say of the date that follows.
var (
	pubWords     = []string{"发布", "发文", "发表", "公开", "发稿", "刊发", "上传", "录入", "发帖", "出版"}
	writtenWords = []string{"成文", "生成", "产生", "签发"}
	plainWords   = []string{"日期", "时间"}
	otherWords   = []string{"更新", "修改", "打印", "访问", "抓取", "浏览", "截止", "有效期", "施行", "实施",
		"废止", "开始", "结束", "报名", "举办", "会议", "今天", "今日"}
)

// labelScore rates a date label: publication labels highest, the written
// date and bare 日期/时间 next, update, print, access and deadline stamps
// below an unlabelled date.
func labelScore(label string) float64 {
	switch {
	case label == "":
		return 0
	case containsAny(label, otherWords):
		return -8
	case containsAny(label, pubWords):
		return 6
	case containsAny(label, writtenWords):
		return 3
	case containsAny(label, plainWords):
		return 4
	}
	return 0
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// dateCand is a candidate publication date and where it came from.
type dateCand struct {
	t       time.Time
	hasTime bool
	score   float64
	label   string // the label before it, or "meta:NAME"
	line    int
}

// plausible reports whether t can be a publication date seen at now: not
// before 1949 and not more than a day after now.
func plausible(t, now time.Time) bool {
	return t.Year() >= 1949 && !t.After(now.Add(24*time.Hour))
}

// metaDate returns the first plausible date of the named metas, and the
// name it came from.
func metaDate(p *page, names []string, now time.Time) (dateCand, bool) {
	for _, name := range names {
		v := p.rawMeta[name]
		if v == "" {
			continue
		}
		if t, hasTime, ok := parseDate(v); ok && plausible(t, now) {
			return dateCand{t: t, hasTime: hasTime, label: "meta:" + name}, true
		}
	}
	return dateCand{}, false
}

// jsonLDDate reads datePublished from the page's JSON-LD blocks.
func jsonLDDate(doc *goquery.Document, now time.Time) (dateCand, bool) {
	var out dateCand
	found := false
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if m := ldDateRe.FindStringSubmatch(s.Text()); m != nil {
			if t, hasTime, ok := parseDate(m[1]); ok && plausible(t, now) {
				out, found = dateCand{t: t, hasTime: hasTime, label: "meta:datepublished"}, true
				return false
			}
		}
		return true
	})
	return out, found
}

// lineDates returns the dates of a line with the label before each; a
// word that says nothing of dates (a newspaper's name) is no label.
func lineDates(text string, line int) []dateCand {
	var out []dateCand
	prev := 0
	for _, d := range findDates(text) {
		if d.at < prev {
			continue
		}
		label := ""
		if m := dateLabelRe.FindStringSubmatch(text[prev:d.at]); m != nil && labelScore(m[1]) != 0 {
			label = m[1]
		}
		out = append(out, dateCand{t: d.t, hasTime: d.hasTime, label: label, line: line})
		prev = d.at + 1
	}
	return out
}

// textDates scores the dates printed on the page around the article: in
// the byline zone under the headline, just above it, and below the body.
// Dates inside the body text are the article's content, not its date.
func textDates(p *page, head *headline, now time.Time) []dateCand {
	bodyStart, bodyEnd := p.start[p.body], p.end[p.body]
	from, hEnd := headerFrom(p, head), headerEnd(p)
	var out []dateCand
	for i := max(0, from-2); i < min(len(p.lines), bodyEnd+footerLines); i++ {
		var near float64
		switch {
		case i >= from && i < hEnd:
			near = 5 - 0.2*float64(i-from)
		case i < from:
			near = 3 - 0.5*float64(from-i-1)
		case i >= bodyEnd-3:
			near = 1
		case i >= bodyStart:
			continue
		}
		if i >= bodyStart && runeLen(p.lines[i].text) > maxBylineRunes {
			continue
		}
		for _, c := range lineDates(p.lines[i].text, i) {
			if !plausible(c.t, now) {
				continue
			}
			c.score = near + labelScore(c.label)
			out = append(out, c)
		}
	}
	return out
}

// bestDate returns the highest-scoring candidate, the earliest on the page
// among equals.
func bestDate(cands []dateCand) (dateCand, bool) {
	best, found := dateCand{}, false
	for _, c := range cands {
		if !found || c.score > best.score {
			best, found = c, true
		}
	}
	return best, found
}

// nowBeijing is the moment extraction runs, the bound on plausible dates.
func nowBeijing() time.Time { return time.Now().In(store.Beijing) }
