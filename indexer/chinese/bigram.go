package chinese

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/segment"
)

// BigramTokenizer produces, in one pass, the tokens of Bleve's unicode
// tokenizer followed by our width, lower-case and traditional-to-simplified
// folding and Bleve's CJK bigram filter: adjacent ideographs give bigrams, a
// lone ideograph a unigram, other words (UAX#29 on the text between Han
// characters) one folded token each. Positions count output tokens from 1.
// With offsets false every token has Start = End = 0: the index keeps
// positions for phrases but no offsets (snippets find their spans in the text).
type BigramTokenizer struct {
	t2s     *T2SFilter
	lower   *lowercase.LowerCaseFilter
	offsets bool
}

// NewBigramTokenizer returns the tokenizer; offsets says whether tokens carry byte offsets.
func NewBigramTokenizer(offsets bool) (*BigramTokenizer, error) {
	f, err := NewT2SFilter()
	if err != nil {
		return nil, err
	}
	return &BigramTokenizer{t2s: f, lower: lowercase.NewLowerCaseFilter(), offsets: offsets}, nil
}

// bigramState is one Tokenize call: the output and the pending ideograph.
type bigramState struct {
	t     *BigramTokenizer
	text  []byte // width-folded input
	back  func(int) int
	out   analysis.TokenStream
	slab  []analysis.Token
	pos   int  // position of the next token
	run   int  // ideographs pending in the current run (0, 1 or 2+)
	prev  span // the previous ideograph in text
	prevT []byte
}

type span struct{ start, end int }

// Tokenize implements analysis.Tokenizer.
func (t *BigramTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if len(input) == 0 {
		return nil
	}
	text, back := foldForSegmenting(input)
	guess := len(text)/3 + 4
	s := &bigramState{t: t, text: text, back: back, pos: 1,
		out: make(analysis.TokenStream, 0, guess), slab: make([]analysis.Token, 0, guess)}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		if unicode.Is(unicode.Han, r) {
			s.ideograph(i, i+n, r)
			i += n
			for i < len(text) { // UAX#29 WB4: marks and joiners stay with the ideograph
				r, n = utf8.DecodeRune(text[i:])
				if !isWordExtend(r) {
					break
				}
				s.ideograph(i, i+n, r)
				i += n
			}
			continue
		}
		j := i + n
		for j < len(text) {
			r2, n2 := utf8.DecodeRune(text[j:])
			if unicode.Is(unicode.Han, r2) {
				break
			}
			j += n2
		}
		s.other(i, j)
		i = j
	}
	if s.run == 1 {
		s.emit(s.prevT, s.prev.start, s.prev.end, analysis.Single)
	}
	return s.out
}

// ideograph adds the ideograph r at text[start:end] to the current run, or
// starts a new run when it does not touch the previous one.
func (s *bigramState) ideograph(start, end int, r rune) {
	term := s.text[start:end]
	if c := s.t.t2s.runeConv(r); c != r && utf8.RuneLen(c) == end-start {
		term = utf8.AppendRune(nil, c)
	}
	if s.run > 0 && s.prev.end != start {
		s.flush()
	}
	if s.run > 0 {
		var bi []byte
		if &s.prevT[0] == &s.text[s.prev.start] && &term[0] == &s.text[start] {
			bi = s.text[s.prev.start:end:end] // both unchanged and adjacent
		} else {
			bi = append(append(make([]byte, 0, len(s.prevT)+len(term)), s.prevT...), term...)
		}
		s.emit(bi, s.prev.start, end, analysis.Double)
	}
	s.prev, s.prevT = span{start, end}, term
	s.run = min(s.run+1, 2)
}

// flush ends the current run of ideographs: a lone one becomes a unigram.
func (s *bigramState) flush() {
	if s.run == 1 {
		s.emit(s.prevT, s.prev.start, s.prev.end, analysis.Single)
	}
	s.run = 0
}

// other tokenizes text[start:end], which holds no Han character, with UAX#29
// word boundaries; kana words join the ideograph runs, rune by rune.
func (s *bigramState) other(start, end int) {
	if onlySpaceOrPunct(s.text[start:end]) {
		return
	}
	seg := segment.NewWordSegmenterDirect(s.text[start:end])
	at := start
	for seg.Segment() {
		b := seg.Bytes()
		from, to := at, at+len(b)
		at = to
		switch seg.Type() {
		case segment.None:
		case segment.Ideo, segment.Kana:
			for i := from; i < to; {
				r, n := utf8.DecodeRune(s.text[i:])
				s.ideograph(i, i+n, r)
				i += n
			}
		default:
			s.flush()
			typ := analysis.AlphaNumeric
			if seg.Type() == segment.Number {
				typ = analysis.Numeric
			}
			s.emit(s.lower(s.text[from:to:to]), from, to, typ)
		}
	}
}

// emit appends a token; start and end are offsets in the folded text.
func (s *bigramState) emit(term []byte, start, end int, typ analysis.TokenType) {
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]analysis.Token, 0, 64+cap(s.slab)/2)
	}
	s.slab = append(s.slab, analysis.Token{Term: term, Position: s.pos, Type: typ})
	tok := &s.slab[len(s.slab)-1]
	if s.t.offsets {
		tok.Start, tok.End = s.back(start), s.back(end)
	}
	s.out = append(s.out, tok)
	s.pos++
}

// onlySpaceOrPunct reports whether b holds nothing UAX#29 makes a word of:
// spaces and punctuation other than connectors such as '_'.
func onlySpaceOrPunct(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if !unicode.IsSpace(r) && (!unicode.IsPunct(r) || unicode.Is(unicode.Pc, r)) {
			return false
		}
		b = b[n:]
	}
	return true
}

// isWordExtend reports whether r is Extend, Format or ZWJ in UAX#29 word
// breaking: it joins the word before it.
func isWordExtend(r rune) bool {
	return r != 0x200B && unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf)
}

// lower returns b lower-cased as Bleve's lowercase filter does (final sigma
// included); b itself when it is ASCII without upper-case letters.
func (s *bigramState) lower(b []byte) []byte {
	upper := false
	for _, c := range b {
		if c >= utf8.RuneSelf {
			tok := analysis.Token{Term: bytes.Clone(b)}
			s.t.lower.Filter(analysis.TokenStream{&tok})
			return tok.Term
		}
		upper = upper || (c >= 'A' && c <= 'Z')
	}
	if upper {
		return bytes.ToLower(b)
	}
	return b
}
