package analytics

import (
	"regexp"
	"strings"
	"time"
)

// Kinds of documents table 二 counts.
const (
	KindRule      = "规章"
	KindNormative = "行政规范性文件"
)

// normativeNumber matches document numbers of 行政规范性文件 as many places
// number them: a 规 before the year bracket (X政规〔2021〕1号, X规[2021]2号).
var normativeNumber = regexp.MustCompile(`规\s*[〔\[［(（]\s*\d{4}`)

// ruleNumber matches the numbers of 规章, issued as 政府令 (省人民政府令第12号).
var ruleNumber = regexp.MustCompile(`令\s*(第\s*\d+\s*号|〔\d{4}〕)`)

// docKind tells whether a record is a 规章 or a 行政规范性文件, from its genre
// (公文种类/体裁) or its document number; "" when it is neither.
func docKind(r *record) string {
	switch {
	case strings.Contains(r.genre, "规章") || ruleNumber.MatchString(r.docNumber):
		return KindRule
	case strings.Contains(r.genre, "规范性文件") || normativeNumber.MatchString(r.docNumber):
		return KindNormative
	}
	return ""
}

// repeals tells whether a document is a decision that repeals others.
func repeals(r *record) bool { return strings.Contains(r.title, "废止") }

// invalid tells whether the 有效性 value says the document no longer applies.
func invalid(validity string) bool {
	for _, w := range []string{"失效", "废止", "已修改", "无效", "已修订"} {
		if strings.Contains(validity, w) {
			return true
		}
	}
	return false
}

// DocCounts are what table 二 counts of one kind, in the national format
// (Issued, Repealed, Valid) and the 2019–2020 trial format (Made, Published, Total).
type DocCounts struct {
	DocFigures
	Made      int `json:"made"`      // 本年新制作: written in the period
	Published int `json:"published"` // 本年新公开: published in the period
	Total     int `json:"total"`     // 对外公开总数: published up to the as-of day
}

// countDocs counts the 规章 and 行政规范性文件 in the records: 制发 are those
// of the period (by written date, else published) that do not repeal others,
// 废止 the repealing decisions published in the period, 现行有效 those up to
// the as-of day that repeal nothing and whose 有效性 does not say 失效/废止.
func countDocs(recs []record, p Period, cutoff time.Time) map[string]*DocCounts {
	out := map[string]*DocCounts{KindRule: {}, KindNormative: {}}
	in := func(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) && t.Before(cutoff) }
	for i := range recs {
		r := &recs[i]
		kind := docKind(r)
		if kind == "" || r.manual || !r.published.Before(cutoff) {
			continue
		}
		c := out[kind]
		c.Total++
		issued := r.written
		if issued.IsZero() {
			issued = r.published
		}
		if in(issued) {
			c.Made++
		}
		if in(r.published) {
			c.Published++
		}
		switch {
		case repeals(r):
			if in(r.published) {
				c.Repealed++
			}
		case in(issued):
			c.Issued++
			fallthrough
		default:
			if !invalid(r.validity) {
				c.Valid++
			}
		}
	}
	return out
}
