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

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// nobody is the unprivileged account gongkai runs as in the read-only test
// when the tests run as root: file modes do not stop root, so gongkai runs
// as a service account would, owning its data directory.
const nobody = 65534

// TestReadOnlyDataDir lets gongkai, running as an unprivileged account,
// store half of the demo documents, then takes the write bits off the whole
// data directory (0555 folders, 0444 store file) and runs `gongkai ingest`
// and `gongkai index --rebuild` on it: each must fail with a message naming
// the data directory or the store file, and the store must afterwards hold
// exactly what it held before. `gongkai search`, which only reads, may work
// or fail, but must not call the intact index corrupt.
func TestReadOnlyDataDir(t *testing.T) {
	bin := gongkaiBinary(t)
	root := worldReadableDir(t)
	first, second := demoHalves(t, root)
	g := gongkaiRun{bin: bin, data: filepath.Join(root, "data"), config: writeConfig(t, root, demoConfigNoSources())}
	if err := os.Mkdir(g.data, 0o755); err != nil {
		t.Fatal(err)
	}
	giveToAccount(t, g.data)
	if out, err := g.runUnprivileged(t, "ingest", first); err != nil {
		t.Fatalf("gongkai ingest as the service account: %v\n%s", err, out)
	}
	before := mustRead(t, g)
	giveToAccount(t, g.data) // reading as root may have left root's WAL files

	setWritable(t, g.data, false)
	for _, args := range [][]string{{"ingest", second}, {"index", "--rebuild"}} {
		out, err := g.runUnprivileged(t, args...)
		t.Logf("gongkai %s on a read-only data directory: %v\n%s", strings.Join(args, " "), err, out)
		if err == nil {
			t.Errorf("gongkai %s succeeded on a read-only data directory", args[0])
		}
		if !strings.Contains(out, g.data) {
			t.Errorf("gongkai %s: the error does not name the data directory %s:\n%s", args[0], g.data, out)
		}
	}
	out, err := g.runUnprivileged(t, "search", "低保")
	t.Logf("gongkai search on a read-only data directory: %v\n%s", err, out)
	if err != nil && strings.Contains(out, indexer.ErrCorrupt.Error()) {
		t.Errorf("gongkai search on a read-only data directory calls the intact index corrupt and asks for a rebuild:\n%s", out)
	}
	setWritable(t, g.data, true)
	checkNothingLost(t, g, before)
	giveToAccount(t, g.data)
	if out, err := g.runUnprivileged(t, "ingest", second); err != nil { // writable again: the ingest completes
		t.Errorf("gongkai ingest once the data directory is writable again: %v\n%s", err, out)
	}
}

// TestFullDisk puts the data directory on a 16 MiB tmpfs, stores half of the
// demo documents and fills the disk. Then the other half is written through
// a store opened before the disk filled (a running server), through
// `gongkai ingest` while that store is open, and through `gongkai ingest`
// starting alone on the full disk: every write must fail with a message
// naming the store file or the data directory, and the store must stay intact
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
	} else if !strings.Contains(err.Error(), g.storePath()) {
		t.Errorf("store.Ingest on a full disk: %q does not name the store %s", err, g.storePath())
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

// setWritable takes the write bits off everything under dir, or gives the
// owner's back.
func setWritable(t *testing.T, dir string, writable bool) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := info.Mode().Perm() &^ 0o222
		if writable {
			mode |= 0o200
		}
		return os.Chmod(p, mode)
	})
	if err != nil {
		t.Fatalf("make %s writable=%v: %v", dir, writable, err)
	}
}

// giveToAccount makes everything under dir belong to the account
// runUnprivileged runs gongkai as (nothing to do when the tests do not run
// as root).
func giveToAccount(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		t.Fatalf("chown %s to uid %d: %v", dir, nobody, err)
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
