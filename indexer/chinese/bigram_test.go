package chinese

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// widthTokenizer runs inner on the width-folded text and maps offsets back
// to the input, as the bigram analyzer did before BigramTokenizer.
type widthTokenizer struct {
	inner analysis.Tokenizer
}

func (w widthTokenizer) Tokenize(input []byte) analysis.TokenStream {
	folded, back := foldForSegmenting(input)
	ts := w.inner.Tokenize(folded)
	if len(folded) == len(input) {
		return ts
	}
	for _, tok := range ts {
		tok.Start, tok.End = back(tok.Start), back(tok.End)
		tok.Term = input[tok.Start:tok.End:tok.End]
	}
	return ts
}

// referenceBigrams is the former bigram analyzer: Bleve's unicode tokenizer,
// our folding filters and Bleve's CJK bigram filter, one step after another.
func referenceBigrams(t testing.TB) analysis.Analyzer {
	t2sf, err := NewT2SFilter()
	if err != nil {
		t.Fatal(err)
	}
	return &analysis.DefaultAnalyzer{
		Tokenizer: widthTokenizer{unicode.NewUnicodeTokenizer()},
		TokenFilters: []analysis.TokenFilter{widthFilter{}, lowercase.NewLowerCaseFilter(), t2sf,
			cjk.NewCJKBigramFilter(false)},
	}
}

func describe(ts analysis.TokenStream, offsets bool) []string {
	out := make([]string, len(ts))
	for i, tk := range ts {
		out[i] = fmt.Sprintf("%s@%d", tk.Term, tk.Position)
		if offsets {
			out[i] += fmt.Sprintf("[%d,%d)", tk.Start, tk.End)
		}
	}
	return out
}

// sameTokens checks BigramTokenizer against the reference on one text.
func sameTokens(t *testing.T, ref, fast, pos analysis.Analyzer, in []byte) {
	t.Helper()
	want := describe(ref.Analyze(slices.Clone(in)), true)
	got := describe(fast.Analyze(slices.Clone(in)), true)
	if !slices.Equal(got, want) {
		t.Fatalf("%q:\n got %v\nwant %v", in, got, want)
	}
	for _, tk := range pos.Analyze(slices.Clone(in)) {
		if tk.Start != 0 || tk.End != 0 {
			t.Fatalf("%q: positions-only analyzer gave offsets [%d,%d) for %q", in, tk.Start, tk.End, tk.Term)
		}
	}
	if p := describe(pos.Analyze(slices.Clone(in)), false); !slices.Equal(p, describe(fast.Analyze(slices.Clone(in)), false)) {
		t.Fatalf("%q: positions-only analyzer differs: %v", in, p)
	}
}

func bigramAnalyzers(t *testing.T) (fast, pos analysis.Analyzer) {
	fast, err := NewBigramAnalyzer(true)
	if err != nil {
		t.Fatal(err)
	}
	pos, err = NewBigramAnalyzer(false)
	if err != nil {
		t.Fatal(err)
	}
	return fast, pos
}

func TestBigramTokenizerMatchesReferenceOnRandomText(t *testing.T) {
	alphabet := []rune("低保申请危房改造國辦發醫療保險的了 \t\n，。、；“”《》〔〕（）()abcXYZ0123456789ＡＢＣ１２３　ｱｲｳアイウーあいうé-_/.%'年号😀ÄΣ\u200d\u200b\u0301\ufeff")
	ref := referenceBigrams(t)
	fast, pos := bigramAnalyzers(t)
	rng := rand.New(rand.NewPCG(5, 8))
	for range 5000 {
		rs := make([]rune, rng.IntN(40))
		for j := range rs {
			rs[j] = alphabet[rng.IntN(len(alphabet))]
		}
		sameTokens(t, ref, fast, pos, []byte(string(rs)))
	}
}

func TestBigramTokenizerMatchesReferenceOnCorpus(t *testing.T) {
	path := filepath.Join(shareddata.Path(t, "eval"), "corpus.jsonl.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no eval corpus: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	ref := referenceBigrams(t)
	fast, pos := bigramAnalyzers(t)
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() && n < 300 {
		var d struct{ Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		sameTokens(t, ref, fast, pos, []byte(d.Title))
		sameTokens(t, ref, fast, pos, []byte(d.Body))
		n++
	}
	if n == 0 {
		t.Fatalf("no documents read from %s", path)
	}
}

func BenchmarkBigramAnalyzer(b *testing.B) {
	text := []byte("根据上级要求，现将农村危房改造补助标准公告如下：一般户每户补助１万元（国办发〔2017〕47号），貧困戶每戶補助兩萬元。ABC Policy 2017.")
	for _, c := range []struct {
		name string
		an   func() analysis.Analyzer
	}{
		{"reference", func() analysis.Analyzer { return referenceBigrams(b) }},
		{"one-pass", func() analysis.Analyzer { a, _ := NewBigramAnalyzer(false); return a }},
	} {
		an := c.an()
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				an.Analyze(text)
			}
		})
	}
}
