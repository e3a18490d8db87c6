package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// demoMarker marks a data directory as the demo's own, which the demo may wipe.
const demoMarker = ".gongkai-demo"

func (a *app) demoCmd() *cobra.Command {
	var addr, years string
	var noServe, noAttachments bool
	var seed int64
	var units int
	cmd := &cobra.Command{
		Use:   "demo [--addr ADDR] [--no-serve] [--no-attachments] [--years 2014-2016] [--units N]",
		Short: "serve a sample township portal and WeChat archive on loopback, crawl and index them, and serve the web UI",
		Example: `  gongkai --data ./gongkai-data/demo demo
  gongkai demo --addr 127.0.0.1:9090 --years 2015-2016 --no-serve
  gongkai --data ./gongkai-data/county demo --units 3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			from, to, err := parseYears(years)
			if err != nil {
				return &usageError{"--years: " + err.Error()}
			}
			if units < 1 || units > demo.MaxUnits {
				return &usageError{fmt.Sprintf("--units %d: the demo has 1 to %d townships", units, demo.MaxUnits)}
			}
			t, cfg, err := a.startDemo(cmd, demo.Options{Seed: seed, FromYear: from, ToYear: to, Units: units}, noAttachments)
			if err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			ix, err := a.loadDemo(cmd, st, t, cfg)
			if err != nil {
				return err
			}
			defer ix.Close()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "数据目录 %s，统计截至 %s，准备用时 %s\n", a.dataDir, cfg.Analytics.AsOf, time.Since(start).Round(time.Millisecond))
			if noServe {
				return nil
			}
			unlock, err := indexer.LockServing(a.indexPath())
			if err != nil {
				return err
			}
			defer unlock()
			return serveWeb(cmd, st, ix, cfg, addr, func(url string) {
				fmt.Fprintf(out, "\n打开 %s/ 检索；工作人员登录 %s/staff/login 用户名 staff 密码 %s\n按 Ctrl-C 结束。\n",
					url, url, demo.Password)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", config.DefaultAddr, "where to serve the web UI")
	f.BoolVar(&noServe, "no-serve", false, "stop after crawling and indexing")
	f.BoolVar(&noAttachments, "no-attachments", false, "crawl without fetching attachments (their links are kept), as attachments.off does")
	f.StringVar(&years, "years", "2014-2016", "years of the sample documents, FROM-TO")
	f.Int64Var(&seed, "seed", 1, "seed of the generated township (same seed, same sites)")
	f.IntVar(&units, "units", 1, fmt.Sprintf("townships (units) to generate, 1 to %d: with more than one, each has its own portal and targets and the dashboard shows the county view", demo.MaxUnits))
	return cmd
}

// startDemo empties the data directory (the demo's own only), generates the
// sample township of o, serves its sites on loopback until cmd ends, prints
// their addresses, and writes the demo's configuration and reports sent.
func (a *app) startDemo(cmd *cobra.Command, o demo.Options, noAttachments bool) (*demo.Township, *config.Config, error) {
	if err := a.resetDemoData(); err != nil {
		return nil, nil, err
	}
	t := demo.Generate(o)
	sites, err := t.Serve(cmd.Context())
	if err != nil {
		return nil, nil, err
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "示例乡镇 %s：%d 篇文档（%d–%d）\n  政府网站   %s/\n  微信公众号 %s\n  上级门户   %s/\n",
		t.Name, len(t.Items), o.FromYear, o.ToYear, sites.PortalURL, sites.FeedURL, sites.CityURL)
	for i, nb := range t.Neighbours {
		fmt.Fprintf(out, "示例乡镇 %s：%d 篇文档\n  政府网站   %s/\n", nb.Name, len(nb.Items), sites.Neighbours[i])
	}
	cfg := t.Config(sites)
	cfg.Attachments.Off = noAttachments
	if err := a.writeDemoReports(t, cfg); err != nil {
		return nil, nil, err
	}
	a.cfg = cfg
	if err := writeConfig(a.dataConfigPath(), cfg); err != nil {
		return nil, nil, err
	}
	return t, cfg, nil
}

// loadDemo crawls the demo's sites into st with the real crawler, enters
// the reports sent upward as staff would, and returns the index brought up
// to date with st.
func (a *app) loadDemo(cmd *cobra.Command, st *store.Store, t *demo.Township, cfg *config.Config) (*indexer.Index, error) {
	runs, err := runCrawl(cmd, st, cfg, false, nil)
	printRuns(cmd, runs)
	if err != nil {
		return nil, fmt.Errorf("crawl the demo sites: %w", err)
	}
	if err := st.AddManualBatch(cmd.Context(), t.Reports()); err != nil { // 报送, as staff enter them
		return nil, fmt.Errorf("enter the demo's reports: %w", err)
	}
	ix, err := a.openIndex(cmd.Context(), st, nil)
	if err != nil {
		return nil, err
	}
	res, err := a.syncWithProgress(cmd, ix, st)
	if err != nil {
		ix.Close()
		return nil, err
	}
	a.printIndexStats(cmd, res)
	return ix, nil
}

// demoEntries lists the data directory, refusing one that holds data but
// is not marked as the demo's.
func (a *app) demoEntries() ([]os.DirEntry, error) {
	entries, err := os.ReadDir(a.dataDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() != dataLockName }) {
		if _, err := os.Stat(filepath.Join(a.dataDir, demoMarker)); err != nil {
			return nil, fmt.Errorf("%s holds data that is not the demo's: give the demo its own folder with --data", a.dataDir)
		}
	}
	return entries, nil
}

// resetDemoData empties the data directory for a fresh demo. It refuses a
// directory that holds data but is not marked as the demo's, and one that
// another gongkai process uses (serve, restore, a crawl …): it holds the
// directory's lock exclusively while it empties it, then shared, as every
// command does, for the rest of the demo.
func (a *app) resetDemoData() error {
	if _, err := a.demoEntries(); err != nil { // refused before the lock file is made
		return err
	}
	busy, err := a.flockData(true)
	if err != nil {
		return err
	}
	if busy {
		return fmt.Errorf("demo: 另一个 gongkai 命令（serve、restore、crawl 等）正在使用数据目录 %s，请先停止它，未做任何改动 / "+
			"another gongkai command (serve, restore, crawl …) is using %s: stop it before the demo empties the folder; nothing was changed", a.dataDir, a.dataDir)
	}
	entries, err := a.demoEntries() // again under the lock: a restore may have finished since
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == dataLockName {
			continue
		}
		if err := os.RemoveAll(filepath.Join(a.dataDir, e.Name())); err != nil {
			return fmt.Errorf("reset demo data: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(a.dataDir, demoMarker), []byte("gongkai demo data; `gongkai demo` wipes this folder\n"), 0o644); err != nil {
		return err
	}
	return a.shareDataLock()
}

func parseYears(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	if from, err = strconv.Atoi(a); err == nil {
		to, err = strconv.Atoi(b)
	}
	if err != nil || from < 1990 || to > 2100 || from > to {
		return 0, 0, fmt.Errorf("%q is not a range of years such as 2014-2016", s)
	}
	return from, to, nil
}

// writeConfig saves cfg where later commands on the same data folder find it
// (stats, report and search then use the demo's targets and dictionary).
func writeConfig(path string, cfg *config.Config) error {
	b, err := config.Marshal(cfg)
	if err != nil {
		return err
	}
	return writeOutput(nil, path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// writeDemoReports writes the other townships' lists of reports sent into
// the data folder and names them in cfg (the unit after 康大营镇, whose
// reports are entered by hand, in the same order as t.Neighbours).
func (a *app) writeDemoReports(t *demo.Township, cfg *config.Config) error {
	for i, nb := range t.Neighbours {
		path, err := filepath.Abs(filepath.Join(a.dataDir, "reports-"+nb.Name+".csv"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, nb.ReportsCSV(t.Options), 0o600); err != nil {
			return fmt.Errorf("write the demo's reports sent: %w", err)
		}
		cfg.Units[i+1].Reports = path
	}
	return nil
}
