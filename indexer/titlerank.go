package indexer

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/indexer/chinese"
)

// Title evidence of short queries, added to Bleve's score of the first
// titleWindow hits (RANKING.md, session 4). A short query names a document
// far more often than it describes one, and a government title is the name:
// a title that is nearly the query beats a longer title that merely holds it.
// The weights were chosen on one half of the short DEV queries and confirmed
// on the other; Bleve's score, divided by the best, is at most 1.
const (
	titleWindow = 100 // hits re-ranked by title evidence
	wTitleHeld  = 3.0 // share of the query's characters whose word the title holds whole
	wTitleShare = 4.0 // share of the title's characters that are the query's words (length normalisation, b = 1)
	wTitleEnds  = 0.5 // the title ends with one of the query's words (a Chinese title's head is its end)
)

// titleEvidence scores how well a title t (folded by contentFold) names the
// query's units (each a word and its alternatives, folded alike): the share
// of the query's characters whose unit t holds whole, as the word or an
// alternative (held), and the share of t's characters those words cover (share, a length normalisation that ranks 中华人民共和国公司法 above a
// longer title that holds 公司法).
func titleEvidence(t string, units [][]string) (held, share float64) {
	tn := utf8.RuneCountInString(t)
	if tn == 0 {
		return 0, 0
	}
	total, found, covered := 0, 0, 0
	for _, u := range units {
		n := utf8.RuneCountInString(u[0])
		total += n
		for _, w := range u {
			if w != "" && strings.Contains(t, w) {
				found += n
				covered += utf8.RuneCountInString(w)
				break
			}
		}
	}
	if total == 0 {
		return 0, 0
	}
	return float64(found) / float64(total), min(float64(covered)/float64(tn), 1)
}

// contentFold folds s as the bigram analyser does and keeps only letters and
// numbers, so that a title and a query compare by their text alone.
func (ix *Index) contentFold(s string) string {
	s = ix.t2s.FoldSameLength(strings.ToLower(chinese.FoldWidth(s)))
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return r
		}
		return -1
	}, s)
}

// rerankByTitle adds title evidence to the scores of hits (Bleve's order, the
// best first) and sorts them again; scores are first divided by the best, so
// that the weights mean the same for every query, and the evidence of an
// outdated document is scaled as its score was. Sort values follow the new
// scores.
func (ix *Index) rerankByTitle(hits []Hit, p *plan) {
	if len(hits) == 0 {
		return
	}
	var units [][]string // each unit's words, folded
	for _, u := range p.units {
		ws := make([]string, len(u.words))
		for i, w := range u.words {
			ws[i] = ix.contentFold(w)
		}
		units = append(units, ws)
	}
	top := hits[0].Score
	if top <= 0 {
		top = 1
	}
	for i := range hits {
		t := ix.contentFold(hits[i].Title)
		held, share := titleEvidence(t, units)
		ends := 0.0
		for _, u := range units {
			if slices.ContainsFunc(u, func(w string) bool { return w != "" && strings.HasSuffix(t, w) }) {
				ends = 1
			}
		}
		evidence := wTitleHeld*held + wTitleShare*share + wTitleEnds*ends
		if ix.outdated != 0 && slices.Contains(outdatedValues, hits[i].Validity) {
			evidence *= ix.outdated // Bleve's score is demoted already (demoted)
		}
		hits[i].Score = hits[i].Score/top + evidence
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	for i := range hits {
		if len(hits[i].Sort) == 2 {
			hits[i].Sort[0] = strconv.FormatFloat(hits[i].Score, 'g', -1, 64)
		}
	}
}
