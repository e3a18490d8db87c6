package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDataFolderIsPrivate: with a permissive umask, everything ingest puts
// in a new data folder (the store with the query log, the index) is
// readable by gongkai's user only: folders 0700, files 0600.
func TestDataFolderIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	data := filepath.Join(t.TempDir(), "data")
	jsonl := writeFile(t, "docs.jsonl", `{"id":"p1","title":"低保申请条件","body":"申请农村低保。","published":"2015-03-02","channel":"portal"}`)
	if _, errOut, err := run(t, "--data", data, "ingest", jsonl); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	n := 0
	err := filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n++
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			rel, _ := filepath.Rel(data, path)
			t.Errorf("%s: mode %o, want no access for group and others", strings.TrimPrefix(rel, "./"), perm)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Fatalf("only %d entries in the data folder", n)
	}
}
