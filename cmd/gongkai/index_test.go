package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/indexer"
)

// TestIndexJSON: `index --json` prints what the update did as one JSON
// object, which `bench --copies` reads instead of the line of text; a
// rebuild and `--merge` say how many segments the index has; `--merge`
// says on stderr that one segment has nothing to merge, and stdout stays
// one JSON object.
func TestIndexJSON(t *testing.T) {
	data := t.TempDir()
	docs := writeFile(t, "docs.jsonl", `{"id":"a1","title":"春耕备耕工作通知","body":"各村做好春耕备耕。","published":"2015-03-02"}
{"id":"a2","title":"秸秆禁烧工作方案","body":"严禁露天焚烧秸秆。","published":"2015-06-01"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", docs); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	for _, c := range []struct {
		args     []string
		indexed  int
		segments int
	}{{[]string{"index", "--json"}, 0, 0}, {[]string{"index", "--rebuild", "--json"}, 2, 1}, {[]string{"index", "--merge", "--json"}, 0, 1}} {
		out, errOut, err := run(t, append([]string{"--data", data}, c.args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, errOut)
		}
		if nothing := strings.Contains(errOut, "索引只有 1 个段、2 篇文档，无需合并"); nothing != (c.args[1] == "--merge") {
			t.Errorf("%v: stderr %q, want the line saying one segment has nothing to merge exactly with --merge", c.args, errOut)
		}
		if strings.Contains(errOut, "开始合并索引") {
			t.Errorf("%v: stderr %q announces a merge of one segment", c.args, errOut)
		}
		var res indexer.SyncStats
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %q is not JSON: %v", c.args, out, err)
		}
		if res.Indexed != c.indexed || res.Docs != 2 || res.LastSeq < 2 || res.Segments != c.segments {
			t.Errorf("%v: %+v, want %d indexed of 2 documents, %d segment(s)", c.args, res, c.indexed, c.segments)
		}
	}
}
