package indexer

import (
	"slices"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

// TestUnitFilter searches the documents of one unit: a short query, a
// question (which scores on its own path) and browsing without words.
func TestUnitFilter(t *testing.T) {
	docs := []*store.Document{
		{ID: "kdy-1", Unit: "康大营镇", Title: "关于公布农村低保标准的通知", Body: "全镇农村低保标准为每人每年2600元。", Channel: "portal", Published: day(2015, 1, 5)},
		{ID: "cgz-1", Unit: "城关镇", Title: "关于公布农村低保标准的通知", Body: "全镇农村低保标准为每人每年2800元。", Channel: "portal", Published: day(2015, 1, 6)},
		{ID: "cgz-2", Unit: "城关镇", Title: "城关镇开展春季植树造林", Body: "城关镇组织干部群众植树。", Channel: "wechat", Published: day(2015, 3, 12)},
		{ID: "none", Title: "农村低保申请须知", Body: "申请农村低保需要提交户口簿。", Channel: "portal", Published: day(2015, 2, 1)},
	}
	e := newEnv(t, docs)
	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{Text: "低保", Unit: "城关镇"}, []string{"cgz-1"}},
		{Query{Text: "农村低保标准是每人每年多少钱？", Unit: "康大营镇"}, []string{"kdy-1"}},
		{Query{Text: "", Unit: "城关镇"}, []string{"cgz-1", "cgz-2"}},
		{Query{Text: "低保", Unit: "柳河镇"}, nil},
		{Query{Text: "低保"}, []string{"cgz-1", "kdy-1", "none"}},
	} {
		got := ids(e.search(t, tc.q))
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q unit %q: %v, want %v", tc.q.Text, tc.q.Unit, got, tc.want)
		}
	}
}
