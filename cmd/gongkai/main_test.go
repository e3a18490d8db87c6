package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// run executes the CLI in-process and returns its standard output and error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := execute(context.Background(), root)
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIngestSearchJSON(t *testing.T) {
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", strings.Join([]string{
		`{"id":"p1","title":"关于农村最低生活保障申请条件的通知","body":"申请农村低保需要满足家庭人均收入低于当地低保标准。","published":"2015-03-02","channel":"portal","category":"社会保障"}`,
		`{"id":"p2","title":"危房改造补助标准","body":"农村危房改造每户补助一万元。","published":"2015-05-01","channel":"wechat"}`,
		`{"id":"bad","title":"","body":"x"}`,
	}, "\n"))
	out, errOut, err := run(t, "--data", data, "ingest", jsonl)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "2 new, 0 updated, 0 unchanged, 1 rejected") || !strings.Contains(errOut, ":3: rejected: missing title") {
		t.Fatalf("ingest output:\n%s\n%s", out, errOut)
	}
	out, _, _ = run(t, "--data", data, "ingest", jsonl)
	if !strings.Contains(out, "0 new, 0 updated, 2 unchanged, 1 rejected") {
		t.Fatalf("second ingest: %s", out)
	}
	out, errOut, err = run(t, "--data", data, "search", "--json", "低保")
	if err != nil {
		t.Fatalf("search: %v %s", err, errOut)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID      string `json:"id"`
			Snippet string `json:"snippet"`
		} `json:"hits"`
		Facets map[string]any `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json is not JSON: %v\n%s", err, out)
	}
	if res.Total != 1 || res.Hits[0].ID != "p1" || !strings.Contains(res.Hits[0].Snippet, "<mark>") || res.Facets == nil {
		t.Fatalf("search --json: %s", out)
	}
}

func TestConfigCheckReportsLines(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "server:\n  adr: x\nsources:\n  - name: a\n    kind: nope\n")
	out, _, err := run(t, "config", "check", bad)
	if err == nil || !strings.Contains(out, "bad.yaml:2:") || !strings.Contains(out, "bad.yaml:5:") {
		t.Fatalf("config check: %v\n%s", err, out)
	}
	if out, _, err := run(t, "config", "check", "../../gongkai.example.yaml"); err != nil || !strings.Contains(out, ": ok") {
		t.Fatalf("example config: %v %s", err, out)
	}
}

func TestExtractExitsNonZeroForErrorPages(t *testing.T) {
	expired := writeFile(t, "expired.html", `<html><body><div class="weui-msg"><p class="weui-msg__title">链接已过期</p></div></body></html>`)
	out, _, err := run(t, "extract", expired)
	if err == nil || !strings.Contains(out, `"kind": "error"`) {
		t.Fatalf("expired page: %v\n%s", err, out)
	}
	page := writeFile(t, "a.html", `<html><head><meta name="ArticleTitle" content="关于开展春季植树活动的通知"><meta name="PubDate" content="2015-03-02 09:00"></head>
<body><h1>关于开展春季植树活动的通知</h1><div class="TRS_Editor"><p>各村委会：为改善人居环境，镇政府决定于三月中旬组织春季植树活动，请各村按时组织村民参加，确保完成植树任务。</p></div></body></html>`)
	out, _, err = run(t, "extract", "--url", "http://www.example.gov.cn/a.html", page)
	if err != nil || !strings.Contains(out, `"title": "关于开展春季植树活动的通知"`) || !strings.Contains(out, `"published": "2015-03-02T09:00:00+08:00"`) {
		t.Fatalf("article: %v\n%s", err, out)
	}
}

// TestExtractAttachment checks that a file that is not a page prints the
// attachment extraction result, and that one without text exits non-zero.
func TestExtractAttachment(t *testing.T) {
	out, _, err := run(t, "extract", "../../crawler/attachment/testdata/dibao.xlsx")
	var res struct {
		Type, Text, State string
	}
	if jerr := json.Unmarshal([]byte(out), &res); err != nil || jerr != nil {
		t.Fatalf("extract xlsx: %v %v\n%s", err, jerr, out)
	}
	if res.Type != "xlsx" || res.State != "extracted" || !strings.Contains(res.Text, "王秀兰\t2\t1260") {
		t.Fatalf("extract xlsx: %+v", res)
	}
	junk := writeFile(t, "junk.pdf", "%PDF-1.4\n% truncated")
	out, _, err = run(t, "extract", junk)
	if err == nil || !strings.Contains(out, `"type": "pdf"`) || !strings.Contains(out, `"reason": `) {
		t.Fatalf("truncated pdf: %v\n%s", err, out)
	}
}

// TestCobraUsageErrorsExitTwo checks that the mistakes cobra itself finds
// are usage errors (exit status 2) like gongkai's own.
func TestCobraUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"nosuchcommand"},
		{"search", "--nosuchflag", "x"},
		{"stats", "--year", "abc"},
		{"ingest"},
		{"ingest", "a.jsonl", "b.jsonl"},
		{"config", "check"},
		{"serve", "extra"},
	} {
		_, _, err := run(t, append([]string{"--data", t.TempDir()}, args...)...)
		if _, ok := err.(*usageError); !ok {
			t.Errorf("%v: %v (%T), want a usage error", args, err, err)
		}
	}
	if _, _, err := run(t, "--data", t.TempDir(), "ingest", filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("ingest of a missing file succeeded")
	} else if _, ok := err.(*usageError); ok {
		t.Errorf("a failing command is not a usage error: %v", err)
	}
}

// TestHelpHasExamples checks that every command's help shows an example.
func TestHelpHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s: no example in its help", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot())
}

func TestStatsNeedsYearAndReportsUsage(t *testing.T) {
	if _, _, err := run(t, "--data", t.TempDir(), "stats"); err == nil {
		t.Fatal("stats without --year succeeded")
	}
	for _, cmd := range []string{"stats", "report"} {
		data := t.TempDir()
		_, _, err := run(t, "--data", data, cmd, "--year", "15")
		if _, ok := err.(*usageError); !ok {
			t.Fatalf("%s --year 15: %v, want a usage error", cmd, err)
		}
		if _, err := os.Stat(filepath.Join(data, "gongkai.db")); err == nil {
			t.Errorf("%s --year 15 created a database before refusing", cmd)
		}
	}
}

func TestDemoRefusesForeignDataFolder(t *testing.T) {
	data := t.TempDir()
	os.WriteFile(filepath.Join(data, "gongkai.db"), []byte("precious"), 0o644)
	_, _, err := run(t, "--data", data, "demo", "--no-serve")
	if err == nil || !strings.Contains(err.Error(), "not the demo's") {
		t.Fatalf("demo on a foreign folder: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "gongkai.db")); string(b) != "precious" {
		t.Fatal("the demo touched a foreign data folder")
	}
}

// TestRebuildReplacesAnUnreadableIndex: `index --rebuild` builds a new
// index from the store when the old one cannot be opened (corrupt, or of an
// older mapping version), where `search` and `index` ask for the rebuild.
func TestRebuildReplacesAnUnreadableIndex(t *testing.T) {
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", `{"id":"p1","title":"危房改造补助标准","body":"农村危房改造每户补助一万元。","published":"2015-05-01"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", jsonl); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	gen, err := os.ReadFile(filepath.Join(data, "index", "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	meta := filepath.Join(data, "index", strings.TrimSpace(string(gen)), "index_meta.json")
	if err := os.WriteFile(meta, []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--data", data, "search", "危房改造"); err == nil || !strings.Contains(err.Error(), "gongkai index --rebuild") {
		t.Fatalf("search on a corrupt index: %v, want the advice to rebuild", err)
	}
	out, errOut, err := run(t, "--data", data, "index", "--rebuild")
	if err != nil || !strings.Contains(out, "1 indexed") || !strings.Contains(errOut, "从数据库重建") {
		t.Fatalf("rebuild over a corrupt index: %v\n%s\n%s", err, out, errOut)
	}
	if out, _, err := run(t, "--data", data, "search", "--json", "危房改造"); err != nil || !strings.Contains(out, `"id":"p1"`) {
		t.Fatalf("search after the rebuild: %v\n%s", err, out)
	}
}

// TestDemoUnits runs `demo --units 3 --no-serve`: three townships crawled
// from their own loopback sites, and a county view whose figures are the
// sums of the units'.
func TestDemoUnits(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the demo township and two others")
	}
	data := filepath.Join(t.TempDir(), "demo")
	if out, errOut, err := run(t, "--data", data, "demo", "--units", "3", "--no-serve"); err != nil {
		t.Fatalf("demo --units 3: %v\n%s\n%s", err, out, errOut)
	}
	type figures struct {
		Unit        string `json:"unit"`
		Total       int    `json:"total"`
		TotalUnique int    `json:"total_unique"`
		Channels    map[string]struct {
			Count  int `json:"count"`
			Target int `json:"target"`
		} `json:"channels"`
		Adoption struct{ Sent, Adopted int } `json:"adoption"`
		Units    []struct {
			Unit        string `json:"unit"`
			Total       int    `json:"total"`
			TotalUnique int    `json:"total_unique"`
			Sent        int    `json:"sent"`
			Adopted     int    `json:"adopted"`
		} `json:"units"`
	}
	stats := func(args ...string) figures {
		t.Helper()
		out, errOut, err := run(t, append([]string{"--data", data, "stats", "--year", "2015", "--json"}, args...)...)
		if err != nil {
			t.Fatalf("stats %v: %v\n%s", args, err, errOut)
		}
		var f figures
		if err := json.Unmarshal([]byte(out), &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	county := stats()
	if county.Unit != "" || len(county.Units) != 3 || county.Units[0].Unit != "康大营镇" {
		t.Fatalf("county view: unit %q, units %+v", county.Unit, county.Units)
	}
	var total, unique, sent, adopted, portal, target int
	names := map[string]bool{}
	for _, u := range county.Units {
		f := stats("--unit", u.Unit)
		if f.Unit != u.Unit || f.Total != u.Total || f.TotalUnique != u.TotalUnique || f.Adoption.Sent != u.Sent || f.Adoption.Adopted != u.Adopted {
			t.Errorf("%s alone %+v, in the county view %+v", u.Unit, f, u)
		}
		if f.Channels["portal"].Count == 0 || f.Channels["portal"].Target == 0 || f.Adoption.Adopted == 0 {
			t.Errorf("%s has no portal items, no portal target or nothing adopted: %+v", u.Unit, f)
		}
		names[u.Unit] = true
		total, unique, sent, adopted = total+f.Total, unique+f.TotalUnique, sent+f.Adoption.Sent, adopted+f.Adoption.Adopted
		portal, target = portal+f.Channels["portal"].Count, target+f.Channels["portal"].Target
	}
	if len(names) != 3 {
		t.Errorf("unit names %v, want three distinct", names)
	}
	if county.Total != total || county.TotalUnique != unique || county.Adoption.Sent != sent || county.Adoption.Adopted != adopted ||
		county.Channels["portal"].Count != portal || county.Channels["portal"].Target != target {
		t.Errorf("county %+v, want the units' sums: total %d, unique %d, sent %d, adopted %d, portal %d of %d",
			county, total, unique, sent, adopted, portal, target)
	}
	if k := stats("--unit", "康大营镇"); k.Adoption.Sent != 36 || k.Adoption.Adopted != 53 || k.Channels["portal"].Count != 56 {
		t.Errorf("康大营镇 in a county: %+v, want its own figures (sent 36, adopted 53, portal 56)", k)
	}
}

// TestMemoryLimitOnlyWhileBuilding checks that search.memory_mb's soft limit
// is left to the index build: ingest puts the previous limit back, and
// search, stats and the rest never set it (under it a server's collector
// ran without pause).
func TestMemoryLimitOnlyWhileBuilding(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", `{"id":"p1","title":"关于农村最低生活保障申请条件的通知","body":"申请农村低保需要满足家庭人均收入低于当地低保标准。","published":"2015-03-02"}`)
	for _, args := range [][]string{{"ingest", jsonl}, {"search", "低保"}, {"index"}} {
		if _, errOut, err := run(t, append([]string{"--data", data}, args...)...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, errOut)
		}
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Fatalf("after %s the soft memory limit is %d, want %d as before", args[0], got, before)
		}
	}
}
