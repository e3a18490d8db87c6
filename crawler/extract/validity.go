package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/gongkai-project/gongkai/store"
)

// readValidity sets a.Validity from what the page states: the 有效性 label
// of its metadata table, or one written by document.write in a script (some
// CMSs write the row only when the value is not 有效, so the script holds
// it either way); a marker in the title (（已废止）); a notice about the page
// itself (此件已废止, 本文件已失效). The strongest statement wins (已废止 over
// 已失效 over 已修改 over 现行有效). A label value that is not understood is
// kept in Meta and the validity is 未注明.
func readValidity(p *page, a *Article) {
	if a.Meta[LabelValidity] == "" {
		if v := scriptValidity(p.doc); v != "" {
			a.Meta[LabelValidity] = v
		}
	}
	v, _ := store.NormalizeValidity(a.Meta[LabelValidity])
	if m := titleMarker.FindStringSubmatch(a.Title); m != nil {
		v = stronger(v, m[1])
	}
	if m := selfNotice.FindStringSubmatch(p.text); m != nil {
		v = stronger(v, m[1])
	}
	a.Validity = v
}

// validityRank orders the values from the weakest statement to the strongest.
var validityRank = map[string]int{store.ValidityUnknown: 0, store.ValidityCurrent: 1,
	store.ValidityModified: 2, store.ValidityExpired: 3, store.ValidityRepealed: 4}

// stronger returns the stronger of v and the normalised statement s.
func stronger(v, s string) string {
	n, _ := store.NormalizeValidity(s)
	if validityRank[n] > validityRank[v] {
		return n
	}
	return v
}

// titleMarker matches a validity marker in brackets in a title: （已废止）,
// 【失效】, [已修改].
var titleMarker = regexp.MustCompile(`[（(【\[［]\s*(已?废止|已?失效|已?作废|已修改|已修订)\s*[）)】\]］]`)

// selfNotice matches a notice that the page's own document no longer
// applies: 此件已废止, 本文件已于2020年1月1日失效, 该规定已被修改.
var selfNotice = regexp.MustCompile(`(?:此件|本件|该件|此文件|本文件|该文件|本文|该文|此文)[^。，,；;！]{0,20}?已[^。，,；;！]{0,16}?(废止|失效|作废|修改|修订)`)

// documentWrite matches the string literal a script passes to document.write.
var documentWrite = regexp.MustCompile(`document\.write(?:ln)?\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`)

// writtenTag matches an HTML tag inside a string a script writes.
var writtenTag = regexp.MustCompile(`<[^>]*>`)

// scriptValidity returns the 有效性 value written by document.write in the
// page's scripts, or "".
func scriptValidity(doc *goquery.Document) string {
	var out string
	doc.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		text := s.Text()
		if !strings.Contains(text, "document.write") {
			return true
		}
		for _, m := range documentWrite.FindAllStringSubmatch(text, -1) {
			lit := m[1]
			if lit[0] == '\'' { // strconv reads double-quoted literals only
				lit = `"` + strings.ReplaceAll(strings.ReplaceAll(lit[1:len(lit)-1], `\'`, `'`), `"`, `\"`) + `"`
			}
			written, err := strconv.Unquote(strings.ReplaceAll(lit, `\/`, `/`))
			if err != nil {
				continue
			}
			var cells []string
			for _, c := range strings.Split(writtenTag.ReplaceAllString(written, "\t"), "\t") {
				if c = strings.TrimSpace(c); c != "" {
					cells = append(cells, c)
				}
			}
			for _, l := range parseLabels(strings.Join(cells, "\t")) {
				if l.label == LabelValidity && l.value != "" {
					out = l.value
					return false
				}
			}
		}
		return true
	})
	return out
}
