package attachment

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	lpdf "github.com/ledongthuc/pdf"

	"github.com/gongkai-project/gongkai/internal/pdfwrite"
)

// TestPDFPaths checks which path reads each test PDF: LibreOffice's,
// Word's and WPS's CID fonts with ToUnicode maps (Word's as a government
// site published them among them), and an invoice whose text sits in
// rotated form XObjects, take the fast path and give PDFium's text in the
// same order (the invoice's table cells 98 %: PDFium joins a header cell
// set slightly off the line into it, the fast path keeps content order;
// against poppler's key both have 53 % in order). Chromium's Type 3 fonts
// and a password-protected file go to PDFium, and Extract still gives
// their text (TestExtractPDF checks it against the keys).
func TestPDFPaths(t *testing.T) {
	cases := []struct {
		file    string
		fast    bool
		reason  string  // in the fallback's reason
		ordered float64 // share of PDFium's text the fast path has in order
	}{
		{"plan.pdf", true, "", 1},
		{"report.pdf", true, "", 1},
		{"dibao.pdf", true, "", 1},
		{"plan-restricted.pdf", true, "", 1},
		{"data-security-law.pdf", true, "", 1},
		{"cybersecurity-law.pdf", true, "", 1},
		{"ofdrw-invoice.pdf", true, "", 0.98},
		{"green-channel-vegetables.pdf", true, "", 1},
		{"green-channel-fruits.pdf", true, "", 1},
		{"mohrss-labour-contract-wps.pdf", true, "", 1},
		{"plan-chromium.pdf", false, "Type3", 0},
		{"plan-password.pdf", false, "password", 0},
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
			if got := inOrder(pdfium.String(), out.String()); got < c.ordered {
				t.Errorf("%s: the fast path has %.4f of PDFium's text in order, want ≥ %.2f", c.file, got, c.ordered)
			}
			if got := sameChars(pdfium.String(), out.String()); got < 1 {
				t.Errorf("%s: the fast path has %.4f of PDFium's characters", c.file, got)
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

// TestPDFFormLimits draws a form XObject that draws itself: the fast
// path stops at its nesting limit and hands the file to PDFium, and
// Extract returns (PDFium finds no text).
func TestPDFFormLimits(t *testing.T) {
	content := "/X1 Do"
	form := fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 4 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(content)+1, content)
	data := pdfwrite.Objects([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X1 4 0 R >> >> /Contents 5 0 R >>",
		form,
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
	})
	lim := Limits{}.withDefaults()
	_, err := fastPDF(context.Background(), data, lim, &textBuf{max: lim.MaxText})
	if !isFallback(err) || !strings.Contains(err.Error(), "嵌套") {
		t.Errorf("self-drawing form: %v, want a fallback for its nesting", err)
	}
	if r := Extract(context.Background(), data, "forms.pdf", Limits{}); r.Type != PDF || r.State == Extracted && r.Text != "" {
		t.Errorf("self-drawing form: %+v", r)
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
	return cidPDFWidths(toUnicode, hexText, "")
}

// cidPDFWidths is cidPDF with the CID font's W array w (none if empty).
func cidPDFWidths(toUnicode, hexText, w string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 712 Td %s Tj ET", hexText)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
		"<< /Type /Font /Subtype /Type0 /BaseFont /TestFont /Encoding /Identity-H /DescendantFonts [6 0 R]" +
			map[bool]string{true: " /ToUnicode 7 0 R", false: ""}[toUnicode != ""] + " >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestFont /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000" +
			map[bool]string{true: " /W " + w, false: ""}[w != ""] + " >>",
	}
	if toUnicode != "" {
		cmap := fmt.Sprintf("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n%d beginbfchar\n%s\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end",
			strings.Count(toUnicode, "\n")+1, toUnicode)
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap)+1, cmap))
	}
	return pdfwrite.Objects(objs)
}

// benchPDFs are the text-layer PDFs of the speed target: LibreOffice's
// (a plan, a 15-page report, a Calc list), Word's (the two laws), an
// OpenPDF invoice (text in rotated forms), Chromium's (Type 3 fonts, which
// the fast path hands to PDFium), two tables as a government site published
// them (Word) and a ministry's template printed by WPS.
var benchPDFs = []string{"plan.pdf", "report.pdf", "dibao.pdf", "data-security-law.pdf", "cybersecurity-law.pdf", "ofdrw-invoice.pdf", "plan-chromium.pdf",
	"green-channel-vegetables.pdf", "green-channel-fruits.pdf", "mohrss-labour-contract-wps.pdf"}

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

// TestPDFCyclesEnd gives the fast path files whose structure leads back
// into itself (a page tree that is its own kid, a page whose /Parent chain
// loops without /Resources, a cross-reference section whose /Prev is
// itself): the PDF parser loops on them without checking a context, and
// the fast path must still return once its context ends rather than keep
// a goroutine spinning after Extract has given up.
func TestPDFCyclesEnd(t *testing.T) {
	prev := cidPDF("<0001> <4E2D>", "<0001>")
	var xref int
	fmt.Sscanf(string(prev[bytes.LastIndex(prev, []byte("startxref\n"))+len("startxref\n"):]), "%d", &xref)
	prev = bytes.Replace(prev, []byte("/Root 1 0 R >>"), fmt.Appendf(nil, "/Root 1 0 R /Prev %d >>", xref), 1)
	cases := map[string][]byte{
		"kids": pdfwrite.Objects([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R] /Count 5 >>",
		}),
		"parent": pdfwrite.Objects([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
			"<< /Length 3 >>\nstream\nBT\nendstream",
		}),
		"prev": prev,
	}
	lim := Limits{}.withDefaults()
	for name, data := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		done := make(chan error, 1)
		go func() {
			_, err := fastPDF(ctx, data, lim, &textBuf{max: lim.MaxText})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: the fast path read a cyclic file without complaint", name)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%s: the fast path still runs 30 s after its context ended", name)
		}
		cancel()
	}
}

// TestPDFMemoryBounds states in a few bytes what would take the fast path
// hundreds of megabytes (operands without an operator, a ToUnicode map or
// widths array of ranges past any font's codes): each sends the file to
// PDFium, and a font within the bounds still reads.
func TestPDFMemoryBounds(t *testing.T) {
	good := "<0001> <4E2D>"
	ranges := good + "\nendbfchar\n3 beginbfrange\n<00010000> <0001FFFF> <0041>\n<00020000> <0002FFFF> <0041>\n<00030000> <0003FFFF> <0041>\nendbfrange\n1 beginbfchar\n<0002> <6587>"
	wide := cidPDFWidths(good, "<0001>", "[0 65535 1000 65536 131071 1000 131072 196607 1000]")
	cases := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"operands", cidPDF(good, strings.Repeat("0 ", maxOperands)+"<0001>"), "操作数"},
		{"nested operands", cidPDF(good, "["+strings.Repeat("[0 0] ", maxOperands/2)+"] pop <0001>"), "操作数"},
		{"ToUnicode ranges", cidPDF(ranges, "<0001>"), "ToUnicode"},
		{"widths", wide, "字宽表"},
	}
	lim := Limits{}.withDefaults()
	for _, c := range cases {
		_, err := fastPDF(context.Background(), c.data, lim, &textBuf{max: lim.MaxText})
		if !isFallback(err) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: %v, want a fallback naming %q", c.name, err, c.reason)
		}
	}
	out := &textBuf{max: lim.MaxText}
	within := cidPDFWidths(good, "<0001>", "[0 65535 1000]")
	if _, err := fastPDF(context.Background(), within, lim, out); err != nil || out.String() != "中" {
		t.Errorf("a font with 65,536 widths: %q, %v; want 中 from the fast path", out.String(), err)
	}
}

// TestPDFObjectStreamLoops gives the fast path files of a few hundred
// bytes on which the PDF parser recurses without end, which would
// overflow the stack and end the process: a catalog in an object stream
// that is itself in that stream, and a catalog in an object stream whose
// /Length is that catalog, and the first with an /Encrypt dictionary in
// that stream. The fast path hands them to PDFium.
func TestPDFObjectStreamLoops(t *testing.T) {
	// xrefStream writes body, then a cross-reference stream (W [1 2 1])
	// whose entries entry gives, with the offset of the stream itself
	// filled in where it is 0xFF.
	xrefStream := func(body string, size int, entries []byte) []byte {
		var b bytes.Buffer
		b.WriteString("%PDF-1.5\n" + body)
		xref := b.Len()
		entries = bytes.ReplaceAll(entries, []byte{0xFF}, []byte{byte(xref)})
		fmt.Fprintf(&b, "2 0 obj\n<< /Type /XRef /Size %d /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n", size, len(entries))
		b.Write(entries)
		fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
		return b.Bytes()
	}
	encrypted := xrefStream("", 3, []byte{0, 0, 0, 0, 2, 0, 1, 0, 1, 0, 0xFF, 0})
	encrypted = bytes.Replace(encrypted, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /E#6ecrypt 1 0 R /ID [<00> <00>]"), 1)
	objStm := "3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length 1 0 R >>\nstream\n1 0 12\nendstream\nendobj\n"
	cases := map[string][]byte{
		// 0 free; 1 in object stream 1; 2 the cross-reference stream.
		"stream in itself": xrefStream("", 3, []byte{0, 0, 0, 0, 2, 0, 1, 0, 1, 0, 0xFF, 0}),
		// 0 free; 1 in object stream 3; 2 the cross-reference stream; 3 at offset 9.
		"length in its stream": xrefStream(objStm, 4, []byte{0, 0, 0, 0, 2, 0, 3, 0, 1, 0, 0xFF, 0, 1, 0, 9, 0}),
		// the first, encrypted by an /Encrypt in that stream (its name
		// escaped), which opening the file resolves.
		"encrypt in itself": encrypted,
	}
	lim := Limits{}.withDefaults()
	for name, data := range cases {
		_, err := fastPDF(context.Background(), data, lim, &textBuf{max: lim.MaxText})
		if !isFallback(err) || !strings.Contains(err.Error(), "对象") {
			t.Errorf("%s: %v, want a fallback naming the object stream", name, err)
		}
	}
}

// TestPDFLoosePageTree gives the fast path a page without /Type /Page,
// which ledongthuc/pdf does not find in the page tree: the fast path hands
// the file to PDFium, which reads the page, instead of reporting a PDF
// without text.
func TestPDFLoosePageTree(t *testing.T) {
	content := "BT /F1 12 Tf 72 712 Td (Hello) Tj ET"
	data := pdfwrite.Objects([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	})
	lim := Limits{}.withDefaults()
	if _, err := fastPDF(context.Background(), data, lim, &textBuf{max: lim.MaxText}); !isFallback(err) {
		t.Errorf("a page the parser cannot find: %v, want a fallback", err)
	}
	if r := Extract(context.Background(), data, "loose.pdf", Limits{}); r.State != Extracted || strings.TrimSpace(r.Text) != "Hello" {
		t.Errorf("a page the parser cannot find: %s (%s) %q, want PDFium's Hello", r.State, r.Reason, r.Text)
	}
}

// TestPDFPageTextBound draws a form with a line of text 1,000 times on one
// page: the page's laid-out text stops a line past MaxText (it held all
// 1,000 lines, and a form of megabytes drawn as often held gigabytes),
// and the result says it was cut.
func TestPDFPageTextBound(t *testing.T) {
	line := "BT /F1 12 Tf 72 712 Td (" + strings.Repeat("Hello ", 20) + ") Tj ET"
	content := strings.Repeat("/X1 Do ", maxForms)
	data := pdfwrite.Objects([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> /XObject << /X1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length %d >>\nstream\n%s\nendstream", len(line)+1, line),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	})
	lim := Limits{MaxText: 1000}.withDefaults()
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	x := &extractor{ctx: context.Background(), fonts: map[string]*pdfFont{}, budget: lim.MaxBytes, maxText: lim.MaxText}
	x.page(r.Page(1))
	if n := x.text.Len(); n > lim.MaxText+len(line) {
		t.Errorf("the page's text holds %d bytes with MaxText %d", n, lim.MaxText)
	}
	out := &textBuf{max: lim.MaxText}
	if _, err := fastPDF(context.Background(), data, lim, out); err != nil || !out.truncated || out.Len() == 0 {
		t.Errorf("%d bytes, truncated %v, %v; want MaxText's worth, truncated", out.Len(), out.truncated, err)
	}
}
