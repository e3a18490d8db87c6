package indexer

import (
	"strings"
	"unicode/utf8"
)

// paddingWords are question padding that gse's parts of speech do not mark:
// what a resident adds around the thing sought ("低保多少钱", "去哪办").
var paddingWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`多少钱 多少 没有 有没有 去哪 去哪里 去哪儿 在哪 在哪里 在哪儿 哪里 哪儿 时候 什么时候 怎么办 咋办
		怎么弄 咋弄 怎么样 咋样 一下 出来 一些 知道 想问 想知道 请问 可以 能不能 可不可以 要不要 需不需要 需要 应该 了吗 没 啥时候`) {
		paddingWords[w] = true
	}
}

// paddingPOS are the parts of speech of padding words: modal particles,
// auxiliaries, interjections, onomatopoeia, conjunctions, prepositions and
// pronouns.
var paddingPOS = map[string]bool{"y": true, "e": true, "o": true, "c": true, "p": true, "r": true,
	"u": true, "uj": true, "ul": true, "uz": true, "ug": true, "uv": true, "ud": true}

// askPOS are the parts of speech that mark a question: modal particles
// (吗, 呢) and the perfective 了.
var askPOS = map[string]bool{"y": true, "ul": true}

// singlePaddingPOS are parts of speech that make a lone character padding
// in a question ("发", "领", "办", "去", "太"): verbs, adverbs, numerals.
var singlePaddingPOS = map[string]bool{"v": true, "vg": true, "vn": true, "zg": true, "d": true, "dg": true, "m": true}

// stripPadding drops the question padding of a query's gse words when they
// ask something (they hold a question word, a modal particle, 了 or a
// padding word): the words around what is sought would otherwise be
// required or joined to it.
func (ix *Index) stripPadding(pieces []piece) []piece {
	padding := make([]bool, len(pieces))
	asks := false
	for i, p := range pieces {
		pos := ix.words.POS(p.word)
		switch {
		case askWords[p.word] || paddingWords[p.word] || askPOS[pos]:
			padding[i], asks = true, true
		case questionWords[p.word] || paddingPOS[pos]:
			padding[i] = true
		case utf8.RuneCountInString(p.word) == 1 && isHan(p.word) && singlePaddingPOS[pos]:
			padding[i] = true
		case pos == "m" && isHan(p.word):
			padding[i] = true // 一个月, 几天
		}
	}
	if !asks {
		return pieces
	}
	var out []piece
	for i, p := range pieces {
		if !padding[i] {
			out = append(out, p)
		}
	}
	return out
}
