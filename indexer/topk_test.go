package indexer

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

// TestBestQueryKeepsTies: a page ranked by score is cut from the matches
// bestQuery keeps, which include every match tied with the last kept one,
// so that Bleve's collector breaks the ties by id; its total and facets are
// those Bleve counts for a query sorted by date (which does not use
// bestQuery). 150 equal documents are more than the 100 a short query keeps
// for its title evidence, and their document numbers do not follow their
// ids: keeping the first 100 in document order would leave some of
// lom-000…lom-099 out of the first 100 hits.
func TestBestQueryKeepsTies(t *testing.T) {
	docs := slices.Clone(testDocs)
	for i := 149; i >= 0; i-- {
		docs = append(docs, &store.Document{ID: fmt.Sprintf("lom-%03d", i), Title: "农村危房改造补助标准", Body: "农村危房改造补助标准公告如下。",
			Category: "惠农政策", Channel: "portal", Publisher: "住建所", Published: day(2018, 1+i%12, 1)})
	}
	e := newEnv(t, docs)
	page := e.search(t, Query{Text: "危房改造补助", Limit: 5})
	var want []string
	for i := range 5 {
		want = append(want, fmt.Sprintf("lom-%03d", i))
	}
	if got := ids(page); !slices.Equal(got, want) {
		t.Errorf("first page %v, want %v (ties broken by id)", got, want)
	}
	var lom []string
	for _, id := range ids(e.search(t, Query{Text: "危房改造补助", Limit: 100})) {
		if strings.HasPrefix(id, "lom-") {
			lom = append(lom, id)
		}
	}
	for i, id := range lom {
		if want := fmt.Sprintf("lom-%03d", i); id != want || len(lom) < 99 {
			t.Fatalf("the first 100 hits hold %d equal documents, the %dth %s, want lom-000… in order", len(lom), i, id)
		}
	}
	byDate := e.search(t, Query{Text: "危房改造补助", Limit: 5, Sort: "date"})
	if page.Total != byDate.Total || page.Total < 150 {
		t.Errorf("total %d by score, %d by date, want the same and at least 150", page.Total, byDate.Total)
	}
	if !reflect.DeepEqual(page.Facets, byDate.Facets) {
		t.Errorf("facets by score %v, by date (Bleve's) %v", page.Facets, byDate.Facets)
	}
}
