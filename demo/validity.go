package demo

import (
	"fmt"
	"strings"

	"github.com/gongkai-project/gongkai/store"
)

// validityStates gives the numbered portal documents the states of 有效性
// beyond 有效 and 废止 (finish sets those), once they are numbered:
//   - each year, the first 通知公告 notice becomes the one that publishes the
//     year's 农村低保标准; from the second year on it repeals the previous
//     year's notice by title and number. The repealed page keeps saying 有效:
//     the crawler's repeal step marks it 已废止 from the later notice;
//   - 放假安排 notices of years before the last say 失效;
//   - notices forwarding a county 实施办法 (转发《…》) of years before the
//     last say 已修改 (the county revised it since).
//
// It rewrites documents in place and draws no random numbers, so every
// count and every other document stays as generated.
func (g *gen) validityStates() {
	var prev *Item
	for y := g.o.FromYear; y <= g.o.ToYear; y++ {
		it := g.firstNotice(y)
		if it == nil {
			continue
		}
		if it.DocNumber == "" {
			it.DocNumber = g.nextNumber(noticePrefix, y)
		}
		it.Title = fmt.Sprintf("%s关于公布%d年农村低保标准的通知", TownName, y)
		it.Genre, it.Kind = "通知", ""
		it.paras = []string{
			fmt.Sprintf("各村民委员会：根据%s民政局有关规定，经镇政府研究，现将%d年全镇农村最低生活保障（低保）标准公布如下：", CountyName, y),
			fmt.Sprintf("一、农村低保标准为每人每年%d元，低保对象按月领取保障金。", lowIncomeStandard(y)),
			"二、各村要严格按照标准开展低保评议，做到应保尽保、应退尽退。",
		}
		if prev != nil {
			it.paras = append(it.paras, fmt.Sprintf("本通知自发布之日起执行，《%s》（%s）同时废止。", prev.Title, prev.DocNumber))
		}
		it.paras = append(it.paras, "特此通知。")
		prev = it
	}
	for _, it := range g.items {
		last := it.Published.Year() == g.o.ToYear
		switch {
		case it.DocNumber == "" || last:
		case strings.Contains(it.Title, "放假安排"):
			it.Validity = "失效"
		case strings.Contains(it.Title, "转发《"):
			it.Validity = store.ValidityModified
		}
	}
}

// lowIncomeStandard is the township's 农村低保标准 of year y, yuan per person and year.
func lowIncomeStandard(y int) int { return 800 + 100*(y%100) }

// noticePrefix numbers the notices of the township's office (康镇办〔Y〕N号).
const noticePrefix = "康镇办"

// nextNumber returns the document number after the highest one of prefix in year y.
func (g *gen) nextNumber(prefix string, y int) string {
	n := 0
	for _, it := range g.items {
		var py, pn int
		if _, err := fmt.Sscanf(strings.TrimPrefix(it.DocNumber, prefix), "〔%d〕%d号", &py, &pn); err == nil &&
			strings.HasPrefix(it.DocNumber, prefix) && py == y {
			n = max(n, pn)
		}
	}
	return fmt.Sprintf("%s〔%d〕%d号", prefix, y, n+1)
}

// firstNotice returns the earliest 通知公告 notice of year y on a page with
// a metadata table (TRS) and without attachments, or nil.
func (g *gen) firstNotice(y int) *Item {
	var first *Item
	for _, it := range g.items {
		if it.Category != "通知公告" || it.Published.Year() != y || len(it.attFiles) > 0 ||
			it.col == nil || it.col.Style != styleTRS {
			continue
		}
		if first == nil || it.Published.Before(first.Published) {
			first = it
		}
	}
	return first
}
