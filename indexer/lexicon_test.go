package indexer

import (
	"fmt"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/gongkai-project/gongkai/indexer/chinese"
)

// TestLexiconBuildStops checks that stopping a lexicon build that still waits
// for gse's dictionary ends it at once (an index closed by a short command
// does not wait for the load), as it does a build waiting for a first search
// after the load, and that a build asked for (get) gives its lexicon.
func TestLexiconBuildStops(t *testing.T) {
	idx, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	// user words of their own make a load of their own, which takes seconds
	words := chinese.LoadTokenizer([]string{fmt.Sprintf("停建测试词%d", time.Now().UnixNano())})
	b := buildLexiconAsync(idx, &synonyms{}, words)
	b.stop()
	if words.Ready() {
		t.Fatal("stop waited for the dictionary's load")
	}
	if b.lex != nil {
		t.Fatal("a stopped build gave a lexicon")
	}
	if err := words.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	b = buildLexiconAsync(idx, &synonyms{}, words)
	b.stop()
	if b.lex != nil {
		t.Fatal("a build stopped while it waited for a first search (lexiconDelay) gave a lexicon")
	}
	b = buildLexiconAsync(idx, &synonyms{}, words)
	if b.get() == nil {
		t.Fatal("a build after the load gave no lexicon")
	}
	b.stop()
}
