package chinese

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/longbridgeapp/opencc"
)

// T2SFilterName is the registered name of the traditional-to-simplified filter.
const T2SFilterName = "gk_t2s"

// The dense conversion table covers the CJK unified ideographs and extension A.
const (
	tableLo = 0x3400
	tableHi = 0x9FFF
)

// converter is the OpenCC converter and its per-character table.
type converter struct {
	cc    *opencc.OpenCC
	table []rune // rune-tableLo -> simplified rune (the rune itself when unchanged)
}

// t2s is the process-wide converter, loaded once (the table takes ~30 ms).
var t2s = sync.OnceValues(func() (*converter, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("load opencc t2s: %w", err)
	}
	c := &converter{cc: cc, table: make([]rune, tableHi-tableLo+1)}
	for i := range c.table {
		c.table[i] = convertRune(cc, rune(tableLo+i))
	}
	return c, nil
})

// convertRune returns the simplified form of r when it is one rune, else r.
func convertRune(cc *opencc.OpenCC, r rune) rune {
	out, err := cc.Convert(string(r))
	if err != nil || utf8.RuneCountInString(out) != 1 {
		return r
	}
	c, _ := utf8.DecodeRuneInString(out)
	return c
}

// simplify returns text with each character of the table's range replaced
// by its simplified form where that keeps its byte length, so that byte
// offsets in the result are byte offsets in text; text itself when nothing
// changes. The gse tokenizer segments this with the simplified dictionary.
func (c *converter) simplify(text []byte) []byte {
	out, copied := text, false
	for i := 0; i < len(text); {
		r, ok := ideograph3(text, i)
		if !ok {
			i++ // no continuation byte passes for the start of a character
			continue
		}
		if t, ok := sameLength(c.table, r); ok {
			if !copied {
				out, copied = bytes.Clone(text), true
			}
			utf8.EncodeRune(out[i:], t)
		}
		i += 3
	}
	return out
}

// ideograph3 decodes the three-byte character at s[i] when it lies in
// U+3000–U+9FFF (the range of the table's characters of that length).
func ideograph3[T string | []byte](s T, i int) (rune, bool) {
	if i+2 >= len(s) || s[i] < 0xE3 || s[i] > 0xE9 || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
		return 0, false
	}
	return rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), true
}

// sameLength returns the simplified form of r from table when it differs
// from r and is three bytes long, as r is.
func sameLength(table []rune, r rune) (rune, bool) {
	if r < tableLo || r > tableHi {
		return r, false
	}
	t := table[r-tableLo]
	return t, t != r && utf8.RuneLen(t) == 3
}

// simplifyWords returns words with their characters simplified as simplify
// does, in their order.
func (c *converter) simplifyWords(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = string(c.simplify([]byte(w)))
	}
	return out
}

// T2SFilter folds traditional Chinese terms to simplified. It changes only
// Term, never offsets; a conversion that would change a term's byte length is
// skipped so that bigram splitting stays aligned with the text.
type T2SFilter struct {
	cc    *opencc.OpenCC
	table []rune
	runes sync.Map // rune -> rune: conversion cache outside the table
}

// NewT2SFilter returns a filter on the process-wide converter.
func NewT2SFilter() (*T2SFilter, error) {
	c, err := t2s()
	if err != nil {
		return nil, err
	}
	return &T2SFilter{cc: c.cc, table: c.table}, nil
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
	if r >= tableLo && r <= tableHi {
		return f.table[r-tableLo]
	}
	if v, ok := f.runes.Load(r); ok {
		return v.(rune)
	}
	conv := convertRune(f.cc, r)
	f.runes.Store(r, conv)
	return conv
}

// FoldSameLength returns s with ASCII lower-cased and each character
// simplified where that keeps its byte length, so that byte offsets in the
// result are byte offsets in s. It returns s itself when nothing changes.
func (f *T2SFilter) FoldSameLength(s string) string {
	var b []byte
	set := func(i int, c rune) {
		if b == nil {
			b = []byte(s)
		}
		utf8.EncodeRune(b[i:], c)
	}
	for i := 0; i < len(s); {
		c := s[i]
		r3, is3 := ideograph3(s, i)
		switch {
		case c < utf8.RuneSelf:
			if c >= 'A' && c <= 'Z' {
				set(i, rune(c+'a'-'A'))
			}
			i++
		case is3: // U+3000–U+9FFF: the table, inline
			if t, ok := sameLength(f.table, r3); ok {
				set(i, t)
			}
			i += 3
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r >= tableLo && r != utf8.RuneError {
				if t := f.runeConv(r); t != r && utf8.RuneLen(t) == n {
					set(i, t)
				}
			}
			i += n
		}
	}
	if b == nil {
		return s
	}
	return string(b)
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
