package indexer

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer/chinese"
	"github.com/gongkai-project/gongkai/store"
)

// builtinThesaurus is the built-in list of what residents type and the
// official words of the documents (format and sources in its header).
//
//go:embed thesaurus/thesaurus.txt
var builtinThesaurus string

// Where a thesaurus entry comes from.
const (
	SourceBuiltin = "builtin" // thesaurus/thesaurus.txt, embedded
	SourceConfig  = "config"  // search.synonyms of the config
	SourceStaff   = "staff"   // edited on the staff page, stored in SQLite
)

// Entry is one word of the thesaurus and the words searched with it. An
// entry of the staff layer with no Official words switches the word off.
type Entry struct {
	Word     string   `json:"word"`
	Official []string `json:"official"`
	Source   string   `json:"source"`
}

// maxExpansions bounds the words one query word is searched with.
const maxExpansions = 8

// BuiltinThesaurus parses the embedded thesaurus.
func BuiltinThesaurus() ([]Entry, error) {
	es, err := ParseThesaurus(builtinThesaurus, SourceBuiltin)
	if err != nil {
		return nil, fmt.Errorf("built-in thesaurus: %w", err)
	}
	return es, nil
}

// ParseThesaurus reads thesaurus text: "口语 > 规范 | 规范" lines (the left
// word finds the right ones) and "词 = 词 = 词" groups (each word finds the
// others), "#" comments and blank lines. It rejects empty words, a word mapped
// to itself, a word on the left of two lines and a word in two groups or in a
// group and on the left of a line, naming the line.
func ParseThesaurus(text, source string) ([]Entry, error) {
	var out []Entry
	seen := map[string]int{} // word -> line that gave it an entry
	add := func(n int, word string, official []string) error {
		if prev, ok := seen[word]; ok {
			return fmt.Errorf("line %d: %q already has an entry (line %d)", n, word, prev)
		}
		seen[word] = n
		out = append(out, Entry{Word: word, Official: official, Source: source})
		return nil
	}
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if left, right, ok := strings.Cut(line, ">"); ok {
			word := NormalizeWord(left)
			official, err := splitWords(right, "|")
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			if err := CheckEntry(word, official); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			if err := add(n, word, official); err != nil {
				return nil, err
			}
			continue
		}
		group, err := splitWords(line, "=")
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("line %d: want \"口语 > 规范 | 规范\" or \"词 = 词\", got %q", n, line)
		}
		for _, w := range group {
			if err := add(n, w, without(group, w)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// splitWords splits s at sep into normalised words, rejecting empty ones and repeats.
func splitWords(s, sep string) ([]string, error) {
	var out []string
	for _, w := range strings.Split(s, sep) {
		w = NormalizeWord(w)
		if w == "" {
			return nil, fmt.Errorf("empty word in %q", strings.TrimSpace(s))
		}
		if slices.Contains(out, w) {
			return nil, fmt.Errorf("%q twice in %q", w, strings.TrimSpace(s))
		}
		out = append(out, w)
	}
	return out, nil
}

// NormalizeWord folds a thesaurus word as queries are folded: full-width
// forms to ASCII, lower case, surrounding spaces trimmed.
func NormalizeWord(w string) string {
	return strings.ToLower(strings.TrimSpace(chinese.FoldWidth(w)))
}

// maxWordRunes bounds a thesaurus word.
const maxWordRunes = 40

// CheckEntry says, in words staff understand, what is wrong with an entry
// (normalised words): an empty, overlong or one-character word (which would
// match nearly every document), no official word, an official word equal to
// the word.
func CheckEntry(word string, official []string) error {
	if word == "" {
		return fmt.Errorf("词语为空")
	}
	if len(official) == 0 {
		return fmt.Errorf("“%s”没有规范用语", word)
	}
	for _, w := range append([]string{word}, official...) {
		if w == "" {
			return fmt.Errorf("“%s”的规范用语有空词", word)
		}
		if n := utf8.RuneCountInString(w); n > maxWordRunes {
			return fmt.Errorf("“%s”超过 %d 个字", w, maxWordRunes)
		} else if n == 1 && isHan(w) {
			return fmt.Errorf("“%s”只有一个字，会匹配几乎所有文件", w)
		}
	}
	if slices.Contains(official, word) {
		return fmt.Errorf("“%s”不能对应它自己", word)
	}
	return nil
}

// GroupEntries turns groups of words that find each other (the config's
// search.synonyms) into entries, one a word.
func GroupEntries(groups [][]string, source string) []Entry {
	var out []Entry
	for _, g := range groups {
		var words []string
		for _, w := range g {
			if w = NormalizeWord(w); w != "" && !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
		if len(words) < 2 {
			continue
		}
		for _, w := range words {
			out = append(out, Entry{Word: w, Official: without(words, w), Source: source})
		}
	}
	return out
}

func without(words []string, w string) []string {
	out := make([]string, 0, len(words))
	for _, o := range words {
		if o != w {
			out = append(out, o)
		}
	}
	return out
}

// baseThesaurus returns the built-in thesaurus and cfg's synonym groups.
func baseThesaurus(cfg *config.Config) ([]Entry, error) {
	base, err := BuiltinThesaurus()
	if err != nil {
		return nil, err
	}
	return append(base, GroupEntries(cfg.Search.Synonyms, SourceConfig)...), nil
}

// Expansions returns every thesaurus word with the words a search adds to
// it, as a search sees them: the built-in list and cfg's synonym groups with
// the staff entries over them.
func Expansions(cfg *config.Config, staff []Entry) (map[string][]string, error) {
	base, err := baseThesaurus(cfg)
	if err != nil {
		return nil, err
	}
	return newSynonyms(base, staff).expand, nil
}

// StaffEntries returns the staff layer of the thesaurus as the store keeps it.
func StaffEntries(rows []store.ThesaurusEntry) []Entry {
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		out = append(out, Entry{Word: r.Word, Official: r.Official, Source: SourceStaff})
	}
	return out
}

// BaseThesaurus returns the entries the index searches with before staff
// edits: the built-in thesaurus and the config's synonym groups.
func (ix *Index) BaseThesaurus() []Entry {
	return slices.Clone(ix.base)
}

// SetStaffThesaurus applies staff entries over the base ones (an entry
// replaces the word's base entry; one without official words switches the
// word off) to every search that starts after it returns.
func (ix *Index) SetStaffThesaurus(staff []Entry) {
	ix.syn.Store(newSynonyms(ix.base, staff))
}
