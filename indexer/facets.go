package indexer

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"weak"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// Facets. Every document carries its facet values in one keyword field,
// fFacets, as "name=value" ("category=社会保障", "month=2017-03"), so a query
// visits one field's doc values per matching document instead of one per
// facet: on ../shared/eval facets cost 0.55 CPU-ms a query as five fields.
// Year counts are the sums of the month counts.

// facetSizes is how many values of each facet a result lists.
var facetSizes = map[string]int{fCategory: 30, fChannel: 10, fPublisher: 30, fYear: 30, fMonth: 36, fValidity: 5, fAttType: 10}

// facetTerms bounds the distinct values one query may count (all of them in practice).
const facetTerms = 100000

// facetValues returns the fFacets values of a document's metadata: one of
// each single-valued facet, and one for each type of its attachments.
func facetValues(m map[string]interface{}) []string {
	var out []string
	for _, f := range []string{fCategory, fChannel, fPublisher, fMonth, fValidity} {
		if v, ok := m[f].(string); ok && v != "" {
			out = append(out, f+"="+v)
		}
	}
	types, _ := m[fAttType].([]string)
	for _, t := range types {
		out = append(out, fAttType+"="+t)
	}
	return out
}

// facets returns the facet lists of Bleve's fFacets counts; empty when
// facets were not asked for.
func facets(fr search.FacetResults) map[string][]FacetCount {
	r, ok := fr[fFacets]
	if !ok {
		return map[string][]FacetCount{}
	}
	var counts []FacetCount
	if r.Terms != nil {
		for _, t := range r.Terms.Terms() {
			counts = append(counts, FacetCount{Term: t.Term, Count: t.Count})
		}
	}
	return groupFacets(counts)
}

// facetColumns keeps the facet table of the index snapshot questions last
// counted facets on: a question matches most documents, and counting its
// facets from the table costs ≈ 0.02 ms on ../shared/eval against ≈ 1 ms
// through the postings or Bleve's doc values. A table is immutable; a
// search on another snapshot (after an update or a merge) builds one and
// puts it in place.
type facetColumns struct {
	cur atomic.Pointer[facetTable]
}

// facetTable is the fFacets values of every document of one snapshot, by
// document number.
type facetTable struct {
	snap   weak.Pointer[scorch.IndexSnapshot] // weak: a closed snapshot is not kept alive
	terms  []string                           // value id - 1 → fFacets term
	width  int                                // slots per document
	values []uint32                           // width slots per document: value id, or 0
}

// facetsPerDoc is the slots a table starts with per document: the five
// single-valued facets of facetValues, the unit, and one attachment type.
// A document with more (several attachment types) widens the table.
const facetsPerDoc = 7

// unitTerm is the fFacets term of a unit, which the unit filter matches.
func unitTerm(unit string) string { return "unit=" + unit }

// count returns the facet lists of the documents of ms in snapshot r.
func (c *facetColumns) count(r index.IndexReader, ms []scored) (map[string][]FacetCount, error) {
	return c.countDocs(r, func(yield func(uint64) bool) {
		for _, m := range ms {
			if !yield(m.doc) {
				return
			}
		}
	}, uint64(len(ms)))
}

// countDocs returns the facet lists of documents docs (numbers) in snapshot
// r, the counts scaled to total documents when docs are a sample of them.
func (c *facetColumns) countDocs(r index.IndexReader, docs iter.Seq[uint64], total uint64) (map[string][]FacetCount, error) {
	t, err := c.table(r)
	if err != nil {
		return nil, err
	}
	n := make([]int, len(t.terms)+1)
	var seen uint64
	for doc := range docs {
		seen++
		if i := int(doc) * t.width; i < len(t.values) {
			for _, v := range t.values[i : i+t.width] {
				n[v]++
			}
		}
	}
	var counts []FacetCount
	for id, term := range t.terms {
		if k := n[id+1]; k > 0 {
			if seen != total {
				k = max(1, int(math.Round(float64(k)*float64(total)/float64(seen))))
			}
			counts = append(counts, FacetCount{Term: term, Count: k})
		}
	}
	return groupFacets(counts), nil
}

// table returns the facet table of snapshot r, built if it is not the one kept.
func (c *facetColumns) table(r index.IndexReader) (*facetTable, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("facets need a scorch index snapshot, not %T", r)
	}
	if t := c.cur.Load(); t != nil && t.snap == weak.Make(snap) {
		return t, nil
	}
	t, err := buildFacetTable(r)
	if err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	t.snap = weak.Make(snap)
	c.cur.Store(t)
	return t, nil
}

// buildFacetTable reads the facet table of snapshot r from the postings of fFacets.
func buildFacetTable(r index.IndexReader) (*facetTable, error) {
	dict, err := r.FieldDict(fFacets)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	t := &facetTable{width: facetsPerDoc}
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			return t, err
		}
		t.terms = append(t.terms, e.Term)
		if err := t.add(r, e.Term, uint32(len(t.terms))); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Term, err)
		}
	}
}

// add records value id for every document holding fFacets term.
func (t *facetTable) add(r index.IndexReader, term string, id uint32) error {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fFacets, false, false, false)
	if err != nil {
		return err
	}
	defer tfr.Close()
	var td index.TermFieldDoc
	for {
		next, err := tfr.Next(&td)
		if err != nil || next == nil {
			return err
		}
		doc, err := internalDoc(next.ID)
		if err != nil {
			return err
		}
		i := int(doc) * t.width
		if i >= len(t.values) {
			t.values = slices.Grow(t.values, i+t.width-len(t.values))[:i+t.width]
		}
		slot := slices.Index(t.values[i:i+t.width], 0)
		if slot < 0 {
			t.widen()
			i, slot = int(doc)*t.width, t.width-1
		}
		t.values[i+slot] = id
	}
}

// widen gives every document of t one slot more.
func (t *facetTable) widen() {
	w := t.width + 1
	docs := len(t.values) / t.width
	values := make([]uint32, docs*w)
	for d := range docs {
		copy(values[d*w:], t.values[d*t.width:(d+1)*t.width])
	}
	t.width, t.values = w, values
}

// groupFacets groups counted fFacets values by facet, most frequent first,
// each cut to its size, with the years summed from the months.
func groupFacets(counts []FacetCount) map[string][]FacetCount {
	out := make(map[string][]FacetCount, len(facetSizes))
	for f := range facetSizes {
		out[f] = []FacetCount{}
	}
	years := map[string]int{}
	for _, t := range counts {
		name, value, ok := strings.Cut(t.Term, "=")
		if _, known := facetSizes[name]; !ok || !known {
			continue
		}
		out[name] = append(out[name], FacetCount{Term: value, Count: t.Count})
		if name == fMonth && len(value) >= 4 {
			years[value[:4]] += t.Count
		}
	}
	for y, n := range years {
		out[fYear] = append(out[fYear], FacetCount{Term: y, Count: n})
	}
	for f, list := range out {
		out[f] = topFacets(list, facetSizes[f])
	}
	return out
}

// topFacets returns the k most frequent values of list, most frequent first
// and ties by term. It sorts only the values that can make the cut (a
// question's months are hundreds of values).
func topFacets(list []FacetCount, k int) []FacetCount {
	if len(list) > 2*k {
		counts := make([]int, len(list))
		for i, c := range list {
			counts[i] = c.Count
		}
		slices.Sort(counts)
		least := counts[len(counts)-k]
		list = slices.DeleteFunc(list, func(c FacetCount) bool { return c.Count < least })
	}
	slices.SortFunc(list, func(a, b FacetCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term, b.Term))
	})
	return list[:min(len(list), k)]
}
