package indexer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/config"
)

// FuzzSearch feeds arbitrary query text through the parser and a real
// search: no panic, no error, and parts that come out of the input.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"低保怎么申请", `"危房改造" -通知`, "dibao", "wfgz", "危房改照", "国办发〔2017〕47号",
		"2017年47号", `“最低生活保障”`, "-", `"`, "「未闭合", "ＡＢＣ１２３", "環境保護", "a -b -c \"d e\" f"} {
		f.Add(s)
	}
	dir := f.TempDir()
	st := storeWith(f, dir, testDocs)
	ctx := context.Background()
	ix, err := Create(filepath.Join(dir, "index"), config.Default(), st)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) {
			return
		}
		pq := parseQuery(q)
		for _, p := range append(pq.phrases, pq.excludes...) {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("%q: empty phrase or exclusion in %+v", q, pq)
			}
		}
		res, err := ix.Search(ctx, Query{Text: q, Limit: 5})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if len(res.Hits) > 5 {
			t.Fatalf("search %q: %d hits over the limit", q, len(res.Hits))
		}
	})
}
