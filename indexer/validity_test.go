package indexer

import (
	"context"
	"slices"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

var validityDocs = []*store.Document{
	{ID: "a-old", Title: "农村低保标准调整的通知", Body: "农村低保标准调整为每人每年三千元，自发布之日起执行。", Channel: "portal", Published: day(2014, 3, 1), Validity: "失效"},
	{ID: "b-new", Title: "农村低保标准调整的通知", Body: "农村低保标准调整为每人每年三千元，自发布之日起执行。", Channel: "portal", Published: day(2014, 3, 1), Validity: "有效"},
	{ID: "c-2014", Title: "关于公布2014年农村低保标准的通知", Body: "2014年全镇农村低保标准为每人每年2400元。", Channel: "portal", Published: day(2014, 1, 6), DocNumber: "康镇政〔2014〕5号", Validity: "有效"},
	{ID: "d-2015", Title: "关于公布2015年农村低保标准的通知", Body: "2015年全镇农村低保标准为每人每年2600元。本通知自2015年1月1日起执行，《关于公布2014年农村低保标准的通知》（康镇政〔2014〕5号）同时废止。", Channel: "portal", Published: day(2015, 1, 5), DocNumber: "康镇政〔2015〕2号", Validity: "有效"},
	{ID: "e-mod", Title: "村务公开管理办法", Body: "各村每季度公开一次村务，财务收支每月公开。", Channel: "wechat", Published: day(2015, 2, 1), Validity: "已修改"},
}

// validityEnv indexes validityDocs after the store's repeal step.
func validityEnv(t *testing.T) *testEnv {
	e := newEnv(t, validityDocs)
	ctx := context.Background()
	if _, err := e.st.ApplyRepeals(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ix.Sync(ctx, e.st, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestValidityOnHitsAndFilter(t *testing.T) {
	e := validityEnv(t)
	want := map[string]string{"a-old": "已失效", "b-new": "现行有效", "c-2014": "已废止", "d-2015": "现行有效", "e-mod": "已修改"}
	all := e.search(t, Query{Text: "", Limit: 10})
	for _, h := range all.Hits {
		if h.Validity != want[h.ID] {
			t.Errorf("%s: validity %q, want %q", h.ID, h.Validity, want[h.ID])
		}
	}
	facet := map[string]int{}
	for _, c := range all.Facets["validity"] {
		facet[c.Term] = c.Count
	}
	if len(facet) != 4 || facet["现行有效"] != 2 || facet["已废止"] != 1 || facet["已失效"] != 1 || facet["已修改"] != 1 {
		t.Errorf("validity facet %v", all.Facets["validity"])
	}
	for v, wantIDs := range map[string][]string{
		"已废止": {"c-2014"}, "已失效": {"a-old"}, "现行有效": {"b-new", "d-2015"}, "已修改": {"e-mod"}, "未注明": nil,
	} {
		got := ids(e.search(t, Query{Text: "", Validity: v}))
		slices.Sort(got)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("validity=%s: %v, want %v", v, got, wantIDs)
		}
	}
	if got := ids(e.search(t, Query{Text: "低保标准", Validity: "现行有效"})); !slices.Equal(got, []string{"b-new", "d-2015"}) && !slices.Equal(got, []string{"d-2015", "b-new"}) {
		t.Errorf("低保标准 validity=现行有效: %v", got)
	}
}

// TestOutdatedRankBelowCurrent: a-old and b-new match every query equally;
// without the demotion a-old comes first (ties go by id), with it b-new
// does, on each path a query can take (short query, question pruned to its
// page, question with a filter, browsing without words).
func TestOutdatedRankBelowCurrent(t *testing.T) {
	e := validityEnv(t)
	queries := []Query{
		{Text: "农村低保标准调整"},
		{Text: "农村低保标准调整为每人每年多少钱？"},
		{Text: "农村低保标准调整为每人每年多少钱？", Channel: "portal"},
		{Text: "", Channel: "portal"},
	}
	order := func(q Query) []string {
		var out []string
		for _, id := range ids(e.search(t, q)) {
			if id == "a-old" || id == "b-new" {
				out = append(out, id)
			}
		}
		return out
	}
	for _, q := range queries {
		e.ix.outdated = 1
		if got := order(q); !slices.Equal(got, []string{"a-old", "b-new"}) {
			t.Fatalf("%+v without demotion: %v, want the tie broken by id", q, got)
		}
		e.ix.outdated = outdatedWeight
		if got := order(q); !slices.Equal(got, []string{"b-new", "a-old"}) {
			t.Errorf("%+v: %v, want the current document first", q, got)
		}
	}
	// A clearly better match stays first although repealed.
	if got := ids(e.search(t, Query{Text: "2014年农村低保标准每人每年2400元"})); len(got) == 0 || got[0] != "c-2014" {
		t.Errorf("2014年农村低保标准每人每年2400元: %v, want the repealed 2014 notice first", got)
	}
}
