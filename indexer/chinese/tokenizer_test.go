package chinese

import (
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// wholeTokens tokenizes input as Tokenize does, but segmenting the whole
// text at once.
func (t *Tokenizer) wholeTokens(input []byte) analysis.TokenStream {
	text, back := foldForSegmenting(input)
	segs := t.seg().Segment(text)
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
// line breaks and 。 gives exactly the tokens (terms, offsets, positions) of
// segmenting it whole, on the bodies of 600 documents of ../shared/eval.
func TestPiecesGiveTheSameWords(t *testing.T) {
	docs, err := store.ReadJSONLFile(filepath.Join(shareddata.Path(t, "eval"), "corpus.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewTokenizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	long := 0
	for _, d := range docs[:600] {
		in := []byte(d.Body)
		if len(in) > maxPieceBytes {
			long++
		}
		got, want := tok.Tokenize(in), tok.wholeTokens(in)
		if len(got) != len(want) {
			t.Fatalf("%s: %d tokens in pieces, %d whole", d.ID, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position {
				t.Fatalf("%s: token %d in pieces %q %d-%d @%d, whole %q %d-%d @%d", d.ID, i,
					g.Term, g.Start, g.End, g.Position, w.Term, w.Start, w.End, w.Position)
			}
		}
	}
	if long < 100 {
		t.Fatalf("only %d bodies longer than a piece: the test shows nothing", long)
	}
}
