package main

import (
	"fmt"
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

// TestReportUnit checks `report --unit`: a unit's report states its own
// totals (those of `stats --unit`), the default report the county's sums,
// the unit's report does not take the installation's stored tables 三/四
// and --staff with --unit stores nothing.
func TestReportUnit(t *testing.T) {
	data := t.TempDir()
	cfg := writeFile(t, "gongkai.yaml", "units:\n  - name: 康大营镇\n  - name: 城关镇\n")
	var lines []string
	for i, unit := range []string{"康大营镇", "康大营镇", "康大营镇", "城关镇", "城关镇"} {
		lines = append(lines, fmt.Sprintf(`{"id":"d%d","title":"%s第%d号通知","body":"正文%d","published":"2022-0%d-02","unit":"%s"}`,
			i, unit, i, i, i+1, unit))
	}
	jsonl := writeFile(t, "docs.jsonl", strings.Join(lines, "\n")+"\n")
	if _, errOut, err := run(t, "--data", data, "--config", cfg, "ingest", jsonl); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	staff, err := filepath.Abs(filepath.Join("..", "..", "analytics", "testdata", "staff.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	report := func(args ...string) (string, string) {
		t.Helper()
		out, errOut, err := run(t, append([]string{"--data", data, "--config", cfg, "report", "--year", "2022", "--as-of", "2023-01-20"}, args...)...)
		if err != nil {
			t.Fatalf("report %v: %v\n%s", args, err, errOut)
		}
		return out, errOut
	}
	total := func(n int) string {
		return fmt.Sprintf("共主动公开政府信息%d条（不同渠道公开相同信息计1条，计%d条）", n, n)
	}
	county, _ := report("--staff", staff)
	if !strings.Contains(county, total(5)) || !strings.Contains(county, "本年度新收政府信息公开申请8件") {
		t.Errorf("county report lacks the sum of 5 or the stored table 三:\n%s", county)
	}
	for unit, n := range map[string]int{"康大营镇": 3, "城关镇": 2} {
		out, _ := report("--unit", unit+" ")
		if !strings.HasPrefix(out, "# "+unit+"2022年政府信息公开工作年度报告") || !strings.Contains(out, total(n)) ||
			strings.Contains(out, "本年度新收政府信息公开申请8件") {
			t.Errorf("%s's report, want its own %d items and no table 三 of the county:\n%s", unit, n, out)
		}
		stats, errOut, err := run(t, "--data", data, "--config", cfg, "stats", "--year", "2022", "--unit", unit, "--json")
		if err != nil || !strings.Contains(stats, fmt.Sprintf(`"total": %d`, n)) {
			t.Errorf("stats --unit %s: %v %s\n%s", unit, err, errOut, stats)
		}
	}
	if _, errOut := report("--unit", "城关镇", "--staff", staff); strings.Contains(errOut, "stored") {
		t.Errorf("--staff with --unit stored the tables: %s", errOut)
	}
	if _, _, err := run(t, "--data", data, "--config", cfg, "report", "--year", "2022", "--unit", "柳河镇"); err == nil ||
		!strings.Contains(err.Error(), `--unit "柳河镇": not a configured unit`) {
		t.Errorf("unknown unit: %v", err)
	}
}
