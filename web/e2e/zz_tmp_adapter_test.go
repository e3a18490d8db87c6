package e2e

// TEMPORARY, never committed: indexer lacks Suggest and Related that web.Searcher needs.

import (
	"context"

	"gongkai/indexer"
)

type tmpSearcher struct{ *indexer.Index }

func (tmpSearcher) Suggest(context.Context, string, int) ([]string, error)   { return nil, nil }
func (tmpSearcher) Related(context.Context, string, int) ([]indexer.Hit, error) { return nil, nil }
