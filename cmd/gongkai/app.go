package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// app holds the global flags and opens what the commands share.
type app struct {
	dataDir, configPath string
	verbose             bool
	lockWait            time.Duration  // how long to wait for an index another process holds
	cfg                 *config.Config // loaded once; set directly by the demo
	dataLock            *os.File       // the data directory's lock while a command holds it (datalock.go)
	indexJSON           bool           // index --json: print index updates as JSON
}

func (a *app) logLevel() slog.Level {
	if a.verbose {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// config loads --config; without it DATA/gongkai.yaml when that exists
// (the demo writes its configuration there), else the defaults.
func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	path := a.configPath
	if path == "" {
		if _, err := os.Stat(a.dataConfigPath()); err == nil {
			if err := a.lockData(false); err != nil { // restore may be replacing it
				return nil, err
			}
			path = a.dataConfigPath()
		}
	}
	cfg := config.Default()
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			return nil, err
		}
		slog.Debug("configuration", "file", path)
	}
	a.cfg = cfg
	return cfg, nil
}

// dataConfigPath is the configuration file kept in the data directory.
func (a *app) dataConfigPath() string { return filepath.Join(a.dataDir, "gongkai.yaml") }

func (a *app) storePath() string { return filepath.Join(a.dataDir, "gongkai.db") }
func (a *app) indexPath() string { return filepath.Join(a.dataDir, "index") }

// openStore opens the archive in the data directory, holding the data
// directory's lock for the rest of the command (refused while a restore runs).
func (a *app) openStore() (*store.Store, error) {
	if err := a.lockData(false); err != nil {
		return nil, err
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(a.storePath())
	if err != nil {
		return nil, fmt.Errorf("%w (data directory %s)", err, a.dataDir)
	}
	if err := assignUnits(context.Background(), st, cfg); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// assignUnits gives the documents and entries without a unit (stored before
// units existed, or imported without one) their source's unit or the home unit.
func assignUnits(ctx context.Context, st *store.Store, cfg *config.Config) error {
	n, err := st.AssignUnits(ctx, cfg.SourceUnits(), cfg.HomeUnit())
	if n > 0 {
		slog.Info("documents given their unit", "documents", n, "home unit", cfg.HomeUnit())
	}
	return err
}

// joinArgs makes one query of the words given on the command line.
func joinArgs(args []string) string { return strings.Join(args, " ") }

// parseDay reads a YYYY-MM-DD date in Beijing time; "" is the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return store.ParseDay(s)
}

// dirOf is the folder of path ("." for a bare file name).
func dirOf(path string) string { return filepath.Dir(path) }
