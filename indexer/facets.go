package indexer

import (
	"cmp"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search"
)

// Facets. Every document carries its facet values in one keyword field,
// fFacets, as "name=value" ("category=社会保障", "month=2017-03"), so a query
// visits one field's doc values per matching document instead of one per
// facet: on ../shared/eval facets cost 0.55 CPU-ms a query as five fields.
// Year counts are the sums of the month counts.

// facetSizes is how many values of each facet a result lists.
var facetSizes = map[string]int{fCategory: 30, fChannel: 10, fPublisher: 30, fYear: 30, fMonth: 36}

// facetTerms bounds the distinct values one query may count (all of them in practice).
const facetTerms = 100000

// facetValues returns the fFacets values of a document's metadata.
func facetValues(m map[string]interface{}) []string {
	var out []string
	for _, f := range []string{fCategory, fChannel, fPublisher, fMonth} {
		if v, ok := m[f].(string); ok && v != "" {
			out = append(out, f+"="+v)
		}
	}
	return out
}

// facets groups the counted fFacets values by facet, most frequent first,
// each cut to its size; empty when facets were not asked for.
func facets(fr search.FacetResults) map[string][]FacetCount {
	r, ok := fr[fFacets]
	if !ok {
		return map[string][]FacetCount{}
	}
	out := make(map[string][]FacetCount, len(facetSizes))
	for f := range facetSizes {
		out[f] = []FacetCount{}
	}
	years := map[string]int{}
	if r.Terms != nil {
		for _, t := range r.Terms.Terms() {
			name, value, ok := strings.Cut(t.Term, "=")
			if _, known := facetSizes[name]; !ok || !known {
				continue
			}
			out[name] = append(out[name], FacetCount{Term: value, Count: t.Count})
			if name == fMonth && len(value) >= 4 {
				years[value[:4]] += t.Count
			}
		}
	}
	for y, n := range years {
		out[fYear] = append(out[fYear], FacetCount{Term: y, Count: n})
	}
	for f, list := range out {
		slices.SortFunc(list, func(a, b FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term, b.Term))
		})
		out[f] = list[:min(len(list), facetSizes[f])]
	}
	return out
}
