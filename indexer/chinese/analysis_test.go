package chinese

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/gongkai-project/gongkai/internal/shareddata"
)

func mustTokenizer(t *testing.T, words ...string) *Tokenizer {
	t.Helper()
	tok, err := NewTokenizer(words)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// checkStream asserts the tokenizer contract on one input.
func checkStream(t *testing.T, name string, input []byte, ts analysis.TokenStream) {
	t.Helper()
	last := 0
	for i, tok := range ts {
		if tok.Start < 0 || tok.End > len(input) || tok.Start >= tok.End {
			t.Fatalf("%s: token %d has bad offsets [%d,%d) in %d bytes", name, i, tok.Start, tok.End, len(input))
		}
		if string(tok.Term) != string(input[tok.Start:tok.End]) {
			t.Fatalf("%s: token %d term %q != text %q at [%d,%d)", name, i, tok.Term, input[tok.Start:tok.End], tok.Start, tok.End)
		}
		if !utf8.Valid(tok.Term) {
			t.Fatalf("%s: token %d %q is not valid UTF-8", name, i, tok.Term)
		}
		if tok.Position < last || tok.Position > last+1 || tok.Position < 1 {
			t.Fatalf("%s: token %d %q position %d after %d", name, i, tok.Term, tok.Position, last)
		}
		if !hasWordRune(tok.Term) {
			t.Fatalf("%s: token %d %q is space or punctuation", name, i, tok.Term)
		}
		last = tok.Position
	}
	if len(ts) > 0 && ts[0].Position != 1 {
		t.Fatalf("%s: first position %d, want 1", name, ts[0].Position)
	}
}

func TestTokenOffsetsOnFixturePages(t *testing.T) {
	pages := shareddata.Path(t, "fixtures/pages")
	files, err := filepath.Glob(filepath.Join(pages, "*"))
	if err != nil || len(files) == 0 {
		t.Skipf("no fixture pages in %s: %v", pages, err)
	}
	tok := mustTokenizer(t)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			continue // pages kept in their original GBK charset
		}
		checkStream(t, filepath.Base(f), b, tok.Tokenize(b))
		n++
	}
	if n < 20 {
		t.Fatalf("only %d UTF-8 fixture files checked", n)
	}
}

func TestTokenOffsetsOnRandomText(t *testing.T) {
	alphabet := []rune("低保申请危房改造补助标准國辦發醫療保險康大营镇的了是在 \t\n，。、；：？！“”《》〔〕（）()[]abcXYZ0123456789ＡＢＣ１２３　ｱｲｳ😀é-_/.%年月日号")
	tok := mustTokenizer(t)
	an, err := NewWordAnalyzer(nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		rs := make([]rune, rng.IntN(60))
		for j := range rs {
			rs[j] = alphabet[rng.IntN(len(alphabet))]
		}
		in := []byte(string(rs))
		if rng.IntN(10) == 0 && len(in) > 3 { // invalid UTF-8 must not break offsets
			in[rng.IntN(len(in))] = 0xff
		}
		checkStream(t, "random "+string(rs), in, tok.Tokenize(in))
		for _, tk := range an.Analyze(slices.Clone(in)) {
			if tk.Start < 0 || tk.End > len(in) || tk.Start >= tk.End {
				t.Fatalf("analyzer on %q (case %d): bad offsets [%d,%d)", in, i, tk.Start, tk.End)
			}
		}
	}
}

func terms(ts analysis.TokenStream) []string {
	var out []string
	for _, tk := range ts {
		out = append(out, string(tk.Term))
	}
	return out
}

func TestPositionsAndSubwords(t *testing.T) {
	tok := mustTokenizer(t)
	ts := tok.Tokenize([]byte("危房改造补助标准，低保 申请"))
	want := map[string]int{"危房改造": 1, "危房": 1, "改造": 1, "补助": 2, "标准": 3, "低保": 4, "申请": 5}
	got := map[string]int{}
	for _, tk := range ts {
		got[string(tk.Term)] = tk.Position
	}
	for w, p := range want {
		if got[w] != p {
			t.Errorf("%s at position %d, want %d (tokens %v)", w, got[w], p, terms(ts))
		}
	}
	if len(got) != len(want) {
		t.Errorf("tokens %v, want exactly %v", terms(ts), want)
	}
}

func TestUserDictionaryKeepsWordsWhole(t *testing.T) {
	const place = "康大营镇"
	without := terms(mustTokenizer(t).Tokenize([]byte(place + "政府")))
	with := terms(mustTokenizer(t, place).Tokenize([]byte(place + "政府")))
	if !slices.Contains(with, place) {
		t.Fatalf("with user dictionary: %v lacks %s", with, place)
	}
	if slices.Contains(without, place) {
		t.Fatalf("without user dictionary %s should not be a word: %v", place, without)
	}
}

func TestFolding(t *testing.T) {
	words, err := NewWordAnalyzer(nil)
	if err != nil {
		t.Fatal(err)
	}
	bigrams, err := NewBigramAnalyzer(true)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		an   analysis.Analyzer
		in   string
		want []string
	}{
		{words, "國辦發醫療保險", []string{"国办发", "医疗保险"}},
		{words, "ＧＤＰ２０１７", []string{"gdp2017"}},
		{bigrams, "醫療保險", []string{"医疗", "疗保", "保险"}},
		{bigrams, "ＡＢＣ　１２３", []string{"abc", "123"}},
	}
	for _, c := range cases {
		in := []byte(c.in)
		ts := c.an.Analyze(slices.Clone(in))
		got := terms(ts)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: terms %v lack %q", c.in, got, w)
			}
		}
		for _, tk := range ts { // offsets still point into the original text
			orig := string(in[tk.Start:tk.End])
			if utf8.RuneCountInString(orig) != utf8.RuneCount(tk.Term) {
				t.Errorf("%q: term %q has offsets of %q", c.in, tk.Term, orig)
			}
		}
	}
}

func TestFoldWidth(t *testing.T) {
	if got := FoldWidth("ＡＢＣ　１２３，中文"); got != "ABC 123,中文" {
		t.Fatalf("FoldWidth = %q", got)
	}
	if got := FoldWidth("中文abc"); !strings.EqualFold(got, "中文abc") {
		t.Fatalf("FoldWidth changed plain text: %q", got)
	}
	for _, s := range []string{"", "国办发〔2017〕47号", "一般户每户补助１万元（ＡＢＣ）\xff\xfe末尾　", "\xef\xbc", "ａ"} {
		want, _ := foldForSegmenting([]byte(s))
		if got := FoldWidth(s); got != string(want) {
			t.Errorf("FoldWidth(%q) = %q, want %q as the tokenizer folds it", s, got, want)
		}
	}
	// searches fold whole document texts: plain text is not copied, other
	// text once (it was copied as bytes, folded with an offset table four
	// times its size and copied back: 1.2 MB for a 300 KB text)
	plain, wide := strings.Repeat("农村危房改造补助标准", 1000), strings.Repeat("补助１万元（国办发）", 1000)
	if n := testing.AllocsPerRun(10, func() { FoldWidth(plain) }); n != 0 {
		t.Errorf("FoldWidth of plain text: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(10, func() { FoldWidth(wide) }); n != 1 {
		t.Errorf("FoldWidth of full-width text: %v allocations, want 1", n)
	}
}

func BenchmarkWordAnalyzer(b *testing.B) {
	an, err := NewWordAnalyzer(nil)
	if err != nil {
		b.Fatal(err)
	}
	text := []byte(strings.Repeat("根据上级要求，现将农村危房改造补助标准公告如下：一般户每户补助１万元（国办发〔2017〕47号），貧困戶每戶補助兩萬元。ABC Policy 2017.", 20))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		an.Analyze(text)
	}
}
