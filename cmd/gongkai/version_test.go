package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVersionJSON(t *testing.T) {
	out, _, err := run(t, "version", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var bi buildInfo
	if err := json.Unmarshal([]byte(out), &bi); err != nil {
		t.Fatalf("version --json: %v\n%s", err, out)
	}
	if bi.Go != runtime.Version() || bi.Version == "" {
		t.Errorf("version --json = %+v", bi)
	}
	text, _, err := run(t, "version")
	if err != nil || !strings.Contains(text, runtime.Version()) || !strings.HasPrefix(text, "gongkai ") {
		t.Errorf("version = %q, %v", text, err)
	}
}

// TestVersionBuilt builds the binary as the Makefile does and checks it reports
// the -X version and the commit of the checkout.
func TestVersionBuilt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not in a git checkout: ", err)
	}
	bin := filepath.Join(t.TempDir(), "gongkai")
	build := exec.Command("go", "build", "-ldflags",
		"-X main.version=v9.8.7 -X main.commit="+strings.TrimSpace(string(rev))+" -X main.commitDate=2026-12-07T00:00:00Z", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var bi buildInfo
	if err := json.Unmarshal(out, &bi); err != nil {
		t.Fatal(err)
	}
	if bi.Version != "v9.8.7" || bi.Commit != strings.TrimSpace(string(rev)) || bi.BuildDate == "" {
		t.Errorf("built binary reports %+v, want version v9.8.7 and commit %s", bi, rev)
	}
}
