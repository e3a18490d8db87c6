package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 0, 0, 0, store.Beijing) }

var testDocs = []*store.Document{
	{ID: "d1", Title: "康大营镇关于2016年农村危房改造补助标准的通知", Body: "根据上级要求，现将农村危房改造补助标准公告如下：一般户每户补助一万元，贫困户每户补助两万元。", Category: "惠农政策", Channel: "portal", Publisher: "康大营镇人民政府", Published: day(2016, 3, 1), DocNumber: "康政发〔2016〕5号"},
	{ID: "d2", Title: "最低生活保障申请办理指南", Body: "申请最低生活保障，应当以家庭为单位，向户籍所在地的乡镇人民政府提出书面申请。", Category: "社会保障", Channel: "portal", Publisher: "民政办", Published: day(2016, 5, 2)},
	{ID: "d3", Title: "2016年第二季度低保评议结果公示", Body: "经村民代表评议，以下家庭纳入低保范围，公示期七天。", Category: "村务公开", Channel: "wechat", Publisher: "民政办", Published: day(2016, 6, 30)},
	{ID: "d4", Title: "城乡居民基本医疗保险缴费通知", Body: "2017年度城乡居民基本医疗保险个人缴费标准为每人每年180元，请于年底前缴纳。", Category: "社会保障", Channel: "portal", Publisher: "人社所", Published: day(2017, 1, 5)},
	{ID: "d5", Title: "国务院办公厅关于推进政务公开的意见", Body: "各省、自治区、直辖市人民政府：为进一步推进政务公开工作，现提出如下意见。", Category: "法规政策", Channel: "portal", Publisher: "国务院办公厅", Published: day(2017, 6, 8), DocNumber: "国办发〔2017〕47号"},
	{ID: "d6", Title: "環境保護工作會議召開", Body: "鎮政府召開環境保護工作會議，部署秸稈禁燒工作。", Category: "环境保护", Channel: "wechat", Publisher: "党政办", Published: day(2016, 9, 9)},
	{ID: "d7", Title: "危房改造工作进展情况", Body: "全镇危房改造任务已完成百分之八十，剩余任务年底前完成。", Category: "惠农政策", Channel: "wechat", Publisher: "党政办", Published: day(2016, 10, 10)},
}

type testEnv struct {
	st  *store.Store
	ix  *Index
	dir string
}

// storeWith opens a store in dir holding docs, closed when the test ends.
func storeWith(t testing.TB, dir string, docs []*store.Document) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return st
}

// testConfig is the configuration of the tests' indexes.
func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Search.UserDict = []string{"康大营镇"}
	return cfg
}

func newEnv(t *testing.T, docs []*store.Document) *testEnv {
	t.Helper()
	dir := t.TempDir()
	st := storeWith(t, dir, docs)
	ctx := context.Background()
	ix, err := Create(filepath.Join(dir, "index"), testConfig(), st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	return &testEnv{st: st, ix: ix, dir: dir}
}

// segmentedEnv indexes docs[:first], then the rest in a second sync, marks
// removed as removed at their source and syncs again, so the index holds
// several segments and deleted documents; it fails the test otherwise.
func segmentedEnv(t *testing.T, docs []*store.Document, first int, removed []*store.Document) *testEnv {
	t.Helper()
	e := newEnv(t, docs[:first])
	ctx := context.Background()
	if _, err := e.st.UpsertBatch(ctx, docs[first:]); err != nil {
		t.Fatal(err)
	}
	for _, d := range removed {
		if err := e.st.MarkRemoved(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.ix.Sync(ctx, e.st, nil); err != nil {
		t.Fatal(err)
	}
	if snap := snapshotOf(t, e.ix); len(snap.Segments()) < 2 {
		t.Fatalf("the test index is not in several segments (%d)", len(snap.Segments()))
	}
	return e
}

// snapshotOf returns the current snapshot of ix, closed when the test ends.
func snapshotOf(t *testing.T, ix *Index) *scorch.IndexSnapshot {
	t.Helper()
	return bleveSnapshot(t, ix.idx)
}

// bleveSnapshot returns the current scorch snapshot of idx, closed when the
// test ends.
func bleveSnapshot(t *testing.T, idx bleve.Index) *scorch.IndexSnapshot {
	t.Helper()
	snap := openSnapshot(t, idx)
	t.Cleanup(func() { snap.Close() })
	return snap
}

// openSnapshot returns the current scorch snapshot of idx, which the caller
// closes.
func openSnapshot(t *testing.T, idx bleve.Index) *scorch.IndexSnapshot {
	t.Helper()
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		t.Fatalf("the index reader is a %T, not a scorch snapshot", r)
	}
	return snap
}

func (e *testEnv) search(t *testing.T, q Query) *Result {
	t.Helper()
	res, err := e.ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func ids(res *Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchFeatures(t *testing.T) {
	e := newEnv(t, testDocs)
	cases := []struct {
		name  string
		q     Query
		first string   // expected first hit ("" = no hits expected)
		all   []string // all expected ids (order free), nil = don't check
	}{
		{"words", Query{Text: "危房改造"}, "", []string{"d1", "d7"}},
		{"synonym colloquial finds official", Query{Text: "低保申请"}, "d2", nil},
		{"synonym official finds colloquial", Query{Text: "最低生活保障评议"}, "d3", nil},
		{"synonym group 新农合", Query{Text: "新农合"}, "d4", []string{"d4"}},
		{"phrase exact", Query{Text: `"补助标准"`}, "d1", []string{"d1"}},
		{"phrase not split", Query{Text: `"标准补助"`}, "", []string{}},
		{"exclude", Query{Text: "危房改造 -补助"}, "d7", []string{"d7"}},
		{"traditional query", Query{Text: "環境保護"}, "d6", []string{"d6"}},
		{"simplified finds traditional", Query{Text: "环境保护会议"}, "d6", []string{"d6"}},
		{"doc number", Query{Text: "国办发〔2017〕47号"}, "d5", nil},
		{"doc number year form", Query{Text: "2017年47号"}, "d5", nil},
		{"pinyin full", Query{Text: "dibao"}, "", []string{"d2", "d3"}},
		{"pinyin initials", Query{Text: "wfgz"}, "", []string{"d1", "d7"}},
		{"homophone typo", Query{Text: "危房改照"}, "", []string{"d1", "d7"}},
		{"filter category", Query{Text: "危房改造", Category: "惠农政策", Channel: "wechat"}, "d7", []string{"d7"}},
		{"filter dates", Query{Text: "低保", From: day(2016, 6, 1), To: day(2016, 7, 1)}, "d3", []string{"d3"}},
		{"user dictionary word", Query{Text: "康大营镇"}, "d1", []string{"d1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.search(t, c.q)
			got := ids(res)
			if c.first != "" && (len(got) == 0 || got[0] != c.first) {
				t.Errorf("%q: hits %v, want %s first", c.q.Text, got, c.first)
			}
			if c.all != nil {
				want := slices.Clone(c.all)
				slices.Sort(want)
				g := slices.Clone(got)
				slices.Sort(g)
				if !slices.Equal(g, want) && !(len(g) == 0 && len(want) == 0) {
					t.Errorf("%q: hits %v, want %v", c.q.Text, got, c.all)
				}
			}
		})
	}
}

func TestTypoAndPinyinAreReported(t *testing.T) {
	e := newEnv(t, testDocs)
	if res := e.search(t, Query{Text: "危房改照"}); res.DidYouMean != "危房改造" {
		t.Errorf("DidYouMean = %q, want 危房改造", res.DidYouMean)
	}
	if res := e.search(t, Query{Text: "dibao"}); !slices.Contains(res.Expanded, "低保") {
		t.Errorf("Expanded = %v, want 低保", res.Expanded)
	}
	if res := e.search(t, Query{Text: "低保"}); !slices.Contains(res.Expanded, "最低生活保障") {
		t.Errorf("Expanded = %v, want 最低生活保障", res.Expanded)
	}
}

func TestSnippetMarksMatchedText(t *testing.T) {
	e := newEnv(t, testDocs)
	res := e.search(t, Query{Text: "补助标准"})
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	sn := res.Hits[0].Snippet
	if !strings.Contains(sn, "<mark>") {
		t.Fatalf("snippet %q has no mark", sn)
	}
	for _, part := range strings.Split(sn, "<mark>")[1:] {
		marked := part[:strings.Index(part, "</mark>")]
		if !strings.Contains("补助标准", marked) && !strings.Contains(marked, "补助") && !strings.Contains(marked, "标准") {
			t.Errorf("mark %q is not matched text", marked)
		}
	}
	if strings.Count(sn, "<") != 2*strings.Count(sn, "<mark>") {
		t.Errorf("snippet %q has tags other than mark", sn)
	}
}

func TestFacetsSortingPaging(t *testing.T) {
	e := newEnv(t, testDocs)
	res := e.search(t, Query{Sort: "date", Limit: 3})
	if res.Total != uint64(len(testDocs)) {
		t.Fatalf("total %d, want %d", res.Total, len(testDocs))
	}
	if got := ids(res); !slices.Equal(got, []string{"d5", "d4", "d7"}) {
		t.Errorf("by date: %v, want [d5 d4 d7]", got)
	}
	counts := map[string]int{}
	for _, f := range res.Facets["category"] {
		counts[f.Term] = f.Count
	}
	if counts["惠农政策"] != 2 || counts["社会保障"] != 2 {
		t.Errorf("category facet %v", res.Facets["category"])
	}
	if len(res.Facets["year"]) != 2 || len(res.Facets["month"]) == 0 || len(res.Facets["channel"]) != 2 || len(res.Facets["publisher"]) == 0 {
		t.Errorf("facets %v", res.Facets)
	}
	var all []string
	var after []string
	for range 5 {
		page := e.search(t, Query{Sort: "date", Limit: 2, After: after})
		if len(page.Hits) == 0 {
			break
		}
		all = append(all, ids(page)...)
		after = page.Hits[len(page.Hits)-1].Sort
	}
	byOffset := append(ids(e.search(t, Query{Sort: "date", Limit: 4})), ids(e.search(t, Query{Sort: "date", Limit: 4, Offset: 4}))...)
	if !slices.Equal(all, byOffset) || len(all) != len(testDocs) {
		t.Errorf("search_after pages %v, offset pages %v", all, byOffset)
	}
	rel := e.search(t, Query{Text: "低保", Limit: 1})
	next := e.search(t, Query{Text: "低保", Limit: 1, After: rel.Hits[0].Sort})
	if len(next.Hits) != 1 || next.Hits[0].ID == rel.Hits[0].ID {
		t.Errorf("relevance paging: first %v next %v", ids(rel), ids(next))
	}
}

func TestSyncIncrementalAndRemoval(t *testing.T) {
	e := newEnv(t, testDocs[:3])
	ctx := context.Background()
	if _, err := e.st.UpsertBatch(ctx, testDocs[3:]); err != nil {
		t.Fatal(err)
	}
	if err := e.st.MarkRemoved(ctx, "d1"); err != nil {
		t.Fatal(err)
	}
	res, err := e.ix.Sync(ctx, e.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Indexed != len(testDocs)-3 || res.Deleted != 1 {
		t.Errorf("sync stats %+v", res)
	}
	got, err := e.ix.IDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"d2", "d3", "d4", "d5", "d6", "d7"}; !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	if again, _ := e.ix.Sync(ctx, e.st, nil); again.Indexed+again.Deleted != 0 {
		t.Errorf("second sync did work: %+v", again)
	}
	if _, err := e.ix.Rebuild(ctx, e.st, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.ix.DocCount(); n != 6 {
		t.Errorf("after rebuild %d docs, want 6", n)
	}
	if r := e.search(t, Query{Text: "低保"}); r.Total == 0 {
		t.Error("no hits after rebuild")
	}
}

func TestOpenErrors(t *testing.T) {
	e := newEnv(t, testDocs[:2])
	if _, err := Open(filepath.Join(t.TempDir(), "none"), config.Default(), e.st); !errors.Is(err, ErrMissing) {
		t.Fatalf("missing index: %v, want ErrMissing", err)
	}
	path := filepath.Join(e.dir, "index")
	e.ix.Close()
	gen, err := readCurrent(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, gen, "index_meta.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, config.Default(), e.st); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("corrupt index: %v, want ErrCorrupt", err)
	}
	if err := os.WriteFile(filepath.Join(path, currentFile), []byte("gen-missing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, config.Default(), e.st); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("dangling CURRENT: %v, want ErrCorrupt", err)
	}
}

func TestSuggestAndRelated(t *testing.T) {
	e := newEnv(t, testDocs)
	ctx := context.Background()
	for _, prefix := range []string{"危房", "wfgz"} {
		got, err := e.ix.Suggest(ctx, prefix, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || !strings.Contains(got[0], "危房改造") {
			t.Errorf("Suggest(%q) = %v", prefix, got)
		}
	}
	rel, err := e.ix.Related(ctx, "d1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel) == 0 || rel[0].ID != "d7" {
		t.Errorf("Related(d1) = %v, want d7 first", rel)
	}
	if _, err := e.ix.Related(ctx, "nope", 3); err == nil {
		t.Error("Related of an unknown id did not fail")
	}
}
