package chinese

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/go-ego/gse"
)

// TokenizerName is the registered name of the gse tokenizer. Its config takes
// "user_dict": a list of words gse must keep whole.
const TokenizerName = "gk_gse"

// minSubwordRunes is the shortest dictionary sub-word emitted beside a long word.
const minSubwordRunes = 2

// Tokenizer splits text into gse words. Term is always the input bytes at
// [Start,End); positions count words from 1; spaces and punctuation are
// dropped; dictionary sub-words of long words share the word's position.
type Tokenizer struct {
	seg *gse.Segmenter
}

// NewTokenizer returns a tokenizer on the process-wide segmenter for userWords.
func NewTokenizer(userWords []string) (*Tokenizer, error) {
	seg, err := Segmenter(userWords)
	if err != nil {
		return nil, err
	}
	return &Tokenizer{seg: seg}, nil
}

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	if len(input) == 0 {
		return nil
	}
	text, back := foldForSegmenting(input)
	out := make(analysis.TokenStream, 0, len(text)/4)
	pos := 0
	for off := 0; off < len(text); {
		piece := text[off : off+pieceEnd(text[off:])]
		segs := t.seg.Segment(piece)
		for i := range segs {
			s := &segs[i]
			start, end := back(off+s.Start()), back(off+s.End())
			if !hasWordRune(input[start:end]) {
				continue
			}
			pos++
			out = append(out, newToken(input, start, end, pos))
			out = appendSubwords(out, input, s.Token(), off+s.Start(), back, pos)
		}
		off += len(piece)
	}
	return out
}

// maxPieceBytes is the length after which text is segmented in pieces, cut
// after a line break or a 。. gse allocates some hundred bytes a character
// for the text it segments at once, and no word crosses those marks, so
// the pieces give the same words as the whole text with memory bounded by
// the piece, not the document.
const maxPieceBytes = 4 << 10

// pieceEnd returns the length of the first piece of text.
func pieceEnd(text []byte) int {
	if len(text) <= maxPieceBytes {
		return len(text)
	}
	rest := text[maxPieceBytes:]
	i := bytes.IndexAny(rest, "\n。")
	if i < 0 {
		return len(text)
	}
	if rest[i] == '\n' {
		return maxPieceBytes + i + 1
	}
	return maxPieceBytes + i + len("。")
}

// appendSubwords adds the dictionary sub-words of tok (which starts at byte
// base of the segmented text), recursively, all at position pos.
func appendSubwords(out analysis.TokenStream, input []byte, tok *gse.Token, base int, back func(int) int, pos int) analysis.TokenStream {
	for _, sub := range tok.Segments() {
		start, end := back(base+sub.Start()), back(base+sub.End())
		if utf8.RuneCount(input[start:end]) < minSubwordRunes || !hasWordRune(input[start:end]) {
			continue
		}
		out = append(out, newToken(input, start, end, pos))
		out = appendSubwords(out, input, sub.Token(), base+sub.Start(), back, pos)
	}
	return out
}

func newToken(input []byte, start, end, pos int) *analysis.Token {
	typ := analysis.AlphaNumeric
	if r, _ := utf8.DecodeRune(input[start:end]); unicode.Is(unicode.Han, r) {
		typ = analysis.Ideographic
	}
	return &analysis.Token{Term: input[start:end:end], Start: start, End: end, Position: pos, Type: typ}
}

// hasWordRune reports whether b holds a letter or a digit.
func hasWordRune(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
		b = b[n:]
	}
	return false
}

// TokenizerConstructor builds a Tokenizer from a Bleve config map.
func TokenizerConstructor(config map[string]interface{}, _ *registry.Cache) (analysis.Tokenizer, error) {
	var words []string
	if raw, ok := config["user_dict"]; ok {
		list, ok := raw.([]interface{})
		if !ok {
			if ss, ok2 := raw.([]string); ok2 {
				words = ss
			} else {
				return nil, fmt.Errorf("%s: user_dict must be a list of words, got %T", TokenizerName, raw)
			}
		}
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s: user_dict entry %v is not a string", TokenizerName, v)
			}
			words = append(words, s)
		}
	}
	return NewTokenizer(words)
}

func init() {
	if err := registry.RegisterTokenizer(TokenizerName, TokenizerConstructor); err != nil {
		panic(err)
	}
}

// POS returns the part of speech gse's dictionary gives word ("v", "y",
// "uj" …), or "" for a word it does not hold.
func (t *Tokenizer) POS(word string) string {
	_, pos, ok := t.seg.Find(word)
	if !ok {
		return ""
	}
	return pos
}
