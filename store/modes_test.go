package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOpenMakesFilesPrivate: with a permissive umask, the folder Open
// creates is 0700 and the database with its -wal and -shm files 0600; an
// existing database left readable by others is made private on open.
func TestOpenMakesFilesPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "gongkai.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.LogQueries(context.Background(), []LoggedQuery{{"低保", 1, "c", time.Now()}}); err != nil { // a write: -wal and -shm exist
		t.Fatal(err)
	}
	wantMode(t, dir, 0o700)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}
	st.Close()

	loose := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(loose, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = Open(loose)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	wantMode(t, loose, 0o600)
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
	}
}
