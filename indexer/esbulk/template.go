package esbulk

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Names of the analysis components the template defines. The tokenizers
// ik_max_word and ik_smart come from the IK analysis plugin
// (elasticsearch-analysis-ik / opensearch-analysis-ik); cjk_width,
// cjk_bigram and synonym_graph are built into both engines.
const (
	AnalyzerWords   = "gongkai_words"  // index time: IK's finest segmentation, width and case folded
	AnalyzerSearch  = "gongkai_search" // query time: IK's coarsest segmentation and the thesaurus
	AnalyzerBigram  = "gongkai_bigram" // CJK bigrams: exact phrases, as gongkai's bigram fields
	FilterSynonyms  = "gongkai_synonyms"
	SimilarityBM25  = "gongkai_bm25" // BM25 with gongkai's k1 = 2.0, b = 0.75 (indexer/RANKING.md)
	SynonymsPath    = "analysis/gongkai_synonyms.txt"
	IKConfigPath    = "analysis-ik/IKAnalyzer.cfg.xml"
	IKDictPath      = "analysis-ik/gongkai.dic"
	ikDictInConfig  = "gongkai.dic" // IKDictPath as IKAnalyzer.cfg.xml names it (relative to its folder)
	maxKeywordBytes = 1024
)

// Template returns the composable index template (PUT _index_template/NAME)
// for indexes whose names start with index: the analysers, the similarity and
// the mapping of every field WriteBulk writes.
func Template(index string) ([]byte, error) {
	t := map[string]any{
		"index_patterns": []string{index + "*"},
		"priority":       100,
		"_meta":          map[string]any{"description": "gongkai 政务公开 documents (gongkai export --format es-bulk)"},
		"template": map[string]any{
			"settings": map[string]any{
				"index": map[string]any{
					"similarity": map[string]any{
						SimilarityBM25: map[string]any{"type": "BM25", "k1": 2.0, "b": 0.75},
					},
				},
				"analysis": map[string]any{
					"filter": map[string]any{
						FilterSynonyms: map[string]any{"type": "synonym_graph", "synonyms_path": SynonymsPath},
					},
					"analyzer": map[string]any{
						AnalyzerWords:  map[string]any{"type": "custom", "tokenizer": "ik_max_word", "filter": []string{"cjk_width", "lowercase"}},
						AnalyzerSearch: map[string]any{"type": "custom", "tokenizer": "ik_smart", "filter": []string{"cjk_width", "lowercase", FilterSynonyms}},
						AnalyzerBigram: map[string]any{"type": "custom", "tokenizer": "standard", "filter": []string{"cjk_width", "lowercase", "cjk_bigram"}},
					},
				},
			},
			"mappings": Mappings(),
		},
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("index template: %w", err)
	}
	return b, nil
}

// Field is one field of the mapping: its name, its type and, for text, its
// analyser (docs/SCALING.md lists them).
type Field struct {
	Name, Type, Analyzer string
	mapping              map[string]any
}

// Fields returns the mapped fields in the order of docs/SCALING.md.
func Fields() []Field {
	text := func(name string, sub map[string]any) Field {
		m := map[string]any{"type": "text", "analyzer": AnalyzerWords, "search_analyzer": AnalyzerSearch,
			"similarity": SimilarityBM25, "fields": sub}
		return Field{Name: name, Type: "text", Analyzer: AnalyzerWords, mapping: m}
	}
	bigram := map[string]any{"type": "text", "analyzer": AnalyzerBigram, "similarity": SimilarityBM25}
	keywordMapping := map[string]any{"type": "keyword", "ignore_above": maxKeywordBytes}
	keyword := func(name string) Field {
		return Field{Name: name, Type: "keyword", mapping: keywordMapping}
	}
	words := map[string]any{"type": "text", "analyzer": AnalyzerWords, "search_analyzer": AnalyzerSearch}
	date := func(name string) Field {
		return Field{Name: name, Type: "date", mapping: map[string]any{"type": "date", "format": "strict_date_optional_time"}}
	}
	fields := []Field{
		keyword("id"),
		{Name: "seq", Type: "long", mapping: map[string]any{"type": "long"}},
		keyword("url"), keyword("source"), keyword("channel"), keyword("unit"), keyword("column"),
		text("title", map[string]any{"bi": bigram, "raw": map[string]any{"type": "keyword", "ignore_above": maxKeywordBytes}}),
		text("body", map[string]any{"bi": bigram}),
		{Name: "html", Type: "text", mapping: map[string]any{"type": "text", "index": false}},
		date("published"), date("written"),
		keyword("publisher"), keyword("doc_number"), keyword("index_number"), keyword("subject"),
		keyword("category"), keyword("genre"), keyword("validity"), keyword("validity_stated"),
		keyword("repealed_by"),
		{Name: "attachments", Type: "object", mapping: map[string]any{"type": "object", "properties": map[string]any{
			"name":   words,
			"text":   words,
			"url":    keywordMapping,
			"type":   keywordMapping,
			"state":  keywordMapping,
			"sha256": keywordMapping,
			"reason": map[string]any{"type": "text", "index": false},
			"bytes":  map[string]any{"type": "long"},
			"pages":  map[string]any{"type": "integer"},
		}}},
		{Name: "meta", Type: "object", mapping: map[string]any{"type": "object", "enabled": false}},
		keyword("content_hash"),
		date("fetched_at"),
	}
	return fields
}

// Mappings returns the template's mappings: the fields of Fields, and no
// dynamic ones (a field the template does not name is kept in _source only).
func Mappings() map[string]any {
	props := map[string]any{}
	for _, f := range Fields() {
		props[f.Name] = f.mapping
	}
	return map[string]any{"dynamic": false, "properties": props}
}

// IKDict returns the IK extension dictionary: the configuration's user
// dictionary and every thesaurus word, one a line, so that IK keeps them
// whole and the synonym filter sees them as tokens.
func IKDict(userDict []string, expansions map[string][]string) []byte {
	var words []string
	add := func(w string) {
		if w = strings.TrimSpace(w); w != "" && !strings.ContainsAny(w, " \t\r\n") {
			words = append(words, w)
		}
	}
	for _, w := range userDict {
		add(w)
	}
	for w, others := range expansions {
		add(w)
		for _, o := range others {
			add(o)
		}
	}
	slices.Sort(words)
	return []byte(strings.Join(slices.Compact(words), "\n") + "\n")
}

// IKConfig returns an IKAnalyzer.cfg.xml that loads the extension dictionary.
func IKConfig() []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">
<properties>
	<comment>IK Analyzer: gongkai's user dictionary and thesaurus words</comment>
	<entry key="ext_dict">` + ikDictInConfig + `</entry>
	<entry key="ext_stopwords"></entry>
</properties>
`)
}

// Synonyms returns the thesaurus in the Solr synonym format both engines
// read: one "word => word, official, official" rule a word, so that a query
// word is searched with itself and its official words, as gongkai searches it.
func Synonyms(expansions map[string][]string) []byte {
	var b strings.Builder
	b.WriteString("# gongkai thesaurus: a query word => itself and the words searched with it\n")
	words := make([]string, 0, len(expansions))
	for w := range expansions {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		b.WriteString(escapeSynonym(w) + " => " + escapeSynonym(w))
		for _, o := range expansions[w] {
			b.WriteString(", " + escapeSynonym(o))
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// escapeSynonym escapes the characters the Solr synonym format gives a meaning.
func escapeSynonym(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `,`, `\,`, `=>`, `\=>`, `#`, `\#`)
	return r.Replace(w)
}
