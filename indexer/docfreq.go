package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// docFreq returns the number of documents whose field holds term.
//
// It reads a one-term dictionary range: a walk over a whole field dictionary
// (FieldDict) reports wrong counts in zapx v17.2.5, which keeps the one-hit
// flag of the first single-document term for every term after it (every
// later count is 1 or 0).
func docFreq(idx bleve.Index, field, term string) (uint64, error) {
	dict, err := idx.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
	}
	defer dict.Close()
	e, err := dict.Next()
	if err != nil {
		return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
	}
	if e == nil || e.Term != term {
		return 0, nil
	}
	return e.Count, nil
}
