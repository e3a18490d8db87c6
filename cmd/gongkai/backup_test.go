package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
	"github.com/gongkai-project/gongkai/web"
)

// evalSample writes the first n documents of ../shared/eval's corpus to a JSONL file.
func evalSample(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open("../../../shared/eval/corpus.jsonl.gz")
	if err != nil {
		t.Skip("../shared/eval is absent: ", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	var lines []string
	for len(lines) < n && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return writeFile(t, "sample.jsonl", strings.Join(lines, "\n")+"\n")
}

// TestBackupRestore backs up a store with documents and an attachment file
// while a server reads it, restores into a new data directory and compares
// the document count and the search results.
func TestBackupRestore(t *testing.T) {
	src := evalSample(t, 300)
	data := t.TempDir()
	if _, _, err := run(t, "--data", data, "ingest", src); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(data, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	sha, err := st.PutFile([]byte("%PDF-1.4 附件"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	ix, err := indexer.OpenOrCreate(filepath.Join(data, "index"), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Options{Store: st, Index: ix, Config: cfg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	var served atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the running server reads the store throughout the backup
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(ts.URL + "/api/search?q=" + url.QueryEscape("管理办法"))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					served.Add(1)
				}
			}
		}
	}()
	backup := filepath.Join(t.TempDir(), "b")
	out, _, err := run(t, "--data", data, "backup", backup)
	close(stop)
	<-done
	ts.Close()
	srv.Close()
	ix.Close()
	want, _ := st.Count(context.Background())
	st.Close()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if served.Load() == 0 {
		t.Error("the server answered no search during the backup")
	}
	t.Log(strings.TrimSpace(out))
	for path, mode := range map[string]os.FileMode{"": 0o700, "gongkai.db": 0o600, manifestName: 0o600,
		"attachments/" + sha[:2] + "/" + sha[2:]: 0o600} {
		fi, err := os.Stat(filepath.Join(backup, path))
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("backup %q: %v, %v, want mode %v", path, fi, err, mode)
		}
	}

	if _, _, err := run(t, "--data", data, "restore", backup); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a data directory in use: %v, want a refusal", err)
	}
	restored := filepath.Join(t.TempDir(), "data")
	if _, _, err := run(t, "--data", restored, "restore", backup); err != nil {
		t.Fatalf("restore: %v", err)
	}
	st2, err := store.Open(filepath.Join(restored, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := st2.Count(context.Background())
	_, ferr := os.Stat(st2.FilePath(sha))
	st2.Close()
	if got != want || want == 0 || ferr != nil {
		t.Errorf("restored %d documents (attachment: %v), backed up %d", got, ferr, want)
	}
	hits := 0
	for _, q := range []string{"管理办法", "通知", "条例", "补贴"} {
		a, _, err1 := run(t, "--data", data, "search", "--json", q)
		b, _, err2 := run(t, "--data", restored, "search", "--json", q)
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("search %q differs after restore (%v, %v):\n%s\n%s", q, err1, err2, a, b)
		}
		var res struct{ Total int }
		if json.Unmarshal([]byte(a), &res) == nil {
			hits += res.Total
		}
	}
	if hits == 0 {
		t.Error("no query found anything: the comparison proves nothing")
	}

	// --force replaces what a data folder holds; the index is built again.
	if _, _, err := run(t, "--data", restored, "restore", "--force", backup); err != nil {
		t.Errorf("restore --force over a restored folder: %v", err)
	} else if a, _, _ := run(t, "--data", restored, "search", "--json", "通知"); !strings.Contains(a, `"total"`) {
		t.Errorf("search after restore --force: %s", a)
	}

	// A file changed after the backup is caught before anything is copied.
	if err := os.WriteFile(filepath.Join(backup, "gongkai.db"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--data", t.TempDir(), "restore", backup); err == nil || !strings.Contains(err.Error(), "differs from the manifest") {
		t.Errorf("restore of a damaged backup: %v", err)
	}
}
