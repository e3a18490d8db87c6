package indexer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Query is a search request. Text may hold "quoted phrases" and -exclusions;
// Sort is "" (relevance) or "date"; After, if set, is the Sort of the last hit
// of the previous page (search_after) and Offset is then ignored.
type Query struct {
	Text                         string
	Category, Channel, Publisher string
	Validity                     string    // one of store.Validities, or "" for any
	Unit                         string    // the unit (township, bureau) documents belong to, or "" for any
	Attachment                   string    // documents with an attachment of this type (store.AttachmentTypes), or "" for any
	From, To                     time.Time // published in [From, To); zero means open
	Sort                         string
	Limit, Offset                int
	After                        []string
	// NoFacets skips the facet counts (Result.Facets is then empty): on
	// ../shared/eval they cost ≈ 0.35 CPU-ms a short query, less for a
	// question (counted from a table, see facetColumns).
	NoFacets bool
}

// Hit is one found document. Snippet is HTML: escaped text with <mark> only.
type Hit struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Published time.Time `json:"published,omitzero"`
	Category  string    `json:"category"`
	Channel   string    `json:"channel"`
	Publisher string    `json:"publisher"`
	Validity  string    `json:"validity"` // 有效性: one of store.Validities
	Snippet   string    `json:"snippet"`
	// MatchedIn says where the query's words are: "title", "body",
	// "attachment" (in that order; empty when found by document number).
	MatchedIn []string `json:"matched_in"`
	// Attachment is the attachment that matched best, when one did.
	Attachment *HitAttachment `json:"attachment,omitempty"`
	Score      float64        `json:"score"`
	Sort       []string       `json:"sort,omitempty"` // pass as Query.After for the next page
	// Pinned marks a best bet: a document staff pinned to the query (set by
	// the web server, never by Search).
	Pinned bool `json:"pinned,omitempty"`
}

// HitAttachment is the attachment of a hit that holds the query's words,
// with a snippet of its text (HTML like Hit.Snippet).
type HitAttachment struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Snippet string `json:"snippet"`
}

// FacetCount is one value of a facet and its number of documents.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// Result is a page of hits with facets (category, channel, publisher, year,
// month, validity) over all matching documents.
type Result struct {
	Total      uint64                  `json:"total"`
	Hits       []Hit                   `json:"hits"`
	Facets     map[string][]FacetCount `json:"facets"`
	DidYouMean string                  `json:"did_you_mean,omitempty"`
	Expanded   []string                `json:"expanded,omitempty"` // synonyms, pinyin and corrections used
	// Relaxed says that no document held all the words of a short query:
	// the hits hold all but Dropped, with each word of Split (held whole
	// by none) replaced by its parts.
	Relaxed bool        `json:"relaxed,omitempty"`
	Dropped []string    `json:"dropped,omitempty"`
	Split   []SplitWord `json:"split,omitempty"`
	terms   *termSet    // what the snippets mark

	// FacetsEstimated says the facet counts are estimates: a question
	// matching more than 20,000 documents counts them on a sample.
	FacetsEstimated bool `json:"facets_estimated,omitempty"`
}

// Limits of a page of results; Search clamps Query.Limit and Query.Offset to
// them, and the web checks its parameters against them.
const (
	DefaultLimit = 10
	MaxLimit     = 100
	MaxOffset    = 10000 // deeper pages use After
)

// Search runs q and returns one page of hits. Short queries need all their
// words (relaxed, when no document holds them all: see relax); questions rank
// by all their words. A homophone typo is corrected when the query finds nothing,
// and offered as DidYouMean when the correction finds much more.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := ix.ready(ctx); err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, fmt.Errorf("search %q: index is closed", q.Text)
	}
	defer ix.lex.hurry() // the lexicon's build waits for a first search to end
	pq := parseQuery(q.Text)
	pq = ix.simplify(pq)
	p := ix.planQuery(pq, ix.lex)
	if err := ix.admit.acquire(ctx, ix.searchCost(p)); err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	defer ix.admit.release()
	res, err := ix.runPlan(ctx, q, p, p.isShort())
	if err != nil {
		return nil, err
	}
	if res.Total == 0 && len(p.units) > 0 && p.isShort() {
		relaxed, err := ix.relax(ctx, q, p)
		if err != nil {
			return nil, fmt.Errorf("search %q: relax: %w", q.Text, err)
		}
		if relaxed != nil {
			res = relaxed
		}
	}
	return ix.tryCorrection(ctx, q, pq, res, res.Relaxed)
}

// maxAdmissionWait is how long a search waits for a free CPU before it goes
// ahead of cheaper searches.
const maxAdmissionWait = 20 * time.Millisecond

// searchCost estimates the work of a plan for the admission order: for a
// short query, the fewest documents one of its words can match (bounded by
// the document frequency of the word's rarest bigram, in body and title);
// for a question, which scores every posting of its terms, the number of
// those postings (at least the number of documents).
func (ix *Index) searchCost(p *plan) uint64 {
	n, err := ix.idx.DocCount()
	if err != nil || len(p.units) == 0 {
		return n
	}
	if !p.isShort() {
		ix.bodyTerms(p)
		return max(n, p.postings)
	}
	dfs, err := openDocFreqs(ix.idx)
	if err != nil {
		return n
	}
	defer dfs.Close()
	p.lists = dfs.keep() // pruneShort reads the same bigrams
	best := n
	for _, u := range p.units {
		var c uint64
		for _, w := range u.words {
			c += ix.wordCost(dfs, w, n)
		}
		best = min(best, c)
	}
	return best
}

// wordCost bounds the documents word w matches: those holding its rarest
// bigram in the body or in the title (n, all documents, for one character).
func (ix *Index) wordCost(dfs *docFreqs, w string, n uint64) uint64 {
	toks := ix.bigrams.Analyze([]byte(w))
	if utf8.RuneCountInString(w) < 2 || len(toks) == 0 {
		return n
	}
	var cost uint64
	for _, f := range []string{fBodyBi, fTitleBi} {
		rarest := n
		for _, t := range toks {
			df, err := dfs.of(f, string(t.Term))
			if err != nil {
				return n
			}
			rarest = min(rarest, df)
		}
		cost += rarest
	}
	return cost
}

// simplify folds traditional characters of the query to simplified.
func (ix *Index) simplify(pq parsedQuery) parsedQuery {
	pq.text, _ = ix.t2s.Convert(pq.text)
	for i, s := range pq.phrases {
		pq.phrases[i], _ = ix.t2s.Convert(s)
	}
	return pq
}

// tryCorrection re-runs the query with homophone typos corrected; the
// corrected results replace those of a query that found nothing with all its
// words (relaxed).
func (ix *Index) tryCorrection(ctx context.Context, q Query, pq parsedQuery, res *Result, relaxed bool) (*Result, error) {
	if res.Total > 20 {
		return res, nil
	}
	lex := ix.lex.get()
	if lex == nil {
		return res, nil
	}
	fixed, ok := lex.correct(pq.text)
	if !ok {
		return res, nil
	}
	pq2 := pq
	pq2.text = fixed
	p2 := ix.planQuery(pq2, ix.lex)
	res2, err := ix.runPlan(ctx, q, p2, p2.isShort())
	if err != nil {
		return nil, err
	}
	switch {
	case (res.Total == 0 || relaxed) && res2.Total > 0:
		res2.DidYouMean = fixed
		res2.Expanded = append(res2.Expanded, fixed)
		return res2, nil
	case res2.Total > 2*res.Total:
		res.DidYouMean = fixed
	}
	return res, nil
}

// runPlan builds and runs the Bleve request of a plan. A short query ranked
// by relevance has its first titleWindow hits re-ranked by title evidence
// (rerankByTitle); its pages within that window are cut from the re-ranked
// list, and After names a hit of it by id.
func (ix *Index) runPlan(ctx context.Context, q Query, p *plan, all bool) (*Result, error) {
	from, size := page(q)
	rerank := all && q.Sort != "date" && len(p.units) > 0
	if rerank && len(q.After) > 0 {
		window, err := ix.runBleve(ctx, q, p, all, 0, titleWindow, nil)
		if err != nil {
			return nil, err
		}
		ix.rerankByTitle(window.Hits, p)
		i := slices.IndexFunc(window.Hits, func(h Hit) bool { return h.ID == q.After[len(q.After)-1] })
		if i < 0 { // a hit beyond the window, in Bleve's order
			res, err := ix.runBleve(ctx, q, p, all, 0, size, q.After)
			return ix.finish(ctx, q, res, err)
		}
		from, q.After = i+1, nil
	}
	if !rerank || from >= titleWindow {
		res, err := ix.runBleve(ctx, q, p, all, from, size, q.After)
		return ix.finish(ctx, q, res, err)
	}
	res, err := ix.runBleve(ctx, q, p, all, 0, max(titleWindow, from+size), nil)
	if err != nil {
		return nil, err
	}
	ix.rerankByTitle(res.Hits[:min(titleWindow, len(res.Hits))], p)
	res.Hits = res.Hits[min(from, len(res.Hits)):min(from+size, len(res.Hits))]
	return ix.finish(ctx, q, res, nil)
}

// runBleve runs the Bleve request of a plan for hits [from, from+size) or
// the size hits after the sort values after; the hits have no snippets yet.
func (ix *Index) runBleve(ctx context.Context, q Query, p *plan, all bool, from, size int, after []string) (*Result, error) {
	n, err := ix.idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	stats := ix.stats.bm25Stats(n)
	bq, pruned, err := ix.buildQuery(ctx, q, p, all, stats)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	bq = ix.singleTermPhrases(bq)
	scored, err := ix.bm25.rewrite(bq)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	var top *bestQuery
	if pruned == nil { // a pruned question demotes before it keeps its page
		scored = demoted(scored, ix.outdated)
		if q.Sort != "date" && len(after) == 0 {
			top = &bestQuery{inner: scored, keep: from + size, short: all, lists: p.lists, bounds: &ix.bounds, scratch: &ix.shorts}
			if !q.NoFacets {
				top.facets = &ix.facetCols
			}
			scored = top
		}
	}
	req := bleve.NewSearchRequestOptions(scored, size, from, false)
	if len(after) > 0 {
		req.SetSearchAfter(after)
	}
	if q.Sort == "date" {
		req.SortBy([]string{"-" + fPublished, "_id"})
	} else {
		req.SortBy([]string{"-_score", "_id"})
	}
	req.Fields = []string{fTitle, fURL, fPublished, fCategory, fChannel, fPublisher, fValidity}
	if top != nil { // read by document number (loadStored)
		top.fields, top.from, req.Fields = req.Fields, from, nil
	}
	if !q.NoFacets && pruned == nil && top == nil {
		req.AddFacet(fFacets, bleve.NewFacetRequest(fFacets, facetTerms))
	}
	req.PreSearchData = map[string]interface{}{bm25Key: stats}
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	res := &Result{Total: sr.Total, Hits: make([]Hit, 0, len(sr.Hits)), Facets: facets(sr.Facets), Expanded: p.expanded}
	matched := top.found()
	if pruned != nil {
		matched = pruned.matched
	}
	if matched != nil {
		res.Total = matched.total
		if matched.facets != nil {
			res.Facets, res.FacetsEstimated = matched.facets, matched.facetsEstimated
		}
	}
	for _, h := range sr.Hits {
		if top != nil {
			doc, err := internalDoc(h.IndexInternalID)
			if err != nil {
				return nil, fmt.Errorf("search %q: %w", q.Text, err)
			}
			fields, ok := top.stored[doc]
			if !ok {
				return nil, fmt.Errorf("search %q: stored fields of %s not read", q.Text, h.ID)
			}
			h.Fields = fields
		}
		res.Hits = append(res.Hits, toHit(h))
	}
	res.terms = newTermSet(ix.highlightTerms(bq))
	return res, nil
}

// finish adds the snippets of res's hits.
func (ix *Index) finish(ctx context.Context, q Query, res *Result, err error) (*Result, error) {
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	texts, err := ix.texts.TextHeads(ctx, ids, attachmentScanBytes)
	if err != nil {
		return nil, fmt.Errorf("search %q: snippets: %w", q.Text, err)
	}
	for i := range res.Hits {
		ix.describe(&res.Hits[i], texts[res.Hits[i].ID], res.terms)
	}
	return res, nil
}

// page returns the offset (0 with After) and size of q's page.
func page(q Query) (from, size int) {
	size = min(max(q.Limit, 1), MaxLimit)
	if q.Limit <= 0 {
		size = DefaultLimit
	}
	if len(q.After) == 0 {
		from = min(max(q.Offset, 0), MaxOffset)
	}
	return from, size
}

// buildQuery combines text, phrases, exclusions and document numbers, which
// score, with the filters, which do not. A question that nothing else
// scores, ranked by score from the first page on, is the whole query (its
// filters applied inside it) and is returned as pruned too: it hands the
// collector only the documents of q's page and counts the total and facets
// itself.
func (ix *Index) buildQuery(ctx context.Context, q Query, p *plan, all bool, stats *search.BM25Stats) (query.Query, *questionQuery, error) {
	if !all {
		ix.bodyTerms(p)
	}
	p.attWeight = 0
	if ix.stats.sums[5] > 0 { // the index holds attachment bigrams
		p.attWeight = ix.attWeight
	}
	tq, filter := p.textQuery(all, stats), filterQuery(q)
	if qq, ok := tq.(*questionQuery); ok {
		qq.pool = &ix.scores
		qq.outdated = ix.outdated
		qq.bounds = &ix.bounds
		qq.lists = p.lists
		if len(p.docNums)+len(p.phrases)+len(p.excludes) == 0 && q.Sort != "date" && len(q.After) == 0 {
			from, size := page(q)
			qq.keep, qq.filter = from+size, filter
			if !q.NoFacets {
				qq.facets = &ix.facetCols
			}
			return qq, qq, nil
		}
		if len(p.phrases) > 0 { // each a must clause below
			qq.within = &withinPhrases{phrases: p.phrases, fields: ix.phraseFields()}
		}
	}
	b := bleve.NewBooleanQuery()
	if len(p.docNums) > 0 {
		dq := docNumberQuery(p.docNums)
		if tq != nil {
			tq = bleve.NewDisjunctionQuery(dq, tq)
		} else {
			tq = dq
		}
	}
	switch {
	case tq != nil && p.textOptional(all):
		b.AddShould(tq)
	case tq != nil:
		b.AddMust(tq)
	}
	for _, ph := range p.phrases {
		pq, err := ix.phraseQuery(ctx, ph)
		if err != nil {
			return nil, nil, err
		}
		b.AddMust(pq)
	}
	for _, ex := range p.excludes {
		body, err := ix.bodyPhrase(ctx, ex, 1)
		if err != nil {
			return nil, nil, err
		}
		b.AddMustNot(phraseField(ex, fTitleBi, 1), body)
	}
	if filter != nil {
		b.AddFilter(filter)
	}
	if tq == nil && len(p.phrases) == 0 {
		b.AddMust(bleve.NewMatchAllQuery())
	}
	return b, nil, nil
}

// filterQuery restricts to the category, channel, publisher, validity,
// attachment type, unit and date range of q; nil when q has none.
func filterQuery(q Query) query.Query {
	var fs []query.Query
	for _, kv := range [][2]string{{fCategory, q.Category}, {fChannel, q.Channel}, {fPublisher, q.Publisher}, {fValidity, q.Validity}, {fAttType, q.Attachment}} {
		if v := strings.TrimSpace(kv[1]); v != "" {
			fs = append(fs, termField(v, kv[0], 1))
		}
	}
	if u := strings.TrimSpace(q.Unit); u != "" {
		fs = append(fs, termField(unitTerm(u), fFacets, 1))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		incl, excl := true, false
		dr := bleve.NewDateRangeInclusiveQuery(q.From, q.To, &incl, &excl)
		dr.SetField(fPublished)
		fs = append(fs, dr)
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return bleve.NewConjunctionQuery(fs...)
}

// toHit returns the hit of a match with its stored fields; the snippet is left to the caller.
func toHit(h *search.DocumentMatch) Hit {
	str := func(f string) string {
		s, _ := h.Fields[f].(string)
		return s
	}
	hit := Hit{ID: h.ID, Title: str(fTitle), URL: str(fURL), Category: str(fCategory),
		Channel: str(fChannel), Publisher: str(fPublisher), Validity: str(fValidity), Score: h.Score, Sort: slices.Clone(h.Sort)}
	for i, v := range hit.Sort {
		if v == "_score" { // Bleve reports the name; search_after needs the value
			hit.Sort[i] = strconv.FormatFloat(h.Score, 'g', -1, 64)
		}
	}
	if p := str(fPublished); p != "" {
		if t, err := time.Parse(time.RFC3339, p); err == nil {
			hit.Published = t
		}
	}
	return hit
}

// singleTermPhrases replaces, in place, the phrase clauses on the title
// bigrams that analyse to one token (a two-character word) by a term query of
// that token with the same boost and field. Bleve runs every phrase through a
// phrase searcher that decodes term positions, even for one term; the term
// query matches and scores the same documents the same way without them
// (checked on ../shared/eval: same hits and scores for 539 queries, 7-10%
// less CPU).
func (ix *Index) singleTermPhrases(q query.Query) query.Query {
	switch x := q.(type) {
	case *query.BooleanQuery:
		if x != nil {
			if x.Must != nil {
				x.Must = ix.singleTermPhrases(x.Must)
			}
			if x.Should != nil {
				x.Should = ix.singleTermPhrases(x.Should)
			}
			if x.MustNot != nil {
				x.MustNot = ix.singleTermPhrases(x.MustNot)
			}
		}
	case *query.ConjunctionQuery:
		if x != nil {
			for i, c := range x.Conjuncts {
				x.Conjuncts[i] = ix.singleTermPhrases(c)
			}
		}
	case *query.DisjunctionQuery:
		if x != nil {
			for i, c := range x.Disjuncts {
				x.Disjuncts[i] = ix.singleTermPhrases(c)
			}
		}
	case *sumQuery:
		x.page, x.att = ix.singleTermPhrases(x.page), ix.singleTermPhrases(x.att)
	case *query.MatchPhraseQuery:
		if x != nil && x.FieldVal == fTitleBi && x.Analyzer == "" && x.Fuzziness == 0 {
			if toks := ix.bigrams.Analyze([]byte(x.MatchPhrase)); len(toks) == 1 {
				tq := bleve.NewTermQuery(string(toks[0].Term))
				tq.SetField(x.FieldVal)
				tq.SetBoost(x.BoostVal.Value())
				return tq
			}
		}
	}
	return q
}
