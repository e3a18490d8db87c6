package indexer

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/indexer/chinese"
	"github.com/gongkai-project/gongkai/store"
)

// indexDoc turns a store document into the field map the mapping indexes.
func indexDoc(d *store.Document) map[string]interface{} {
	m := map[string]interface{}{
		"title": d.Title,
		"body":  d.Body,
	}
	put := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			m[k] = v
		}
	}
	put(fURL, d.URL)
	put(fCategory, d.Category)
	put(fChannel, d.Channel)
	put(fPublisher, d.Publisher)
	put(fGenre, d.Genre)
	put(fSource, d.Source)
	put(fDocNumber, d.DocNumber)
	put(fValidity, d.CurrentValidity())
	if t := attachmentText(d); t != "" {
		m[attachmentsPath] = t
	}
	if types := attachmentTypes(d); len(types) > 0 {
		m[fAttType] = types
	}
	if subjects := SplitSubjects(d.Subject); len(subjects) > 0 {
		m[fSubject] = subjects
	}
	if keys := docNumberKeys(d.DocNumber); len(keys) > 0 {
		m[fDocKeys] = keys
	}
	if !d.Published.IsZero() {
		p := d.Published.In(store.Beijing)
		m[fPublished] = p.Format(time.RFC3339)
		m[fMonth] = p.Format("2006-01")
	}
	fv := facetValues(m)
	if u := strings.TrimSpace(d.Unit); u != "" {
		fv = append(fv, unitTerm(u)) // for the unit filter; not a listed facet
	}
	if len(fv) > 0 {
		m[fFacets] = fv
	}
	delete(m, fMonth)
	if !d.Written.IsZero() {
		m[fWritten] = d.Written.In(store.Beijing).Format(time.RFC3339)
	}
	return m
}

// attachmentText is the text of d's attachments, one after the other.
func attachmentText(d *store.Document) string {
	var b strings.Builder
	for _, a := range d.Attachments {
		if t := strings.TrimSpace(a.Text); t != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// attachmentTypes are the types of d's fetched attachments, each once.
func attachmentTypes(d *store.Document) []string {
	var out []string
	for _, a := range d.Attachments {
		if a.Type != "" && !slices.Contains(out, a.Type) {
			out = append(out, a.Type)
		}
	}
	return out
}

// SplitSubjects splits a published 主题分类 that may hold several values
// (separated by \ ; / ； or 、) into them.
func SplitSubjects(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(`\;/；、`, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// docNumberRE matches a document number: an optional issuer prefix, a year
// in brackets (or followed by 年) and a serial number followed by 号.
var docNumberRE = regexp.MustCompile(`(\p{Han}{0,12})\s*(?:[\[(（【〔〖]\s*((?:19|20)\d{2})\s*[\])）】〕〗]|((?:19|20)\d{2})\s*年)\s*第?\s*(\d{1,5})\s*号`)

// docNumber is one document number found in a text.
type docNumber struct {
	prefix     string // issuer prefix, e.g. 国办发 (may be longer in free text)
	year, num  string
	start, end int // byte offsets in the text
}

// findDocNumbers returns the document numbers written in s (width-folded).
func findDocNumbers(s string) []docNumber {
	var out []docNumber
	for _, m := range docNumberRE.FindAllStringSubmatchIndex(s, -1) {
		dn := docNumber{prefix: s[m[2]:m[3]], num: strings.TrimLeft(s[m[8]:m[9]], "0"), start: m[0], end: m[1]}
		if m[4] >= 0 {
			dn.year = s[m[4]:m[5]]
		} else {
			dn.year = s[m[6]:m[7]]
		}
		out = append(out, dn)
	}
	return out
}

// docNumberKeys returns the exact keys of a document number: year|num and,
// with an issuer prefix, prefix|year|num.
func docNumberKeys(s string) []string {
	dns := findDocNumbers(chinese.FoldWidth(s))
	if len(dns) == 0 {
		return nil
	}
	dn := dns[0]
	keys := []string{dn.year + "|" + dn.num}
	if dn.prefix != "" {
		keys = append(keys, dn.prefix+"|"+dn.year+"|"+dn.num)
	}
	return keys
}
