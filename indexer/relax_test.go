package indexer

import (
	"slices"
	"testing"
)

// TestRelaxation: a short query that no document holds with all its words
// finds what holds most of them, and says which words it dropped or split.
func TestRelaxation(t *testing.T) {
	e := newEnv(t, testDocs)
	for _, c := range []struct {
		q       string
		hits    []string
		dropped []string
		split   []SplitWord
	}{
		// 火星 is in no document: the fewest words dropped.
		{q: "危房改造 火星", hits: []string{"d1", "d7"}, dropped: []string{"火星"}},
		// both words are found, never together: the rarer one (评议, one document) is kept.
		{q: "危房改造 评议", hits: []string{"d3"}, dropped: []string{"危房改造"}},
		// one string no document holds whole: its parts, then the part found nowhere dropped.
		{q: "危房带货", hits: []string{"d1", "d7"}, dropped: []string{"带货"},
			split: []SplitWord{{Word: "危房带货", Parts: []string{"危房", "带货"}}}},
		// a word (低保 with the suffix 户 joined) found only as its sub-word.
		{q: "低保户", hits: []string{"d3"}, split: []SplitWord{{Word: "低保户", Parts: []string{"低保"}}}},
	} {
		res := e.search(t, Query{Text: c.q})
		got := ids(res)
		slices.Sort(got)
		if !res.Relaxed || !slices.Equal(got, c.hits) || !slices.Equal(res.Dropped, c.dropped) ||
			!slices.EqualFunc(res.Split, c.split, func(a, b SplitWord) bool { return a.Word == b.Word && slices.Equal(a.Parts, b.Parts) }) {
			t.Errorf("%q: relaxed %v hits %v dropped %v split %v; want hits %v dropped %v split %v",
				c.q, res.Relaxed, got, res.Dropped, res.Split, c.hits, c.dropped, c.split)
		}
	}
	// all words found together: not relaxed; nothing found at all: nothing.
	if res := e.search(t, Query{Text: "危房改造 补助"}); res.Relaxed || res.Total != 1 {
		t.Errorf("危房改造 补助: relaxed %v total %d, want 1 hit, not relaxed", res.Relaxed, res.Total)
	}
	if res := e.search(t, Query{Text: "火星 木星"}); res.Relaxed || res.Total != 0 {
		t.Errorf("火星 木星: relaxed %v total %d, want nothing", res.Relaxed, res.Total)
	}
}
