package chinese

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// FoldWidth maps full-width ASCII variants (U+FF01–U+FF5E) to ASCII and the
// ideographic space U+3000 to a space. Text without them is returned as is;
// other text is copied once (searches fold whole document texts with it).
func FoldWidth(s string) string {
	i := firstWide(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if a, ok := narrow(r); ok {
			b.WriteByte(a)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// foldForSegmenting returns input with full-width forms folded to ASCII, and a
// function that maps a byte offset in the folded text back to the input. When
// nothing needs folding it returns input itself and the identity.
func foldForSegmenting(input []byte) ([]byte, func(int) int) {
	first := firstWide(input)
	if first < 0 {
		return input, func(i int) int { return i }
	}
	out := make([]byte, first, len(input))
	copy(out, input)
	// back[i] is the input offset of folded byte i; one extra entry for len.
	back := make([]int32, first, len(input)+1)
	for i := range first {
		back[i] = int32(i)
	}
	for i := first; i < len(input); {
		r, n := utf8.DecodeRune(input[i:])
		if a, ok := narrow(r); ok {
			out = append(out, a)
			back = append(back, int32(i))
		} else {
			out = append(out, input[i:i+n]...)
			for k := range n {
				back = append(back, int32(i+k))
			}
		}
		i += n
	}
	back = append(back, int32(len(input)))
	return out, func(i int) int { return int(back[i]) }
}

// firstWide returns the offset of the first full-width rune in s, or -1.
func firstWide[T string | []byte](s T) int {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune([]byte(s[i:min(i+utf8.UTFMax, len(s))])) // at most 4 bytes, not copied to the heap
		if _, ok := narrow(r); ok {
			return i
		}
		i += n
	}
	return -1
}

// narrow returns the ASCII form of a full-width rune.
func narrow(r rune) (byte, bool) {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return byte(r - 0xFF01 + '!'), true
	case r == 0x3000:
		return ' ', true
	}
	return 0, false
}

// widthFilter folds full-width forms in terms; it copies only terms that change.
type widthFilter struct{}

// Filter implements analysis.TokenFilter.
func (widthFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if firstWide(tok.Term) >= 0 {
			folded, _ := foldForSegmenting(tok.Term)
			tok.Term = folded
		}
	}
	return input
}
