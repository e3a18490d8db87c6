package attachment

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestExtractRealGovernmentFiles reads official documents found in public
// repositories (see testdata/README.md), a provincial form, two national
// laws, two tables as a government site published them and a ministry's
// contract template printed by WPS, against a second tool's text of the
// same files (LibreOffice, poppler): every character of the key must come
// out, at least the stated share of them in the key's order, with the
// title, some sentences and table rows as lines of their own.
func TestExtractRealGovernmentFiles(t *testing.T) {
	cases := []struct {
		file, key string
		typ       Type
		pages     int
		ordered   float64 // share of the key's characters in order
		lines     []string
	}{
		{"cybersecurity-law.pdf", "cybersecurity-law.poppler.txt", PDF, 14, 0.99, // poppler splits the 目 录 heading
			[]string{"中华人民共和国网络安全法", "第二节 关键信息基础设施的运行安全", "第四章 网络信息安全"}},
		{"data-security-law.pdf", "data-security-law.poppler.txt", PDF, 7, 1,
			[]string{"中华人民共和国数据安全法", "2021 年 6 月 10 日第十三届全国人民代表大会常务委员会第二十九次会议通过",
				"第五章 政务数据安全与开放", "第五十五条 本法自 2021 年 9 月 1 日起施行。"}},
		// Published by a government site (the TRS attachment name
		// P020230119…), Word 2019: poppler reads the three-column table
		// column by column where a cell wraps; the extractor keeps each
		// row's cells together, in content order, as PDFium does.
		{"green-channel-vegetables.pdf", "green-channel-vegetables.poppler.txt", PDF, 4, 0.87,
			[]string{"蔬菜别名及常用商品名称对照表", "类别 品种名称 别名及常用商品名称", "菜薹 菜心、菜蕻儿、大股子、红菜薹、绿菜薹"}},
		{"green-channel-fruits.pdf", "green-channel-fruits.poppler.txt", PDF, 3, 0.96,
			[]string{"水果别名及常用商品名称对照表", "海棠 鸡心果", "山楂 山里红、红果、山里果"}},
		// Made by WPS 文字 (KSO font subsets, justified lines whose
		// character spacing poppler turns into spaces); the blanks of the
		// form's signature block are where poppler and the extractor part.
		{"mohrss-labour-contract-wps.pdf", "mohrss-labour-contract-wps.poppler.txt", PDF, 9, 0.97,
			[]string{"一、劳动合同期限", "二、工作内容和工作地点", "甲方（盖章） 乙方（签字）", "变 更 劳 动 合 同"}},
		{"hebei-health-form.doc", "hebei-health-form-doc.soffice.txt", DOC, 0, 1,
			[]string{"河北省食品药品从业人员健康检查表", "痢疾杆菌", "谷丙转氨酶", "HEV-IgM *"}},
		{"hebei-health-form.docx", "hebei-health-form-docx.soffice.txt", DOCX, 0, 1,
			[]string{"河北省食品药品从业人员健康检查表", "伤寒或副伤寒", "胸部x射线"}},
	}
	for _, c := range cases {
		data := readTestdata(t, c.file)
		if got := Detect(data, "download.jsp"); got != c.typ {
			t.Errorf("%s: detected %s without a name, want %s", c.file, got, c.typ)
		}
		r := Extract(context.Background(), data, c.file, Limits{})
		if r.State != Extracted || r.Type != c.typ || r.Pages != c.pages {
			t.Errorf("%s: %s %s, %d pages (%s); want extracted %s, %d pages", c.file, r.Type, r.State, r.Pages, r.Reason, c.typ, c.pages)
			continue
		}
		key := string(readTestdata(t, c.key))
		if got := inOrder(key, r.Text); got < c.ordered-0.001 {
			t.Errorf("%s: %.4f of %s in order, want ≥ %.2f:\n%s", c.file, got, c.key, c.ordered, r.Text)
		}
		if got := sameChars(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.4f of %s's characters recovered, want all", c.file, got, c.key)
		}
		for _, line := range c.lines {
			if !strings.Contains("\n"+strings.ReplaceAll(r.Text, " \n", "\n")+"\n", "\n"+line+"\n") {
				t.Errorf("%s: no line %q:\n%s", c.file, line, r.Text)
			}
		}
	}
}

// TestExtractRealSpreadsheets reads two lists published by government
// bodies against LibreOffice's tab-separated export of each: the Ministry
// of Education's 2,919 universities (Excel 97, saved by WPS) and Shanxi's
// 2025 public-institution recruitment figures for 11,375 posts (XLSX,
// saved by Microsoft Excel). The sheet name comes first and every row of
// the export is a line of the text, cells trimmed; a cell holding a line
// break (the title cells) comes out with a space for it.
func TestExtractRealSpreadsheets(t *testing.T) {
	cases := []struct {
		file, key, sheet string
		typ              Type
		rows             int
	}{
		{"moe-universities-2025.xls", "moe-universities-2025.soffice.tsv", "全国普通高等学校名单", XLS, 2950},
		{"shanxi-recruitment-2025.xlsx", "shanxi-recruitment-2025.soffice.tsv.gz", "Sheet1", XLSX, 11370},
	}
	for _, c := range cases {
		r := Extract(context.Background(), readTestdata(t, c.file), "download.jsp", Limits{})
		if r.State != Extracted || r.Type != c.typ {
			t.Errorf("%s: %s %s (%s), want extracted %s", c.file, r.Type, r.State, r.Reason, c.typ)
			continue
		}
		lines := strings.Split(r.Text, "\n")
		if lines[0] != c.sheet {
			t.Errorf("%s: first line %q, want the sheet name %q", c.file, lines[0], c.sheet)
		}
		have := map[string]bool{}
		for _, l := range lines {
			have[l] = true
		}
		rows, missing := 0, 0
		for _, row := range tsvRows(t, c.key) {
			for i := range row {
				row[i] = strings.TrimSpace(strings.ReplaceAll(row[i], "\n", " "))
			}
			want := strings.TrimRight(strings.Join(row, "\t"), "\t")
			if want == "" {
				continue
			}
			rows++
			if !have[want] {
				if missing++; missing <= 3 {
					t.Errorf("%s: no line %q", c.file, want)
				}
			}
		}
		if rows < c.rows || missing > 0 {
			t.Errorf("%s: %d of %d rows missing", c.file, missing, rows)
		}
	}
}

// tsvRows reads a tab-separated answer key (gzipped when its name ends in
// .gz), with LibreOffice's quoting of cells that hold line breaks.
func tsvRows(t *testing.T, name string) [][]string {
	var rd io.Reader = bytes.NewReader(readTestdata(t, name))
	if strings.HasSuffix(name, ".gz") {
		z, err := gzip.NewReader(rd)
		if err != nil {
			t.Fatal(err)
		}
		rd = z
	}
	cr := csv.NewReader(rd)
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = '\t', -1, true
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// TestExtractRealOFD reads two OFD files as government bodies issued
// them (see testdata/README.md) against the text of their own
// Content.xml: each TextObject's place and text codes, in document order.
// The key's pieces on one baseline (within 1 mm) make a line, joined in
// left-to-right order, and lines go top to bottom. One is an electronic
// licence of 临沧市临翔区自然资源局, signed, each field one TextObject on
// a two-column landscape page; the other a letter (函) of
// 蚌埠市自然资源和规划局 whose lines are pieces in two fonts, with 2023
// written as the pieces 202 and 3.
func TestExtractRealOFD(t *testing.T) {
	for _, c := range []struct{ file, key string }{
		{"lincang-land-permit.ofd", "lincang-land-permit.textcode.tsv"},
		{"bengbu-letter.ofd", "bengbu-letter.textcode.tsv"},
	} {
		data := readTestdata(t, c.file)
		if got := Detect(data, "download.jsp"); got != OFD {
			t.Errorf("%s: detected %s without a name, want ofd", c.file, got)
		}
		r := Extract(context.Background(), data, c.file, Limits{})
		if r.State != Extracted || r.Type != OFD || r.Pages != 1 {
			t.Errorf("%s: %s %s, %d pages (%s); want extracted ofd, 1 page", c.file, r.Type, r.State, r.Pages, r.Reason)
			continue
		}
		var got []string
		for _, l := range strings.Split(r.Text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				got = append(got, l)
			}
		}
		want := textCodeLines(t, c.key)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: lines\n%s\nwant (from %s)\n%s", c.file, strings.Join(got, "\n"), c.key, strings.Join(want, "\n"))
		}
	}
}

// textCodeLines reads a key of x, y and text per TextObject and returns
// its lines: pieces whose y is within 1 mm of a line's first piece join
// it, left to right without a space; lines sorted top to bottom.
func textCodeLines(t *testing.T, name string) []string {
	type codePiece struct {
		x, y float64
		text string
	}
	var pieces []codePiece
	for _, row := range tsvRows(t, name) {
		if len(row) != 3 {
			t.Fatalf("%s: row %q, want x, y and text", name, row)
		}
		x, errX := strconv.ParseFloat(row[0], 64)
		y, errY := strconv.ParseFloat(row[1], 64)
		if errX != nil || errY != nil {
			t.Fatalf("%s: row %q: bad position", name, row)
		}
		pieces = append(pieces, codePiece{x, y, row[2]})
	}
	slices.SortStableFunc(pieces, func(a, b codePiece) int { return cmp.Compare(a.y, b.y) })
	var lines []string
	for start := 0; start < len(pieces); {
		end := start + 1
		for end < len(pieces) && pieces[end].y-pieces[start].y <= 1 {
			end++
		}
		line := slices.Clone(pieces[start:end])
		slices.SortStableFunc(line, func(a, b codePiece) int { return cmp.Compare(a.x, b.x) })
		var sb strings.Builder
		for _, p := range line {
			sb.WriteString(p.text)
		}
		lines = append(lines, sb.String())
		start = end
	}
	return lines
}
