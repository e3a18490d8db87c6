package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer/chinese"
	"github.com/gongkai-project/gongkai/store"
)

// TextSource gives the stored title and body of documents by id; the store
// implements it. The index keeps no copy of the text: snippets, exact
// phrases and related documents read it from here. TextHeads is Texts
// with each attachment's text cut to its first attachmentBytes bytes,
// which is all a snippet scans.
type TextSource interface {
	Texts(ctx context.Context, ids []string) (map[string]store.Text, error)
	TextHeads(ctx context.Context, ids []string, attachmentBytes int) (map[string]store.Text, error)
}

// Errors of Open. Both are wrapped with the directory and the cause.
var (
	// ErrMissing means there is no index in the directory: run `gongkai index`.
	ErrMissing = errors.New("索引不存在，请先运行 gongkai index")
	// ErrCorrupt means the index cannot be read: run `gongkai index --rebuild`.
	ErrCorrupt = errors.New("索引已损坏或版本不符，请运行 gongkai index --rebuild")
)

// currentFile names, inside the index directory, the generation folder that
// holds the live Bleve index; Rebuild swaps it by an atomic rename.
const currentFile = "CURRENT"

// Index is the search index in one directory. It is safe for concurrent use;
// Sync and Rebuild may run while searches are served.
type Index struct {
	dir   string
	cfg   *config.Config
	texts TextSource
	// syn is the thesaurus searched with: base entries plus staff edits,
	// swapped whole by SetStaffThesaurus while searches run
	syn   atomic.Pointer[synonyms]
	base  []Entry            // built-in and config entries, immutable
	words *chinese.Tokenizer // gse words of queries
	t2s   *chinese.T2SFilter // traditional to simplified for queries
	// bigrams analyses query text with offsets, for snippet highlights
	bigrams analysis.Analyzer
	bm25    bm25       // the BM25 parameters this index scores with
	mem     memoryPlan // sizes batches and segments to search.memory_mb

	mu    sync.RWMutex // guards idx, gen, stats and lex (swapped by Rebuild and Sync)
	idx   bleve.Index
	gen   string
	stats lengthStats
	lex   *lexiconBuild // built in the background after opening a generation

	writeMu sync.Mutex // one Sync or Rebuild at a time

	admit     *admission    // one search per CPU at a time, cheapest waiting first
	phrases   phraseCache   // documents holding quoted body phrases, per index version
	facetCols facetColumns  // the facet values of the current snapshot, for questions
	scores    sync.Pool     // *questionScores, reused from question to question
	shorts    sync.Pool     // *shortScratch, reused from short query to short query
	bounds    segmentBounds // the greatest saturation of question and short-query terms per segment (bounds.go)
	outdated  float64       // score weight of outdated documents (outdatedWeight; tests vary it)
	attWeight float64       // weight of attachment text against the body (wAttachment; tests vary it)
}

// Open opens the index in dir, reading document text from texts. It returns
// an error wrapping ErrMissing when dir holds no index, and ErrCorrupt when
// the index cannot be read.
func Open(dir string, cfg *config.Config, texts TextSource) (*Index, error) {
	gen, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	ix, err := newIndex(dir, cfg, texts)
	if err != nil {
		return nil, err
	}
	if err := ix.openGen(gen); err != nil {
		return nil, err
	}
	return ix, nil
}

// dictCacheFile is the prebuilt copy of gse's dictionary kept in the index
// folder (chinese.LoadTokenizerCached).
const dictCacheFile = "gse-dictionary.txt"

// newIndex returns an Index of dir with its query analysers and no open generation.
func newIndex(dir string, cfg *config.Config, texts TextSource) (*Index, error) {
	if texts == nil {
		return nil, fmt.Errorf("open index %s: no text source", dir)
	}
	// searches wait for it (ready); a prebuilt copy in the index folder halves its load
	words := chinese.LoadTokenizerCached(cfg.Search.UserDict, filepath.Join(dir, dictCacheFile))
	t2s, err := chinese.NewT2SFilter()
	if err != nil {
		return nil, err
	}
	bigrams, err := chinese.NewBigramAnalyzer(true)
	if err != nil {
		return nil, err
	}
	base, err := baseThesaurus(cfg)
	if err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, cfg: cfg, texts: texts, base: base, words: words, t2s: t2s,
		bigrams: bigrams, bm25: defaultBM25, admit: newAdmission(runtime.GOMAXPROCS(0), maxAdmissionWait),
		outdated: outdatedWeight, attWeight: wAttachment, mem: planFor(cfg.Search.MemoryMB)}
	ix.syn.Store(newSynonyms(base, nil))
	return ix, nil
}

// Create makes a new, empty index in dir (which must not hold one) and opens it.
func Create(dir string, cfg *config.Config, texts TextSource) (*Index, error) {
	if _, err := readCurrent(dir); !errors.Is(err, ErrMissing) {
		if err == nil {
			return nil, fmt.Errorf("create index in %s: an index already exists", dir)
		}
		return nil, err
	}
	gen, err := newGeneration(dir, cfg)
	if err != nil {
		return nil, err
	}
	if err := writeCurrent(dir, gen); err != nil {
		return nil, err
	}
	return Open(dir, cfg, texts)
}

// OpenOrCreate opens the index in dir, creating an empty one when none exists.
func OpenOrCreate(dir string, cfg *config.Config, texts TextSource) (*Index, error) {
	ix, err := Open(dir, cfg, texts)
	if errors.Is(err, ErrMissing) {
		return Create(dir, cfg, texts)
	}
	return ix, err
}

// Replace builds a new index of the store in dir and makes it the live one
// without reading the index dir holds now, which may be corrupt or of an
// older mapping version. It returns the new index, open.
func Replace(ctx context.Context, dir string, cfg *config.Config, st *store.Store, progress func(done, total int)) (*Index, SyncStats, error) {
	ix, err := newIndex(dir, cfg, st)
	if err != nil {
		return nil, SyncStats{}, err
	}
	res, err := ix.Rebuild(ctx, st, progress)
	if err != nil {
		return nil, res, err
	}
	return ix, res, nil
}

// readCurrent returns the live generation folder name of dir.
func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("open index %s: %w", dir, ErrMissing)
	}
	if err != nil {
		return "", fmt.Errorf("open index %s: %w", dir, err)
	}
	gen := strings.TrimSpace(string(b))
	if gen == "" || strings.ContainsAny(gen, `/\`) || gen == ".." {
		return "", fmt.Errorf("open index %s: bad %s %q: %w", dir, currentFile, gen, ErrCorrupt)
	}
	return gen, nil
}

// writeCurrent points dir at generation gen, atomically.
func writeCurrent(dir, gen string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(gen+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		return fmt.Errorf("switch index %s to %s: %w", dir, gen, err)
	}
	return syncFile(dir)
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// newGeneration creates an empty Bleve index in a new folder of dir and returns its name.
func newGeneration(dir string, cfg *config.Config) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create index directory %s: %w", dir, err)
	}
	gen := "gen-" + time.Now().UTC().Format("20060102T150405.000000000")
	m, err := newMapping(cfg)
	if err != nil {
		return "", fmt.Errorf("index mapping: %w", err)
	}
	idx, err := bleve.NewUsing(filepath.Join(dir, gen), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return "", fmt.Errorf("create index %s: %w", filepath.Join(dir, gen), err)
	}
	if err := idx.SetInternal([]byte(keyVersion), []byte(mappingVersion)); err != nil {
		idx.Close()
		return "", fmt.Errorf("create index %s: %w", gen, err)
	}
	// Bleve writes its metadata file 0666 less the umask; the index is as
	// private as the store (its segments are 0600 already).
	if err := os.Chmod(filepath.Join(dir, gen, "index_meta.json"), 0o600); err != nil {
		idx.Close()
		return "", fmt.Errorf("create index %s: %w", gen, err)
	}
	return gen, idx.Close()
}

// openGen opens generation gen of ix.dir and loads its statistics and lexicon.
func (ix *Index) openGen(gen string) error {
	path := filepath.Join(ix.dir, gen)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("open index %s: %v: %w", path, err, ErrCorrupt)
	}
	idx, err := openBleveUsing(path, ix.mem.mergeOptions())
	if err != nil {
		return err
	}
	if v, err := idx.GetInternal([]byte(keyVersion)); err != nil || string(v) != mappingVersion {
		idx.Close()
		return fmt.Errorf("open index %s: mapping version %q, want %q (%v): %w", path, v, mappingVersion, err, ErrCorrupt)
	}
	stats, err := loadStats(idx)
	if err != nil {
		idx.Close()
		return fmt.Errorf("open index %s: %w: %w", path, err, ErrCorrupt)
	}
	lex := buildLexiconAsync(idx, ix.syn.Load(), ix.words)
	ix.mu.Lock()
	ix.idx, ix.gen, ix.stats, ix.lex = idx, gen, stats, lex
	ix.phrases.invalidate()
	ix.mu.Unlock()
	return nil
}

// openBleveUsing opens a Bleve index with scorch runtime options (nil:
// defaults), turning its errors and panics into ErrCorrupt.
func openBleveUsing(path string, options map[string]interface{}) (idx bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			idx, err = nil, fmt.Errorf("open index %s: %v: %w", path, r, ErrCorrupt)
		}
	}()
	if held(path) {
		return nil, fmt.Errorf("open index %s: %w", path, ErrBusy)
	}
	if options == nil {
		options = map[string]interface{}{}
	}
	options["bolt_timeout"] = boltTimeout
	idx, err = bleve.OpenUsing(path, options)
	if err != nil && held(path) { // taken between the check and the open
		return nil, fmt.Errorf("open index %s: %w", path, ErrBusy)
	}
	if errors.Is(err, fs.ErrPermission) {
		return nil, fmt.Errorf("open index %s: %w (the data directory must be writable by gongkai)", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %v: %w", path, err, ErrCorrupt)
	}
	if _, err := idx.DocCount(); err != nil {
		idx.Close()
		return nil, fmt.Errorf("open index %s: %v: %w", path, err, ErrCorrupt)
	}
	return idx, nil
}

// Close closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return nil
	}
	ix.lex.stop() // its build reads the index
	err := ix.idx.Close()
	ix.idx = nil
	if err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}

// Warming says whether the index is still loading what queries need: gse's
// dictionary (every search waits for it) or the pinyin lexicon (only the
// queries that use it wait).
func (ix *Index) Warming() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return !ix.words.Ready() || !ix.lex.ready()
}

// ready waits until gse's dictionary, which Open loads in the background,
// is loaded; it returns the load's error or ctx's.
func (ix *Index) ready(ctx context.Context) error {
	if err := ix.words.Wait(ctx); err != nil {
		return fmt.Errorf("index %s: %w", ix.dir, err)
	}
	return nil
}

// DocCount is the number of documents in the index.
func (ix *Index) DocCount() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.idx.DocCount()
}

// Segments is the number of segments the index's current snapshot holds
// (0 when the index is not a scorch index).
func (ix *Index) Segments() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	adv, err := ix.idx.Advanced()
	if err != nil {
		return 0
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0
	}
	return rootSegments(s)
}

// SizeOnDisk is the size in bytes of the live index files.
func (ix *Index) SizeOnDisk() (int64, error) {
	ix.mu.RLock()
	path := filepath.Join(ix.dir, ix.gen)
	ix.mu.RUnlock()
	return dirSize(path)
}

func dirSize(path string) (int64, error) {
	var n int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", path, err)
	}
	return n, nil
}

// refreshLexicon rebuilds the pinyin lexicon from the live index.
func (ix *Index) refreshLexicon() error {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	lex, err := buildLexicon(idx, ix.syn.Load())
	if err != nil {
		return fmt.Errorf("build pinyin lexicon: %w", err)
	}
	ix.mu.Lock()
	old := ix.lex
	ix.lex = builtLexicon(lex)
	ix.phrases.invalidate()
	ix.mu.Unlock()
	old.stop() // a build still waiting would read the index after Close
	return nil
}

// IDs returns the ids of all documents in the index, for consistency checks.
func (ix *Index) IDs(ctx context.Context) ([]string, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ids, err := ix.matchingIDs(ctx, bleve.NewMatchAllQuery())
	if err != nil {
		return nil, fmt.Errorf("list index ids: %w", err)
	}
	return ids, nil
}

// compact merges the index into as few segments as the memory plan allows
// for a finished index (one, up to finalSegmentDocs documents), after a bulk
// load or for `gongkai index --merge`: each query term is looked up in
// every segment's term dictionary, so fewer segments answer with less CPU
// (../shared/eval: one segment ~12% less than three; the 100× copy: see
// docs/DESIGN-NOTES.md). Scorch's single-segment plan merges at most
// SegmentsPerMergeTask segments per task, so all are given to one task
// (bounded by the plan's segment size), and the merge repeats (a few times
// at most) while it still reduces the segments. It returns the number of
// segments before and after.
func compact(ctx context.Context, idx bleve.Index, plan memoryPlan) (before, after int, err error) {
	adv, err := idx.Advanced()
	if err != nil {
		return 0, 0, fmt.Errorf("merge index segments: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, 0, nil
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.SegmentsPerMergeTask = 1 << 20
	opts.MaxSegmentSize = plan.finalSegmentDocs
	first := rootSegments(s)
	for n, prev := first, uint64(0); n > 1 && n != prev; n, prev = rootSegments(s), n {
		if err := forceMerge(ctx, s, &opts); err != nil {
			return int(first), int(n), fmt.Errorf("merge index segments: %w", err)
		}
	}
	return int(first), int(rootSegments(s)), waitPersisted(ctx, s)
}

// errMergeFailed is a force merge that scorch's merger could not carry out.
var errMergeFailed = errors.New("scorch could not write the merged segment (is the disk full? a merge writes a new copy of the segments it merges)")

// forceMerge runs one scorch force merge under ctx. Scorch retries a failed
// merge (a full disk, a file it cannot create) or gives it up, and counts
// the failures only in its statistics, and it returns nil when ctx ends; so
// the count is watched, the merge cancelled at its first failure, and
// errMergeFailed returned when the count grew; an ended ctx returns its
// error.
func forceMerge(ctx context.Context, s *scorch.Scorch, opts *mergeplan.MergePlanOptions) error {
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs, watched := mergeErrors(s), make(chan struct{})
	go func() {
		defer close(watched)
		cancelOnMergeError(mctx, s, errs, cancel)
	}()
	err := s.ForceMerge(mctx, opts)
	cancel()
	<-watched
	if mergeErrors(s) > errs {
		return errMergeFailed
	}
	if err != nil {
		return err
	}
	return ctx.Err()
}

// cancelOnMergeError polls s's count of failed merges until ctx ends, and
// calls cancel once it grows past errs.
func cancelOnMergeError(ctx context.Context, s *scorch.Scorch, errs uint64, cancel func()) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if mergeErrors(s) > errs {
				cancel()
				return
			}
		}
	}
}

// mergeErrors is the number of merges scorch's merger has failed so far.
func mergeErrors(s *scorch.Scorch) uint64 {
	n, _ := s.StatsMap()["TotFileMergeLoopErr"].(uint64)
	return n
}

// waitPersisted waits (30 s at most) until scorch has persisted its current
// snapshot: a merge returns before that, and an index closed meanwhile
// reopens with its segments unmerged (its documents all there).
func waitPersisted(ctx context.Context, s *scorch.Scorch) error {
	giveUp := time.Now().Add(30 * time.Second)
	for time.Now().Before(giveUp) {
		m := s.StatsMap()
		cur, _ := m["CurRootEpoch"].(uint64)
		done, _ := m["LastPersistedEpoch"].(uint64)
		if done >= cur {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// waitPersister waits until the index holds at most one segment that is
// still only in memory: batches then wait for the persister instead of
// piling up unpersisted segments (which the persister would also merge in
// memory all at once) when the machine is busy.
func waitPersister(idx bleve.Index) {
	adv, err := idx.Advanced()
	if err != nil {
		return
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return
	}
	for giveUp := time.Now().Add(time.Minute); time.Now().Before(giveUp); time.Sleep(2 * time.Millisecond) {
		if n, _ := s.StatsMap()["num_root_memorysegments"].(uint64); n <= 1 {
			return
		}
	}
}

// rootSegments is the number of segments of the index's current snapshot.
func rootSegments(s *scorch.Scorch) uint64 {
	m := s.StatsMap()
	files, _ := m["num_root_filesegments"].(uint64)
	mem, _ := m["num_root_memorysegments"].(uint64)
	return files + mem
}
