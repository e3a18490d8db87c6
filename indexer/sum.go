package indexer

import (
	"context"
	"math"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A word of a short query is also looked up in the attachments' text, and
// what the attachments hold adds to what the page holds (RANKING.md,
// "Attachments"). That sum was first built of Bleve's queries,
// disjunction(boolean(must: page, should: att), boolean(must: att, mustNot:
// page)), so that every document matched one branch of two and all were
// scaled alike; but under a short query's conjunction it lost the
// attachments' share of some documents: Bleve 2.6.3's boolean searcher
// advances its should searcher on Advance even when that already stands at
// or past the target, and so skips the match it held. sumQuery is one
// searcher with that tree's scores and weight, which advances each side only
// when it is behind.

// sumQuery matches the documents page or att matches, scored (page + att)/2
// where page matches and att/2 where only att does: a document matching both
// adds the two, and all are halved alike (where a disjunction of the two
// would halve only the documents matching one). Its weight, which sets the
// query norm, counts att twice, as the tree above did.
type sumQuery struct {
	page, att query.Query
}

// Searcher returns the sum of page's and att's searchers.
func (q *sumQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	page, err := q.page.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	att, err := q.att.Searcher(ctx, r, m, opts)
	if err != nil {
		_ = page.Close()
		return nil, err
	}
	s := &sumSearcher{page: page, att: att}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight())) // as Bleve's composite searchers start
	return s, nil
}

// sumSearcher is sumQuery's searcher: currP and currA are the next matches
// of page and att not yet returned (nil once a side is done).
type sumSearcher struct {
	page, att    search.Searcher
	currP, currA *search.DocumentMatch
	started      bool
}

var sumSearcherSize = int(reflect.TypeOf(sumSearcher{}).Size())

func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		s.started = true
		var err error
		if s.currP, err = s.page.Next(ctx); err != nil {
			return nil, err
		}
		if s.currA, err = s.att.Next(ctx); err != nil {
			return nil, err
		}
	}
	return s.emit(ctx)
}

// Advance moves each side that stands before id to its first match at or
// after id (a side already there keeps its match) and returns the first.
func (s *sumSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	var err error
	if !s.started || (s.currP != nil && s.currP.IndexInternalID.Compare(id) < 0) {
		if s.currP != nil {
			ctx.DocumentMatchPool.Put(s.currP)
		}
		if s.currP, err = s.page.Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	if !s.started || (s.currA != nil && s.currA.IndexInternalID.Compare(id) < 0) {
		if s.currA != nil {
			ctx.DocumentMatchPool.Put(s.currA)
		}
		if s.currA, err = s.att.Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	s.started = true
	return s.emit(ctx)
}

// emit returns the first of currP and currA, scored, and moves past it.
func (s *sumSearcher) emit(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	p, a := s.currP, s.currA
	var err error
	switch {
	case p == nil && a == nil:
		return nil, nil
	case a == nil || (p != nil && p.IndexInternalID.Compare(a.IndexInternalID) < 0): // the page alone
		p.Score *= 0.5
		s.currP, err = s.page.Next(ctx)
		return p, err
	case p == nil || p.IndexInternalID.Compare(a.IndexInternalID) > 0: // the attachments alone
		a.Score *= 0.5
		s.currA, err = s.att.Next(ctx)
		return a, err
	}
	p.Score = (p.Score + a.Score) * 0.5
	p.FieldTermLocations = search.MergeFieldTermLocations(p.FieldTermLocations, []*search.DocumentMatch{a})
	ctx.DocumentMatchPool.Put(a)
	if s.currP, err = s.page.Next(ctx); err != nil {
		return nil, err
	}
	s.currA, err = s.att.Next(ctx)
	return p, err
}

// Weight counts att twice: the tree sumQuery replaces held it in both branches.
func (s *sumSearcher) Weight() float64 {
	a := s.att.Weight()
	return (s.page.Weight() + a) + a
}

func (s *sumSearcher) SetQueryNorm(norm float64) {
	s.page.SetQueryNorm(norm)
	s.att.SetQueryNorm(norm)
}

// Count is what the tree sumQuery replaces counted, which orders the
// searchers of a conjunction around it (and so the sum of their scores).
func (s *sumSearcher) Count() uint64 { return s.page.Count() + 2*s.att.Count() }
func (s *sumSearcher) Min() int      { return 0 }
func (s *sumSearcher) Size() int     { return sumSearcherSize + s.page.Size() + s.att.Size() }

func (s *sumSearcher) DocumentMatchPoolSize() int {
	return 2 + s.page.DocumentMatchPoolSize() + s.att.DocumentMatchPoolSize() // and the two matches it holds
}

func (s *sumSearcher) Close() error {
	err := s.page.Close()
	if cerr := s.att.Close(); err == nil {
		err = cerr
	}
	return err
}
