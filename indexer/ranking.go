package indexer

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bm25K1 is BM25's term-frequency saturation: 2.0 beat Bleve's 1.2 by
// +0.004 MRR@10 on the ../shared/eval DEV questions (RANKING.md).
const bm25K1 = 2.0

// Bleve 2.6.3 keeps k1 in a package variable and offers no per-index or
// per-request setting; it is set once here, as configuration registration.
// It applies to every Bleve index of the process.
func init() {
	search.BM25_k1 = bm25K1
}

// Weights of a question (ranked by all its words), each measured on the 333
// ../shared/eval DEV questions; RANKING.md gives the figures.
const (
	wQTitleBi  = 0.5 // bigram title: 0.3-0.6 within 0.002, 0.7 loses 0.009
	wQBodyBi   = 1.0 // bigram body: the reference weight
	wQBodyGse  = 1.0 // gse words of the body: +0.015 (0.5: +0.011, 2.0: +0.010); gse title lost 0.02-0.05
	wQSynonyms = 0.2 // synonyms, added outside the disjunction: 0.6 inside lost 0.016
)

// questionQuery ranks by the question text without question words, as
// bigrams of title and body and as gse words of the body. Bleve
// scales a disjunction by the share of its clauses that matched, so
// synonyms are a separate optional clause: they add to a document's score
// without doubling that of every document holding them.
func (p *plan) questionQuery() query.Query {
	text := p.long.String()
	dis := bleve.NewDisjunctionQuery(matchField(text, fTitleBi, wQTitleBi), matchField(text, fBodyBi, wQBodyBi),
		matchField(text, fBody, wQBodyGse))
	var syns []string
	for _, u := range p.units {
		syns = append(syns, u.words[1:]...)
	}
	if len(syns) == 0 {
		return dis
	}
	st := strings.Join(syns, " ")
	b := bleve.NewBooleanQuery()
	b.AddMust(dis)
	b.AddShould(bleve.NewDisjunctionQuery(matchField(st, fTitleBi, wQTitleBi*wQSynonyms), matchField(st, fBodyBi, wQBodyBi*wQSynonyms)))
	return b
}

// textOptional says whether the text query only ranks: a question with quoted
// phrases finds the documents holding the phrases, and its other words rank
// them without being required.
func (p *plan) textOptional(all bool) bool {
	return !all && len(p.phrases) > 0
}
