package main

import (
	"bufio"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// releaseArchs are the binaries `make release` builds: GOARCH, ELF machine and
// the qemu-user program that runs it on another architecture.
var releaseArchs = map[string]struct {
	machine elf.Machine
	qemu    string
}{
	"amd64": {elf.EM_X86_64, "qemu-x86_64"},
	"arm64": {elf.EM_AARCH64, "qemu-aarch64"},
}

// TestReleaseBinaries checks what `make release` wrote into the folder
// GONGKAI_RELEASE_DIR (`make release-check` sets it): SHA256SUMS matches
// both binaries; each is a static ELF for its machine, built without cgo,
// with -trimpath; and each starts and prints `gongkai version --json` with the
// checkout's commit, natively or under qemu-user (qemu-aarch64-static or
// qemu-aarch64 from Debian's qemu-user-static). Without qemu for a foreign
// binary, only its ELF header and build information are checked, which the
// test logs.
func TestReleaseBinaries(t *testing.T) {
	dir := os.Getenv("GONGKAI_RELEASE_DIR")
	if dir == "" {
		t.Skip("GONGKAI_RELEASE_DIR is not set: run `make release-check`")
	}
	sums := readSums(t, filepath.Join(dir, "SHA256SUMS"))
	if len(sums) != len(releaseArchs) {
		t.Errorf("SHA256SUMS lists %v, want one binary for each of %d architectures", sums, len(releaseArchs))
	}
	rev, _ := exec.Command("git", "rev-parse", "HEAD").Output()
	for arch, want := range releaseArchs {
		name := "gongkai-linux-" + arch
		t.Run(arch, func(t *testing.T) {
			bin := filepath.Join(dir, name)
			if _, sum, err := hashFile(bin); err != nil || sum != sums[name] {
				t.Fatalf("%s: sha256 %s (%v), SHA256SUMS says %q", name, sum, err, sums[name])
			}
			checkStaticELF(t, bin, want.machine)
			checkBuildSettings(t, bin, arch)
			var run *exec.Cmd
			switch {
			case arch == runtime.GOARCH:
				run = exec.Command(bin, "version", "--json")
			case lookPath(want.qemu+"-static", want.qemu) != "":
				run = exec.Command(lookPath(want.qemu+"-static", want.qemu), bin, "version", "--json")
			default:
				t.Logf("%s: neither %s-static nor %s is installed: checked its ELF header and build information only", name, want.qemu, want.qemu)
				return
			}
			out, err := run.Output()
			if err != nil {
				t.Fatalf("%s: %v", run, err)
			}
			var bi buildInfo
			if err := json.Unmarshal(out, &bi); err != nil {
				t.Fatalf("%s: %v\n%s", run, err, out)
			}
			if bi.Commit != strings.TrimSpace(string(rev)) || bi.Version == "" || bi.Version == "dev" || bi.Go == "" {
				t.Errorf("%s printed %+v, want the version and commit %s the Makefile stamps", run, bi, rev)
			}
			t.Logf("%s: %s", run, strings.Join(strings.Fields(string(out)), " "))
		})
	}
}

// readSums reads a sha256sum file into a map from file name to sum.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		sums[name] = sum
	}
	return sums
}

// checkStaticELF fails unless bin is an ELF executable for machine without
// a program interpreter or shared libraries.
func checkStaticELF(t *testing.T, bin string, machine elf.Machine) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	defer f.Close()
	if f.Machine != machine || f.Class != elf.ELFCLASS64 || f.Type != elf.ET_EXEC {
		t.Errorf("%s: %v %v %v, want a 64-bit %v executable", bin, f.Class, f.Type, f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s has a %v program header: it is not static", bin, p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", bin, libs)
	}
}

// checkBuildSettings fails unless bin was built for linux/arch without cgo and with -trimpath.
func checkBuildSettings(t *testing.T, bin, arch string) {
	t.Helper()
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	got := map[string]string{}
	for _, s := range info.Settings {
		got[s.Key] = s.Value
	}
	want := map[string]string{"GOOS": "linux", "GOARCH": arch, "CGO_ENABLED": "0", "-trimpath": "true"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: build setting %s=%q, want %q", bin, k, got[k], v)
		}
	}
	if info.Path != info.Main.Path+"/cmd/gongkai" {
		t.Errorf("%s: main package %s of module %s", bin, info.Path, info.Main.Path)
	}
}

// lookPath returns the first of names found in PATH, or "".
func lookPath(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}
