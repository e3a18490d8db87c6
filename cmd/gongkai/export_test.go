package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportESBulk runs the export command: NDJSON on standard output, the
// folder layout with -o DIR/, incremental with --since, usage errors.
func TestExportESBulk(t *testing.T) {
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", strings.Join([]string{
		`{"id":"p1","title":"关于农村最低生活保障申请条件的通知","body":"申请农村低保需要满足家庭人均收入低于当地低保标准。","published":"2015-03-02","channel":"portal","category":"社会保障","subject":"民政、扶贫、救灾\\社会救助"}`,
		`{"id":"p2","title":"危房改造补助标准","body":"农村危房改造每户补助一万元。","published":"2015-05-01","channel":"wechat"}`,
	}, "\n"))
	if _, errOut, err := run(t, "--data", data, "ingest", "--no-index", jsonl); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	out, errOut, err := run(t, "--data", data, "export", "--format", "es-bulk")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], `{"index":{"_index":"gongkai","_id":"p1"}}`) ||
		!strings.Contains(errOut, "2 indexed, 0 deleted, store sequence 2") {
		t.Fatalf("export to standard output:\n%s\n%s", out, errOut)
	}
	var src map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &src); err != nil || src["category"] != "社会保障" || src["published"] != "2015-03-02T00:00:00+08:00" {
		t.Fatalf("first source %v (%v)", src, err)
	}
	out, _, err = run(t, "--data", data, "export", "--format", "es-bulk", "--since", "1")
	if err != nil || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"_id":"p2"`) {
		t.Fatalf("export --since 1: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "exp") + "/"
	if _, errOut, err := run(t, "--data", data, "export", "--format", "es-bulk", "-o", dir); err != nil {
		t.Fatalf("export -o DIR/: %v\n%s", err, errOut)
	}
	for _, f := range []string{"bulk-00001.ndjson", "template.json", "export.json", "analysis-ik/gongkai.dic",
		"analysis-ik/IKAnalyzer.cfg.xml", "analysis/gongkai_synonyms.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("export folder lacks %s: %v", f, err)
		}
	}
	file := filepath.Join(t.TempDir(), "all.ndjson")
	if _, _, err := run(t, "--data", data, "export", "--format", "es-bulk", "-o", file); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); strings.Count(string(b), "\n") != 4 {
		t.Fatalf("export -o FILE wrote %q", b)
	}
	for _, args := range [][]string{{"--format", "csv"}, {"--format", "es-bulk", "--since", "-1"}, {"--format", "es-bulk", "--index", "Big Index"}, {}} {
		_, _, err := run(t, append([]string{"--data", data, "export"}, args...)...)
		if _, ok := err.(*usageError); !ok {
			t.Errorf("export %v: %v, want a usage error", args, err)
		}
	}
}
