package store

import (
	"strings"
	"unicode"
)

// Validity (有效性) values: every stored document has exactly one.
const (
	ValidityCurrent  = "现行有效"
	ValidityModified = "已修改"
	ValidityRepealed = "已废止"
	ValidityExpired  = "已失效"
	ValidityUnknown  = "未注明"
)

// Validities lists the validity values, current first.
var Validities = []string{ValidityCurrent, ValidityModified, ValidityRepealed, ValidityExpired, ValidityUnknown}

// IsValidity reports whether v is one of the normalised validity values.
func IsValidity(v string) bool {
	for _, x := range Validities {
		if v == x {
			return true
		}
	}
	return false
}

// Outdated reports whether a validity value says the document no longer
// applies as a whole (已废止, 已失效).
func Outdated(v string) bool { return v == ValidityRepealed || v == ValidityExpired }

// validityWords map what pages write in a 有效性/时效性 cell to a value,
// tried in order as substrings of the cell (partial states first, so
// 部分失效 is not read as 失效). A document partly expired or repealed is
// still partly in force: it counts as 已修改, as for an amended one.
var validityWords = []struct{ word, value string }{
	{"部分失效", ValidityModified}, {"部分废止", ValidityModified}, {"部分有效", ValidityModified},
	{"废止", ValidityRepealed}, {"作废", ValidityRepealed}, {"废除", ValidityRepealed}, {"撤销", ValidityRepealed},
	{"失效", ValidityExpired}, {"无效", ValidityExpired}, {"过期", ValidityExpired}, {"停止执行", ValidityExpired},
	{"修改", ValidityModified}, {"修订", ValidityModified}, {"修正", ValidityModified},
	{"有效", ValidityCurrent}, {"现行", ValidityCurrent}, {"生效", ValidityCurrent}, {"施行", ValidityCurrent},
	{"执行中", ValidityCurrent}, {"长期", ValidityCurrent},
	{"未注明", ValidityUnknown},
}

// NormalizeValidity maps a stated validity (有效, 现行有效, 废止, 已失效,
// 部分失效, …) to one of the five values. ok is false when the statement is
// not understood (the result is then 未注明; callers keep the raw value in
// Meta). An empty statement is 未注明 and ok.
func NormalizeValidity(raw string) (v string, ok bool) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, raw)
	if s == "" {
		return ValidityUnknown, true
	}
	for _, w := range validityWords {
		if strings.Contains(s, w.word) {
			return w.value, true
		}
	}
	return ValidityUnknown, false
}

// MetaValidity is the Meta key that keeps a stated validity as written.
const MetaValidity = "有效性"

// normalizeValidity makes d.Validity one of Validities. A statement that is
// not understood becomes 未注明 and is kept, as written, in Meta.
// An empty d.Validity is read from Meta.
func normalizeValidity(d *Document) {
	if d.Validity == "" {
		d.Validity = d.Meta[MetaValidity]
	}
	if IsValidity(d.Validity) {
		return
	}
	v, ok := NormalizeValidity(d.Validity)
	if !ok && d.Meta[MetaValidity] == "" {
		if d.Meta == nil {
			d.Meta = map[string]string{}
		}
		d.Meta[MetaValidity] = d.Validity
	}
	d.Validity = v
}
