package indexer

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/indexer/chinese"
)

// Exact phrases. Title bigrams keep their positions, so a title phrase is a
// phrase query. Body bigrams are indexed without positions (they would double
// the index), so a body phrase of several bigrams first finds the documents
// holding all of them, and keeps those whose stored text holds the phrase:
// the bigrams never miss a document that holds the phrase, and the text
// check drops those that hold them apart.

// phraseCheckChunk is how many candidate texts are read from the store at once.
const phraseCheckChunk = 200

// wPhraseTitle weights a quoted phrase found in a title (the weight short
// queries had before their title evidence; questions with quotes were
// measured with it).
const wPhraseTitle = 0.5

// phraseQuery matches documents whose title, body or (when the index holds
// any) attachments hold phrase s exactly; an attachment's is weighted as
// its words are.
func (ix *Index) phraseQuery(ctx context.Context, s string) (query.Query, error) {
	body, err := ix.bodyPhrase(ctx, s, wBodyBi)
	if err != nil {
		return nil, err
	}
	dis := bleve.NewDisjunctionQuery(phraseField(s, fTitleBi, wPhraseTitle), body)
	if len(ix.phraseFields()) > 2 {
		att, err := ix.textPhrase(ctx, s, fAttBi, ix.attWeight*wBodyBi)
		if err != nil {
			return nil, err
		}
		dis.AddQuery(att)
	}
	return dis, nil
}

// phraseFields are the fields phraseQuery looks a phrase up in: the title
// and body bigrams, and the attachments' when the index holds any.
func (ix *Index) phraseFields() []string {
	if ix.stats.sums[5] > 0 {
		return []string{fTitleBi, fBodyBi, fAttBi}
	}
	return []string{fTitleBi, fBodyBi}
}

// bodyPhrase matches, and scores by its bigrams, the documents whose body
// holds phrase s exactly.
func (ix *Index) bodyPhrase(ctx context.Context, s string, boost float64) (query.Query, error) {
	return ix.textPhrase(ctx, s, fBodyBi, boost)
}

// textPhrase matches, and scores by its bigrams in field (fBodyBi or
// fAttBi), the documents whose stored body or attachment text holds phrase
// s exactly.
func (ix *Index) textPhrase(ctx context.Context, s, field string, boost float64) (query.Query, error) {
	bigrams := andField(s, field, boost)
	if len(ix.bigrams.Analyze([]byte(s))) <= 1 {
		return bigrams, nil // one bigram (or word) is exact by itself
	}
	ids, err := ix.phraseDocs(ctx, s, field)
	if err != nil {
		return nil, err
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(bigrams)
	b.AddFilter(bleve.NewDocIDQuery(ids))
	return b, nil
}

// phraseDocs returns the ids of the documents holding all the bigrams of s
// in field whose stored text (body, or attachments for fAttBi) holds s,
// compared as foldPhrase folds both.
func (ix *Index) phraseDocs(ctx context.Context, s, field string) ([]string, error) {
	version := ix.phrases.version()
	key := field + "\x00" + s
	if ids, ok := ix.phrases.get(key, version); ok {
		return ids, nil
	}
	ids, err := ix.checkPhrase(ctx, s, field)
	if err == nil {
		ix.phrases.put(key, version, ids)
	}
	return ids, err
}

// checkPhrase reads the candidate texts of phraseDocs.
func (ix *Index) checkPhrase(ctx context.Context, s, field string) ([]string, error) {
	cands, err := ix.matchingIDs(ctx, andField(s, field, 1))
	if err != nil {
		return nil, fmt.Errorf("phrase %q: %w", s, err)
	}
	want := ix.foldPhrase(s)
	var out []string
	for len(cands) > 0 {
		n := min(len(cands), phraseCheckChunk)
		texts, err := ix.texts.Texts(ctx, cands[:n])
		if err != nil {
			return nil, fmt.Errorf("phrase %q: %w", s, err)
		}
		for _, id := range cands[:n] {
			t, ok := texts[id]
			if !ok {
				continue
			}
			text := t.Body
			if field == fAttBi {
				var b strings.Builder
				for _, a := range t.Attachments {
					b.WriteString(a.Text + "\n")
				}
				text = b.String()
			}
			if strings.Contains(text, s) || strings.Contains(ix.foldPhrase(text), want) {
				out = append(out, id)
			}
		}
		cands = cands[n:]
	}
	return out, nil
}

// foldPhrase folds s as the bigram analyser does (width, case, traditional
// to simplified) and turns each run of what it does not index (spaces,
// punctuation) into one space: "危房，改造" matches "危房、改造" but not
// "危房改造", as a phrase of bigram positions would.
func (ix *Index) foldPhrase(s string) string {
	s = ix.t2s.FoldSameLength(strings.ToLower(chinese.FoldWidth(s)))
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			gap = b.Len() > 0
			continue
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// matchingIDs returns the ids of all documents q matches, unscored.
func (ix *Index) matchingIDs(ctx context.Context, q query.Query) ([]string, error) {
	const page = 10000
	var ids []string
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.SortBy([]string{"_id"})
		req.Score = "none"
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < page {
			return ids, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// phraseCache keeps the documents found to hold a body phrase, so that
// paging through a phrase's results checks the texts once. Every change of
// the index starts a new version, which empties it.
type phraseCache struct {
	mu  sync.Mutex
	ver uint64
	ids map[string][]string
}

// maxCachedPhrases bounds the cache; when full it starts again empty.
const maxCachedPhrases = 256

func (c *phraseCache) version() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ver
}

// invalidate starts a new version: the index has changed.
func (c *phraseCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ver++
	c.ids = nil
}

func (c *phraseCache) get(phrase string, ver uint64) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids, ok := c.ids[phrase]
	return ids, ok && ver == c.ver
}

// put keeps ids if they were found in the current version.
func (c *phraseCache) put(phrase string, ver uint64, ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ver != c.ver {
		return
	}
	if c.ids == nil || len(c.ids) >= maxCachedPhrases {
		c.ids = map[string][]string{}
	}
	c.ids[phrase] = ids
}
