package bench

import (
	"context"

	"gongkai/indexer"
)

// ourSearch adapts an index to Evaluate.
func ourSearch(ix *indexer.Index) func(ctx context.Context, q string) ([]string, error) {
	return func(ctx context.Context, q string) ([]string, error) {
		res, err := ix.Search(ctx, indexer.Query{Text: q, Limit: 10})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
}
