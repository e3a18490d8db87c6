// Package chinese holds gongkai's Chinese text analysis for Bleve: a
// tokenizer on gse word segmentation, full-width and traditional-to-simplified
// folding filters, and the two analyzers the index uses (gse words and CJK
// bigrams). Everything is registered with Bleve's registry by name in init.
package chinese

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/go-ego/gse"
)

// userWordFreq is the dictionary frequency given to user-dictionary words: high
// enough that gse keeps them whole against the split into common words.
const userWordFreq = 200000

// userWordPOS is the part of speech given to user-dictionary words (a noun).
const userWordPOS = "n"

// embeddedDict is the part of gse's embedded dictionary loaded: its
// simplified words only. Text is simplified before it is segmented
// (simplify), so the 235,000 traditional words, 40 % of the dictionary
// and 67 MB of the 194 MB its tokens hold on the heap, would never match;
// every collection of the heap has to walk what the dictionary holds.
const embeddedDict = "zh_s"

// segmenters caches one gse segmenter per distinct user dictionary, so the
// embedded dictionary is loaded once per process for a given configuration.
var segmenters = struct {
	sync.Mutex
	byKey map[string]*segmenterLoad
}{byKey: map[string]*segmenterLoad{}}

// segmenterLoad is one segmenter, loaded in the background with the
// traditional-to-simplified table its input is folded by: seg, simp and
// err are set when done is closed.
type segmenterLoad struct {
	done chan struct{}
	seg  *gse.Segmenter
	simp *converter
	err  error
}

// startSegmenter returns the load of the segmenter for userWords, starting
// it unless it was started before; a load it starts keeps a prebuilt copy
// of the dictionary in the file cache (none when ""), see loadCached.
// Loading gse's dictionary takes about 2 s of CPU; a server starts it at
// once and listens meanwhile.
func startSegmenter(userWords []string, cache string) *segmenterLoad {
	words := normalizeWords(userWords)
	key := strings.Join(words, "\n")
	segmenters.Lock()
	defer segmenters.Unlock()
	if l, ok := segmenters.byKey[key]; ok {
		return l
	}
	l := &segmenterLoad{done: make(chan struct{})}
	segmenters.byKey[key] = l
	go func() {
		defer close(l.done)
		if l.simp, l.err = t2s(); l.err == nil {
			l.seg, l.err = loadCached(l.simp.simplifyWords(words), cache)
		}
	}()
	return l
}

// loadSegmenter loads gse's embedded dictionary (embeddedDict) and adds
// words (normalised and simplified).
func loadSegmenter(words []string) (*gse.Segmenter, error) {
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	if err := seg.LoadDictEmbed(embeddedDict); err != nil {
		return nil, fmt.Errorf("load gse embedded dictionary: %w", err)
	}
	for _, w := range words {
		if err := seg.AddToken(w, userWordFreq, userWordPOS); err != nil {
			return nil, fmt.Errorf("add user word %q: %w", w, err)
		}
	}
	if len(words) > 0 {
		seg.CalcToken()
	}
	return seg, nil
}

// normalizeWords trims, folds and de-duplicates user words, sorted.
func normalizeWords(in []string) []string {
	out := make([]string, 0, len(in))
	for _, w := range in {
		w = strings.TrimSpace(FoldWidth(w))
		if w != "" {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
