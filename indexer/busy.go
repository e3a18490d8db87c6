package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrBusy is returned when another process holds the index open: Bleve
// allows one process at a time.
var ErrBusy = errors.New("the index is open in another gongkai process")

// ErrServing is returned by LockServing when a gongkai serve already holds
// the index folder.
var ErrServing = errors.New("another gongkai serve is running")

// ServingLockName is the file a serving process holds locked in the index folder.
const ServingLockName = "serve.lock"

// LockServing marks dir as served by this process until the returned
// function is called (or the process ends, kill -9 included), so that other
// commands leave index updates to it (see Serving). It fails when another
// process serves dir.
func LockServing(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create index directory %s: %w", dir, err)
	}
	f, held, err := tryLock(filepath.Join(dir, ServingLockName), true)
	if err != nil {
		return nil, err
	}
	if held {
		return nil, fmt.Errorf("%w on the index in %s", ErrServing, dir)
	}
	return func() { f.Close() }, nil
}

// Serving reports whether a process serving dir holds it (LockServing).
func Serving(dir string) bool {
	f, held, err := tryLock(filepath.Join(dir, ServingLockName), false)
	if f != nil {
		f.Close()
	}
	return err == nil && held
}

// tryLock takes an exclusive flock on path without waiting; held reports
// that another open file holds it. The file is created when create is set;
// a missing file is not held.
func tryLock(path string, create bool) (f *os.File, held bool, err error) {
	flags := os.O_RDWR
	if create {
		flags |= os.O_CREATE
	}
	f, err = os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrNotExist) && !create {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, false, nil
}

// held reports whether another process has the Bleve index at path open
// (its store/root.bolt locked).
func held(path string) bool {
	f, busy, _ := tryLock(filepath.Join(path, "store", "root.bolt"), false)
	if f != nil {
		f.Close()
	}
	return busy
}

// boltTimeout bounds Bleve's own wait for its lock, for the moment between
// our check and its open when another process takes the index.
const boltTimeout = "2s"

// busyPoll is how often a waiting open looks again.
const busyPoll = 200 * time.Millisecond

// WaitFor calls open (Open or OpenOrCreate) until it returns something
// other than ErrBusy, trying again while another process holds the index,
// until ctx ends or wait has passed; then it returns an error wrapping
// ErrBusy. stop, if not nil, is asked before each try and ends the wait with
// its error (the caller learned that it need not open the index).
func WaitFor(ctx context.Context, wait time.Duration, stop func() error, open func() (*Index, error)) (*Index, error) {
	deadline := time.Now().Add(wait)
	waiting := false
	for {
		if stop != nil {
			if err := stop(); err != nil {
				return nil, err
			}
		}
		ix, err := open()
		if !errors.Is(err, ErrBusy) {
			return ix, err
		}
		if !waiting {
			slog.Info("waiting for the index: another gongkai process holds it", "for", wait)
			waiting = true
		}
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("%w (waited %s for it)", err, wait)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: stopped waiting: %w", err, ctx.Err())
		case <-time.After(min(busyPoll, time.Until(deadline))):
		}
	}
}
