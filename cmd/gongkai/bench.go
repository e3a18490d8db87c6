package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer/bench"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) benchCmd() *cobra.Command {
	var queries []string
	var write string
	var replicate, copies int
	var existing bool
	cmd := &cobra.Command{
		Use:   "bench CORPUS.jsonl[.gz] [--queries FILE.tsv]... [--replicate N | --copies N | --existing] [--write FILE.md]",
		Short: "measure search quality, indexing and query speed, with Bleve's cjk analyzer as the baseline",
		Example: `  gongkai bench ../shared/eval/corpus.jsonl.gz --queries ../shared/eval/queries_dev.tsv --queries ../shared/eval/queries_short_dev.tsv
  gongkai bench corpus.jsonl.gz --replicate 10 --write docs/BENCHMARKS.md
  gongkai --data /srv/bench100 bench corpus.jsonl.gz --copies 100 --queries queries_dev.tsv
  gongkai --data /srv/bench100 bench corpus.jsonl.gz --existing --queries queries_dev.tsv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			if existing {
				return a.benchExisting(cmd, args[0], queries, start)
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			var report bytes.Buffer
			out := io.MultiWriter(cmd.OutOrStdout(), &report)
			byCopies := cmd.Flags().Changed("copies") // RunCopies refuses a count below 1
			if byCopies {
				err = a.benchCopies(cmd, cfg, args[0], queries, copies, out)
			} else {
				err = bench.Run(cmd.Context(), bench.Options{Corpus: args[0], Queries: queries, Replicate: replicate, Config: cfg}, out)
			}
			if err != nil || write == "" {
				return err
			}
			return writeBenchTables(write, report.String(), byCopies)
		},
	}
	cmd.Flags().StringArrayVar(&queries, "queries", nil, "judged queries, qid<TAB>query<TAB>docid (a qid repeats for each relevant document); repeat the flag for several sets, each measured in the same table")
	cmd.Flags().IntVar(&replicate, "replicate", 1, "also measure a copy of the corpus replicated N times, held and indexed in this process, beside the baseline")
	cmd.Flags().IntVar(&copies, "copies", 0, "measure N copies of the corpus in the data folder (--data) instead: the store written a batch at a time, the index built by `gongkai index` and measured by `gongkai bench --existing`, each in its own process, no baseline; --write adds the table to the file's bench section")
	cmd.Flags().BoolVar(&existing, "existing", false, "measure the data folder's index as it is (time to first answer, latency, memory), without building anything")
	cmd.MarkFlagsMutuallyExclusive("replicate", "copies", "existing")
	cmd.Flags().StringVar(&write, "write", "", "put the tables, with the machine and date, into this Markdown file")
	cmd.MarkFlagsMutuallyExclusive("existing", "write")
	return cmd
}

// benchCopies runs `bench --copies`: copies of corpus in the data folder,
// each document counted in its source's unit as the configuration says.
func (a *app) benchCopies(cmd *cobra.Command, cfg *config.Config, corpus string, queries []string, copies int, out io.Writer) error {
	c, err := a.benchCommand()
	if err != nil {
		return err
	}
	bySource, home := cfg.SourceUnits(), cfg.HomeUnit()
	unit := func(d *store.Document) string { return cmp.Or(bySource[d.Source], home) }
	o := bench.CopiesOptions{Corpus: corpus, Queries: queries, Copies: copies, Data: a.dataDir, Command: c, Unit: unit}
	return bench.RunCopies(cmd.Context(), o, out)
}

// writeBenchTables puts the tables of a run into the Markdown file at path
// (created when missing): they replace its bench section, or with appended
// (bench --copies) are added to it.
func writeBenchTables(path, tables string, appended bool) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	splice := bench.Splice
	if appended {
		splice = bench.Append
	}
	return writeOutput(nil, path, func(w io.Writer) error {
		_, err := io.WriteString(w, splice(string(old), tables, time.Now()))
		return err
	})
}

// benchCommand is how `bench --copies` runs gongkai on the same data folder
// and configuration: this executable with the global flags given.
func (a *app) benchCommand() ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	c := []string{exe, "--data", a.dataDir, "--lock-wait", a.lockWait.String()}
	if a.configPath != "" {
		c = append(c, "--config", a.configPath)
	}
	return c, nil
}

// benchExisting measures the data folder's index as it is, opened as
// `serve` opens it, and prints the rows of its table; a folder without a
// store or an index is refused, and nothing is created in it.
func (a *app) benchExisting(cmd *cobra.Command, corpus string, queries []string, start time.Time) error {
	for _, p := range []string{a.storePath(), a.indexPath()} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("bench --existing: nothing to measure in %s (fill it with `gongkai ingest` and `gongkai index`, or `gongkai bench --copies N`): %w", a.dataDir, err)
		}
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	limitServing(cfg, os.Getenv) // as serve runs
	st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := a.openIndex(cmd.Context(), st, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	return bench.MeasureExisting(cmd.Context(), ix, corpus, queries, start, cmd.OutOrStdout())
}
