package indexer

import (
	"strings"
	"unicode"

	"github.com/gongkai-project/gongkai/indexer/chinese"
)

// parsedQuery is a user query split into its parts.
type parsedQuery struct {
	text     string   // free text, width-folded and lower-cased
	phrases  []string // "quoted phrases" that must match exactly
	excludes []string // -words that must not match
}

// parseQuery splits quoted phrases ("…", “…”, 「…」) and -exclusions from the free text.
func parseQuery(raw string) parsedQuery {
	s := strings.ToLower(chinese.FoldWidth(raw))
	var pq parsedQuery
	var free strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if closer, ok := quoteCloser(r); ok {
			j := i + 1
			for j < len(rs) && rs[j] != closer {
				j++
			}
			if p := strings.TrimSpace(string(rs[i+1 : min(j, len(rs))])); p != "" {
				pq.phrases = append(pq.phrases, p)
			}
			i = j
			free.WriteByte(' ')
			continue
		}
		if r == '-' && (i == 0 || unicode.IsSpace(rs[i-1])) && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			j := i + 1
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			pq.excludes = append(pq.excludes, string(rs[i+1:j]))
			i = j - 1
			continue
		}
		free.WriteRune(r)
	}
	pq.text = strings.Join(strings.Fields(free.String()), " ")
	return pq
}

func quoteCloser(r rune) (rune, bool) {
	switch r {
	case '"':
		return '"', true
	case '“':
		return '”', true
	case '「':
		return '」', true
	case '『':
		return '』', true
	}
	return 0, false
}

// questionWords are words of questions and function words that say nothing
// about the topic; they are dropped from queries (measured: +0.01 MRR@10 on
// ../shared/eval DEV questions).
var questionWords = map[string]bool{}

// askWords are the question words proper (interrogatives and question
// particles): they mark a question and are dropped from its ranking text
// (+0.01 MRR@10 on the DEV questions; the longer list of RANKING.md: +0.00x).
var askWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`什么 什麼 哪些 哪个 哪里 哪儿 如何 怎么 怎样 怎么样 怎麼 多少 是否 吗 嗎 呢 吧 啊 呀
		请问 請問 为什么 為什麼 是不是 有没有 有沒有 能否 能不能 可不可以 可否 几 何时 何种 有何 什么样 哪 谁
		的 了 是 在 和 与 及 或 等 对 对于 关于 有 都 也 就 还 又 被 把 给 让 要 会 能 可以 需要 应该 应当
		我 我们 你 你们 他 他们 她 它 这 那 这些 那些 这个 那个 其 该 之 以 于 为 由 从 向 并 而 且
		一下 一些 哪些方面 具体 主要 相关 有关 目前 现在 已经 怎么办`) {
		questionWords[w] = true
	}
	for _, w := range strings.Fields(`什么 什麼 哪些 哪个 哪里 哪儿 如何 怎么 怎样 怎么样 怎麼 多少 是否 吗 嗎 呢 请问 請問
		为什么 為什麼 是不是 有没有 有沒有 能否 能不能 可否 有何 什么样 哪 谁 几 几个 何 何时 何种 何处 为何 哪几 哪几个
		哪种 哪天 哪年 哪家 哪方面 哪些方面 多久 多长 多长时间 什么时候 什么时间 怎么办`) {
		askWords[w] = true
		questionWords[w] = true
	}
}
