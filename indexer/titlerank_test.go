package indexer

import (
	"path/filepath"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

// TestShortQueryNamesTheShortTitle: a law and the interpretations and local
// rules that name it in their titles and bodies (testdata/laws.jsonl, real
// texts cut to 1,500 characters). The law's own text says 本法, not its name,
// so only its short title says which document the query names.
func TestShortQueryNamesTheShortTitle(t *testing.T) {
	docs, err := store.ReadJSONLFile(filepath.Join("testdata", "laws.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, docs)
	for q, want := range map[string]string{
		"企业破产法":  "law-0ac44e70f94a", // 中华人民共和国企业破产法, before four interpretations
		"保险法":    "law-1458131c420f", // 中华人民共和国保险法, before four interpretations
		"公共图书馆法": "law-2db201e2944e", // the law, before 上海市公共图书馆条例 (which lacks the 法)
	} {
		res := e.search(t, Query{Text: q})
		if got := ids(res); len(got) == 0 || got[0] != want {
			var titles []string
			for _, h := range res.Hits {
				titles = append(titles, h.Title)
			}
			t.Errorf("%q: first %v, want %s first", q, titles, want)
		}
	}
}

func TestTitleEvidence(t *testing.T) {
	for _, c := range []struct {
		title       string
		units       [][]string
		held, share float64
	}{
		{"中华人民共和国公司法", [][]string{{"公司法"}}, 1, 0.3},
		{"上海市公共图书馆条例", [][]string{{"公共图书馆法"}}, 0, 0},
		{"城市居民最低生活保障条例", [][]string{{"低保", "最低生活保障"}}, 1, 0.5}, // an alternative counts
		{"企业破产法", [][]string{{"企业"}, {"破产法"}}, 1, 1},
		{"企业破产法", [][]string{{"企业"}, {"公司"}}, 0.5, 0.4},
	} {
		held, share := titleEvidence(c.title, c.units)
		if held != c.held || share != c.share {
			t.Errorf("%s %v: held %.2f share %.2f, want %.2f %.2f", c.title, c.units, held, share, c.held, c.share)
		}
	}
}
