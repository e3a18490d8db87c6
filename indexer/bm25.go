package indexer

import (
	"context"
	"fmt"
	"math"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Bleve 2.6.3 reads BM25's k1 and b from package variables (search.BM25_k1,
// search.BM25_b) that every index of the process shares, and offers no
// per-index or per-request setting. So an Index scores terms with its own
// term searcher, which computes Bleve's BM25 formula with the Index's
// parameters: before a request runs, bm25.rewrite replaces each clause of the
// query that scores terms (term, match, match-phrase and prefix queries) by
// one whose leaves are that searcher; the boolean, conjunction and
// disjunction clauses stay Bleve's. TestBM25RewriteMatchesBleve checks that
// with Bleve's parameters the scores are Bleve's, on ../shared/eval.

// bm25 holds the parameters of BM25: k1, the term-frequency saturation, and
// b, how much a field's length normalises its term frequencies.
type bm25 struct{ k1, b float64 }

// defaultBM25 is what an Index scores with: k1 2.0 beat Bleve's 1.2 by
// +0.004 MRR@10 on the ../shared/eval DEV questions (RANKING.md); b is
// Bleve's 0.75.
var defaultBM25 = bm25{k1: 2.0, b: 0.75}

// rewrite returns q with each clause that scores terms replaced by one that
// scores them with p. Clauses that only exclude or filter (must-not, filter)
// are kept, as are queries that do not score by BM25. A question's searcher
// reports back through the query itself, so a *questionQuery is given p in
// place. Other query types are an error, so that none scores with Bleve's
// process-wide parameters unnoticed.
func (p bm25) rewrite(q query.Query) (query.Query, error) {
	switch x := q.(type) {
	case nil:
		return nil, nil
	case *query.BooleanQuery:
		c := *x
		var err error
		if c.Must, err = p.rewrite(x.Must); err != nil {
			return nil, err
		}
		if c.Should, err = p.rewrite(x.Should); err != nil {
			return nil, err
		}
		return &c, nil
	case *query.ConjunctionQuery:
		c := *x
		c.Conjuncts = make([]query.Query, len(x.Conjuncts))
		for i, s := range x.Conjuncts {
			r, err := p.rewrite(s)
			if err != nil {
				return nil, err
			}
			c.Conjuncts[i] = r
		}
		return &c, nil
	case *query.DisjunctionQuery:
		c := *x
		c.Disjuncts = make([]query.Query, len(x.Disjuncts))
		for i, s := range x.Disjuncts {
			r, err := p.rewrite(s)
			if err != nil {
				return nil, err
			}
			c.Disjuncts[i] = r
		}
		return &c, nil
	case *query.TermQuery:
		return &termQuery{term: x.Term, field: x.FieldVal, boost: x.BoostVal.Value(), bm25: p}, nil
	case *query.MatchQuery:
		if x.Analyzer != "" || x.Fuzziness != 0 || x.Prefix != 0 {
			return nil, fmt.Errorf("match query %q: own analyser, fuzziness or prefix not supported", x.Match)
		}
		return &matchQuery{MatchQuery: x, bm25: p}, nil
	case *query.MatchPhraseQuery:
		if x.Analyzer != "" || x.Fuzziness != 0 {
			return nil, fmt.Errorf("phrase query %q: own analyser or fuzziness not supported", x.MatchPhrase)
		}
		return &phraseQuery{MatchPhraseQuery: x, bm25: p}, nil
	case *sumQuery:
		page, err := p.rewrite(x.page)
		if err != nil {
			return nil, err
		}
		att, err := p.rewrite(x.att)
		if err != nil {
			return nil, err
		}
		return &sumQuery{page: page, att: att}, nil
	case *query.PrefixQuery:
		return &prefixQuery{prefix: x.Prefix, field: x.FieldVal, boost: x.BoostVal.Value(), bm25: p}, nil
	case *questionQuery:
		x.bm25 = p
		return x, nil
	case *query.MatchAllQuery, *query.MatchNoneQuery, *query.DocIDQuery, *query.DateRangeQuery:
		return q, nil
	default:
		return nil, fmt.Errorf("query type %T is not scored with the index's BM25 parameters", q)
	}
}

// termQuery is a term query scored with the parameters of bm25.
type termQuery struct {
	term, field string
	boost       float64
	bm25        bm25
}

// Searcher returns the term's searcher.
func (q *termQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	field := q.field
	if field == "" {
		field = m.DefaultSearchField()
	}
	return newTermSearcher(ctx, r, q.term, field, q.boost, opts, q.bm25)
}

// matchQuery is a match query whose terms are scored with bm25: the tokens of
// the text, analysed as the field is, as a disjunction (OR) or conjunction
// (AND) of term queries, as Bleve's match query builds them.
type matchQuery struct {
	*query.MatchQuery
	bm25 bm25
}

// Searcher returns the searcher of the analysed text.
func (q *matchQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	field, tokens, err := analyse(m, q.FieldVal, q.Match)
	if err != nil {
		return nil, err
	}
	if len(tokens) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	boost := q.BoostVal.Value()
	tqs := make([]query.Query, len(tokens))
	for i, t := range tokens {
		tqs[i] = &termQuery{term: t.term, field: field, boost: boost, bm25: q.bm25}
	}
	switch q.Operator {
	case query.MatchQueryOperatorOr:
		d := query.NewDisjunctionQuery(tqs)
		d.SetMin(1)
		d.SetBoost(boost)
		return d.Searcher(ctx, r, m, opts)
	case query.MatchQueryOperatorAnd:
		c := query.NewConjunctionQuery(tqs)
		c.SetBoost(boost)
		return c.Searcher(ctx, r, m, opts)
	default:
		return nil, fmt.Errorf("match query %q: unknown operator %d", q.Match, q.Operator)
	}
}

// phraseQuery is a match-phrase query scored with bm25: Bleve's phrase
// searcher finds the documents holding the phrase, and a conjunction of the
// phrase's terms (a disjunction where tokens share a position), which is how
// Bleve's phrase searcher scores, gives their scores.
type phraseQuery struct {
	*query.MatchPhraseQuery
	bm25 bm25
}

// Searcher returns the phrase's searcher.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	positions, err := q.MatchPhraseQuery.Searcher(ctx, r, m, opts)
	if err != nil || opts.Score == "none" {
		return positions, err
	}
	field, tokens, err := analyse(m, q.FieldVal, q.MatchPhrase)
	if err != nil || len(tokens) == 0 {
		return positions, err
	}
	boost := q.BoostVal.Value()
	var clauses []query.Query
	for i := 0; i < len(tokens); {
		j := i
		var same []query.Query
		for ; j < len(tokens) && tokens[j].pos == tokens[i].pos; j++ {
			same = append(same, &termQuery{term: tokens[j].term, field: field, boost: boost, bm25: q.bm25})
		}
		if len(same) == 1 {
			clauses = append(clauses, same[0])
		} else {
			d := query.NewDisjunctionQuery(same)
			d.SetMin(1)
			clauses = append(clauses, d)
		}
		i = j
	}
	scores, err := query.NewConjunctionQuery(clauses).Searcher(ctx, r, m, opts)
	if err != nil {
		_ = positions.Close()
		return nil, err
	}
	return &phraseSearcher{positions: positions, scores: scores}, nil
}

// prefixQuery is a prefix query scored with bm25: a disjunction of the terms
// of the field that start with prefix, as Bleve's prefix searcher builds it.
type prefixQuery struct {
	prefix, field string
	boost         float64
	bm25          bm25
}

// Searcher returns the searcher of the prefix's terms.
func (q *prefixQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	field := q.field
	if field == "" {
		field = m.DefaultSearchField()
	}
	terms, err := prefixTerms(r, field, q.prefix)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 || (len(terms) == 1 && terms[0] == q.prefix) {
		return newTermSearcher(ctx, r, q.prefix, field, q.boost, opts, q.bm25)
	}
	tqs := make([]query.Query, len(terms))
	for i, t := range terms {
		tqs[i] = &termQuery{term: t, field: field, boost: q.boost, bm25: q.bm25}
	}
	return query.NewDisjunctionQuery(tqs).Searcher(ctx, r, m, opts)
}

// prefixTerms returns the terms of field that start with prefix.
func prefixTerms(r index.IndexReader, field, prefix string) (terms []string, err error) {
	dict, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("terms of %s starting with %q: %w", field, prefix, err)
	}
	defer func() {
		if cerr := dict.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("terms of %s starting with %q: %w", field, prefix, err)
		}
		if e == nil {
			return terms, nil
		}
		terms = append(terms, e.Term)
		if max := searcher.DisjunctionMaxClauseCount; max != 0 && len(terms) > max {
			return nil, fmt.Errorf("terms of %s starting with %q: more than %d", field, prefix, max)
		}
	}
}

// token is one analysed term and its position.
type token struct {
	term string
	pos  int
}

// analyse returns the field a query searches (the mapping's default when it
// names none) and its text analysed as that field is.
func analyse(m mapping.IndexMapping, field, text string) (string, []token, error) {
	if field == "" {
		field = m.DefaultSearchField()
	}
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(field))
	if an == nil {
		return "", nil, fmt.Errorf("no analyzer for field %s", field)
	}
	ts := an.Analyze([]byte(text))
	out := make([]token, len(ts))
	for i, t := range ts {
		out[i] = token{term: string(t.Term), pos: t.Position}
	}
	return field, out, nil
}

// termSearcher returns the documents holding one term of one field, scored
// as Bleve's term searcher scores them but with its own BM25 parameters.
// Explanations are not supported (opts.Explain is not consulted).
type termSearcher struct {
	term        string
	reader      index.TermFieldReader
	tfd         index.TermFieldDoc
	bm25        bm25
	boost, idf  float64
	avgLength   float64 // 0 for TF-IDF scoring, as Bleve falls back to it
	queryWeight float64
	scored      bool
}

var termSearcherSize = int(reflect.TypeOf(termSearcher{}).Size())

// newTermSearcher opens term's postings in field. The document count and the
// field's mean length come from the request's BM25 statistics when it
// carries them, else from the reader, as in Bleve.
func newTermSearcher(ctx context.Context, r index.IndexReader, term, field string, boost float64, opts search.SearcherOptions, p bm25) (search.Searcher, error) {
	if err := search.RecordTermSearcher(ctx); err != nil { // Bleve's limit on the terms of a query
		return nil, err
	}
	scored := opts.Score != "none"
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, scored, scored, opts.IncludeTermVectors)
	if err != nil {
		return nil, fmt.Errorf("term %q in %s: %w", term, field, err)
	}
	n, avg, err := termStats(ctx, r, field)
	if err != nil {
		_ = tfr.Close()
		return nil, fmt.Errorf("term %q in %s: %w", term, field, err)
	}
	df := tfr.Count()
	var idf float64
	if avg > 0 {
		idf = math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
	} else {
		idf = 1.0 + math.Log(float64(n)/float64(df+1.0))
	}
	return &termSearcher{term: term, reader: tfr, bm25: p, boost: boost, idf: idf, avgLength: avg, queryWeight: 1, scored: scored}, nil
}

// termStats returns the document count and the mean length of field that
// BM25 uses (mean length 0 when the index scores by TF-IDF or is empty).
func termStats(ctx context.Context, r index.IndexReader, field string) (uint64, float64, error) {
	if cb, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); !ok || cb() != index.BM25Scoring {
		n, err := r.DocCount()
		return n, 0, err
	}
	var n uint64
	var card int
	if stats, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
		n = uint64(stats.DocCount)
		if card, ok = stats.FieldCardinality[field]; !ok {
			return 0, 0, fmt.Errorf("no BM25 statistics for field %s", field)
		}
	} else {
		var err error
		if n, err = r.DocCount(); err != nil {
			return 0, 0, err
		}
		if br, ok := r.(index.BM25Reader); ok {
			if card, err = br.FieldCardinality(field); err != nil {
				return 0, 0, err
			}
		}
	}
	if n == 0 && card == 0 {
		return 0, 0, nil
	}
	return n, math.Ceil(float64(card) / float64(n)), nil
}

func (s *termSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	tfd, err := s.reader.Next(s.tfd.Reset())
	if err != nil || tfd == nil {
		return nil, err
	}
	return s.match(ctx, tfd), nil
}

func (s *termSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	tfd, err := s.reader.Advance(id, s.tfd.Reset())
	if err != nil || tfd == nil {
		return nil, err
	}
	return s.match(ctx, tfd), nil
}

// match scores one posting as Bleve's term searcher does (bm25.score, or
// TF-IDF when the index has no field lengths), times the query weight.
func (s *termSearcher) match(ctx *search.SearchContext, tfd *index.TermFieldDoc) *search.DocumentMatch {
	m := ctx.DocumentMatchPool.Get()
	if s.scored {
		var score float64
		if s.avgLength > 0 {
			score = s.bm25.score(s.idf, tfd.Freq, tfd.Norm, s.avgLength)
		} else {
			score = sqrtFreq(tfd.Freq) * tfd.Norm * s.idf
		}
		if s.queryWeight != 1.0 {
			score = score * s.queryWeight
		}
		m.Score = score
	}
	m.IndexInternalID = index.NewIndexInternalIDFrom(m.IndexInternalID, tfd.ID)
	for _, v := range tfd.Vectors {
		m.FieldTermLocations = append(m.FieldTermLocations, search.FieldTermLocation{
			Field: v.Field,
			Term:  s.term,
			Location: search.Location{
				Pos: v.Pos, Start: v.Start, End: v.End,
				ArrayPositions: append(search.ArrayPositions(nil), v.ArrayPositions...),
			},
		})
	}
	return m
}

// score is what a posting with freq and norm of a term with idf scores
// before the query weight, avg being its field's mean length: idf × tf·k1 /
// (tf + k1·(1 − b + b·length/avg)) with tf = √freq and length = 1/norm²,
// computed in the order Bleve computes it (pruneShort relies on that).
func (p bm25) score(idf float64, freq uint64, norm, avg float64) float64 {
	tf := sqrtFreq(freq)
	length := 1 / (norm * norm)
	return idf * (tf * p.k1) / (tf + p.k1*(1-p.b+(p.b*length/avg)))
}

// sqrtFreq is a posting's tf, √freq, taken from Bleve's table when it
// holds it.
func sqrtFreq(freq uint64) float64 {
	if freq < scorer.MaxSqrtCache {
		return scorer.SqrtCache[freq]
	}
	return math.Sqrt(float64(freq))
}

func (s *termSearcher) Weight() float64 {
	w := s.boost * s.idf
	return w * w
}

func (s *termSearcher) SetQueryNorm(norm float64)  { s.queryWeight = s.boost * s.idf * norm }
func (s *termSearcher) Count() uint64              { return s.reader.Count() }
func (s *termSearcher) Min() int                   { return 0 }
func (s *termSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *termSearcher) Close() error               { return s.reader.Close() }
func (s *termSearcher) Size() int {
	return termSearcherSize + s.reader.Size() + s.tfd.Size()
}

// phraseSearcher returns the documents of positions (Bleve's phrase
// searcher, locations included) with the scores of scores, a searcher that
// matches every document positions matches.
type phraseSearcher struct {
	positions, scores search.Searcher
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.positions.Next(ctx)
	if err != nil || m == nil {
		return nil, err
	}
	return s.score(ctx, m)
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.positions.Advance(ctx, id)
	if err != nil || m == nil {
		return nil, err
	}
	return s.score(ctx, m)
}

// score gives m the score of its document.
func (s *phraseSearcher) score(ctx *search.SearchContext, m *search.DocumentMatch) (*search.DocumentMatch, error) {
	sm, err := s.scores.Advance(ctx, m.IndexInternalID)
	if err != nil {
		return nil, err
	}
	if sm == nil || !sm.IndexInternalID.Equals(m.IndexInternalID) {
		return nil, fmt.Errorf("phrase scorer: document %x not found by its terms", []byte(m.IndexInternalID))
	}
	m.Score = sm.Score
	ctx.DocumentMatchPool.Put(sm)
	return m, nil
}

func (s *phraseSearcher) Weight() float64 { return s.scores.Weight() }

func (s *phraseSearcher) SetQueryNorm(norm float64) {
	s.positions.SetQueryNorm(norm)
	s.scores.SetQueryNorm(norm)
}

func (s *phraseSearcher) Count() uint64 { return s.positions.Count() }
func (s *phraseSearcher) Min() int      { return 0 }
func (s *phraseSearcher) Size() int     { return s.positions.Size() + s.scores.Size() }

func (s *phraseSearcher) DocumentMatchPoolSize() int {
	return s.positions.DocumentMatchPoolSize() + s.scores.DocumentMatchPoolSize()
}

func (s *phraseSearcher) Close() error {
	err := s.positions.Close()
	if cerr := s.scores.Close(); err == nil {
		err = cerr
	}
	return err
}
