package attachment

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestExtractDOC reads the Word 97 plan, as DOC and under a .wps name
// (WPS saves in the Word format), against the answer key.
func TestExtractDOC(t *testing.T) {
	key := string(readTestdata(t, "plan.txt"))
	for _, name := range []string{"plan.doc", "plan.wps"} {
		r := Extract(context.Background(), readTestdata(t, "plan.doc"), name, Limits{})
		if r.State != Extracted || r.Type != Detect(readTestdata(t, "plan.doc"), name) {
			t.Fatalf("%s: %s %s (%s)", name, r.Type, r.State, r.Reason)
		}
		if got := inOrder(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.4f of the key in order:\n%s", name, got, r.Text)
		}
		if !strings.Contains(r.Text, "\nC级加固改造\n15000\n") {
			t.Errorf("%s: table cells are not lines:\n%s", name, r.Text)
		}
	}
}

// TestExtractXLS checks every row of both Excel 97 workbooks against the
// CSV they were made from; the county list has 1,500 rows, so its shared
// strings run over CONTINUE records.
func TestExtractXLS(t *testing.T) {
	for _, c := range []struct{ xls, csv, sheet string }{
		{"dibao.xls", "dibao.csv", "dibao"},
		{"dibao-county.xls", "dibao-county.csv", "dibao-county"},
	} {
		r := Extract(context.Background(), readTestdata(t, c.xls), c.xls, Limits{})
		if r.State != Extracted || r.Type != XLS {
			t.Fatalf("%s: %s %s (%s)", c.xls, r.Type, r.State, r.Reason)
		}
		lines := strings.Split(strings.TrimSpace(r.Text), "\n")
		rows := strings.Split(strings.TrimSpace(string(readTestdata(t, c.csv))), "\n")
		if lines[0] != c.sheet || len(lines) != len(rows)+1 {
			t.Fatalf("%s: first line %q, %d lines; want the sheet name and %d rows", c.xls, lines[0], len(lines), len(rows))
		}
		bad := 0
		for i, row := range rows {
			if want := strings.ReplaceAll(row, ",", "\t"); lines[i+1] != want {
				if bad++; bad <= 3 {
					t.Errorf("%s row %d = %q, want %q", c.xls, i+1, lines[i+1], want)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d rows differ", c.xls, bad, len(rows))
		}
	}
}

// TestExtractOFD reads two real OFD files from the ofdrw project: a
// real-estate certificate (不动产证明) issued by a city, and a five-page
// electronic VAT invoice whose labels live in page templates.
func TestExtractOFD(t *testing.T) {
	cases := []struct {
		file  string
		pages int
		lines []string
	}{
		{"ofdrw-certificate.ofd", 1, []string{
			"鲁（2020）泰安市不动产证明第0014777号",
			"中国建设银行股份有限公司泰安分行",
			"不动产权证书号：鲁(2020)泰安市不动产权第0009455号抵押方式：一般抵押担保债权数额：35万元",
		}},
		{"ofdrw-invoice.ofd", 5, []string{
			"开票日期：2020年08月05日",
			"项目名称 规格型号 单位 数量 单价 金额 税率 税额",   // two column heads 27 mm apart in one wide box each
			"重庆增值税电子普通发票 发票代码：050001700111", // glyphs 7 mm apart, boxes touching
			"收款人：张一诺 复核：张嘉诺 开票人：任盈盈",
			"100 *餐饮服务*餐费 100.00 6% 6.00",
			"纳税人识别号：91500102563638729E",
		}},
	}
	for _, c := range cases {
		r := Extract(context.Background(), readTestdata(t, c.file), c.file, Limits{})
		if r.State != Extracted || r.Type != OFD || r.Pages != c.pages {
			t.Errorf("%s: %s %s, %d pages (%s)", c.file, r.Type, r.State, r.Pages, r.Reason)
			continue
		}
		for _, line := range c.lines {
			if !strings.Contains("\n"+r.Text, "\n"+line+"\n") {
				t.Errorf("%s: no line %q in\n%s", c.file, line, r.Text)
			}
		}
	}
	r := Extract(context.Background(), readTestdata(t, "ofdrw-invoice.ofd"), "x.ofd", Limits{MaxPages: 1})
	if r.Pages != 5 || strings.Contains(r.Text, "\f") {
		t.Errorf("MaxPages 1: %d pages, text with a page break", r.Pages)
	}
}

// TestExtractOFDScaledCTM rewrites every TextObject of two real OFD files
// to draw the same text through a CTM that halves it: Size, X, Y and the
// advances doubled, CTM "0.5 0 0 0.5 0 0". The text is placed by its
// glyphs as before and reads the same lines.
func TestExtractOFDScaledCTM(t *testing.T) {
	for _, file := range []string{"ofdrw-invoice.ofd", "bengbu-letter.ofd"} {
		data := readTestdata(t, file)
		want := Extract(context.Background(), data, file, Limits{})
		got := Extract(context.Background(), halveTextObjects(t, data), file, Limits{})
		if got.State != Extracted || got.Text != want.Text {
			t.Errorf("%s with a scale CTM: %s (%s)\n%s\nwant\n%s", file, got.State, got.Reason, got.Text, want.Text)
		}
	}
}

// halveTextObjects copies the OFD package data with each TextObject that
// has no CTM drawn at twice its size through a CTM of 0.5.
func halveTextObjects(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	attr := regexp.MustCompile(` (X|Y|Size|DeltaX|DeltaY)="([^"]*)"`)
	double := func(tag string) string {
		return attr.ReplaceAllStringFunc(tag, func(a string) string {
			m := attr.FindStringSubmatch(a)
			f := strings.Fields(m[2])
			for i := 0; i < len(f); i++ {
				if f[i] == "g" {
					i++ // the count; its value is doubled next
					continue
				}
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					t.Fatalf("%s: %v", a, err)
				}
				f[i] = strconv.FormatFloat(2*v, 'f', -1, 64)
			}
			return " " + m[1] + `="` + strings.Join(f, " ") + `"`
		})
	}
	object := regexp.MustCompile(`<ofd:TextObject [^>]*>`)
	code := regexp.MustCompile(`<ofd:TextCode [^>]*>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name, "Content.xml") {
			s := string(body)
			// Only TextObjects without a CTM: split the page at each one
			// and rewrite its tag and its TextCodes up to the next.
			parts := object.FindAllStringIndex(s, -1)
			var sb strings.Builder
			last := 0
			for i, p := range parts {
				end := len(s)
				if i+1 < len(parts) {
					end = parts[i+1][0]
				}
				sb.WriteString(s[last:p[0]])
				tag := s[p[0]:p[1]]
				if strings.Contains(tag, "CTM=") {
					sb.WriteString(s[p[0]:end])
				} else {
					sb.WriteString(strings.Replace(double(tag), " ", ` CTM="0.5 0 0 0.5 0 0" `, 1))
					sb.WriteString(code.ReplaceAllStringFunc(s[p[1]:end], double))
				}
				last = end
			}
			sb.WriteString(s[last:])
			body = []byte(sb.String())
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
