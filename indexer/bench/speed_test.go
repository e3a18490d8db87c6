package bench

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
)

// BenchmarkSearch runs the bench's short title-substring queries, with facets
// and snippets as /api/search computes them, one at a time.
func BenchmarkSearch(b *testing.B) {
	f := evalIndex(b)
	qs, err := latencyQueries(titlesOf(f.docs))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := f.ix.Search(ctx, indexer.Query{Text: qs[i%len(qs)], Limit: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearchQuestions runs the DEV questions of ../shared/eval one at a
// time, with facets and snippets as /api/search computes them (CPU-ms/op:
// the process's CPU time per question; BenchmarkQuestions10x does the same
// on the 10× copy).
func BenchmarkSearchQuestions(b *testing.B) {
	f := evalIndex(b)
	benchQueries(b, f.ix, f.qs)
}

// BenchmarkSearchShortQueries runs the short keyword queries of
// ../shared/eval (queries_short_dev.tsv) one at a time, with facets and
// snippets as /api/search computes them: the title re-ranking of short
// queries is in this figure.
func BenchmarkSearchShortQueries(b *testing.B) {
	path := filepath.Join(evalDir(b), "queries_short_dev.tsv")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("no short queries in ../shared/eval: %v", err)
	}
	js, err := LoadQueries(path)
	if err != nil {
		b.Fatal(err)
	}
	qs := querySet{judged: js}.texts()
	f := evalIndex(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := f.ix.Search(ctx, indexer.Query{Text: qs[i%len(qs)], Limit: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearchParallel runs the same queries from 4 goroutines per CPU.
func BenchmarkSearchParallel(b *testing.B) {
	f := evalIndex(b)
	qs, err := latencyQueries(titlesOf(f.docs))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			q := qs[int(next.Add(1))%len(qs)]
			if _, err := f.ix.Search(ctx, indexer.Query{Text: q, Limit: 10}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkIndexCorpus indexes the whole eval corpus into a new index
// (bulk load, merged into one segment); MB/s is of title and body text.
func BenchmarkIndexCorpus(b *testing.B) {
	f := evalIndex(b)
	var bytes int64
	for _, d := range f.docs {
		bytes += int64(len(d.Title) + len(d.Body))
	}
	b.SetBytes(bytes)
	for b.Loop() {
		dir, err := os.MkdirTemp("", "gongkai-bench-index-")
		if err != nil {
			b.Fatal(err)
		}
		ix, err := indexer.Create(filepath.Join(dir, "index"), config.Default(), f.st)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.IndexDocuments(context.Background(), f.docs, nil); err != nil {
			b.Fatal(err)
		}
		ix.Close()
		os.RemoveAll(dir)
	}
}
