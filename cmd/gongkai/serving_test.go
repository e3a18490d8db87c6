package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// TestMain runs the command itself when GONGKAI_TEST_MAIN is set, so that
// tests can start gongkai as a separate process (serve, a command to signal).
func TestMain(m *testing.M) {
	if os.Getenv("GONGKAI_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// gongkai returns the test binary set up to run the CLI with args.
func gongkai(ctx context.Context, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, os.Args[0], args...)
	c.Env = append(os.Environ(), "GONGKAI_TEST_MAIN=1")
	return c
}

// startServe starts `gongkai serve` as its own process and returns its URL.
func startServe(t *testing.T, data string) string {
	t.Helper()
	u, _ := startGongkai(t, "--data", data, "serve", "--addr", "127.0.0.1:0")
	return u
}

// startGongkai starts gongkai with args, which must serve, as its own
// process and returns its URL and the process; the test's end sends it
// SIGTERM and waits for it.
func startGongkai(t *testing.T, args ...string) (string, *exec.Cmd) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := gongkai(ctx, args...)
	c.Cancel = func() error { return c.Process.Signal(syscall.SIGTERM) }
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); c.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`msg=serving url=(\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return u, c
	case <-time.After(3 * time.Minute): // loading the dictionaries takes a minute on a busy 2-core machine
		t.Fatal("gongkai serve did not start within 3 minutes")
	}
	return "", nil
}

func searchTotal(t *testing.T, base, q string) int {
	t.Helper()
	resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// TestIngestWhileServing: `gongkai ingest` while `gongkai serve` runs on
// the same data stores its documents, says the server indexes them and
// exits at once; the server makes them searchable without a restart.
func TestIngestWhileServing(t *testing.T) {
	data := t.TempDir()
	first := writeFile(t, "first.jsonl", `{"id":"a1","title":"春耕备耕工作通知","body":"各村做好春耕备耕。","published":"2015-03-02"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", first); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	base := startServe(t, data)
	if n := searchTotal(t, base, "春耕"); n != 1 {
		t.Fatalf("before: 春耕 finds %d", n)
	}

	second := writeFile(t, "second.jsonl", `{"id":"a2","title":"秸秆禁烧工作方案","body":"严禁露天焚烧秸秆。","published":"2015-06-01"}`)
	start := time.Now()
	out, errOut, err := run(t, "--data", data, "ingest", second)
	if err != nil {
		t.Fatalf("ingest while serving: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "1 new") || !strings.Contains(out, "gongkai serve 正在运行，新文档将由它编入索引") {
		t.Fatalf("ingest while serving said:\n%s%s", out, errOut)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("ingest while serving took %s", d)
	}
	deadline := time.Now().Add(30 * time.Second)
	for searchTotal(t, base, "秸秆") != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the ingested document is not searchable 30 s later")
		}
		time.Sleep(200 * time.Millisecond)
	}

	// A command that needs the index itself waits, then says why it cannot have it.
	_, _, err = run(t, "--data", data, "--lock-wait", "300ms", "search", "秸秆")
	if err == nil || !strings.Contains(err.Error(), "gongkai serve is running") || !strings.Contains(err.Error(), "waited 300ms") {
		t.Errorf("search while serving: %v", err)
	}
	// A second server on the same data is refused.
	_, _, err = run(t, "--data", data, "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "another gongkai serve") {
		t.Errorf("second serve: %v", err)
	}
}

// TestServeListensWhileWarming: `gongkai serve` listens before gse's
// dictionary is loaded (about 2 s of CPU, in the background): /healthz
// answers "warming" at once, a search waits for the dictionary and
// answers, and /healthz then says "ok". Before, the server loaded the
// dictionary, then listened.
func TestServeListensWhileWarming(t *testing.T) {
	data := t.TempDir()
	docs := writeFile(t, "docs.jsonl", `{"id":"w1","title":"春耕备耕工作通知","body":"各村做好春耕备耕。","published":"2015-03-02"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", docs); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	base := startServe(t, data)
	if h := health(t, base); h != "warming" {
		t.Fatalf("healthz right after listening: %q, want warming (the dictionary takes seconds to load)", h)
	}
	if n := searchTotal(t, base, "春耕"); n != 1 {
		t.Fatalf("春耕 finds %d while warming, want 1", n)
	}
	for giveUp := time.Now().Add(30 * time.Second); health(t, base) != "ok"; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(giveUp) {
			t.Fatalf("healthz still %q 30 s after a search was answered", health(t, base))
		}
	}
}

// health returns the status /healthz answers.
func health(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h.Status
}

// TestIndexWaitObeysSIGTERM: a command waiting for an index another
// process holds stops on SIGTERM with a clear error.
func TestIndexWaitObeysSIGTERM(t *testing.T) {
	data := t.TempDir()
	st, err := store.Open(filepath.Join(data, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := indexer.OpenOrCreate(filepath.Join(data, "index"), config.Default(), st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	c := gongkai(context.Background(), "--data", data, "index")
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "waiting for the index") {
			break
		}
	}
	if err := c.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		b, _ := io.ReadAll(stderr) // until the process ends
		rest <- string(b)
		done <- c.Wait()
	}()
	select {
	case err = <-done:
		out.WriteString(<-rest)
	case <-time.After(10 * time.Second):
		c.Process.Kill()
		t.Fatal("gongkai index ignored SIGTERM while waiting for the index")
	}
	if err == nil || !strings.Contains(out.String(), "the index is open in another gongkai process") || !strings.Contains(out.String(), "stopped waiting") {
		t.Errorf("exit %v, output:\n%s", err, out.String())
	}
}

// TestPurgeCommand: purge by URL removes the document from search at once,
// needs a reason, and a later ingest of the same line is withheld.
func TestPurgeCommand(t *testing.T) {
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", `{"id":"p1","url":"http://www.example.gov.cn/p1.html","title":"低保评议名单公示","body":"名单含身份证号。","published":"2015-03-02"}
{"id":"p2","title":"危房改造补助标准","body":"每户补助一万元。","published":"2015-05-01"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", jsonl); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if _, _, err := run(t, "--data", data, "purge", "p1"); err == nil || !strings.Contains(err.Error(), "--reason") {
		t.Errorf("purge without a reason: %v", err)
	}
	out, errOut, err := run(t, "--data", data, "purge", "--reason", "公开了身份证号", "--by", "staff", "http://www.example.gov.cn/p1.html")
	if err != nil || !strings.Contains(out, "purged p1") || !strings.Contains(out, "1 deleted") {
		t.Fatalf("purge: %v\n%s%s", err, out, errOut)
	}
	if out, _, _ := run(t, "--data", data, "search", "--json", "低保评议"); strings.Contains(out, `"p1"`) {
		t.Errorf("search after the purge: %s", out)
	}
	if out, _, _ := run(t, "--data", data, "ingest", jsonl); !strings.Contains(out, "1 withheld") {
		t.Errorf("ingest after the purge: %s", out)
	}
	if out, _, _ := run(t, "--data", data, "search", "--json", "低保评议"); strings.Contains(out, `"p1"`) {
		t.Errorf("search after the purge and an ingest: %s", out)
	}
}
