package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/indexer/bench"
)

func (a *app) benchCmd() *cobra.Command {
	var queries []string
	var write string
	var replicate int
	cmd := &cobra.Command{
		Use:   "bench CORPUS.jsonl[.gz] [--queries FILE.tsv]... [--replicate N] [--write FILE.md]",
		Short: "measure search quality, indexing and query speed, with Bleve's cjk analyzer as the baseline",
		Example: `  gongkai bench ../shared/eval/corpus.jsonl.gz --queries ../shared/eval/queries_dev.tsv --queries ../shared/eval/queries_short_dev.tsv
  gongkai bench corpus.jsonl.gz --replicate 10 --write docs/BENCHMARKS.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			var report bytes.Buffer
			opts := bench.Options{Corpus: args[0], Queries: queries, Replicate: replicate, Config: cfg}
			if err := bench.Run(cmd.Context(), opts, io.MultiWriter(cmd.OutOrStdout(), &report)); err != nil {
				return err
			}
			if write == "" {
				return nil
			}
			old, err := os.ReadFile(write)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return writeOutput(nil, write, func(w io.Writer) error {
				_, err := io.WriteString(w, bench.Splice(string(old), report.String(), time.Now()))
				return err
			})
		},
	}
	cmd.Flags().StringArrayVar(&queries, "queries", nil, "judged queries, qid<TAB>query<TAB>docid (a qid repeats for each relevant document); repeat the flag for several sets, each measured in the same table")
	cmd.Flags().IntVar(&replicate, "replicate", 1, "also measure a copy of the corpus replicated N times")
	cmd.Flags().StringVar(&write, "write", "", "put the tables, with the machine and date, into this Markdown file")
	return cmd
}
