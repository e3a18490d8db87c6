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

// repeals tells whether a document is a decision that repeals others
// (关于废止《…》的决定).
func repeals(r *record) bool { return strings.Contains(r.title, "废止") }

// repealKind is the kind of document a repeal decision repeals: its own kind
// when its number tells, 规章 when it names a 令 or 规章, else 行政规范性文件.
func repealKind(r *record) string {
	if k := docKind(r); k != "" {
		return k
	}
	if strings.Contains(r.title, "规章") || strings.Contains(r.title, "令") {
		return KindRule
	}
	return KindNormative
}

// quotedTitles are the normalised titles a repeal decision names in 《》.
var quoted = regexp.MustCompile(`《([^》]+)》`)

func quotedTitles(title string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(title, -1) {
		out = append(out, NormalizeTitle(m[1]))
	}
	return out
}

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

// countDocs counts the 规章 and 行政规范性文件 in the records. 制发: those
// issued in the period (written date, else published). 废止: the repeal
// decisions published in the period. 现行有效: those published up to the
// cutoff that no repeal decision up to the cutoff names in 《》 (matched by
// normalised title, or the title the document itself quotes) and, when no
// decision names them, whose 有效性 does not say 失效/废止. With unit set
// only that unit's documents and decisions are counted; a decision of any
// unit repeals a document, so the units' counts add up to the whole.
func countDocs(recs []record, p Period, cutoff time.Time, unit string) map[string]*DocCounts {
	out := map[string]*DocCounts{KindRule: {}, KindNormative: {}}
	in := func(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) && t.Before(cutoff) }
	repealed := map[string]bool{} // normalised titles named by decisions up to the cutoff
	named := map[string]bool{}    // named by any decision, whenever
	for i := range recs {
		r := &recs[i]
		if r.manual || !repeals(r) {
			continue
		}
		for _, t := range quotedTitles(r.title) {
			named[t] = true
			if r.published.Before(cutoff) {
				repealed[t] = true
			}
		}
		if in(r.published) && (unit == "" || r.unit == unit) {
			out[repealKind(r)].Repealed++
		}
	}
	for i := range recs {
		r := &recs[i]
		kind := docKind(r)
		if kind == "" || r.manual || repeals(r) || !r.published.Before(cutoff) || (unit != "" && r.unit != unit) {
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
			c.Issued++
		}
		if in(r.published) {
			c.Published++
		}
		if !anyOf(repealed, r.title) && (anyOf(named, r.title) || !invalid(r.validity)) {
			c.Valid++
		}
	}
	return out
}

// anyOf tells whether titles holds the document's title or a title it
// quotes (关于印发《X》的通知 is the document X).
func anyOf(titles map[string]bool, title string) bool {
	if titles[NormalizeTitle(title)] {
		return true
	}
	for _, t := range quotedTitles(title) {
		if titles[t] {
			return true
		}
	}
	return false
}
