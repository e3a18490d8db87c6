package main

import (
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) crawlCmd() *cobra.Command {
	var full, noIndex bool
	cmd := &cobra.Command{
		Use:   "crawl [SOURCE...]",
		Short: "fetch what is new or changed from the configured sources (all when none is named), then update the index and send the alerts (alerts.channels)",
		Example: `  gongkai --config gongkai.yaml crawl
  gongkai crawl 镇政府网站 --full`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if len(cfg.Sources) == 0 {
				return &usageError{"no sources configured: add sources to the file given with --config (see gongkai.example.yaml)"}
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			runs, err := runCrawl(cmd, st, cfg, full, args)
			printRuns(cmd, runs)
			if err != nil {
				return fmt.Errorf("crawl: %w", err)
			}
			if !noIndex {
				if err := a.syncIndex(cmd, st); err != nil {
					return err
				}
			}
			sendAlerts(cmd, st, cfg)
			return nil
		},
	}
	cmd.Flags().BoolVar(&full, "full", false, "read every list page up to max_pages, even when a page holds only known items")
	cmd.Flags().BoolVar(&noIndex, "no-index", false, "store only; do not update the search index")
	return cmd
}

// runCrawl crawls with a progress bar on a terminal and log lines otherwise.
func runCrawl(cmd *cobra.Command, st *store.Store, cfg *config.Config, full bool, sources []string) ([]*store.CrawlRun, error) {
	bar := newProgress(cmd.ErrOrStderr(), "抓取")
	logLines := crawler.LogProgress(slog.Default())
	opts := crawler.Options{Full: full, Progress: func(e crawler.Event) {
		if bar.bar == nil || e.Kind == crawler.EventSourceDone || e.Outcome == crawler.OutcomeFailed {
			logLines(e)
		}
		bar.set(e.Done, e.Found)
	}}
	runs, err := crawler.New(st, cfg, opts).Run(cmd.Context(), sources...)
	bar.finish()
	return runs, err
}

func printRuns(cmd *cobra.Command, runs []*store.CrawlRun) {
	for _, r := range runs {
		fmt.Fprintf(cmd.OutOrStdout(), "%s: %d fetched, %d new, %d changed, %d unchanged, %d failed, %d by site template%s\n",
			r.Source, r.Fetched, r.New, r.Changed, r.Unchanged, r.Failed, r.Templated, failureList(r.Failures))
		if r.Note != "" {
			fmt.Fprintf(cmd.OutOrStdout(), "  %s\n", r.Note)
		}
	}
}

func failureList(f map[string]int) string {
	if len(f) == 0 {
		return ""
	}
	reasons := make([]string, 0, len(f))
	for r, n := range f {
		reasons = append(reasons, fmt.Sprintf("%s ×%d", r, n))
	}
	sort.Strings(reasons)
	return " (" + strings.Join(reasons, "; ") + ")"
}
