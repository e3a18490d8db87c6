package analytics

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// DOCXType is the content type of a WordprocessingML document.
const DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// The page of a 公文 (GB/T 9704-2012 §5): A4, 天头 37 mm, 订口 28 mm, a
// 156 × 225 mm 版心 of 22 lines × 28 characters in 3号 (16 pt) type. Lengths
// are in twips (1/20 pt); 1 mm = 56.69 twips.
const (
	pageW, pageH  = 11906, 16838 // 210 × 297 mm
	marginTop     = 2098         // 天头 37 mm
	marginInside  = 1587         // 订口 28 mm (mirrored: the inside margin)
	marginOutside = 1475         // 210 − 28 − 156 = 26 mm
	marginBottom  = 1984         // 297 − 37 − 225 = 35 mm
	footerDist    = 1304         // the page number's line sits 7 mm under the 版心
	textWidth     = 8844         // 版心 156 mm
	textHeight    = 12756        // 版心 225 mm
	linesPerPage  = 22
	charsPerLine  = 28
	// linePitch is 225 mm / 22 lines (579 twips). charSpacing tightens each 3号
	// character so that 28 fit a line of 156 mm: 156 mm / 28 − 16 pt, rounded
	// down (−5 twips). A character grid (docGrid linesAndChars) would do it
	// in Word, but LibreOffice spreads the characters twice as wide.
	linePitch   = textHeight / linesPerPage
	charSpacing = textWidth/charsPerLine - size3*10
)

// Fonts of a 公文 as Word and WPS name them; the font table gives each the
// fallbacks a machine without the GB2312 fonts uses.
const (
	fontTitle   = "方正小标宋简体"   // title: 小标宋
	fontBody    = "仿宋_GB2312" // body: 仿宋
	fontHeading = "黑体"        // 一级 headings
	fontSub     = "楷体_GB2312" // 二级 headings
	fontPage    = "宋体"        // page numbers
)

// Sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt.
const (
	size2  = 44
	size3  = 32
	size4  = 28
	sizeS4 = 24
)

// WriteDOCX writes the report as a Word document laid out as a 公文 (GB/T
// 9704): title in 小标宋 2号 centred, body in 仿宋_GB2312 3号, headings in 黑体
// (一级) and 楷体 (二级), tables with borders, page numbers "— 1 —" in 4号
// 宋体 on the outer side. Failed checks of the staff input come first.
func (r *AnnualReport) WriteDOCX(w io.Writer) error {
	z := zip.NewWriter(w)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"word/_rels/document.xml.rels", docxDocRels},
		{"word/styles.xml", docxStyles()},
		{"word/fontTable.xml", docxFontTable},
		{"word/settings.xml", docxSettings},
		{"word/footer1.xml", docxFooter("right", "right")},
		{"word/footer2.xml", docxFooter("left", "left")},
		{"word/document.xml", r.docxDocument()},
	} {
		f, err := z.Create(part.name)
		if err != nil {
			return fmt.Errorf("docx %s: %w", part.name, err)
		}
		if _, err := io.WriteString(f, part.body); err != nil {
			return fmt.Errorf("docx %s: %w", part.name, err)
		}
	}
	return z.Close()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const docxContentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
</Types>`

const docxRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const docxDocRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>
</Relationships>`

// docxSettings: odd and even pages have their own footers (page numbers on
// the outer side), and margins are mirrored so 订口 is always inside.
const docxSettings = xmlHead + `<w:settings ` + nsW + `>
<w:mirrorMargins/>
<w:evenAndOddHeaders/>
<w:defaultTabStop w:val="640"/>
<w:characterSpacingControl w:val="compressPunctuation"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>`

// docxFontTable names each 公文 font with the fonts to use where it is
// missing (w:altName, read by Word and WPS; LibreOffice substitutes by family).
const docxFontTable = xmlHead + `<w:fonts ` + nsW + `>
<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="方正小标宋简体"><w:altName w:val="华文中宋"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="楷体"><w:altName w:val="KaiTi"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>
</w:fonts>`

// fonts is the run font setting for a Chinese font, half-width text included.
func fonts(name string) string {
	return fmt.Sprintf(`<w:rFonts w:ascii="%[1]s" w:eastAsia="%[1]s" w:hAnsi="%[1]s" w:cs="%[1]s"/>`, name)
}

// docxStyles: the body (Normal) in 仿宋_GB2312 3号 on the line grid, the title,
// the two heading levels, table text and the page number.
func docxStyles() string {
	return xmlHead + `<w:styles ` + nsW + `>
<w:docDefaults><w:rPrDefault><w:rPr>` + fonts(fontBody) + `<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:snapToGrid w:val="1"/><w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr>
<w:rPr>` + fonts(fontBody) + fmt.Sprintf(`<w:spacing w:val="%d"/><w:sz w:val="%d"/><w:szCs w:val="%d"/>`, charSpacing, size3, size3) + `</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>
<w:rPr>` + fonts(fontTitle) + fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size2, size2) + `</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr>` + fonts(fontHeading) + `</w:rPr></w:style>
<w:style w:type="character" w:styleId="Heading2Char"><w:name w:val="二级标题"/><w:rPr>` + fonts(fontSub) + `</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Meta"><w:name w:val="说明"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>
<w:rPr>` + fonts(fontSub) + `</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="表格文字"/><w:pPr><w:snapToGrid w:val="0"/><w:jc w:val="center"/></w:pPr>
<w:rPr>` + fonts(fontBody) + fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, sizeS4, sizeS4) + `</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableLabel"><w:name w:val="表格项目"/><w:basedOn w:val="TableText"/><w:pPr><w:jc w:val="left"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TableCaption"><w:name w:val="表题"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="center"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>
<w:rPr>` + fonts(fontHeading) + `</w:rPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>` + borders("single", 4) + `</w:tblBorders>
<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>`
}

func borders(kind string, size int) string {
	var b strings.Builder
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="%s" w:sz="%d" w:space="0" w:color="000000"/>`, side, kind, size)
	}
	return b.String()
}

// docxFooter is a page-number footer: "— N —" in 4号 半角宋体, aligned to the
// outer side (jc) with a one-character indent on that side.
func docxFooter(jc, side string) string {
	run := `<w:r><w:rPr>` + fonts(fontPage) + fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size4, size4) + `</w:rPr>%s</w:r>`
	return xmlHead + `<w:ftr ` + nsW + `><w:p><w:pPr><w:snapToGrid w:val="0"/><w:jc w:val="` + jc + `"/><w:ind w:` + side + `Chars="100" w:` + side + `="280" w:firstLine="0"/></w:pPr>` +
		fmt.Sprintf(run, `<w:t xml:space="preserve">— </w:t>`) +
		fmt.Sprintf(run, `<w:fldChar w:fldCharType="begin"/>`) +
		fmt.Sprintf(run, `<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		fmt.Sprintf(run, `<w:fldChar w:fldCharType="separate"/>`) +
		fmt.Sprintf(run, `<w:t>1</w:t>`) +
		fmt.Sprintf(run, `<w:fldChar w:fldCharType="end"/>`) +
		fmt.Sprintf(run, `<w:t xml:space="preserve"> —</w:t>`) +
		`</w:p></w:ftr>`
}

// docxDocument is the body: title, meta line, failed checks, then each
// section with its paragraphs and tables, and the page setup.
func (r *AnnualReport) docxDocument() string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:document ` + nsW + `><w:body>`)
	para(&b, "Title", run("", r.Title))
	para(&b, "Meta", run("", r.meta()))
	for _, p := range r.Problems {
		para(&b, "", run(`<w:color w:val="C00000"/>`, "校验未通过："+p.String()))
	}
	for _, s := range r.Sections {
		para(&b, "Heading1", run("", s.Heading))
		for _, p := range s.Paragraphs {
			if lead, rest, ok := subHeading(p); ok {
				para(&b, "", `<w:r><w:rPr><w:rStyle w:val="Heading2Char"/></w:rPr>`+text(lead)+`</w:r>`+run("", rest))
			} else {
				para(&b, "", run("", p))
			}
		}
		for _, t := range s.Tables {
			docxTable(&b, t)
		}
	}
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		pageW, pageH, marginTop, marginOutside, marginBottom, marginInside, footerDist, linePitch)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// subHeadingRE matches the lead-in of a 二级 heading: （一）主动公开。
var subHeadingRE = regexp.MustCompile(`^（[一二三四五六七八九十]+）[^。；，（）]{1,20}。`)

// subHeading splits a paragraph that opens with a 二级 heading.
func subHeading(p string) (lead, rest string, ok bool) {
	loc := subHeadingRE.FindStringIndex(p)
	if loc == nil {
		return "", "", false
	}
	return p[:loc[1]], p[loc[1]:], true
}

func para(b *strings.Builder, style, runs string) {
	b.WriteString("<w:p>")
	if style != "" {
		fmt.Fprintf(b, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, style)
	}
	b.WriteString(runs + "</w:p>")
}

func run(rPr, s string) string {
	if rPr != "" {
		rPr = "<w:rPr>" + rPr + "</w:rPr>"
	}
	return "<w:r>" + rPr + text(s) + "</w:r>"
}

// text is s as w:t elements, a line break for each newline.
func text(s string) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		xml.EscapeText(&b, []byte(line))
		b.WriteString("</w:t>")
	}
	return b.String()
}

// docxTable writes a report table with its caption: borders on every cell,
// the header row repeated on each page, no row split across pages, the
// first column wider.
func docxTable(b *strings.Builder, t Table) {
	para(b, "TableCaption", run("", t.Title))
	n := len(t.Header)
	first := textWidth / 3
	if n <= 2 {
		first = textWidth / n
	}
	rest := (textWidth - first) / max(n-1, 1)
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`, textWidth)
	for i := range n {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, map[bool]int{true: first, false: rest}[i == 0])
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if header {
			b.WriteString(`<w:tblHeader/>`)
		}
		b.WriteString(`</w:trPr>`)
		for i, c := range cells {
			w := rest
			if i == 0 {
				w = first
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, w)
			rPr := ""
			if header {
				rPr = fonts(fontHeading)
			}
			style := "TableText"
			if i == 0 && !header {
				style = "TableLabel"
			}
			para(b, style, run(rPr, c))
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Header, true)
	for _, r := range t.Rows {
		cells := make([]string, n)
		for i := range cells {
			if i < len(r) {
				cells[i] = CellText(r[i])
			}
		}
		row(cells, false)
	}
	b.WriteString(`</w:tbl>`)
	para(b, "", "") // Word needs a paragraph between a table and what follows
}
