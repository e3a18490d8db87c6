package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// unitFile reads the [Service] settings of a systemd unit in deploy/; a key
// given several times keeps every value.
func unitFile(t *testing.T, name string) map[string][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = line
		case section == "[Service]":
			k, v, _ := strings.Cut(line, "=")
			m[k] = append(m[k], v)
		}
	}
	return m
}

// TestDeployUnits runs what deploy/ tells systemd to run, without systemd
// (this test's machines have none): gongkai.service's ExecStart, its paths
// moved into temporary folders, must serve, and stop with status 0 on its
// KillSignal; gongkai-backup.sh, with the arguments of
// gongkai-backup.service, must write a backup restore accepts while that
// server runs, and remove copies older than KEEP_DAYS. The paths the two
// units name must agree, and the sandbox must leave PDFium's compiled code
// executable.
func TestDeployUnits(t *testing.T) {
	serve, backup := unitFile(t, "gongkai.service"), unitFile(t, "gongkai-backup.service")
	start := strings.Fields(serve["ExecStart"][0])
	if len(start) < 2 || start[0] != "/usr/local/bin/gongkai" || start[len(start)-1] != "serve" {
		t.Fatalf("gongkai.service ExecStart=%v", start)
	}
	args := start[1:]
	flag := func(name string) string {
		i := slices.Index(args, name)
		if i < 0 || i+1 >= len(args) {
			t.Fatalf("gongkai.service ExecStart has no %s", name)
		}
		return args[i+1]
	}
	dataPath, configPath := flag("--data"), flag("--config")
	if dataPath != "/var/lib/"+serve["StateDirectory"][0] || !slices.Contains(strings.Fields(serve["ReadWritePaths"][0]), dataPath) {
		t.Errorf("gongkai.service: --data %s, StateDirectory=%v, ReadWritePaths=%v", dataPath, serve["StateDirectory"], serve["ReadWritePaths"])
	}
	// PDFium runs as WebAssembly that wazero compiles to machine code at run
	// time; without executable memory it falls back to its interpreter, which
	// made a 200-page PDF run out of the 30 s extraction limit.
	if v := serve["MemoryDenyWriteExecute"]; len(v) > 0 && (v[len(v)-1] == "true" || v[len(v)-1] == "yes") {
		t.Error("gongkai.service sets MemoryDenyWriteExecute: PDFium would run in wazero's interpreter")
	}
	bexec := strings.Fields(backup["ExecStart"][0])
	if len(bexec) != 4 || bexec[0] != "/usr/local/bin/gongkai-backup" || bexec[1] != dataPath || bexec[2] != configPath {
		t.Fatalf("gongkai-backup.service ExecStart=%v, want gongkai-backup %s %s BACKUPS", bexec, dataPath, configPath)
	}
	if rw := strings.Fields(backup["ReadWritePaths"][0]); !slices.Contains(rw, dataPath) || !slices.Contains(rw, bexec[3]) {
		t.Errorf("gongkai-backup.service ReadWritePaths=%v, want %s and %s", rw, dataPath, bexec[3])
	}

	// The unit's command with its paths in temporary folders; the address
	// comes from the configuration, as on a server.
	root := t.TempDir()
	moved := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	if err := os.MkdirAll(filepath.Dir(moved(configPath)), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(moved(configPath), []byte("server:\n  addr: 127.0.0.1:0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := writeFile(t, "doc.jsonl", `{"id":"a1","title":"春耕备耕工作通知","body":"各村做好春耕备耕。","published":"2015-03-02"}`)
	if _, errOut, err := run(t, "--config", moved(configPath), "--data", moved(dataPath), "ingest", doc); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	for i, a := range args {
		if a == dataPath || a == configPath {
			args[i] = moved(a)
		}
	}
	base, proc := startGongkai(t, args...)
	if n := searchTotal(t, base, "春耕"); n != 1 {
		t.Errorf("the unit's serve finds 春耕 %d times", n)
	}

	// The backup script as the timer runs it, gongkai on its PATH, while serve runs.
	bin := t.TempDir()
	if err := os.Symlink(os.Args[0], filepath.Join(bin, "gongkai")); err != nil {
		t.Fatal(err)
	}
	backups := moved(bexec[3])
	old := filepath.Join(backups, "2000-01-01")
	if err := os.MkdirAll(old, 0o700); err != nil {
		t.Fatal(err)
	}
	long := time.Now().AddDate(0, 0, -40)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	script := exec.Command("sh", filepath.Join("..", "..", "deploy", "gongkai-backup.sh"), moved(dataPath), moved(configPath), backups)
	script.Env = append(os.Environ(), "GONGKAI_TEST_MAIN=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := script.CombinedOutput(); err != nil {
		t.Fatalf("gongkai-backup.sh: %v\n%s", err, out)
	}
	today := filepath.Join(backups, time.Now().Format("2006-01-02"))
	b, err := os.ReadFile(filepath.Join(today, manifestName))
	var m manifest
	if err != nil || json.Unmarshal(b, &m) != nil || len(m.Files) != 2 || m.Files[0].Path != "gongkai.db" || m.Files[1].Path != "gongkai.yaml" {
		t.Errorf("backup manifest %s: %v\n%s", today, err, b)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("a backup 40 days old is still there (%v)", err)
	}
	if _, errOut, err := run(t, "--data", t.TempDir(), "restore", today); err != nil {
		t.Errorf("restore of the script's backup: %v\n%s", err, errOut)
	}

	// systemctl stop sends KillSignal; serve finishes and exits 0.
	if ks := serve["KillSignal"]; len(ks) != 1 || ks[0] != "SIGTERM" {
		t.Fatalf("KillSignal=%v", ks)
	}
	if err := proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := proc.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}
	if _, err := http.Get(base); err == nil {
		t.Error("serve still answers after SIGTERM")
	}
}
