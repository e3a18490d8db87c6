package indexer

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// lockRebuild takes the index folder's rebuild lock, so that one process at a
// time builds a new generation. The lock goes with the process (kill -9
// included); call the returned function to release it.
func lockRebuild(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create index directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, "rebuild.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another gongkai process is rebuilding the index in %s", dir)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// removeAbandoned deletes generation folders other than keep: rebuilds that
// were killed before they were switched in. Call it holding the rebuild lock.
func removeAbandoned(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "gen-") || e.Name() == keep {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			slog.Warn("remove abandoned index generation", "dir", dir, "gen", e.Name(), "err", err)
			continue
		}
		slog.Info("removed abandoned index generation (an interrupted rebuild)", "gen", e.Name())
	}
}
