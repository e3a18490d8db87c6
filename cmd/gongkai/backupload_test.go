package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// loadClients is how many clients search the server while it is backed up.
const loadClients = 50

// loadConfig lets the test's 50 clients, each with its own address behind a
// proxy on loopback as behind nginx, search as fast as the server answers.
const loadConfig = `server:
  trusted_proxies: [127.0.0.1/32]
  search_rate: 1000
  search_burst: 1000
`

// shortQueries returns the first n distinct queries of ../shared/eval's short query set.
func shortQueries(t *testing.T, n int) []string {
	t.Helper()
	f, err := os.Open("../../../shared/eval/queries_short_dev.tsv")
	if err != nil {
		t.Skip("../shared/eval is absent: ", err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(qs) < n {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) >= 2 && fields[1] != "" && !slices.Contains(qs, fields[1]) {
			qs = append(qs, fields[1])
		}
	}
	return qs
}

// searchIDs asks base's /api/search for q as the client at addr (sent as
// X-Forwarded-For) and returns the total and the ids of the first page in order.
func searchIDs(client *http.Client, base, q, addr string) (uint64, []string, error) {
	req, err := http.NewRequest(http.MethodGet, base+"/api/search?q="+url.QueryEscape(q), nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, nil, fmt.Errorf("search %q: %s", q, resp.Status)
	}
	var res struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return 0, nil, fmt.Errorf("search %q: %w", q, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return res.Total, ids, nil
}

// results is what a server answers for each query: the total, then the ids of the first page.
func results(t *testing.T, client *http.Client, base string, queries []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range queries {
		total, ids, err := searchIDs(client, base, q, "198.51.100.1")
		if err != nil {
			t.Fatal(err)
		}
		out[q] = fmt.Sprint(total, ids)
	}
	return out
}

func docCount(t *testing.T, data string) int {
	t.Helper()
	st, err := store.Open(filepath.Join(data, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackupUnderLoad runs `gongkai serve` on 600 documents of the eval
// corpus, searches it from 50 clients over loopback, runs `gongkai backup`
// while they do (their searches are written to the query log meanwhile),
// restores into a new data directory, serves that, and checks that the
// document count and the answers to 40 queries (total and the ids of the
// first page, in order) are the same. Every answer under load must be a
// 200 with the same ids as before the load.
func TestBackupUnderLoad(t *testing.T) {
	src := evalSample(t, 600)
	queries := shortQueries(t, 40)
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "gongkai.yaml"), []byte(loadConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := run(t, "--data", data, "ingest", src); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	base := startServe(t, data)
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
	want := results(t, client, base, queries)
	found := 0
	for _, r := range want {
		if !strings.HasPrefix(r, "0 ") {
			found++
		}
	}
	if found < len(queries)/2 {
		t.Fatalf("only %d of %d queries find anything: the comparison would prove little", found, len(queries))
	}

	var answered, failed atomic.Int64
	var firstErr sync.Once
	var loadErr error
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := fmt.Sprintf("203.0.113.%d", c+1)
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := queries[i%len(queries)]
				total, ids, err := searchIDs(client, base, q, addr)
				if err == nil && fmt.Sprint(total, ids) != want[q] {
					err = fmt.Errorf("search %q under load: %d %v, want %s", q, total, ids, want[q])
				}
				if err != nil {
					failed.Add(1)
					firstErr.Do(func() { loadErr = err })
					continue
				}
				answered.Add(1)
			}
		}()
	}
	for answered.Load() < loadClients && failed.Load() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	backup := filepath.Join(t.TempDir(), "backup")
	before := answered.Load()
	start := time.Now()
	out, errOut, err := run(t, "--data", data, "backup", backup)
	took := time.Since(start)
	during := answered.Load() - before
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup under load: %v\n%s", err, errOut)
	}
	t.Logf("%s; the backup took %s while %d clients got %d answers (%d in all, %d failed)",
		strings.TrimSpace(out), took.Round(time.Millisecond), loadClients, during, answered.Load(), failed.Load())
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d searches failed under load, the first: %v", n, loadErr)
	}
	if during == 0 {
		t.Fatal("no search was answered while the backup ran: it was not a backup under load")
	}

	restored := filepath.Join(t.TempDir(), "data")
	if _, errOut, err := run(t, "--data", restored, "restore", backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, errOut)
	}
	if got, want := docCount(t, restored), docCount(t, data); got != want || want == 0 {
		t.Errorf("restored %d documents, served %d", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(restored, "gongkai.yaml")); err != nil || string(b) != loadConfig {
		t.Errorf("restored configuration: %q, %v", b, err)
	}
	got := results(t, client, startServe(t, restored), queries)
	for _, q := range queries {
		if got[q] != want[q] {
			t.Errorf("search %q after restore: %s, before the backup: %s", q, got[q], want[q])
		}
	}
}

// backupAndData makes a backup of a data directory holding one document
// (防汛抗旱应急预案) and another data directory holding another (春耕备耕工作通知).
func backupAndData(t *testing.T) (backup, data string) {
	t.Helper()
	other := t.TempDir()
	doc := writeFile(t, "other.jsonl", `{"id":"b1","title":"防汛抗旱应急预案","body":"做好汛期值守。","published":"2016-05-02"}`)
	if _, errOut, err := run(t, "--data", other, "ingest", doc); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	backup = filepath.Join(t.TempDir(), "backup")
	if _, errOut, err := run(t, "--data", other, "backup", backup); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut)
	}

	data = t.TempDir()
	first := writeFile(t, "first.jsonl", `{"id":"a1","title":"春耕备耕工作通知","body":"各村做好春耕备耕。","published":"2015-03-02"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", first); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	return backup, data
}

// TestRestoreWhileServing: restore, with or without --force, refuses while
// gongkai serve holds the data directory, and changes nothing there.
func TestRestoreWhileServing(t *testing.T) {
	backup, data := backupAndData(t)
	base := startServe(t, data)
	before := listData(data)
	for _, args := range [][]string{{"restore", "--force", backup}, {"restore", backup}} {
		_, _, err := run(t, append([]string{"--data", data}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "gongkai serve 正在使用数据目录") ||
			!strings.Contains(err.Error(), "gongkai serve is running on "+data) {
			t.Errorf("%v while serving: %v, want a refusal naming the running serve", args, err)
		}
	}
	if after := listData(data); len(before) < 2 || !maps.Equal(before, after) {
		t.Errorf("the data directory changed:\nbefore %v\nafter  %v", before, after)
	}
	if n := searchTotal(t, base, "春耕"); n != 1 {
		t.Errorf("the server finds 春耕 %d times after the refused restore", n)
	}
	if n := searchTotal(t, base, "防汛"); n != 0 {
		t.Errorf("the server finds the backup's 防汛 %d times after the refused restore", n)
	}
}

// listData is every file of the data directory with its inode, and but
// for the database (which a server may write) its size and modification time.
func listData(data string) map[string]string {
	m := map[string]string{}
	filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "-wal") || strings.HasSuffix(p, "-shm") {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		m[p] = fmt.Sprint(fi.Sys().(*syscall.Stat_t).Ino)
		if d.Name() != "gongkai.db" {
			m[p] += fmt.Sprint(" ", fi.Size(), fi.ModTime())
		}
		return nil
	})
	return m
}

// TestServeDuringRestore: a serve started while restore replaces the data
// directory's files (restore holds the data directory's lock) refuses before
// it reads the configuration or opens the database, so it creates nothing
// that the restore's copies would collide with.
func TestServeDuringRestore(t *testing.T) {
	for _, yaml := range []string{"", "not: [yaml"} { // no configuration yet, or one half copied
		data := t.TempDir()
		unlock := holdDataLock(t, data) // as restoreCmd does
		if yaml != "" {
			if err := os.WriteFile(filepath.Join(data, "gongkai.yaml"), []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		// As its own process, which would otherwise serve until stopped.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := gongkai(ctx, "--data", data, "serve", "--addr", "127.0.0.1:0").CombinedOutput()
		cancel()
		if err == nil || !strings.Contains(string(out), "gongkai restore 正在恢复数据目录") {
			t.Errorf("serve during a restore (configuration %q): %v, want a refusal naming the restore:\n%s", yaml, err, out)
		}
		for _, name := range []string{"gongkai.db", "gongkai.db-wal", "gongkai.db-shm"} {
			if _, err := os.Stat(filepath.Join(data, name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("serve during a restore (configuration %q) left %s in the data directory (%v)", yaml, name, err)
			}
		}
		unlock()
	}
}
