package indexer

import (
	"strings"
	"unicode/utf8"
)

// paddingWords are question padding that gse's parts of speech and the
// question words of parse.go do not mark: what a resident adds around the
// thing sought ("低保多少钱", "去哪办").
var paddingWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`多少钱 没有 去哪 去哪里 去哪儿 在哪 在哪里 在哪儿 时候 咋办 怎么弄 咋弄 咋样 出来 知道 想问 想知道 要不要 需不需要 了吗 没 啥时候`) {
		paddingWords[w] = true
	}
}

// paddingPOS are the parts of speech of padding words: modal particles,
// auxiliaries, interjections, onomatopoeia, conjunctions, prepositions,
// pronouns and locatives (家里, 村里: where the resident is, not what is sought).
var paddingPOS = map[string]bool{"y": true, "e": true, "o": true, "c": true, "p": true, "r": true, "s": true,
	"u": true, "uj": true, "ul": true, "uz": true, "ug": true, "uv": true, "ud": true}

// askPOS are the parts of speech that mark a question: modal particles
// (吗, 呢) and the perfective 了.
var askPOS = map[string]bool{"y": true, "ul": true}

// singlePaddingPOS are parts of speech that make a lone character padding
// in a question ("发", "领", "办", "去", "太"): verbs, adverbs, numerals.
var singlePaddingPOS = map[string]bool{"v": true, "vg": true, "vn": true, "zg": true, "d": true, "dg": true, "m": true}

// asksSomething says whether text holds a question word, a modal particle,
// 了 or a padding word: then the words around what is sought are padding.
func (ix *Index) asksSomething(text string) bool {
	for _, tok := range ix.words.Tokenize([]byte(text)) {
		w := string(tok.Term)
		if askWords[w] || paddingWords[w] || askPOS[ix.words.POS(w)] {
			return true
		}
	}
	return false
}

// stripPadding drops the question padding of a query's gse words (stop
// words, padding words and parts of speech, lone verbs, adverbs and
// numerals): the words around what is sought would otherwise be required or
// joined to it.
func (ix *Index) stripPadding(pieces []piece) []piece {
	var out []piece
	for _, p := range pieces {
		if !ix.isPadding(p.word) {
			out = append(out, p)
		}
	}
	return out
}

// isPadding says whether a gse word of a question is padding.
func (ix *Index) isPadding(w string) bool {
	pos := ix.words.POS(w)
	switch {
	case askWords[w] || paddingWords[w] || questionWords[w] || askPOS[pos] || paddingPOS[pos]:
		return true
	case !isHan(w):
		return false
	case utf8.RuneCountInString(w) == 1:
		return singlePaddingPOS[pos]
	}
	return pos == "m" // 一个月, 几天
}
