package indexer

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/mozillazg/go-pinyin"

	"github.com/gongkai-project/gongkai/indexer/chinese"
)

// lexicon maps pinyin (full, fuzzy) and pinyin initials to the words of
// indexed titles and of the synonym list, for pinyin input and homophone typos.
type lexicon struct {
	df       map[string]int      // word -> number of titles holding it (synonym words at least 1)
	full     map[string][]string // fuzzy full pinyin -> words, most frequent first
	initials map[string][]string // initials -> words, most frequent first
}

// maxLexiconWordRunes bounds the words kept in the lexicon.
const maxLexiconWordRunes = 8

// buildLexicon reads the title words of idx and the synonym words.
func buildLexicon(idx bleve.Index, syn *synonyms) (*lexicon, error) {
	lx := &lexicon{df: map[string]int{}, full: map[string][]string{}, initials: map[string][]string{}}
	dfs, err := openDocFreqs(idx)
	if err != nil {
		return nil, err
	}
	defer dfs.Close()
	dict, err := idx.FieldDict(fTitle)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if isHanWord(e.Term) {
			n, err := dfs.of(fTitle, e.Term) // e.Count is wrong (docfreq.go)
			if err != nil {
				return nil, err
			}
			lx.df[e.Term] = int(n)
		}
	}
	for _, w := range syn.words() {
		if isHanWord(w) {
			lx.df[w] = max(lx.df[w], 1)
		}
	}
	args := pinyin.NewArgs()
	for w, n := range lx.df {
		syl := pinyin.LazyPinyin(w, args)
		if len(syl) != len([]rune(w)) {
			continue
		}
		full, ini := pinyinKeys(syl)
		lx.full[full] = insertByDF(lx.full[full], w, n, lx.df)
		lx.initials[ini] = insertByDF(lx.initials[ini], w, n, lx.df)
	}
	return lx, nil
}

// isHanWord reports whether w is 2..maxLexiconWordRunes Han characters.
func isHanWord(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= maxLexiconWordRunes
}

// insertByDF inserts w into list ordered by descending df, keeping at most 8.
func insertByDF(list []string, w string, n int, df map[string]int) []string {
	i := 0
	for i < len(list) && df[list[i]] >= n {
		i++
	}
	if i >= 8 {
		return list
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = w
	if len(list) > 8 {
		list = list[:8]
	}
	return list
}

// pinyinKeys returns the fuzzy full-pinyin key and the initials of syllables.
func pinyinKeys(syl []string) (full, initials string) {
	var b strings.Builder
	for _, s := range syl {
		if s != "" {
			b.WriteByte(s[0])
		}
	}
	return fuzzyPinyin(strings.Join(syl, "")), b.String()
}

// fuzzyPinyin folds the sounds people confuse when typing pinyin: zh/z, ch/c,
// sh/s and the nasal finals ang/an, eng/en, ing/in.
var fuzzyReplacer = strings.NewReplacer("zh", "z", "ch", "c", "sh", "s", "ang", "an", "eng", "en", "ing", "in")

func fuzzyPinyin(s string) string {
	return fuzzyReplacer.Replace(strings.ToLower(s))
}

// wordKey returns the fuzzy pinyin key of a Han string, "" if it has none.
func wordKey(w string) string {
	syl := pinyin.LazyPinyin(w, pinyin.NewArgs())
	if len(syl) != len([]rune(w)) {
		return ""
	}
	full, _ := pinyinKeys(syl)
	return full
}

// fromPinyin returns the words a pinyin input stands for: by full pinyin
// first, then by initials; most frequent first.
func (lx *lexicon) fromPinyin(in string) []string {
	in = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(in, "'", " ")), ""))
	if w := lx.full[fuzzyPinyin(in)]; len(w) > 0 {
		return w
	}
	return lx.initials[in]
}

// correct replaces, in a run of Han characters, windows that are not known
// words but sound like a known word (homophone typos from pinyin input).
func (lx *lexicon) correct(run string) (string, bool) {
	rs := []rune(run)
	changed := false
	var out []rune
	for i := 0; i < len(rs); {
		done := false
		for l := min(len(rs)-i, 6); l >= 2 && !done; l-- {
			w := string(rs[i : i+l])
			if lx.df[w] > 0 { // a known word: keep it
				out = append(out, rs[i:i+l]...)
				i += l
				done = true
				break
			}
			for _, cand := range lx.full[wordKey(w)] {
				if cand != w && len([]rune(cand)) == l {
					out = append(out, []rune(cand)...)
					i += l
					changed, done = true, true
					break
				}
			}
		}
		if !done {
			out = append(out, rs[i])
			i++
		}
	}
	return string(out), changed
}

// lexiconBuild is a lexicon being built in the background, so that an index
// answers its first queries without waiting for it: only pinyin input, typo
// correction and keywords wait (get).
type lexiconBuild struct {
	done   chan struct{}
	lex    *lexicon           // set before done is closed; nil when the build failed or was stopped
	cancel context.CancelFunc // stops a build not started yet (nil when built already)
	now    chan struct{}      // closed by hurry: start without waiting for lexiconDelay
	once   sync.Once          // closes now
}

// lexiconDelay is how long a build waits, once gse's dictionary is loaded,
// for a search to end (hurry) before it starts anyway: on a starting server
// the searches that waited for the dictionary get the CPU first.
const lexiconDelay = time.Second

// buildLexiconAsync starts building the lexicon of idx once words has
// loaded gse's dictionary (or failed to) and a search has been answered or
// lexiconDelay has passed: every search waits for the dictionary, few for
// the lexicon, so a starting server gives the dictionary's load and then
// its first searches the CPU first.
func buildLexiconAsync(idx bleve.Index, syn *synonyms, words *chinese.Tokenizer) *lexiconBuild {
	ctx, cancel := context.WithCancel(context.Background())
	b := &lexiconBuild{done: make(chan struct{}), cancel: cancel, now: make(chan struct{})}
	go func() {
		defer close(b.done)
		defer cancel()
		if err := words.Wait(ctx); err != nil && ctx.Err() != nil {
			return // stopped: the index is closing (a failed load is reported by the searches)
		}
		select {
		case <-b.now:
		case <-time.After(lexiconDelay):
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			return
		}
		lex, err := buildLexicon(idx, syn)
		if err != nil {
			slog.Warn("build pinyin lexicon: pinyin input and typo correction are off", "err", err)
			return
		}
		b.lex = lex
	}()
	return b
}

// builtLexicon is a build that is done.
func builtLexicon(lex *lexicon) *lexiconBuild {
	b := &lexiconBuild{done: make(chan struct{}), lex: lex}
	close(b.done)
	return b
}

// get waits for the build, starting it at once if it waits for lexiconDelay,
// and returns the lexicon (nil if b is nil or the build failed).
func (b *lexiconBuild) get() *lexicon {
	if b == nil {
		return nil
	}
	b.hurry()
	<-b.done
	return b.lex
}

// hurry starts the build as soon as the dictionary is loaded, without
// waiting for lexiconDelay.
func (b *lexiconBuild) hurry() {
	if b != nil && b.now != nil {
		b.once.Do(func() { close(b.now) })
	}
}

// stop waits for the build to end, ending it first if it has not started
// (it waits for the dictionary or lexiconDelay), so that closing an index
// opened by a short command does not wait for gse's load.
func (b *lexiconBuild) stop() {
	if b != nil && b.cancel != nil {
		b.cancel()
	}
	b.get()
}

// ready says whether the build is done.
func (b *lexiconBuild) ready() bool {
	if b == nil {
		return true
	}
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}
