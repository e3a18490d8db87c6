package indexer

import (
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gongkai-project/gongkai/indexer/chinese"
	"github.com/gongkai-project/gongkai/store"
)

// Snippet sizes in bytes of UTF-8 text (about 3 bytes per Chinese character).
const (
	snippetBytes = 360 // about 120 characters
	snippetLead  = 60  // context kept before the first match
)

type span struct{ start, end int }

// highlightTerms returns the folded texts a snippet marks: the contiguous
// pieces of phrase clauses and the bigrams and words of the other text
// clauses of q on the body fields (exclusions are left out). The index keeps
// no offsets, so snippets find these texts in the body read from the store.
func (ix *Index) highlightTerms(q query.Query) []string {
	set := map[string]bool{}
	var walk func(q query.Query)
	walk = func(q query.Query) {
		switch q := q.(type) {
		case *query.BooleanQuery:
			if q != nil {
				walk(q.Must)
				walk(q.Should)
			}
		case *query.ConjunctionQuery:
			if q != nil {
				for _, c := range q.Conjuncts {
					walk(c)
				}
			}
		case *query.DisjunctionQuery:
			if q != nil {
				for _, c := range q.Disjuncts {
					walk(c)
				}
			}
		case *sumQuery:
			walk(q.page)
			walk(q.att)
		case *questionQuery:
			for _, c := range q.bodyMatches() {
				walk(c)
			}
		case *query.MatchPhraseQuery:
			if q != nil && isBodyField(q.FieldVal) {
				ix.addPieces(set, q.MatchPhrase, true)
			}
		case *query.MatchQuery:
			if q != nil && isBodyField(q.FieldVal) {
				// all bigrams of a body word: marked where they touch
				whole := q.FieldVal == fBodyBi && q.Operator == query.MatchQueryOperatorAnd
				ix.addPieces(set, q.Match, whole)
			}
		case *query.TermQuery:
			if q != nil && isBodyField(q.FieldVal) {
				set[ix.t2s.FoldSameLength(q.Term)] = true
			}
		case *query.PrefixQuery:
			if q != nil && isBodyField(q.FieldVal) {
				set[ix.t2s.FoldSameLength(q.Prefix)] = true
			}
		}
	}
	walk(q)
	delete(set, "")
	terms := make([]string, 0, len(set))
	for t := range set {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	return terms
}

func isBodyField(f string) bool {
	return f == fBody || f == fBodyBi || f == fAtt || f == fAttBi
}

// describe sets the snippet of hit h from its text t, where its terms were
// found (MatchedIn) and, when the page's own text does not hold them, the
// attachment that does, with a snippet of its text.
func (ix *Index) describe(h *Hit, t store.Text, terms *termSet) {
	var inBody bool
	h.Snippet, inBody = ix.snippet(t.Body, terms)
	h.MatchedIn = []string{}
	if len(terms.spans(ix.t2s.FoldSameLength(t.Title))) > 0 {
		h.MatchedIn = append(h.MatchedIn, "title")
	}
	if inBody {
		h.MatchedIn = append(h.MatchedIn, "body")
	}
	scan := attachmentScanBytes
	if len(h.MatchedIn) > 0 {
		scan = snippetScanBytes[len(snippetScanBytes)-1] // the page holds them: a glance at the attachments is enough
	}
	best, most := -1, 0
	for i, a := range t.Attachments {
		if n := len(terms.spans(ix.t2s.FoldSameLength(a.Text[:runeStart(a.Text, min(len(a.Text), scan))]))); n > most {
			best, most = i, n
		}
	}
	if best >= 0 && len(h.MatchedIn) == 0 && len(t.Body) > snippetScanBytes[len(snippetScanBytes)-1] &&
		len(terms.spans(ix.t2s.FoldSameLength(t.Body))) > 0 {
		h.MatchedIn = append(h.MatchedIn, "body") // a long body holds them past the snippet's reach
	}
	if best >= 0 {
		a := t.Attachments[best]
		h.MatchedIn = append(h.MatchedIn, "attachment")
		snippet, _ := ix.snippet(a.Text, terms)
		h.Attachment = &HitAttachment{Name: a.Name, URL: a.URL, Snippet: snippet}
	}
}

// attachmentScanBytes bounds the text of one attachment searched for the
// terms when a hit is described and its page does not hold them (a
// recipient list may run to megabytes); no more of it is read from the
// store (TextHeads).
const attachmentScanBytes = 256 << 10

// addPieces adds the texts of s that a body match covers: with whole, the
// runs of touching bigram tokens (a phrase matches them contiguously), else
// every token on its own.
func (ix *Index) addPieces(set map[string]bool, s string, whole bool) {
	toks := ix.bigrams.Analyze([]byte(s))
	for i := 0; i < len(toks); {
		start, end := toks[i].Start, toks[i].End
		j := i + 1
		for whole && j < len(toks) && toks[j].Start <= end {
			end = max(end, toks[j].End)
			j++
		}
		set[ix.t2s.FoldSameLength(strings.ToLower(chinese.FoldWidth(s[start:end])))] = true
		i = j
	}
}

// snippet returns an HTML excerpt of body around the best cluster of the
// terms' occurrences: the text is escaped and every occurrence is wrapped in
// <mark>. terms are folded (lower case, simplified); body is searched folded
// the same way, so marks always lie on text that matched. The bool says whether
// body holds a term within the bytes a snippet scans (snippetScanBytes).
func (ix *Index) snippet(body string, terms *termSet) (string, bool) {
	var spans []span
	for _, n := range snippetScanBytes {
		head := body[:runeStart(body, min(len(body), n))]
		if spans = terms.spans(ix.t2s.FoldSameLength(head)); len(spans) > 0 || len(head) == len(body) {
			break
		}
	}
	if len(spans) == 0 {
		return html.EscapeString(cut(body, 0, snippetBytes)), false
	}
	from := bestWindow(spans)
	start := runeStart(body, max(spans[from].start-snippetLead, 0))
	end := runeStart(body, min(start+snippetBytes, len(body)))
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, s := range spans[from:] {
		if s.start >= end {
			break
		}
		b.WriteString(html.EscapeString(body[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(body[s.start:min(s.end, end)]))
		b.WriteString("</mark>")
		pos = min(s.end, end)
	}
	b.WriteString(html.EscapeString(body[pos:end]))
	if end < len(body) {
		b.WriteString("…")
	}
	return b.String(), true
}

// Bounds of the search for matches in one body: the first 4 KiB, and the
// first 32 KiB when those hold no match (longer bodies are cut: measured on
// ../shared/eval, whole bodies cost 1.6 CPU-ms per page of 10 hits, 32 KiB
// 0.6, 4 KiB first 0.2); at most maxSpans occurrences per term.
var snippetScanBytes = [...]int{4 << 10, 32 << 10}

const maxSpans = 200

// termSet finds the terms a snippet marks in one pass over a text: a bit
// per first rune (of the Basic Multilingual Plane) says where one may start.
// (A strings.Index per term cost 0.4 CPU-ms per page of a question's ~30
// terms on ../shared/eval.)
type termSet struct {
	first  [1 << 16 / 64]uint64 // first runes below 1<<16
	byRune map[rune][]int       // first rune → indexes into terms
	terms  []string
}

func newTermSet(terms []string) *termSet {
	ts := &termSet{byRune: map[rune][]int{}, terms: terms}
	for i, t := range terms {
		if t == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t)
		if r < 1<<16 {
			ts.first[r/64] |= 1 << (r % 64)
		}
		ts.byRune[r] = append(ts.byRune[r], i)
	}
	return ts
}

// spans returns the merged, sorted byte ranges of the terms in text, at most
// maxSpans occurrences of each term.
func (ts *termSet) spans(text string) []span {
	var spans []span
	found := make([]int, len(ts.terms))
	for at, r := range text {
		if r < 1<<16 && ts.first[r/64]&(1<<(r%64)) == 0 {
			continue
		}
		for _, i := range ts.byRune[r] {
			if t := ts.terms[i]; found[i] < maxSpans && strings.HasPrefix(text[at:], t) {
				found[i]++
				spans = append(spans, span{at, at + len(t)})
			}
		}
	}
	merged := spans[:0] // merged in place: the merged list never overtakes the one it reads
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// bestWindow returns the index of the span that starts the window holding the most matched bytes.
func bestWindow(spans []span) int {
	best, bestScore, j, sum := 0, -1, 0, 0
	for i := range spans {
		for j < len(spans) && spans[j].end <= spans[i].start+snippetBytes-snippetLead {
			sum += spans[j].end - spans[j].start
			j++
		}
		if sum > bestScore {
			best, bestScore = i, sum
		}
		if j > i {
			sum -= spans[i].end - spans[i].start
		} else {
			j = i + 1
		}
	}
	return best
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// cut returns s[start:start+n] on rune boundaries, with … when cut.
func cut(s string, start, n int) string {
	end := runeStart(s, min(start+n, len(s)))
	out := s[start:end]
	if end < len(s) {
		out += "…"
	}
	return out
}
