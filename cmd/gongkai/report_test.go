package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report --staff stores tables 三 and 四 of the YAML as the year's (audited
// as an import): a later report without --staff still has them.
func TestReportImportsStaffTables(t *testing.T) {
	data := t.TempDir()
	staff, err := filepath.Abs(filepath.Join("..", "..", "analytics", "testdata", "staff.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, errOut, err := run(t, "--data", data, "report", "--year", "2022", "--as-of", "2023-01-20", "--staff", staff)
	if err != nil {
		t.Fatalf("report --staff: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "stored as those of 2022") {
		t.Errorf("the import says nothing: %q", errOut)
	}
	out, errOut, err := run(t, "--data", data, "report", "--year", "2022", "--as-of", "2023-01-20")
	if err != nil {
		t.Fatalf("report: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "| 一、本年新收政府信息公开申请数量 | 6 | 1 | 0 | 0 | 0 | 1 | 8 |") {
		t.Errorf("the report after the import lacks table 三's first row:\n%s", out)
	}
	if _, _, err := run(t, "--data", data, "report", "--year", "2022", "--format", "docx"); err == nil {
		t.Error("--format docx to standard output accepted")
	}
	docx := filepath.Join(t.TempDir(), "2022.docx")
	if _, errOut, err := run(t, "--data", data, "report", "--year", "2022", "--as-of", "2023-01-20", "--format", "docx", "-o", docx); err != nil {
		t.Fatalf("report --format docx: %v\n%s", err, errOut)
	}
	if b, err := os.ReadFile(docx); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Errorf("report --format docx wrote no zip: %v", err)
	}
}
