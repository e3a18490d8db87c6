package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// docFreq returns the number of documents whose field holds term, as the
// postings list of the term counts them (Bleve's BM25 reads the same count).
//
// A walk over a whole field dictionary (FieldDict) reports wrong counts in
// zapx v17.2.5, which keeps the one-hit flag of the first single-document
// term for every term after it (every later count is 1 or 0).
func docFreq(idx bleve.Index, field, term string) (uint64, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}
