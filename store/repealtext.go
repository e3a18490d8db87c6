package store

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quotedName matches a title in 《》.
var quotedName = regexp.MustCompile(`《([^《》]{2,120})》`)

// docNumberName matches a document number as notices cite it: an issuer
// prefix, a year in brackets and a number followed by 号.
var docNumberName = regexp.MustCompile(`\p{Han}{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号`)

// repealVerb is what a notice writes of documents it repeals.
const repealVerb = "废止"

// notRepealing are words that make a sentence with 废止 not a repeal: a
// proposal, a refusal or a deferral.
var notRepealing = []string{"拟废止", "不予废止", "暂不废止", "不废止", "未废止", "建议废止", "申请废止", "提请废止", "征求意见"}

// basisWords introduce the legal basis of a decision; documents named after
// them are cited, not repealed.
var basisWords = []string{"根据", "依据", "按照", "依照", "参照", "贯彻", "落实", "遵照", "执行"}

// otherHeadings end a list of repealed documents: the lists that follow
// name documents kept, amended or expired.
var otherHeadings = []string{"继续有效", "保留", "修改", "修订", "失效"}

// RepealedNames returns what a notice names as repealed, by its title
// (关于废止《X》的决定) and its text: 《titles》 and document numbers in
// sentences that repeal (决定废止《X》（文号）, 《X》同时废止), and the
// items of a list a repealing sentence or heading introduces (决定废止下列文件：
// 1.《X》 …). Names cited as the basis (根据《Y》) are left out.
func RepealedNames(title, body string) []string {
	var out []string
	if i := strings.Index(title, repealVerb); i >= 0 && !negated(title) {
		out = append(out, namesIn(title[i:])...)
	}
	listing := false
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if listing && isListItem(line) {
			if names := namesIn(line); len(names) > 0 {
				out = append(out, names...)
				continue
			}
		}
		if isHeading(line) && len(namesIn(line)) == 0 {
			listing = strings.Contains(line, repealVerb) && !negated(line) && !containsAny(line, otherHeadings)
			continue
		}
		listing = false
		if !strings.Contains(line, repealVerb) {
			continue
		}
		for _, s := range sentences(line) {
			if !strings.Contains(s, repealVerb) || negated(s) {
				continue
			}
			out = append(out, repealedIn(s)...)
			if strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":") {
				listing = true
			}
		}
	}
	return out
}

// repealedIn returns the names a repealing sentence repeals: those of its
// clauses that hold the verb, after any basis they cite.
func repealedIn(s string) []string {
	var out []string
	if i := strings.Index(s, repealVerb); i >= 0 {
		if j := strings.IndexAny(s[i:], "：:"); j >= 0 { // 决定废止下列文件：1.《X》；2.《Y》
			out = append(out, namesIn(s[i+j:])...)
			s = s[:i+j]
		}
	}
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("，,；;", r) }) {
		if !strings.Contains(c, repealVerb) {
			continue
		}
		if i := firstIndex(c, basisWords); i >= 0 {
			if j := strings.Index(c, repealVerb); j > i {
				c = c[j:] // 根据《Y》决定废止《X》: only what follows the verb
			} else {
				continue
			}
		}
		out = append(out, namesIn(c)...)
	}
	return out
}

// namesIn returns the 《titles》 (at least four characters) and document
// numbers written in s.
func namesIn(s string) []string {
	var out []string
	if strings.Contains(s, "《") {
		for _, m := range quotedName.FindAllStringSubmatch(s, -1) {
			if utf8.RuneCountInString(m[1]) >= 4 {
				out = append(out, m[1])
			}
		}
	}
	if strings.Contains(s, "号") {
		out = append(out, docNumberName.FindAllString(s, -1)...)
	}
	return out
}

// sentences splits a line at 。！？ and keeps a closing colon on its sentence.
func sentences(line string) []string {
	return strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune("。！？!?", r) })
}

// isListItem reports whether a line starts as an item of a list: a number
// (1. 1、 （1） 一、) or the name itself.
func isListItem(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return unicode.IsDigit(r) || strings.ContainsRune("《（(一二三四五六七八九十", r)
}

// isHeading reports whether a line is a short heading (一、废止的文件).
func isHeading(line string) bool {
	return utf8.RuneCountInString(line) <= 24 && !strings.ContainsAny(line, "。，,")
}

func negated(s string) bool { return containsAny(s, notRepealing) }

func containsAny(s string, words []string) bool { return firstIndex(s, words) >= 0 }

// firstIndex is the byte offset of the first of words in s, or -1.
func firstIndex(s string, words []string) int {
	first := -1
	for _, w := range words {
		if i := strings.Index(s, w); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}

// nameKey normalises a title or document number for matching: spaces
// dropped, brackets of one kind, 第 before a number dropped.
func nameKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune("〔[［【", r):
			b.WriteRune('〔')
		case strings.ContainsRune("〕]］】", r):
			b.WriteRune('〕')
		case r == '（':
			b.WriteRune('(')
		case r == '）':
			b.WriteRune(')')
		default:
			b.WriteRune(r)
		}
	}
	k := b.String()
	if docNumberName.MatchString(s) {
		k = strings.NewReplacer("(", "〔", ")", "〕", "〕第", "〕").Replace(k)
	}
	return k
}
