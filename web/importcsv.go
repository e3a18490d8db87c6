package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/gongkai-project/gongkai/store"
)

const maxImportRows = 10000

// csvColumns maps the accepted header names to the entry fields.
var csvColumns = map[string]string{
	"date": "date", "日期": "date",
	"channel": "channel", "渠道": "channel",
	"category": "category", "分类": "category",
	"title": "title", "标题": "title",
	"count": "count", "数量": "count",
	"note": "note", "备注": "note",
}

// handleImport imports offline-channel entries from an uploaded CSV file:
// all of them, or none when any line is wrong.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("file")
	if err != nil {
		s.redisplay(w, r, manualForm{}, []string{"请选择要导入的 CSV 文件"})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		s.serverError(w, r, "read uploaded CSV", err)
		return
	}
	entries, problems := parseManualCSV(data)
	unit, err := s.unit(r)
	if err != nil {
		problems = append(problems, err.Error())
	}
	for _, e := range entries {
		e.Unit = unit // "" is the home unit
	}
	if len(problems) == 0 {
		if err := s.st.AddManualBatch(r.Context(), entries); err != nil {
			problems = []string{"导入失败，没有导入任何记录：" + err.Error()}
		}
	}
	if len(problems) > 0 {
		s.redisplay(w, r, manualForm{}, append([]string{"CSV 文件有错误，没有导入任何记录："}, problems...))
		return
	}
	s.log.Info("manual entries imported", "user", sessionOf(r).User, "n", len(entries))
	http.Redirect(w, r, withYear("/staff", formYear(r), unitValues(unit, "imported", strconv.Itoa(len(entries))))+"#manual", http.StatusSeeOther)
}

// parseManualCSV reads a CSV file with a header row (日期, 渠道, 分类, 标题,
// 数量, 备注 or date, channel, category, title, count, note; 数量 and the
// last two optional). It accepts UTF-8 (with or without BOM) and GB18030,
// which is what Excel writes on Chinese Windows. Problems name their line.
func parseManualCSV(data []byte) ([]*store.ManualEntry, []string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, []string{"文件编码无法识别，请另存为 UTF-8 编码的 CSV"}
		}
		data = dec
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []string{"文件是空的"}
	}
	if err != nil {
		return nil, []string{csvReason(err)}
	}
	cols, problem := headerColumns(header)
	if problem != "" {
		return nil, []string{"第 1 行：" + problem}
	}
	var entries []*store.ManualEntry
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, csvReason(err))
			break
		}
		if blank(rec) {
			continue
		}
		if len(entries)+len(problems) >= maxImportRows {
			problems = append(problems, fmt.Sprintf("第 %d 行：一次最多导入 %d 行", line, maxImportRows))
			break
		}
		e, err := rowForm(rec, cols).entry()
		if err != nil {
			problems = append(problems, fmt.Sprintf("第 %d 行：%v", line, err))
			continue
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 && len(problems) == 0 {
		problems = append(problems, "文件中没有数据行")
	}
	return entries, problems
}

// headerColumns maps column positions to entry fields.
func headerColumns(header []string) (map[string]int, string) {
	cols := map[string]int{}
	for i, h := range header {
		if f, ok := csvColumns[strings.ToLower(strings.TrimSpace(h))]; ok {
			cols[f] = i
		}
	}
	for _, need := range []string{"date", "channel", "title"} {
		if _, ok := cols[need]; !ok {
			return nil, "表头缺少必需的列（日期、渠道、标题），可用列名：日期,渠道,分类,标题,数量,备注"
		}
	}
	return cols, ""
}

func rowForm(rec []string, cols map[string]int) manualForm {
	get := func(f string) string {
		if i, ok := cols[f]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	return manualForm{Date: get("date"), Channel: get("channel"), Category: get("category"),
		Title: get("title"), Count: get("count"), Note: get("note")}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvReason words a CSV syntax error for staff.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("第 %d 行：CSV 格式错误（%v）", pe.Line, pe.Err)
	}
	return err.Error()
}
