package attachment

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestExtractPDF reads PDFs from three producers against their answer
// keys: LibreOffice (CID fonts with ToUnicode), Chromium (Type 3 fonts
// with ToUnicode, which readers that prefer /Encoding turn to garbage) and
// a real electronic invoice (OpenPDF, Source Han Serif), whose key is
// poppler's pdftotext output.
func TestExtractPDF(t *testing.T) {
	cases := []struct {
		file, key string
		pages     int
		ordered   float64 // share of the key's characters recovered in order
	}{
		{"plan.pdf", "plan.txt", 1, 1},
		{"plan-chromium.pdf", "plan.txt", 1, 1},
		{"plan-restricted.pdf", "plan.txt", 1, 1}, // an owner password only restricts printing
		{"report.pdf", "report.txt", 15, 1},
		{"dibao.pdf", "dibao.csv", 1, 0.99},
		{"ofdrw-invoice.pdf", "ofdrw-invoice.poppler.txt", 1, 0.5}, // table cells in another order
	}
	for _, c := range cases {
		r := Extract(context.Background(), readTestdata(t, c.file), c.file, Limits{})
		if r.State != Extracted || r.Type != PDF || r.Pages != c.pages {
			t.Errorf("%s: %s %s, %d pages (%s); want extracted pdf, %d pages", c.file, r.Type, r.State, r.Pages, r.Reason, c.pages)
			continue
		}
		key := strings.ReplaceAll(string(readTestdata(t, c.key)), ",", "")
		if got := inOrder(key, r.Text); got < c.ordered {
			t.Errorf("%s: %.4f of %s in order, want ≥ %.2f:\n%s", c.file, got, c.key, c.ordered, r.Text)
		}
		if got := sameChars(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.4f of %s's characters recovered, want all", c.file, got, c.key)
		}
	}
}

// sameChars is the share of ref's non-space characters that got holds,
// in any order.
func sameChars(ref, got string) float64 {
	have := map[rune]int{}
	for _, r := range dense(got) {
		have[r]++
	}
	a := dense(ref)
	found := 0
	for _, r := range a {
		if have[r] > 0 {
			have[r]--
			found++
		}
	}
	if len(a) == 0 {
		return 1
	}
	return float64(found) / float64(len(a))
}

func TestExtractPDFPages(t *testing.T) {
	r := Extract(context.Background(), readTestdata(t, "report.pdf"), "report.pdf", Limits{MaxPages: 2})
	if r.State != Extracted || r.Pages != 15 || strings.Count(r.Text, "\f") != 1 {
		t.Fatalf("MaxPages 2: %s, %d pages, %d page breaks", r.State, r.Pages, strings.Count(r.Text, "\f"))
	}
	if !strings.Contains(r.Text, "农村公路养护") || strings.Contains(r.Text, "县财政局") {
		t.Errorf("MaxPages 2 should keep the first pages only:\n%s", r.Text)
	}
}

func TestExtractPDFWithoutText(t *testing.T) {
	r := Extract(context.Background(), readTestdata(t, "plan-scan.pdf"), "plan-scan.pdf", Limits{})
	if r.State != ImageOnly || r.Pages != 1 || r.Reason == "" || r.State.Label() != "图片版，无文字" {
		t.Errorf("scanned PDF: %+v, want image_only with one page", r)
	}
}

func TestExtractPDFFailures(t *testing.T) {
	plan := readTestdata(t, "plan.pdf")
	cases := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"plan-password.pdf", readTestdata(t, "plan-password.pdf"), "密码"},
		{"truncated.pdf", plan[:len(plan)/3], "PDF"},
		{"header-only.pdf", []byte("%PDF-1.7\n"), "PDF"},
	}
	for _, c := range cases {
		r := Extract(context.Background(), c.data, c.name, Limits{})
		if r.Type != PDF || r.State != Failed || !strings.Contains(r.Reason, c.reason) {
			t.Errorf("%s: %s %s (%s), want a failed pdf whose reason names %q", c.name, r.Type, r.State, r.Reason, c.reason)
		}
	}
}

// TestExtractPDFEndlessStream gives PDFium a content stream that claims
// 2 GB and never ends: extraction returns, failed or with whatever text
// the page held, within the time limit.
func TestExtractPDFEndlessStream(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n")
	b.WriteString("2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n")
	b.WriteString("3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n")
	b.WriteString("4 0 obj<</Length 2000000000>>stream\n")
	for b.Len() < 1<<20 {
		b.WriteString("BT /F1 12 Tf 72 712 Td (x) Tj ET q 1 0 0 1 0 0 cm Q\n")
	}
	start := time.Now()
	r := Extract(context.Background(), b.Bytes(), "endless.pdf", Limits{Timeout: 5 * time.Second})
	if r.Type != PDF || (r.State != Failed && r.State != Extracted && r.State != ImageOnly) {
		t.Errorf("endless stream: %+v", r)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("endless stream took %s, past its 5 s limit", d)
	}
}

// TestPDFTimeoutFreesEngine times out PDF extractions mid-way, more often
// than the engine has instances: each killed instance is replaced, so a
// PDF after them still extracts. The file is Chromium's, which the fast
// path hands to PDFium (about half a second there).
func TestPDFTimeoutFreesEngine(t *testing.T) {
	if err := Prepare(); err != nil {
		t.Fatal(err)
	}
	chromium := readTestdata(t, "plan-chromium.pdf")
	// 5 ms ends most runs while an instance is borrowed, 60 ms while
	// PDFium reads the page (killing it); a fast machine may finish.
	for i := range 2*runtime.GOMAXPROCS(0) + 1 {
		for _, limit := range []time.Duration{5 * time.Millisecond, 60 * time.Millisecond} {
			r := Extract(context.Background(), chromium, "plan-chromium.pdf", Limits{Timeout: limit})
			if r.State != Failed && r.State != Extracted || r.State == Failed && !strings.Contains(r.Reason, "超时") {
				t.Fatalf("run %d with a %s limit: %s (%s), want failed by the limit", i, limit, r.State, r.Reason)
			}
		}
	}
	if r := Extract(context.Background(), chromium, "plan-chromium.pdf", Limits{}); r.State != Extracted {
		t.Fatalf("after the timeouts: %s (%s)", r.State, r.Reason)
	}
}

// TestPDFEngineStartNotCharged starts the engine as the first PDF on a busy
// machine does, taking longer than the extraction's whole limit: the start
// is not charged to the limit (PDFium reads the file), and a timeout names
// the limit, never what was left of it (it once said 提取超时（1ns）).
func TestPDFEngineStartNotCharged(t *testing.T) {
	chromium := readTestdata(t, "plan-chromium.pdf") // the fast path hands it to PDFium
	const limit = 3 * time.Second
	r := extractPDF(context.Background(), chromium, Limits{Timeout: limit}.withDefaults(), slowStartFor(limit))
	if r.State == Failed && r.Reason != "提取超时（3s）" {
		t.Fatalf("after a start longer than the limit: %s (%s), want the limit named", r.State, r.Reason)
	}
	if r.State != Extracted && r.State != Failed {
		t.Fatalf("after a start longer than the limit: %s (%s), want extracted", r.State, r.Reason)
	}
	if r.State == Failed {
		t.Logf("PDFium took more than %s on a busy machine: %s", limit, r.Reason)
	}
	short := Limits{Timeout: 5 * time.Millisecond}.withDefaults()
	if r := extractPDF(context.Background(), chromium, short, slowStartFor(short.Timeout)); r.State == Failed && r.Reason != "提取超时（5ms）" {
		t.Errorf("a 5 ms limit: %s (%s), want 提取超时（5ms）", r.State, r.Reason)
	}
}

// slowStartFor is an engine start that takes longer than limit.
func slowStartFor(limit time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := waitEngine(ctx); err != nil {
			return err
		}
		time.Sleep(limit + 10*time.Millisecond)
		return nil
	}
}

// TestConcurrentExtract runs PDF, DOCX and XLS extractions at once (the
// engine is shared; run with -race).
func TestConcurrentExtract(t *testing.T) {
	files := []string{"plan.pdf", "plan-chromium.pdf", "plan.docx", "dibao.xls", "plan.pdf", "dibao.pdf"}
	var wg sync.WaitGroup
	results := make([]Result, len(files))
	for i, f := range files {
		wg.Go(func() {
			results[i] = Extract(context.Background(), readTestdata(t, f), f, Limits{})
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.State != Extracted || strings.TrimSpace(r.Text) == "" {
			t.Errorf("%s: %s (%s)", files[i], r.State, r.Reason)
		}
	}
}
