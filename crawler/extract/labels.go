package extract

import (
	"regexp"
	"sort"
	"strings"
)

// Canonical labels of the 信息公开 metadata (DOMAIN.md §2), used as keys of
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
	"有效性": LabelValidity, "时效": LabelValidity, "有效期": LabelValidity,
	"主题词": LabelKeywords, "关键词": LabelKeywords, "关键字": LabelKeywords,
}

// lineLabels are the labels of the byline under a headline ("发布时间：… 来源：…");
// they are read only outside the body, where they are not part of the text.
var lineLabels = map[string]string{
	"来源": LabelSource, "稿件来源": LabelSource, "文章来源": LabelSource, "新闻来源": LabelSource,
	"出处": LabelSource,
	"时间": LabelPublished, "日期": LabelPublished, "发表于": LabelPublished,
	"更新时间": LabelPublished, "发稿时间": LabelPublished, "上传时间": LabelPublished,
	"录入时间": LabelPublished, "发帖时间": LabelPublished, "刊发时间": LabelPublished,
	"作者": LabelAuthor, "撰稿": LabelAuthor, "记者": LabelAuthor,
}

// stopLabels end a value that shares a line with other labelled values.
var stopLabels = []string{
	"浏览次数", "浏览量", "点击数", "点击率", "点击", "阅读", "访问量", "字号", "责任编辑",
	"编辑", "发布者", "打印", "关闭", "分享到", "审核", "校对",
}

var (
	labelRe     = buildLabelRe()
	nonLabelSep = regexp.MustCompile(`^[\s\[\]【】()（）|｜:：]+|[\s\[\]【】()（）|｜:：]+$`)
)

// buildLabelRe compiles one pattern for every known label, allowing spaces
// between its characters ("索 引 号"), followed by a colon or at end of
// cell. Longer labels are tried first so 信息来源 wins over 来源.
func buildLabelRe() *regexp.Regexp {
	var all []string
	for _, m := range []map[string]string{formalLabels, lineLabels} {
		for k := range m {
			all = append(all, k)
		}
	}
	all = append(all, stopLabels...)
	sort.Slice(all, func(i, j int) bool {
		if len(all[i]) != len(all[j]) {
			return len(all[i]) > len(all[j])
		}
		return all[i] < all[j]
	})
	alts := make([]string, len(all))
	for i, l := range all {
		alts[i] = strings.Join(strings.Split(l, ""), `\s*`)
	}
	return regexp.MustCompile(`(` + strings.Join(alts, "|") + `)\s*(?:[:：]|$)`)
}

// labelled is one label: value pair found on a line.
type labelled struct {
	label  string // canonical label
	formal bool   // from the metadata-table label set
	value  string
}

// parseLabels splits a rendered line into label: value pairs. Cells are
// separated by tabs; a cell that is only a label takes the next cell as its
// value, and a cell may hold several "label：value" pairs.
func parseLabels(text string) []labelled {
	cells := strings.Split(text, "\t")
	var out []labelled
	for i := 0; i < len(cells); i++ {
		cell := cells[i]
		locs := labelRe.FindAllStringSubmatchIndex(cell, -1)
		locs = labelStarts(cell, locs)
		for j, loc := range locs {
			end := len(cell)
			if j+1 < len(locs) {
				end = locs[j+1][0]
			}
			value := cell[loc[1]:end]
			if strings.TrimSpace(value) == "" && j+1 == len(locs) && i+1 < len(cells) && !hasLabel(cells[i+1]) {
				i++
				value = cells[i]
			}
			if l, ok := canonical(cell[loc[2]:loc[3]]); ok {
				l.value = nonLabelSep.ReplaceAllString(strings.TrimSpace(value), "")
				out = append(out, l)
			}
		}
	}
	return out
}

// labelStarts keeps the label matches that begin a cell or follow a space,
// a bracket or a separator, so 来源 inside 信息来源 or a word is not a label.
func labelStarts(cell string, locs [][]int) [][]int {
	keep := locs[:0]
	for _, loc := range locs {
		if loc[0] == 0 || strings.ContainsAny(lastRune(cell[:loc[0]]), " \u3000]】)）|｜>:：,，;；") {
			keep = append(keep, loc)
		}
	}
	return keep
}

func lastRune(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return s[i:]
		}
	}
	return ""
}

// hasLabel reports whether a cell starts with a known label.
func hasLabel(cell string) bool {
	loc := labelRe.FindStringIndex(cell)
	return loc != nil && loc[0] == 0
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
