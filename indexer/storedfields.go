package indexer

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
)

// Bleve loads the stored fields of each hit by its id, a term lookup of
// the id in every segment before the document is read: on the 10× copy of
// ../shared/eval that was 13 % of a short query's CPU, whose title
// re-ranking needs 100 hits (RANKING.md, "Short queries on a large
// archive"). bestQuery reads them by document number instead, while it
// holds the snapshot (loadStored).

// pageDocs returns the documents of kept (in document order) that can be
// among hits [from, keep) of the collector's order by score and then id:
// those scored no higher than the from-th best.
func pageDocs(kept []scored, from int) []uint64 {
	if from >= len(kept) {
		return nil
	}
	scores := make([]float64, len(kept))
	for i, m := range kept {
		scores[i] = m.score
	}
	slices.SortFunc(scores, func(a, b float64) int { return cmp.Compare(b, a) })
	var docs []uint64
	for _, m := range kept {
		if m.score <= scores[from] {
			docs = append(docs, m.doc)
		}
	}
	return docs
}

// loadStored returns the stored fields names of documents docs (numbers in
// snap, ascending) as Bleve's LoadAndHighlightFields puts them into a hit:
// text as a string, a date formatted in its layout (RFC 3339 without one),
// a field stored several times as a slice. The mapping stores only text and
// dates; a field of another type is an error, not a hit without it.
func loadStored(snap *scorch.IndexSnapshot, docs []uint64, names []string) (map[uint64]map[string]any, error) {
	out := make(map[uint64]map[string]any, len(docs))
	segs := snap.Segments()
	var s int
	var offset uint64
	for _, doc := range docs {
		for s < len(segs) && doc >= offset+uint64(segs[s].FullSize()) {
			offset += uint64(segs[s].FullSize())
			s++
		}
		if s == len(segs) {
			return nil, fmt.Errorf("stored fields: document %d beyond the snapshot", doc)
		}
		var dm search.DocumentMatch
		var typeErr error
		err := segs[s].VisitDocument(doc-offset, func(name string, typ byte, val []byte, _ []uint64) bool {
			if !slices.Contains(names, name) {
				return true
			}
			switch typ {
			case 't':
				dm.AddFieldValue(name, string(val))
			case 'd':
				t, layout, err := document.NewDateTimeFieldFromBytes(name, nil, val).DateTime()
				if err == nil {
					dm.AddFieldValue(name, t.Format(cmp.Or(layout, time.RFC3339)))
				}
			default:
				typeErr = fmt.Errorf("stored field %s of document %d: type %q is not read here", name, doc, typ)
				return false
			}
			return true
		})
		if err == nil {
			err = typeErr
		}
		if err != nil {
			return nil, fmt.Errorf("stored fields of document %d: %w", doc, err)
		}
		out[doc] = dm.Fields
	}
	return out, nil
}
