package chinese

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// segmentation describes how seg splits text: each word with its part of
// speech and its dictionary sub-words (what the tokenizer emits).
func segmentation(seg *gse.Segmenter, text string) string {
	var b strings.Builder
	for _, s := range seg.Segment([]byte(text)) {
		b.WriteString(s.Token().Text() + "/" + s.Token().Pos())
		for _, sub := range s.Token().Segments() {
			b.WriteString("|" + sub.Token().Text())
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// cacheTexts are the UTF-8 fixture pages, or (without ../shared) a few
// sentences.
func cacheTexts(t *testing.T) []string {
	texts := []string{"康大营镇人民政府关于印发2024年政务公开工作要点的通知", "國務院辦公廳關於進一步優化營商環境的意見", "看病贵怎么办？城乡居民医疗救助申请条件"}
	files, _ := filepath.Glob(filepath.Join(shareddata.Path(t, "fixtures/pages"), "*"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && utf8.Valid(b) {
			texts = append(texts, string(b))
		}
	}
	return texts
}

// writeTestCache writes the cache of the process-wide segmenter for words.
func writeTestCache(t *testing.T, words []string) (ref *gse.Segmenter, path, key string) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads gse's dictionary twice more (minutes under -race)")
	}
	key = dictKey("test", userWordFreq, userWordPOS, words) // a test binary carries no module versions (gseVersion)
	tok, err := NewTokenizer(words)
	if err != nil {
		t.Fatal(err)
	}
	ref = tok.loaded().seg
	path = filepath.Join(t.TempDir(), "gse-dictionary.txt")
	if err := writeDictCache(path, key, ref); err != nil {
		t.Fatal(err)
	}
	return ref, path, key
}

// TestDictCacheGivesTheSameWords loads a segmenter with user words from its
// cache (sorted, loaded in one pass) and checks that it splits the fixture
// pages exactly as the one loaded from gse's embedded dictionary does.
func TestDictCacheGivesTheSameWords(t *testing.T) {
	// a user word may hold a space other than " " (the lines' separator)
	words := normalizeWords([]string{"康大营镇", "政务公开", "营商环境", "政务\u00a0服务\t中心"})
	ref, path, key := writeTestCache(t, words)
	got, err := readDictCache(path, key)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dict.NumTokens() != ref.Dict.NumTokens() || got.Dict.TotalFreq() != ref.Dict.TotalFreq() {
		t.Fatalf("cache: %d words, total frequency %v; embedded: %d, %v", got.Dict.NumTokens(), got.Dict.TotalFreq(), ref.Dict.NumTokens(), ref.Dict.TotalFreq())
	}
	texts := cacheTexts(t)
	for i, text := range texts {
		if a, b := segmentation(ref, text), segmentation(got, text); a != b {
			t.Fatalf("text %d: the cached dictionary splits it otherwise:\n%.300s\nvs\n%.300s", i, b, a)
		}
	}
	if !strings.Contains(segmentation(got, texts[0]), "康大营镇/n") {
		t.Errorf("the user word is not kept whole: %s", segmentation(got, texts[0]))
	}
}

// TestDictCacheDamaged checks that a cache that is damaged, cut short, made
// for other words or not a cache at all is refused, and that a load finding
// one falls back to the embedded dictionary and writes the cache again.
func TestDictCacheDamaged(t *testing.T) {
	ref, path, key := writeTestCache(t, nil)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := []byte(string(good))
	flipped[len(flipped)/2] ^= 1
	otherKey := dictKey("test", userWordFreq, userWordPOS, []string{"康大营镇"})
	for name, b := range map[string][]byte{
		"flipped byte": flipped,
		"cut short":    good[:len(good)-100],
		"other words":  []byte(strings.Replace(string(good), key, otherKey, 1)),
		"not a cache":  []byte("康大营镇 200000 n\n"),
		"word count":   []byte(strings.Replace(string(good), fmt.Sprintf(" %d ", ref.Dict.NumTokens()), " 99999999999 ", 1)),
		"empty":        nil,
	} {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := readDictCache(path, key); err == nil {
			t.Errorf("%s: cache accepted", name)
		}
	}
	seg, err := loadWithCache(nil, path, key) // the cache is empty
	if err != nil {
		t.Fatal(err)
	}
	text := cacheTexts(t)[0]
	if a, b := segmentation(ref, text), segmentation(seg, text); a != b {
		t.Fatalf("after a damaged cache: %s, want %s", b, a)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != string(good) {
		t.Fatalf("the cache was not written again (%d bytes, %v)", len(b), err)
	}
}

// TestDictCacheRemovesStaleTemps: a process killed while it wrote the cache
// leaves its temporary file in the index folder; the next load removes such
// files once they are older than a write can take, and leaves a recent one
// (another process may be writing it) and the cache itself.
func TestDictCacheRemovesStaleTemps(t *testing.T) {
	_, path, key := writeTestCache(t, nil)
	dir := filepath.Dir(path)
	stale, fresh := filepath.Join(dir, ".gse-dict-111"), filepath.Join(dir, ".gse-dict-222")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("gongkai-gse-dictionary 1 cut short"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-staleTempAge - time.Minute)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := loadWithCache(nil, path, key); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temporary file: %v, want it removed", err)
	}
	for _, p := range []string{fresh, path} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v, want it kept", filepath.Base(p), err)
		}
	}
}

// BenchmarkLoadDictionary loads gse's dictionary from the embedded files
// and from the cache (what a start of gongkai serve waits for). For the
// cache, wait-CPU-s is the CPU of the goroutine that loads and waits
// (Linux), without the parsing goroutine beside it: the part of the load a
// second core cannot take.
func BenchmarkLoadDictionary(b *testing.B) {
	ref, err := loadSegmenter(nil)
	if err != nil {
		b.Fatal(err)
	}
	path, key := filepath.Join(b.TempDir(), "gse-dictionary.txt"), dictKey("bench", userWordFreq, userWordPOS, nil)
	if err := writeDictCache(path, key, ref); err != nil {
		b.Fatal(err)
	}
	b.Run("embedded", func(b *testing.B) {
		c0 := cpuSeconds()
		for b.Loop() {
			if _, err := loadSegmenter(nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "CPU-s/op")
	})
	b.Run("cache", func(b *testing.B) {
		runtime.LockOSThread() // the thread's CPU is the loading goroutine's
		defer runtime.UnlockOSThread()
		c0 := cpuSeconds()
		w0, byThread := threadCPUSeconds()
		for b.Loop() {
			if _, err := readDictCache(path, key); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "CPU-s/op")
		if w1, ok := threadCPUSeconds(); ok && byThread {
			b.ReportMetric((w1-w0)/float64(b.N), "wait-CPU-s/op")
		}
	})
}

// cpuSeconds is the user and system CPU time of the process so far (the
// machine may be shared: CPU is the stable figure).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// TestDictKeyCoversTheRecipe checks that the cache's key changes with
// anything that changes the dictionary it holds: gse's release, the
// frequency and part of speech user words get, and the words.
func TestDictKeyCoversTheRecipe(t *testing.T) {
	words := []string{"康大营镇"}
	key := dictKey("v1", userWordFreq, userWordPOS, words)
	for name, other := range map[string]string{
		"release":        dictKey("v2", userWordFreq, userWordPOS, words),
		"frequency":      dictKey("v1", userWordFreq+1, userWordPOS, words),
		"part of speech": dictKey("v1", userWordFreq, "nz", words),
		"words":          dictKey("v1", userWordFreq, userWordPOS, []string{"康大营"}),
	} {
		if other == key {
			t.Errorf("a change of %s keeps the key %s", name, key)
		}
	}
}
