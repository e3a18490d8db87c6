package main

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// holdDataLock takes the data directory's lock exclusively, as a running
// restore holds it, until the returned function is called.
func holdDataLock(t *testing.T, data string) func() {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(data, dataLockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		t.Fatal(err)
	}
	return func() { f.Close() }
}

// TestCommandsRefuseDuringRestore: while a restore holds the data
// directory, every command that would write it (ingest, crawl, purge,
// index, serve) or copy it (backup) refuses at once, naming the restore,
// and changes nothing there; once the restore is over they run. Before,
// only serve looked at restore's lock, and ingest wrote into the folder
// being replaced.
func TestCommandsRefuseDuringRestore(t *testing.T) {
	data := t.TempDir()
	first := writeFile(t, "first.jsonl", `{"id":"a1","title":"春耕备耕工作通知","body":"各村做好春耕备耕。","published":"2015-03-02"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", first); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	second := writeFile(t, "second.jsonl", `{"id":"a2","title":"秸秆禁烧工作方案","body":"严禁露天焚烧秸秆。","published":"2015-06-01"}`)
	cfg := writeFile(t, "gongkai.yaml", "sources:\n  - name: 通知公告\n    kind: feed\n    url: http://127.0.0.1:9/feed\n    allow_private: true\n")
	release := holdDataLock(t, data)
	before := listData(data)
	refusal := "gongkai restore 正在恢复数据目录 " + data
	for _, args := range [][]string{
		{"ingest", second},
		{"--config", cfg, "crawl"},
		{"purge", "--reason", "测试", "a1"},
		{"index"},
		{"index", "--rebuild"},
		{"backup", filepath.Join(t.TempDir(), "backup")},
	} {
		_, _, err := run(t, append([]string{"--data", data}, args...)...)
		if err == nil || !strings.Contains(err.Error(), refusal) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("%v during a restore: %v, want a refusal naming the restore", args, err)
		}
	}
	// serve as its own process, which would otherwise serve until stopped.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := gongkai(ctx, "--data", data, "serve", "--addr", "127.0.0.1:0").CombinedOutput(); err == nil || !strings.Contains(string(out), refusal) {
		t.Errorf("serve during a restore: %v\n%s", err, out)
	}
	if after := listData(data); len(before) < 3 || !maps.Equal(before, after) {
		t.Errorf("the data directory changed:\nbefore %v\nafter  %v", before, after)
	}
	if n := docCount(t, data); n != 1 {
		t.Errorf("%d documents stored during the restore, want the 1 from before", n)
	}
	release()
	if out, errOut, err := run(t, "--data", data, "ingest", second); err != nil || !strings.Contains(out, "1 new") {
		t.Errorf("ingest after the restore: %v\n%s%s", err, out, errOut)
	}
}

// TestRestoreRefusesWhileCrawling: a restore, with or without --force,
// refuses while a `gongkai crawl` process works on the data directory (here
// waiting for a slow site), saying which kind of command holds it and
// changing nothing; once the crawl has ended the same restore runs. Before,
// restore looked only for a running serve and replaced the database under
// the crawl.
func TestRestoreRefusesWhileCrawling(t *testing.T) {
	backup, data := backupAndData(t)
	reached, slow := make(chan struct{}), make(chan struct{})
	var once sync.Once
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(reached) })
		select {
		case <-slow:
		case <-r.Context().Done():
		}
		http.NotFound(w, r)
	}))
	defer site.Close()
	answer := sync.OnceFunc(func() { close(slow) })
	defer answer() // before the server's Close, which waits for its requests
	cfg := writeFile(t, "gongkai.yaml", "sources:\n  - name: 通知公告\n    kind: feed\n    url: "+site.URL+"/feed\n    allow_private: true\n")
	crawl := gongkai(context.Background(), "--data", data, "--config", cfg, "crawl")
	if err := crawl.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- crawl.Wait() }()
	t.Cleanup(func() { crawl.Process.Kill() }) // if the test stops early
	select {
	case <-reached:
	case err := <-ended:
		t.Fatalf("the crawl ended before it reached the site: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the crawl did not reach the site within 2 minutes")
	}

	before := listData(data)
	for _, args := range [][]string{{"restore", "--force", backup}, {"restore", backup}} {
		_, _, err := run(t, append([]string{"--data", data}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "另一个 gongkai 命令") ||
			!strings.Contains(err.Error(), "another gongkai command (ingest, crawl, purge, index, backup …) is using "+data) {
			t.Errorf("%v while crawling: %v, want a refusal naming the running command", args, err)
		}
	}
	if after := listData(data); !maps.Equal(before, after) {
		t.Errorf("the data directory changed:\nbefore %v\nafter  %v", before, after)
	}
	answer()
	select {
	case <-ended:
	case <-time.After(2 * time.Minute):
		t.Fatal("the crawl did not end within 2 minutes of the site answering")
	}
	if out, errOut, err := run(t, "--data", data, "restore", "--force", backup); err != nil {
		t.Fatalf("restore after the crawl: %v\n%s%s", err, out, errOut)
	}
	if out, _, err := run(t, "--data", data, "search", "防汛"); err != nil || !strings.Contains(out, "防汛抗旱应急预案") {
		t.Errorf("search of the restored data: %v\n%s", err, out)
	}
}

// TestDemoWaitsForTheDataLock: `gongkai demo` empties its folder only under
// the data directory's lock: while a restore (exclusive) or a serve or
// crawl (shared) uses the folder it refuses and deletes nothing. Before, it
// wiped the folder under their feet.
func TestDemoWaitsForTheDataLock(t *testing.T) {
	data := t.TempDir()
	for _, name := range []string{demoMarker, "gongkai.db"} {
		if err := os.WriteFile(filepath.Join(data, name), []byte("demo data"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	shared := func(t *testing.T, data string) func() {
		f, err := os.OpenFile(filepath.Join(data, dataLockName), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
			t.Fatal(err)
		}
		return func() { f.Close() }
	}
	for name, hold := range map[string]func(*testing.T, string) func(){"restore": holdDataLock, "serve": shared} {
		release := hold(t, data)
		_, _, err := run(t, "--data", data, "demo", "--no-serve", "--years", "2015-2015")
		release()
		if err == nil || !strings.Contains(err.Error(), "is using "+data) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("demo while %s holds the folder: %v, want a refusal", name, err)
		}
		if b, err := os.ReadFile(filepath.Join(data, "gongkai.db")); err != nil || string(b) != "demo data" {
			t.Fatalf("demo while %s holds the folder: the store is %q (%v), want it untouched", name, b, err)
		}
	}
}
