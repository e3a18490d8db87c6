package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// docFreqs reads document frequencies from one snapshot of an index, as the
// count of the term's postings list (what Bleve's BM25 uses, deleted
// documents excluded). Close it when done.
//
// A walk over a whole field dictionary (FieldDict) reports wrong counts in
// zapx v17.2.5, which keeps the one-hit flag of the first single-document
// term for every term after it (every later count is 1 or 0).
type docFreqs struct{ r index.IndexReader }

func openDocFreqs(idx bleve.Index) (*docFreqs, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("document frequencies: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("document frequencies: %w", err)
	}
	return &docFreqs{r: r}, nil
}

// of returns the number of documents whose field holds term.
func (d *docFreqs) of(field, term string) (uint64, error) {
	tfr, err := d.r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

func (d *docFreqs) Close() error { return d.r.Close() }
