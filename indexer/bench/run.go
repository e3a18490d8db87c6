package bench

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// Options says what `gongkai bench` measures.
type Options struct {
	Corpus string // JSONL corpus, gzip detected as store reads it
	// Queries are judged query sets (qid<TAB>query<TAB>docid, a qid repeated
	// for each relevant document), each measured for quality and latency,
	// ours and the baseline's, and named by its file name; none skips the
	// quality figures.
	Queries []string
	// Replicate > 1 also measures a copy of the corpus replicated that many
	// times, ids made unique; there the queries of Queries measure latency
	// only, since the judgements do not name the copies' ids.
	Replicate int
	Config    *config.Config // nil means config.Default()
	TempDir   string         // where the indexes are built; empty means os.TempDir()
}

// Run measures the corpus, and with Replicate > 1 its replicated copy, and
// writes each table to w as a Markdown heading and code block.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	start := time.Now()
	docs, err := store.ReadJSONLFile(opts.Corpus)
	if err != nil {
		return err
	}
	name := filepath.Base(opts.Corpus)
	fmt.Fprintf(w, "### %s\n\n```\n", name)
	if err := measure(ctx, opts, docs, false, start, w); err != nil {
		return err
	}
	fmt.Fprintln(w, "```")
	if opts.Replicate <= 1 {
		return nil
	}
	fmt.Fprintf(w, "\n### %s replicated %d times (ids made unique)\n\n```\n", name, opts.Replicate)
	if err := measure(ctx, opts, replicate(docs, opts.Replicate), true, time.Now(), w); err != nil {
		return err
	}
	fmt.Fprintln(w, "```")
	return nil
}

// replicate returns n copies of docs, each id suffixed with #copy.
func replicate(docs []*store.Document, n int) []*store.Document {
	out := make([]*store.Document, 0, n*len(docs))
	for c := range n {
		for _, d := range docs {
			cp := *d
			cp.ID = fmt.Sprintf("%s#%d", d.ID, c)
			out = append(out, &cp)
		}
	}
	return out
}

// measure indexes docs with our mapping (and, with queries, with Bleve's cjk
// analyzer as the baseline), measures quality (unless latencyOnly), phrase
// recall, snippets, speed and size, and prints one table to w. start is when
// the run began, for the time to the first answered query.
func measure(ctx context.Context, opts Options, docs []*store.Document, latencyOnly bool, start time.Time, w io.Writer) error {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	dir, err := os.MkdirTemp(opts.TempDir, "gongkai-bench-")
	if err != nil {
		return fmt.Errorf("bench temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	var t table
	add := t.add
	add("machine", "%d CPUs, load average %s at start", runtime.NumCPU(), loadAverage())
	t0 := time.Now()
	sc, err := StoreCorpus(ctx, filepath.Join(dir, "gongkai.db"), docs)
	if err != nil {
		return err
	}
	defer sc.Close()
	add("store (SQLite, counted apart)", "%.1f s to write", time.Since(t0).Seconds())
	ix, err := indexer.Create(filepath.Join(dir, "index"), cfg, sc)
	if err != nil {
		return err
	}
	defer ix.Close()
	textBytes, err := indexRows(ctx, ix, docs, add)
	if err != nil {
		return err
	}
	firstQuery := time.Now()
	if _, err := ix.Search(ctx, indexer.Query{Text: "通知"}); err != nil {
		return err
	}
	add("time to first answered query", "%.2f s since start (index built in process); query %.1f ms", time.Since(start).Seconds(), float64(time.Since(firstQuery).Microseconds())/1000)
	base, err := buildBaseline(ctx, dir, docs, textBytes, add)
	if err != nil {
		return err
	}
	defer base.Close()
	sets, err := loadSets(opts.Queries)
	if err != nil {
		return err
	}
	if !latencyOnly {
		for _, set := range sets {
			if err := qualityRows(ctx, set, ix, base, add); err != nil {
				return err
			}
		}
	}
	recall, marks, err := phraseRecall(ctx, ix, docs, 300)
	if err != nil {
		return err
	}
	add("exact-phrase recall (300 random 2–6 Han-char substrings)", "%.1f%%", recall*100)
	add("snippet marks inside matched text", "%.1f%%", marks*100)
	if sets, err = latencyOfSets(ctx, ix, titlesOf(docs), sets, add); err != nil {
		return err
	}
	add("peak RSS", "%s", peakRSS())
	for _, set := range sets {
		if err := baselineLatency(ctx, base, set.name, set.texts(), add); err != nil {
			return err
		}
	}
	add("load average at end", "%s", loadAverage())
	t.write(w)
	return nil
}

// indexRows indexes docs into ix, adds the rows of its speed, memory and
// size, and returns the bytes of title and body text indexed.
func indexRows(ctx context.Context, ix *indexer.Index, docs []*store.Document, add func(k, f string, a ...any)) (int64, error) {
	t0, c0 := time.Now(), CPUSeconds()
	st, err := ix.IndexDocuments(ctx, docs, nil)
	if err != nil {
		return 0, err
	}
	took, cpu := time.Since(t0).Seconds(), CPUSeconds()-c0
	add("documents", "%d (%.1f MB title+body)", len(docs), float64(st.Bytes)/1e6)
	add("indexing", "%.2f MB/s, %.0f docs/s (%.1f s; %.1f CPU-s = %.2f MB per CPU-second)",
		float64(st.Bytes)/1e6/took, float64(len(docs))/took, took, cpu, float64(st.Bytes)/1e6/cpu)
	add("peak RSS after indexing", "%s", peakRSS())
	if size, err := settledSize(ix); err == nil {
		add("index size", "%.1f MB = %.2f× raw text", float64(size)/1e6, float64(size)/float64(st.Bytes))
	}
	return st.Bytes, nil
}

// table is the rows of a bench table, a name and a figure each.
type table struct{ rows [][2]string }

// add appends the row k, its figure formatted from f and a.
func (t *table) add(k, f string, a ...any) {
	t.rows = append(t.rows, [2]string{k, fmt.Sprintf(f, a...)})
}

// write prints the rows to w, names aligned in a column of 58.
func (t *table) write(w io.Writer) {
	for _, r := range t.rows {
		fmt.Fprintf(w, "%-58s %s\n", r[0], r[1])
	}
}

// latencyOfSets measures the latency of our search on the title substrings
// made from titles, then on each of sets, and returns the sets measured,
// the title substrings first.
func latencyOfSets(ctx context.Context, ix *indexer.Index, titles []string, sets []querySet, add func(k, f string, a ...any)) ([]querySet, error) {
	titleQueries, err := latencyQueries(titles)
	if err != nil {
		return nil, err
	}
	sets = append([]querySet{{name: "title substrings", queries: titleQueries}}, sets...)
	for _, set := range sets {
		if err := latencyRows(ctx, ix, set.name, set.texts(), add); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

// querySet is a judged query file, named by its file name, or (without
// judgements) the title substrings the bench makes up for latency.
type querySet struct {
	name    string
	judged  []Judgement
	queries []string
}

// texts returns the set's queries, each once.
func (s querySet) texts() []string {
	if s.queries != nil {
		return s.queries
	}
	var out []string
	seen := map[string]bool{}
	for _, j := range s.judged {
		if !seen[j.QID] {
			seen[j.QID] = true
			out = append(out, j.Question)
		}
	}
	return out
}

// loadSets reads the judged query files.
func loadSets(paths []string) ([]querySet, error) {
	var sets []querySet
	for _, p := range paths {
		js, err := LoadQueries(p)
		if err != nil {
			return nil, err
		}
		sets = append(sets, querySet{name: strings.TrimSuffix(filepath.Base(p), ".tsv"), judged: js})
	}
	return sets, nil
}

// qualityRows measures ours and the baseline on one judged set.
func qualityRows(ctx context.Context, set querySet, ix *indexer.Index, base *BaselineIndex, add func(k, f string, a ...any)) error {
	ours, err := Evaluate(ctx, set.judged, ourSearch(ix))
	if err != nil {
		return err
	}
	// The baseline scores with the BM25 parameters Bleve ships (k1 1.2);
	// our index scores with its own (indexer/bm25.go).
	theirs, err := Evaluate(ctx, set.judged, base.Search)
	if err != nil {
		return err
	}
	for _, r := range []struct {
		name string
		m    Metrics
	}{{"gongkai", ours}, {"bleve cjk BM25 (baseline)", theirs}} {
		add(fmt.Sprintf("quality, %s: %s", set.name, r.name), "MRR@10 %.4f  R@1 %.4f  R@10 %.4f  zero-hit %d / %d (%.1f%%)",
			r.m.MRR10, r.m.R1, r.m.R10, r.m.ZeroHit, r.m.Queries, 100*float64(r.m.ZeroHit)/float64(max(r.m.Queries, 1)))
	}
	return nil
}

// phraseRecall searches n random substrings of 2–6 Han characters as quoted
// phrases and returns the share whose document is found, and the share of
// its snippet marks that lie inside the phrase text. A corpus without a
// body of 10 characters holding two Han characters in a row before its last
// character (a substring never ends on it) has no such substring: that is an
// error.
func phraseRecall(ctx context.Context, ix *indexer.Index, docs []*store.Document, n int) (recall, marks float64, err error) {
	if !slices.ContainsFunc(docs, func(d *store.Document) bool { rs := []rune(d.Body); return len(rs) >= 10 && hanRun(rs[:len(rs)-1], 2) }) {
		return 0, 0, fmt.Errorf("exact-phrase recall: no document body of at least 10 characters holds two Han characters in a row (%d documents)", len(docs))
	}
	rng := rand.New(rand.NewPCG(7, 11))
	found, tried, marksIn, marksAll := 0, 0, 0, 0
	for tried < n {
		d := docs[rng.IntN(len(docs))]
		rs := []rune(d.Body)
		if len(rs) < 10 {
			continue
		}
		l := 2 + rng.IntN(5)
		i := rng.IntN(len(rs) - l)
		sub := rs[i : i+l]
		if slices.ContainsFunc(sub, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			continue
		}
		tried++
		phrase := string(sub)
		res, err := ix.Search(ctx, indexer.Query{Text: `"` + phrase + `"`, Limit: 100, NoFacets: true})
		if err != nil {
			return 0, 0, err
		}
		for _, h := range res.Hits {
			for _, part := range strings.Split(h.Snippet, "<mark>")[1:] {
				marksAll++
				if k := strings.Index(part, "</mark>"); k >= 0 && strings.Contains(phrase, part[:k]) {
					marksIn++
				}
			}
			if h.ID == d.ID {
				found++
				break
			}
		}
		if res.Total > 100 && !slices.ContainsFunc(res.Hits, func(h indexer.Hit) bool { return h.ID == d.ID }) {
			// the document may rank below the first 100: check with the document's own id filter
			found += containsDoc(ctx, ix, phrase, d.ID)
		}
	}
	return float64(found) / float64(tried), float64(marksIn) / float64(max(marksAll, 1)), nil
}

// containsDoc pages through all hits of a phrase looking for id.
func containsDoc(ctx context.Context, ix *indexer.Index, phrase, id string) int {
	var after []string
	for range 200 {
		res, err := ix.Search(ctx, indexer.Query{Text: `"` + phrase + `"`, Limit: 100, After: after, NoFacets: true})
		if err != nil || len(res.Hits) == 0 {
			return 0
		}
		for _, h := range res.Hits {
			if h.ID == id {
				return 1
			}
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
	return 0
}

// latencyRows measures our search (facets and snippets included) on qs with
// 1 and 8 concurrent clients.
func latencyRows(ctx context.Context, ix *indexer.Index, name string, qs []string, add func(k, f string, a ...any)) error {
	return clientLatencyRows(ctx, "query latency, "+name, func(ctx context.Context, q string) error {
		_, err := ix.Search(ctx, indexer.Query{Text: q, Limit: 10})
		return err
	}, qs, add)
}

// clientLatencyRows measures search on qs with 1 and 8 concurrent clients
// and adds a row for each, labelled label: latency percentiles and the
// process's CPU per query.
func clientLatencyRows(ctx context.Context, label string, search func(ctx context.Context, q string) error, qs []string, add func(k, f string, a ...any)) error {
	for _, clients := range []int{1, 8} {
		c0 := CPUSeconds()
		p50, p99, err := latency(ctx, search, qs, clients)
		if err != nil {
			return err
		}
		add(fmt.Sprintf("%s, %d client(s)", label, clients), "p50 %.2f ms, p99 %.2f ms (%.2f CPU-ms per query)",
			p50, p99, (CPUSeconds()-c0)*1000/float64(2*len(qs)))
	}
	return nil
}

// hanRun says whether rs holds n Han characters in a row.
func hanRun(rs []rune, n int) bool {
	run := 0
	for _, r := range rs {
		run++
		if !unicode.Is(unicode.Han, r) {
			run = 0
		}
		if run >= n {
			return true
		}
	}
	return false
}

// latencyQueries are 200 short queries taken from the titles of at least 4
// characters (2–8 characters each); titles that are all shorter are an error.
func latencyQueries(titles []string) ([]string, error) {
	if !slices.ContainsFunc(titles, func(t string) bool { return utf8.RuneCountInString(t) >= 4 }) {
		return nil, fmt.Errorf("title substrings: no title of at least 4 characters to take latency queries from (%d titles)", len(titles))
	}
	rng := rand.New(rand.NewPCG(3, 5))
	var qs []string
	for len(qs) < 200 {
		rs := []rune(titles[rng.IntN(len(titles))])
		if len(rs) < 4 {
			continue
		}
		l := 2 + rng.IntN(min(7, len(rs)-1))
		i := rng.IntN(len(rs) - l + 1)
		qs = append(qs, string(rs[i:i+l]))
	}
	return qs, nil
}

// titlesOf returns the titles of docs.
func titlesOf(docs []*store.Document) []string {
	titles := make([]string, len(docs))
	for i, d := range docs {
		titles[i] = d.Title
	}
	return titles
}

// latency runs the queries with the given number of concurrent clients and
// returns p50 and p99 in milliseconds.
func latency(ctx context.Context, search func(context.Context, string) error, qs []string, clients int) (p50, p99 float64, err error) {
	var mu sync.Mutex
	var times []float64
	var firstErr error
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := c; i < len(qs)*2; i += clients {
				t := time.Now()
				err := search(ctx, qs[i%len(qs)])
				ms := float64(time.Since(t).Microseconds()) / 1000
				mu.Lock()
				times = append(times, ms)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, 0, firstErr
	}
	slices.Sort(times)
	return times[len(times)/2], times[len(times)*99/100], nil
}

// settledSize returns the index size once the files replaced by merges are
// gone (scorch removes them shortly after the merged segment is persisted).
func settledSize(ix *indexer.Index) (int64, error) {
	last, err := ix.SizeOnDisk()
	for range 50 {
		if err != nil {
			return 0, err
		}
		time.Sleep(200 * time.Millisecond)
		var size int64
		if size, err = ix.SizeOnDisk(); err == nil && size == last {
			return size, nil
		}
		last = size
	}
	return last, err
}

// CPUSeconds is the user and system CPU time of the process so far.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// loadAverage reads the 1, 5 and 15 minute load averages from /proc (the
// machine may be shared: speed figures depend on it).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// peakRSS reads the process's peak resident set size (VmHWM) from /proc.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// ourSearch adapts an index to Evaluate.
func ourSearch(ix *indexer.Index) func(ctx context.Context, q string) ([]string, error) {
	return func(ctx context.Context, q string) ([]string, error) {
		res, err := ix.Search(ctx, indexer.Query{Text: q, Limit: 10, NoFacets: true})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
}

// buildBaseline builds Bleve's cjk BM25 index of the same documents in the
// same run, once, for the quality and speed comparisons, and reports its
// indexing speed and size.
func buildBaseline(ctx context.Context, dir string, docs []*store.Document, textBytes int64, add func(k, f string, a ...any)) (*BaselineIndex, error) {
	t0, c0 := time.Now(), CPUSeconds()
	base, err := NewBaseline(ctx, dir, docs)
	if err != nil {
		return nil, err
	}
	took, cpu := time.Since(t0).Seconds(), CPUSeconds()-c0
	mb := float64(textBytes) / 1e6
	add("baseline cjk: indexing", "%.2f MB/s, %.0f docs/s (%.1f s; %.1f CPU-s)", mb/took, float64(len(docs))/took, took, cpu)
	if size, err := dirSize(filepath.Join(dir, "baseline.bleve")); err == nil {
		add("baseline cjk: index size", "%.1f MB = %.2f× raw text (read right after the last batch)", float64(size)/1e6, float64(size)/float64(textBytes))
	}
	return base, nil
}

// baselineLatency measures the baseline on the same queries as ours.
func baselineLatency(ctx context.Context, base *BaselineIndex, name string, qs []string, add func(k, f string, a ...any)) error {
	return clientLatencyRows(ctx, "baseline cjk: query latency, "+name, func(ctx context.Context, q string) error {
		_, err := base.Search(ctx, q)
		return err
	}, qs, add)
}

// dirSize is the total size of the files under path.
func dirSize(path string) (int64, error) {
	var n int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
