package indexer

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Suggest returns up to n titles for what the user has typed so far: titles
// holding the prefix as a phrase, or, for pinyin input, holding the words
// the pinyin stands for.
func (ix *Index) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	if err := ix.ready(ctx); err != nil {
		return nil, fmt.Errorf("suggest %q: %w", prefix, err)
	}
	pq := ix.simplify(parseQuery(prefix))
	text := strings.TrimSpace(pq.text)
	if text == "" || n <= 0 {
		return nil, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if isPinyinInput(text) {
		if lex := ix.lex.get(); lex != nil {
			if words := lex.fromPinyin(text); len(words) > 0 {
				text = words[0]
			}
		}
	}
	var q query.Query
	if utf8.RuneCountInString(text) == 1 {
		q = prefixField(text, fTitleBi, 1)
	} else {
		q = phraseField(text, fTitleBi, 1)
	}
	q, err := ix.bm25.rewrite(q)
	if err != nil {
		return nil, fmt.Errorf("suggest %q: %w", prefix, err)
	}
	req := bleve.NewSearchRequestOptions(q, n*3, 0, false)
	req.SortBy(stableOrder)
	req.Fields = []string{fTitle}
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("suggest %q: %w", prefix, err)
	}
	var out []string
	for _, h := range sr.Hits {
		if t, _ := h.Fields[fTitle].(string); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { // titles starting with the text first
		return strings.HasPrefix(out[i], text) && !strings.HasPrefix(out[j], text)
	})
	return out[:min(n, len(out))], nil
}

// stableOrder sorts suggestions and related documents by score, then newest
// first, then id, so equal scores do not follow the internal document numbers
// (which depend on crawl and batch order) and pages stay the same from run to run.
var stableOrder = []string{"-_score", "-" + fPublished, "_id"}

// relatedKeywords is how many gse keywords of a document find its related documents.
const relatedKeywords = 12

// Related returns up to n documents that share the most telling words
// (gse words weighted by frequency in the document and rarity in titles) with document id.
func (ix *Index) Related(ctx context.Context, id string, n int) ([]Hit, error) {
	if err := ix.ready(ctx); err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	doc, err := ix.idx.Document(id)
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("related to %s: document not in the index", id)
	}
	texts, err := ix.texts.Texts(ctx, []string{id})
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	kws := ix.keywords(texts[id].Title, texts[id].Body)
	if len(kws) == 0 {
		return nil, nil
	}
	dis := bleve.NewDisjunctionQuery()
	for _, k := range kws {
		dis.AddQuery(termField(k, fTitle, 2), termField(k, fBody, 1))
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(dis)
	b.AddMustNot(bleve.NewDocIDQuery([]string{id}))
	scored, err := ix.bm25.rewrite(b)
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	rreq := bleve.NewSearchRequestOptions(scored, n, 0, false)
	rreq.SortBy(stableOrder)
	rreq.Fields = []string{fTitle, fURL, fPublished, fCategory, fChannel, fPublisher}
	docs, _ := ix.idx.DocCount()
	rreq.PreSearchData = map[string]interface{}{bm25Key: ix.stats.bm25Stats(docs)}
	rr, err := ix.idx.SearchInContext(ctx, rreq)
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	out := make([]Hit, 0, len(rr.Hits))
	for _, h := range rr.Hits {
		out = append(out, toHit(h))
	}
	return out, nil
}

// keywords picks the document's words of 2+ characters with the best
// frequency × title-rarity, title words counted three times.
func (ix *Index) keywords(title, body string) []string {
	const maxBody = 6000
	if len(body) > maxBody {
		body = body[:runeStart(body, maxBody)]
	}
	tf := map[string]float64{}
	for i, text := range []string{title, body} {
		weight := 1.0
		if i == 0 {
			weight = 3
		}
		for _, tok := range ix.words.Tokenize([]byte(text)) {
			w := strings.ToLower(string(tok.Term))
			if utf8.RuneCountInString(w) < 2 || questionWords[w] {
				continue
			}
			tf[w] += weight
		}
	}
	type kw struct {
		w string
		s float64
	}
	var list []kw
	lex := ix.lex.get()
	for w, f := range tf {
		df := 1
		if lex != nil {
			df += lex.df[w]
		}
		list = append(list, kw{w, f / float64(df)})
	}
	slices.SortFunc(list, func(a, b kw) int {
		if a.s != b.s {
			if a.s > b.s {
				return -1
			}
			return 1
		}
		return strings.Compare(a.w, b.w)
	})
	var out []string
	for _, k := range list[:min(relatedKeywords, len(list))] {
		out = append(out, k.w)
	}
	return out
}
