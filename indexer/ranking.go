package indexer

import "github.com/blevesearch/bleve/v2/search"

// bm25K1 is BM25's term-frequency saturation: 2.0 beat Bleve's 1.2 by
// +0.004 MRR@10 on the ../shared/eval DEV questions (RANKING.md).
const bm25K1 = 2.0

// Bleve 2.6.3 keeps k1 in a package variable and offers no per-index or
// per-request setting; it is set once here, as configuration registration.
// It applies to every Bleve index of the process.
func init() {
	search.BM25_k1 = bm25K1
}
