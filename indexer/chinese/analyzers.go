package chinese

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analyzer names registered with Bleve.
const (
	// WordAnalyzer is gse words folded: width, case, traditional to simplified.
	WordAnalyzer = "gk_words"
	// BigramAnalyzer is Bleve's cjk analyzer with the same folding filters,
	// in one pass (BigramTokenizer).
	BigramAnalyzer = "gk_bigram"
	// BigramIndexAnalyzer is BigramAnalyzer without offsets (Start = End = 0):
	// the index keeps positions for phrases but not offsets, a quarter of
	// the bigram term vectors.
	BigramIndexAnalyzer = "gk_bigram_pos"
)

// NewWordAnalyzer returns the gse word analyzer for a user dictionary.
func NewWordAnalyzer(userWords []string) (analysis.Analyzer, error) {
	tok, err := NewTokenizer(userWords)
	if err != nil {
		return nil, err
	}
	return withFolding(tok)
}

// NewBigramAnalyzer returns the CJK bigram analyzer with our folding; with
// offsets false its tokens carry positions only.
func NewBigramAnalyzer(offsets bool) (analysis.Analyzer, error) {
	tok, err := NewBigramTokenizer(offsets)
	if err != nil {
		return nil, err
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
}

// withFolding returns an analyzer of tok with width, lowercase and t2s folding.
func withFolding(tok analysis.Tokenizer) (*analysis.DefaultAnalyzer, error) {
	t2sf, err := NewT2SFilter()
	if err != nil {
		return nil, err
	}
	return &analysis.DefaultAnalyzer{
		Tokenizer:    tok,
		TokenFilters: []analysis.TokenFilter{widthFilter{}, lowercase.NewLowerCaseFilter(), t2sf},
	}, nil
}

func wordAnalyzerConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	name, _ := config["tokenizer"].(string)
	if name == "" {
		name = TokenizerName
	}
	tok, err := cache.TokenizerNamed(name)
	if err != nil {
		return nil, fmt.Errorf("%s: tokenizer %q: %w", WordAnalyzer, name, err)
	}
	return withFolding(tok)
}

func bigramAnalyzerConstructor(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
	return NewBigramAnalyzer(true)
}

func bigramIndexAnalyzerConstructor(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
	return NewBigramAnalyzer(false)
}

func init() {
	if err := registry.RegisterAnalyzer(WordAnalyzer, wordAnalyzerConstructor); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(BigramAnalyzer, bigramAnalyzerConstructor); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(BigramIndexAnalyzer, bigramIndexAnalyzerConstructor); err != nil {
		panic(err)
	}
}
