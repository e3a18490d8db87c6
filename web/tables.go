package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/store"
)

// tablesView is the staff page of the report's tables 三 and 四.
type tablesView struct {
	Choice   yearChoice
	Free     bool // the year's report is free prose (before 2019), without tables 三 and 四
	CSRF     string
	Notice   string
	Problems []string
	Forms    []tableForm
	Log      []cellChangeView
}

// tableForm is the form of one staff table: a row of inputs per entered row;
// totals are computed and shown.
type tableForm struct {
	Name, Title, First string
	Cols               []string // entered columns; the 总计 column is computed
	Rows               []formRow
}

// formRow is one row of a table form: its cells as typed (or stored) and
// the total of the row, or Computed for the （七）总计 row.
type formRow struct {
	Key, Label string
	Cells      []string
	Total      string
	Computed   bool
}

// cellChangeView is one audit line in words.
type cellChangeView struct {
	At, User, Via, Table, Row, Col, Before, After string
}

const tablesLogShown = 50

// tableDefs are the staff tables the page edits, by store name.
var tableDefs = []struct {
	name, title, first string
	rows               []analytics.RowDef
	cols               []string
}{
	{analytics.TableApplications, "表三 收到和处理政府信息公开申请情况", "项目", analytics.Table3Rows, analytics.Table3Columns},
	{analytics.TableAppeals, "表四 政府信息公开行政复议、行政诉讼情况", "类别", analytics.Table4Rows, analytics.Table4Columns},
}

// handleTables shows the forms of tables 三 and 四 of ?year= with the stored
// figures and the latest changes.
func (s *Server) handleTables(w http.ResponseWriter, r *http.Request) {
	year, err := s.year(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	t3, t4, err := analytics.StaffTables(r.Context(), s.st, year)
	if err != nil {
		s.serverError(w, r, "staff tables", err)
		return
	}
	typed := map[string]map[string][]string{analytics.TableApplications: cellStrings(t3), analytics.TableAppeals: cellStrings(t4)}
	v, err := s.tablesView(r, year, typed)
	if err != nil {
		s.serverError(w, r, "staff tables", err)
		return
	}
	if t := r.URL.Query().Get("saved"); t != "" {
		v.Notice = fmt.Sprintf("已保存%s（%s 个单元格有变化）", tableTitle(t), r.URL.Query().Get("changed"))
	}
	s.render(w, r, http.StatusOK, "tables.html", fmt.Sprintf("%d 年度报告表三、表四", year), v)
}

// handleTablesSave checks and stores one table posted from the page; a table
// that fails its checks is shown again with the problems and nothing stored.
func (s *Server) handleTablesSave(w http.ResponseWriter, r *http.Request) {
	year := formYear(r)
	name := r.PostFormValue("table")
	def := -1
	for i, d := range tableDefs {
		if d.name == name {
			def = i
		}
	}
	if year == 0 || def < 0 {
		s.errorPage(w, r, http.StatusBadRequest, "表单缺少年度或表名")
		return
	}
	d := tableDefs[def]
	cells, typed, problems := parseTableForm(r, tableTitle(name), d.rows, d.cols)
	if len(problems) == 0 {
		var t3, t4 map[string][]int
		if name == analytics.TableApplications {
			t3 = cells
		} else {
			t4 = cells
		}
		n, err := analytics.SaveStaffTables(r.Context(), s.st, year, t3, t4, sessionOf(r).User, "web", s.now())
		if ce, bad := errors.AsType[*analytics.CheckError](err); bad {
			for _, p := range ce.Problems {
				problems = append(problems, p.String())
			}
		} else if err != nil {
			s.serverError(w, r, "save staff table", err)
			return
		} else {
			s.log.Info("report table saved", "user", sessionOf(r).User, "year", year, "table", name, "changed", n)
			http.Redirect(w, r, withYear("/staff/report/tables", year, url.Values{"saved": {name}, "changed": {strconv.Itoa(n)}})+"#"+name+"-form", http.StatusSeeOther)
			return
		}
	}
	t3, t4, err := analytics.StaffTables(r.Context(), s.st, year)
	if err != nil {
		s.serverError(w, r, "staff tables", err)
		return
	}
	all := map[string]map[string][]string{analytics.TableApplications: cellStrings(t3), analytics.TableAppeals: cellStrings(t4)}
	all[name] = typed
	v, err := s.tablesView(r, year, all)
	if err != nil {
		s.serverError(w, r, "staff tables", err)
		return
	}
	v.Problems = append([]string{tableTitle(name) + "未保存，请改正后重新提交："}, problems...)
	s.render(w, r, http.StatusBadRequest, "tables.html", fmt.Sprintf("%d 年度报告表三、表四", year), v)
}

// parseTableForm reads the inputs c.ROW.COL of a table form: empty is 0,
// anything but a non-negative whole number is a problem naming its cell.
func parseTableForm(r *http.Request, table string, rows []analytics.RowDef, cols []string) (map[string][]int, map[string][]string, []string) {
	cells, typed := map[string][]int{}, map[string][]string{}
	var problems []string
	for _, row := range rows {
		if row.Key == "total" {
			continue
		}
		for c := range cols[:len(cols)-1] {
			text := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("c.%s.%d", row.Key, c)))
			typed[row.Key] = append(typed[row.Key], text)
			n := 0
			if text != "" {
				var err error
				if n, err = strconv.Atoi(text); err != nil || n < 0 {
					problems = append(problems, fmt.Sprintf("%s “%s”行 “%s”列：“%s”不是非负整数", table, row.Label, cols[c], text))
					n = 0
				}
			}
			cells[row.Key] = append(cells[row.Key], n)
		}
	}
	return cells, typed, problems
}

// tablesView builds the page from the cells as typed or stored, by table.
func (s *Server) tablesView(r *http.Request, year int, typed map[string]map[string][]string) (*tablesView, error) {
	v := &tablesView{CSRF: sessionOf(r).CSRF, Free: analytics.FormatOf(year) == analytics.FormatFree}
	var err error
	if v.Choice, err = s.yearChoice(r.Context(), "/staff/report/tables", year); err != nil {
		return nil, err
	}
	for _, d := range tableDefs {
		f := tableForm{Name: d.name, Title: d.title, First: d.first, Cols: d.cols[:len(d.cols)-1]}
		cells := typed[d.name]
		for _, row := range d.rows {
			fr := formRow{Key: row.Key, Label: row.Label, Computed: row.Key == "total"}
			if !fr.Computed {
				fr.Cells = cells[row.Key]
				if len(fr.Cells) < len(f.Cols) {
					fr.Cells = append(fr.Cells, make([]string, len(f.Cols)-len(fr.Cells))...)
				}
				fr.Total = sumText(fr.Cells)
			}
			f.Rows = append(f.Rows, fr)
		}
		v.Forms = append(v.Forms, f)
	}
	log, err := s.st.ReportCellLog(r.Context(), year, tablesLogShown)
	if err != nil {
		return nil, err
	}
	for _, c := range log {
		v.Log = append(v.Log, describeChange(c))
	}
	return v, nil
}

// cellStrings are stored cells as the form shows them.
func cellStrings(cells map[string][]int) map[string][]string {
	out := map[string][]string{}
	for k, v := range cells {
		for _, n := range v {
			out[k] = append(out[k], strconv.Itoa(n))
		}
	}
	return out
}

// sumText is the sum of the whole numbers among cells, for the 总计 column.
func sumText(cells []string) string {
	n := 0
	for _, c := range cells {
		if x, err := strconv.Atoi(strings.TrimSpace(c)); err == nil {
			n += x
		}
	}
	return strconv.Itoa(n)
}

// describeChange puts one audit line in the words of the report.
func describeChange(c store.CellChange) cellChangeView {
	v := cellChangeView{At: c.At.Format("2006-01-02 15:04"), User: c.User, Via: c.Via, Table: tableTitle(c.Table),
		Row: c.Row, Col: strconv.Itoa(c.Col + 1), Before: "（未填）", After: strconv.Itoa(c.After)}
	if c.Via == "web" {
		v.Via = "网页表单"
	} else if f, ok := strings.CutPrefix(c.Via, "import "); ok {
		v.Via = "导入 " + f
	}
	if c.Before != nil {
		v.Before = strconv.Itoa(*c.Before)
	}
	for _, d := range tableDefs {
		if d.name != c.Table {
			continue
		}
		for _, row := range d.rows {
			if row.Key == c.Row {
				v.Row = row.Label
			}
		}
		if c.Col < len(d.cols) {
			v.Col = d.cols[c.Col]
		}
	}
	return v
}

// tableTitle is 表三 or 表四 for a store name.
func tableTitle(name string) string {
	switch name {
	case analytics.TableApplications:
		return "表三"
	case analytics.TableAppeals:
		return "表四"
	}
	return name
}
