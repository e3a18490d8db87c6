package bench

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/gongkai-project/gongkai/store"
)

// Metrics are ranking figures averaged over the queries.
type Metrics struct {
	Queries        int
	MRR10, R1, R10 float64
	ZeroHit        int
}

// Evaluate runs every query through search (which returns ranked ids) and
// scores it as ../shared/eval/score.py does: a qid that repeats names
// several relevant documents, MRR@10 counts the first of them, and Recall@k
// is the share of them in the first k.
func Evaluate(ctx context.Context, qs []Judgement, search func(ctx context.Context, q string) ([]string, error)) (Metrics, error) {
	var order []string
	text, rel := map[string]string{}, map[string]map[string]bool{}
	for _, j := range qs {
		if rel[j.QID] == nil {
			order = append(order, j.QID)
			text[j.QID], rel[j.QID] = j.Question, map[string]bool{}
		}
		rel[j.QID][j.DocID] = true
	}
	m := Metrics{Queries: len(order)}
	for _, qid := range order {
		ids, err := search(ctx, text[qid])
		if err != nil {
			return m, fmt.Errorf("query %s: %w", qid, err)
		}
		if len(ids) == 0 {
			m.ZeroHit++
		}
		docs, first := rel[qid], 0
		var in1, in10 int
		for rank, id := range ids[:min(10, len(ids))] {
			if docs[id] {
				if first == 0 {
					first = rank + 1
				}
				in10++
				if rank == 0 {
					in1++
				}
			}
		}
		if first > 0 {
			m.MRR10 += 1 / float64(first)
		}
		m.R1 += float64(in1) / float64(len(docs))
		m.R10 += float64(in10) / float64(len(docs))
	}
	if n := float64(m.Queries); n > 0 {
		m.MRR10, m.R1, m.R10 = m.MRR10/n, m.R1/n, m.R10/n
	}
	return m, nil
}

// BaselineIndex is Bleve's built-in cjk analyzer with BM25 on title and body,
// as Bleve ships it: the comparison point of the quality figures.
type BaselineIndex struct {
	idx bleve.Index
}

// NewBaseline indexes docs into a cjk/BM25 index in dir.
func NewBaseline(ctx context.Context, dir string, docs []*store.Document) (*BaselineIndex, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	m.DefaultAnalyzer = cjk.AnalyzerName
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{"title", "body"} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer, fm.IncludeInAll, fm.Store = cjk.AnalyzerName, false, false
		dm.AddFieldMappingsAt(f, fm)
	}
	m.DefaultMapping = dm
	idx, err := bleve.New(filepath.Join(dir, "baseline.bleve"), m)
	if err != nil {
		return nil, fmt.Errorf("create baseline index: %w", err)
	}
	b := idx.NewBatch()
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			idx.Close()
			return nil, err
		}
		if err := b.Index(d.ID, map[string]string{"title": d.Title, "body": d.Body}); err != nil {
			idx.Close()
			return nil, fmt.Errorf("baseline index %s: %w", d.ID, err)
		}
		if b.Size() >= 500 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return nil, fmt.Errorf("baseline batch: %w", err)
			}
			b = idx.NewBatch()
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, fmt.Errorf("baseline batch: %w", err)
	}
	return &BaselineIndex{idx: idx}, nil
}

// Search returns the top 10 ids for the question as a match query on title and body.
func (b *BaselineIndex) Search(ctx context.Context, q string) ([]string, error) {
	title := bleve.NewMatchQuery(q)
	title.SetField("title")
	body := bleve.NewMatchQuery(q)
	body.SetField("body")
	res, err := b.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(title, body), 10, 0, false))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// Close closes the baseline index.
func (b *BaselineIndex) Close() error { return b.idx.Close() }
