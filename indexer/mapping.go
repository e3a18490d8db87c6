// Package indexer is gongkai's search index: Chinese analysis on Bleve, the
// index mapping, incremental updates from the store, and search with ranking,
// filters, facets, snippets, synonyms and pinyin help.
package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer/chinese"
)

// Field names in the index.
const (
	fTitle     = "title"    // gse words, stored
	fTitleBi   = "title_bi" // CJK bigrams with positions, no offsets (phrases, suggestions)
	fBody      = "body"     // gse words, not stored (the store has the text)
	fBodyBi    = "body_bi"  // CJK bigrams without positions: phrases are checked in the text
	fLengths   = "lengths"  // stored only: the document's token counts (fieldLengths)
	fURL       = "url"
	fCategory  = "category"
	fChannel   = "channel"
	fPublisher = "publisher"
	fSubject   = "subject"
	fGenre     = "genre"
	fSource    = "source"
	fDocNumber = "doc_number"     // as published, stored
	fDocKeys   = "doc_number_key" // normalised parts: "2017|47", "国办发|2017|47"
	fPublished = "published"
	fWritten   = "written"
	fYear      = "year"            // a facet: the sums of the month counts
	fMonth     = "month"           // "2017-03", a facet value only
	fFacets    = "facets"          // "category=…", "channel=…", "publisher=…", "month=…", "validity=…" (facets.go)
	fValidity  = "validity"        // 有效性 as shown (store.Document.CurrentValidity), stored, doc values
	fAtt       = "attachment"      // gse words of the attachments' text, not stored
	fAttBi     = "attachment_bi"   // CJK bigrams of the attachments' text, without positions
	fAttType   = "attachment_type" // the types of the document's fetched attachments (pdf, xlsx, …)
)

// attachmentsPath is the key of the attachments' text in the indexed field map.
const attachmentsPath = "attachments"

// wordsAnalyzer is the name of the per-index gse analyzer (it carries the user dictionary).
const (
	wordsAnalyzer   = "gk_words_user"
	wordsTokenizer  = "gk_gse_user"
	mappingVersion  = "8"
	docType         = "doc"
	keywordAnalyzer = keyword.Name
)

// keywordFields are exact-match metadata fields; fFacets and fValidity have doc values.
var keywordFields = []string{fCategory, fChannel, fPublisher, fSubject, fGenre, fSource, fDocKeys, fFacets, fValidity, fAttType}

// textFields are the analysed fields that queries score on, in
// fieldLengths order.
var textFields = []string{fTitle, fTitleBi, fBody, fBodyBi, fAtt, fAttBi}

// newMapping returns the index mapping; the user dictionary of cfg is part of it.
func newMapping(cfg *config.Config) (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	words := make([]interface{}, 0, len(cfg.Search.UserDict))
	for _, w := range cfg.Search.UserDict {
		words = append(words, w)
	}
	if err := m.AddCustomTokenizer(wordsTokenizer, map[string]interface{}{
		"type": chinese.TokenizerName, "user_dict": words}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer(wordsAnalyzer, map[string]interface{}{
		"type": chinese.WordAnalyzer, "tokenizer": wordsTokenizer}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("title",
		textField(fTitle, wordsAnalyzer, true, false),
		textField(fTitleBi, chinese.BigramIndexAnalyzer, false, true))
	dm.AddFieldMappingsAt("body",
		textField(fBody, wordsAnalyzer, false, false),
		textField(fBodyBi, chinese.BigramIndexAnalyzer, false, false))
	dm.AddFieldMappingsAt(attachmentsPath,
		textField(fAtt, wordsAnalyzer, false, false),
		textField(fAttBi, chinese.BigramIndexAnalyzer, false, false))
	for _, f := range keywordFields {
		dm.AddFieldMappingsAt(f, keywordField(f))
	}
	for _, f := range []string{fURL, fDocNumber, fLengths} {
		fm := bleve.NewTextFieldMapping()
		fm.Index, fm.Store, fm.IncludeInAll, fm.IncludeTermVectors, fm.DocValues = false, true, false, false, false
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range []string{fPublished, fWritten} {
		fm := bleve.NewDateTimeFieldMapping()
		fm.Store, fm.IncludeInAll, fm.DocValues = f == fPublished, false, true
		dm.AddFieldMappingsAt(f, fm)
	}
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping()) // no composite field at all
	m.AddDocumentMapping(docType, dm)
	m.DefaultMapping = bleve.NewDocumentDisabledMapping()
	m.DefaultType = docType
	m.DefaultAnalyzer = chinese.BigramAnalyzer
	m.DefaultField = fBodyBi
	m.StoreDynamic, m.IndexDynamic, m.DocValuesDynamic = false, false, false
	return m, nil
}

func textField(name, analyzer string, store, vectors bool) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Name = name
	fm.Analyzer = analyzer
	fm.Store = store
	fm.IncludeTermVectors = vectors
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

func keywordField(name string) *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Name = name
	fm.Store = name == fCategory || name == fChannel || name == fPublisher || name == fValidity
	fm.IncludeInAll = false
	fm.DocValues = name == fFacets || name == fValidity
	return fm
}
