package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIngestRepealsAndSearchValidity: ingest applies the 2015 notice's
// repeal to the 2014 one; search --validity filters and prints the state.
func TestIngestRepealsAndSearchValidity(t *testing.T) {
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", strings.Join([]string{
		`{"id":"b2014","title":"关于公布2014年农村低保标准的通知","body":"2014年农村低保标准为每人每年2400元。","published":"2014-01-06","doc_number":"康镇政〔2014〕5号","validity":"有效"}`,
		`{"id":"b2015","title":"关于公布2015年农村低保标准的通知","body":"2015年农村低保标准为每人每年2600元。康镇政〔2014〕5号文件同时废止。","published":"2015-01-05","validity":"现行有效"}`,
		`{"id":"x","title":"农村低保资金管理办法","body":"低保资金专款专用。","published":"2013-05-01","validity":"失效"}`,
	}, "\n"))
	out, errOut, err := run(t, "--data", data, "ingest", jsonl)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "1 documents newly marked 已废止 by 1 repealing notices") {
		t.Fatalf("ingest output:\n%s", out)
	}
	out, errOut, err = run(t, "--data", data, "search", "--json", "--validity", "已废止", "低保")
	if err != nil {
		t.Fatalf("search: %v %s", err, errOut)
	}
	var res struct {
		Total int
		Hits  []struct{ ID, Validity string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total != 1 || res.Hits[0].ID != "b2014" || res.Hits[0].Validity != "已废止" {
		t.Fatalf("search --validity 已废止: %v\n%s", err, out)
	}
	out, _, err = run(t, "--data", data, "search", "低保标准")
	if err != nil || !strings.Contains(out, "关于公布2014年农村低保标准的通知  [2014-01-06   已废止]") ||
		strings.Index(out, "2015年农村低保标准的通知") > strings.Index(out, "2014年农村低保标准的通知") {
		t.Fatalf("search text output:\n%s (%v)", out, err)
	}
	if _, _, err := run(t, "--data", data, "search", "--validity", "有效", "低保"); err == nil || !strings.Contains(err.Error(), "现行有效") {
		t.Fatalf("search --validity 有效: %v, want the five values named", err)
	}
}
