package chinese

import (
	"bytes"
	"context"
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
	load *segmenterLoad
}

// NewTokenizer returns a tokenizer on the process-wide segmenter for
// userWords, once the segmenter is loaded.
func NewTokenizer(userWords []string) (*Tokenizer, error) {
	t := LoadTokenizer(userWords)
	if err := t.Wait(context.Background()); err != nil {
		return nil, err
	}
	return t, nil
}

// LoadTokenizer returns a tokenizer on the process-wide segmenter for
// userWords at once, loading the segmenter in the background if no one did
// yet: Tokenize and POS wait for the load. Call Wait first where a failed
// load must be reported; Tokenize panics with the load's error.
func LoadTokenizer(userWords []string) *Tokenizer {
	return &Tokenizer{load: startSegmenter(userWords, "")}
}

// LoadTokenizerCached is LoadTokenizer keeping a prebuilt copy of the
// dictionary (with userWords) in the file cache, which later loads read
// instead of gse's embedded dictionary: about half the CPU. A cache that
// is missing, damaged or made for other words or another gse release is
// replaced.
func LoadTokenizerCached(userWords []string, cache string) *Tokenizer {
	return &Tokenizer{load: startSegmenter(userWords, cache)}
}

// Wait waits until the segmenter is loaded, and returns the load's error or
// ctx's when it ends first.
func (t *Tokenizer) Wait(ctx context.Context) error {
	select {
	case <-t.load.done:
		return t.load.err
	case <-ctx.Done():
		return fmt.Errorf("wait for the gse dictionary: %w", ctx.Err())
	}
}

// Ready says whether the segmenter is loaded (or failed to load).
func (t *Tokenizer) Ready() bool {
	select {
	case <-t.load.done:
		return true
	default:
		return false
	}
}

// loaded waits for the segmenter and its table.
func (t *Tokenizer) loaded() *segmenterLoad {
	<-t.load.done
	if t.load.err != nil {
		panic(t.load.err) // a caller that must not fail calls Wait first
	}
	return t.load
}

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	if len(input) == 0 {
		return nil
	}
	l := t.loaded()
	seg := l.seg
	text, back := foldForSegmenting(input)
	text = l.simp.simplify(text) // same length: back still maps its offsets
	out := make(analysis.TokenStream, 0, len(text)/4)
	pos := 0
	for off := 0; off < len(text); {
		piece := text[off : off+pieceEnd(text[off:])]
		segs := seg.Segment(piece)
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
	return LoadTokenizer(words), nil
}

func init() {
	if err := registry.RegisterTokenizer(TokenizerName, TokenizerConstructor); err != nil {
		panic(err)
	}
}

// POS returns the part of speech gse's dictionary gives word ("v", "y",
// "uj" …), or "" for a word it does not hold.
func (t *Tokenizer) POS(word string) string {
	l := t.loaded()
	_, pos, ok := l.seg.Find(string(l.simp.simplify([]byte(word))))
	if !ok {
		return ""
	}
	return pos
}
