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
	r    index.IndexReader
	look *termLookup   // r, when it is scorch's: read segment by segment
	kept *termPostings // the postings lists looked up, when keeping them
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
		d.look = newTermLookup(snap, nil)
	}
	return d, nil
}

// keep hands over the postings lists d looked up, for a scorer that
// searches the same snapshot (termPostings).
func (d *docFreqs) keep() *termPostings {
	if d.look != nil && d.kept == nil {
		d.kept = &termPostings{snap: d.look.snap, lists: map[boundKey][]segment.PostingsList{}}
	}
	return d.kept
}

// of returns the number of documents whose field holds term.
func (d *docFreqs) of(field, term string) (uint64, error) {
	if d.look == nil {
		tfr, err := d.r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("document frequency of %q in %s: %w", term, field, err)
		}
		defer tfr.Close()
		return tfr.Count(), nil
	}
	pls, err := d.look.postings(field, term)
	if err != nil {
		return 0, fmt.Errorf("document frequency: %w", err)
	}
	var n uint64
	for _, pl := range pls {
		n += pl.Count()
	}
	if d.kept != nil {
		d.kept.lists[boundKey{field, term}] = pls
	}
	return n, nil
}

func (d *docFreqs) Close() error { return d.r.Close() }

// termPostings are the postings lists, per segment of one snapshot, that a
// query's document frequencies were read from (a question's bodyTerms, a
// short query's searchCost), so that its scorer, when it searches the same
// snapshot, does not look its terms up again (termLookup). The snapshot is the index's current one then and the search holds
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

// termLookup looks terms up in the segments of one snapshot, each field's
// dictionaries opened once, taking the postings lists kept in lists when
// they are of that snapshot.
type termLookup struct {
	snap  *scorch.IndexSnapshot
	lists *termPostings                       // optional
	dicts map[string][]segment.TermDictionary // per field, per segment of snap
}

func newTermLookup(snap *scorch.IndexSnapshot, lists *termPostings) *termLookup {
	return &termLookup{snap: snap, lists: lists, dicts: map[string][]segment.TermDictionary{}}
}

// postings returns the postings lists of term in field, per segment of the
// snapshot, deleted documents excluded.
func (l *termLookup) postings(field, term string) ([]segment.PostingsList, error) {
	if pls, ok := l.lists.of(l.snap, field, term); ok {
		return pls, nil
	}
	segs := l.snap.Segments()
	dicts, ok := l.dicts[field]
	if !ok {
		dicts = make([]segment.TermDictionary, len(segs))
		for s, seg := range segs {
			d, err := seg.Segment().Dictionary(field)
			if err != nil {
				return nil, fmt.Errorf("dictionary of %s: %w", field, err)
			}
			dicts[s] = d
		}
		l.dicts[field] = dicts
	}
	pls := make([]segment.PostingsList, len(segs))
	for s, seg := range segs {
		pl, err := dicts[s].PostingsList([]byte(term), seg.Deleted(), nil)
		if err != nil {
			return nil, fmt.Errorf("postings of %q in %s: %w", term, field, err)
		}
		pls[s] = pl
	}
	return pls, nil
}
