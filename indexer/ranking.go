package indexer

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search"
)

// Weights of a question (ranked by all its words), each measured on the 333
// ../shared/eval DEV questions; RANKING.md gives the figures.
const (
	wQTitleBi  = 0.2 // bigram title, added: 0-0.3 within 0.003, 0.4: -0.005, 1.0: -0.015
	wQBodyBi   = 1.0 // bigram body: the reference weight
	wQBodyGse  = 1.0 // gse words of the body: +0.015 (0.5: +0.011, 2.0: +0.010); gse title lost 0.02-0.05
	wQSynonyms = 0.2 // synonyms, added: 0.2-0.3 as good as none; 0.6 inside the disjunction lost 0.016
)

// question returns the query that ranks by the question text without
// question words (question.go gives its tree of clauses). Bleve scales a
// disjunction by the share of its clauses that matched, which rewarded a
// title match twice; so the body (bigrams and gse words) is the disjunction,
// and the title bigrams and the synonyms are optional clauses that add to
// the score. Documents the body words miss, found by their title or by a
// synonym, come from a second branch that excludes the body matches (by
// bigrams: a gse word of the body is also its bigrams), so that the outer
// disjunction scales every hit alike. When the index holds attachment text,
// the body terms found there add to that score (weighted p.attWeight, as
// sumQuery adds them).
func (p *plan) question(stats *search.BM25Stats) *questionQuery {
	q := &questionQuery{
		bodyBi:    termGroup{field: fBodyBi, text: p.bodyBi, boost: wQBodyBi},
		bodyWords: termGroup{field: fBody, text: p.bodyWords, boost: wQBodyGse},
		title:     termGroup{field: fTitleBi, text: p.long.String(), boost: wQTitleBi},
		stats:     stats,
	}
	if p.attWeight > 0 {
		q.attBi = termGroup{field: fAttBi, text: p.bodyBi, boost: p.attWeight * wQBodyBi}
		q.attWords = termGroup{field: fAtt, text: p.bodyWords, boost: p.attWeight * wQBodyGse}
	}
	var syns []string
	for _, u := range p.units {
		syns = append(syns, u.words[1:]...)
	}
	if len(syns) > 0 {
		st := strings.Join(syns, " ")
		q.synTitle = termGroup{field: fTitleBi, text: st, boost: wQTitleBi * wQSynonyms}
		q.synBody = termGroup{field: fBodyBi, text: st, boost: wQBodyBi * wQSynonyms}
	}
	return q
}

// textOptional says whether the text query only ranks: a question with quoted
// phrases finds the documents holding the phrases, and its other words rank
// them without being required.
func (p *plan) textOptional(all bool) bool {
	return !all && len(p.phrases) > 0
}
