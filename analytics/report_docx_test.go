package analytics

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// docxReport is the 2022 national-format report with the staff tables, and
// its DOCX bytes and Markdown.
func docxReport(t *testing.T) (*AnnualReport, []byte, string) {
	t.Helper()
	st := openStore(t)
	put(t, st, series("portal", "portal", "乡镇要闻", "工作动态", bj(2022, 1, 5, 9, 0), 30)...)
	put(t, st, series("wechat", "wechat", "康大营镇发布", "工作动态", bj(2022, 2, 1, 9, 0), 12)...)
	normativeDocs(t, st, 2022)
	r := report(t, st, defaultConfig(), 2022, filepath.Join("testdata", "staff.yaml"))
	var docx, md bytes.Buffer
	if err := r.WriteDOCX(&docx); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	return r, docx.Bytes(), md.String()
}

// The DOCX opens as a zip of well-formed XML parts, lays the page out as a
// 公文 (A4, 37 mm top, 28 mm inside margin, 22 × 28 grid, the fonts with
// fallbacks, page numbers on the outer side), and its tables hold the
// numbers of the Markdown report, cell by cell.
func TestReportDOCX(t *testing.T) {
	r, data, md := docxReport(t)
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(b)
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/fontTable.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("part %s missing", name)
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098"`, `w:left="1587"`,
		`w:right="1475"`, `w:bottom="1984"`, `<w:docGrid w:type="lines" w:linePitch="579"/>`,
		`<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">` + r.Title,
		`<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">三、收到和处理政府信息公开申请情况`,
		`<w:rStyle w:val="Heading2Char"/></w:rPr><w:t xml:space="preserve">（一）主动公开。`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	// 版心 156 × 225 mm: A4 less the margins.
	if pageW-marginInside-marginOutside != textWidth || pageH-marginTop-marginBottom != textHeight {
		t.Errorf("版心 %d × %d twips, want %d × %d", pageW-marginInside-marginOutside, pageH-marginTop-marginBottom, textWidth, textHeight)
	}
	styles := parts["word/styles.xml"]
	for _, want := range []string{`<w:spacing w:val="-5"/><w:sz w:val="32"/>`, `w:eastAsia="方正小标宋简体"`, `<w:sz w:val="44"/>`, `w:eastAsia="仿宋_GB2312"`,
		`<w:sz w:val="32"/>`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	for _, want := range []string{`<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>`, `<w:font w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>`} {
		if !strings.Contains(parts["word/fontTable.xml"], want) {
			t.Errorf("fontTable.xml lacks the fallback %s", want)
		}
	}
	for name, jc := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
		f := parts[name]
		if !strings.Contains(f, `<w:jc w:val="`+jc+`"/>`) || !strings.Contains(f, "— </w:t>") || !strings.Contains(f, " PAGE ") ||
			!strings.Contains(f, `w:eastAsia="宋体"`) || !strings.Contains(f, `<w:sz w:val="28"/>`) {
			t.Errorf("%s is not a 4号 宋体 “— N —” page number aligned %s", name, jc)
		}
	}
	if !strings.Contains(parts["word/settings.xml"], "<w:evenAndOddHeaders/>") || !strings.Contains(parts["word/settings.xml"], "<w:mirrorMargins/>") {
		t.Error("settings lack separate even footers or mirrored margins")
	}

	got := docxTables(t, doc)
	var want []string
	for _, s := range r.Sections {
		for _, tb := range s.Tables {
			rows := [][]string{tb.Header}
			for _, row := range tb.Rows {
				var cells []string
				for _, c := range row {
					cells = append(cells, CellText(c))
				}
				rows = append(rows, cells)
			}
			want = append(want, strings.Join(joinRows(rows), "\n"))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d tables in the DOCX, %d in the report", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("table %d differs:\n%s\nwant\n%s", i, got[i], want[i][:min(len(want[i]), 300)])
		}
		for _, line := range strings.Split(got[i], "\n")[1:] {
			if !strings.Contains(md, "| "+strings.ReplaceAll(line, "\t", " | ")+" |") {
				t.Errorf("DOCX row %q is not a row of the Markdown report", line)
			}
		}
	}
}

func joinRows(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "\t")
	}
	return out
}

// docxTables reads the text of every table of document.xml, a line per row
// with the cells separated by tabs.
func docxTables(t *testing.T, doc string) []string {
	t.Helper()
	var tables []string
	tblRE := regexp.MustCompile(`(?s)<w:tbl>.*?</w:tbl>`)
	trRE := regexp.MustCompile(`(?s)<w:tr>.*?</w:tr>`)
	tcRE := regexp.MustCompile(`(?s)<w:tc>.*?</w:tc>`)
	tRE := regexp.MustCompile(`(?s)<w:t(?: [^>]*)?>(.*?)</w:t>`)
	for _, tbl := range tblRE.FindAllString(doc, -1) {
		var rows []string
		for _, tr := range trRE.FindAllString(tbl, -1) {
			var cells []string
			for _, tc := range tcRE.FindAllString(tr, -1) {
				var text strings.Builder
				for _, m := range tRE.FindAllStringSubmatch(tc, -1) {
					var s string
					if err := xml.Unmarshal([]byte("<x>"+m[1]+"</x>"), &s); err != nil {
						t.Fatal(err)
					}
					text.WriteString(s)
				}
				cells = append(cells, text.String())
			}
			rows = append(rows, strings.Join(cells, "\t"))
		}
		tables = append(tables, strings.Join(rows, "\n"))
	}
	return tables
}

// LibreOffice (soffice, when installed) converts the DOCX to PDF, and the
// PDF's text holds the title, table 三's first row and a page number.
func TestReportDOCXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) not installed: the DOCX render is checked by hand (docs/annual-report.md)")
	}
	r, data, _ := docxReport(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	done := make(chan error, 1)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, out.String())
		}
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("soffice did not finish in 3 minutes")
	}
	if dump := os.Getenv("GONGKAI_DOCX_DUMP"); dump != "" { // keep the files for the manual check
		os.WriteFile(filepath.Join(dump, "report.docx"), data, 0o644)
		if b, err := os.ReadFile(filepath.Join(dir, "report.pdf")); err == nil {
			os.WriteFile(filepath.Join(dump, "report.pdf"), b, 0o644)
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("no PDF from soffice: %v\n%s", err, out.String())
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed: the PDF was made but its text is not checked")
	}
	text, err := exec.Command(pdftotext, "-layout", filepath.Join(dir, "report.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Text on a character grid comes out spaced: compare without spaces.
	s := strings.Join(strings.Fields(string(text)), "")
	// Long row labels wrap inside their cell, so table 三's first row is
	// checked by its figures.
	for _, want := range []string{r.Title, "收到和处理政府信息公开申请情况", "6100018", "—1—", "—2—"} {
		if !strings.Contains(s, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}
