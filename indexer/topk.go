package indexer

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A short query on a large archive matches thousands of documents, and
// Bleve's collector, sorting by score and id, loads the stored id of every
// match and visits its facet values: on the 10× copy of ../shared/eval that
// was 15 % of a short DEV query's CPU and 35 % of a title substring's
// (RANKING.md, "Short queries on a large archive"). bestQuery reads the matches of its query once, counts them and
// their facets itself (from the snapshot's facet table, as a pruned question
// does), and hands the collector only the documents that can make the page.

// bestQuery matches what inner matches, with its scores, but its searcher
// returns only the keep best-scored matches and those tied with the last of
// them (the collector breaks ties by id, so the page is the same). Use it as
// the root of a request sorted by score from its first hit (no search_after),
// with no Bleve facets: Searcher records the number of matches and, when
// facets is set, their facet counts in matched.
type bestQuery struct {
	inner  query.Query
	keep   int
	facets *facetColumns
	// fields, when set, are the stored fields Searcher reads (loadStored)
	// for the hits from the from-th on, into stored, keyed by document number
	fields []string
	from   int
	stored map[uint64]map[string]any
	// lists are the postings lists the search looked up (searchCost),
	// used when they are of the snapshot searched
	lists *termPostings
	// bounds are the terms' greatest saturation per segment (nil: read afresh)
	bounds *segmentBounds
	// scratch holds the short query scorer's arrays (*shortScratch) from
	// query to query (nil: made afresh)
	scratch *sync.Pool
	// short: inner is a short query (all words required), scored from its
	// postings (pruneShort) when it has the shape shortShape reads
	short   bool
	pruned  bool             // set by Searcher: inner was scored by pruneShort
	skipped int              // set by pruneShort: matches not scored, below the page
	matched *questionMatches // set by Searcher
}

// Searcher runs inner to its end and returns a searcher over the kept matches.
func (q *bestQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if snap, ok := r.(*scorch.IndexSnapshot); ok && q.short && q.keep > 0 {
		if units := shortShape(q.inner, m); units != nil {
			kept, err := q.pruneShort(ctx, snap, units)
			if err == nil {
				q.pruned = true
				return q.searcher(r, kept)
			}
			if !errors.Is(err, errNotPrunable) {
				return nil, err
			}
		}
	}
	s, err := q.inner.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	ms, err := allMatches(ctx, s, r)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	q.matched = &questionMatches{total: uint64(len(ms))}
	if q.facets != nil {
		if q.matched.facets, err = q.facets.count(r, ms); err != nil {
			return nil, err
		}
	}
	if q.keep <= 0 { // counted only
		return &questionSearcher{norm: 1}, nil
	}
	return q.searcher(r, best(ms, q.keep, 1))
}

// searcher returns a searcher over kept, having read the stored fields of
// those that can make the page when q.fields asks for them.
func (q *bestQuery) searcher(r index.IndexReader, kept []scored) (search.Searcher, error) {
	if len(q.fields) > 0 {
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return nil, fmt.Errorf("stored fields need a scorch index snapshot, not %T", r)
		}
		var err error
		if q.stored, err = loadStored(snap, pageDocs(kept, q.from), q.fields); err != nil {
			return nil, err
		}
	}
	return &questionSearcher{matches: kept, norm: 1}, nil
}

// allMatches returns every match of s in document order with its score.
func allMatches(ctx context.Context, s search.Searcher, r index.IndexReader) ([]scored, error) {
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	var out []scored
	for {
		if len(out)%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			return out, nil
		}
		doc, err := internalDoc(dm.IndexInternalID)
		if err != nil {
			return nil, fmt.Errorf("matches: %w", err)
		}
		out = append(out, scored{doc: doc, score: dm.Score})
		sctx.DocumentMatchPool.Put(dm)
	}
}

// found is what Searcher recorded: nil when q is nil or did not run.
func (q *bestQuery) found() *questionMatches {
	if q == nil {
		return nil
	}
	return q.matched
}
