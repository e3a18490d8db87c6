package demo

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gongkai-project/gongkai/internal/pdfwrite"
)

// addFiles renders the attachments of it into pages.
func addFiles(it *Item, pages map[string]*page) error {
	for _, a := range it.attFiles {
		var body []byte
		var err error
		title := strings.TrimSuffix(a.Name, "."+a.Ext)
		switch {
		case a.Kind == "list" && a.Ext == "xlsx":
			body, err = recipientsFile(title, recipients(title))
		case a.Kind == "plan" && a.Ext == "docx":
			body, err = docxFile(title, planParas(title), it.Published)
		case a.Kind == "scan" && a.Ext == "pdf":
			body = scanFile(title)
		case a.Kind != "":
			err = fmt.Errorf("no %s attachment of kind %q", a.Ext, a.Kind)
		case a.Ext == "pdf":
			body = pdfFile(title, append(slices.Clone(it.paras), pdfNote(title)))
		case a.Ext == "docx":
			body, err = docxFile(title, it.paras, it.Published)
		case a.Ext == "xlsx":
			body, err = xlsxFile(title, sheetRows(title), it.Published)
		default:
			err = fmt.Errorf("unknown attachment type %q", a.Ext)
		}
		if err != nil {
			return fmt.Errorf("attachment %s of %s: %w", a.Name, it.Path, err)
		}
		pages[a.Path] = newPage(body, fileTypes[a.Ext], it.Published)
	}
	return nil
}

// pdfFile is a one-page PDF of the title and paragraphs in a real text
// layer: set in Adobe's predefined CJK font STSong-Light (not embedded; PDF
// readers supply it) with the UniGB-UTF16-H encoding, and a ToUnicode CMap
// that maps each code back to its character for text extraction.
func pdfFile(title string, paras []string) []byte {
	var content bytes.Buffer
	used := map[uint16]bool{}
	y := 790
	line := func(s string, size int) {
		for _, u := range utf16.Encode([]rune(s)) {
			used[u] = true
		}
		fmt.Fprintf(&content, "BT /F1 %d Tf 50 %d Td <%s> Tj ET\n", size, y, ucs2Hex(s))
		y -= size + 8
	}
	line(title, 16)
	for _, p := range paras {
		for _, l := range wrapRunes(p, 38) {
			if y < 60 {
				break
			}
			line(l, 12)
		}
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>",
		"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
		stream(toUnicodeCMap(used)),
	}
	return pdfwrite.Objects(objects)
}

// stream is a PDF stream object of data.
func stream(data string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(data), data)
}

// toUnicodeCMap maps each UTF-16 code used to itself: the codes of
// UniGB-UTF16-H are the text's own UTF-16 (characters of the Basic
// Multilingual Plane; the demo's text has no others).
func toUnicodeCMap(used map[uint16]bool) string {
	codes := make([]uint16, 0, len(used))
	for u := range used {
		codes = append(codes, u)
	}
	slices.Sort(codes)
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(codes) > 0 {
		n := min(len(codes), 100) // at most 100 entries a block
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, u := range codes[:n] {
			fmt.Fprintf(&b, "<%04X> <%04X>\n", u, u)
		}
		b.WriteString("endbfchar\n")
		codes = codes[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.String()
}

// ucs2Hex writes s as UTF-16BE hex, the code of UniGB-UTF16-H.
func ucs2Hex(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String()
}

func wrapRunes(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return append(out, string(r))
}

// zipFile writes files (name, content) into a zip archive with fixed times.
func zipFile(files [][2]string, mod time.Time) ([]byte, error) {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range files {
		w, err := z.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Deflate, Modified: mod.UTC()})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// docxFile is a minimal Word document of the title and paragraphs.
func docxFile(title string, paras []string, mod time.Time) ([]byte, error) {
	var doc strings.Builder
	doc.WriteString(xmlHeader + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range append([]string{title}, paras...) {
		fmt.Fprintf(&doc, "<w:p><w:r><w:t>%s</w:t></w:r></w:p>", xmlText(p))
	}
	doc.WriteString("</w:body></w:document>")
	return zipFile([][2]string{
		{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", doc.String()},
	}, mod)
}

// sheetRows are the rows of a budget-like table whose amounts derive from the title.
func sheetRows(title string) [][]string {
	rows := [][]string{{title}, {"序号", "项目", "金额（元）"}}
	total := 0
	for i, name := range []string{"工资福利支出", "商品和服务支出", "对个人和家庭的补助", "农林水支出", "社会保障和就业支出", "城乡社区支出"} {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s/%d", title, i)
		amount := 5000 + int(h.Sum32()%400000)
		total += amount
		rows = append(rows, []string{fmt.Sprint(i + 1), name, fmt.Sprint(amount)})
	}
	return append(rows, []string{"", "合计", fmt.Sprint(total)})
}

// xlsxFile is a minimal one-sheet workbook; cells that are integers are numbers.
func xlsxFile(title string, rows [][]string, mod time.Time) ([]byte, error) {
	var sheet strings.Builder
	sheet.WriteString(xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := fmt.Sprintf("%c%d", 'A'+c, r+1)
			if isInt(v) {
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, v)
			} else {
				fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, xmlText(v))
			}
		}
		sheet.WriteString("</row>")
	}
	sheet.WriteString("</sheetData></worksheet>")
	return zipFile([][2]string{
		{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}, mod)
}

func isInt(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
