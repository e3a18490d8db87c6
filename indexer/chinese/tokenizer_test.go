package chinese

import (
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// wordSpan is a position's tokens: the word and the sub-words of it, as
// the word's byte range and the terms joined.
type wordSpan struct {
	start, end int
	terms      string
}

// wordSpans returns the words of toks in order of position.
func wordSpans(toks analysis.TokenStream) []wordSpan {
	var out []wordSpan
	for i, tk := range toks {
		if i == 0 || tk.Position != toks[i-1].Position {
			out = append(out, wordSpan{tk.Start, tk.End, ""})
		}
		w := &out[len(out)-1]
		w.terms += string(tk.Term) + " "
	}
	return out
}

// wholeTokens tokenizes input as Tokenize does, but segmenting the whole
// text at once.
func (t *Tokenizer) wholeTokens(input []byte) analysis.TokenStream {
	l := t.loaded()
	text, back := foldForSegmenting(input)
	segs := l.seg.Segment(l.simp.simplify(text))
	var out analysis.TokenStream
	pos := 0
	for i := range segs {
		s := &segs[i]
		start, end := back(s.Start()), back(s.End())
		if !hasWordRune(input[start:end]) {
			continue
		}
		pos++
		out = append(out, newToken(input, start, end, pos))
		out = appendSubwords(out, input, s.Token(), s.Start(), back, pos)
	}
	return out
}

// TestPiecesGiveTheSameWords: segmenting a long text in pieces cut after
// line breaks and 。 gives the tokens (terms, offsets, positions) of
// segmenting it whole, on the bodies of 600 documents of ../shared/eval, but
// for ties: gse sums path lengths in float32, and of two equally likely
// segmentations ("用足/用/好" and "用/足用/好", 用足 and 足用 being equally
// frequent) the rounding of the sum so far picks one. A tie covers the same
// bytes with the same number of words, and is rare.
func TestPiecesGiveTheSameWords(t *testing.T) {
	docs, err := store.ReadJSONLFile(filepath.Join(shareddata.Path(t, "eval"), "corpus.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewTokenizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	long, words, ties := 0, 0, 0
	for _, d := range docs[:600] {
		in := []byte(d.Body)
		if len(in) > maxPieceBytes {
			long++
		}
		got, want := wordSpans(tok.Tokenize(in)), wordSpans(tok.wholeTokens(in))
		if len(got) != len(want) {
			t.Fatalf("%s: %d words in pieces, %d whole", d.ID, len(got), len(want))
		}
		words += len(got)
		for i := 0; i < len(got); i++ {
			if got[i] == want[i] {
				continue
			}
			j := i + 1
			for j < len(got) && got[j] != want[j] {
				j++
			}
			if got[i].start != want[i].start || got[j-1].end != want[j-1].end {
				t.Fatalf("%s: words %d-%d in pieces %v, whole %v", d.ID, i, j-1, got[i:j], want[i:j])
			}
			ties++
			i = j
		}
	}
	if ties > words/10000 {
		t.Errorf("%d ties in %d words: more than ties would explain", ties, words)
	}
	t.Logf("%d words, %d ties", words, ties)
	if long < 100 {
		t.Fatalf("only %d bodies longer than a piece: the test shows nothing", long)
	}
}

// TestTraditionalSplitsAsSimplified: gse holds simplified words only, and a
// traditional text is split where its simplified form is, into terms that
// are its own bytes; a traditional user word is kept whole in either form.
func TestTraditionalSplitsAsSimplified(t *testing.T) {
	tok, err := NewTokenizer([]string{"臺灣省政府"})
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{
		{"環境保護工作會議在縣政府召開", "环境保护工作会议在县政府召开"},
		{"臺灣省政府發佈通知", "台湾省政府发布通知"},
	} {
		trad, simp := tok.Tokenize([]byte(pair[0])), tok.Tokenize([]byte(pair[1]))
		if len(trad) != len(simp) {
			t.Fatalf("%s: %d tokens, %s: %d", pair[0], len(trad), pair[1], len(simp))
		}
		for i := range trad {
			a, b := trad[i], simp[i]
			if a.Start != b.Start || a.End != b.End || a.Position != b.Position || string(a.Term) != pair[0][a.Start:a.End] {
				t.Errorf("%s: token %d %q %d-%d @%d, simplified %q %d-%d @%d", pair[0], i, a.Term, a.Start, a.End, a.Position, b.Term, b.Start, b.End, b.Position)
			}
		}
	}
	if got := tok.Tokenize([]byte("臺灣省政府")); len(got) == 0 || string(got[0].Term) != "臺灣省政府" {
		t.Errorf("user word in traditional: %v", got)
	}
}
