package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/store"
)

// handleExport serves the staff downloads of ?year=: documents.csv (one
// row per published item) and stats.json, stats.csv, stats.xlsx.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r.URL.Query(), s.now().Year())
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
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// writeDocumentsCSV writes the live items published in year, with a BOM so
// that Excel reads the Chinese text.
func (s *Server) writeDocumentsCSV(r *http.Request, buf *bytes.Buffer, year int) error {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, store.Beijing)
	items, err := s.st.Items(r.Context(), from, from.AddDate(1, 0, 0))
	if err != nil {
		return err
	}
	buf.WriteString("\xef\xbb\xbf")
	cw := csv.NewWriter(buf)
	cw.Write([]string{"编号", "发布日期", "成文日期", "渠道", "来源", "栏目", "分类", "发布机构", "标题", "文号", "公文种类"})
	for _, it := range items {
		cw.Write(cells(it.ID, day(it.Published), day(it.Written), store.ChannelLabel(it.Channel), it.Source,
			it.Column, it.Category, it.Publisher, it.Title, it.DocNumber, it.Genre))
	}
	cw.Flush()
	return cw.Error()
}

// cells neutralises spreadsheet formulas in crawled text: a cell starting
// with = + - @ or a control character is prefixed with a quote.
func cells(values ...string) []string {
	for i, v := range values {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			values[i] = "'" + v
		}
	}
	return values
}

// handleReport serves the annual report of ?year= as md, html or xlsx.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, err := yearParam(q, s.now().Year())
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	format := q.Get("format")
	if format == "" {
		format = "html"
	}
	ctype, ok := map[string]string{"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
		"xlsx": xlsxType}[format]
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, "报告格式 "+strconv.Quote(format)+" 无效，应为 md、html 或 xlsx")
		return
	}
	var buf bytes.Buffer
	if err := s.writeReport(r, &buf, year, format); err != nil {
		s.serverError(w, r, "annual report", err)
		return
	}
	download(w, ctype, fmt.Sprintf("gongkai-report-%d.%s", year, format), buf.Bytes())
}

// writeReport writes the annual report of year in format (md, html, xlsx).
// Staff tables (applications, appeals) are not entered in the web, so the
// report leaves them as placeholders for staff to fill in.
func (s *Server) writeReport(r *http.Request, buf *bytes.Buffer, year int, format string) error {
	rep, err := s.stats.Report(r.Context(), s.cfg, year, s.now(), "")
	if err != nil {
		return err
	}
	switch format {
	case "md":
		return rep.WriteMarkdown(buf)
	case "xlsx":
		return rep.WriteXLSX(buf)
	}
	return rep.WriteHTML(buf)
}
