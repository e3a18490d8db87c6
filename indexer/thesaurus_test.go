package indexer

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gongkai-project/gongkai/config"
)

// TestBuiltinThesaurus checks every entry of the data file: it loads, no word
// is empty or maps to itself, no word has two entries (ParseThesaurus), and
// it holds at least 500 colloquial → official pairs.
func TestBuiltinThesaurus(t *testing.T) {
	es, err := BuiltinThesaurus()
	if err != nil {
		t.Fatal(err)
	}
	pairs, words := 0, map[string]bool{}
	for _, e := range es {
		if err := CheckEntry(e.Word, e.Official); err != nil {
			t.Error(err)
		}
		if words[e.Word] {
			t.Errorf("%q has two entries", e.Word)
		}
		words[e.Word] = true
		pairs += len(e.Official)
	}
	directed := 0
	for _, line := range strings.Split(builtinThesaurus, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") && strings.Contains(l, ">") {
			_, right, _ := strings.Cut(l, ">")
			directed += strings.Count(right, "|") + 1
		}
	}
	t.Logf("%d entries, %d word → word pairs, %d of them colloquial → official lines' pairs", len(es), pairs, directed)
	if directed < 500 {
		t.Errorf("%d colloquial → official pairs, want at least 500", directed)
	}
}

func TestParseThesaurusErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"看病贵 > ", "line 1: empty word"},
		{" > 医疗救助", "line 1: 词语为空"},
		{"低保 > 低保", "对应它自己"},
		{"低保 > 最低生活保障 | 最低生活保障", "twice"},
		{"a > b\n\na > c", `line 3: "a" already has an entry (line 1)`},
		{"a = b\nb = c", `line 2: "b" already has an entry`},
		{"a = b\na > c", `line 2: "a" already has an entry`},
		{"低保", "line 1: want"},
		{"镇上 > 镇政府 | 镇", "只有一个字"},
		{"低保 = ", "line 1: empty word"},
	} {
		_, err := ParseThesaurus(tc.text, SourceStaff)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseThesaurus(%q) = %v, want an error with %q", tc.text, err, tc.want)
		}
	}
}

// planWords returns the first word of each unit of text's plan.
func planWords(ix *Index, text string) []string {
	p := ix.planQuery(ix.simplify(parseQuery(text)), ix.lex)
	var out []string
	for _, u := range p.units {
		out = append(out, u.words[0])
	}
	return out
}

func TestStripPadding(t *testing.T) {
	e := newEnv(t, testDocs)
	for text, want := range map[string][]string{
		"低保一个月能领多少钱":  {"低保"},
		"身份证去哪办":      {"身份证"},
		"危房改造补助发了没有吗": {"危房改造", "补助"},
		"危房改造补助标准":    {"危房改造", "补助", "标准"}, // no padding: unchanged
		"于人":          {"于人"},               // no question: lone characters stay joined
		"多少钱":         {"多少钱"},              // all padding: kept
		"吗":           nil,                  // a question word alone
	} {
		if got := planWords(e.ix, text); !slices.Equal(got, want) {
			t.Errorf("%q: units %v, want %v", text, got, want)
		}
	}
}

func TestConfigExtendsThesaurus(t *testing.T) {
	dir := t.TempDir()
	st := storeWith(t, dir, testDocs)
	cfg := config.Default()
	cfg.Search.Synonyms = [][]string{{"土坯房", "危房改造"}, {"低保", "吃低保钱"}}
	ix, err := Create(filepath.Join(dir, "index"), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, Query{Text: "土坯房"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Contains(got, "d7") || !slices.Contains(res.Expanded, "危房改造") {
		t.Errorf("土坯房: hits %v, expanded %v; want d7 found through 危房改造", got, res.Expanded)
	}
	// a config group that shares a word with the built-in list extends it
	p := ix.planQuery(parseQuery("低保"), nil)
	if len(p.units) != 1 || !slices.Contains(p.units[0].words, "最低生活保障") || !slices.Contains(p.units[0].words, "吃低保钱") {
		t.Errorf("低保 searched with %v, want the built-in 最低生活保障 and the configured 吃低保钱", p.units)
	}
}

// TestStaffThesaurusApplies swaps staff entries while searches run (run
// with -race): a new word finds its official word, a switched-off word is
// searched alone, and removing the staff entries restores the base ones.
func TestStaffThesaurusApplies(t *testing.T) {
	e := newEnv(t, testDocs)
	ctx := context.Background()
	search := func(text string) *Result { return e.search(t, Query{Text: text}) }
	if res := search("保命钱"); res.Total != 0 {
		t.Fatalf("保命钱 before the edit: %v", ids(res))
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := e.ix.Search(ctx, Query{Text: "低保怎么申请"}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range 20 {
		e.ix.SetStaffThesaurus([]Entry{{Word: "保命钱", Official: []string{"最低生活保障"}, Source: SourceStaff}})
		if i%2 == 0 {
			e.ix.SetStaffThesaurus(nil)
		}
	}
	close(stop)
	wg.Wait()
	e.ix.SetStaffThesaurus([]Entry{{Word: "保命钱", Official: []string{"最低生活保障"}}, {Word: "低保"}})
	if res := search("保命钱"); !slices.Contains(ids(res), "d2") || len(res.Expanded) == 0 || res.Expanded[0] != "最低生活保障" {
		t.Errorf("保命钱 after the edit: hits %v, expanded %v; want d2 through 最低生活保障", ids(res), res.Expanded)
	}
	if res := search("低保"); len(res.Expanded) != 0 {
		t.Errorf("低保 switched off, still searched with %v", res.Expanded)
	}
	e.ix.SetStaffThesaurus(nil)
	if res := search("低保"); !slices.Contains(res.Expanded, "最低生活保障") {
		t.Errorf("低保 after the staff entries were removed: expanded %v, want the built-in 最低生活保障", res.Expanded)
	}
}
