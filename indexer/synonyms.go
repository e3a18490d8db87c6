package indexer

import (
	"slices"
)

// synonyms finds thesaurus words in query text and the words searched with
// them. It is immutable: an edit of the thesaurus builds a new one.
type synonyms struct {
	expand map[string][]string // word -> words searched with it
	maxLen int                 // longest word in bytes
}

// newSynonyms builds the table of base entries (the built-in thesaurus and the
// config: entries of one word are merged) and staff entries (which replace a
// word's entry; one with no official word switches the word off). A word's
// official words bring the words of their own entries too (one step), up to
// maxExpansions.
func newSynonyms(base, staff []Entry) *synonyms {
	direct := map[string][]string{}
	for _, e := range base {
		for _, o := range e.Official {
			if o != e.Word && !slices.Contains(direct[e.Word], o) {
				direct[e.Word] = append(direct[e.Word], o)
			}
		}
	}
	for _, e := range staff {
		if len(e.Official) == 0 {
			delete(direct, e.Word)
		} else {
			direct[e.Word] = without(e.Official, e.Word)
		}
	}
	s := &synonyms{expand: make(map[string][]string, len(direct))}
	for w, official := range direct {
		all := slices.Clone(official)
		for _, o := range official {
			for _, x := range direct[o] {
				if x != w && !slices.Contains(all, x) {
					all = append(all, x)
				}
			}
		}
		if len(all) > maxExpansions {
			all = all[:maxExpansions]
		}
		if len(all) > 0 {
			s.expand[w] = all
			s.maxLen = max(s.maxLen, len(w))
		}
	}
	return s
}

// synMatch is a thesaurus word found at [start,end) of a text.
type synMatch struct {
	start, end int
	word       string
	others     []string
}

// find returns the thesaurus words in text, longest match first, left to right.
func (s *synonyms) find(text string) []synMatch {
	var out []synMatch
	for i := 0; i < len(text); {
		found := false
		for l := min(s.maxLen, len(text)-i); l > 0; l-- {
			w := text[i : i+l]
			others, ok := s.expand[w]
			if !ok {
				continue
			}
			out = append(out, synMatch{start: i, end: i + l, word: w, others: others})
			i += l
			found = true
			break
		}
		if !found {
			i++
			for i < len(text) && text[i]&0xC0 == 0x80 {
				i++
			}
		}
	}
	return out
}

// words returns every word of the table, searched or searched with, sorted.
func (s *synonyms) words() []string {
	out := make([]string, 0, 2*len(s.expand))
	for w, others := range s.expand {
		out = append(out, w)
		out = append(out, others...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
