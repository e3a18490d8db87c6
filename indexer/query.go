package indexer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Field weights of short queries (every word required): bigram and gse
// fields both find each word. Title 2.0 (was 0.5; RANKING.md, session 4):
// with title evidence added after (titlerank.go) 1, 2 and 4 measure the same.
const (
	wTitleBi  = 2.0
	wBodyBi   = 1.0
	wTitleGse = 0.5
	wBodyGse  = 0.5
	wSynonym  = 0.6   // an alternative of a required word
	wDocNum   = 100.0 // a document-number match comes first
	// wAttachment weighs a word found in an attachment against the same
	// word in the body, in short queries and questions alike (RANKING.md,
	// "Attachments").
	wAttachment = 0.5
	// short queries (all words required) have at most this many units and runes.
	shortUnits = 4
	shortRunes = 12
	// a question with more content runes than this is ranked, not filtered.
	shortQuestionRunes = 6
)

// unit is one concept of a query: a word and its alternatives (synonyms, pinyin).
type unit struct {
	words      []string // words[0] is what the user typed (or its correction)
	start, end int      // byte span in the planned text
}

// plan is the analysed query: units, and what was expanded.
type plan struct {
	units    []unit
	phrases  []string
	excludes []string
	docNums  []docNumber
	expanded []string
	asks     bool            // the text asks a question
	strip    bool            // leave question padding out of the units (the text asks something)
	long     strings.Builder // the text without question words, for ranking questions
	// the body bigrams and gse words of long without the common ones
	// (see rareTerms), space-separated, and their summed document
	// frequencies; set by bodyTerms
	bodyBi, bodyWords string
	postings          uint64
	lists             *termPostings // the body terms' postings lists looked up then (a short query's bigrams: searchCost)
	// attWeight > 0: the index holds attachment text, so the text query
	// also looks there with this weight against the body (set by buildQuery)
	attWeight float64
}

// planQuery analyses free text into units: synonym words found in it, and the
// remaining gse words without question and stop words. Question padding is
// left out too (see stripPadding) when that leaves a short query; a longer
// question is planned with all its words, as its ranking was measured.
func (ix *Index) planQuery(pq parsedQuery, lex *lexiconBuild) *plan {
	if p := ix.plan(pq, lex, true); len(p.units) > 0 && p.isShort() {
		return p
	}
	return ix.plan(pq, lex, false)
}

func (ix *Index) plan(pq parsedQuery, lexb *lexiconBuild, strip bool) *plan {
	p := &plan{phrases: pq.phrases, excludes: pq.excludes}
	text := pq.text
	p.strip = strip && ix.asksSomething(text)
	p.asks = strings.Contains(text, "?") // width folding made ？ a ?
	p.docNums = findDocNumbers(text)
	for i := len(p.docNums) - 1; i >= 0; i-- {
		dn := p.docNums[i]
		text = text[:dn.start] + " " + text[dn.end:]
	}
	if isPinyinInput(text) {
		if lex := lexb.get(); lex != nil {
			if words := lex.fromPinyin(text); len(words) > 0 {
				p.expanded = append(p.expanded, words[0])
				text = words[0]
			}
		}
	}
	last := 0
	for _, m := range ix.syn.Load().find(text) {
		p.units = append(p.units, ix.wordUnits(text[last:m.start], last, p)...)
		p.units = append(p.units, unit{words: append([]string{m.word}, m.others...), start: m.start, end: m.end})
		p.long.WriteString(m.word)
		p.expanded = append(p.expanded, m.others...)
		last = m.end
	}
	p.units = append(p.units, ix.wordUnits(text[last:], last, p)...)
	if p.isShort() {
		p.units = joinAffixes(p.units)
	}
	return p
}

// joinAffixes joins a lone character that touches a synonym's word to it
// (in short queries: a question's units only bring their synonyms),
// as the prefix or suffix of the word and of each of its alternatives:
// 社会保险法 is one unit (社会保险法, 社保法), not 社会保险 and a 法 that
// nearly every document holds. (joinSingles does the same within the text
// between synonyms.)
func joinAffixes(units []unit) []unit {
	out := units[:0]
	for i := 0; i < len(units); i++ {
		u := units[i]
		if !isLoneUnit(u) {
			out = append(out, u)
			continue
		}
		switch {
		case len(out) > 0 && out[len(out)-1].end == u.start:
			prev := &out[len(out)-1]
			for j := range prev.words {
				prev.words[j] += u.words[0]
			}
			prev.end = u.end
		case i+1 < len(units) && units[i+1].start == u.end:
			next := &units[i+1]
			for j := range next.words {
				next.words[j] = u.words[0] + next.words[j]
			}
			next.start = u.start
		default:
			out = append(out, u)
		}
	}
	return out
}

// isLoneUnit says whether u is one Han character that is not a stop word.
func isLoneUnit(u unit) bool {
	w := u.words[0]
	return len(u.words) == 1 && utf8.RuneCountInString(w) == 1 && isHan(w) && !questionWords[w]
}

// commonShare is the share of documents above which a body term is left out
// of a question's ranking clauses. Measured on the ../shared/eval DEV
// questions (MRR@10, CPU-ms per question): all terms 0.8885, 11.9; 0.5:
// 0.8869, 7.9; 0.3: 0.8751, 7.9; 0.2: 0.8707, 5.1.
const commonShare = 0.5

// bodyTerms sets the plan's body terms for ranking (rareTerms), once.
func (ix *Index) bodyTerms(p *plan) {
	if p.bodyBi == "" {
		p.bodyBi, p.bodyWords, p.postings, p.lists = ix.rareTerms(p.long.String())
	}
}

// rareTerms returns the bigrams and the gse words (sub-words left to the
// analyser) of s that are not common in the bodies of the index, each list
// space-separated, or s when all are common, and the summed document
// frequencies of the terms kept (the postings a question reads), with the
// postings lists looked up (nil unless on a scorch snapshot). A common
// term (in more than commonShare of the documents) adds little to a ranking
// and costs the most: its postings are the longest.
func (ix *Index) rareTerms(s string) (bigrams, words string, postings uint64, lists *termPostings) {
	n, err := ix.idx.DocCount()
	if err != nil || n == 0 {
		return s, s, 0, nil
	}
	limit := uint64(commonShare * float64(n))
	dfs, err := openDocFreqs(ix.idx)
	if err != nil {
		return s, s, 0, nil
	}
	defer dfs.Close()
	lists = dfs.keep()
	// rare keeps the terms of field that are not common, space-separated
	// (all of them if all are common), and sums their document frequencies.
	rare := func(field string, terms []string) string {
		var kept []string
		var keptDF, allDF uint64
		for _, t := range terms {
			df, err := dfs.of(field, t)
			allDF += df
			if err != nil || df <= limit {
				kept = append(kept, t)
				keptDF += df
			}
		}
		if len(kept) == 0 {
			postings += allDF
			return s
		}
		postings += keptDF
		return strings.Join(kept, " ")
	}
	var bi, wd []string
	for _, t := range ix.bigrams.Analyze([]byte(s)) {
		bi = append(bi, string(t.Term))
	}
	lastPos := 0
	for _, t := range ix.words.Tokenize([]byte(s)) {
		if t.Position != lastPos {
			wd = append(wd, strings.ToLower(string(t.Term)))
		}
		lastPos = t.Position
	}
	return rare(fBodyBi, bi), rare(fBody, wd), postings, lists
}

// wordUnits segments s with gse and returns one unit per content word.
// Question words are left out of long, and content words kept contiguous.
// A single character that gse could not join to a word is joined to the
// words it touches (see joinSingles).
func (ix *Index) wordUnits(s string, offset int, p *plan) []unit {
	long := &p.long
	var words []piece
	lastPos, lastEnd := 0, 0
	for _, tok := range ix.words.Tokenize([]byte(s)) {
		if tok.Position == lastPos {
			continue // a sub-word
		}
		lastPos = tok.Position
		w := string(tok.Term)
		if askWords[w] {
			p.asks = true
			long.WriteByte(' ')
		} else {
			if tok.Start != lastEnd {
				long.WriteByte(' ')
			}
			long.WriteString(w)
		}
		lastEnd = tok.End
		words = append(words, piece{text: s[tok.Start:tok.End], word: w, start: tok.Start, end: tok.End})
	}
	long.WriteByte(' ')
	var out []unit
	if p.strip {
		words = ix.stripPadding(words)
	}
	for _, w := range joinSingles(words) {
		out = append(out, unit{words: []string{w.word}, start: offset + w.start, end: offset + w.end})
	}
	return out
}

// piece is one gse word of a query with its byte offsets.
type piece struct {
	text, word string // as typed, and as analysed (folded)
	start, end int
}

// joinSingles returns the content words of pieces. A content character
// standing alone ("门把" is 门 + 把, "全法实" three characters) is joined
// with the pieces it touches (stop words included) into one word, as typed:
// the user typed a string, and the bigrams of that string find it, where
// each lone character would match nearly every document.
func joinSingles(pieces []piece) []piece {
	var out []piece
	for i := 0; i < len(pieces); {
		if questionWords[pieces[i].word] && !joinsNext(pieces, i) {
			i++
			continue
		}
		j, word, typed := i+1, pieces[i].word, pieces[i].text
		for j < len(pieces) && pieces[j].start == pieces[j-1].end && (isLoneChar(pieces[j-1]) || isLoneChar(pieces[j])) {
			typed += pieces[j].text
			j++
		}
		if j > i+1 {
			word = typed
		}
		if j > i+1 || !questionWords[word] {
			out = append(out, piece{text: typed, word: word, start: pieces[i].start, end: pieces[j-1].end})
		}
		i = j
	}
	return out
}

// joinsNext says whether the stop word at i is joined to a lone character after it.
func joinsNext(pieces []piece, i int) bool {
	return i+1 < len(pieces) && pieces[i+1].start == pieces[i].end && isLoneChar(pieces[i+1])
}

// isLoneChar says whether p is one Han character that is not a stop word.
func isLoneChar(p piece) bool {
	return utf8.RuneCountInString(p.word) == 1 && isHan(p.word) && !questionWords[p.word]
}

// isPinyinInput reports whether s looks like pinyin typed without conversion.
func isPinyinInput(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			n++
		case r == ' ' || r == '\'':
		default:
			return false
		}
	}
	return n >= 2
}

// isShort says whether the query is a few words typed into a search box,
// which must all match, rather than a question ranked by all its words.
// Quoted phrases count towards the length of a question.
func (p *plan) isShort() bool {
	runes, phrases := 0, 0
	for _, u := range p.units {
		runes += utf8.RuneCountInString(u.words[0])
	}
	for _, ph := range p.phrases {
		phrases += utf8.RuneCountInString(ph)
	}
	if p.asks && runes+phrases > shortQuestionRunes {
		return false
	}
	return len(p.units) <= shortUnits && runes <= shortRunes
}

// textQuery builds the scoring query of the plan's units; stats are the
// BM25 statistics a question scores with.
func (p *plan) textQuery(all bool, stats *search.BM25Stats) query.Query {
	if len(p.units) == 0 {
		return nil
	}
	if all {
		conj := bleve.NewConjunctionQuery()
		for _, u := range p.units {
			q := unitQuery(u, 1)
			if p.attWeight > 0 {
				q = &sumQuery{page: q, att: attachmentUnitQuery(u, p.attWeight)}
			}
			conj.AddQuery(q)
		}
		return conj
	}
	return p.question(stats)
}

// attachmentUnitQuery matches any word of u in the attachments' text, as
// all its bigrams and (three characters or more) as a gse word, weighted
// weight against the body.
func attachmentUnitQuery(u unit, weight float64) query.Query {
	dis := bleve.NewDisjunctionQuery()
	for i, w := range u.words {
		b := weight
		if i > 0 {
			b *= wSynonym
		}
		n := utf8.RuneCountInString(w)
		if n == 1 && isHan(w) {
			dis.AddQuery(termField(w, fAtt, b*wBodyGse))
			continue
		}
		dis.AddQuery(andField(w, fAttBi, b*wBodyBi))
		if n >= 3 {
			dis.AddQuery(andField(w, fAtt, b*wBodyGse))
		}
	}
	return dis
}

// unitQuery matches any word of u: as a title phrase, as all its bigrams in
// the body (which holds no bigram positions: a word there may be split, and
// ranks below one that gse also finds as a word), or as a gse word.
func unitQuery(u unit, boost float64) query.Query {
	dis := bleve.NewDisjunctionQuery()
	for i, w := range u.words {
		b := boost
		if i > 0 {
			b *= wSynonym
		}
		for _, q := range wordQueries(w, b) {
			dis.AddQuery(q)
		}
	}
	return dis
}

// wordQueries are the clauses that find word w: a title phrase, all its
// bigrams in the body, and, for words of three characters or more, the gse
// word in the body, which ranks a word above its bigrams found apart. (The
// gse clauses only score: a document holding the gse word holds the title
// phrase or the body bigrams. For two characters the word is its bigram.)
func wordQueries(w string, boost float64) []query.Query {
	n := utf8.RuneCountInString(w)
	if n == 1 && isHan(w) {
		// a lone character: titles with a bigram starting with it, and the
		// character as a gse word. (The prefix on the body bigrams expands
		// to hundreds of terms: 10-25 ms a query on ../shared/eval.)
		return []query.Query{prefixField(w, fTitleBi, boost*wTitleBi),
			termField(w, fTitle, boost*wTitleGse), termField(w, fBody, boost*wBodyGse)}
	}
	qs := []query.Query{phraseField(w, fTitleBi, boost*wTitleBi), andField(w, fBodyBi, boost*wBodyBi)}
	if n >= 3 {
		qs = append(qs, andField(w, fBody, boost*wBodyGse))
	}
	return qs
}

func isHan(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Han, r)
}

func matchField(s, field string, boost float64) query.Query {
	q := bleve.NewMatchQuery(s)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func andField(s, field string, boost float64) query.Query {
	q := bleve.NewMatchQuery(s)
	q.SetField(field)
	q.SetBoost(boost)
	q.SetOperator(query.MatchQueryOperatorAnd)
	return q
}

func phraseField(s, field string, boost float64) query.Query {
	q := bleve.NewMatchPhraseQuery(s)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func prefixField(s, field string, boost float64) query.Query {
	q := bleve.NewPrefixQuery(s)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func termField(s, field string, boost float64) query.Query {
	q := bleve.NewTermQuery(s)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// docNumberQuery finds documents by number: year|num, and prefix|year|num
// for the issuer prefixes the text may end with.
func docNumberQuery(dns []docNumber) query.Query {
	dis := bleve.NewDisjunctionQuery()
	for _, dn := range dns {
		dis.AddQuery(termField(dn.year+"|"+dn.num, fDocKeys, wDocNum))
		rs := []rune(dn.prefix)
		for l := 2; l <= len(rs) && l <= 8; l++ {
			dis.AddQuery(termField(string(rs[len(rs)-l:])+"|"+dn.year+"|"+dn.num, fDocKeys, wDocNum))
		}
	}
	return dis
}
