package attachment

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPDFPaths checks which path reads each test PDF: LibreOffice's and
// Word's CID fonts with ToUnicode maps take the fast path and give the
// same text as PDFium; Chromium's Type 3 fonts, an invoice whose text sits
// in form XObjects and a password-protected file go to PDFium, and Extract
// still gives their text (TestExtractPDF checks it against the keys).
func TestPDFPaths(t *testing.T) {
	cases := []struct {
		file   string
		fast   bool
		reason string // in the fallback's reason
	}{
		{"plan.pdf", true, ""},
		{"report.pdf", true, ""},
		{"dibao.pdf", true, ""},
		{"plan-restricted.pdf", true, ""},
		{"data-security-law.pdf", true, ""},
		{"cybersecurity-law.pdf", true, ""},
		{"plan-chromium.pdf", false, "Type3"},
		{"ofdrw-invoice.pdf", false, "XObject"},
		{"plan-password.pdf", false, "password"},
	}
	lim := Limits{}.withDefaults()
	for _, c := range cases {
		data := readTestdata(t, c.file)
		out := &textBuf{max: lim.MaxText}
		_, err := fastPDF(context.Background(), data, lim, out)
		switch {
		case c.fast && err != nil:
			t.Errorf("%s: fast path gave up (%v), want it to read the file", c.file, err)
		case !c.fast && (!isFallback(err) || !strings.Contains(err.Error(), c.reason)):
			t.Errorf("%s: fast path gave %v, want a fallback naming %q", c.file, err, c.reason)
		case c.fast:
			pdfium := &textBuf{max: lim.MaxText}
			if _, err := pdfText(context.Background(), data, lim, pdfium); err != nil {
				t.Fatalf("%s: PDFium: %v", c.file, err)
			}
			if got := inOrder(pdfium.String(), out.String()); got < 1 {
				t.Errorf("%s: the fast path has %.4f of PDFium's text in order", c.file, got)
			}
		}
	}
	chromium := Extract(context.Background(), readTestdata(t, "plan-chromium.pdf"), "plan-chromium.pdf", Limits{})
	if chromium.State != Extracted || inOrder(string(readTestdata(t, "plan.txt")), chromium.Text) < 1 {
		t.Errorf("Chromium PDF after the fallback: %s (%s)\n%s", chromium.State, chromium.Reason, chromium.Text)
	}
}

// TestPDFFallbackSignals builds one-page PDFs whose only font is CID-keyed
// (Identity-H) and varies how its codes map to text: the fast path reads a
// font whose ToUnicode map gives text, and gives up on one without a map,
// one mapping to private-use characters, and one whose shown codes are
// missing from its map; Extract then gives PDFium's answer.
func TestPDFFallbackSignals(t *testing.T) {
	good := "<0001> <4E2D>\n<0002> <6587>" // 中, 文
	cases := []struct {
		name, toUnicode string
		fast            bool
		reason          string
	}{
		{"mapped", good, true, ""},
		{"no map", "", false, "ToUnicode"},
		{"private use", "<0001> <E001>\n<0002> <E002>", false, "无法映射"},
		{"codes not in the map", "<0003> <4E2D>", false, "无法映射"},
	}
	lim := Limits{}.withDefaults()
	for _, c := range cases {
		data := cidPDF(c.toUnicode, "<0001000200010002>")
		out := &textBuf{max: lim.MaxText}
		_, err := fastPDF(context.Background(), data, lim, out)
		switch {
		case c.fast && (err != nil || out.String() != "中文中文"):
			t.Errorf("%s: %q, %v; want 中文中文 from the fast path", c.name, out.String(), err)
		case !c.fast && (!isFallback(err) || !strings.Contains(err.Error(), c.reason)):
			t.Errorf("%s: %v, want a fallback naming %q", c.name, err, c.reason)
		}
		if r := Extract(context.Background(), data, c.name+".pdf", Limits{}); r.Type != PDF || r.State == Failed && r.Reason == "" {
			t.Errorf("%s: Extract gave %+v", c.name, r)
		}
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cidPDF is a one-page PDF showing hexText in a Type0 font (Identity-H,
// no embedded program) with the given ToUnicode bfchar lines, or no map
// when toUnicode is empty; its cross-reference table is exact.
func cidPDF(toUnicode, hexText string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 712 Td %s Tj ET", hexText)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
		"<< /Type /Font /Subtype /Type0 /BaseFont /TestFont /Encoding /Identity-H /DescendantFonts [6 0 R]" +
			map[bool]string{true: " /ToUnicode 7 0 R", false: ""}[toUnicode != ""] + " >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestFont /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
	}
	if toUnicode != "" {
		cmap := fmt.Sprintf("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n%d beginbfchar\n%s\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end",
			strings.Count(toUnicode, "\n")+1, toUnicode)
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap)+1, cmap))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// benchPDFs are the text-layer PDFs of the speed target: LibreOffice's
// (a plan, a 15-page report, a Calc list), Word's (the two laws) and
// Chromium's (Type 3 fonts, which the fast path hands to PDFium).
var benchPDFs = []string{"plan.pdf", "report.pdf", "dibao.pdf", "data-security-law.pdf", "cybersecurity-law.pdf", "plan-chromium.pdf"}

// BenchmarkExtractPDF measures PDF text extraction per file and per path:
// "extract" is what Extract does (the fast path, then PDFium if it gives
// up), "fast" and "pdfium" each path alone. MB/s counts bytes of PDF;
// pages/s is reported too, and both per second of the process's CPU time
// (MB/cpu-s, pages/cpu-s: steadier than wall time on a shared machine).
// The PDFium engine is started before the timer. Run with -cpu 1 for the
// one-core figure.
func BenchmarkExtractPDF(b *testing.B) {
	if err := Prepare(); err != nil {
		b.Fatal(err)
	}
	lim := Limits{}.withDefaults()
	paths := []struct {
		name string
		run  func(data []byte) (int, error)
	}{
		{"extract", func(data []byte) (int, error) {
			r := Extract(context.Background(), data, "x.pdf", Limits{})
			if r.State != Extracted {
				return 0, fmt.Errorf("%s: %s", r.State, r.Reason)
			}
			return r.Pages, nil
		}},
		{"fast", func(data []byte) (int, error) {
			return fastPDF(context.Background(), data, lim, &textBuf{max: lim.MaxText})
		}},
		{"pdfium", func(data []byte) (int, error) {
			return pdfText(context.Background(), data, lim, &textBuf{max: lim.MaxText})
		}},
	}
	for _, file := range benchPDFs {
		data := readTestdata(b, file)
		for _, p := range paths {
			if _, err := p.run(data); err != nil {
				continue // the fast path gives this file up: nothing to time
			}
			b.Run(p.name+"/"+file, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				pages, runs := 0, 0
				start, cpu := time.Now(), cpuTime(b)
				for b.Loop() {
					n, err := p.run(data)
					if err != nil {
						b.Fatal(err)
					}
					pages += n
					runs++
				}
				secs := (cpuTime(b) - cpu).Seconds()
				b.ReportMetric(float64(pages)/time.Since(start).Seconds(), "pages/s")
				b.ReportMetric(float64(runs*len(data))/1e6/secs, "MB/cpu-s")
				b.ReportMetric(float64(pages)/secs, "pages/cpu-s")
			})
		}
	}
}
