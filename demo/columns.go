package demo

import "fmt"

// Page styles of portal columns (docs/sources.md).
const (
	styleTRS    = "trs"    // /col/<slug>/index_N.html with createPageHTML, metadata table
	styleHanweb = "hanweb" // /col/col<id>/index.html with XML records and dataproxy.jsp
)

// Page sizes of the list pages.
const (
	trsPerPage    = 20
	hanwebPerPage = 15
	hanwebGroup   = 3 // pages of records inline in the list page
)

// column is one portal column (ColumnName) and the categories it publishes.
type column struct {
	Name       string
	Slug       string // TRS directory
	Style      string
	GBK        bool
	ColumnID   int // Hanweb columnid
	UnitID     int // Hanweb unitid
	Categories []string
	items      []*Item // newest first, filled by Generate
}

// mixedColumn holds several categories told apart by title keywords.
const mixedColumn = "民生服务"

func newColumns() []*column {
	return []*column{
		{Name: "机构职能", Slug: "jgzn", Style: styleTRS, Categories: []string{"机构职能"}},
		{Name: "法规政策", Slug: "fgzc", Style: styleTRS, Categories: []string{"法规政策"}},
		{Name: "规划信息", Slug: "ghxx", Style: styleTRS, GBK: true, Categories: []string{"规划信息"}},
		{Name: "财政信息", Slug: "czxx", Style: styleTRS, Categories: []string{"财政信息"}},
		{Name: "重点项目", Slug: "zdxm", Style: styleTRS, GBK: true, Categories: []string{"重点项目"}},
		{Name: "通知公告", Slug: "tzgg", Style: styleTRS, Categories: []string{"通知公告"}},
		{Name: "工作动态", Style: styleHanweb, ColumnID: 1101, UnitID: 5101, Categories: []string{"工作动态"}},
		{Name: "社会保障", Style: styleHanweb, ColumnID: 1102, UnitID: 5102, Categories: []string{"社会保障"}},
		{Name: mixedColumn, Style: styleHanweb, ColumnID: 1103, UnitID: 5103,
			Categories: []string{"救灾救济", "危房改造", "惠农政策", "环境保护"}},
		{Name: "村务公开", Style: styleHanweb, GBK: true, ColumnID: 1104, UnitID: 5104, Categories: []string{"村务公开"}},
	}
}

// listPath is the path of the column's first list page.
func (c *column) listPath() string {
	if c.Style == styleTRS {
		return "/col/" + c.Slug + "/index.html"
	}
	return fmt.Sprintf("/col/col%d/index.html", c.ColumnID)
}

// columnOf returns the column publishing category.
func columnOf(cols []*column, category string) *column {
	for _, c := range cols {
		for _, k := range c.Categories {
			if k == category {
				return c
			}
		}
	}
	return nil
}
