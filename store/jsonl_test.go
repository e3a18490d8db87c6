package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseJSONLine(t *testing.T) {
	good := `{"id":"a1","title":"标题","body":"正文","published":"2015-12-31","channel":"portal","meta":{"有效性":"有效"}}`
	d, err := ParseJSONLine([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2015, 12, 31, 0, 0, 0, 0, Beijing); !d.Published.Equal(want) {
		t.Fatalf("published %v, want %v", d.Published, want)
	}
	for line, want := range map[string]string{
		`{"title":"t","body":"b"}`:                             "missing id",
		`{"id":"x","body":"b"}`:                                "missing title",
		`{"id":"x","title":"t","body":"  "}`:                   "missing body",
		`{"id":"x","title":"t","body":"b","tilte":"typo"}`:     "unknown field",
		`{"id":"x","title":"t","body":"b","published":"昨天"}`:   "published: unrecognised date",
		`{"id":"x","title":"t","body":"b","channel":"Portal"}`: "invalid channel",
		`{"id":"x","title":"t","body":"b","status":"gone"}`:    "invalid status",
		`{"id":"x","title":"t","body":"b"} {"id":"y"}`:         "more than one",
		`{"id":"x","title":`:                                   "invalid JSON",
	} {
		if _, err := ParseJSONLine([]byte(line)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", line, err, want)
		}
	}
}

func TestIngestReportsLinesAndCounts(t *testing.T) {
	s := openTemp(t)
	input := strings.Join([]string{
		`{"id":"1","title":"一","body":"正文一"}`,
		`{"id":"2","title":"","body":"正文二"}`,
		``,
		`{"id":"3","title":"三","body":"正文三","published":"2015-02-30"}`,
		`{"id":"1","title":"一again","body":"x"}`,
		`{"id":"4","title":"四","body":"正文四"}`,
	}, "\n")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(input))
	zw.Close()
	var rejected []string
	st, err := s.Ingest(context.Background(), &buf, 2, func(e *LineError) { rejected = append(rejected, e.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	if st != (IngestStats{New: 2, Rejected: 3}) {
		t.Fatalf("stats %+v", st)
	}
	want := []string{"line 2: missing title", "line 4: published", "line 5: duplicate id"}
	for i, w := range want {
		if i >= len(rejected) || !strings.HasPrefix(rejected[i], w) {
			t.Fatalf("rejected %q, want prefixes %q", rejected, want)
		}
	}
	st, err = s.Ingest(context.Background(), strings.NewReader(input), 2, func(*LineError) {})
	if err != nil || st.Unchanged != 2 || st.New != 0 {
		t.Fatalf("second ingest %+v %v", st, err)
	}
}

func TestIngestLongLine(t *testing.T) {
	s := openTemp(t)
	long := `{"id":"big","title":"t","body":"` + strings.Repeat("长", MaxLineBytes/3+10) + `"}`
	input := long + "\n" + `{"id":"ok","title":"t","body":"b"}` + "\n"
	var rej []*LineError
	st, err := s.Ingest(context.Background(), strings.NewReader(input), 10, func(e *LineError) { rej = append(rej, e) })
	if err != nil || st.New != 1 || len(rej) != 1 || rej[0].Line != 1 {
		t.Fatalf("long line: %+v %v %v", st, rej, err)
	}
}

const childEnv = "GONGKAI_STORE_INGEST_CHILD"

// TestIngestChild is the process TestIngestKilled kills; it does nothing in a normal run.
func TestIngestChild(t *testing.T) {
	spec := os.Getenv(childEnv)
	if spec == "" {
		t.Skip("helper process for TestIngestKilled")
	}
	db, file, _ := strings.Cut(spec, "|")
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	s.Ingest(context.Background(), f, 25, func(*LineError) {})
	s.Close()
}

// TestIngestKilled kills an ingest with SIGKILL at several moments and
// checks that the database is consistent and a re-run completes it.
func TestIngestKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "docs.jsonl")
	const total = 3000
	var buf bytes.Buffer
	for i := range total {
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("k%05d", i), "title": fmt.Sprintf("文件%d", i),
			"body": strings.Repeat("农村低保申请条件和办理流程。", 40), "published": "2015-06-01"})
		buf.Write(append(line, '\n'))
	}
	os.WriteFile(file, buf.Bytes(), 0o644)
	db := filepath.Join(dir, "gongkai.db")
	for i, delay := range []time.Duration{150, 400, 800} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIngestChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+db+"|"+file)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		s, err := Open(db)
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", i, err)
		}
		var check string
		s.db.QueryRow("PRAGMA integrity_check").Scan(&check)
		n, _ := s.Count(context.Background())
		seq, _ := s.MaxSeq(context.Background())
		s.Close()
		if check != "ok" || n%25 != 0 || int64(n) != seq {
			t.Fatalf("kill %d after %v: integrity %q, %d documents (want whole batches of 25), max seq %d", i, delay, check, n, seq)
		}
		t.Logf("kill %d after %v: %d documents committed", i, delay*time.Millisecond, n)
	}
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, _ := s.Count(context.Background())
	f, _ := os.Open(file)
	defer f.Close()
	st, err := s.Ingest(context.Background(), f, 25, func(e *LineError) { t.Error(e) })
	if err != nil || st.New+st.Unchanged != total || st.Unchanged != before {
		t.Fatalf("re-run: %+v %v (had %d)", st, err, before)
	}
}

func FuzzParseJSONLine(f *testing.F) {
	for _, s := range []string{
		`{"id":"a1","title":"标题","body":"正文","published":"2015-12-31","channel":"portal"}`,
		`{"id":"x","title":"t","body":"b","attachments":[{"name":"a.pdf","url":"http://x/a.pdf"}],"meta":{"k":"v"}}`,
		`{"id":"x","title":"t","body":"b","published":"2015-12-31T16:30:00Z","status":"removed"}`,
		`{"id":1}`, `[]`, `{"id":"x","title":"t","body":"b"}{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		d, err := ParseJSONLine(line)
		if err != nil {
			return
		}
		if d.ID == "" || d.Title == "" || strings.TrimSpace(d.Body) == "" {
			t.Fatalf("accepted a line without id, title or body: %q", line)
		}
	})
}

// TestReadJSONLFile reads the same lines plain and gzipped, blank lines
// skipped, and refuses a line that does not parse with an error naming the
// file and the line.
func TestReadJSONLFile(t *testing.T) {
	dir := t.TempDir()
	text := "{\"id\":\"a1\",\"title\":\"春耕备耕工作通知\",\"body\":\"各村做好春耕备耕。\"}\n\n  \n{\"id\":\"a2\",\"title\":\"秸秆禁烧工作方案\",\"body\":\"严禁露天焚烧秸秆。\"}\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	for name, b := range map[string][]byte{"docs.jsonl": []byte(text), "docs.jsonl.gz": gz.Bytes()} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		docs, err := ReadJSONLFile(path)
		if err != nil || len(docs) != 2 || docs[0].ID != "a1" || docs[1].Title != "秸秆禁烧工作方案" {
			t.Errorf("%s: %d documents, %v", name, len(docs), err)
		}
	}
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(text+"\n{\"id\":\"a3\",\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJSONLFile(bad); err == nil || !strings.Contains(err.Error(), bad+" line 6:") {
		t.Errorf("a bad line: %v, want an error naming %s line 6", err, bad)
	}
}
