package indexer

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// SplitWord is a query word that no document holds whole, searched by its parts.
type SplitWord struct {
	Word  string   `json:"word"`
	Parts []string `json:"parts"`
}

// maxRelaxUnits bounds the words a relaxation chooses among (2^n subsets).
const maxRelaxUnits = 8

// relax finds what a short query that no document matches with all its words
// can still find: a word that no document holds whole is replaced by its
// parts (its gse words, else its bigrams), then the fewest words are dropped
// (bestSubset). It returns nil when nothing matches even one word.
func (ix *Index) relax(ctx context.Context, q Query, p *plan) (*Result, error) {
	n, err := ix.idx.DocCount()
	if err != nil {
		return nil, err
	}
	count := func(units []unit) (uint64, error) {
		cq := q
		cq.NoFacets, cq.After = true, nil
		res, err := ix.runBleve(ctx, cq, &plan{units: units, phrases: p.phrases, excludes: p.excludes, docNums: p.docNums}, true, 0, 0, nil)
		if err != nil {
			return 0, err
		}
		return res.Total, nil
	}
	var units []unit
	var dfs []uint64
	var split []SplitWord
	for _, u := range p.units {
		df := uint64(0)
		if len(p.units) > 1 {
			if df, err = count([]unit{u}); err != nil {
				return nil, err
			}
		}
		parts := ix.parts(u.words[0])
		if df > 0 || len(parts) == 0 {
			units, dfs = append(units, u), append(dfs, df)
			continue
		}
		split = append(split, SplitWord{Word: u.words[0], Parts: parts})
		for _, w := range parts {
			pu := unit{words: []string{w}}
			c, err := count([]unit{pu})
			if err != nil {
				return nil, err
			}
			units, dfs = append(units, pu), append(dfs, c)
		}
	}
	units, dfs = units[:min(len(units), maxRelaxUnits)], dfs[:min(len(dfs), maxRelaxUnits)]
	wdfs, err := ix.wordFreqs(units)
	if err != nil {
		return nil, err
	}
	keep, err := bestSubset(units, dfs, wdfs, n, count)
	if err != nil || keep == 0 {
		return nil, err
	}
	var kept []unit
	var dropped []string
	for i, u := range units {
		if keep&(1<<i) != 0 {
			kept = append(kept, u)
		} else {
			dropped = append(dropped, u.words[0])
		}
	}
	res, err := ix.runPlan(ctx, q, &plan{units: kept, phrases: p.phrases, excludes: p.excludes, docNums: p.docNums, expanded: p.expanded}, true)
	if err != nil || res.Total == 0 {
		return nil, err
	}
	res.Relaxed, res.Dropped, res.Split = true, dropped, split
	return res, nil
}

// wordFreqs returns, for each unit, the number of documents that hold one of
// its words whole, as a gse word of the title or body: a part found only as
// a bigram across two words (带货 in 夹带货物) counts nothing.
func (ix *Index) wordFreqs(units []unit) ([]uint64, error) {
	d, err := openDocFreqs(ix.idx)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	out := make([]uint64, len(units))
	for i, u := range units {
		for _, w := range u.words {
			for _, f := range []string{fTitle, fBody} {
				c, err := d.of(f, w)
				if err != nil {
					return nil, err
				}
				out[i] = max(out[i], c)
			}
		}
	}
	return out, nil
}

// bestSubset returns the bit set of the largest subset of units that some
// document matches (count > 0); among subsets of that size, the one with the
// rarest words, by summed idf of the documents that hold each word whole
// (wdfs; a word no document holds whole weighs nothing: it matched by
// chance, as a bigram across two words), then the one that matches the most
// documents. It returns 0 when no unit matches. A unit that matches nothing
// alone (df 0) is never tried.
func bestSubset(units []unit, dfs, wdfs []uint64, n uint64, count func([]unit) (uint64, error)) (uint, error) {
	idf := func(df uint64) float64 {
		if df == 0 {
			return 0
		}
		return math.Log(1 + float64(n)/float64(df))
	}
	var live uint
	for i, df := range dfs {
		if df > 0 || len(units) == 1 {
			live |= 1 << i
		}
	}
	for size := popcount(live); size >= 1; size-- {
		var best uint
		var bestCount uint64
		bestWeight := -1.0
		for s := uint(1); s < 1<<len(units); s++ {
			if s&^live != 0 || popcount(s) != size {
				continue
			}
			var us []unit
			w := 0.0
			for i := range units {
				if s&(1<<i) != 0 {
					us = append(us, units[i])
					w += idf(wdfs[i])
				}
			}
			c, err := subsetCount(us, s, dfs, count)
			if err != nil {
				return 0, err
			}
			if c > 0 && (w > bestWeight || (w == bestWeight && c > bestCount)) {
				best, bestCount, bestWeight = s, c, w
			}
		}
		if best != 0 {
			return best, nil
		}
	}
	return 0, nil
}

// subsetCount is count(us) for the subset s of the units, taken from dfs
// when s is a single unit whose count relax already has (dfs[i] > 0).
func subsetCount(us []unit, s uint, dfs []uint64, count func([]unit) (uint64, error)) (uint64, error) {
	if len(us) == 1 {
		for i := range dfs {
			if s == 1<<i && dfs[i] > 0 {
				return dfs[i], nil
			}
		}
	}
	return count(us)
}

func popcount(s uint) int {
	n := 0
	for ; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// appendPart appends a part of two characters or more.
func appendPart(out []string, part string) []string {
	if utf8.RuneCountInString(part) >= 2 {
		out = append(out, part)
	}
	return out
}

// parts returns the parts a word that no document holds whole is searched
// by: its gse words of two or more characters (lone characters that touch
// joined: 直播带货 is 直播 + 带货), or, for a single gse
// word, its longest sub-words (养猪户: 养猪), else its bigrams. Parts of one
// character are left out: nearly every document holds them.
func (ix *Index) parts(word string) []string {
	var top []piece
	var subs []string
	lastPos := 0
	for _, tok := range ix.words.Tokenize([]byte(word)) {
		w := string(tok.Term)
		if tok.Position == lastPos {
			subs = append(subs, w)
			continue
		}
		lastPos = tok.Position
		top = append(top, piece{text: word[tok.Start:tok.End], word: w, start: tok.Start, end: tok.End})
	}
	var out []string
	if len(top) > 1 {
		run := ""
		for i, pc := range top {
			if isLoneChar(pc) && (run == "" || top[i-1].end == pc.start) {
				run += pc.word
				continue
			}
			out, run = appendPart(out, run), ""
			if isLoneChar(pc) {
				run = pc.word
			} else {
				out = appendPart(out, pc.word)
			}
		}
		out = appendPart(out, run)
	} else {
		for _, s := range subs {
			if utf8.RuneCountInString(s) >= 2 && !slices.ContainsFunc(subs, func(o string) bool {
				return o != s && len(o) > len(s) && strings.Contains(o, s)
			}) {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		rs := []rune(word)
		for i := 0; i+2 <= len(rs) && len(rs) > 2; i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return slices.Compact(out)
}
