//go:build linux

package proof

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gongkai/config"
	"gongkai/demo"
	"gongkai/store"
)

// nobody is the unprivileged user gongkai runs as when the tests run as
// root: chmod does not stop root, so the read-only test drops to this user,
// the way a service account would run gongkai.
const nobody = 65534

// TestReadOnlyDataDir makes the data directory read-only (0555, store file
// 0444) and runs `gongkai ingest` and `gongkai index` on it: each must fail
// with a message naming the data directory or the store file, and the store
// must afterwards hold exactly what it held before.
func TestReadOnlyDataDir(t *testing.T) {
	bin := gongkaiBinary(t)
	root := worldReadableDir(t)
	data := filepath.Join(root, "data")
	first, second := demoHalves(t, root)
	g := gongkaiRun{bin: bin, data: data, config: writeConfig(t, root, demoConfigNoSources())}
	g.run(t, "ingest", first)
	before := mustRead(t, g)

	setMode(t, data, 0o555)
	setMode(t, g.storePath(), 0o444)
	setMode(t, filepath.Join(data, "index"), 0o555)
	for _, args := range [][]string{{"ingest", second}, {"index", "--rebuild"}} {
		out, err := g.runUnprivileged(t, args...)
		t.Logf("gongkai %s on a read-only data directory: %v\n%s", strings.Join(args, " "), err, out)
		if err == nil {
			t.Errorf("gongkai %s succeeded on a read-only data directory", args[0])
		}
		if !strings.Contains(out, data) {
			t.Errorf("gongkai %s: the error does not name the data directory %s:\n%s", args[0], data, out)
		}
	}
	setMode(t, data, 0o755)
	setMode(t, g.storePath(), 0o644)
	setMode(t, filepath.Join(data, "index"), 0o755)
	checkNothingLost(t, g, before)
	g.run(t, "ingest", second) // writable again: the ingest completes
}

// TestFullDisk puts the data directory on a 16 MiB tmpfs, stores half of the
// demo documents and fills the disk. Then the other half is written through
// a store opened before the disk filled (a running server), through
// `gongkai ingest` while that store is open, and through `gongkai ingest`
// starting alone on the full disk: every write must fail, the two commands
// with a message naming the data directory, and the store must stay intact
// with every document it held. Once space is freed the same ingest completes.
func TestFullDisk(t *testing.T) {
	bin := gongkaiBinary(t)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	mountTmpfs(t, data, "size=16m")
	first, second := demoHalves(t, root)
	g := gongkaiRun{bin: bin, data: data, config: writeConfig(t, root, demoConfigNoSources())}
	g.run(t, "ingest", first)
	before := mustRead(t, g)

	st, err := store.Open(g.storePath())
	if err != nil {
		t.Fatal(err)
	}
	filler := fillDisk(t, data)
	_, err = ingestFile(t.Context(), st, second)
	t.Logf("store.Ingest on a full disk: %v", err)
	if err == nil {
		t.Error("store.Ingest succeeded on a full disk")
	}
	if n, err := st.Count(t.Context()); err != nil || n != len(before.docs) {
		t.Errorf("open store on a full disk: count %d (%v), want %d", n, err, len(before.docs))
	}
	ingestFails(t, g, second, "while a server holds the store")
	if err := st.Close(); err != nil {
		t.Logf("close the store on a full disk: %v", err)
	}
	ingestFails(t, g, second, "starting alone")

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	checkNothingLost(t, g, before)
	g.run(t, "ingest", second)
	if after := mustRead(t, g); len(after.docs) != len(before.docs)+countLines(t, second) {
		t.Errorf("after freeing space: %d documents, want %d", len(after.docs), len(before.docs)+countLines(t, second))
	}
}

// ingestFails runs `gongkai ingest file` on the full disk: it must fail with
// a message naming the data directory.
func ingestFails(t *testing.T, g gongkaiRun, file, when string) {
	t.Helper()
	out, err := runOut(t, g, "ingest", file)
	t.Logf("gongkai ingest on a full disk, %s: %v\n%s", when, err, out)
	if err == nil {
		t.Errorf("gongkai ingest succeeded on a full disk, %s", when)
	} else if !strings.Contains(out, g.data) {
		t.Errorf("gongkai ingest on a full disk, %s: the error does not name the data directory %s", when, g.data)
	}
}

// checkNothingLost checks that the store is intact and holds every document
// of before, unchanged, and nothing more.
func checkNothingLost(t *testing.T, g gongkaiRun, before *snapshot) {
	t.Helper()
	checkIntegrity(t, g)
	after := mustRead(t, g)
	if lost := after.lostFrom(before); len(lost) > 0 {
		t.Errorf("%d stored documents lost: %v", len(lost), firstN(lost, 5))
	}
	if len(after.docs) != len(before.docs) {
		t.Errorf("count before the fault %d, after %d", len(before.docs), len(after.docs))
	}
}

// demoHalves writes the demo township's documents as two JSONL files.
func demoHalves(t *testing.T, dir string) (first, second string) {
	t.Helper()
	var buf bytes.Buffer
	if err := demo.Generate(demo.Options{}).WriteJSONL(&buf); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	half := len(lines) / 2
	first, second = filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	for path, part := range map[string][][]byte{first: lines[:half], second: lines[half:]} {
		if err := os.WriteFile(path, bytes.Join(part, nil), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return first, second
}

// demoConfigNoSources is the demo's configuration (dictionaries, synonyms)
// without sources: these tests ingest, they do not crawl.
func demoConfigNoSources() *config.Config {
	town := demo.Generate(demo.Options{})
	cfg := town.Config(&demo.Sites{})
	cfg.Sources = nil
	return cfg
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return len(bytes.Split(bytes.TrimSpace(b), []byte("\n")))
}

func ingestFile(ctx context.Context, st *store.Store, path string) (store.IngestStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return store.IngestStats{}, err
	}
	defer f.Close()
	return st.Ingest(ctx, f, 200, func(*store.LineError) {})
}

// runOut runs gongkai and returns its output and exit error.
func runOut(t *testing.T, g gongkaiRun, args ...string) (string, error) {
	t.Helper()
	cmd, out := g.command(t.Context(), args...)
	err := cmd.Run()
	return out.String(), err
}

// runUnprivileged runs gongkai as an unprivileged user when the test runs
// as root, so that file modes bind it as they bind a service account.
func (g gongkaiRun) runUnprivileged(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd, out := g.command(t.Context(), args...)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		cmd.Env = append(os.Environ(), "HOME=/")
	}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("start gongkai %v as uid %d: %v", args, nobody, err)
	}
	return out.String(), err
}

// worldReadableDir is a temporary directory that an unprivileged user can
// reach (t.TempDir is 0700), with the gongkai binary reachable too.
func worldReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gongkai-proof-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	setMode(t, dir, 0o755)
	setMode(t, binDir, 0o755)
	return dir
}

func setMode(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// mountTmpfs mounts a tmpfs with opts on dir for the rest of the test, or
// skips the test when this process may not mount (not root, no CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, dir, opts string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		t.Skipf("a full disk is simulated with a small tmpfs, and mounting one failed (%v): run as root with CAP_SYS_ADMIN to prove this", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount tmpfs %s: %v", dir, err)
		}
	})
}

// fillDisk writes a file in dir until the file system is full and returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for size := len(chunk); size > 0; {
		if _, err := f.Write(chunk[:size]); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill %s: %v", dir, err)
			}
			size /= 2 // fill the last pages too
		}
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil || fs.Bavail != 0 {
		t.Fatalf("filled %s, yet %d blocks free (%v)", dir, fs.Bavail, err)
	}
	return path
}
