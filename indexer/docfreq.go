package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// docFreqs reads document frequencies from one snapshot of an index, as the
// count of the term's postings list (what Bleve's BM25 uses, deleted
// documents excluded). Close it when done.
//
// A walk over a whole field dictionary (FieldDict) reports wrong counts in
// zapx v17.2.5, which keeps the one-hit flag of the first single-document
// term for every term after it (every later count is 1 or 0).
type docFreqs struct {
	r     index.IndexReader
	snap  *scorch.IndexSnapshot               // r, when it is scorch's: read segment by segment
	dicts map[string][]segment.TermDictionary // per field, per segment of snap
	kept  *termPostings                       // the postings lists looked up, when keeping them
}

func openDocFreqs(idx bleve.Index) (*docFreqs, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("document frequencies: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("document frequencies: %w", err)
	}
	d := &docFreqs{r: r}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		d.snap, d.dicts = snap, map[string][]segment.TermDictionary{}
	}
	return d, nil
}

// keep makes of keep the postings lists it looks up, for a scorer that
// searches the same snapshot (termPostings).
func (d *docFreqs) keep() *termPostings {
	if d.snap != nil && d.kept == nil {
		d.kept = &termPostings{snap: d.snap, lists: map[boundKey][]segment.PostingsList{}}
	}
	return d.kept
}

// of returns the number of documents whose field holds term.
func (d *docFreqs) of(field, term string) (uint64, error) {
	if d.snap == nil {
		tfr, err := d.r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
		}
		defer tfr.Close()
		return tfr.Count(), nil
	}
	segs := d.snap.Segments()
	dicts, ok := d.dicts[field]
	if !ok {
		dicts = make([]segment.TermDictionary, len(segs))
		for s, seg := range segs {
			dict, err := seg.Segment().Dictionary(field)
			if err != nil {
				return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
			}
			dicts[s] = dict
		}
		d.dicts[field] = dicts
	}
	pls := make([]segment.PostingsList, len(segs))
	var n uint64
	for s, seg := range segs {
		pl, err := dicts[s].PostingsList([]byte(term), seg.Deleted(), nil)
		if err != nil {
			return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
		}
		pls[s] = pl
		n += pl.Count()
	}
	if d.kept != nil {
		d.kept.lists[boundKey{field, term}] = pls
	}
	return n, nil
}

func (d *docFreqs) Close() error { return d.r.Close() }

// termPostings are the postings lists, per segment of one snapshot, that a
// question's document frequencies were read from (bodyTerms), so that its
// scorer, when it searches the same snapshot, does not look its terms up
// again. The snapshot is the index's current one then and the search holds
// it, so its segments are open.
type termPostings struct {
	snap  *scorch.IndexSnapshot
	lists map[boundKey][]segment.PostingsList
}

// of returns the postings lists of term in field, per segment of snap, when
// they were kept from that snapshot.
func (tp *termPostings) of(snap *scorch.IndexSnapshot, field, term string) ([]segment.PostingsList, bool) {
	if tp == nil || tp.snap != snap {
		return nil, false
	}
	pls, ok := tp.lists[boundKey{field, term}]
	return pls, ok
}
