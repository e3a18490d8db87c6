package indexer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/gongkai-project/gongkai/store"
)

// Internal keys stored in the Bleve index beside the documents.
const (
	keyVersion = "gk/version" // mapping version
	keySeq     = "gk/seq"     // last store sequence indexed
	keyLenSum  = "gk/lensum"  // lengthStats
)

// gseTokensPerHan is the measured number of gse tokens (words and sub-words)
// per Han character in Chinese government text (see TestLengthEstimates).
const gseTokensPerHan = 0.62

// fieldLengths are a document's token counts in textFields order.
type fieldLengths [6]uint64

// lengthStats are the live document count and the summed field lengths.
// Bleve 2.6.3 normalises BM25 by a field's distinct-term count divided by the
// document count, not by the mean field length; these sums give the true mean.
type lengthStats struct {
	docs uint64
	sums fieldLengths
}

// estimateLengths returns d's field lengths: exact for bigrams (a run of n Han
// characters gives n-1 bigrams, or one unigram), and estimated for gse words.
func estimateLengths(d *store.Document) fieldLengths {
	tb, th, tw := countText(d.Title)
	bb, bh, bw := countText(d.Body)
	ab, ah, aw := countText(attachmentText(d))
	return fieldLengths{
		uint64(float64(th)*gseTokensPerHan + float64(tw) + 0.5), tb,
		uint64(float64(bh)*gseTokensPerHan + float64(bw) + 0.5), bb,
		uint64(float64(ah)*gseTokensPerHan + float64(aw) + 0.5), ab,
	}
}

// countText returns the bigram-field token count, the number of Han
// characters and the number of other words (letter/digit runs) of s.
func countText(s string) (bigrams, han, words uint64) {
	run, inWord := 0, false
	flush := func() {
		switch {
		case run == 1:
			bigrams++
		case run > 1:
			bigrams += uint64(run - 1)
		}
		run = 0
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			run++
			han++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			flush()
			if !inWord {
				words++
				bigrams++
			}
			inWord = true
		default:
			flush()
			inWord = false
		}
	}
	flush()
	return bigrams, han, words
}

func (l fieldLengths) encode() []byte {
	b := make([]byte, 0, len(l)*binary.MaxVarintLen64)
	for _, v := range l {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

func decodeLengths(b []byte) (fieldLengths, error) {
	var l fieldLengths
	for i := range l {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return l, errors.New("bad field lengths record")
		}
		l[i], b = v, b[n:]
	}
	return l, nil
}

func (s lengthStats) encode() []byte {
	return append(binary.AppendUvarint(nil, s.docs), s.sums.encode()...)
}

// add adds (sign > 0) or removes (sign < 0) one document's lengths.
func (s *lengthStats) add(l fieldLengths, sign int) {
	for i, v := range l {
		if sign > 0 {
			s.sums[i] += v
		} else {
			s.sums[i] -= min(v, s.sums[i])
		}
	}
	if sign > 0 {
		s.docs++
	} else if s.docs > 0 {
		s.docs--
	}
}

func loadStats(idx bleve.Index) (lengthStats, error) {
	var s lengthStats
	b, err := idx.GetInternal([]byte(keyLenSum))
	if err != nil || len(b) == 0 {
		return s, err
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return s, fmt.Errorf("bad %s record", keyLenSum)
	}
	s.docs = v
	s.sums, err = decodeLengths(b[n:])
	return s, err
}

// bm25Stats returns the statistics Bleve's BM25 scorer should use: the true
// mean length of each text field, and length 1 for keyword fields. Bleve
// computes ceil(FieldCardinality/DocCount) as the average, so the sums go in.
func (s lengthStats) bm25Stats(docCount uint64) *search.BM25Stats {
	n := max(docCount, 1)
	card := make(map[string]int, len(textFields)+len(keywordFields))
	// "*" is the field of the unscored term searcher Bleve makes of a
	// conjunction of filters; it asks for its statistics even unscored.
	for _, f := range append(keywordFields, fPublished, fWritten, "*") {
		card[f] = int(n)
	}
	for i, f := range textFields {
		mean := float64(s.sums[i]) / float64(max(s.docs, 1))
		card[f] = int(max(mean, 1) * float64(n))
	}
	return &search.BM25Stats{DocCount: float64(n), FieldCardinality: card}
}

// bm25Key is where a search request carries our BM25 statistics.
const bm25Key = search.BM25PreSearchDataKey
