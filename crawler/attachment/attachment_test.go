package attachment

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inOrder is the share of ref's non-space characters that got holds in
// the same order (the longest common subsequence over ref's length): 1
// when every character came out and in order.
func inOrder(ref, got string) float64 {
	a, b := dense(ref), dense(got)
	if len(a) == 0 {
		return 1
	}
	prev, cur := make([]int32, len(b)+1), make([]int32, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return float64(prev[len(b)]) / float64(len(a))
}

// dense is s's runes without white space.
func dense(s string) []rune {
	var out []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

func TestDetect(t *testing.T) {
	cases := []struct {
		file, name string
		want       Type
	}{
		{"plan.docx", "plan.docx", DOCX},
		{"plan.docx", "附件1.doc", DOCX}, // the bytes win over the name
		{"plan-wps.wps", "plan-wps.wps", WPS},
		{"plan.doc", "plan.doc", DOC},
		{"plan.doc", "plan.wps", WPS},
		{"plan.pdf", "plan.pdf", PDF},
		{"plan.pdf", "download.aspx", PDF},
		{"dibao.xlsx", "dibao.xlsx", XLSX},
		{"dibao.xls", "dibao.xls", XLS},
		{"dibao.xls", "dibao.xlsx", XLS},
		{"plan.html", "plan.html", HTML},
		{"plan.txt", "plan.txt", TXT},
		{"plan-gb18030.txt", "plan.txt", TXT},
		{"ofdrw-invoice.ofd", "invoice.ofd", OFD},
		{"ofdrw-certificate.ofd", "download", OFD},
		{"dibao-county.xls", "list.et", XLS},
	}
	for _, c := range cases {
		if got := Detect(readTestdata(t, c.file), c.name); got != c.want {
			t.Errorf("Detect(%s as %q) = %q, want %q", c.file, c.name, got, c.want)
		}
	}
	for _, junk := range [][]byte{nil, {0, 1, 2, 3}, []byte("PK\x03\x04 not a zip"), oleMagic} {
		if got := Detect(junk, "x.pdf"); got != Unknown {
			t.Errorf("Detect(%q) = %q, want unknown", junk, got)
		}
	}
}

// TestExtractPlan reads the same plan, made by LibreOffice in each format,
// against the answer key plan.txt.
func TestExtractPlan(t *testing.T) {
	key := string(readTestdata(t, "plan.txt"))
	for _, file := range []string{"plan.docx", "plan-wps.wps", "plan.html", "plan.txt", "plan-gb18030.txt"} {
		r := Extract(context.Background(), readTestdata(t, file), file, Limits{})
		if r.State != Extracted || r.Reason != "" {
			t.Errorf("%s: state %s (%s), want extracted", file, r.State, r.Reason)
			continue
		}
		if got := inOrder(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.3f of the answer key in order, want all; text:\n%s", file, got, r.Text)
		}
	}
}

func TestExtractDOCXLines(t *testing.T) {
	r := Extract(context.Background(), readTestdata(t, "plan.docx"), "plan.docx", Limits{})
	for _, line := range []string{"一、工作目标", "C级加固改造", "35000", "2026年2月18日"} {
		if !strings.Contains("\n"+r.Text, "\n"+line+"\n") {
			t.Errorf("docx text has no line %q:\n%s", line, r.Text)
		}
	}
}

// TestExtractXLSX checks sheet, row and cell text of the 低保 list against
// its CSV source: every row comes out as one line, cells tab-separated.
func TestExtractXLSX(t *testing.T) {
	r := Extract(context.Background(), readTestdata(t, "dibao.xlsx"), "dibao.xlsx", Limits{})
	if r.State != Extracted || r.Type != XLSX {
		t.Fatalf("dibao.xlsx: %s %s (%s)", r.Type, r.State, r.Reason)
	}
	lines := strings.Split(strings.TrimSpace(r.Text), "\n")
	if lines[0] != "dibao" {
		t.Errorf("first line %q, want the sheet name dibao", lines[0])
	}
	csv := strings.Split(strings.TrimSpace(string(readTestdata(t, "dibao.csv"))), "\n")
	if len(lines) != len(csv)+1 {
		t.Fatalf("%d lines, want the sheet name and %d rows:\n%s", len(lines), len(csv), r.Text)
	}
	for i, row := range csv {
		if want := strings.ReplaceAll(row, ",", "\t"); lines[i+1] != want {
			t.Errorf("row %d = %q, want %q", i+1, lines[i+1], want)
		}
	}
}

func TestExtractLimits(t *testing.T) {
	data := readTestdata(t, "plan.docx")
	r := Extract(context.Background(), data, "plan.docx", Limits{MaxBytes: int64(len(data) - 1)})
	if r.State != TooLarge || r.Type != DOCX || r.Reason == "" {
		t.Errorf("input over MaxBytes: %+v, want too_large with a reason", r)
	}
	r = Extract(context.Background(), data, "plan.docx", Limits{MaxText: 40})
	if r.State != Extracted || !r.Truncated || len(r.Text) > 40 || !strings.HasPrefix(r.Text, "青石镇") {
		t.Errorf("MaxText 40: %+v, want 40 bytes at most, cut at a character, marked truncated", r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := Extract(ctx, data, "plan.docx", Limits{}); r.State != Failed || r.Reason == "" {
		// A cancelled context may still let a fast parser finish first.
		if r.State != Extracted {
			t.Errorf("cancelled: %+v", r)
		}
	}
	if r := Extract(context.Background(), []byte{1, 2, 3}, "x.bin", Limits{}); r.State != Unsupported || r.Reason == "" {
		t.Errorf("random bytes: %+v, want unsupported with a reason", r)
	}
}
