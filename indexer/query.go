package indexer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Field weights of short queries (every word required): bigram and gse
// fields both find each word. A high title boost hurts because Bleve's
// disjunction already rewards a document for each clause that matched.
const (
	wTitleBi  = 0.5
	wBodyBi   = 1.0
	wTitleGse = 0.5
	wBodyGse  = 0.5
	wSynonym  = 0.6   // an alternative of a required word
	wDocNum   = 100.0 // a document-number match comes first
	// short queries (all words required) have at most this many units and runes.
	shortUnits = 4
	shortRunes = 12
	// a question with more content runes than this is ranked, not filtered.
	shortQuestionRunes = 6
)

// unit is one concept of a query: a word and its alternatives (synonyms, pinyin).
type unit struct {
	words []string // words[0] is what the user typed (or its correction)
}

// plan is the analysed query: units, and what was expanded.
type plan struct {
	units    []unit
	phrases  []string
	excludes []string
	docNums  []docNumber
	expanded []string
	asks     bool            // the text asks a question
	long     strings.Builder // the text without question words, for ranking questions
}

// planQuery analyses free text into units: synonym words found in it, and the
// remaining gse words without question and stop words.
func (ix *Index) planQuery(pq parsedQuery, lex *lexicon) *plan {
	p := &plan{phrases: pq.phrases, excludes: pq.excludes}
	text := pq.text
	p.asks = strings.Contains(text, "?") // width folding made ？ a ?
	p.docNums = findDocNumbers(text)
	for i := len(p.docNums) - 1; i >= 0; i-- {
		dn := p.docNums[i]
		text = text[:dn.start] + " " + text[dn.end:]
	}
	if isPinyinInput(text) && lex != nil {
		if words := lex.fromPinyin(text); len(words) > 0 {
			p.expanded = append(p.expanded, words[0])
			text = words[0]
		}
	}
	last := 0
	for _, m := range ix.syn.find(text) {
		p.units = append(p.units, ix.wordUnits(text[last:m.start], p)...)
		p.units = append(p.units, unit{words: append([]string{m.word}, m.others...)})
		p.long.WriteString(m.word)
		p.expanded = append(p.expanded, m.others...)
		last = m.end
	}
	p.units = append(p.units, ix.wordUnits(text[last:], p)...)
	return p
}

// wordUnits segments s with gse and returns one unit per content word.
// Question words are left out of long, and content words kept contiguous.
func (ix *Index) wordUnits(s string, p *plan) []unit {
	long := &p.long
	var out []unit
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
		if questionWords[w] {
			continue
		}
		out = append(out, unit{words: []string{w}})
	}
	long.WriteByte(' ')
	return out
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

// textQuery builds the scoring query of the plan's units.
func (p *plan) textQuery(all bool) query.Query {
	if len(p.units) == 0 {
		return nil
	}
	if all {
		conj := bleve.NewConjunctionQuery()
		for _, u := range p.units {
			conj.AddQuery(unitQuery(u, 1))
		}
		return conj
	}
	return p.questionQuery()
}

// unitQuery matches any word of u exactly: as a bigram phrase (every exact
// substring) or as a gse word, in title or body.
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

// wordQueries are the clauses that find word w.
func wordQueries(w string, boost float64) []query.Query {
	if utf8.RuneCountInString(w) == 1 && isHan(w) {
		return []query.Query{
			prefixField(w, fTitleBi, boost*wTitleBi), prefixField(w, fBodyBi, boost*wBodyBi),
			termField(w, fTitle, boost*wTitleGse), termField(w, fBody, boost*wBodyGse)}
	}
	return []query.Query{
		phraseField(w, fTitleBi, boost*wTitleBi), phraseField(w, fBodyBi, boost*wBodyBi),
		andField(w, fTitle, boost*wTitleGse), andField(w, fBody, boost*wBodyGse)}
}

func isHan(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Han, r)
}

// phraseQuery matches a phrase exactly on the bigram fields of title or body.
func phraseQuery(s string) query.Query {
	return bleve.NewDisjunctionQuery(phraseField(s, fTitleBi, wTitleBi), phraseField(s, fBodyBi, wBodyBi))
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
