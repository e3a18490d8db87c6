package esbulk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// openSample stores the first n documents of ../shared/eval in a new store.
func openSample(t *testing.T, n int) (*store.Store, []*store.Document) {
	t.Helper()
	docs, err := store.ReadJSONLFile(filepath.Join(shareddata.Path(t, "eval"), "corpus.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	docs = docs[:min(n, len(docs))]
	st, err := store.Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return st, docs
}

// item is one bulk item read back: its action and, for index, its source.
type item struct {
	op, index, id string
	source        map[string]any
}

// readBulk parses bulk NDJSON, failing on anything that is not a whole item.
func readBulk(t *testing.T, data []byte) []item {
	t.Helper()
	var out []item
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var a map[string]struct {
			Index string `json:"_index"`
			ID    string `json:"_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil || len(a) != 1 {
			t.Fatalf("bad action line %q: %v", sc.Text(), err)
		}
		for op, tg := range a {
			it := item{op: op, index: tg.Index, id: tg.ID}
			if op == "index" {
				if !sc.Scan() {
					t.Fatalf("index action of %s without a source line", tg.ID)
				}
				if err := json.Unmarshal(sc.Bytes(), &it.source); err != nil {
					t.Fatalf("source of %s: %v", tg.ID, err)
				}
			} else if op != "delete" {
				t.Fatalf("unexpected action %q", op)
			}
			out = append(out, it)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// asJSON is v as the engine would read it back from the NDJSON.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBulkRoundTrip: every document of the store appears once, with every
// field as the store holds it; a removed one as a delete; an export since the
// last sequence holds exactly what changed after it.
func TestBulkRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, docs := openSample(t, 300)
	removed := docs[7].ID
	if err := st.MarkRemoved(ctx, removed); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res, err := WriteBulk(ctx, st, 0, "gk-test", &buf)
	if err != nil {
		t.Fatal(err)
	}
	items := readBulk(t, buf.Bytes())
	seen := map[string]item{}
	for _, it := range items {
		if _, dup := seen[it.id]; dup {
			t.Fatalf("document %s appears twice", it.id)
		}
		if it.index != "gk-test" {
			t.Fatalf("document %s goes to index %q", it.id, it.index)
		}
		seen[it.id] = it
	}
	if len(seen) != len(docs) || res.Indexed != len(docs)-1 || res.Deleted != 1 {
		t.Fatalf("%d documents exported (%+v), want %d", len(seen), res, len(docs))
	}
	if seen[removed].op != "delete" {
		t.Fatalf("removed document exported as %q", seen[removed].op)
	}
	var maxSeq float64
	err = st.Changes(ctx, 0, func(seq int64, d *store.Document) error {
		it := seen[d.ID]
		if d.Status == store.StatusRemoved {
			return nil
		}
		if it.op != "index" {
			t.Fatalf("%s exported as %q", d.ID, it.op)
		}
		if want := asJSON(t, SourceOf(d, seq)); !reflect.DeepEqual(it.source, want) {
			t.Fatalf("%s: exported\n%v\nwant\n%v", d.ID, it.source, want)
		}
		if it.source["title"] != d.Title || it.source["body"] != d.Body || it.source["seq"] != float64(seq) {
			t.Fatalf("%s: title, body or seq differ from the store", d.ID)
		}
		maxSeq = max(maxSeq, float64(seq))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if last, _ := st.MaxSeq(ctx); res.LastSeq != last {
		t.Fatalf("LastSeq %d, store at %d", res.LastSeq, last)
	}

	// Incremental: only what was written after the last export.
	changed := *docs[42]
	changed.Body += "（修订）"
	if _, err := st.Upsert(ctx, &changed); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	res2, err := WriteBulk(ctx, st, res.LastSeq, "gk-test", &buf)
	if err != nil {
		t.Fatal(err)
	}
	items = readBulk(t, buf.Bytes())
	if len(items) != 1 || items[0].id != changed.ID || items[0].source["body"] != changed.Body || res2.LastSeq <= res.LastSeq {
		t.Fatalf("incremental export: %d items (%+v)", len(items), res2)
	}
	buf.Reset()
	if res3, err := WriteBulk(ctx, st, res2.LastSeq, "gk-test", &buf); err != nil || buf.Len() != 0 || res3.LastSeq != res2.LastSeq {
		t.Fatalf("export with nothing new: %d bytes, %+v, %v", buf.Len(), res3, err)
	}
}

// TestWriteDir writes an export folder and reads every file back: bulk files
// that hold each document once and stay under their bound, a template that is
// valid JSON, the dictionary and synonyms of the thesaurus; a second export
// into the same folder is refused.
func TestWriteDir(t *testing.T) {
	ctx := context.Background()
	st, docs := openSample(t, 600)
	cfg := config.Default()
	cfg.Search.UserDict = []string{"康大营镇", "前屯村"}
	exp, err := indexer.Expansions(cfg, []indexer.Entry{{Word: "低保", Official: []string{"最低生活保障"}, Source: indexer.SourceStaff}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	const chunk = 1 << 20
	res, err := WriteDir(ctx, st, 0, dir, Dir{Index: "gongkai", UserDict: cfg.Search.UserDict, Expansions: exp, ChunkBytes: chunk})
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	readJSON(t, filepath.Join(dir, ManifestFile), &m)
	if m.Indexed != len(docs) || m.LastSeq != res.LastSeq || len(m.Bulk) < 2 {
		t.Fatalf("manifest %+v for %d documents (about 9 MB: want several bulk files)", m, len(docs))
	}
	ids := map[string]bool{}
	for _, name := range m.Bulk {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		items := readBulk(t, data)
		if len(data) > chunk && len(items) > 1 {
			t.Fatalf("%s: %d bytes in %d items, over the %d-byte bound", name, len(data), len(items), chunk)
		}
		for _, it := range items {
			if ids[it.id] {
				t.Fatalf("%s twice", it.id)
			}
			ids[it.id] = true
		}
	}
	if len(ids) != len(docs) {
		t.Fatalf("%d documents in the bulk files, want %d", len(ids), len(docs))
	}
	var tmpl map[string]any
	readJSON(t, filepath.Join(dir, TemplateFile), &tmpl)
	dic := readText(t, filepath.Join(dir, IKDictPath))
	for _, w := range []string{"康大营镇", "前屯村", "低保", "最低生活保障"} {
		if !strings.Contains("\n"+dic, "\n"+w+"\n") {
			t.Errorf("IK dictionary lacks %s", w)
		}
	}
	if !strings.Contains(readText(t, filepath.Join(dir, IKConfigPath)), ">gongkai.dic<") {
		t.Error("IKAnalyzer.cfg.xml does not load gongkai.dic")
	}
	if got := parseSynonyms(t, readText(t, filepath.Join(dir, SynonymsPath))); !reflect.DeepEqual(got, exp) {
		t.Errorf("synonym file does not hold the thesaurus: %d words, want %d", len(got), len(exp))
	}
	if _, err := WriteDir(ctx, st, 0, dir, Dir{Index: "gongkai"}); err == nil || !strings.Contains(err.Error(), "holds an export") {
		t.Fatalf("second export into the same folder: %v", err)
	}
}

// parseSynonyms reads "w => w, a, b" rules back into word -> [a b].
func parseSynonyms(t *testing.T, text string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		left, right, ok := strings.Cut(line, " => ")
		parts := strings.Split(right, ", ")
		if !ok || parts[0] != left {
			t.Fatalf("bad rule %q", line)
		}
		out[left] = parts[1:]
	}
	return out
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s is not valid JSON: %v", path, err)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTemplateMatchesScaling checks the template against docs/SCALING.md:
// valid JSON, every field of its table mapped with the type and analyser it
// names (and nothing else mapped), every analyser it names defined.
func TestTemplateMatchesScaling(t *testing.T) {
	doc := readText(t, "../../docs/SCALING.md")
	_, rest, _ := strings.Cut(doc, "<!-- esbulk fields: start -->")
	table, _, ok := strings.Cut(rest, "<!-- esbulk fields: end -->")
	if !ok {
		t.Fatal("docs/SCALING.md has no esbulk fields table")
	}
	b, err := Template("gongkai")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		IndexPatterns []string `json:"index_patterns"`
		Template      struct {
			Settings struct {
				Index struct {
					Similarity map[string]map[string]any `json:"similarity"`
				} `json:"index"`
				Analysis struct {
					Analyzer map[string]map[string]any `json:"analyzer"`
					Filter   map[string]map[string]any `json:"filter"`
				} `json:"analysis"`
			} `json:"settings"`
			Mappings struct {
				Dynamic    bool                      `json:"dynamic"`
				Properties map[string]map[string]any `json:"properties"`
			} `json:"mappings"`
		} `json:"template"`
	}
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatalf("template is not valid JSON: %v", err)
	}
	props := tmpl.Template.Mappings.Properties
	listed := map[string]bool{}
	for line := range strings.Lines(table) {
		cols := strings.Split(line, "|")
		if len(cols) < 5 || !strings.HasPrefix(strings.TrimSpace(cols[1]), "`") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cols[1]), "`")
		typ, analyzer := strings.TrimSpace(cols[2]), strings.TrimSpace(cols[3])
		listed[name] = true
		p, ok := props[name]
		if !ok {
			t.Errorf("SCALING.md names %s, the template does not map it", name)
			continue
		}
		if p["type"] != typ {
			t.Errorf("%s: template type %v, SCALING.md %s", name, p["type"], typ)
		}
		if got, _ := p["analyzer"].(string); got != analyzer {
			t.Errorf("%s: template analyser %q, SCALING.md %q", name, got, analyzer)
		}
	}
	for name := range props {
		if !listed[name] {
			t.Errorf("the template maps %s, SCALING.md does not list it", name)
		}
	}
	an := tmpl.Template.Settings.Analysis
	for _, a := range []string{AnalyzerWords, AnalyzerSearch, AnalyzerBigram} {
		if an.Analyzer[a] == nil || !strings.Contains(doc, "`"+a+"`") {
			t.Errorf("analyser %s: defined %v, in SCALING.md %v", a, an.Analyzer[a] != nil, strings.Contains(doc, "`"+a+"`"))
		}
	}
	if an.Filter[FilterSynonyms]["synonyms_path"] != SynonymsPath || tmpl.Template.Settings.Index.Similarity[SimilarityBM25]["k1"] != 2.0 {
		t.Error("synonym filter or similarity missing")
	}
	if tmpl.Template.Mappings.Dynamic || len(tmpl.IndexPatterns) != 1 || tmpl.IndexPatterns[0] != "gongkai*" {
		t.Errorf("dynamic %v, patterns %v", tmpl.Template.Mappings.Dynamic, tmpl.IndexPatterns)
	}
}
