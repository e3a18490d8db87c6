package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/gongkai-project/gongkai/store"
)

// outdatedWeight scales the score of a document that no longer applies
// (已废止, 已失效), so that it ranks below a current document it matches
// about as well, and above one it matches clearly better. Measured on
// ../shared/eval with the repeals the store finds there (indexer/RANKING.md).
const outdatedWeight = 0.8

// outdatedValues are the validities outdatedWeight applies to.
var outdatedValues = []string{store.ValidityRepealed, store.ValidityExpired}

// demoted wraps q so that the scores of outdated documents are scaled by
// weight; q is returned as it is when weight is 0 (not set) or 1.
func demoted(q query.Query, weight float64) query.Query {
	if weight == 0 || weight == 1 {
		return q
	}
	return &demoteQuery{inner: q, weight: weight}
}

// demoteQuery scores as its inner query, times weight for outdated documents.
type demoteQuery struct {
	inner  query.Query
	weight float64
}

// Searcher returns the inner query's searcher, wrapped when the index holds
// outdated documents.
func (q *demoteQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.inner.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	docs, err := outdatedDocs(ctx, r)
	if err != nil {
		s.Close()
		return nil, err
	}
	if len(docs) == 0 {
		return s, nil
	}
	return &demoteSearcher{Searcher: s, docs: docs, weight: q.weight}, nil
}

// demoteSearcher scales the matches of its searcher that are in docs.
type demoteSearcher struct {
	search.Searcher
	docs   map[uint64]bool
	weight float64
}

func (s *demoteSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	return s.scale(dm, err)
}

func (s *demoteSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	return s.scale(dm, err)
}

func (s *demoteSearcher) scale(dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if err != nil || dm == nil {
		return dm, err
	}
	doc, err := internalDoc(dm.IndexInternalID)
	if err != nil {
		return nil, err
	}
	if s.docs[doc] {
		dm.Score *= s.weight
	}
	return dm, nil
}

// outdatedDocs returns the document numbers of the outdated documents of
// the snapshot r, read from the validity postings (few in practice).
func outdatedDocs(ctx context.Context, r index.IndexReader) (map[uint64]bool, error) {
	var out map[uint64]bool
	for _, v := range outdatedValues {
		tfr, err := r.TermFieldReader(ctx, []byte(v), fValidity, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("read %s documents: %w", v, err)
		}
		var tfd index.TermFieldDoc
		for {
			d, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return nil, fmt.Errorf("read %s documents: %w", v, err)
			}
			if d == nil {
				break
			}
			n, err := internalDoc(d.ID)
			if err != nil {
				tfr.Close()
				return nil, err
			}
			if out == nil {
				out = map[uint64]bool{}
			}
			out[n] = true
			tfd.Reset()
		}
		if err := tfr.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
