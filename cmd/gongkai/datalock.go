package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// dataLockName is the file in the data directory whose lock guards the
// directory as a whole: every command that reads or writes the data
// (serve, ingest, crawl, purge, index, backup, search …) holds it shared
// while it runs, and restore holds it exclusive while it replaces the files
// and builds the index. The lock goes with the process, kill -9 included.
const dataLockName = "gongkai.lock"

// lockData takes the data directory's lock for the rest of the command,
// shared or (for restore) exclusive, without waiting; once taken, later
// calls do nothing. A shared lock fails only while a restore runs.
func (a *app) lockData(exclusive bool) error {
	if a.dataLock != nil {
		return nil
	}
	busy, err := a.flockData(exclusive)
	if busy {
		switch {
		case !exclusive:
			return fmt.Errorf("gongkai restore 正在恢复数据目录 %s，请等它完成后再运行本命令，未做任何改动 / "+
				"gongkai restore is replacing the data directory %s: run this command again once it has finished; nothing was changed", a.dataDir, a.dataDir)
		case indexer.Serving(a.indexPath()):
			return a.errRestoreServing()
		default:
			return fmt.Errorf("restore: 另一个 gongkai 命令（ingest、crawl、purge、index、backup 等）正在使用数据目录 %s，请等它结束（定时任务也要暂停）再恢复，未做任何改动 / "+
				"another gongkai command (ingest, crawl, purge, index, backup …) is using %s: let it finish (and pause scheduled jobs), then restore; nothing was changed", a.dataDir, a.dataDir)
		}
	}
	return err
}

// flockData takes the data directory's lock, shared or exclusive, without
// waiting, and keeps it in a.dataLock; busy says another process holds it.
func (a *app) flockData(exclusive bool) (busy bool, err error) {
	if err := store.PrivateDir(a.dataDir); err != nil {
		return false, err
	}
	path := filepath.Join(a.dataDir, dataLockName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return false, fmt.Errorf("lock the data directory: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return true, nil
		}
		return false, fmt.Errorf("lock %s: %w", path, err)
	}
	a.dataLock = f
	return false, nil
}

// shareDataLock turns the exclusive lock a command holds into a shared one,
// as other commands hold it. flock(2) drops the lock before taking the new
// one, so another command may take the folder in between: that is said.
func (a *app) shareDataLock() error {
	err := syscall.Flock(int(a.dataLock.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return fmt.Errorf("另一个 gongkai 命令在此期间占用了数据目录 %s，请待它结束后重试 / "+
			"another gongkai command took %s meanwhile: run this again once it is done", a.dataDir, a.dataDir)
	}
	if err != nil {
		return fmt.Errorf("share the lock of %s: %w", a.dataDir, err)
	}
	return nil
}

// unlockData releases the data directory's lock, if held.
func (a *app) unlockData() {
	if a.dataLock != nil {
		a.dataLock.Close()
		a.dataLock = nil
	}
}

// releaseDataAfter makes every command under root release the data
// directory's lock when it returns, failed or not (tests run several
// commands in one process).
func (a *app) releaseDataAfter(root *cobra.Command) {
	for _, c := range root.Commands() {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				defer a.unlockData()
				return run(cmd, args)
			}
		}
		a.releaseDataAfter(c)
	}
}
