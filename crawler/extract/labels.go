package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Canonical labels of the 信息公开 metadata (docs/documents.md), used as keys of
// Article.Meta.
const (
	LabelIndex     = "索引号"
	LabelTitle     = "标题"
	LabelPublisher = "发布机构"
	LabelWritten   = "成文日期"
	LabelPublished = "发布日期"
	LabelDocNumber = "文号"
	LabelSubject   = "主题分类"
	LabelGenre     = "公文种类"
	LabelValidity  = "有效性"
	LabelKeywords  = "关键词"
	LabelAuthor    = "作者"
	LabelSource    = "来源"
)

// formalLabels maps every label variant of a 信息公开 metadata table to its
// canonical label. These are read wherever they appear outside the body.
var formalLabels = map[string]string{
	"索引号": LabelIndex, "信息索引号": LabelIndex, "索取号": LabelIndex,
	"名称": LabelTitle, "标题": LabelTitle, "信息名称": LabelTitle, "文件名称": LabelTitle,
	"发布机构": LabelPublisher, "发文机关": LabelPublisher, "发文单位": LabelPublisher,
	"所属机构": LabelPublisher, "信息来源": LabelPublisher, "发布单位": LabelPublisher,
	"公开机构": LabelPublisher, "发布部门": LabelPublisher, "生成机构": LabelPublisher,
	"成文日期": LabelWritten, "生成日期": LabelWritten, "发文日期": LabelWritten,
	"产生日期": LabelWritten, "成文时间": LabelWritten,
	"发布日期": LabelPublished, "公开日期": LabelPublished, "发布时间": LabelPublished,
	"发表时间": LabelPublished, "发表日期": LabelPublished, "公开时间": LabelPublished,
	"文号": LabelDocNumber, "发文字号": LabelDocNumber, "发布文号": LabelDocNumber,
	"文件编号": LabelDocNumber,
	"主题分类": LabelSubject, "分类": LabelSubject, "组配分类": LabelSubject,
	"主题导航": LabelSubject, "信息分类": LabelSubject,
	"公文种类": LabelGenre, "体裁分类": LabelGenre, "文种": LabelGenre,
	"有效性": LabelValidity, "时效": LabelValidity, "时效性": LabelValidity, "有效期": LabelValidity,
	"效力状态": LabelValidity,
	"主题词":  LabelKeywords, "关键词": LabelKeywords, "关键字": LabelKeywords,
}

// lineLabels are the labels of the byline under a headline ("发布时间：… 来源：…");
// they are read only outside the body, where they are not part of the text.
var lineLabels = map[string]string{
	"来源": LabelSource, "稿件来源": LabelSource, "文章来源": LabelSource, "新闻来源": LabelSource,
	"出处": LabelSource,
	"时间": LabelPublished, "日期": LabelPublished, "发表于": LabelPublished,
	"发稿时间": LabelPublished, "上传时间": LabelPublished,
	"录入时间": LabelPublished, "发帖时间": LabelPublished, "刊发时间": LabelPublished,
	"作者": LabelAuthor, "撰稿": LabelAuthor, "记者": LabelAuthor,
	"主题": LabelTitle, // a forum thread's title
}

// stopLabels end a value that shares a line with other labelled values.
var stopLabels = []string{
	"浏览次数", "浏览量", "点击数", "点击率", "点击", "阅读", "访问量", "字号", "责任编辑",
	"编辑", "发布者", "打印", "关闭", "分享到", "审核", "校对",
}

// nonLabelSep trims brackets and separators around a value.
var nonLabelSep = regexp.MustCompile(`^[\s\[\]【】()（）|｜:：]+|[\s\[\]【】()（）|｜:：]+$`)

// maxLabelRunes is the length of the longest label.
const maxLabelRunes = 5

// minBareLabelRunes is the length from which a metadata label is read even
// when it follows the previous value without a space (发布机构：某局发布日期：…):
// labels that long do not occur inside words.
const minBareLabelRunes = 4

// isLabel reports whether s (spaces removed) is a known or stop label.
func isLabel(s string) bool {
	if _, ok := formalLabels[s]; ok {
		return true
	}
	if _, ok := lineLabels[s]; ok {
		return true
	}
	return slices.Contains(stopLabels, s)
}

// labelled is one label: value pair found on a line.
type labelled struct {
	label  string // canonical label
	formal bool   // from the metadata-table label set
	value  string
}

// labelSpan is a label found in a cell: its text (spaces removed) and the
// byte range from its first character to the end of its colon.
type labelSpan struct {
	text       string
	start, end int
}

// parseLabels splits a rendered line into label: value pairs. Cells are
// separated by tabs; a cell that is only a label takes the next cell as its
// value, and a cell may hold several "label：value" pairs. Spaces inside a
// label are ignored ("索 引 号").
func parseLabels(text string) []labelled {
	if !strings.ContainsAny(text, ":：\t") {
		return nil
	}
	cells := strings.Split(text, "\t")
	var out []labelled
	for i := 0; i < len(cells); i++ {
		cell := cells[i]
		spans := findLabels(cell)
		for j, sp := range spans {
			end := len(cell)
			if j+1 < len(spans) {
				end = spans[j+1].start
			}
			value := cell[sp.end:end]
			if strings.TrimSpace(value) == "" && j+1 == len(spans) && i+1 < len(cells) && len(findLabels(cells[i+1])) == 0 {
				i++
				value = cells[i]
			}
			if l, ok := canonical(sp.text); ok {
				if k := strings.Index(value, "【"); k >= 0 { // 【浏览字号】【打印】 toolbars after the value
					value = value[:k]
				}
				l.value = nonLabelSep.ReplaceAllString(strings.TrimSpace(value), "")
				out = append(out, l)
			}
		}
	}
	return out
}

// findLabels returns the labels of a cell: a cell that is a label alone, or
// the longest label ending before each colon. A label must start the cell
// or follow a space, bracket or separator, so 来源 in 资金来源 is none.
func findLabels(cell string) []labelSpan {
	if l := strings.TrimRight(squeeze(cell), ":："); l != "" && runeLen(l) <= maxLabelRunes && isLabel(l) {
		return []labelSpan{{text: l, start: 0, end: len(cell)}}
	}
	var out []labelSpan
	for i, r := range cell {
		if r != ':' && r != '：' {
			continue
		}
		if sp, ok := labelBefore(cell, i); ok {
			sp.end = i + utf8.RuneLen(r)
			out = append(out, sp)
		}
	}
	return out
}

// labelBefore finds the longest label that ends just before byte offset
// colon, skipping spaces.
func labelBefore(cell string, colon int) (labelSpan, bool) {
	var runes []rune
	var starts []int
	for i := colon; i > 0 && len(runes) < maxLabelRunes; {
		r, size := utf8.DecodeLastRuneInString(cell[:i])
		i -= size
		if unicode.IsSpace(r) {
			continue
		}
		runes = append(runes, r)
		starts = append(starts, i)
	}
	for k := len(runes); k >= 1; k-- {
		label := make([]rune, k)
		for j := range k {
			label[j] = runes[k-1-j]
		}
		start := starts[k-1]
		_, formal := formalLabels[string(label)]
		if isLabel(string(label)) && (labelBoundary(cell, start) || (formal && k >= minBareLabelRunes)) {
			return labelSpan{text: string(label), start: start}, true
		}
	}
	return labelSpan{}, false
}

// labelBoundary reports whether a label may start at byte offset i.
func labelBoundary(cell string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(cell[:i])
	return unicode.IsSpace(r) || strings.ContainsRune("]】)）|｜>:：,，;；。", r)
}

// canonical maps a matched label (possibly with inner spaces) to its
// canonical form; stop labels are reported as not ok.
func canonical(raw string) (labelled, bool) {
	key := squeeze(raw)
	if c, ok := formalLabels[key]; ok {
		return labelled{label: c, formal: true}, true
	}
	if c, ok := lineLabels[key]; ok {
		return labelled{label: c}, true
	}
	return labelled{}, false
}
