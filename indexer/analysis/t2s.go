package analysis

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/longbridgeapp/opencc"
)

// T2SFilterName is the registered name of the traditional-to-simplified filter.
const T2SFilterName = "gk_t2s"

// t2s is the process-wide OpenCC converter, loaded once.
var t2s = sync.OnceValues(func() (*opencc.OpenCC, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("load opencc t2s: %w", err)
	}
	return cc, nil
})

// T2SFilter folds traditional Chinese terms to simplified. It changes only
// Term, never offsets; a conversion that would change a term's byte length is
// skipped so that bigram splitting stays aligned with the text.
type T2SFilter struct {
	cc    *opencc.OpenCC
	runes sync.Map // rune -> rune: per-character conversion cache
}

// NewT2SFilter returns a filter on the process-wide converter.
func NewT2SFilter() (*T2SFilter, error) {
	cc, err := t2s()
	if err != nil {
		return nil, err
	}
	return &T2SFilter{cc: cc}, nil
}

// Filter implements analysis.TokenFilter.
func (f *T2SFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type != analysis.Ideographic && tok.Type != analysis.Single && tok.Type != analysis.Double {
			continue
		}
		if s, ok := f.Convert(string(tok.Term)); ok && len(s) == len(tok.Term) {
			tok.Term = []byte(s)
		}
	}
	return input
}

// Convert returns the simplified form of s and whether it differs from s.
func (f *T2SFilter) Convert(s string) (string, bool) {
	if !f.anyTraditional(s) {
		return s, false
	}
	out, err := f.cc.Convert(s)
	if err != nil || out == s {
		return s, false
	}
	return out, true
}

// anyTraditional reports whether some rune of s converts on its own.
func (f *T2SFilter) anyTraditional(s string) bool {
	for _, r := range s {
		if r < 0x3400 {
			continue
		}
		if f.runeConv(r) != r {
			return true
		}
	}
	return false
}

func (f *T2SFilter) runeConv(r rune) rune {
	if v, ok := f.runes.Load(r); ok {
		return v.(rune)
	}
	conv := r
	if out, err := f.cc.Convert(string(r)); err == nil && utf8.RuneCountInString(out) == 1 {
		conv, _ = utf8.DecodeRuneInString(out)
	}
	f.runes.Store(r, conv)
	return conv
}

// T2SFilterConstructor builds a T2SFilter for Bleve.
func T2SFilterConstructor(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return NewT2SFilter()
}

func init() {
	if err := registry.RegisterTokenFilter(T2SFilterName, T2SFilterConstructor); err != nil {
		panic(err)
	}
}
