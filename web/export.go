package web

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/internal/csvsafe"
	"github.com/gongkai-project/gongkai/store"
)

// handleExport serves the staff downloads of ?year=: documents.csv (one
// row per published item) and stats.json, stats.csv, stats.xlsx.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	year, err := s.year(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	name := r.PathValue("name")
	var buf bytes.Buffer
	var ctype string
	switch name {
	case "documents.csv":
		ctype, err = "text/csv; charset=utf-8", s.writeDocumentsCSV(r, &buf, year)
	case "stats.json", "stats.csv", "stats.xlsx":
		ctype, err = s.writeStats(r, &buf, year, strings.TrimPrefix(name, "stats."))
	default:
		s.errorPage(w, r, http.StatusNotFound, "没有这种导出文件")
		return
	}
	if err != nil {
		s.serverError(w, r, "export "+name, err)
		return
	}
	download(w, ctype, fmt.Sprintf("gongkai-%d-%s", year, name), buf.Bytes())
}

// writeStats writes the statistics of year as json, csv or xlsx and returns
// the content type.
func (s *Server) writeStats(r *http.Request, buf *bytes.Buffer, year int, format string) (string, error) {
	st, err := s.stats.Compute(r.Context(), s.cfg, year, s.now())
	if err != nil {
		return "", err
	}
	switch format {
	case "csv":
		return "text/csv; charset=utf-8", st.WriteCSV(buf)
	case "xlsx":
		return xlsxType, st.WriteXLSX(buf)
	}
	return "application/json; charset=utf-8", st.WriteJSON(buf)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// download sends data as an attachment named name.
func download(w http.ResponseWriter, ctype, name string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	// A name beyond ASCII (a unit's) goes as RFC 2231 filename*=utf-8''…
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// writeDocumentsCSV writes the live items published in the statistics period of year, with a BOM so
// that Excel reads the Chinese text.
func (s *Server) writeDocumentsCSV(r *http.Request, buf *bytes.Buffer, year int) error {
	p, err := analytics.YearPeriod(s.cfg, year)
	if err != nil {
		return err
	}
	items, err := s.st.Items(r.Context(), p.From, p.To)
	if err != nil {
		return err
	}
	buf.WriteString("\xef\xbb\xbf")
	cw := csvsafe.NewWriter(buf)
	cw.Write("编号", "发布日期", "成文日期", "渠道", "来源", "栏目", "分类", "发布机构", "标题", "文号", "公文种类")
	for _, it := range items {
		cw.Write(it.ID, day(it.Published), day(it.Written), store.ChannelLabel(it.Channel), it.Source,
			it.Column, it.Category, it.Publisher, it.Title, it.DocNumber, it.Genre)
	}
	return cw.Flush()
}

// reportFormats are the downloads of the annual report and their content types.
var reportFormats = map[string]string{"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
	"xlsx": xlsxType, "docx": analytics.DOCXType}

// reportFormatNames are the names of the report downloads on the page.
var reportFormatNames = map[string]string{"docx": "Word（公文格式）", "xlsx": "Excel", "md": "Markdown", "html": "网页文件"}

// reportView is the report page: the report of the chosen year and unit
// ("" the whole installation) in the layout.
type reportView struct {
	Choice  yearChoice
	Units   unitChoice
	Report  *analytics.AnnualReport
	Formats []string
}

// handleReport shows the annual report of ?year= and ?unit= on a page, or
// serves it as a download when ?format= is md, html, xlsx or docx.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	year, err := s.year(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	unit, err := s.unit(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		s.reportPage(w, r, year, unit)
		return
	}
	ctype, ok := reportFormats[format]
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, "报告格式 "+strconv.Quote(format)+" 无效，应为 md、html、xlsx 或 docx")
		return
	}
	var buf bytes.Buffer
	if err := s.writeReport(r, &buf, year, unit, format); err != nil {
		s.serverError(w, r, "annual report", err)
		return
	}
	name := fmt.Sprintf("gongkai-report-%d.%s", year, format)
	if unit != "" {
		name = fmt.Sprintf("gongkai-report-%d-%s.%s", year, unit, format)
	}
	download(w, ctype, name, buf.Bytes())
}

// reportPage renders the report of year and unit with the year and unit
// selectors and downloads.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, year int, unit string) {
	v := reportView{Formats: []string{"docx", "xlsx", "md", "html"}}
	var err error
	if v.Choice, err = s.yearChoice(r.Context(), "/staff/report", year); err != nil {
		s.serverError(w, r, "years with data", err)
		return
	}
	v.Units, v.Choice.Unit = s.unitChoice("/staff/report", year, unit), unit
	if v.Report, err = s.report(r, year, unit); err != nil {
		s.serverError(w, r, "annual report", err)
		return
	}
	s.render(w, r, http.StatusOK, "report.html", fmt.Sprintf("%d 年政府信息公开工作年度报告", year), v)
}

// writeReport writes the annual report of year and unit in format (md, html, xlsx, docx).
func (s *Server) writeReport(r *http.Request, buf *bytes.Buffer, year int, unit, format string) error {
	rep, err := s.report(r, year, unit)
	if err != nil {
		return err
	}
	return rep.Write(buf, format)
}

// report builds the annual report of year and unit ("" the whole installation).
func (s *Server) report(r *http.Request, year int, unit string) (*analytics.AnnualReport, error) {
	return s.stats.ReportUnit(r.Context(), s.cfg, year, s.now(), unit, "")
}
