package indexer

import (
	"context"
	"slices"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

// phraseDocs hold the bigrams of 危房改造 (危房, 房改, 改造) together, apart,
// across punctuation, in traditional characters and in full width.
var phraseDocs = []*store.Document{
	{ID: "p1", Title: "通知一", Body: "全镇推进农村危房改造工作。"},
	{ID: "p2", Title: "通知二", Body: "危房由房改办统一改造，不属本项。"}, // all bigrams, never contiguous
	{ID: "p3", Title: "通知三", Body: "排查危房，改造老旧小区。"},     // 危房 and 改造 only
	{ID: "p4", Title: "通知四", Body: "推進危房改造工程。"},        // traditional 推進, simplified phrase
	{ID: "p5", Title: "危房改造公告", Body: "见附件。"},          // in the title only
	{ID: "p6", Title: "通知六", Body: "名单：ＡＢＣ２０２０危房改造户。"}, // full-width letters before the phrase
}

func TestPhrasesAreExactWithoutBodyPositions(t *testing.T) {
	e := newEnv(t, phraseDocs)
	for q, want := range map[string][]string{
		`"危房改造"`:      {"p1", "p4", "p5", "p6"},
		`"房改办"`:       {"p2"},
		`"危房、改造"`:     {"p3"}, // any punctuation, not none
		`"ABC 2020"`:  {},     // letters touching digits are one word
		`"abc2020"`:   {"p6"}, // full width folded
		`"ABC2020危房"`: {"p6"},
		`"改造危房"`:      {},
		`改造 -"危房改造"`:  {"p2", "p3"},
		`危房 -房改办`:     {"p1", "p3", "p4", "p5", "p6"},
	} {
		got := ids(e.search(t, Query{Text: q, Limit: 100}))
		slices.Sort(got)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s: hits %v, want %v", q, got, want)
		}
	}
}

// TestPhraseCacheFollowsTheIndex pages through a phrase's results (checked
// once) and finds a document that a later sync adds.
func TestPhraseCacheFollowsTheIndex(t *testing.T) {
	e := newEnv(t, phraseDocs)
	ctx := context.Background()
	page1 := ids(e.search(t, Query{Text: `"危房改造"`, Limit: 2}))
	page2 := ids(e.search(t, Query{Text: `"危房改造"`, Limit: 2, Offset: 2}))
	if all := append(page1, page2...); len(all) != 4 || len(e.ix.phrases.ids) != 1 {
		t.Fatalf("pages %v %v, %d cached phrases; want 4 documents, 1 phrase", page1, page2, len(e.ix.phrases.ids))
	}
	if _, err := e.st.Upsert(ctx, &store.Document{ID: "p7", Title: "通知七", Body: "新增危房改造户三户。"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ix.Sync(ctx, e.st, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids(e.search(t, Query{Text: `"危房改造"`, Limit: 100})); !slices.Contains(got, "p7") {
		t.Fatalf("after the sync: %v, want p7 among them", got)
	}
}
