package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchCopies runs `bench --copies` twice on a small corpus: the first
// run stores the copies and builds the index in a child process, the second
// finds both and reports the first build; each adds its table to the bench
// section of the file it writes. Copies of another corpus are refused.
func TestBenchCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts gongkai three times per run")
	}
	t.Setenv("GONGKAI_TEST_MAIN", "1") // the children bench starts are this test binary
	corpus := writeFile(t, "docs.jsonl", strings.Join([]string{
		`{"id":"p1","title":"关于农村最低生活保障申请条件的通知","body":"申请农村低保需要满足家庭人均收入低于当地低保标准。","published":"2015-03-02"}`,
		`{"id":"p2","title":"城乡居民医疗救助办法","body":"看病贵的家庭可以申请医疗救助，救助比例不低于百分之七十。","published":"2016-05-12"}`,
		`{"id":"p3","title":"关于印发政务公开工作要点的通知","body":"各乡镇人民政府：现将政务公开工作要点印发给你们，请认真贯彻执行。","published":"2020-01-08"}`,
	}, "\n"))
	queries := writeFile(t, "q.tsv", "q1\t低保申请条件\tp1\nq2\t医疗救助\tp2\n")
	data := filepath.Join(t.TempDir(), "data")
	md := writeFile(t, "BENCH.md", "# Benchmarks\n\n<!-- gongkai bench: start -->\nthe 1× table\n<!-- gongkai bench: end -->\n\nnotes\n")
	args := []string{"--data", data, "bench", corpus, "--copies", "4", "--queries", queries, "--write", md}
	out, _, err := run(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out)
	for _, want := range []string{"### docs.jsonl, 4 copies in a data folder", "12 (", "4 copies written by this run",
		"built by this run", "index                                                      12 documents, ",
		"query latency, title substrings, 8 client(s)", "query latency, q, 1 client(s)", "RSS after the runs"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench --copies output lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "bench-build.json")); err != nil {
		t.Errorf("no build record: %v", err)
	}
	again, _, err := run(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(again, "0 copies written by this run") || !strings.Contains(again, "built earlier, ") {
		t.Errorf("second run rebuilt:\n%s", again)
	}
	other := writeFile(t, "other.jsonl", `{"id":"z1","title":"另一份通知","body":"这不是同一个语料。"}`)
	if _, _, err := run(t, "--data", data, "bench", other, "--copies", "1"); err == nil || !strings.Contains(err.Error(), "not copies of this corpus") {
		t.Errorf("copies of another corpus into a store of copies: %v", err)
	}
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if strings.Count(doc, "### docs.jsonl, 4 copies") != 2 || !strings.Contains(doc, "the 1× table\n") ||
		!strings.HasSuffix(doc, "```\n<!-- gongkai bench: end -->\n\nnotes\n") {
		t.Errorf("bench section:\n%s", doc)
	}
}

// TestBenchCopiesBelowOne: --copies 0 or a negative count is refused,
// naming the flag, instead of running the in-process bench as if the flag
// had not been given.
func TestBenchCopiesBelowOne(t *testing.T) {
	corpus := writeFile(t, "docs.jsonl", `{"id":"p1","title":"城乡居民医疗救助办法","body":"看病贵的家庭可以申请医疗救助。","published":"2016-05-12"}`)
	for _, n := range []string{"0", "-2"} {
		out, _, err := run(t, "--data", filepath.Join(t.TempDir(), "data"), "bench", corpus, "--copies", n)
		if err == nil || !strings.Contains(err.Error(), "--copies "+n) {
			t.Errorf("bench --copies %s: %v, want a refusal naming the flag\n%s", n, err, out)
		}
	}
}

// TestBenchExistingWithoutIndex: --existing on a data folder holding no
// store and no index is refused, naming the folder, and creates nothing
// there (it used to create an empty store and index and measure those).
func TestBenchExistingWithoutIndex(t *testing.T) {
	corpus := writeFile(t, "docs.jsonl", `{"id":"p1","title":"城乡居民医疗救助办法","body":"看病贵的家庭可以申请医疗救助。","published":"2016-05-12"}`)
	data := t.TempDir()
	out, _, err := run(t, "--data", data, "bench", corpus, "--existing")
	if err == nil || !strings.Contains(err.Error(), "nothing to measure in "+data) {
		t.Errorf("bench --existing on an empty folder: %v, want a refusal naming it\n%s", err, out)
	}
	if ents, err := os.ReadDir(data); err != nil || len(ents) > 0 {
		t.Errorf("bench --existing created %v in the folder (%v)", ents, err)
	}
}
