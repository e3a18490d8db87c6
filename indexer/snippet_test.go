package indexer

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// marks returns the texts inside <mark> of a snippet.
func marks(sn string) []string {
	var out []string
	for _, part := range strings.Split(sn, "<mark>")[1:] {
		out = append(out, part[:strings.Index(part, "</mark>")])
	}
	return out
}

func TestSnippetMarksFoldedText(t *testing.T) {
	e := newEnv(t, testDocs)
	cases := []struct {
		query, doc string
		want       []string // every mark must be one of these
	}{
		{"环境保护会议", "d6", []string{"環境保護", "會議", "環境保護工作會議"}}, // traditional body, simplified query
		{`"补助标准"`, "d1", []string{"补助标准"}},
		{"危房改造 -补助", "d7", []string{"危房改造"}}, // exclusions are not marked
	}
	for _, c := range cases {
		res := e.search(t, Query{Text: c.query})
		if len(res.Hits) == 0 || res.Hits[0].ID != c.doc {
			t.Fatalf("%q: hits %v, want %s first", c.query, ids(res), c.doc)
		}
		got := marks(res.Hits[0].Snippet)
		if len(got) == 0 {
			t.Fatalf("%q: snippet %q has no mark", c.query, res.Hits[0].Snippet)
		}
		for _, m := range got {
			if !contains(c.want, m) {
				t.Errorf("%q: mark %q not in %v (snippet %q)", c.query, m, c.want, res.Hits[0].Snippet)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestHighlightTermsSkipExclusions(t *testing.T) {
	e := newEnv(t, testDocs)
	must := bleve.NewMatchPhraseQuery("危房 改造")
	must.SetField(fBodyBi)
	words := bleve.NewMatchQuery("醫療")
	words.SetField(fBody)
	not := bleve.NewMatchPhraseQuery("补助")
	not.SetField(fBodyBi)
	title := bleve.NewMatchPhraseQuery("通知")
	title.SetField(fTitleBi)
	b := bleve.NewBooleanQuery()
	b.AddMust(bleve.NewDisjunctionQuery(must, words, title))
	b.AddMustNot(not)
	got := e.ix.highlightTerms(b)
	want := []string{"医疗", "危房", "改造"} // phrase pieces, folded words; no exclusion, no title
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("highlight terms %v, want %v", got, want)
	}
}

func TestNoFacets(t *testing.T) {
	e := newEnv(t, testDocs)
	with := e.search(t, Query{Text: "危房改造"})
	without := e.search(t, Query{Text: "危房改造", NoFacets: true})
	if len(with.Facets[fCategory]) == 0 {
		t.Fatalf("facets %v lack %s", with.Facets, fCategory)
	}
	if without.Facets == nil || len(without.Facets) != 0 {
		t.Fatalf("NoFacets: facets %v, want an empty map", without.Facets)
	}
	if strings.Join(ids(with), " ") != strings.Join(ids(without), " ") {
		t.Fatalf("NoFacets changed the hits: %v vs %v", ids(without), ids(with))
	}
}

func TestSingleTermPhrasesBecomeTermQueries(t *testing.T) {
	e := newEnv(t, testDocs)
	two := bleve.NewMatchPhraseQuery("低保")
	two.SetField(fTitleBi)
	two.SetBoost(0.5)
	three := bleve.NewMatchPhraseQuery("危房改")
	three.SetField(fTitleBi)
	gse := bleve.NewMatchPhraseQuery("低保")
	gse.SetField(fBody)
	q := e.ix.singleTermPhrases(bleve.NewDisjunctionQuery(two, three, gse)).(*query.DisjunctionQuery)
	tq, ok := q.Disjuncts[0].(*query.TermQuery)
	if !ok || tq.Term != "低保" || tq.FieldVal != fTitleBi || tq.BoostVal.Value() != 0.5 {
		t.Errorf("two-character phrase became %#v", q.Disjuncts[0])
	}
	if _, ok := q.Disjuncts[1].(*query.MatchPhraseQuery); !ok {
		t.Errorf("three-character phrase became %#v", q.Disjuncts[1])
	}
	if _, ok := q.Disjuncts[2].(*query.MatchPhraseQuery); !ok {
		t.Errorf("phrase on a gse field became %#v", q.Disjuncts[2])
	}
}
